using Cairn.Server.Data;
using Cairn.Server.Identity;
using Cairn.Server.Webhooks;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Api;

/// <summary>
/// <c>/webhook-endpoints</c>: receivers of signed webhooks (Standard Webhooks), their secrets and
/// delivery logs, and <c>/webhook-deliveries/{id}/resend</c>. Owners only (<see cref="Permission.ManageSettings"/>).
/// </summary>
public static class WebhooksEndpoints
{
    public static void MapWebhooks(this RouteGroupBuilder api)
    {
        var endpoints = api.MapGroup("/webhook-endpoints").WithTags("Webhooks");

        endpoints.MapGet("/", async (CairnDb db, string? limit, string? cursor, CancellationToken ct) =>
        {
            var (take, after) = Cursor.Read(limit, cursor);
            var rows = await db.WebhookEndpoints.AsNoTracking().Where(e => e.DeletedAt == null && (after == null || e.Id.CompareTo(after.Value) > 0))
                .OrderBy(e => e.Id).Take(take + 1).ToListAsync(ct);
            return Results.Json(Cursor.Page(rows, take, e => e.Id, WebhookEndpointJson.Of), ApiJson.Options);
        }).Requires(Permission.ManageSettings).Produces<Page<WebhookEndpointJson>>();

        endpoints.MapPost("/", async (WebhookEndpointInput input, HttpContext http, Subscriptions subscriptions, CancellationToken ct) =>
        {
            var caller = http.Caller();
            var (endpoint, secret) = await subscriptions.CreateAsync(caller.OrganizationId, caller.Actor, input.ToChange(), ct);
            return Http.Created(http, $"/api/v1/webhook-endpoints/{endpoint.Id}", new NewWebhookSecretJson(WebhookEndpointJson.Of(endpoint), secret), endpoint.Version);
        }).Requires(Permission.ManageSettings).WithMetadata(SecretAnswer.Instance).Produces<NewWebhookSecretJson>(StatusCodes.Status201Created);

        endpoints.MapGet("/{id:guid}", async (Guid id, HttpContext http, CairnDb db, CancellationToken ct) =>
            await FindAsync(db, id, ct) is { } endpoint
                ? Http.WithETag(http, WebhookEndpointJson.Of(endpoint), endpoint.Version)
                : Problems.NotFound("webhook endpoint", id.ToString()).ToResult())
            .Requires(Permission.ManageSettings).Produces<WebhookEndpointJson>();

        endpoints.MapPatch("/{id:guid}", async (Guid id, WebhookEndpointInput input, HttpContext http, CairnDb db, Subscriptions subscriptions, CancellationToken ct) =>
        {
            if (await FindAsync(db, id, ct) is not { } endpoint)
                return Problems.NotFound("webhook endpoint", id.ToString()).ToResult();
            if (Http.CheckIfMatch(http, endpoint.Version) is { } stale)
                return stale;
            await subscriptions.UpdateAsync(endpoint, http.Caller().Actor, input.ToChange(), ct);
            return Http.WithETag(http, WebhookEndpointJson.Of(endpoint), endpoint.Version);
        }).Requires(Permission.ManageSettings).Produces<WebhookEndpointJson>();

        endpoints.MapDelete("/{id:guid}", async (Guid id, HttpContext http, CairnDb db, Subscriptions subscriptions, CancellationToken ct) =>
        {
            if (await FindAsync(db, id, ct) is not { } endpoint)
                return Problems.NotFound("webhook endpoint", id.ToString()).ToResult();
            await subscriptions.DeleteAsync(endpoint, http.Caller().Actor, ct);
            return Results.NoContent();
        }).Requires(Permission.ManageSettings).Produces(StatusCodes.Status204NoContent);

        endpoints.MapPost("/{id:guid}/rotate-secret", async (Guid id, HttpContext http, CairnDb db, Subscriptions subscriptions, CancellationToken ct) =>
        {
            if (await FindAsync(db, id, ct) is not { } endpoint)
                return Problems.NotFound("webhook endpoint", id.ToString()).ToResult();
            var (rotated, secret) = await subscriptions.RotateSecretAsync(endpoint, http.Caller().Actor, ct);
            return Results.Json(new NewWebhookSecretJson(WebhookEndpointJson.Of(rotated), secret), ApiJson.Options);
        }).Requires(Permission.ManageSettings).WithMetadata(SecretAnswer.Instance).Produces<NewWebhookSecretJson>();

        endpoints.MapGet("/{id:guid}/deliveries", async (Guid id, CairnDb db, string? limit, string? cursor, CancellationToken ct) =>
        {
            if (!await db.WebhookEndpoints.AnyAsync(e => e.Id == id, ct))
                return Problems.NotFound("webhook endpoint", id.ToString()).ToResult();
            var (take, after) = Cursor.Read(limit, cursor);
            // Newest first: the log a person reads when a receiver misbehaves.
            var rows = await db.WebhookDeliveries.AsNoTracking().Where(d => d.EndpointId == id && (after == null || d.Id.CompareTo(after.Value) < 0))
                .OrderByDescending(d => d.Id).Take(take + 1).ToListAsync(ct);
            var ids = rows.Select(r => r.Id).ToList();
            var attempts = (await db.WebhookAttempts.AsNoTracking().Where(a => ids.Contains(a.DeliveryId)).ToListAsync(ct))
                .ToLookup(a => a.DeliveryId);
            return Results.Json(Cursor.Page(rows, take, d => d.Id, d => WebhookDeliveryJson.Of(d, attempts[d.Id])), ApiJson.Options);
        }).Requires(Permission.ManageSettings).Produces<Page<WebhookDeliveryJson>>();

        api.MapPost("/webhook-deliveries/{id:guid}/resend", async (Guid id, HttpContext http, CairnDb db, Subscriptions subscriptions, CancellationToken ct) =>
        {
            var delivery = await subscriptions.ResendAsync(id, http.Caller().Actor, ct);
            var attempts = await db.WebhookAttempts.AsNoTracking().Where(a => a.DeliveryId == id).ToListAsync(ct);
            return Results.Json(WebhookDeliveryJson.Of(delivery, attempts), ApiJson.Options);
        }).WithTags("Webhooks").Requires(Permission.ManageSettings).Produces<WebhookDeliveryJson>();
    }

    private static Task<WebhookEndpoint?> FindAsync(CairnDb db, Guid id, CancellationToken ct) =>
        db.WebhookEndpoints.SingleOrDefaultAsync(e => e.Id == id && e.DeletedAt == null, ct);
}

/// <summary>
/// A webhook endpoint. <c>eventTypes</c> is empty when it takes every type. <c>disabledReason</c> says why
/// Cairn disabled it (the receiver answered 410, or deliveries failed for the whole retry window).
/// <c>previousSecretExpiresAt</c> is set after a rotation: until then both secrets sign every delivery.
/// The secret itself is shown only when made.
/// </summary>
public sealed record WebhookEndpointJson(Guid Id, string Url, string Description, IReadOnlyList<string> EventTypes, bool Enabled, string? DisabledReason,
    DateTimeOffset? PreviousSecretExpiresAt, string CreatedBy, DateTimeOffset CreatedAt)
{
    public static WebhookEndpointJson Of(WebhookEndpoint e) =>
        new(e.Id, e.Url, e.Description, e.TypeList, e.Enabled, e.DisabledReason, e.PreviousSecretExpiresAt, e.CreatedBy, e.CreatedAt);
}

/// <summary>An endpoint with its new signing secret (<c>whsec_…</c>), which is shown this once.</summary>
public sealed record NewWebhookSecretJson(WebhookEndpointJson Endpoint, string Secret);

/// <summary>
/// An endpoint to create or change. <c>url</c>: absolute https (plain http only to hosts in
/// <c>Cairn:Webhooks:AllowedHosts</c>); it may not resolve to loopback, link-local, private, CGNAT,
/// multicast or unspecified addresses unless allow-listed. <c>eventTypes</c>: event types such as
/// <c>invoice.issued</c>; empty or <c>["*"]</c> for all. <c>description</c>: up to 500 characters.
/// On PATCH, fields left out stay as they are.
/// </summary>
public sealed record WebhookEndpointInput(string? Url, List<string>? EventTypes, string? Description, bool? Enabled)
{
    public EndpointChange ToChange() => new(Url, EventTypes, Description, Enabled);
}

/// <summary>One attempt of a delivery: the receiver's HTTP status (null when none came), the latency in milliseconds, the first 1 KB of its answer, and the error.</summary>
public sealed record WebhookAttemptJson(int Number, DateTimeOffset AttemptedAt, int? StatusCode, int LatencyMs, string? Response, string? Error);

/// <summary>
/// One event delivered to one endpoint. <c>webhookId</c> is the <c>webhook-id</c> header, the same on every
/// attempt and resend. <c>status</c>: <c>pending</c> (waiting for its next attempt at <c>nextAttemptAt</c>),
/// <c>delivered</c> (answered 2xx) or <c>failed</c> (Cairn stopped trying: 410, endpoint disabled, retry window over).
/// </summary>
public sealed record WebhookDeliveryJson(Guid Id, Guid EndpointId, Guid EventId, string EventType, string WebhookId, string Status, int Attempts,
    DateTimeOffset? NextAttemptAt, int? LastStatus, string? LastError, DateTimeOffset CreatedAt, DateTimeOffset? DeliveredAt, IReadOnlyList<WebhookAttemptJson> AttemptLog)
{
    public static WebhookDeliveryJson Of(WebhookDelivery d, IEnumerable<WebhookAttempt> attempts) =>
        new(d.Id, d.EndpointId, d.EventId, d.EventType, d.WebhookId, d.Status, d.Attempts,
            d.Status == "pending" ? DateTimeOffset.FromUnixTimeMilliseconds(d.NextAttemptAt) : null, d.LastStatus, d.LastError, d.CreatedAt, d.DeliveredAt,
            attempts.OrderBy(a => a.AttemptedAt).ThenBy(a => a.Id).Select(a => new WebhookAttemptJson(a.Number, a.AttemptedAt, a.StatusCode, a.LatencyMs, a.Response, a.Error)).ToList());
}
