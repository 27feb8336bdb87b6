using Cairn.Domain;
using Cairn.Server.Billing;
using Cairn.Server.Data;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Identity;

/// <summary>
/// Managing an organization's people and keys: invite, change role or name, deactivate and
/// reactivate members, create and revoke API keys. The API (<c>/api/v1/users</c>, <c>/api/v1/api-keys</c>)
/// and the Settings page both call it, so each rule (the last owner stays, nobody deactivates
/// themselves, an invitation reveals nothing about accounts elsewhere) and each audit entry has one
/// home. Roles and status are per <see cref="Membership"/>: one person may belong to several
/// organizations. Callers parse and validate the input fields; the changes are saved by the caller's transaction.
/// </summary>
public sealed class UserAdministration(CairnDb db, Invitations invitations, TimeProvider clock, ApiKeyCache keys)
{
    /// <summary>
    /// Invites a person by email with a role. An unknown address gets a new account and an invitation
    /// link to choose a password; an address that already has an account (deactivated here, invited
    /// here, or known only in other organizations) gets a membership and an email saying so, and signs
    /// in with their existing password. Both answer alike, so an invitation tells nothing about other
    /// organizations (issue 11, finding 3). The link is returned (shown once) and emailed after the commit.
    /// </summary>
    /// <param name="caller">Who invites (needs <see cref="Permission.ManageUsers"/>, checked by the door).</param>
    /// <param name="email">A valid email address.</param>
    /// <param name="role">The role the person gets in the caller's organization.</param>
    /// <param name="displayName">The name the organization sees until the person comes, or null for the part before the @.</param>
    /// <param name="baseUrl">The address people reach Cairn at, for the link.</param>
    /// <returns>The member, the invitation URL and when it expires; the email leaves through the outbox once the change committed.</returns>
    /// <exception cref="DomainException"><c>already_member</c> (409) when the address is already an active member of this organization.</exception>
    public async Task<(Member Member, string Url, DateTimeOffset ExpiresAt)> InviteAsync(Caller caller, string email, Role role, string? displayName, string baseUrl, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var invitedName = StaffUser.NameFor(email, displayName);
        var user = await db.Users.IgnoreQueryFilters().SingleOrDefaultAsync(u => u.NormalizedEmail == StaffUser.Normalize(email), ct);
        var membership = user is null ? null : await db.Memberships.SingleOrDefaultAsync(m => m.UserId == user.Id, ct);
        if (membership is { IsActive: true, IsAccepted: true })
            throw new DomainException(new IdentityConflict("already_member", $"{email} is already a member of this organization.", "email"));
        var before = user is null || membership is null ? null : UserJson.Of(new Member(user, membership));
        if (user is null)
        {
            user = StaffUser.Invited(caller.OrganizationId, email, displayName, now);
            db.Users.Add(user);
        }

        string token;
        if (membership is null)
        {
            (membership, token) = Membership.Invite(caller.OrganizationId, user.Id, invitedName, role, now);
            db.Memberships.Add(membership);
        }
        else
        {
            token = membership.Reinvite(role, now);
        }

        var member = new Member(user, membership);
        Audit.Record(db, caller.OrganizationId, "user", user.Id, "invited", caller.Actor, now, before, UserJson.Of(member));
        await db.SaveChangesAsync(ct);
        var organization = await db.Organizations.AsNoTracking().SingleAsync(ct);
        var url = Invitations.UrlOf(baseUrl, token);
        invitations.Queue(member, organization.Name, url, now);
        return (member, url, membership.InviteExpiresAt!.Value);
    }

    /// <summary>Changes a member's role and/or display name (null leaves it); the last active owner keeps the owner role.</summary>
    /// <exception cref="DomainException"><see cref="NotFound"/> for someone who is not a member; <c>last_owner</c> (409).</exception>
    public async Task<Member> UpdateAsync(Caller caller, Guid userId, Role? role, string? displayName, CancellationToken ct = default)
    {
        var member = await FindMemberAsync(userId, ct);
        var before = UserJson.Of(member);
        if (role is { } newRole)
        {
            if (member.Membership.Role == Role.Owner && newRole != Role.Owner && member.Membership.IsActive)
                await EnsureAnotherOwnerAsync(userId, ct);
            member.Membership.ChangeRole(newRole);
        }

        if (displayName is not null)
        {
            member.User.Rename(displayName);
            member.Membership.Touch();
        }

        Audit.Record(db, caller.OrganizationId, "user", userId, "updated", caller.Actor, clock.GetUtcNow(), before, UserJson.Of(member));
        return member;
    }

    /// <summary>
    /// Deactivates a member: they can no longer enter this organization and their sessions in it end
    /// (their other organizations are not affected). Nobody deactivates themselves, and the last
    /// active owner stays, so the organization is never locked out.
    /// </summary>
    /// <exception cref="DomainException"><see cref="NotFound"/>; <c>last_owner</c> or <c>cannot_deactivate_self</c> (409).</exception>
    public async Task<Member> DeactivateAsync(Caller caller, Guid userId, CancellationToken ct = default)
    {
        var member = await FindMemberAsync(userId, ct);
        if (member.Membership.Role == Role.Owner && member.Membership.IsActive)
            await EnsureAnotherOwnerAsync(userId, ct);
        if (caller.Actor.Kind == ActorKind.User && caller.Actor.Id == userId.ToString())
            throw new DomainException(new IdentityConflict("cannot_deactivate_self", "You cannot deactivate yourself; another owner can.", "userId"));
        var now = clock.GetUtcNow();
        var before = UserJson.Of(member);
        member.Membership.Deactivate(now);
        Audit.Record(db, caller.OrganizationId, "user", userId, "deactivated", caller.Actor, now, before, UserJson.Of(member));
        return member;
    }

    /// <summary>Lets a deactivated member enter the organization again, with the role they had.</summary>
    /// <exception cref="DomainException"><see cref="NotFound"/> for someone who is not a member.</exception>
    public async Task<Member> ReactivateAsync(Caller caller, Guid userId, CancellationToken ct = default)
    {
        var member = await FindMemberAsync(userId, ct);
        var before = UserJson.Of(member);
        member.Membership.Reactivate();
        Audit.Record(db, caller.OrganizationId, "user", userId, "reactivated", caller.Actor, clock.GetUtcNow(), before, UserJson.Of(member));
        return member;
    }

    /// <summary>Creates an API key with a role; returns the key and its secret, which is shown this once.</summary>
    public (ApiKey Key, string Secret) CreateApiKey(Caller caller, string name, Role role)
    {
        var now = clock.GetUtcNow();
        Guid? createdBy = caller.Actor.Kind == ActorKind.User && Guid.TryParse(caller.Actor.Id, out var userId) ? userId : null;
        var (key, secret) = ApiKey.Create(caller.OrganizationId, name, role, createdBy, now);
        db.ApiKeys.Add(key);
        Audit.Record(db, caller.OrganizationId, "api_key", key.Id, "created", caller.Actor, now, after: ApiKeyJson.Of(key));
        return (key, secret);
    }

    /// <summary>Revokes an API key: it stops working at once.</summary>
    /// <exception cref="DomainException"><see cref="NotFound"/> for another organization's key.</exception>
    public async Task<ApiKey> RevokeApiKeyAsync(Caller caller, Guid keyId, CancellationToken ct = default)
    {
        var key = await db.ApiKeys.SingleOrDefaultAsync(k => k.Id == keyId, ct) ?? throw new DomainException(new NotFound("API key", keyId));
        var before = ApiKeyJson.Of(key);
        var now = clock.GetUtcNow();
        key.Revoke(now);
        Audit.Record(db, caller.OrganizationId, "api_key", key.Id, "revoked", caller.Actor, now, before, ApiKeyJson.Of(key));
        // This instance refuses the key without waiting for the revocation's notification (ApiKeyCache).
        keys.Forget(key.Id);
        return key;
    }

    /// <summary>A member of the caller's organization (the tenant filter leaves out everyone else), or null.</summary>
    public static async Task<Member?> FindMemberOrNullAsync(CairnDb db, Guid userId, CancellationToken ct)
    {
        var membership = await db.Memberships.SingleOrDefaultAsync(m => m.UserId == userId, ct);
        return membership is null ? null : new Member(await db.Users.SingleAsync(u => u.Id == userId, ct), membership);
    }

    private async Task<Member> FindMemberAsync(Guid userId, CancellationToken ct) =>
        await FindMemberOrNullAsync(db, userId, ct) ?? throw new DomainException(new NotFound("user", userId));

    /// <summary>The last-owner rule, per organization: another owner who is active and has entered it must remain.</summary>
    private async Task EnsureAnotherOwnerAsync(Guid userId, CancellationToken ct)
    {
        if (!await db.Memberships.AnyAsync(m => m.UserId != userId && m.Role == Role.Owner && m.DeactivatedAt == null && m.AcceptedAt != null, ct))
            throw new DomainException(new IdentityConflict("last_owner", "This is the organization's last active owner; make someone else owner first.", "role"));
    }
}

/// <summary>
/// A member as the API shows it (and as history records it). <c>status</c> is <c>invited</c> until
/// the person enters the organization, then <c>active</c> or <c>deactivated</c>; <c>createdAt</c> is
/// when they were added to it. Until they enter it, name and last sign-in say nothing of an account
/// they may have elsewhere.
/// </summary>
public sealed record UserJson(Guid Id, string Email, string DisplayName, Role Role, string Status, DateTimeOffset CreatedAt, DateTimeOffset? LastSignInAt, DateTimeOffset? DeactivatedAt)
{
    public static UserJson Of(Member m) => new(m.User.Id, m.User.Email, m.DisplayName, m.Membership.Role, m.Membership.Status,
        m.Membership.CreatedAt, m.Membership.IsAccepted ? m.User.LastSignInAt : null, m.Membership.DeactivatedAt);
}

/// <summary>An API key as the API shows it (and as history records it): never the secret.</summary>
public sealed record ApiKeyJson(Guid Id, string Name, Role Role, string Hint, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt)
{
    public static ApiKeyJson Of(ApiKey k) => new(k.Id, k.Name, k.Role, k.Hint, k.CreatedAt, k.LastUsedAt, k.RevokedAt);
}
