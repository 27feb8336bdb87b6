using System.Security.Cryptography;
using Cairn.Domain;
using Microsoft.AspNetCore.Identity;

namespace Cairn.Server.Identity;

/// <summary>
/// A person who signs in to the staff app with email and password: one sign-in, whatever the number
/// of organizations they belong to (their <see cref="Membership"/>s carry role and status per
/// organization). The password is kept only as an ASP.NET Core Identity hash (PBKDF2); failed
/// sign-ins are counted per email address by <see cref="StaffSignIn"/>; the security stamp changes
/// whenever existing sessions must end.
/// </summary>
public sealed class StaffUser
{
    /// <summary>How long an invitation link stays valid.</summary>
    public static readonly TimeSpan InvitationLifetime = TimeSpan.FromDays(7);

    private StaffUser()
    {
    }

    private StaffUser(Guid id, Guid organizationId, string email, string displayName, DateTimeOffset now)
    {
        Id = id;
        LastOrganizationId = organizationId;
        Email = email;
        NormalizedEmail = Normalize(email);
        DisplayName = displayName;
        CreatedAt = now;
        SecurityStamp = NewStamp();
    }

    public Guid Id { get; private set; }

    /// <summary>
    /// The organization sign-in opens: the one the person last worked in. Never an access decision:
    /// what the person may do in an organization is their <see cref="Membership"/> there.
    /// </summary>
    public Guid LastOrganizationId { get; private set; }

    public string Email { get; private set; } = "";

    /// <summary>The email in upper case: the unique, case-insensitive sign-in name.</summary>
    public string NormalizedEmail { get; private set; } = "";

    public string DisplayName { get; private set; } = "";

    /// <summary>The Identity password hash; null until the person accepts their first invitation.</summary>
    public string? PasswordHash { get; private set; }

    /// <summary>Changes when the password changes, which ends existing sessions.</summary>
    public string SecurityStamp { get; private set; } = "";

    /// <summary>SHA-256 of the pending password-reset token ("forgot password"); the token itself is never stored.</summary>
    public string? ResetTokenHash { get; private set; }

    /// <summary>When the pending password-reset link stops working.</summary>
    public DateTimeOffset? ResetExpiresAt { get; private set; }

    /// <summary>The TOTP shared secret (RFC 6238), encrypted by Data Protection; null while no second factor is set up.</summary>
    public string? TotpSecret { get; private set; }

    /// <summary>The last TOTP time step accepted, so a code works once.</summary>
    public long? TotpLastStep { get; private set; }

    /// <summary>Whether sign-in asks for a code after the password.</summary>
    public bool HasTwoFactor => TotpSecret is not null;

    /// <summary>Optimistic-concurrency version of the person's own record.</summary>
    public int Version { get; private set; } = 1;

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? LastSignInAt { get; private set; }

    /// <summary>The language of the emails Cairn sends the person (notifications, digests, mentions, a disabled webhook endpoint); English by default.</summary>
    public Language Language { get; private set; } = Language.En;

    /// <summary>The actor recorded in history for this person: <c>user:&lt;id&gt;</c>.</summary>
    public Actor Actor => new(ActorKind.User, Id.ToString(), DisplayName);

    /// <summary>The case-insensitive form of an email address.</summary>
    public static string Normalize(string email) => email.Trim().ToUpperInvariant();

    /// <summary>Creates a person who signs in with a password at once (the first owner of an organization).</summary>
    public static StaffUser WithPassword(Guid organizationId, string email, string displayName, string password, IPasswordHasher<StaffUser> hasher, DateTimeOffset now)
    {
        var user = new StaffUser(Guid.CreateVersion7(), organizationId, email.Trim(), CheckName(displayName), now);
        user.SetPassword(password, hasher);
        return user;
    }

    /// <summary>Creates a person invited to an organization, without a password until they accept (see <see cref="Membership.Invite"/>).</summary>
    public static StaffUser Invited(Guid organizationId, string email, string? displayName, DateTimeOffset now) =>
        new(Guid.CreateVersion7(), organizationId, email.Trim(), NameFor(email, displayName), now);

    /// <summary>The name an invitation gives: <paramref name="displayName"/>, or the part of the email before the @.</summary>
    /// <exception cref="DomainException"><c>invalid_name</c> for a name over 100 characters or with control characters.</exception>
    public static string NameFor(string email, string? displayName)
    {
        var trimmed = email.Trim();
        return string.IsNullOrWhiteSpace(displayName) ? trimmed[..trimmed.IndexOf('@', StringComparison.Ordinal)] : CheckName(displayName);
    }

    /// <summary>Whether the person still has to choose a password (their first invitation is not accepted yet).</summary>
    public bool NeedsPassword => PasswordHash is null;

    /// <summary>Accepts a first invitation: sets the name and password.</summary>
    /// <exception cref="DomainException"><c>invitation_invalid</c> when the person already has a password (they sign in with it).</exception>
    public void AcceptInvitation(string displayName, string password, IPasswordHasher<StaffUser> hasher)
    {
        if (!NeedsPassword)
            throw new DomainException(new DomainError("invitation_invalid", "This invitation has expired or was already used."));
        var name = CheckName(displayName);
        PasswordPolicy.Check(password, [Email, name]);
        SetPassword(password, hasher);
        DisplayName = name;
        Version++;
    }

    /// <summary>How long an emailed password-reset link works.</summary>
    public static readonly TimeSpan PasswordResetLifetime = TimeSpan.FromHours(1);

    /// <summary>Whether the person can be sent a password-reset link: they have a password (an invited person uses the invitation; deactivation is per organization, checked at sign-in).</summary>
    public bool CanResetPassword => PasswordHash is not null;

    /// <summary>Issues a password-reset token for the emailed link (a previous one stops working); only its hash is kept.</summary>
    public string StartPasswordReset(DateTimeOffset now)
    {
        var token = Tokens.New();
        ResetTokenHash = Tokens.Hash(token);
        ResetExpiresAt = now + PasswordResetLifetime;
        return token;
    }

    /// <summary>Whether a password reset is pending and still valid.</summary>
    public bool HasValidPasswordReset(DateTimeOffset now) => CanResetPassword && ResetTokenHash is not null && ResetExpiresAt > now;

    /// <summary>Sets the new password from a reset link, which then stops working; other sessions end (new security stamp).</summary>
    public void ResetPassword(string password, IPasswordHasher<StaffUser> hasher, DateTimeOffset now)
    {
        if (!HasValidPasswordReset(now))
            throw new DomainException(new DomainError("reset_link_invalid", "This link has expired or was already used: ask for a new one."));
        SetPassword(password, hasher);
        ResetTokenHash = null;
        ResetExpiresAt = null;
        Version++;
    }

    /// <summary>Sets a new password (checked by <see cref="PasswordPolicy"/> against the user's email and name) and ends existing sessions.</summary>
    public void SetPassword(string password, IPasswordHasher<StaffUser> hasher, string field = "password")
    {
        PasswordPolicy.Check(password, [Email, DisplayName], field);
        PasswordHash = hasher.HashPassword(this, password);
        SecurityStamp = NewStamp();
    }

    /// <summary>
    /// Checks a password at sign-in (failures are counted by <see cref="StaffSignIn"/>, per email);
    /// on success records the sign-in and upgrades an outdated hash.
    /// </summary>
    public bool CheckPassword(string password, IPasswordHasher<StaffUser> hasher, DateTimeOffset now)
    {
        if (PasswordHash is null)
        {
            // Hash anyway, so an account without a password answers as slowly as one with.
            hasher.VerifyHashedPassword(this, Tokens.DummyPasswordHash, password);
            return false;
        }

        var result = hasher.VerifyHashedPassword(this, PasswordHash, password);
        if (result == PasswordVerificationResult.Failed)
            return false;
        if (result == PasswordVerificationResult.SuccessRehashNeeded)
            PasswordHash = hasher.HashPassword(this, password);
        LastSignInAt = now;
        return true;
    }

    /// <summary>Records the organization the person now works in, which the next sign-in opens.</summary>
    public void WorkIn(Guid organizationId) => LastOrganizationId = organizationId;

    /// <summary>Sets up the second factor with an encrypted TOTP secret (a previous one stops working).</summary>
    public void EnableTwoFactor(string protectedSecret)
    {
        TotpSecret = protectedSecret;
        TotpLastStep = null;
        Version++;
    }

    /// <summary>Changes the name shown in history.</summary>
    /// <summary>Chooses the language of the person's emails.</summary>
    public void ChooseLanguage(Language language)
    {
        if (Language == language)
            return;
        Language = language;
        Version++;
    }

    public void Rename(string displayName)
    {
        DisplayName = CheckName(displayName);
        Version++;
    }

    private static string CheckName(string? name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Trim().Length > 100 || name.Any(char.IsControl))
            throw new DomainException(new DomainError("invalid_name", "A display name has 1 to 100 characters.", "displayName"));
        return name.Trim();
    }

    private static string NewStamp() => Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
}

/// <summary>A request that the current state forbids (409), e.g. demoting the last owner.</summary>
public sealed record IdentityConflict(string Code, string Message, string? Field = null) : DomainError(Code, Message, Field)
{
    /// <inheritdoc />
    public override DomainErrorKind Kind => DomainErrorKind.Conflict;
}

/// <summary>What a password check at sign-in came to.</summary>
public enum SignInOutcome
{
    /// <summary>The password matched.</summary>
    Success,

    /// <summary>The password matched and the user has a second factor: a code is needed next.</summary>
    SecondFactorRequired,

    /// <summary>Unknown email, wrong password or code, no password yet, or deactivated: all look the same.</summary>
    Invalid,

    /// <summary>Too many failures for this email address (known or not): locked for a while, even for the right password.</summary>
    LockedOut,
}

/// <summary>Random secrets for links and their stored form.</summary>
public static class Tokens
{
    /// <summary>A URL-safe token of 256 random bits.</summary>
    public static string New() => Base64Url(RandomNumberGenerator.GetBytes(32));

    /// <summary>The stored form of a token: SHA-256, hex. The tokens carry 256 bits, so a fast hash is safe.</summary>
    public static string Hash(string token) => ApiKey.HashOf(token);

    /// <summary>Whether a presented string has the shape of a token (43 URL-safe characters).</summary>
    public static bool LooksLikeToken(string? token) =>
        token is { Length: 43 } && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    /// <summary>A hash of no one's password, verified against for unknown accounts to keep timings alike.</summary>
    internal static readonly string DummyPasswordHash = new PasswordHasher<StaffUser>().HashPassword(null!, "cairn-no-such-user-" + Guid.NewGuid());

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
