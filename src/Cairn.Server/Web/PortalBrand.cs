using Cairn.Domain;
using Cairn.Server.Data;
using Cairn.Server.Identity;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Web;

/// <summary>
/// The portal's look for the contact's organization: its logo in the header and its accent as the
/// <c>--brand</c> CSS custom property, from a stylesheet (<c>/portal/brand.css</c>), since the
/// Content-Security-Policy allows no inline style or script. Both addresses carry what they show
/// (<c>?v=</c> the logo's SHA-256, the accent's hex digits), so they can be cached as immutable.
/// </summary>
/// <param name="LogoSha256">The logo's SHA-256; null without a logo.</param>
/// <param name="Accent">The organization's accent; null for Cairn's own.</param>
public sealed record PortalBrand(string? LogoSha256, AccentColour? Accent)
{
    /// <summary>The address of the logo, or null.</summary>
    public string? LogoUrl => LogoSha256 is null ? null : "/portal/logo?v=" + LogoSha256;

    /// <summary>The address of the accent stylesheet, or null for Cairn's own colours.</summary>
    public string? StylesheetUrl => Accent is { } accent ? "/portal/brand.css?v=" + accent.Hex[1..] : null;

    /// <summary>The branding of the portal contact's organization; null outside a portal session.</summary>
    public static async Task<PortalBrand?> OfContactAsync(HttpContext context, CairnDb db)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(db);
        if (await context.PortalCallerAsync() is not { } contact)
            return null;
        db.ScopeTo(contact);
        return await db.Organizations.AsNoTracking().Select(o => new PortalBrand(o.LogoSha256, o.Accent)).SingleAsync(context.RequestAborted);
    }

    /// <summary>The stylesheet that gives the portal the organization's accent.</summary>
    public static string Stylesheet(AccentColour accent) => $":root {{ --brand: {accent.Hex}; }}\n";
}
