using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cairn.Server.Webhooks;

/// <summary>
/// A receiver of signed webhooks (Standard Webhooks): its URL, the event types it takes, and its
/// signing secrets, kept encrypted (<see cref="WebhookSecrets"/>). After a rotation the previous
/// secret signs too until <see cref="PreviousSecretExpiresAt"/>, so a receiver can switch without
/// losing a delivery. An endpoint is disabled or deleted, never removed: its deliveries name it.
/// </summary>
public sealed class WebhookEndpoint
{
    /// <summary>The value of <see cref="EventTypes"/> meaning every event type.</summary>
    public const string AllTypes = "*";

    private WebhookEndpoint()
    {
    }

    internal WebhookEndpoint(Guid organizationId, string url, string description, string eventTypes, bool enabled, string protectedSecret, string createdBy, DateTimeOffset now)
    {
        Id = Guid.CreateVersion7();
        OrganizationId = organizationId;
        Url = url;
        Description = description;
        EventTypes = eventTypes;
        Enabled = enabled;
        Secret = protectedSecret;
        CreatedBy = createdBy;
        CreatedAt = now;
        Version = 1;
    }

    /// <summary>The endpoint's id.</summary>
    public Guid Id { get; private set; }

    /// <summary>The organization whose events it receives.</summary>
    public Guid OrganizationId { get; private set; }

    /// <summary>The absolute https (or allow-listed http) URL Cairn POSTs to.</summary>
    public string Url { get; internal set; } = "";

    /// <summary>What the receiver is, in the owner's words.</summary>
    public string Description { get; internal set; } = "";

    /// <summary>Space-separated event types, or <see cref="AllTypes"/>.</summary>
    public string EventTypes { get; internal set; } = AllTypes;

    /// <summary>Whether events are delivered to it.</summary>
    public bool Enabled { get; private set; }

    /// <summary>Why Cairn disabled it (the receiver answered 410, or deliveries failed for the whole retry window); null when a person did or it is enabled.</summary>
    public string? DisabledReason { get; private set; }

    /// <summary>The current signing secret, encrypted with the Data Protection key ring.</summary>
    public string Secret { get; private set; } = "";

    /// <summary>The secret before the last rotation, encrypted; it signs too until <see cref="PreviousSecretExpiresAt"/>.</summary>
    public string? PreviousSecret { get; private set; }

    /// <summary>Until when the previous secret still signs (24 hours after the rotation).</summary>
    public DateTimeOffset? PreviousSecretExpiresAt { get; private set; }

    /// <summary>Who created it (user or API key).</summary>
    public string CreatedBy { get; private set; } = "";

    /// <summary>When it was created.</summary>
    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>When it was deleted; a deleted endpoint receives nothing and is no longer listed.</summary>
    public DateTimeOffset? DeletedAt { get; private set; }

    /// <summary>Raised on every change; the ETag.</summary>
    public int Version { get; private set; }

    /// <summary>Whether the endpoint takes events of a type.</summary>
    public bool Takes(string type) => EventTypes == AllTypes || EventTypes.Split(' ').Contains(type, StringComparer.Ordinal);

    /// <summary>The event types it takes, in the order given; empty for every type.</summary>
    public IReadOnlyList<string> TypeList => EventTypes == AllTypes ? [] : EventTypes.Split(' ');

    /// <summary>Enables (clearing Cairn's reason) or disables it by a person's choice.</summary>
    internal void SetEnabled(bool enabled)
    {
        Enabled = enabled;
        DisabledReason = null;
    }

    /// <summary>Disables it for a reason Cairn found (a 410, or retries exhausted).</summary>
    internal void DisableBecause(string reason)
    {
        Enabled = false;
        DisabledReason = reason;
        Touch();
    }

    /// <summary>Makes <paramref name="protectedSecret"/> the signing secret; the current one keeps signing until <paramref name="previousUntil"/>.</summary>
    internal void Rotate(string protectedSecret, DateTimeOffset previousUntil)
    {
        PreviousSecret = Secret;
        PreviousSecretExpiresAt = previousUntil;
        Secret = protectedSecret;
        Touch();
    }

    internal void Delete(DateTimeOffset now)
    {
        DeletedAt ??= now;
        Enabled = false;
        Touch();
    }

    internal void Touch() => Version++;
}

internal sealed class WebhookEndpointMapping : IEntityTypeConfiguration<WebhookEndpoint>
{
    public void Configure(EntityTypeBuilder<WebhookEndpoint> b)
    {
        b.ToTable("webhook_endpoints");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.Version).IsConcurrencyToken();
        b.Ignore(x => x.TypeList);
    }
}
