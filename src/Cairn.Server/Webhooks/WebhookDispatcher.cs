using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Cairn.Domain;
using Cairn.Server.Data;
using Cairn.Server.Identity;
using Cairn.Server.Localization;
using Cairn.Server.Mail;
using Cairn.Server.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cairn.Server.Webhooks;

/// <summary>
/// Delivers webhook deliveries, at least once, as one pass of the outbox dispatcher: claims due rows
/// with a lease (PostgreSQL: <c>FOR UPDATE SKIP LOCKED</c>, so several instances never send the same
/// attempt), POSTs the event signed afresh, and records the attempt. A 2xx answer delivers it; 410 Gone
/// disables the endpoint; any other outcome is retried after the receiver's <c>Retry-After</c> or an
/// exponential backoff with jitter (<see cref="Backoff"/>) until <c>Cairn:Webhooks:RetryHours</c> have passed,
/// when the endpoint is disabled and its organization's owners are emailed.
/// </summary>
public sealed class WebhookDispatcher(IServiceScopeFactory scopes, TimeProvider clock, IOptions<CairnOptions> options, IHttpClientFactory http, WebhookSecrets secrets, MailQueue mail, ILogger<WebhookDispatcher> logger)
{
    /// <summary>The name of the <see cref="HttpClient"/> webhooks are sent with.</summary>
    public const string HttpClientName = "cairn-webhooks";

    /// <summary>The header carrying the delivery's attempt counter (Cairn's own; the others are Standard Webhooks').</summary>
    public const string AttemptHeader = "cairn-attempt";

    /// <summary>The longest wait between two attempts.</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromHours(12);

    /// <summary>Delivers every webhook due now, batch by batch; returns how many were delivered and how many attempts failed.</summary>
    public async Task<OutboxReport> RunOnceAsync(CancellationToken cancellationToken)
    {
        int delivered = 0, failed = 0;
        while (true)
        {
            List<Guid> claimed;
            await using (var scope = scopes.CreateAsyncScope())
                claimed = await OutboxDispatcher.ClaimAsync(scope.ServiceProvider.GetRequiredService<CairnDb>(), "webhook_deliveries", clock.GetUtcNow(), OutboxDispatcher.LeaseOf(options.Value), cancellationToken);
            if (claimed.Count == 0)
                return new OutboxReport(delivered, failed);
            foreach (var id in claimed)
            {
                if (await DeliverAsync(id, cancellationToken))
                    delivered++;
                else
                    failed++;
            }
        }
    }

    /// <summary>
    /// The wait after the given number of failed attempts: <c>Cairn:Webhooks:RetryBaseSeconds</c> doubling
    /// with each, at most <see cref="MaxDelay"/>, times a jitter factor from 0.8 to 1.2 drawn from the
    /// webhook id and the attempt (so retries of many deliveries spread out, yet each schedule is reproducible).
    /// </summary>
    public static TimeSpan Backoff(int attempts, string webhookId, int baseSeconds)
    {
        var raw = Math.Min(MaxDelay.TotalSeconds, baseSeconds * Math.Pow(2, Math.Clamp(attempts - 1, 0, 30)));
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{webhookId}/{attempts.ToString(CultureInfo.InvariantCulture)}"));
        var jitter = 0.8 + (0.4 * BitConverter.ToUInt32(hash, 0) / uint.MaxValue);
        return TimeSpan.FromMilliseconds(Math.Round(raw * jitter * 1000, MidpointRounding.AwayFromZero));
    }

    private async Task<bool> DeliverAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CairnDb>();
        var delivery = await db.WebhookDeliveries.IgnoreQueryFilters().AsNoTracking().SingleAsync(d => d.Id == id, cancellationToken);
        db.TenantId = delivery.OrganizationId;
        var endpoint = await db.WebhookEndpoints.AsNoTracking().SingleAsync(e => e.Id == delivery.EndpointId, cancellationToken);
        if (!endpoint.Enabled)
        {
            await FinishAsync(db, id, gaveUp: true, status: null, endpoint.DeletedAt is null ? "The endpoint is disabled." : "The endpoint was deleted.", cancellationToken);
            return false;
        }

        var body = (await db.OutboxMessages.AsNoTracking().SingleAsync(m => m.Id == delivery.EventId, cancellationToken)).Payload;
        var attempt = await SendAsync(endpoint, delivery, body, cancellationToken);
        var now = clock.GetUtcNow();
        var settings = options.Value.Webhooks;
        try
        {
            await Transactions.RunAsync(db, async () =>
            {
                db.WebhookAttempts.Add(new WebhookAttempt(delivery, delivery.Attempts, attempt.At, attempt.Status, attempt.LatencyMs, attempt.Response, attempt.Error));
                if (attempt.Status is >= 200 and < 300)
                {
                    await FinishAsync(db, id, gaveUp: false, attempt.Status, null, cancellationToken);
                }
                else if (attempt.Status == (int)HttpStatusCode.Gone)
                {
                    await FinishAsync(db, id, gaveUp: true, attempt.Status, "The receiver answered 410 Gone: the endpoint was disabled.", cancellationToken);
                    await DisableAsync(db, endpoint.Id, "The receiver answered 410 Gone.", notify: false, now, cancellationToken);
                }
                else
                {
                    var wait = attempt.RetryAfter ?? Backoff(delivery.Attempts, delivery.WebhookId, settings.RetryBaseSeconds);
                    var next = now + (wait < TimeSpan.Zero ? TimeSpan.Zero : wait);
                    if (next > delivery.RetryFrom + TimeSpan.FromHours(settings.RetryHours))
                    {
                        await FinishAsync(db, id, gaveUp: true, attempt.Status, attempt.Error ?? $"HTTP {attempt.Status}", cancellationToken);
                        await DisableAsync(db, endpoint.Id, $"Deliveries failed for {settings.RetryHours.ToString(CultureInfo.InvariantCulture)} hours.", notify: true, now, cancellationToken);
                    }
                    else
                    {
                        await db.WebhookDeliveries.Where(d => d.Id == id && d.DeliveredAt == null).ExecuteUpdateAsync(s => s
                            .SetProperty(d => d.LockedUntil, (long?)null)
                            .SetProperty(d => d.NextAttemptAt, next.ToUnixTimeMilliseconds())
                            .SetProperty(d => d.LastStatus, attempt.Status)
                            .SetProperty(d => d.LastError, attempt.Error ?? $"HTTP {attempt.Status}"), cancellationToken);
                    }
                }

                await db.SaveChangesAsync(cancellationToken);
                return true;
            }, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The lease runs out and the delivery is tried again: at least once, the webhook-id lets the receiver drop the repeat.
            logger.LogError(e, "Webhook delivery {Id}: recording attempt {Attempt} failed", id, delivery.Attempts);
            return false;
        }

        return attempt.Status is >= 200 and < 300;
    }

    private sealed record AttemptResult(DateTimeOffset At, int? Status, int LatencyMs, string? Response, string? Error, TimeSpan? RetryAfter);

    private async Task<AttemptResult> SendAsync(WebhookEndpoint endpoint, WebhookDelivery delivery, string body, CancellationToken cancellationToken)
    {
        var at = clock.GetUtcNow();
        // The signed timestamp is the wall clock: receivers compare it with theirs to refuse replays.
        var timestamp = TimeProvider.System.GetUtcNow();
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint.Url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("webhook-id", delivery.WebhookId);
        request.Headers.Add("webhook-timestamp", timestamp.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", secrets.Signature(endpoint, delivery.WebhookId, timestamp, body, at));
        request.Headers.Add(AttemptHeader, delivery.Attempts.ToString(CultureInfo.InvariantCulture));
        request.Headers.UserAgent.ParseAdd("Cairn-Webhooks/1");
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await http.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var snippet = await SnippetAsync(response, cancellationToken);
            TimeSpan? retryAfter = response.Headers.RetryAfter switch
            {
                { Delta: { } delta } => delta,
                { Date: { } date } => date - clock.GetUtcNow(),
                _ => null,
            };
            var status = (int)response.StatusCode;
            var error = status is >= 200 and < 300 ? null : $"HTTP {status.ToString(CultureInfo.InvariantCulture)} {response.ReasonPhrase}";
            return new AttemptResult(at, status, Elapsed(started), snippet, error, status is >= 200 and < 300 ? null : retryAfter);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            var reason = e is TaskCanceledException ? "The receiver did not answer in time." : $"{e.GetType().Name}: {e.Message}";
            return new AttemptResult(at, null, Elapsed(started), null, reason.Length > 500 ? reason[..500] : reason, null);
        }
    }

    private static int Elapsed(long started) => (int)Math.Min(int.MaxValue, Stopwatch.GetElapsedTime(started).TotalMilliseconds);

    private static async Task<string> SnippetAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[WebhookAttempt.ResponseBytes];
        var read = 0;
        while (read < buffer.Length && await stream.ReadAsync(buffer.AsMemory(read), cancellationToken) is var n and > 0)
            read += n;
        return Encoding.UTF8.GetString(buffer, 0, read);
    }

    private Task<int> FinishAsync(CairnDb db, Guid id, bool gaveUp, int? status, string? error, CancellationToken cancellationToken)
    {
        DateTimeOffset? now = clock.GetUtcNow();
        return db.WebhookDeliveries.Where(d => d.Id == id && d.DeliveredAt == null).ExecuteUpdateAsync(s => s
            .SetProperty(d => d.LockedUntil, (long?)null)
            .SetProperty(d => d.DeliveredAt, gaveUp ? null : now)
            .SetProperty(d => d.GaveUpAt, gaveUp ? now : null)
            .SetProperty(d => d.LastStatus, status)
            .SetProperty(d => d.LastError, error), cancellationToken);
    }

    private async Task DisableAsync(CairnDb db, Guid endpointId, string reason, bool notify, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var endpoint = await db.WebhookEndpoints.SingleAsync(e => e.Id == endpointId, cancellationToken);
        if (!endpoint.Enabled)
            return;
        endpoint.DisableBecause(reason);
        Billing.Audit.Record(db, endpoint.OrganizationId, "webhook_endpoint", endpoint.Id, "disabled", Actor.System, now, null, new { reason });
        if (!notify)
            return;
        var organization = await db.Organizations.AsNoTracking().SingleAsync(cancellationToken);
        var owners = await (from m in db.Memberships
                            join u in db.Users on m.UserId equals u.Id
                            where m.Role == Role.Owner && m.DeactivatedAt == null && m.AcceptedAt != null
                            select new { u.Email, u.DisplayName, u.Language }).ToListAsync(cancellationToken);
        if (owners.Count == 0 && organization.Email.Length > 0)
            owners.Add(new { organization.Email, DisplayName = organization.Name, Language = Language.En });
        var hours = options.Value.Webhooks.RetryHours.ToString(CultureInfo.InvariantCulture);
        var where = endpoint.Description.Length > 0 ? $"{endpoint.Url} ({endpoint.Description})" : endpoint.Url;
        foreach (var owner in owners)
        {
            // In each owner's language (English to the organization's address when no owner has signed up).
            var words = MailWording.For(owner.Language);
            var subject = Wording.Format(words.WebhookDisabledSubject, endpoint.Url);
            var text = $"""
                {Wording.Format(words.WebhookDisabledIntro, where)}

                {Wording.Format(words.WebhookDisabledFailing, hours)} {words.WebhookDisabledNext}
                """;
            mail.Add(db, endpoint.OrganizationId, "webhook_endpoint_disabled", now, new OutgoingMail(owner.Email, owner.DisplayName, subject, text));
        }
    }
}
