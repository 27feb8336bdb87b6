using Cairn.Server.Data;
using Cairn.Server.Outbox;
using Microsoft.AspNetCore.Mvc;

namespace Cairn.Server.Web.Pages.Account;

/// <summary>The signed-in user's email notifications: which staff events email them, one by one or as a daily digest, and the language of their emails (the same choice as <c>/api/v1/users/me/notification-preferences</c>).</summary>
public sealed class NotificationsModel(CairnDb db, TimeProvider clock) : StaffPage
{
    [BindProperty]
    public List<string> Events { get; set; } = [];

    [BindProperty]
    public bool DailyDigest { get; set; }

    /// <summary>The language of the user's emails, ISO 639-1 (<c>en</c>, <c>de</c> …).</summary>
    [BindProperty]
    public string Language { get; set; } = "en";

    /// <summary>The clause the page shows for an event type (the one the member's emails say they were sent for).</summary>
    public static string Describe(string eventType) => Localization.MailWording.English.StaffEvent(eventType);

    public async Task OnGetAsync(CancellationToken ct)
    {
        ViewData["Section"] = "settings";
        var preference = await NotificationPreferences.OfAsync(db, Caller.OrganizationId, UserId, clock.GetUtcNow(), ct);
        Events = [.. preference.Events];
        DailyDigest = preference.DailyDigest;
        Language = Inputs.NameOf(await NotificationPreferences.LanguageOfAsync(db, UserId, ct));
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        ViewData["Section"] = "settings";
        if (await TryChangeAsync(db, "notifications", async () =>
                await NotificationPreferences.ChooseAsync(db, Caller.OrganizationId, UserId, Events, DailyDigest,
                    Inputs.EnumValue<Domain.Language>(Language, "language"), Caller.Actor, clock.GetUtcNow(), ct)))
        {
            Flash = "Saved.";
            return Redirect("/account/notifications");
        }

        return Page();
    }

    private Guid UserId => Caller.UserId ?? throw new InvalidOperationException("Staff pages are for signed-in users.");
}
