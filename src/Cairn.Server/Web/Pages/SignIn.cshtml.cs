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

    /// <summary>The sealed half-finished sign-in, while a second-factor code is asked for.</summary>
    [BindProperty]
    public string? Pending { get; set; }

    [BindProperty]
    public string? Code { get; set; }

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) =>
        await provisioning.IsSetUpAsync(cancellationToken) ? Page() : Redirect("/setup");

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var check = await signIn.CheckAsync(Email, Password, cancellationToken);
        Password = null;
        return await AnswerAsync(check, "The email or password is incorrect.");
    }

    /// <summary>The second step for a user with a second factor: the code from their app or a recovery code.</summary>
    public async Task<IActionResult> OnPostCodeAsync(CancellationToken cancellationToken)
    {
        var check = await signIn.CheckSecondFactorAsync(Pending, Code, cancellationToken);
        Code = null;
        if (check.Outcome == SignInOutcome.Invalid && Pending is not null)
            check = check with { Pending = Pending };
        return await AnswerAsync(check, "The code is incorrect or was already used.");
    }

    private async Task<IActionResult> AnswerAsync(SignInCheck check, string invalid)
    {
        Pending = check.Pending;
        switch (check.Outcome)
        {
            case SignInOutcome.Success when await signIn.OpenSessionAsync(HttpContext, check.User!, null, HttpContext.RequestAborted):
                return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/");
            case SignInOutcome.SecondFactorRequired:
                return Page();
            case SignInOutcome.LockedOut:
                // The same words for any address, known or not: a lockout reveals no account.
                Pending = null;
                Error = $"Too many failed attempts: sign-in with this email is locked for {StaffSignIn.LockoutDuration.TotalMinutes:0} minutes. Try again later.";
                Response.StatusCode = StatusCodes.Status429TooManyRequests;
                Response.Headers.RetryAfter = ((int)Math.Ceiling(check.RetryAfter!.Value.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                return Page();
            default:
                Error = invalid;
                Response.StatusCode = StatusCodes.Status401Unauthorized;
                return Page();
        }
    }
}
