namespace Cairn.Server.Jobs;

/// <summary>The loop of a scheduled job: a pass, then a pause on the injected clock, until the host stops.</summary>
internal static class Passes
{
    /// <summary>
    /// Runs <paramref name="pass"/> every <paramref name="interval"/>, the first time once <paramref name="models"/>
    /// are built; a failed pass is logged and tried again on the next.
    /// </summary>
    public static async Task RunEveryAsync(TimeSpan interval, TimeProvider clock, ILogger logger, string job, Func<CancellationToken, Task> pass, Data.StartupModels models, CancellationToken stoppingToken)
    {
        // A stop before the models are built ends the loop below before its first pass.
        await models.Built.WaitAsync(stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await pass(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Keep the schedule alive: a database that is briefly away is tried again on the next pass.
                LogFailed(logger, e, job, interval);
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

    /// <summary>
    /// Logs a failed pass: a database that is away for a moment (a lost connection, a restart, a busy
    /// SQLite file: <see cref="Data.DatabaseFailures.IsTransient"/>, <see cref="Data.DatabaseFailures.IsConnectionLost"/>)
    /// as one Warning line with the reason, since the next pass tries again; anything else at Error with its stack trace.
    /// </summary>
    public static void LogFailed(ILogger logger, Exception e, string job, TimeSpan interval)
    {
        if (Data.DatabaseFailures.IsTransient(e) || Data.DatabaseFailures.IsConnectionLost(e))
            logger.LogWarning("{Job} pass could not reach the database ({Reason}); retrying in {Interval}", job, Innermost(e).Message, interval);
        else
            logger.LogError(e, "{Job} pass failed; retrying in {Interval}", job, interval);
    }

    private static Exception Innermost(Exception e) => e.InnerException is { } inner ? Innermost(inner) : e;
}
