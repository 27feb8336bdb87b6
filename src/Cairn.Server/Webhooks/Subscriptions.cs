using System.Net.Sockets;
using Cairn.Domain;
using Cairn.Server.Billing;
using Cairn.Server.Data;
using Cairn.Server.Outbox;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Webhooks;

/// <summary>What a person asks of an endpoint; fields left null stay as they are (on creation: all types, enabled, no description).</summary>
/// <param name="Url">An absolute https URL, or http to an allow-listed host.</param>
/// <param name="EventTypes">Event types (see <see cref="Outbox.EventTypes"/>); empty or <c>["*"]</c> for every type.</param>
/// <param name="Description">Up to 500 characters.</param>
/// <param name="Enabled">Whether events are delivered to it.</param>
public sealed record EndpointChange(string? Url, IReadOnlyList<string>? EventTypes, string? Description, bool? Enabled);

/// <summary>
/// The one home of webhook endpoints for the API and the Settings page: creating, changing,
/// rotating the secret, deleting (each audited), resending a delivery, and fanning an event out
/// into one delivery per subscribed endpoint. Runs inside the caller's transaction.
/// </summary>
public sealed class Subscriptions(CairnDb db, WebhookSecrets secrets, WebhookAddresses addresses, TimeProvider clock)
{
    /// <summary>Creates an endpoint; returns it with its secret, which is shown this once.</summary>
    /// <exception cref="DomainException">A field is wrong (the error names it: <c>url</c>, <c>eventTypes</c>, <c>description</c>).</exception>
    public async Task<(WebhookEndpoint Endpoint, string Secret)> CreateAsync(Guid organizationId, Actor actor, EndpointChange change, CancellationToken cancellationToken)
    {
        var url = await CheckUrlAsync(change.Url, cancellationToken);
        var types = TypesOf(change.EventTypes);
        var description = Inputs.Optional(change.Description, "description", 500) ?? "";
        var (plain, stored) = secrets.New();
        var now = clock.GetUtcNow();
        var endpoint = new WebhookEndpoint(organizationId, url, description, types, change.Enabled ?? true, stored, actor.ToString(), now);
        db.WebhookEndpoints.Add(endpoint);
        Audit.Record(db, organizationId, "webhook_endpoint", endpoint.Id, "created", actor, now, null, Snapshot(endpoint));
        await db.SaveChangesAsync(cancellationToken);
        return (endpoint, plain);
    }

    /// <summary>Changes the fields given; re-enabling clears the reason Cairn disabled it for.</summary>
    public async Task<WebhookEndpoint> UpdateAsync(WebhookEndpoint endpoint, Actor actor, EndpointChange change, CancellationToken cancellationToken)
    {
        var url = change.Url is null ? null : await CheckUrlAsync(change.Url, cancellationToken);
        var types = change.EventTypes is null ? null : TypesOf(change.EventTypes);
        var description = Inputs.Optional(change.Description, "description", 500);
        var before = Snapshot(endpoint);
        endpoint.Url = url ?? endpoint.Url;
        endpoint.EventTypes = types ?? endpoint.EventTypes;
        endpoint.Description = description ?? endpoint.Description;
        if (change.Enabled is { } enabled)
            endpoint.SetEnabled(enabled);
        endpoint.Touch();
        Audit.Record(db, endpoint.OrganizationId, "webhook_endpoint", endpoint.Id, "updated", actor, clock.GetUtcNow(), before, Snapshot(endpoint));
        await db.SaveChangesAsync(cancellationToken);
        return endpoint;
    }

    /// <summary>Makes a new secret, shown this once; the old one keeps signing for <see cref="WebhookSecrets.RotationOverlap"/>.</summary>
    public async Task<(WebhookEndpoint Endpoint, string Secret)> RotateSecretAsync(WebhookEndpoint endpoint, Actor actor, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var (plain, stored) = secrets.New();
        endpoint.Rotate(stored, now + WebhookSecrets.RotationOverlap);
        Audit.Record(db, endpoint.OrganizationId, "webhook_endpoint", endpoint.Id, "secret_rotated", actor, now);
        await db.SaveChangesAsync(cancellationToken);
        return (endpoint, plain);
    }

    /// <summary>Deletes an endpoint: nothing more is delivered to it; its delivery log stays.</summary>
    public async Task DeleteAsync(WebhookEndpoint endpoint, Actor actor, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        endpoint.Delete(now);
        Audit.Record(db, endpoint.OrganizationId, "webhook_endpoint", endpoint.Id, "deleted", actor, now, Snapshot(endpoint));
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// Sends a delivery again with the same <c>webhook-id</c> (a new attempt, a new retry window),
    /// whatever became of it; refused when its endpoint is disabled or deleted.
    /// </summary>
    public async Task<WebhookDelivery> ResendAsync(Guid deliveryId, Actor actor, CancellationToken cancellationToken)
    {
        var delivery = await db.WebhookDeliveries.SingleOrDefaultAsync(d => d.Id == deliveryId, cancellationToken) ?? throw EntityNotFound.Of("webhook delivery", deliveryId);
        var endpoint = await db.WebhookEndpoints.SingleAsync(e => e.Id == delivery.EndpointId, cancellationToken);
        if (!endpoint.Enabled)
            throw new DomainException(new InvalidTransition("webhook delivery", delivery.Id, "resend", "for a disabled endpoint", "Enable the endpoint first, then resend."));
        var now = clock.GetUtcNow();
        await db.WebhookDeliveries.Where(d => d.Id == deliveryId).ExecuteUpdateAsync(s => s
            .SetProperty(d => d.DeliveredAt, (DateTimeOffset?)null)
            .SetProperty(d => d.GaveUpAt, (DateTimeOffset?)null)
            .SetProperty(d => d.RetryFrom, now)
            .SetProperty(d => d.NextAttemptAt, now.ToUnixTimeMilliseconds()), cancellationToken);
        Audit.Record(db, endpoint.OrganizationId, "webhook_delivery", delivery.Id, "resent", actor, now);
        db.HasNewOutboxMessages = true;
        await db.SaveChangesAsync(cancellationToken);
        await db.Entry(delivery).ReloadAsync(cancellationToken);
        return delivery;
    }

    /// <summary>
    /// Adds one delivery per live endpoint that takes the event, in the fan-out's transaction
    /// (so the deliveries and the event's "delivered" mark commit together, once).
    /// </summary>
    public static async Task FanOutAsync(CairnDb db, OutboxMessage message, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var endpoints = await db.WebhookEndpoints.AsNoTracking()
            .Where(e => e.OrganizationId == message.OrganizationId && e.Enabled && e.DeletedAt == null).ToListAsync(cancellationToken);
        foreach (var endpoint in endpoints.Where(e => e.Takes(message.Type)))
            db.WebhookDeliveries.Add(new WebhookDelivery(endpoint, message.Id, message.Type, now));
    }

    private async Task<string> CheckUrlAsync(string? text, CancellationToken cancellationToken)
    {
        var value = Inputs.Required(text, "url", 2000);
        if (!Uri.TryCreate(value, UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http") || url.UserInfo.Length > 0 || url.Fragment.Length > 0)
            throw Invalid("invalid_url", "The URL must be an absolute https address without credentials or fragment, e.g. https://hooks.example.com/cairn.");
        if (url.Scheme == "http" && !addresses.AllowsPlainHttp(url.Host))
            throw Invalid("https_required", "Webhooks go over https; plain http is accepted only for hosts in Cairn:Webhooks:AllowedHosts.");
        IReadOnlyList<System.Net.IPAddress> permitted;
        try
        {
            permitted = await addresses.PermittedAsync(url.Host, cancellationToken);
        }
        catch (SocketException)
        {
            throw Invalid("url_unresolvable", $"{url.Host} does not resolve to an address: check the host name.");
        }

        if (permitted.Count == 0)
            throw Invalid("url_forbidden_address", $"{url.Host} is a loopback, link-local, private or other internal address, which webhooks may not reach; an administrator can permit it with Cairn:Webhooks:AllowedHosts.");
        return url.AbsoluteUri;
    }

    private static string TypesOf(IReadOnlyList<string>? types)
    {
        if (types is null || types.Count == 0 || types is ["*"])
            return WebhookEndpoint.AllTypes;
        foreach (var type in types)
        {
            if (type is null || !EventTypes.All.Contains(type))
                throw Invalid("unknown_event_type", $"'{type}' is not a Cairn event type; use {string.Join(", ", EventTypes.All.Order())}, or [\"*\"] for all.", "eventTypes");
        }

        return string.Join(' ', types.Distinct(StringComparer.Ordinal));
    }

    private static DomainException Invalid(string code, string message, string field = "url") => new(new DomainError(code, message, field));

    private static object Snapshot(WebhookEndpoint e) => new { e.Url, e.Description, eventTypes = e.EventTypes, e.Enabled };
}
