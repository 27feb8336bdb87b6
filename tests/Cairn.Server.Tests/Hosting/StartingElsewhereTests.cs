using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Cairn.Server.Tests.Infrastructure;

namespace Cairn.Server.Tests.Hosting;

/// <summary>
/// The server as people start it (issue 12, stumbles 1 and 2): `dotnet Cairn.Server.dll` from a
/// folder that is not its own still serves every asset its pages link to, keeps its data in
/// ./data of the folder it was started in, and says at start-up where the data and the emails are.
/// </summary>
public abstract partial class StartingElsewhereTests<TEngine>(TEngine engine) : IClassFixture<TEngine>
    where TEngine : Engine
{
    [Fact]
    public async Task Started_from_another_folder_it_serves_every_asset_and_says_where_the_data_and_mail_are()
    {
        var folder = Directory.CreateTempSubdirectory("cairn-elsewhere-").FullName;
        var port = FreePort();
        var (server, output) = Start(engine, folder, port);
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            await WaitUntilServingAsync(http, server, output);

            // First start on an empty database leads to /setup: the page a newcomer sees first.
            var page = await http.GetStringAsync("/setup");
            var assets = Asset().Matches(page).Select(m => m.Groups[1].Value).Where(u => u.StartsWith('/')).Distinct().ToList();
            Assert.Contains(assets, a => a.StartsWith("/cairn.css", StringComparison.Ordinal));
            foreach (var asset in assets)
                Assert.True((await http.GetAsync(asset)).StatusCode == HttpStatusCode.OK, $"{asset} does not answer 200");
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/contract-preview.js")).StatusCode);

            var log = string.Join('\n', output);
            var data = Path.Combine(folder, "data");
            Assert.Contains($"Data folder: {data}", log);
            Assert.Contains($"Mail: written as .eml files to {Path.Combine(data, "mail")}", log);
            if (engine.Settings.IsPostgres)
            {
                Assert.Matches(@"Database: PostgreSQL database cairn_\w+ on ", log);
                Assert.DoesNotContain("Password", log, StringComparison.OrdinalIgnoreCase);
            }
            else
            {
                Assert.Contains($"Database: {Path.Combine(data, "cairn.db")}", log);
                Assert.True(File.Exists(Path.Combine(data, "cairn.db")), "the database is not in ./data of the folder the server started in");
            }
        }
        finally
        {
            await StopAsync(server, folder);
        }
    }

    /// <summary>
    /// A new user's trial: started with <c>--urls http://127.0.0.1:5081</c> (the README gives it beside <c>--port</c>),
    /// the "milestone submitted" email linked to the default port 5080, which nothing answered. Emails leave from the
    /// outbox, outside any request, so without <c>Cairn:PublicUrl</c> their links now take the address the server listens on.
    /// </summary>
    [Fact]
    public async Task Started_with_urls_its_emailed_links_point_where_it_listens()
    {
        var folder = Directory.CreateTempSubdirectory("cairn-urls-").FullName;
        var port = FreePort();
        var (server, output) = Start(engine, folder, FreePort(), "--urls", $"http://127.0.0.1:{port}");
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            await WaitUntilServingAsync(http, server, output);
            for (var attempt = 0; attempt < 100 && !output.Any(l => l.Contains("Emailed links start with", StringComparison.Ordinal)); attempt++)
                await Task.Delay(50);
            Assert.Contains($"Emailed links start with http://127.0.0.1:{port}", string.Join('\n', output));
        }
        finally
        {
            await StopAsync(server, folder);
        }
    }

    [Theory]
    [InlineData("http://127.0.0.1:5081", "http://127.0.0.1:5081")]
    [InlineData("http://0.0.0.0:8080", "http://localhost:8080")]
    [InlineData("http://[::]:5080", "http://localhost:5080")]
    [InlineData("http://+:9000", "http://localhost:9000")]
    [InlineData("http://*:9001", "http://localhost:9001")]
    [InlineData("https://billing.acme.test:8443", "https://billing.acme.test:8443")]
    [InlineData("http://[::1]:5082", "http://[::1]:5082")]
    public void The_link_base_is_the_first_listening_address_with_a_wildcard_host_read_as_localhost(string address, string expected) =>
        Assert.Equal(expected, Cairn.Server.Hosting.LinkBaseOf([address]));

    [Fact]
    public void Without_a_listening_http_address_there_is_no_link_base() =>
        Assert.Null(Cairn.Server.Hosting.LinkBaseOf(["unix:/tmp/cairn.sock"]));

    internal static (Process Server, System.Collections.Concurrent.ConcurrentQueue<string> Output) Start(Engine database, string folder, int port, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Cairn.Server.dll"));
        start.ArgumentList.Add("--port");
        start.ArgumentList.Add(port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (database.Settings.IsPostgres)
        {
            start.ArgumentList.Add("--postgres");
            start.ArgumentList.Add(database.Settings.ConnectionString);
        }

        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        foreach (var name in new[] { "ASPNETCORE_URLS", "ASPNETCORE_CONTENTROOT", "DOTNET_CONTENTROOT", "CAIRN_DATA_DIR", "CAIRN_POSTGRES", "CAIRN_PORT", "CAIRN_DEMO" })
            start.Environment.Remove(name);
        var server = Process.Start(start)!;
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        server.OutputDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
        server.ErrorDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        return (server, output);
    }

    internal static async Task StopAsync(Process server, string folder)
    {
        server.Kill(entireProcessTree: true);
        await server.WaitForExitAsync();
        server.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // The OS cleans the temp folder.
        }
    }

    internal static async Task WaitUntilServingAsync(HttpClient http, Process server, IEnumerable<string> output, int attempts = 600)
    {
        for (var attempt = 0; attempt < attempts; attempt++)
        {
            Assert.False(server.HasExited, "the server exited: " + string.Join('\n', output));
            try
            {
                if ((await http.GetAsync("/livez")).IsSuccessStatusCode)
                    return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        Assert.Fail("the server never answered /livez: " + string.Join('\n', output));
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex("<(?:link|script|img)\\b[^>]*\\b(?:href|src)=\"([^\"]+)\"")]
    private static partial Regex Asset();
}

public sealed class SqliteStartingElsewhere(SqliteEngine engine) : StartingElsewhereTests<SqliteEngine>(engine);

public sealed class PostgresStartingElsewhere(PostgresEngine engine) : StartingElsewhereTests<PostgresEngine>(engine);

/// <summary>The demo as the README starts it (issue 12, stumble 9), each engine on a database of its own.</summary>
public abstract class StartingTheDemoTests<TEngine>(TEngine engine) : IClassFixture<TEngine>
    where TEngine : Engine
{
    /// <summary>Issue 12, stumble 9: following the README, `--demo` after your own first start does not seed the demo into your books.</summary>
    [Fact]
    public async Task The_demo_lives_in_a_data_folder_of_its_own()
    {
        var folder = Directory.CreateTempSubdirectory("cairn-demo-").FullName;
        var port = StartingElsewhereTests<TEngine>.FreePort();
        var (server, output) = StartingElsewhereTests<TEngine>.Start(engine, folder, port, "--demo");
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            // Seeding four months of demo books takes a while on a busy machine: wait up to five minutes.
            await StartingElsewhereTests<TEngine>.WaitUntilServingAsync(http, server, output, attempts: 3000);

            var log = string.Join('\n', output);
            Assert.Contains("Demo organization 'Northwind Studio (demo)' created", log);
            if (engine.Settings.IsPostgres)
            {
                // A PostgreSQL database is named explicitly: the demo goes where it is told, and no folder is made.
                Assert.False(Directory.Exists(Path.Combine(folder, CairnOptions.DemoDataDirectory)));
            }
            else
            {
                var demo = Path.Combine(folder, CairnOptions.DemoDataDirectory);
                Assert.Contains($"Data folder: {demo}", log);
                Assert.Contains($"Database: {Path.Combine(demo, "cairn.db")}", log);
                Assert.True(File.Exists(Path.Combine(demo, "cairn.db")), "the demo database is not in ./demo-data");
                Assert.False(Directory.Exists(Path.Combine(folder, "data")), "the demo touched ./data, where the user's own organization lives");
            }
        }
        finally
        {
            await StartingElsewhereTests<TEngine>.StopAsync(server, folder);
        }
    }

}

public sealed class SqliteStartingTheDemo(SqliteEngine engine) : StartingTheDemoTests<SqliteEngine>(engine);

public sealed class PostgresStartingTheDemo(PostgresEngine engine) : StartingTheDemoTests<PostgresEngine>(engine);
