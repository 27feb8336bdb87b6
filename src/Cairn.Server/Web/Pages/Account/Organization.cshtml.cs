using Cairn.Server.Data;
using Cairn.Server.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Web.Pages.Account;

/// <summary>
/// The organization switcher: a person who belongs to several organizations moves their session to
/// another one they are an active member of (a new cookie with that membership's role). Any other
/// organization id answers 404, as if it did not exist.
/// </summary>
public sealed class OrganizationModel(CairnDb db, StaffSignIn signIn) : StaffPage
{
    /// <inheritdoc />
    protected override bool OpensBeforeTwoFactor => true;

    public IActionResult OnGet() => Redirect("/");

    public async Task<IActionResult> OnPostAsync(Guid organizationId, CancellationToken ct)
    {
        var user = await db.Users.IgnoreQueryFilters().SingleAsync(u => u.Id == Guid.Parse(Caller.Actor.Id), ct);
        return await signIn.OpenSessionAsync(HttpContext, user, organizationId, ct) ? Redirect("/") : NotFound();
    }
}
