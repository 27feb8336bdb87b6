using Cairn.Server.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace Cairn.Server.Web.Pages;

/// <summary>
/// Staff sign-in with email and password; five failures lock the email address for fifteen
/// minutes, and each client address has a budget of attempts per minute (both answer 429 with Retry-After).
/// </summary>
[EnableRateLimiting(SignInSchemes.SignInPolicy)]
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
        var check = await signIn.CheckAsync(Email, Password, cancellationToken);
        Password = null;
        switch (check.Outcome)
        {
            case SignInOutcome.Success:
                await StaffSignIn.SignInAsync(HttpContext, check.User!);
                return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/");
            case SignInOutcome.LockedOut:
                // The same words for any address, known or not: a lockout reveals no account.
                Error = $"Too many failed attempts: sign-in with this email is locked for {StaffSignIn.LockoutDuration.TotalMinutes:0} minutes. Try again later.";
                Response.StatusCode = StatusCodes.Status429TooManyRequests;
                Response.Headers.RetryAfter = ((int)Math.Ceiling(check.RetryAfter!.Value.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                return Page();
            default:
                Error = "The email or password is incorrect.";
                Response.StatusCode = StatusCodes.Status401Unauthorized;
                return Page();
        }
    }
}
