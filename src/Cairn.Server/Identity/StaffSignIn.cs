using Cairn.Server.Data;
using Cairn.Server.Mail;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Identity;

/// <summary>
/// Signs staff in with email and password. Failures are counted per email address in the
/// database by one atomic statement before the password is checked, so concurrent attempts on
/// any number of instances check at most <see cref="MaxFailedSignIns"/> passwords per lockout;
/// known and unknown addresses are counted, locked and answered alike (ASVS 5.0 V6.3.1, V6.3.8).
/// </summary>
public sealed class StaffSignIn(CairnDb db, IPasswordHasher<StaffUser> hasher, TwoFactor twoFactor, TimeProvider clock)
{
    /// <summary>Failed sign-ins in a row that lock an email address.</summary>
    public const int MaxFailedSignIns = 5;

    /// <summary>How long a locked email address stays locked.</summary>
    public static readonly TimeSpan LockoutDuration = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Checks the credentials and records the outcome; the user is returned only on success. A user
    /// with a second factor gets <see cref="SignInOutcome.SecondFactorRequired"/> and a sealed
    /// <see cref="SignInCheck.Pending"/> value to present with the code to <see cref="CheckSecondFactorAsync"/>.
    /// </summary>
    public async Task<SignInCheck> CheckAsync(string? email, string? password, CancellationToken cancellationToken = default)
    {
        var normalized = StaffUser.Normalize(email ?? "");
        var now = clock.GetUtcNow();
        if (normalized.Length == 0 || normalized.Length > 320)
        {
            hasher.VerifyHashedPassword(null!, Tokens.DummyPasswordHash, password ?? "");
            return new SignInCheck(SignInOutcome.Invalid, null, null);
        }

        // The attempt counts as a failure before the password is checked; a success clears it.
        var failures = await CountAttemptAsync(normalized, now, cancellationToken);
        if (failures is null)
            return new SignInCheck(SignInOutcome.LockedOut, null, await LockRemainingAsync(normalized, now, cancellationToken));

        var user = await db.Users.IgnoreQueryFilters().SingleOrDefaultAsync(u => u.NormalizedEmail == normalized, cancellationToken);
        if (user is null)
            hasher.VerifyHashedPassword(null!, Tokens.DummyPasswordHash, password ?? "");
        else if (user.CheckPassword(password ?? "", hasher, now) && await ActiveMembershipsOf(user.Id).AnyAsync(cancellationToken))
        {
            await db.Database.ExecuteSqlAsync($"DELETE FROM sign_in_attempts WHERE normalized_email = {normalized}", cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            return user.HasTwoFactor
                ? new SignInCheck(SignInOutcome.SecondFactorRequired, null, null, twoFactor.Seal($"{user.Id}|{user.SecurityStamp}"))
                : new SignInCheck(SignInOutcome.Success, user, null);
        }

        return failures >= MaxFailedSignIns
            ? new SignInCheck(SignInOutcome.LockedOut, null, LockoutDuration)
            : new SignInCheck(SignInOutcome.Invalid, null, null);
    }

    /// <summary>
    /// The second step of a sign-in: the sealed value from the password step and a TOTP or recovery
    /// code. Code guesses count towards the same per-email lockout as passwords.
    /// </summary>
    public async Task<SignInCheck> CheckSecondFactorAsync(string? pending, string? code, CancellationToken cancellationToken = default)
    {
        var invalid = new SignInCheck(SignInOutcome.Invalid, null, null);
        if (twoFactor.Open(pending)?.Split('|') is not [var idText, var stamp] || !Guid.TryParse(idText, out var id))
            return invalid;
        var user = await db.Users.IgnoreQueryFilters().SingleOrDefaultAsync(u => u.Id == id, cancellationToken);
        if (user is null || user.SecurityStamp != stamp)
            return invalid;
        var now = clock.GetUtcNow();
        var failures = await CountAttemptAsync(user.NormalizedEmail, now, cancellationToken);
        if (failures is null)
            return new SignInCheck(SignInOutcome.LockedOut, null, await LockRemainingAsync(user.NormalizedEmail, now, cancellationToken));
        if (await twoFactor.VerifyAsync(user, code, cancellationToken))
        {
            await db.Database.ExecuteSqlAsync($"DELETE FROM sign_in_attempts WHERE normalized_email = {user.NormalizedEmail}", cancellationToken);
            return new SignInCheck(SignInOutcome.Success, user, null);
        }

        return failures >= MaxFailedSignIns ? new SignInCheck(SignInOutcome.LockedOut, null, LockoutDuration) : invalid;
    }

    /// <summary>
    /// Issues the staff session cookie for a person (tracked by this unit of work) in one of their
    /// organizations: <paramref name="organizationId"/> when given, else the one they last worked in,
    /// else the first they joined. Only an active membership opens; entering an organization for the
    /// first time accepts the membership (audited as <c>joined</c>). Returns false (and signs nothing
    /// in) when the person has no active membership there.
    /// </summary>
    public async Task<bool> OpenSessionAsync(HttpContext context, StaffUser user, Guid? organizationId = null, CancellationToken cancellationToken = default)
    {
        var memberships = await ActiveMembershipsOf(user.Id).ToListAsync(cancellationToken);
        var membership = organizationId is { } chosen
            ? memberships.SingleOrDefault(m => m.OrganizationId == chosen)
            : memberships.SingleOrDefault(m => m.OrganizationId == user.LastOrganizationId) ?? memberships.OrderBy(m => m.CreatedAt).FirstOrDefault();
        if (membership is null)
            return false;
        var now = clock.GetUtcNow();
        if (!membership.IsAccepted)
            Billing.Audit.Record(db, membership.OrganizationId, "user", user.Id, "joined", user.Actor, now, after: new { membership.Role });
        membership.Accept(now);
        user.WorkIn(membership.OrganizationId);
        var requiresTwoFactor = await db.Organizations.IgnoreQueryFilters().Where(o => o.Id == membership.OrganizationId).Select(o => o.RequireTwoFactor).SingleAsync(cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await context.SignInAsync(SignInSchemes.Staff, SignInSchemes.StaffPrincipal(user, membership.CallerFor(user, requiresTwoFactor)));
        return true;
    }

    /// <summary>The organizations a person may enter, with their names, for the organization switcher.</summary>
    public Task<List<OrganizationChoice>> ChoicesAsync(Guid userId, CancellationToken cancellationToken = default) =>
        (from m in ActiveMembershipsOf(userId)
         join o in db.Organizations.IgnoreQueryFilters() on m.OrganizationId equals o.Id
         orderby o.Name
         select new OrganizationChoice(o.Id, o.Name)).ToListAsync(cancellationToken);

    private IQueryable<Membership> ActiveMembershipsOf(Guid userId) =>
        db.Memberships.IgnoreQueryFilters().Where(m => m.UserId == userId && m.DeactivatedAt == null);

    /// <summary>
    /// Counts one attempt for the address and returns the failures so far, or null while the
    /// address is locked. One upsert: the database serializes concurrent attempts on the row.
    /// </summary>
    private async Task<int?> CountAttemptAsync(string normalizedEmail, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var nowSeconds = now.ToUnixTimeSeconds();
        var lockUntil = (now + LockoutDuration).ToUnixTimeSeconds();
        var max = MaxFailedSignIns;
        var rows = await db.Database.SqlQuery<int>($"""
            INSERT INTO sign_in_attempts (normalized_email, failures, locked_until)
            VALUES ({normalizedEmail}, 1, CASE WHEN 1 >= {max} THEN {lockUntil} ELSE NULL END)
            ON CONFLICT (normalized_email) DO UPDATE SET
                failures = CASE WHEN sign_in_attempts.locked_until IS NOT NULL THEN 1 ELSE sign_in_attempts.failures + 1 END,
                locked_until = CASE
                    WHEN (CASE WHEN sign_in_attempts.locked_until IS NOT NULL THEN 1 ELSE sign_in_attempts.failures + 1 END) >= {max} THEN {lockUntil}
                    ELSE NULL END
            WHERE sign_in_attempts.locked_until IS NULL OR sign_in_attempts.locked_until <= {nowSeconds}
            RETURNING failures AS "Value"
            """).ToListAsync(cancellationToken);
        return rows.Count == 0 ? null : rows[0];
    }

    private async Task<TimeSpan> LockRemainingAsync(string normalizedEmail, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var until = await db.Database.SqlQuery<long?>($"SELECT locked_until AS \"Value\" FROM sign_in_attempts WHERE normalized_email = {normalizedEmail}")
            .ToListAsync(cancellationToken);
        var seconds = until is [{ } value] ? value - now.ToUnixTimeSeconds() : 0;
        return TimeSpan.FromSeconds(Math.Clamp(seconds, 1, (long)LockoutDuration.TotalSeconds));
    }
}

/// <summary>An organization a signed-in person may switch to.</summary>
public sealed record OrganizationChoice(Guid Id, string Name);

/// <summary>What a sign-in attempt came to: the user on success, how long to wait when locked, the sealed half-finished sign-in when a code is needed.</summary>
public sealed record SignInCheck(SignInOutcome Outcome, StaffUser? User, TimeSpan? RetryAfter, string? Pending = null);

/// <summary>Invitation links for staff users: a 256-bit token in the URL, its hash in the database, valid seven days.</summary>
public sealed class Invitations(CairnDb db, IMailSender mail, ILogger<Invitations> logger)
{
    /// <summary>The invitation URL for a token.</summary>
    public static string UrlOf(string baseUrl, string token) => $"{baseUrl.TrimEnd('/')}/invite/{token}";

    /// <summary>Finds the person and membership a presented invitation token belongs to, if the invitation is still valid.</summary>
    public async Task<Member?> FindAsync(string? token, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        if (!Tokens.LooksLikeToken(token))
            return null;
        var hash = Tokens.Hash(token!);
        var membership = await db.Memberships.IgnoreQueryFilters().SingleOrDefaultAsync(m => m.InviteTokenHash == hash, cancellationToken);
        if (membership is null || !membership.HasValidInvitation(now))
            return null;
        return new Member(await db.Users.IgnoreQueryFilters().SingleAsync(u => u.Id == membership.UserId, cancellationToken), membership);
    }

    /// <summary>
    /// Emails the invitation; false when the mail could not be handed over (the URL can still be passed
    /// on by hand). A person who has no password yet is asked to choose one through the link; a person
    /// who already has an account is told they were added and signs in with their existing password.
    /// </summary>
    public async Task<bool> SendAsync(Member member, string organizationName, string url, CancellationToken cancellationToken = default)
    {
        var user = member.User;
        var body = user.NeedsPassword
            ? $"""
                Hello,

                You have been invited to {organizationName} on Cairn as {RoleNames.Of(member.Membership.Role)}.
                Open this link to choose your name and password:

                {url}

                The link works once and expires in {StaffUser.InvitationLifetime.TotalDays:0} days.
                If you did not expect this email, you can ignore it.
                """
            : $"""
                Hello,

                You have been added to {organizationName} on Cairn as {RoleNames.Of(member.Membership.Role)}.
                Sign in with your existing Cairn email and password, then choose {organizationName}
                in the organization menu at the top of the page. This link takes you there:

                {url}

                If you did not expect this email, you can ignore it: nothing changes for your other organizations.
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
