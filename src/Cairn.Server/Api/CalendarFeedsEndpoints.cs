using Cairn.Domain;
using Cairn.Server.Calendar;
using Cairn.Server.Data;
using Cairn.Server.Identity;
using Cairn.Server.Requests;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Api;

/// <summary>
/// Calendar feeds: a staff user's own at <c>/me/calendar-feed</c>, a client contact's at
/// <c>/clients/{id}/contacts/{contactId}/calendar-feed</c>, and the feed itself at
/// <c>GET /calendar/{token}.ics</c> (iCalendar, RFC 5545).
/// </summary>
public static class CalendarFeedsEndpoints
{
    public static void MapCalendarFeeds(this RouteGroupBuilder api)
    {
        var mine = api.MapGroup("/me/calendar-feed").WithTags("Calendar feeds");

        // An API key has no feed of its own: to it, as to a user without one, there is none (404).
        mine.MapGet("/", async (HttpContext http, CairnDb db, CancellationToken ct) =>
            UserOf(http.Caller()) is { } userId && await CalendarFeeds.LiveOfUserAsync(db, userId, ct) is { } feed
                ? Results.Json(CalendarFeedJson.Of(feed), ApiJson.Options)
                : Problems.NotFound("calendar feed").ToResult())
            .Requires(Permission.Read).Produces<CalendarFeedJson>();

        mine.MapPost("/", async (HttpContext http, CairnDb db, TimeProvider clock, CancellationToken ct) =>
        {
            var caller = http.Caller();
            if (UserOf(caller) is not { } userId)
                return NotAUser();
            var (feed, url) = await CalendarFeeds.RenewForUserAsync(db, caller.OrganizationId, userId, caller.Actor, clock.GetUtcNow(), PublicUrl.Of(http), ct);
            return Http.Created(http, "/api/v1/me/calendar-feed", new NewCalendarFeedJson(CalendarFeedJson.Of(feed), url));
        }).Requires(Permission.Read).WithMetadata(SecretAnswer.Instance).Produces<NewCalendarFeedJson>(StatusCodes.Status201Created);

        mine.MapPost("/revoke", async (HttpContext http, CairnDb db, TimeProvider clock, CancellationToken ct) =>
        {
            var caller = http.Caller();
            if (UserOf(caller) is not { } userId)
                return NotAUser();
            return await CalendarFeeds.RevokeOfUserAsync(db, userId, caller.Actor, clock.GetUtcNow(), ct) is { } feed
                ? Results.Json(CalendarFeedJson.Of(feed), ApiJson.Options)
                : Problems.NotFound("calendar feed").ToResult();
        }).Requires(Permission.Read).Produces<CalendarFeedJson>();

        var contacts = api.MapGroup("/clients/{id:guid}/contacts/{contactId:guid}/calendar-feed").WithTags("Calendar feeds");

        contacts.MapGet("/", async (Guid id, Guid contactId, CairnDb db, CancellationToken ct) =>
        {
            if (!await db.Contacts.AnyAsync(c => c.Id == contactId && c.ClientId == id, ct))
                return Problems.NotFound("contact", contactId.ToString()).ToResult();
            return await CalendarFeeds.LiveOfContactAsync(db, contactId, ct) is { } feed
                ? Results.Json(CalendarFeedJson.Of(feed), ApiJson.Options)
                : Problems.NotFound("calendar feed").ToResult();
        }).Requires(Permission.Read).Produces<CalendarFeedJson>();

        contacts.MapPost("/", async (Guid id, Guid contactId, HttpContext http, CairnDb db, TimeProvider clock, CancellationToken ct) =>
        {
            var caller = http.Caller();
            if (await db.Contacts.AsNoTracking().SingleOrDefaultAsync(c => c.Id == contactId && c.ClientId == id, ct) is not { } contact)
                return Problems.NotFound("contact", contactId.ToString()).ToResult();
            var (feed, url) = await CalendarFeeds.RenewForContactAsync(db, contact, caller.Actor, clock.GetUtcNow(), PublicUrl.Of(http), ct);
            return Http.Created(http, $"/api/v1/clients/{id}/contacts/{contactId}/calendar-feed", new NewCalendarFeedJson(CalendarFeedJson.Of(feed), url));
        }).Requires(Permission.ManageClients).WithMetadata(SecretAnswer.Instance).Produces<NewCalendarFeedJson>(StatusCodes.Status201Created);

        contacts.MapPost("/revoke", async (Guid id, Guid contactId, HttpContext http, CairnDb db, TimeProvider clock, CancellationToken ct) =>
        {
            var caller = http.Caller();
            if (!await db.Contacts.AnyAsync(c => c.Id == contactId && c.ClientId == id, ct))
                return Problems.NotFound("contact", contactId.ToString()).ToResult();
            return await CalendarFeeds.RevokeOfContactAsync(db, contactId, caller.Actor, clock.GetUtcNow(), ct) is { } feed
                ? Results.Json(CalendarFeedJson.Of(feed), ApiJson.Options)
                : Problems.NotFound("calendar feed").ToResult();
        }).Requires(Permission.ManageClients).Produces<CalendarFeedJson>();
    }

    /// <summary>
    /// Maps <c>GET /calendar/{token}.ics</c>: the feed of the person the token belongs to. Unknown,
    /// revoked and forged tokens, and feeds of users deactivated in the organization or of removed contacts, all get the same
    /// plain 404; the route is rate-limited per address like portal links.
    /// </summary>
    public static void MapCalendarFeed(this WebApplication app) =>
        app.MapGet("/calendar/{token}.ics", async (string token, HttpContext http, CairnDb db, TimeProvider clock, CancellationToken ct) =>
        {
            // The token is the credential: keep the answer out of shared caches.
            http.Response.DoNotStore();
            http.Response.Headers["Referrer-Policy"] = "no-referrer";
            if (!Tokens.LooksLikeToken(token))
                return Results.NotFound();
            var hash = Tokens.Hash(token);
            if (await db.CalendarFeeds.IgnoreQueryFilters().AsNoTracking().SingleOrDefaultAsync(f => f.TokenHash == hash, ct) is not { IsLive: true } feed)
                return Results.NotFound();
            db.TenantId = feed.OrganizationId;
            var ownerExists = feed.UserId is { } userId
                ? await db.Memberships.AnyAsync(m => m.UserId == userId && m.DeactivatedAt == null, ct)
                : await db.Contacts.AnyAsync(c => c.Id == feed.ContactId && c.ClientId == feed.ClientId, ct);
            if (!ownerExists)
                return Results.NotFound();
            var organization = await db.Organizations.AsNoTracking().SingleAsync(ct);
            var calendar = organization.Calendar;
            var now = clock.GetUtcNow();
            var entries = await DueDatesCalendar.EntriesAsync(db, feed, calendar.DayOf(now), new Uri(PublicUrl.Of(http)).Host, ct);
            var text = DueDatesCalendar.Write(entries, $"{organization.Name} — due dates", calendar.TimeZoneId, now);
            return Results.Text(text, "text/calendar; charset=utf-8");
        }).RequireRateLimiting(SignInSchemes.PortalLinkPolicy).ExcludeFromDescription().AnswerHeadLikeGet();

    private static Guid? UserOf(Caller caller) =>
        caller.Actor.Kind == ActorKind.User && Guid.TryParse(caller.Actor.Id, out var id) ? id : null;

    private static IResult NotAUser() =>
        Problems.Conflict("not_a_user", "Calendar feeds belong to signed-in staff users; an API key has none. Sign in, or manage a contact's feed.").ToResult();
}

/// <summary>A calendar feed without its URL: whose it is (<c>userId</c> or <c>clientId</c> and <c>contactId</c>) and when it was made or revoked.</summary>
public sealed record CalendarFeedJson(Guid Id, Guid? UserId, Guid? ClientId, Guid? ContactId, string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt)
{
    public static CalendarFeedJson Of(CalendarFeed f) => new(f.Id, f.UserId, f.ClientId, f.ContactId, f.CreatedBy, f.CreatedAt, f.RevokedAt);
}

/// <summary>A new calendar feed with its URL (<c>…/calendar/{token}.ics</c>), which is shown this once.</summary>
public sealed record NewCalendarFeedJson(CalendarFeedJson Feed, string Url);
