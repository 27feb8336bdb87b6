namespace Cairn.Server.Jobs;

/// <summary>The loop of a scheduled job: a pass, then a pause on the injected clock, until the host stops.</summary>
internal static class Passes
{
    /// <summary>Runs <paramref name="pass"/> every <paramref name="interval"/>; a failed pass is logged and tried again on the next.</summary>
    public static async Task RunEveryAsync(TimeSpan interval, TimeProvider clock, ILogger logger, string job, Func<CancellationToken, Task> pass, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await pass(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Keep the schedule alive: a database that is briefly away is tried again on the next pass.
                logger.LogError(e, "{Job} pass failed; retrying in {Interval}", job, interval);
            }

            try
            {
                await Task.Delay(interval, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            // The clock's timer may fire on the thread that moves a test's clock; the pass runs apart from it,
            // so moving the clock a month ahead is one pass, not one per interval in between.
            await Task.Yield();
        }
    }
}
