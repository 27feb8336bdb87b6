using Cairn.Domain;
using Cairn.Server.Data;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Documents;

/// <summary>The organization's branding as its documents show it: the accent colour and the logo's bytes (PNG or JPEG).</summary>
/// <param name="Accent">Colour of the seller's name, the title and the strong rules.</param>
/// <param name="Logo">The logo drawn above the seller's name on the first page; null for none.</param>
public sealed record DocumentBrand(AccentColour Accent, byte[]? Logo)
{
    /// <summary>Cairn's own look: its accent and no logo.</summary>
    public static readonly DocumentBrand Cairn = new(AccentColour.Default, null);

    /// <summary>The branding of the current tenant, read as it is now (like the payment instructions its invoices print).</summary>
    public static async Task<DocumentBrand> OfTenantAsync(CairnDb db, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var organization = await db.Organizations.AsNoTracking().Select(o => new { o.Accent, o.LogoSha256 }).SingleAsync(cancellationToken);
        var logo = organization.LogoSha256 is { } sha256
            ? await db.FileBlobs.AsNoTracking().Where(b => b.Sha256 == sha256).Select(b => b.Content).SingleAsync(cancellationToken)
            : null;
        return new DocumentBrand(organization.Accent ?? AccentColour.Default, logo);
    }
}
