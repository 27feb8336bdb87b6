using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace Cairn.Bench;

/// <summary>
/// nginx as the reverse proxy in front of several Cairn servers: a configuration written into its own
/// folder (round robin over the upstreams, HTTP/1.1 keep-alive to them), run in the foreground as our
/// child and ended by its pid.
/// </summary>
internal sealed class Nginx : IAsyncDisposable
{
    private readonly Process _process;

    private Nginx(Process process, int port)
    {
        _process = process;
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
    }

    public Uri BaseAddress { get; }

    public static async Task<Nginx> StartAsync(string nginx, string folder, IEnumerable<int> upstreams)
    {
        Directory.CreateDirectory(folder);
        // Worker processes of an nginx started as root run as nobody: they must reach the temp folders.
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(folder, (UnixFileMode)0x1FF);
        var port = FreePort();
        var servers = string.Concat(upstreams.Select(p => string.Create(CultureInfo.InvariantCulture, $"    server 127.0.0.1:{p};\n")));
        var config = Path.Combine(folder, "nginx.conf");
        await File.WriteAllTextAsync(config, string.Create(CultureInfo.InvariantCulture, $$"""
            worker_processes 1;
            daemon off;
            pid {{folder}}/nginx.pid;
            error_log {{folder}}/error.log warn;
            events { worker_connections 1024; }
            http {
              access_log off;
              client_body_temp_path {{folder}}/body;
              proxy_temp_path {{folder}}/proxy;
              fastcgi_temp_path {{folder}}/fastcgi;
              uwsgi_temp_path {{folder}}/uwsgi;
              scgi_temp_path {{folder}}/scgi;
              upstream cairn {
            {{servers}}    keepalive 64;
              }
              server {
                listen 127.0.0.1:{{port}};
                location / {
                  proxy_pass http://cairn;
                  proxy_http_version 1.1;
                  proxy_set_header Connection "";
                  proxy_set_header Host $host;
                  proxy_set_header X-Forwarded-For $remote_addr;
                  proxy_set_header X-Forwarded-Proto $scheme;
                }
              }
            }
            """));
        var info = new ProcessStartInfo(nginx) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { "-p", folder, "-c", config })
            info.ArgumentList.Add(argument);
        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {nginx}");
        var proxy = new Nginx(process, port);
        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (process.HasExited)
                throw new InvalidOperationException($"nginx exited ({process.ExitCode}): {await process.StandardError.ReadToEndAsync()}");
            try
            {
                using var answer = await probe.GetAsync(new Uri(proxy.BaseAddress, "/healthz"));
                if (answer.IsSuccessStatusCode)
                    return proxy;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }

            await Task.Delay(100);
        }

        await proxy.DisposeAsync();
        throw new InvalidOperationException("nginx did not answer /healthz within 30 s");
    }

    /// <summary>Ends nginx and its worker by their pids (it holds no state worth a graceful stop here).</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(wait.Token);
        }

        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
