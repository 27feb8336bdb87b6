using Cairn.Domain;
using Cairn.Server.Data;
using Cairn.Server.Documents;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Billing;

/// <summary>The organization's logo as stored: its bytes, media type and SHA-256 (the ETag and the portal's cache key).</summary>
public sealed record LogoFile(byte[] Content, string MediaType, string Sha256);

/// <summary>
/// The organization's logo, for the API and the Settings page: checked by <see cref="Logo.Check"/> and
/// by drawing it once (<see cref="PdfLayout.CanDraw"/>), stored once per content in <c>file_blobs</c>,
/// audited; each change is a new settings version (ETag). The accent colour is a setting
/// (<see cref="AccentColour"/>, through <c>PATCH /settings</c>).
/// </summary>
public sealed class Branding(CairnDb db, TimeProvider clock)
{
    /// <summary>Makes <paramref name="content"/> named <paramref name="fileName"/> the current tenant's logo.</summary>
    /// <exception cref="DomainException">A <see cref="FileRefused"/> (400, field <c>file</c>): <c>file_name_invalid</c>, the codes of <see cref="Logo.Check"/>, or <c>logo_unreadable</c> when the image cannot be drawn.</exception>
    public async Task<Organization> ChangeLogoAsync(string? fileName, byte[] content, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var name = Attachment.NameOf(fileName);
        var logo = Logo.Check(name, content);
        if (!PdfLayout.CanDraw(content))
            throw new DomainException(new FileRefused("logo_unreadable", $"{name} looks like {logo.Type.Extensions[0].TrimStart('.').ToUpperInvariant()} but cannot be read as an image; save it again and upload the new file.", name));
        var sha256 = Proposal.Sha256Of(content);
        await FileBlob.StoreAsync(db, sha256, content, cancellationToken);
        var organization = await db.Organizations.SingleAsync(cancellationToken);
        var before = State(organization);
        organization.ChangeLogo(logo, sha256);
        return await SaveAsync(organization, "logo_changed", before, actor, cancellationToken);
    }

    /// <summary>Takes the current tenant's logo off (nothing happens when it has none, but the answer is the same).</summary>
    public async Task<Organization> RemoveLogoAsync(Actor actor, CancellationToken cancellationToken = default)
    {
        var organization = await db.Organizations.SingleAsync(cancellationToken);
        if (organization.LogoSha256 is null)
            return organization;
        var before = State(organization);
        organization.RemoveLogo();
        return await SaveAsync(organization, "logo_removed", before, actor, cancellationToken);
    }

    /// <summary>The current tenant's logo, or null when it has none.</summary>
    public async Task<LogoFile?> LogoAsync(CancellationToken cancellationToken = default)
    {
        var organization = await db.Organizations.AsNoTracking().Select(o => new { o.LogoSha256, o.LogoMediaType }).SingleOrDefaultAsync(cancellationToken);
        if (organization?.LogoSha256 is not { } sha256 || organization.LogoMediaType is not { } mediaType)
            return null;
        var content = await db.FileBlobs.AsNoTracking().Where(b => b.Sha256 == sha256).Select(b => b.Content).SingleAsync(cancellationToken);
        return new LogoFile(content, mediaType, sha256);
    }

    private async Task<Organization> SaveAsync(Organization organization, string action, object before, Actor actor, CancellationToken cancellationToken)
    {
        organization.Changed();
        Audit.Record(db, organization.Id, "organization", organization.Id, action, actor, clock.GetUtcNow(), before, State(organization));
        await db.SaveChangesAsync(cancellationToken);
        return organization;
    }

    private static object State(Organization o) => new { logoSha256 = o.LogoSha256, logoMediaType = o.LogoMediaType };
}
