using Cairn.Domain;
using Cairn.Server.Billing;
using Cairn.Server.Data;
using Cairn.Server.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Web.Pages;

/// <summary>An invited user sets their name and password; the link then stops working.</summary>
public sealed class InviteModel(CairnDb db, Invitations invitations, IPasswordHasher<StaffUser> hasher, TimeProvider clock) : PageModel
{
    [BindProperty]
    public string? DisplayName { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    [BindProperty]
    public string? ConfirmPassword { get; set; }

    public string Email { get; private set; } = "";

    public string OrganizationName { get; private set; } = "";

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(string token, CancellationToken cancellationToken)
    {
        if (await LoadAsync(token, cancellationToken) is not { } user)
            return NotFound();
        DisplayName ??= user.DisplayName;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string token, CancellationToken cancellationToken)
    {
        if (await LoadAsync(token, cancellationToken) is not { } user)
            return NotFound();
        if (Password != ConfirmPassword)
            return Fail("The two passwords differ.");
        var now = clock.GetUtcNow();
        try
        {
            user.AcceptInvitation(DisplayName ?? "", Password ?? "", hasher, now);
        }
        catch (DomainException e)
        {
            return Fail(e.Error.Message);
        }

        Audit.Record(db, user.OrganizationId, "user", user.Id, "invitation_accepted", user.Actor, now, after: new { user.DisplayName });
        await db.SaveChangesAsync(cancellationToken);
        await StaffSignIn.SignInAsync(HttpContext, user);
        return Redirect("/");
    }

    private async Task<StaffUser?> LoadAsync(string token, CancellationToken cancellationToken)
    {
        Response.Headers.CacheControl = "no-store";
        Response.Headers["Referrer-Policy"] = "no-referrer";
        var user = await invitations.FindAsync(token, clock.GetUtcNow(), cancellationToken);
        if (user is null)
            return null;
        db.TenantId = user.OrganizationId;
        Email = user.Email;
        OrganizationName = (await db.Organizations.AsNoTracking().SingleAsync(cancellationToken)).Name;
        return user;
    }

    private PageResult Fail(string message)
    {
        Error = message;
        Password = ConfirmPassword = null;
        return Page();
    }
}
