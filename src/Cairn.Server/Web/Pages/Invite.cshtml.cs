using Cairn.Domain;
using Cairn.Server.Billing;
using Cairn.Server.Data;
using Cairn.Server.Identity;
using Cairn.Server.Requests;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Web.Pages;

/// <summary>
/// An invited person without an account sets their name and password, and the link then stops
/// working; a person who already has an account is told to sign in with it (the invitation gave
/// them a membership, which the organization menu opens).
/// </summary>
public sealed class InviteModel(CairnDb db, Invitations invitations, StaffSignIn signIn, IPasswordHasher<StaffUser> hasher, TimeProvider clock) : PageModel
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

    /// <summary>Whether the invited person already has a password (they sign in with it; the page sets nothing).</summary>
    public bool HasAccount { get; private set; }

    public async Task<IActionResult> OnGetAsync(string token, CancellationToken cancellationToken)
    {
        if (await LoadAsync(token, cancellationToken) is not { } member)
            return NotFound();
        DisplayName ??= member.User.DisplayName;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string token, CancellationToken cancellationToken)
    {
        if (await LoadAsync(token, cancellationToken) is not { } member)
            return NotFound();
        if (HasAccount)
            return Page();
        if (Password != ConfirmPassword)
            return Fail("The two passwords differ.");
        var user = member.User;
        try
        {
            user.AcceptInvitation(DisplayName ?? "", Password ?? "", hasher);
        }
        catch (DomainException e)
        {
            return Fail(e.Error.Message);
        }

        Audit.Record(db, member.Membership.OrganizationId, "user", user.Id, "invitation_accepted", user.Actor, clock.GetUtcNow(), after: new { user.DisplayName });
        await signIn.OpenSessionAsync(HttpContext, user, member.Membership.OrganizationId, cancellationToken);
        return Redirect("/");
    }

    private async Task<Member?> LoadAsync(string token, CancellationToken cancellationToken)
    {
        Response.DoNotStore();
        Response.Headers["Referrer-Policy"] = "no-referrer";
        var member = await invitations.FindAsync(token, clock.GetUtcNow(), cancellationToken);
        if (member is null)
            return null;
        db.TenantId = member.Membership.OrganizationId;
        Email = member.User.Email;
        HasAccount = !member.User.NeedsPassword;
        OrganizationName = (await db.Organizations.AsNoTracking().SingleAsync(cancellationToken)).Name;
        return member;
    }

    private PageResult Fail(string message)
    {
        Error = message;
        Password = ConfirmPassword = null;
        return Page();
    }
}
