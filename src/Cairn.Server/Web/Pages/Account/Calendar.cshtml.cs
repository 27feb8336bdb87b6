using Cairn.Server.Api;
using Cairn.Server.Calendar;
using Cairn.Server.Data;
using Cairn.Server.Requests;
using Microsoft.AspNetCore.Mvc;

namespace Cairn.Server.Web.Pages.Account;

/// <summary>
/// The signed-in user's calendar feed: subscribe a calendar app to the organization's due dates.
/// Making a new link revokes the old one; the link is shown once, right after it is made.
/// </summary>
public sealed class CalendarModel(CairnDb db, TimeProvider clock) : StaffPage
{
    public CalendarFeed? Feed { get; private set; }

    /// <summary>The new feed's URL, shown only in the answer that made it.</summary>
    public string? NewUrl { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await ShowAsync(ct);

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken ct)
    {
        await TryChangeAsync(db, "calendar", async () =>
            NewUrl = (await CalendarFeeds.RenewForUserAsync(db, Caller.OrganizationId, UserId, Caller.Actor, clock.GetUtcNow(), PublicUrl.Of(HttpContext), ct)).Url);
        await ShowAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(CancellationToken ct)
    {
        await TryChangeAsync(db, "calendar", async () => await CalendarFeeds.RevokeOfUserAsync(db, UserId, Caller.Actor, clock.GetUtcNow(), ct));
        await ShowAsync(ct);
        return Page();
    }

    private Guid UserId => Guid.Parse(Caller.Actor.Id);

    private async Task ShowAsync(CancellationToken ct)
    {
        ViewData["Section"] = "settings";
        Feed = await CalendarFeeds.LiveOfUserAsync(db, UserId, ct);
        Response.DoNotStore();
    }
}
