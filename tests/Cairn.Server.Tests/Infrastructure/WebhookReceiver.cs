using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StandardWebhooks;

namespace Cairn.Server.Tests.Infrastructure;

/// <summary>A request a <see cref="WebhookReceiver"/> got: the Standard Webhooks headers, Cairn's attempt header, the body, and what it answered.</summary>
public sealed record ReceivedWebhook(string Id, string Timestamp, string Signature, int Attempt, string Body, int Answered)
{
    /// <summary>The headers as the verifier reads them.</summary>
    public IHeaderDictionary Headers() => new HeaderDictionary
    {
        ["webhook-id"] = Id,
        ["webhook-timestamp"] = Timestamp,
        ["webhook-signature"] = Signature,
    };
}

/// <summary>
/// A real HTTP receiver on a loopback port (Kestrel), built on the <c>StandardWebhooks</c> verifier:
/// with <see cref="Secret"/> set it answers 400 to a request whose signature does not verify, else the
/// next scripted answer (<see cref="AnswerNext"/>) or 200.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<(int Status, string? RetryAfter, string Body)> _answers = new();

    private WebhookReceiver(WebApplication app) => _app = app;

    /// <summary>Every request received, in order.</summary>
    public ConcurrentQueue<ReceivedWebhook> Received { get; } = new();

    /// <summary>The endpoint's <c>whsec_</c> secret the receiver verifies with; null to accept anything.</summary>
    public string? Secret { get; set; }

    /// <summary>The receiver's URL: <c>http://127.0.0.1:{port}/hooks/cairn</c>.</summary>
    public string Url { get; private set; } = "";

    /// <summary>The settings that let Cairn reach this receiver (plain http on 127.0.0.1).</summary>
    public static Dictionary<string, string?> AllowLoopback() => new() { ["Cairn:Webhooks:AllowedHosts"] = "127.0.0.1" };

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/hooks/cairn", receiver.ReceiveAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.Url = address.TrimEnd('/') + "/hooks/cairn";
        return receiver;
    }

    /// <summary>Answers the next request with a status (and a <c>Retry-After</c> value when given), before any scripted earlier.</summary>
    public void AnswerNext(int status, string? retryAfter = null, string body = "") => _answers.Enqueue((status, retryAfter, body));

    /// <summary>The status answered when nothing is scripted (200 unless a test makes the receiver fail).</summary>
    public int DefaultStatus { get; set; } = 200;

    /// <summary>
    /// Whether the StandardWebhooks verifier accepts a request with this body and secret. The header may
    /// list several signatures (during a rotation); as the specification asks, each is tried: the package's
    /// <c>Verify</c> (1.1.2) compares only the first of a list, so it is given one signature at a time.
    /// </summary>
    public static bool Verifies(ReceivedWebhook received, string secret, string? body = null) =>
        received.Signature.Split(' ', StringSplitOptions.RemoveEmptyEntries).Any(signature =>
        {
            try
            {
                new StandardWebhook(secret).Verify(body ?? received.Body, (received with { Signature = signature }).Headers());
                return true;
            }
            catch (StandardWebhooks.Diagnostics.WebhookVerificationException)
            {
                return false;
            }
        });

    private async Task ReceiveAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        var headers = context.Request.Headers;
        var attempt = int.TryParse(headers["cairn-attempt"], out var n) ? n : 0;
        var received = new ReceivedWebhook(headers["webhook-id"].ToString(), headers["webhook-timestamp"].ToString(), headers["webhook-signature"].ToString(), attempt, body, 0);
        if (Secret is { } secret && !Verifies(received, secret))
        {
            Received.Enqueue(received with { Answered = 400 });
            context.Response.StatusCode = 400;
            return;
        }

        var (status, retryAfter, text) = _answers.TryDequeue(out var answer) ? answer : (DefaultStatus, null, DefaultStatus == 200 ? "thanks" : "not now");
        // Recorded before answering: when Cairn has read the answer, the test sees the request.
        Received.Enqueue(received with { Answered = status });
        context.Response.StatusCode = status;
        if (retryAfter is not null)
            context.Response.Headers.RetryAfter = retryAfter;
        await context.Response.WriteAsync(text);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
