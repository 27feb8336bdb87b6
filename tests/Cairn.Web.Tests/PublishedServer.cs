using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Cairn.Web.Tests;

/// <summary>
/// Cairn as the README's production recipe runs it: <c>dotnet publish src/Cairn.Server -c Release
/// -r linux-x64 -o &lt;folder&gt;</c> from the repository, then <c>dotnet &lt;folder&gt;/Cairn.Server.dll
/// --port &lt;n&gt;</c> started from another, empty folder, on SQLite, with no Cairn setting in the
/// environment: its data and the .eml files land in <c>./data</c> of that folder. The publish is
/// incremental (a few seconds once its build exists; the first one on a fresh clone compiles the
/// ready-to-run build, a few minutes on 2 cores).
/// </summary>
public sealed class PublishedServer : IAsyncLifetime, ICairnServer
{
    private readonly string _root = Directory.CreateTempSubdirectory("cairn-published-").FullName;
    private readonly ConcurrentQueue<string> _output = new();
    private Process? _server;

    /// <summary>Where the published build goes (the README's <c>/opt/cairn</c>).</summary>
    public string InstallDirectory => Path.Combine(_root, "opt", "cairn");

    /// <summary>The folder the server is started from (the README's "another folder").</summary>
    public string WorkingDirectory => Path.Combine(_root, "home");

    /// <inheritdoc/>
    public string BaseUrl { get; private set; } = "";

    /// <summary>What the server wrote to standard output and standard error so far.</summary>
    public string Log => string.Join('\n', _output);

    public async Task InitializeAsync()
    {
        var repository = RepositoryRoot();
        var publish = Start(repository, "publish", "src/Cairn.Server", "-c", "Release", "-r", "linux-x64", "-o", InstallDirectory, "-nologo", "-v", "quiet");
        var publishLog = new ConcurrentQueue<string>();
        Collect(publish, publishLog);
        await publish.WaitForExitAsync();
        Assert.True(publish.ExitCode == 0, "dotnet publish failed:\n" + string.Join('\n', publishLog));

        Directory.CreateDirectory(WorkingDirectory);
        var port = FreePort();
        _server = Start(WorkingDirectory, Path.Combine(InstallDirectory, "Cairn.Server.dll"), "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Collect(_server, _output);

        // The README's address: http://localhost:<port>.
        BaseUrl = $"http://localhost:{port}";
        using var http = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        for (var attempt = 0; ; attempt++)
        {
            Assert.False(_server.HasExited, "the published server exited:\n" + Log);
            try
            {
                if ((await http.GetAsync("/livez")).IsSuccessStatusCode)
                    break;
            }
            catch (HttpRequestException) when (attempt < 600)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            if (!_server.HasExited)
                _server.Kill(entireProcessTree: true);
            await _server.WaitForExitAsync();
            _server.Dispose();
        }

        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // The OS cleans the temp folder.
        }
    }

    /// <summary>The data folder the README promises: <c>./data</c> of the folder the server started in.</summary>
    public string DataDirectory => Path.Combine(WorkingDirectory, "data");

    /// <inheritdoc/>
    public string LinkInLastMailTo(string address, string prefix) => Mailbox.LinkInLastMailTo(Path.Combine(DataDirectory, "mail"), address, prefix);

    // A `dotnet` command as a person types it: none of the test run's Cairn, ASP.NET Core or MSBuild settings leak into it.
    private static Process Start(string folder, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("CAIRN_", StringComparison.Ordinal) || k.StartsWith("ASPNETCORE_", StringComparison.Ordinal)
                     || k.StartsWith("DOTNET_CONTENTROOT", StringComparison.Ordinal) || k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || k.StartsWith("VSTEST", StringComparison.Ordinal)).ToList())
            start.Environment.Remove(name);
        return Process.Start(start)!;
    }

    private static void Collect(Process process, ConcurrentQueue<string> lines)
    {
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lines.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lines.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Cairn.slnx")))
                return folder.FullName;
        }

        throw new InvalidOperationException("the test does not run from inside the repository (no Cairn.slnx above " + AppContext.BaseDirectory + ")");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
