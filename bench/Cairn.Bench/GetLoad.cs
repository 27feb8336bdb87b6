using System.Globalization;
using System.Net.Http.Headers;

namespace Cairn.Bench;

/// <summary>
/// <c>get</c>: a closed-loop GET load on one URL of a running server, for working on a hot path
/// with a profiler attached; prints throughput, latency percentiles and the server's CPU per request.
/// </summary>
internal static class GetLoad
{
    public static async Task<int> RunAsync(Options options)
    {
        var url = new Uri(options.Required("url"));
        var clients = options.Int("clients", 1);
        var seconds = options.Int("seconds", 10);
        var serverPid = options.Optional("pid") is { } p ? int.Parse(p, CultureInfo.InvariantCulture) : (int?)null;
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = clients });
        if (options.Optional("key") is { } key)
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var cpuBefore = serverPid is { } before ? CpuSeconds(before) : 0;
        var result = await LoadRun.RunAsync(clients, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(seconds), async (_, ct) =>
        {
            using var response = await http.GetAsync(url, ct);
            await response.Content.ReadAsByteArrayAsync(ct);
            return response.IsSuccessStatusCode;
        });
        var cpu = serverPid is { } after ? CpuSeconds(after) - cpuBefore : double.NaN;
        var requests = result.Throughput * (seconds + 2);
        Console.WriteLine(FormattableString.Invariant(
            $"{clients} clients: {result.Throughput:0}/s, p50 {result.P50:0.00} ms, p99 {result.P99:0.00} ms, errors {result.Errors}{(serverPid is null ? "" : $", server CPU {1000 * cpu / requests:0.000} ms per request")}"));
        return 0;
    }

    private static double CpuSeconds(int pid)
    {
        using var process = System.Diagnostics.Process.GetProcessById(pid);
        return process.TotalProcessorTime.TotalSeconds;
    }
}
