using System.Linq.Expressions;
using Cairn.Domain;
using Cairn.Server.Billing;
using Cairn.Server.Data;
using Cairn.Server.Identity;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Calendar;

/// <summary>
/// Creating, rotating and revoking calendar feeds: a person has at most one live feed, so making a
/// new one revokes the old URL. Both doors (the API, the account page and the portal) call these
/// inside their unit of work; every change is audited as <c>calendar_feed</c>.
/// </summary>
public static class CalendarFeeds
{
    /// <summary>The feed URL for a token: <c>{base}/calendar/{token}.ics</c>.</summary>
    public static string UrlOf(string baseUrl, string token) => $"{baseUrl.TrimEnd('/')}/calendar/{token}.ics";

    /// <summary>The live feed of a staff user, or null.</summary>
    public static Task<CalendarFeed?> LiveOfUserAsync(CairnDb db, Guid userId, CancellationToken ct) =>
        db.CalendarFeeds.AsNoTracking().SingleOrDefaultAsync(OfUser(userId), ct);

    /// <summary>The live feed of a client contact, or null.</summary>
    public static Task<CalendarFeed?> LiveOfContactAsync(CairnDb db, Guid contactId, CancellationToken ct) =>
        db.CalendarFeeds.AsNoTracking().SingleOrDefaultAsync(OfContact(contactId), ct);

    /// <summary>Makes a new feed for a staff user, revoking their old one; returns it with its URL, shown this once.</summary>
    public static Task<(CalendarFeed Feed, string Url)> RenewForUserAsync(CairnDb db, Guid organizationId, Guid userId, Actor by, DateTimeOffset now, string baseUrl, CancellationToken ct) =>
        RenewAsync(db, OfUser(userId), CalendarFeed.ForUser(organizationId, userId, by, now), by, now, baseUrl, ct);

    /// <summary>Makes a new feed for a client contact, revoking their old one; returns it with its URL, shown this once.</summary>
    public static Task<(CalendarFeed Feed, string Url)> RenewForContactAsync(CairnDb db, Contact contact, Actor by, DateTimeOffset now, string baseUrl, CancellationToken ct) =>
        RenewAsync(db, OfContact(contact.Id), CalendarFeed.ForContact(contact, by, now), by, now, baseUrl, ct);

    /// <summary>Revokes a staff user's live feed; returns it, or null when there was none.</summary>
    public static Task<CalendarFeed?> RevokeOfUserAsync(CairnDb db, Guid userId, Actor by, DateTimeOffset now, CancellationToken ct) =>
        RevokeAsync(db, OfUser(userId), by, now, ct);

    /// <summary>Revokes a client contact's live feed; returns it, or null when there was none.</summary>
    public static Task<CalendarFeed?> RevokeOfContactAsync(CairnDb db, Guid contactId, Actor by, DateTimeOffset now, CancellationToken ct) =>
        RevokeAsync(db, OfContact(contactId), by, now, ct);

    private static Expression<Func<CalendarFeed, bool>> OfUser(Guid userId) => f => f.UserId == userId && f.RevokedAt == null;

    private static Expression<Func<CalendarFeed, bool>> OfContact(Guid contactId) => f => f.ContactId == contactId && f.RevokedAt == null;

    private static async Task<(CalendarFeed Feed, string Url)> RenewAsync(CairnDb db, Expression<Func<CalendarFeed, bool>> live, (CalendarFeed Feed, string Token) created, Actor by, DateTimeOffset now, string baseUrl, CancellationToken ct)
    {
        var rotated = await RevokeAsync(db, live, by, now, ct) is not null;
        db.CalendarFeeds.Add(created.Feed);
        Audit.Record(db, created.Feed.OrganizationId, "calendar_feed", created.Feed.Id, rotated ? "rotated" : "created", by, now, null, Describe(created.Feed));
        await db.SaveChangesAsync(ct);
        return (created.Feed, UrlOf(baseUrl, created.Token));
    }

    private static async Task<CalendarFeed?> RevokeAsync(CairnDb db, Expression<Func<CalendarFeed, bool>> live, Actor by, DateTimeOffset now, CancellationToken ct)
    {
        var feeds = await db.CalendarFeeds.Where(live).ToListAsync(ct);
        foreach (var feed in feeds)
        {
            var before = Describe(feed);
            feed.Revoke(now);
            Audit.Record(db, feed.OrganizationId, "calendar_feed", feed.Id, "revoked", by, now, before, Describe(feed));
        }

        await db.SaveChangesAsync(ct);
        return feeds.LastOrDefault();
    }

    // What the audit log keeps of a feed: whose it is and when it was made or revoked, never the token or its hash.
    private static object Describe(CalendarFeed feed) => new { feed.UserId, feed.ContactId, feed.CreatedAt, feed.RevokedAt };
}
