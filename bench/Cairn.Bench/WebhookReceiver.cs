using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StandardWebhooks;

namespace Cairn.Bench;

/// <summary>One request the receiver got, as it wrote it down before answering.</summary>
/// <param name="Id">The <c>webhook-id</c> header: <c>msg_</c>, the event's outbox id and the endpoint's id.</param>
/// <param name="Attempt">Cairn's <c>cairn-attempt</c> header.</param>
/// <param name="Verified">Whether the <c>StandardWebhooks</c> verifier accepted the signature over the exact body.</param>
/// <param name="Answered">The status the receiver answered.</param>
/// <param name="Body">The request body: the event (<c>type</c>, <c>timestamp</c>, <c>data</c>).</param>
internal sealed record ReceivedWebhook(string Id, int Attempt, bool Verified, int Answered, string Body)
{
    /// <summary>The event's outbox id, in the <c>N</c> format (as in the event's emails' Message-ID, <c>evt_{id}_…</c>).</summary>
    public string EventId => Id.Split('_') is [_, var eventId, ..] ? eventId : "";
}

/// <summary>
/// The crash test's webhook receiver: a process of its own on a loopback port (Kestrel), so the server's
/// kills never touch it. Every request is checked with the <c>StandardWebhooks</c> verifier (the secret
/// comes in the <c>CAIRN_BENCH_WEBHOOK_SECRET</c> environment variable), written as one JSON line to the
/// output file and flushed, then answered: 400 when the signature fails, 503 to the first attempt of one
/// delivery in <c>--fail-every</c> (so retries are exercised), else 200.
/// </summary>
internal static class WebhookReceiver
{
    /// <summary>The path the receiver listens on.</summary>
    public const string Path = "/hooks/cairn";

    /// <summary>The environment variable that hands the receiver the endpoint's <c>whsec_</c> secret.</summary>
    public const string SecretVariable = "CAIRN_BENCH_WEBHOOK_SECRET";

    /// <summary><c>webhook-receiver --port P --out file [--fail-every 8]</c>: runs until the process is ended.</summary>
    public static async Task<int> RunAsync(Options options)
    {
        var port = options.Int("port", 0);
        var output = options.Required("out");
        var failEvery = options.Int("fail-every", 8);
        var secret = Environment.GetEnvironmentVariable(SecretVariable) is { Length: > 0 } s ? s : throw new ArgumentException($"{SecretVariable} must hold the endpoint's secret");
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        await using var app = builder.Build();
        await using var log = new StreamWriter(File.Open(output, FileMode.Append, FileAccess.Write, FileShare.Read)) { AutoFlush = true };
        app.MapPost(Path, async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var headers = context.Request.Headers;
            var id = headers["webhook-id"].ToString();
            var attempt = int.TryParse(headers["cairn-attempt"], out var n) ? n : 0;
            var verified = Verifies(secret, id, headers["webhook-timestamp"].ToString(), headers["webhook-signature"].ToString(), body);
            var status = !verified ? 400 : attempt == 1 && failEvery > 0 && Bucket(id, failEvery) == 0 ? 503 : 200;
            var line = JsonSerializer.Serialize(new ReceivedWebhook(id, attempt, verified, status, body));
            // Written down before answering: once Cairn has read the answer, the request is on record.
            lock (log)
                log.WriteLine(line);
            context.Response.StatusCode = status;
            await context.Response.WriteAsync(status == 200 ? "thanks" : "not now");
        });
        await app.StartAsync();
        Console.WriteLine($"listening on http://127.0.0.1:{port}{Path}");
        await app.WaitForShutdownAsync();
        return 0;
    }

    /// <summary>Reads what the receiver wrote down; a line still being written is left for later.</summary>
    public static List<ReceivedWebhook> Read(string output)
    {
        var received = new List<ReceivedWebhook>();
        if (!File.Exists(output))
            return received;
        using var stream = File.Open(output, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            if (line.EndsWith('}'))
                received.Add(JsonSerializer.Deserialize<ReceivedWebhook>(line)!);
        }

        return received;
    }

    // Each signature of the header is tried (the package's Verify compares only the first of a list).
    private static bool Verifies(string secret, string id, string timestamp, string signatures, string body) =>
        signatures.Split(' ', StringSplitOptions.RemoveEmptyEntries).Any(signature =>
        {
            try
            {
                new StandardWebhook(secret).Verify(body, new HeaderDictionary
                {
                    ["webhook-id"] = id,
                    ["webhook-timestamp"] = timestamp,
                    ["webhook-signature"] = signature,
                });
                return true;
            }
            catch (StandardWebhooks.Diagnostics.WebhookVerificationException)
            {
                return false;
            }
        });

    private static int Bucket(string id, int buckets) => (int)(BitConverter.ToUInt32(SHA256.HashData(Encoding.UTF8.GetBytes(id)), 0) % (uint)buckets);
}

/// <summary>The receiver's process, started by the crash test and ended by its pid.</summary>
internal sealed class ReceiverProcess : IDisposable
{
    private readonly Process _process;

    private ReceiverProcess(Process process, string url, string output)
    {
        _process = process;
        Url = url;
        Output = output;
    }

    /// <summary>The URL to register as the webhook endpoint.</summary>
    public string Url { get; }

    /// <summary>The file of JSON lines the receiver writes.</summary>
    public string Output { get; }

    /// <summary>The receiver's pid.</summary>
    public int Pid => _process.Id;

    /// <summary>Starts <c>Cairn.Bench webhook-receiver</c> on a loopback port and waits (bounded) until it listens.</summary>
    public static async Task<ReceiverProcess> StartAsync(string secret, int port, string output, int failEvery)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { typeof(WebhookReceiver).Assembly.Location, "webhook-receiver", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--out", output, "--fail-every", failEvery.ToString(System.Globalization.CultureInfo.InvariantCulture) })
            info.ArgumentList.Add(argument);
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment[WebhookReceiver.SecretVariable] = secret;
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start the webhook receiver");
        var receiver = new ReceiverProcess(process, $"http://127.0.0.1:{port}{WebhookReceiver.Path}", output);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { Length: > 0 } line)
                Console.Error.WriteLine($"webhook receiver: {line}");
        };
        process.BeginErrorReadLine();
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            while (await process.StandardOutput.ReadLineAsync(cancel.Token) is { } line)
            {
                if (line.StartsWith("listening on ", StringComparison.Ordinal))
                    return receiver;
            }
        }
        catch (OperationCanceledException)
        {
            // Fall through: it did not start in time.
        }

        receiver.Dispose();
        throw new InvalidOperationException("the webhook receiver did not start listening within 60 s");
    }

    /// <summary>Ends the receiver by its pid (bounded wait).</summary>
    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(TimeSpan.FromSeconds(30));
        }

        _process.Dispose();
    }
}
