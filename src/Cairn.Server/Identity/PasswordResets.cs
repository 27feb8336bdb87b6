using Cairn.Server.Billing;
using Cairn.Server.Data;
using Cairn.Server.Mail;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Identity;

/// <summary>
/// "Forgot password": an emailed link carrying a 256-bit token (its SHA-256 kept on the user), valid
/// for <see cref="StaffUser.PasswordResetLifetime"/> and once. Asking answers the same whether or not
/// the address belongs to anyone (ASVS 5.0 V6.4.1, V6.4.2), and neither the token nor the link is logged.
/// </summary>
public sealed class PasswordResets(CairnDb db, Outbox.MailQueue mailQueue, TimeProvider clock)
{
    /// <summary>The reset URL for a token.</summary>
    public static string UrlOf(string baseUrl, string token) => $"{baseUrl.TrimEnd('/')}/reset-password/{token}";

    /// <summary>
    /// Emails a reset link to the active user with this address, if there is one; nothing otherwise.
    /// The caller says the same to both. <paramref name="baseUrl"/> is the address people reach Cairn at.
    /// </summary>
    public async Task RequestAsync(string email, string baseUrl, CancellationToken cancellationToken = default)
    {
        var normalized = StaffUser.Normalize(email);
        var user = await db.Users.IgnoreQueryFilters().SingleOrDefaultAsync(u => u.NormalizedEmail == normalized, cancellationToken);
        if (user is null || !user.CanResetPassword)
            return;
        var now = clock.GetUtcNow();
        db.TenantId = user.LastOrganizationId;
        var token = user.StartPasswordReset(now);
        Audit.Record(db, user.LastOrganizationId, "user", user.Id, "password_reset_requested", user.Actor, now);
        var body = $"""
            Hello {user.DisplayName},

            Someone (probably you) asked to reset your Cairn password. Open this link to choose a new one:

            {UrlOf(baseUrl, token)}

            The link works once and expires in {StaffUser.PasswordResetLifetime.TotalMinutes:0} minutes.
            If you did not ask for it, ignore this email: your password stays as it is.
            """;
        // Through the outbox, in the transaction that stores the token: sent after the commit, retried if the mail server is away.
        mailQueue.Add(db, user.LastOrganizationId, "password_reset", now, new OutgoingMail(user.Email, user.DisplayName, "Reset your Cairn password", body));
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>The user a presented reset token belongs to, if the link is still valid.</summary>
    public async Task<StaffUser?> FindAsync(string? token, CancellationToken cancellationToken = default)
    {
        if (!Tokens.LooksLikeToken(token))
            return null;
        var hash = Tokens.Hash(token!);
        var user = await db.Users.IgnoreQueryFilters().SingleOrDefaultAsync(u => u.ResetTokenHash == hash, cancellationToken);
        return user is not null && user.HasValidPasswordReset(clock.GetUtcNow()) ? user : null;
    }
}
