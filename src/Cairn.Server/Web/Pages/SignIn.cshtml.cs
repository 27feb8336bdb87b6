using Cairn.Server.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Cairn.Server.Web.Pages;

/// <summary>Staff sign-in with email and password; five failures lock the account for fifteen minutes.</summary>
public sealed class SignInModel(StaffSignIn signIn, Provisioning provisioning) : PageModel
{
    [BindProperty]
    public string? Email { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) =>
        await provisioning.IsSetUpAsync(cancellationToken) ? Page() : Redirect("/setup");

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var (outcome, user) = await signIn.CheckAsync(Email, Password, cancellationToken);
        Password = null;
        switch (outcome)
        {
            case SignInOutcome.Success:
                await StaffSignIn.SignInAsync(HttpContext, user!);
                return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/");
            case SignInOutcome.LockedOut:
                Error = $"Too many failed attempts: this account is locked for {StaffUser.LockoutDuration.TotalMinutes:0} minutes. Try again later.";
                Response.StatusCode = StatusCodes.Status429TooManyRequests;
                return Page();
            default:
                Error = "The email or password is incorrect.";
                Response.StatusCode = StatusCodes.Status401Unauthorized;
                return Page();
        }
    }
}
