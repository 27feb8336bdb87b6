using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cairn.Server.Outbox;

/// <summary>
/// Which events email a staff user of an organization, and whether as they happen or in one daily
/// digest at 08:00 in the organization's time zone. A user without a row has <see cref="Defaults"/>.
/// </summary>
public sealed class NotificationPreference
{
    /// <summary>The events staff can be emailed about (issue 14): the client's answers, Cairn's approvals and warnings, payments.</summary>
    public static readonly IReadOnlyList<string> StaffEvents =
    [
        EventTypes.MilestoneApproved, EventTypes.MilestoneAutoApproved, EventTypes.MilestoneChangesRequested,
        EventTypes.MilestoneDisputed, EventTypes.MilestoneAutoApprovalDue, EventTypes.PaymentRecorded,
    ];

    /// <summary>The local time a daily digest is sent, in the organization's time zone.</summary>
    public static readonly TimeOnly DigestTime = new(8, 0);

    private NotificationPreference()
    {
    }

    private NotificationPreference(Guid organizationId, Guid userId, DateTimeOffset now)
    {
        OrganizationId = organizationId;
        UserId = userId;
        EmailEvents = string.Join(',', StaffEvents);
        UpdatedAt = now;
    }

    public Guid OrganizationId { get; private set; }

    public Guid UserId { get; private set; }

    /// <summary>The chosen event types, comma-separated, in the order of <see cref="StaffEvents"/>.</summary>
    public string EmailEvents { get; private set; } = "";

    /// <summary>True: the chosen events are collected into one email a day instead of one email each.</summary>
    public bool DailyDigest { get; private set; }

    /// <summary>Optimistic-concurrency version, surfaced as the ETag.</summary>
    public int Version { get; private set; } = 1;

    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>The chosen event types.</summary>
    public IReadOnlyList<string> Events => EmailEvents.Split(',', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The preferences of a user who never chose: every staff event, one email each.</summary>
    public static NotificationPreference Defaults(Guid organizationId, Guid userId, DateTimeOffset now) => new(organizationId, userId, now);

    /// <summary>Whether this event emails the user (at once or in the digest).</summary>
    public bool Wants(string eventType) => Events.Contains(eventType, StringComparer.Ordinal);

    /// <summary>Replaces the choice.</summary>
    /// <exception cref="Domain.DomainException">An event type staff cannot be emailed about (400, field <c>events[i]</c>).</exception>
    public void Choose(IReadOnlyList<string> events, bool dailyDigest, DateTimeOffset now)
    {
        for (var i = 0; i < events.Count; i++)
        {
            if (!StaffEvents.Contains(events[i], StringComparer.Ordinal))
                throw new Domain.DomainException(new Domain.DomainError("invalid_event_type", $"'{events[i]}' is not an event staff can be emailed about; choose among {string.Join(", ", StaffEvents)}.", $"events[{i}]"));
        }

        EmailEvents = string.Join(',', StaffEvents.Where(events.Contains));
        DailyDigest = dailyDigest;
        UpdatedAt = now;
        Version++;
    }
}

/// <summary>An event waiting for a user's daily digest, with the line the digest shows for it.</summary>
public sealed class DigestItem
{
    private DigestItem()
    {
    }

    internal DigestItem(Guid organizationId, Guid userId, Guid eventId, string eventType, string line, DateTimeOffset occurredAt)
    {
        Id = Guid.CreateVersion7();
        OrganizationId = organizationId;
        UserId = userId;
        EventId = eventId;
        EventType = eventType;
        Line = line;
        OccurredAt = occurredAt;
    }

    public Guid Id { get; private set; }

    public Guid OrganizationId { get; private set; }

    public Guid UserId { get; private set; }

    /// <summary>The outbox row of the event.</summary>
    public Guid EventId { get; private set; }

    public string EventType { get; private set; } = "";

    /// <summary>One sentence saying what happened, as the digest lists it.</summary>
    public string Line { get; private set; } = "";

    public DateTimeOffset OccurredAt { get; private set; }

    /// <summary>The digest that listed it; null while it waits.</summary>
    public Guid? DigestId { get; private set; }

    internal void ListedIn(Guid digestId) => DigestId = digestId;
}

/// <summary>A daily digest sent to a user: one per user and business day (a unique key), whatever the number of instances.</summary>
public sealed class Digest
{
    private Digest()
    {
    }

    internal Digest(Guid organizationId, Guid userId, DateOnly day, int items, DateTimeOffset now)
    {
        Id = Guid.CreateVersion7();
        OrganizationId = organizationId;
        UserId = userId;
        Day = day;
        Items = items;
        CreatedAt = now;
    }

    public Guid Id { get; private set; }

    public Guid OrganizationId { get; private set; }

    public Guid UserId { get; private set; }

    /// <summary>The business day (the organization's time zone) the digest is for.</summary>
    public DateOnly Day { get; private set; }

    /// <summary>How many events it listed.</summary>
    public int Items { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }
}

internal sealed class NotificationMappings :
    IEntityTypeConfiguration<NotificationPreference>, IEntityTypeConfiguration<DigestItem>, IEntityTypeConfiguration<Digest>
{
    public void Configure(EntityTypeBuilder<NotificationPreference> b)
    {
        b.ToTable("notification_preferences");
        b.HasKey(x => new { x.OrganizationId, x.UserId });
        b.Property(x => x.Version).IsConcurrencyToken();
        b.Ignore(x => x.Events);
    }

    public void Configure(EntityTypeBuilder<DigestItem> b)
    {
        b.ToTable("notification_digest_items");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedNever();
        b.HasIndex(x => new { x.UserId, x.EventId }).IsUnique();
    }

    public void Configure(EntityTypeBuilder<Digest> b)
    {
        b.ToTable("notification_digests");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedNever();
        b.HasIndex(x => new { x.OrganizationId, x.UserId, x.Day }).IsUnique();
    }
}

/// <summary>Reads and changes a user's notification preferences: what the API and the account page both do.</summary>
public static class NotificationPreferences
{
    /// <summary>The user's preferences in the current organization, or the defaults when they never chose (not stored).</summary>
    public static async Task<NotificationPreference> OfAsync(Data.CairnDb db, Guid organizationId, Guid userId, DateTimeOffset now, CancellationToken cancellationToken) =>
        await db.NotificationPreferences.SingleOrDefaultAsync(p => p.UserId == userId, cancellationToken)
        ?? NotificationPreference.Defaults(organizationId, userId, now);

    /// <summary>The language of the emails Cairn sends the user (<see cref="Identity.StaffUser.Language"/>).</summary>
    public static Task<Domain.Language> LanguageOfAsync(Data.CairnDb db, Guid userId, CancellationToken cancellationToken) =>
        db.Users.Where(u => u.Id == userId).Select(u => u.Language).SingleAsync(cancellationToken);

    /// <summary>
    /// Replaces the user's choice (stored from the first change on), and the language of their emails when
    /// <paramref name="language"/> is given; audits it with its before and after.
    /// </summary>
    /// <exception cref="Domain.DomainException">An event type staff cannot be emailed about (400, field <c>events[i]</c>).</exception>
    public static async Task<NotificationPreference> ChooseAsync(Data.CairnDb db, Guid organizationId, Guid userId, IReadOnlyList<string> events, bool dailyDigest, Domain.Language? language, Domain.Actor actor, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var preference = await OfAsync(db, organizationId, userId, now, cancellationToken);
        var user = await db.Users.SingleAsync(u => u.Id == userId, cancellationToken);
        var before = new { preference.Events, preference.DailyDigest, Language = Inputs.NameOf(user.Language) };
        preference.Choose(events, dailyDigest, now);
        if (language is { } chosen)
            user.ChooseLanguage(chosen);
        if (db.Entry(preference).State == EntityState.Detached)
            db.NotificationPreferences.Add(preference);
        Billing.Audit.Record(db, organizationId, "notification_preferences", userId, "updated", actor, now, before, new { preference.Events, preference.DailyDigest, Language = Inputs.NameOf(user.Language) });
        await db.SaveChangesAsync(cancellationToken);
        return preference;
    }
}
