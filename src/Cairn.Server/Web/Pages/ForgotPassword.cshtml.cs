using Cairn.Domain;
using Cairn.Server.Api;
using Cairn.Server.Identity;
using Cairn.Server.Requests;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace Cairn.Server.Web.Pages;

/// <summary>
/// "Forgot password": asks for the address and emails a reset link (<see cref="PasswordResets"/>).
/// The answer is the same for an address nobody uses; posts share the sign-in budget per client address.
/// </summary>
[EnableRateLimiting(SignInSchemes.SignInPolicy)]
public sealed class ForgotPasswordModel(PasswordResets resets) : PageModel
{
    [BindProperty]
    public string? Email { get; set; }

    /// <summary>The address the answer names after a request.</summary>
    public string? SentTo { get; private set; }

    public string? Error { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        Response.DoNotStore();
        try
        {
            var email = Inputs.Email(Email, "email", required: true);
            await resets.RequestAsync(email, PublicUrl.Of(HttpContext), cancellationToken);
            SentTo = email;
            return Page();
        }
        catch (DomainException e)
        {
            Error = e.Error.Message;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
    }
}
