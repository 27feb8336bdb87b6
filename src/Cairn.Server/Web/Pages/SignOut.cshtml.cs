using Cairn.Server.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Cairn.Server.Web.Pages;

/// <summary>Ends the staff session (a POST with antiforgery, so no other site can sign anyone out).</summary>
public sealed class SignOutModel : PageModel
{
    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        await HttpContext.SignOutAsync(SignInSchemes.Staff);
        return Redirect("/signin");
    }
}
