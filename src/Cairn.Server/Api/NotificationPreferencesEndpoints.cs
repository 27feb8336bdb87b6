using Cairn.Domain;
using Cairn.Server.Data;
using Cairn.Server.Identity;
using Cairn.Server.Outbox;

namespace Cairn.Server.Api;

/// <summary><c>/users/me/notification-preferences</c>: which events email the signed-in staff user, and whether as a daily digest.</summary>
public static class NotificationPreferencesEndpoints
{
    public static void MapNotificationPreferences(this RouteGroupBuilder api)
    {
        var mine = api.MapGroup("/users/me/notification-preferences").WithTags("Users");

        mine.MapGet("/", async (HttpContext http, CairnDb db, TimeProvider clock, CancellationToken ct) =>
        {
            var caller = http.Caller();
            if (caller.UserId is not { } userId)
                return NotAUser();
            var preference = await NotificationPreferences.OfAsync(db, caller.OrganizationId, userId, clock.GetUtcNow(), ct);
            return Http.WithETag(http, NotificationPreferencesJson.Of(preference, await NotificationPreferences.LanguageOfAsync(db, userId, ct)), preference.Version);
        }).Requires(Permission.Read).Produces<NotificationPreferencesJson>().ProducesProblem(StatusCodes.Status409Conflict);

        mine.MapPut("/", async (NotificationPreferencesInput input, HttpContext http, CairnDb db, TimeProvider clock, CancellationToken ct) =>
        {
            var caller = http.Caller();
            if (caller.UserId is not { } userId)
                return NotAUser();
            if (input.Events is null)
                throw new DomainException(new DomainError("required", "events is required: the event types that email you, e.g. [\"milestone.approved\"], or [] for none.", "events"));
            if (input.DailyDigest is null)
                throw new DomainException(new DomainError("required", "dailyDigest is required: true for one email a day at 08:00, false for one email per event.", "dailyDigest"));
            var language = Inputs.OptionalEnum<Language>(input.Language, "language");
            var now = clock.GetUtcNow();
            var current = await NotificationPreferences.OfAsync(db, caller.OrganizationId, userId, now, ct);
            if (Http.CheckIfMatch(http, current.Version) is { } stale)
                return stale;
            var preference = await NotificationPreferences.ChooseAsync(db, caller.OrganizationId, userId, input.Events, input.DailyDigest.Value, language, caller.Actor, now, ct);
            return Http.WithETag(http, NotificationPreferencesJson.Of(preference, await NotificationPreferences.LanguageOfAsync(db, userId, ct)), preference.Version);
        }).Requires(Permission.Read).Produces<NotificationPreferencesJson>();
    }

    private static IResult NotAUser() =>
        Problems.Conflict("not_a_user", "Notification preferences belong to signed-in staff users; an API key has none. Sign in to choose yours.").ToResult();
}

/// <summary>
/// A staff user's notification preferences: <c>events</c>, the event types that email them (among
/// <c>available</c>); <c>dailyDigest</c>, true for one email a day at 08:00 in the organization's time zone listing them, false for one email per event;
/// <c>language</c>, the language of every email Cairn sends the person (ISO 639-1: <c>en</c>, <c>de</c>, <c>fr</c>, <c>nl</c>, <c>es</c>; the same in each of their organizations).
/// </summary>
public sealed record NotificationPreferencesJson(IReadOnlyList<string> Events, bool DailyDigest, IReadOnlyList<string> Available, string Language)
{
    public static NotificationPreferencesJson Of(NotificationPreference p, Language language) => new(p.Events, p.DailyDigest, NotificationPreference.StaffEvents, Inputs.NameOf(language));
}

/// <summary>
/// The new choice: <c>events</c> (event types among <c>available</c>, [] for none) and <c>dailyDigest</c> are required;
/// <c>language</c> (<c>en</c>, <c>de</c>, <c>fr</c>, <c>nl</c> or <c>es</c>) is optional, left as it is when absent; anything else is a 400 naming <c>language</c>.
/// </summary>
public sealed record NotificationPreferencesInput(IReadOnlyList<string>? Events, bool? DailyDigest, string? Language = null);
