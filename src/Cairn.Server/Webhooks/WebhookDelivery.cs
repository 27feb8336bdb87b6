using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cairn.Server.Webhooks;

/// <summary>
/// One event for one endpoint, added when the event is fanned out and delivered by
/// <see cref="WebhookDispatcher"/> until the receiver answers 2xx, the endpoint is disabled, or the
/// retry window (<c>Cairn:Webhooks:RetryHours</c>) runs out. Times the dispatcher compares in SQL are
/// Unix milliseconds, like the outbox's.
/// </summary>
public sealed class WebhookDelivery
{
    private WebhookDelivery()
    {
    }

    internal WebhookDelivery(WebhookEndpoint endpoint, Guid eventId, string eventType, DateTimeOffset now)
    {
        Id = Guid.CreateVersion7();
        OrganizationId = endpoint.OrganizationId;
        EndpointId = endpoint.Id;
        EventId = eventId;
        EventType = eventType;
        WebhookId = $"msg_{eventId:N}_{endpoint.Id:N}";
        CreatedAt = now;
        RetryFrom = now;
        NextAttemptAt = now.ToUnixTimeMilliseconds();
    }

    /// <summary>The delivery's id.</summary>
    public Guid Id { get; private set; }

    /// <summary>The organization whose event it carries.</summary>
    public Guid OrganizationId { get; private set; }

    /// <summary>The endpoint it goes to.</summary>
    public Guid EndpointId { get; private set; }

    /// <summary>The event (its outbox row).</summary>
    public Guid EventId { get; private set; }

    /// <summary>The event type, e.g. <c>invoice.issued</c>.</summary>
    public string EventType { get; private set; } = "";

    /// <summary>The <c>webhook-id</c> header: <c>msg_</c>, the event and the endpoint; the same on every attempt and resend.</summary>
    public string WebhookId { get; private set; } = "";

    /// <summary>When the event was fanned out to the endpoint.</summary>
    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>Where the retry window starts: the fan-out, or the last resend.</summary>
    public DateTimeOffset RetryFrom { get; private set; }

    /// <summary>Unix milliseconds from when it may be tried (again).</summary>
    public long NextAttemptAt { get; private set; }

    /// <summary>Unix milliseconds until which the instance that claimed it delivers it; null when nobody holds it.</summary>
    public long? LockedUntil { get; private set; }

    /// <summary>How many attempts started (the <c>cairn-attempt</c> header of the last one).</summary>
    public int Attempts { get; private set; }

    /// <summary>The HTTP status of the last answer; null before any or when none came.</summary>
    public int? LastStatus { get; private set; }

    /// <summary>Why the last attempt failed, or why Cairn stopped.</summary>
    public string? LastError { get; private set; }

    /// <summary>When the receiver answered 2xx.</summary>
    public DateTimeOffset? DeliveredAt { get; private set; }

    /// <summary>When Cairn stopped trying (410, endpoint disabled or deleted, retry window over).</summary>
    public DateTimeOffset? GaveUpAt { get; private set; }

    /// <summary><c>pending</c>, <c>delivered</c> or <c>failed</c>.</summary>
    public string Status => DeliveredAt is not null ? "delivered" : GaveUpAt is not null ? "failed" : "pending";
}

/// <summary>One attempt to deliver, as the receiver answered it: the delivery log.</summary>
public sealed class WebhookAttempt
{
    /// <summary>How much of the receiver's answer is kept: the first 1 KB.</summary>
    public const int ResponseBytes = 1024;

    private WebhookAttempt()
    {
    }

    internal WebhookAttempt(WebhookDelivery delivery, int number, DateTimeOffset at, int? statusCode, int latencyMs, string? response, string? error)
    {
        Id = Guid.CreateVersion7();
        OrganizationId = delivery.OrganizationId;
        DeliveryId = delivery.Id;
        Number = number;
        AttemptedAt = at;
        StatusCode = statusCode;
        LatencyMs = latencyMs;
        Response = response;
        Error = error;
    }

    /// <summary>The attempt's id.</summary>
    public Guid Id { get; private set; }

    /// <summary>The organization.</summary>
    public Guid OrganizationId { get; private set; }

    /// <summary>The delivery it belongs to.</summary>
    public Guid DeliveryId { get; private set; }

    /// <summary>The delivery's attempt counter when it was made (the <c>cairn-attempt</c> header).</summary>
    public int Number { get; private set; }

    /// <summary>When the request was sent.</summary>
    public DateTimeOffset AttemptedAt { get; private set; }

    /// <summary>The HTTP status answered; null when none came (refused address, timeout, connection error).</summary>
    public int? StatusCode { get; private set; }

    /// <summary>Milliseconds from sending the request to reading the answer (or failing).</summary>
    public int LatencyMs { get; private set; }

    /// <summary>The first 1 KB of the answer's body, as text.</summary>
    public string? Response { get; private set; }

    /// <summary>What went wrong when no answer came, or why the answer was not a success.</summary>
    public string? Error { get; private set; }
}

internal sealed class WebhookDeliveryMapping : IEntityTypeConfiguration<WebhookDelivery>, IEntityTypeConfiguration<WebhookAttempt>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> b)
    {
        b.ToTable("webhook_deliveries");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Ignore(x => x.Status);
        b.HasIndex(x => new { x.EventId, x.EndpointId }).IsUnique();
        b.HasOne<WebhookEndpoint>().WithMany().HasForeignKey(x => x.EndpointId);
    }

    public void Configure(EntityTypeBuilder<WebhookAttempt> b)
    {
        b.ToTable("webhook_attempts");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedNever();
        b.HasOne<WebhookDelivery>().WithMany().HasForeignKey(x => x.DeliveryId);
    }
}
