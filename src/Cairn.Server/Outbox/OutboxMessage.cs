using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cairn.Server.Outbox;

/// <summary>
/// A row of the transactional outbox: an event or an email written in the same transaction as
/// the change that causes it, delivered after the commit by <see cref="OutboxDispatcher"/> at least
/// once. Times the dispatcher compares in SQL (<see cref="NextAttemptAt"/>, <see cref="LockedUntil"/>)
/// are Unix milliseconds.
/// </summary>
public sealed class OutboxMessage
{
    /// <summary>Kind of a row that is fanned out into deliveries (emails now, webhooks later).</summary>
    public const string EventKind = "event";

    /// <summary>Kind of a row that is one email to send.</summary>
    public const string EmailKind = "email";

    private OutboxMessage()
    {
    }

    internal OutboxMessage(Guid id, Guid organizationId, string kind, string type, string idempotencyKey, string payload, DateTimeOffset createdAt)
    {
        Id = id;
        OrganizationId = organizationId;
        Kind = kind;
        Type = type;
        IdempotencyKey = idempotencyKey;
        Payload = payload;
        CreatedAt = createdAt;
        NextAttemptAt = createdAt.ToUnixTimeMilliseconds();
    }

    /// <summary>A UUIDv7: rows sort in the order they were written.</summary>
    public Guid Id { get; private set; }

    /// <summary>The organization whose change caused the row.</summary>
    public Guid OrganizationId { get; private set; }

    /// <summary><see cref="EventKind"/> or <see cref="EmailKind"/>.</summary>
    public string Kind { get; private set; } = "";

    /// <summary>The event type (<c>milestone.approved</c>) or the email's purpose (<c>invitation</c>, <c>portal_link</c>, <c>notification</c>).</summary>
    public string Type { get; private set; } = "";

    /// <summary>Unique per delivery, so a receiver can drop a repeat: the webhook id, the email's Message-ID.</summary>
    public string IdempotencyKey { get; private set; } = "";

    /// <summary>The thin event as JSON (<see cref="OutboxEvent"/>), or the email encrypted with the Data Protection key ring.</summary>
    public string Payload { get; private set; } = "";

    /// <summary>When the change that caused it happened.</summary>
    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>Unix milliseconds from when the row may be tried (again).</summary>
    public long NextAttemptAt { get; private set; }

    /// <summary>Unix milliseconds until which the instance that claimed the row delivers it; null when nobody holds it.</summary>
    public long? LockedUntil { get; private set; }

    /// <summary>How many times delivery started.</summary>
    public int Attempts { get; private set; }

    /// <summary>Why the last attempt failed (the error's type and message, never the content).</summary>
    public string? LastError { get; private set; }

    /// <summary>When the row was delivered (an email handed over, an event fanned out).</summary>
    public DateTimeOffset? DeliveredAt { get; private set; }

    /// <summary>When the dispatcher stopped trying after <c>Cairn:Outbox:MaxAttempts</c> failures.</summary>
    public DateTimeOffset? GaveUpAt { get; private set; }
}

internal sealed class OutboxMessageMapping : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> b)
    {
        b.ToTable("outbox_messages");
        b.HasKey(x => x.Id);
        b.HasIndex(x => x.IdempotencyKey).IsUnique();
    }
}
