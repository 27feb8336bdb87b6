using Cairn.Domain;
using Cairn.Server.Identity;
using Cairn.Server.Requests;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Cairn.Server.Web.Pages;

/// <summary>
/// The page for a web request that ended in an error without a body (issue 12, stumble 7): what
/// happened in words and a way back, in the portal's frame for portal addresses. It never says
/// why a portal link failed (expired, withdrawn or never issued look the same). Portal pages speak
/// the client's language when the session or the link still names a client, else the browser's
/// preferred one of the portal's languages (Accept-Language), else English.
/// </summary>
[IgnoreAntiforgeryToken]
public sealed class StatusModel : PageModel
{
    /// <summary>The HTTP status being explained.</summary>
    public int Code { get; private set; }

    /// <summary>The address that was asked for.</summary>
    public string OriginalPath { get; private set; } = "";

    /// <summary>Whether the address belongs to the client portal.</summary>
    public bool Portal { get; private set; }

    /// <summary>The language of the portal page: the client's when known, else English.</summary>
    public Language Language { get; private set; } = Language.En;

    public Task<PageResult> OnGetAsync(int code) => ExplainAsync(code);

    public Task<PageResult> OnPostAsync(int code) => ExplainAsync(code);

    private async Task<PageResult> ExplainAsync(int code)
    {
        Code = code is >= 400 and <= 599 ? code : StatusCodes.Status404NotFound;
        OriginalPath = HttpContext.Features.Get<IStatusCodeReExecuteFeature>()?.OriginalPath ?? Request.Path.Value ?? "";
        Portal = OriginalPath.StartsWith("/portal", StringComparison.Ordinal);
        Response.StatusCode = Code;
        if (Portal)
        {
            // A portal address may carry a token: keep it out of caches and Referer headers.
            Response.DoNotStore();
            Response.Headers["Referrer-Policy"] = "no-referrer";
            ViewData["Portal"] = true;
            Language = await PortalLanguageAsync();
            Web.PortalLanguage.Use(ViewData, Language);
        }

        return Page();
    }

    // The language an expired or revoked link named, else the session's client's.
    private async Task<Language> PortalLanguageAsync() =>
        HttpContext.Items[PortalEndpoints.PortalLinkLanguage] is Language named ? named : await Web.PortalLanguage.OfContactAsync(HttpContext);
}
