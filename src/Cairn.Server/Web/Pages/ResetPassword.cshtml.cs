using Cairn.Domain;
using Cairn.Server.Billing;
using Cairn.Server.Data;
using Cairn.Server.Identity;
using Cairn.Server.Requests;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Cairn.Server.Web.Pages;

/// <summary>The page of an emailed reset link: a new password, after which the link stops working and the person signs in with it.</summary>
public sealed class ResetPasswordModel(CairnDb db, PasswordResets resets, IPasswordHasher<StaffUser> hasher, TimeProvider clock) : PageModel
{
    [BindProperty]
    public string? Password { get; set; }

    [BindProperty]
    public string? ConfirmPassword { get; set; }

    /// <summary>The account's address; null when the link is not (or no longer) valid.</summary>
    public string? Email { get; private set; }

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(string token, CancellationToken cancellationToken)
    {
        await LoadAsync(token, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string token, CancellationToken cancellationToken)
    {
        if (await LoadAsync(token, cancellationToken) is not { } user)
            return Page();
        if (Password != ConfirmPassword)
            return Fail("The two passwords differ.");
        var now = clock.GetUtcNow();
        try
        {
            user.ResetPassword(Password ?? "", hasher, now);
        }
        catch (DomainException e)
        {
            return Fail(e.Error.Message);
        }

        db.TenantId = user.LastOrganizationId;
        Audit.Record(db, user.LastOrganizationId, "user", user.Id, "password_reset", user.Actor, now);
        await db.SaveChangesAsync(cancellationToken);
        return Redirect("/signin?reset=done");
    }

    private async Task<StaffUser?> LoadAsync(string token, CancellationToken cancellationToken)
    {
        Response.DoNotStore();
        var user = await resets.FindAsync(token, cancellationToken);
        if (user is null)
            Response.StatusCode = StatusCodes.Status404NotFound;
        Email = user?.Email;
        return user;
    }

    private PageResult Fail(string message)
    {
        Error = message;
        Password = ConfirmPassword = null;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }
}
