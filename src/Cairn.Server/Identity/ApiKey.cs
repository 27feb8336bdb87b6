using System.Security.Cryptography;
using System.Text;

namespace Cairn.Server.Identity;

/// <summary>
/// An integrator's key: scoped to one organization and one role, stored only as a SHA-256 hash
/// (the secret has 256 bits of randomness, so a fast hash is safe), revocable, with its
/// last-used time recorded.
/// </summary>
public sealed class ApiKey
{
    /// <summary>Every key starts with this, so leaked keys are easy to recognise and scan for.</summary>
    public const string Prefix = "cairn_";

    private ApiKey()
    {
    }

    private ApiKey(Guid id, Guid organizationId, string name, Role role, string hash, string hint, Guid? createdBy, DateTimeOffset now)
    {
        Id = id;
        OrganizationId = organizationId;
        Name = name;
        Role = role;
        Hash = hash;
        Hint = hint;
        CreatedBy = createdBy;
        CreatedAt = now;
    }

    public Guid Id { get; private set; }

    public Guid OrganizationId { get; private set; }

    public string Name { get; private set; } = "";

    public Role Role { get; private set; }

    /// <summary>SHA-256 of the whole key, hex; the key itself is never stored.</summary>
    public string Hash { get; private set; } = "";

    /// <summary>The first characters of the key, so people can tell keys apart.</summary>
    public string Hint { get; private set; } = "";

    public Guid? CreatedBy { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? LastUsedAt { get; private set; }

    public DateTimeOffset? RevokedAt { get; private set; }

    /// <summary>Creates a key; the returned secret is shown once and never again.</summary>
    public static (ApiKey Key, string Secret) Create(Guid organizationId, string name, Role role, Guid? createdBy, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 100)
            throw new Domain.DomainException(new Domain.DomainError("name_required", "An API key needs a name of at most 100 characters.", "name"));
        var secret = Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return (new ApiKey(Guid.CreateVersion7(), organizationId, name.Trim(), role, HashOf(secret), secret[..10], createdBy, now), secret);
    }

    /// <summary>The stored form of a presented key.</summary>
    public static string HashOf(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>Marks the key as used now (recorded at most once a minute to spare writes).</summary>
    public bool Touch(DateTimeOffset now)
    {
        if (LastUsedAt is { } last && now - last < TimeSpan.FromMinutes(1))
            return false;
        LastUsedAt = now;
        return true;
    }

    /// <summary>Revokes the key; requests with it are refused from now on.</summary>
    public void Revoke(DateTimeOffset now) => RevokedAt ??= now;
}
