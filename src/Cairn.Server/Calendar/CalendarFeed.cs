using Cairn.Domain;
using Cairn.Server.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cairn.Server.Calendar;

/// <summary>
/// A subscribable iCalendar (RFC 5545) URL of one staff user or one client contact, carrying a
/// 256-bit random token of which Cairn keeps only the SHA-256 (<see cref="Tokens"/>, as for portal
/// links). It works until revoked; rotating it revokes the old one and makes a new one.
/// </summary>
public sealed class CalendarFeed
{
    private CalendarFeed()
    {
    }

    private CalendarFeed(Guid organizationId, Guid? userId, Guid? clientId, Guid? contactId, string tokenHash, Actor createdBy, DateTimeOffset now)
    {
        Id = Guid.CreateVersion7();
        OrganizationId = organizationId;
        UserId = userId;
        ClientId = clientId;
        ContactId = contactId;
        TokenHash = tokenHash;
        CreatedBy = createdBy.ToString();
        CreatedAt = now;
    }

    public Guid Id { get; private set; }

    public Guid OrganizationId { get; private set; }

    /// <summary>The staff user whose feed this is (their organization's dates), or null for a contact's feed.</summary>
    public Guid? UserId { get; private set; }

    /// <summary>The client of the contact whose feed this is (that client's dates only), or null for a user's feed.</summary>
    public Guid? ClientId { get; private set; }

    /// <summary>The client contact whose feed this is, or null for a user's feed.</summary>
    public Guid? ContactId { get; private set; }

    /// <summary>SHA-256 of the token, hex; the token itself is never stored.</summary>
    public string TokenHash { get; private set; } = "";

    /// <summary>Who made the feed, in the audit log's <c>kind:id</c> form.</summary>
    public string CreatedBy { get; private set; } = "";

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? RevokedAt { get; private set; }

    /// <summary>Whether the feed still answers.</summary>
    public bool IsLive => RevokedAt is null;

    /// <summary>A feed of a staff user's organization; the token goes into the URL once and is never stored.</summary>
    public static (CalendarFeed Feed, string Token) ForUser(Guid organizationId, Guid userId, Actor createdBy, DateTimeOffset now)
    {
        var token = Tokens.New();
        return (new CalendarFeed(organizationId, userId, null, null, Tokens.Hash(token), createdBy, now), token);
    }

    /// <summary>A feed of a contact's client; the token goes into the URL once and is never stored.</summary>
    public static (CalendarFeed Feed, string Token) ForContact(Contact contact, Actor createdBy, DateTimeOffset now)
    {
        var token = Tokens.New();
        return (new CalendarFeed(contact.OrganizationId, null, contact.ClientId, contact.Id, Tokens.Hash(token), createdBy, now), token);
    }

    /// <summary>Revokes the feed: its URL answers 404 from now on.</summary>
    public void Revoke(DateTimeOffset now) => RevokedAt ??= now;
}

internal sealed class CalendarFeedMapping : IEntityTypeConfiguration<CalendarFeed>
{
    public void Configure(EntityTypeBuilder<CalendarFeed> b)
    {
        b.ToTable("calendar_feeds");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedNever();
        b.HasIndex(x => x.TokenHash).IsUnique();
        b.Ignore(x => x.IsLive);
        b.HasOne<StaffUser>().WithMany().HasForeignKey(x => x.UserId);
        b.HasOne<Contact>().WithMany().HasForeignKey(x => x.ContactId);
        b.HasOne<Client>().WithMany().HasForeignKey(x => x.ClientId);
    }
}
