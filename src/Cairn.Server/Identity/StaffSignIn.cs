using Cairn.Server.Data;
using Cairn.Server.Mail;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Identity;

/// <summary>Signs staff in with email and password, counting failures towards the lockout.</summary>
public sealed class StaffSignIn(CairnDb db, IPasswordHasher<StaffUser> hasher, TimeProvider clock)
{
    /// <summary>Checks the credentials and records the outcome; the user is returned only on success.</summary>
    public async Task<(SignInOutcome Outcome, StaffUser? User)> CheckAsync(string? email, string? password, CancellationToken cancellationToken = default)
    {
        var normalized = StaffUser.Normalize(email ?? "");
        var user = normalized.Length == 0 ? null : await db.Users.IgnoreQueryFilters().SingleOrDefaultAsync(u => u.NormalizedEmail == normalized, cancellationToken);
        if (user is null)
        {
            hasher.VerifyHashedPassword(null!, Tokens.DummyPasswordHash, password ?? "");
            return (SignInOutcome.Invalid, null);
        }

        var outcome = user.CheckPassword(password ?? "", hasher, clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return (outcome, outcome == SignInOutcome.Success ? user : null);
    }

    /// <summary>Issues the staff session cookie for a user.</summary>
    public static Task SignInAsync(HttpContext context, StaffUser user) =>
        context.SignInAsync(SignInSchemes.Staff, SignInSchemes.StaffPrincipal(user));
}

/// <summary>Invitation links for staff users: a 256-bit token in the URL, its hash in the database, valid seven days.</summary>
public sealed class Invitations(CairnDb db, IMailSender mail, ILogger<Invitations> logger)
{
    /// <summary>The invitation URL for a token.</summary>
    public static string UrlOf(string baseUrl, string token) => $"{baseUrl.TrimEnd('/')}/invite/{token}";

    /// <summary>Finds the user a presented invitation token belongs to, if the invitation is still valid.</summary>
    public async Task<StaffUser?> FindAsync(string? token, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        if (!Tokens.LooksLikeToken(token))
            return null;
        var hash = Tokens.Hash(token!);
        var user = await db.Users.IgnoreQueryFilters().SingleOrDefaultAsync(u => u.InviteTokenHash == hash, cancellationToken);
        return user is not null && user.HasValidInvitation(now) ? user : null;
    }

    /// <summary>Emails the invitation; false when the mail could not be handed over (the URL can still be passed on by hand).</summary>
    public async Task<bool> SendAsync(StaffUser user, string organizationName, string url, CancellationToken cancellationToken = default)
    {
        var body = $"""
            Hello,

            You have been invited to {organizationName} on Cairn as {RoleNames.Of(user.Role)}.
            Open this link to choose your name and password:

            {url}

            The link works once and expires in {StaffUser.InvitationLifetime.TotalDays:0} days.
            If you did not expect this email, you can ignore it.
            """;
        return await TrySendAsync(mail, logger, new OutgoingMail(user.Email, user.DisplayName, $"Your invitation to {organizationName} on Cairn", body), cancellationToken);
    }

    /// <summary>Sends a mail, logging (without its content, which carries a secret link) when it fails.</summary>
    internal static async Task<bool> TrySendAsync(IMailSender mail, ILogger logger, OutgoingMail message, CancellationToken cancellationToken)
    {
        try
        {
            await mail.SendAsync(message, cancellationToken);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Net.Sockets.SocketException or MailKit.ServiceNotConnectedException or MailKit.ServiceNotAuthenticatedException or MailKit.Security.AuthenticationException or MailKit.Net.Smtp.SmtpCommandException or MailKit.Net.Smtp.SmtpProtocolException or MailKit.Security.SslHandshakeException)
        {
            logger.LogWarning("Could not send the email '{Subject}': {Error}", message.Subject, e.Message);
            return false;
        }
    }
}

/// <summary>Role names as people read them.</summary>
public static class RoleNames
{
    /// <summary>The readable name of a role, e.g. "project manager".</summary>
    public static string Of(Role role) => role switch
    {
        Role.Owner => "owner",
        Role.Finance => "finance",
        Role.ProjectManager => "project manager",
        _ => "viewer",
    };
}
