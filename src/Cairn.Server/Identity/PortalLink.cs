using Cairn.Domain;

namespace Cairn.Server.Identity;

/// <summary>
/// A passwordless way into the client portal for one contact: the link carries a 256-bit random
/// token, Cairn keeps only its SHA-256, and the link expires (14 days by default) or is revoked.
/// </summary>
public sealed class PortalLink
{
    /// <summary>How long a link works unless the creator says otherwise.</summary>
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromDays(14);

    /// <summary>The longest lifetime a link may be given.</summary>
    public const int MaxLifetimeDays = 90;

    private PortalLink()
    {
    }

    private PortalLink(Guid id, Contact contact, string tokenHash, Actor createdBy, DateTimeOffset now, DateTimeOffset expiresAt)
    {
        Id = id;
        OrganizationId = contact.OrganizationId;
        ClientId = contact.ClientId;
        ContactId = contact.Id;
        TokenHash = tokenHash;
        CreatedBy = createdBy.ToString();
        CreatedAt = now;
        ExpiresAt = expiresAt;
    }

    public Guid Id { get; private set; }

    public Guid OrganizationId { get; private set; }

    public Guid ClientId { get; private set; }

    public Guid ContactId { get; private set; }

    /// <summary>SHA-256 of the token, hex; the token itself is never stored.</summary>
    public string TokenHash { get; private set; } = "";

    /// <summary>Who made the link, in the audit log's <c>kind:id</c> form.</summary>
    public string CreatedBy { get; private set; } = "";

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset ExpiresAt { get; private set; }

    public DateTimeOffset? RevokedAt { get; private set; }

    public DateTimeOffset? LastOpenedAt { get; private set; }

    /// <summary>Creates a link for a contact; the returned token goes into the URL once and is never stored.</summary>
    public static (PortalLink Link, string Token) Create(Contact contact, Actor createdBy, DateTimeOffset now, int? lifetimeDays = null)
    {
        if (lifetimeDays is < 1 or > MaxLifetimeDays)
            throw new DomainException(new DomainError("invalid_lifetime", $"expiresInDays is between 1 and {MaxLifetimeDays}.", "expiresInDays"));
        var token = Tokens.New();
        var expires = now + (lifetimeDays is { } days ? TimeSpan.FromDays(days) : DefaultLifetime);
        return (new PortalLink(Guid.CreateVersion7(), contact, Tokens.Hash(token), createdBy, now, expires), token);
    }

    /// <summary>Whether the link still lets its contact in.</summary>
    public bool IsValid(DateTimeOffset now) => RevokedAt is null && ExpiresAt > now;

    /// <summary>Records that the link was opened (bookkeeping only; no business state changes).</summary>
    public void Opened(DateTimeOffset now) => LastOpenedAt = now;

    /// <summary>Revokes the link: it no longer opens the portal, and sessions started with it end.</summary>
    public void Revoke(DateTimeOffset now) => RevokedAt ??= now;
}
