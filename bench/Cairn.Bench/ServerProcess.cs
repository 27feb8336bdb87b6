using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Cairn.Bench;

/// <summary>How to start the real Cairn server: its Release build and its database (PostgreSQL or a SQLite data folder).</summary>
internal sealed record ServerCommand(string ServerDll, string? Postgres, string? DataDirectory, string LogFile)
{
    /// <summary>When set, start-up also waits for the first 200 from an authenticated API read (<see cref="ServerProcess.FirstApiAnswerTime"/>).</summary>
    public string? ApiKey { get; init; }

    /// <summary><c>Cairn:*</c> settings for the server, by key without the prefix (e.g. <c>Webhooks:AllowedHosts</c>), passed as <c>Cairn__…</c> environment variables.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();
}

/// <summary>Resident memory of a process, from <c>/proc/&lt;pid&gt;/status</c>: now (VmRSS) and its peak (VmHWM).</summary>
internal readonly record struct Memory(long RssKiB, long PeakKiB)
{
    public double RssMiB => RssKiB / 1024.0;

    public double PeakMiB => PeakKiB / 1024.0;
}

/// <summary>
/// One Cairn server process on a free loopback port. It is only ever ended by its own pid: <see cref="Kill"/>
/// sends SIGKILL (a crash, as far as the server can tell), and a restart starts a new process on the same port.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private static readonly HashSet<ServerProcess> Running = [];
    private static readonly PosixSignalRegistration[] OnSignals =
        [.. new[] { PosixSignal.SIGTERM, PosixSignal.SIGINT, PosixSignal.SIGHUP }.Select(s => PosixSignalRegistration.Create(s, _ => KillAll()))];
    private readonly ServerCommand _command;
    private readonly HttpClient _probe = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero }) { Timeout = TimeSpan.FromSeconds(2) };
    private readonly StreamWriter _log;
    private Process? _process;

    private ServerProcess(ServerCommand command, int port)
    {
        _command = command;
        Port = port;
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
        _log = new StreamWriter(File.Open(command.LogFile, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
    }

    public int Port { get; }

    public Uri BaseAddress { get; }

    /// <summary>The pid of the running server.</summary>
    public int Pid => _process?.Id ?? throw new InvalidOperationException("the server is not running");

    /// <summary>From starting the process to the first 200 from <c>/healthz</c>, for the latest start.</summary>
    public TimeSpan StartupTime { get; private set; }

    /// <summary>From starting the process to the first 200 from <c>GET /api/v1/clients</c> with the command's API key (zero without one).</summary>
    public TimeSpan FirstApiAnswerTime { get; private set; }

    /// <summary>Starts a server on a free port and waits until <c>/healthz</c> answers 200.</summary>
    public static async Task<ServerProcess> StartAsync(ServerCommand command, CancellationToken cancellationToken = default)
    {
        var server = new ServerProcess(command, FreePort());
        GC.KeepAlive(OnSignals);
        lock (Running)
            Running.Add(server);
        try
        {
            await server.LaunchAsync(cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts the server again (same port, same database) after it was killed or stopped.</summary>
    public Task RestartAsync(CancellationToken cancellationToken = default)
    {
        if (_process is { HasExited: false })
            throw new InvalidOperationException("the server is still running");
        _process?.Dispose();
        _process = null;
        return LaunchAsync(cancellationToken);
    }

    /// <summary>SIGKILL by pid, then waits (bounded) for the process to be gone.</summary>
    public void Kill()
    {
        if (_process is null || _process.HasExited)
            return;
        _process.Kill(entireProcessTree: false);
        if (!_process.WaitForExit(TimeSpan.FromSeconds(30)))
            throw new InvalidOperationException($"server pid {_process.Id} did not exit after SIGKILL");
        _log.WriteLine($"--- bench: killed pid {_process.Id} with SIGKILL at {DateTimeOffset.UtcNow:O}");
    }

    /// <summary>Kills every server this process started (on SIGTERM/SIGINT, so none outlives the benchmark).</summary>
    public static void KillAll()
    {
        lock (Running)
        {
            foreach (var server in Running)
                server.Kill();
        }
    }

    /// <summary>Whether the process is still running.</summary>
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>The server's resident memory now and at its peak.</summary>
    public Memory ReadMemory()
    {
        long rss = 0, peak = 0;
        foreach (var line in File.ReadLines($"/proc/{Pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                rss = KiB(line);
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                peak = KiB(line);
        }

        return new Memory(rss, peak);

        static long KiB(string line) => long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        lock (Running)
            Running.Remove(this);
        Kill();
        _process?.Dispose();
        _probe.Dispose();
        await _log.DisposeAsync();
    }

    private async Task LaunchAsync(CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(_command.ServerDll);
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add(BaseAddress.ToString().TrimEnd('/'));
        if (_command.Postgres is { } postgres)
        {
            info.ArgumentList.Add("--postgres");
            info.ArgumentList.Add(postgres);
        }
        else
        {
            info.ArgumentList.Add("--data-dir");
            info.ArgumentList.Add(_command.DataDirectory ?? throw new InvalidOperationException("a server needs --postgres or a data directory"));
        }

        info.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (key, value) in _command.Settings)
            info.Environment["Cairn__" + key.Replace(":", "__", StringComparison.Ordinal)] = value;
        var clock = Stopwatch.StartNew();
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start dotnet");
        _process = process;
        process.OutputDataReceived += (_, e) => Write(e.Data);
        process.ErrorDataReceived += (_, e) => Write(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        while (clock.Elapsed < StartTimeout)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (process.HasExited)
                throw new InvalidOperationException($"the server exited with status {process.ExitCode} before answering; see {_command.LogFile}");
            try
            {
                using var answer = await _probe.GetAsync(new Uri(BaseAddress, "/healthz"), cancellationToken);
                if (answer.StatusCode == HttpStatusCode.OK)
                {
                    StartupTime = clock.Elapsed;
                    if (_command.ApiKey is { } key)
                        FirstApiAnswerTime = await FirstApiAnswerAsync(key, clock, cancellationToken);
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // The probe timed out; try again.
            }

            await Task.Delay(10, cancellationToken);
        }

        Kill();
        throw new TimeoutException($"the server did not answer /healthz within {StartTimeout.TotalSeconds} s; see {_command.LogFile}");
    }

    private async Task<TimeSpan> FirstApiAnswerAsync(string key, Stopwatch clock, CancellationToken cancellationToken)
    {
        while (clock.Elapsed < StartTimeout)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(BaseAddress, "/api/v1/clients?limit=1"));
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
            using var answer = await _probe.SendAsync(request, cancellationToken);
            if (answer.StatusCode == HttpStatusCode.OK)
                return clock.Elapsed;
            await Task.Delay(10, cancellationToken);
        }

        throw new TimeoutException($"the server did not answer an API read within {StartTimeout.TotalSeconds} s; see {_command.LogFile}");
    }

    private void Write(string? line)
    {
        if (line is null)
            return;
        lock (_log)
            _log.WriteLine(line);
    }

    /// <summary>A free TCP port on 127.0.0.1.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
