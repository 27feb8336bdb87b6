using System.Security.Cryptography;
using Cairn.Server.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using OtpNet;
using QRCoder;

namespace Cairn.Server.Identity;

/// <summary>
/// The second factor for staff: TOTP (RFC 6238: SHA-1, 6 digits, 30-second steps, one step of
/// clock drift either way) with ten single-use recovery codes. The shared secret is stored
/// encrypted by Data Protection; a code is accepted once (its time step is recorded atomically);
/// recovery codes carry 120 random bits and are stored as SHA-256 hashes (ASVS 5.0 V6.5).
/// </summary>
public sealed class TwoFactor(CairnDb db, IDataProtectionProvider protection, TimeProvider clock)
{
    /// <summary>How many recovery codes an enrolment gives.</summary>
    public const int RecoveryCodeCount = 10;

    /// <summary>How long a half-finished sign-in (password right, code not yet given) or enrolment stays valid.</summary>
    public static readonly TimeSpan PendingLifetime = TimeSpan.FromMinutes(10);

    private IDataProtector Secrets => protection.CreateProtector("Cairn.TwoFactor.Secret");

    private IDataProtector Pending => protection.CreateProtector("Cairn.TwoFactor.Pending");

    /// <summary>A new random TOTP secret (160 bits), Base32 as authenticator apps take it.</summary>
    public static string NewSecret() => Base32Encoding.ToString(KeyGeneration.GenerateRandomKey(20));

    /// <summary>The <c>otpauth://</c> URI an authenticator app reads from the QR code.</summary>
    public static string UriOf(string secret, string email) =>
        $"otpauth://totp/Cairn:{Uri.EscapeDataString(email)}?secret={secret}&issuer=Cairn&algorithm=SHA1&digits=6&period=30";

    /// <summary>The QR code of <paramref name="uri"/> as an SVG document.</summary>
    public static string QrSvg(string uri)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(uri, QRCodeGenerator.ECCLevel.M);
        return new SvgQRCode(data).GetGraphic(4);
    }

    /// <summary>Seals a value (an enrolment secret, a half-finished sign-in) for a hidden form field, valid <see cref="PendingLifetime"/>.</summary>
    public string Seal(string value) => Pending.Protect($"{(clock.GetUtcNow() + PendingLifetime).ToUnixTimeSeconds()}|{value}");

    /// <summary>Opens a sealed value; null when forged or expired.</summary>
    public string? Open(string? sealedValue)
    {
        if (string.IsNullOrEmpty(sealedValue))
            return null;
        try
        {
            var opened = Pending.Unprotect(sealedValue);
            var bar = opened.IndexOf('|', StringComparison.Ordinal);
            return bar > 0 && long.TryParse(opened[..bar], out var expires) && expires > clock.GetUtcNow().ToUnixTimeSeconds() ? opened[(bar + 1)..] : null;
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    /// <summary>
    /// Turns the second factor on once the user proves their app has the secret (a current code);
    /// returns the recovery codes, shown this once, or null (and nothing changes) for a wrong code.
    /// </summary>
    public async Task<IReadOnlyList<string>?> EnableAsync(StaffUser user, string secret, string? code, CancellationToken ct = default)
    {
        if (!Matches(secret, code, out _))
            return null;
        user.EnableTwoFactor(Secrets.Protect(secret));
        await db.Database.ExecuteSqlAsync($"DELETE FROM recovery_codes WHERE user_id = {user.Id}", ct);
        var codes = Enumerable.Range(0, RecoveryCodeCount).Select(_ => NewRecoveryCode()).ToList();
        foreach (var recovery in codes)
            await db.Database.ExecuteSqlAsync($"INSERT INTO recovery_codes (user_id, code_hash) VALUES ({user.Id}, {Tokens.Hash(Normalize(recovery))})", ct);
        return codes;
    }

    /// <summary>Checks a TOTP code or a recovery code at sign-in; either works once.</summary>
    public async Task<bool> VerifyAsync(StaffUser user, string? code, CancellationToken ct = default)
    {
        if (user.TotpSecret is null || string.IsNullOrWhiteSpace(code))
            return false;
        string secret;
        try
        {
            secret = Secrets.Unprotect(user.TotpSecret);
        }
        catch (CryptographicException)
        {
            return false;
        }

        if (Matches(secret, code, out var step))
            return await db.Database.ExecuteSqlAsync($"UPDATE users SET totp_last_step = {step} WHERE id = {user.Id} AND (totp_last_step IS NULL OR totp_last_step < {step})", ct) == 1;
        var hash = Tokens.Hash(Normalize(code));
        return await db.Database.ExecuteSqlAsync($"UPDATE recovery_codes SET used_at = {clock.GetUtcNow()} WHERE user_id = {user.Id} AND code_hash = {hash} AND used_at IS NULL", ct) == 1;
    }

    private bool Matches(string secret, string? code, out long step)
    {
        step = 0;
        var digits = code?.Replace(" ", "", StringComparison.Ordinal);
        return digits is { Length: 6 } && digits.All(char.IsAsciiDigit)
            && new Totp(Base32Encoding.ToBytes(secret)).VerifyTotp(clock.GetUtcNow().UtcDateTime, digits, out step, new VerificationWindow(1, 1));
    }

    private static string NewRecoveryCode()
    {
        var text = Base32Encoding.ToString(RandomNumberGenerator.GetBytes(15)).ToLowerInvariant();
        return $"{text[..6]}-{text[6..12]}-{text[12..18]}-{text[18..24]}";
    }

    private static string Normalize(string code) => code.Trim().Replace("-", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant();
}
