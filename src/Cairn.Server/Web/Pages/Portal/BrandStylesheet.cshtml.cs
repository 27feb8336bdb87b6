using Cairn.Domain;
using Cairn.Server.Data;
using Microsoft.AspNetCore.Mvc;

namespace Cairn.Server.Web.Pages.Portal;

/// <summary>The accent of the contact's organization as a stylesheet (<see cref="PortalBrand.Stylesheet"/>); Cairn's own when it has none.</summary>
public sealed class PortalBrandStylesheetModel(CairnDb db) : WebPage
{
    public async Task<IActionResult> OnGetAsync()
    {
        if (await PortalBrand.OfContactAsync(HttpContext, db) is not { } brand)
            return Unauthorized();
        var accent = brand.Accent ?? AccentColour.Default;
        Response.Headers.CacheControl = Request.Query["v"] == accent.Hex[1..] ? "private, max-age=31536000, immutable" : "private, no-cache";
        return Content(PortalBrand.Stylesheet(accent), "text/css; charset=utf-8");
    }
}
