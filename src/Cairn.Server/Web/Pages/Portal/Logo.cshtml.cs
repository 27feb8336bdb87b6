using Cairn.Server.Billing;
using Cairn.Server.Data;
using Cairn.Server.Documents;
using Cairn.Server.Identity;
using Microsoft.AspNetCore.Mvc;

namespace Cairn.Server.Web.Pages.Portal;

/// <summary>The logo of the contact's own organization (never another's: there is no id to name), as <see cref="LogoDownload"/> serves it.</summary>
public sealed class PortalLogoModel(CairnDb db, Branding branding) : WebPage
{
    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (await HttpContext.PortalCallerAsync() is not { } contact)
            return Unauthorized();
        db.ScopeTo(contact);
        if (await branding.LogoAsync(cancellationToken) is not { } logo)
            return NotFound();
        return LogoDownload.WriteHeaders(HttpContext, logo) ? File(logo.Content, logo.MediaType) : StatusCode(StatusCodes.Status304NotModified);
    }
}
