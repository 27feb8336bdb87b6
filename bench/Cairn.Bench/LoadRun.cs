using System.Diagnostics;

namespace Cairn.Bench;

/// <summary>What one measured run did: operations completed in the window, errors, throughput and latency percentiles (ms).</summary>
internal sealed record LoadResult(int Clients, long Operations, long Errors, double Seconds, double P50, double P95, double P99, bool Exhausted)
{
    public double Throughput => Seconds > 0 ? Operations / Seconds : 0;

    /// <summary>A result measured elsewhere (pgbench).</summary>
    public static LoadResult Of(int clients, long operations, double seconds, IReadOnlyList<double> latenciesMs, long errors = 0) =>
        new(clients, operations, errors, seconds, Percentile(latenciesMs, 0.50), Percentile(latenciesMs, 0.95), Percentile(latenciesMs, 0.99), false);

    /// <summary>
    /// Several runs of the same load as one: operations, errors and seconds added (so the throughput is
    /// over all windows), each latency percentile the worst of the runs' (the runs' latencies are not kept).
    /// </summary>
    public static LoadResult Combine(IReadOnlyList<LoadResult> runs) =>
        new(runs[0].Clients, runs.Sum(r => r.Operations), runs.Sum(r => r.Errors), runs.Sum(r => r.Seconds),
            runs.Max(r => r.P50), runs.Max(r => r.P95), runs.Max(r => r.P99), runs.Any(r => r.Exhausted));

    /// <summary>The nearest-rank percentile of unsorted values.</summary>
    public static double Percentile(IReadOnlyList<double> values, double fraction)
    {
        if (values.Count == 0)
            return double.NaN;
        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(fraction * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}

/// <summary>
/// A closed-loop load generator: N workers each run one operation after another, first for a
/// warm-up (not counted), then for a fixed measured window. An operation returns true when it
/// succeeded, false when it failed (counted as an error), or null when there is no more work
/// (the run ends early and is marked exhausted).
/// </summary>
internal static class LoadRun
{
    public static async Task<LoadResult> RunAsync(int clients, TimeSpan warmup, TimeSpan duration, Func<int, CancellationToken, Task<bool?>> operation, Action? sample = null)
    {
        var clock = Stopwatch.StartNew();
        var start = warmup;
        var end = warmup + duration;
        var latencies = new List<double>[clients];
        var errors = new long[clients];
        var exhausted = 0;
        var lastCompletion = TimeSpan.Zero;
        using var stop = new CancellationTokenSource(end + TimeSpan.FromSeconds(30));

        async Task Worker(int worker)
        {
            var mine = latencies[worker] = new List<double>(4096);
            while (clock.Elapsed < end && Volatile.Read(ref exhausted) == 0)
            {
                var began = clock.Elapsed;
                bool? ok;
                try
                {
                    ok = await operation(worker, stop.Token);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidOperationException)
                {
                    ok = false;
                }

                var finished = clock.Elapsed;
                if (ok is null)
                {
                    Interlocked.Exchange(ref exhausted, 1);
                    break;
                }

                if (began < start || finished > end)
                    continue;
                if (ok.Value)
                    mine.Add((finished - began).TotalMilliseconds);
                else
                    errors[worker]++;
                lock (latencies)
                {
                    if (finished > lastCompletion)
                        lastCompletion = finished;
                }
            }
        }

        var workers = Enumerable.Range(0, clients).Select(i => Task.Run(() => Worker(i))).ToArray();
        if (sample is not null)
        {
            while (!Task.WhenAll(workers).IsCompleted)
            {
                sample();
                await Task.WhenAny(Task.WhenAll(workers), Task.Delay(200));
            }
        }

        await Task.WhenAll(workers);
        var all = latencies.SelectMany(l => l).ToList();
        var window = exhausted == 1 ? Math.Max(0, (lastCompletion - start).TotalSeconds) : duration.TotalSeconds;
        return new LoadResult(clients, all.Count, errors.Sum(), window, LoadResult.Percentile(all, 0.50), LoadResult.Percentile(all, 0.95), LoadResult.Percentile(all, 0.99), exhausted == 1);
    }
}
