using Cairn.Domain;
using Cairn.Server.Billing;
using Cairn.Server.Data;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Identity;

/// <summary>
/// Managing an organization's people and keys: invite, change role or name, deactivate and
/// reactivate users, create and revoke API keys. The API (<c>/api/v1/users</c>, <c>/api/v1/api-keys</c>)
/// and the Settings page both call it, so each rule (the last owner stays, nobody deactivates
/// themselves, an email belongs to one account) and each audit entry has one home. Callers
/// parse and validate the input fields; the changes are saved by the caller's transaction.
/// </summary>
public sealed class UserAdministration(CairnDb db, Invitations invitations, TimeProvider clock)
{
    /// <summary>Invites a user by email with a role; the link is returned (shown once) and emailed after the commit.</summary>
    /// <param name="caller">Who invites (needs <see cref="Permission.ManageUsers"/>, checked by the door).</param>
    /// <param name="email">A valid email address.</param>
    /// <param name="role">The role the user gets.</param>
    /// <param name="displayName">The name shown until they choose one, or null for the part before the @.</param>
    /// <param name="baseUrl">The address people reach Cairn at, for the link.</param>
    /// <returns>The user and the invitation URL.</returns>
    public async Task<(StaffUser User, string Url)> InviteAsync(Caller caller, string email, Role role, string? displayName, string baseUrl, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        if (await db.Users.IgnoreQueryFilters().AnyAsync(u => u.NormalizedEmail == StaffUser.Normalize(email), ct))
            throw new DomainException(new IdentityConflict("email_taken", $"A user with the email {email} already exists.", "email"));
        var (user, token) = StaffUser.Invite(caller.OrganizationId, email, displayName, role, now);
        db.Users.Add(user);
        Audit.Record(db, caller.OrganizationId, "user", user.Id, "invited", caller.Actor, now, after: UserJson.Of(user));
        await db.SaveChangesAsync(ct);
        var organization = await db.Organizations.AsNoTracking().SingleAsync(ct);
        var url = Invitations.UrlOf(baseUrl, token);
        invitations.Queue(user, organization.Name, url, now);
        return (user, url);
    }

    /// <summary>Changes a user's role and/or display name (null leaves it); the last active owner keeps the owner role.</summary>
    /// <exception cref="DomainException"><see cref="NotFound"/> for another organization's user; <c>last_owner</c> (409).</exception>
    public async Task<StaffUser> UpdateAsync(Caller caller, Guid userId, Role? role, string? displayName, CancellationToken ct = default)
    {
        var user = await FindUserAsync(userId, ct);
        var before = UserJson.Of(user);
        if (role is { } newRole)
        {
            if (user.Role == Role.Owner && newRole != Role.Owner && user.IsActive)
                await EnsureAnotherOwnerAsync(user, ct);
            user.ChangeRole(newRole);
        }

        if (displayName is not null)
            user.Rename(displayName);
        Audit.Record(db, caller.OrganizationId, "user", user.Id, "updated", caller.Actor, clock.GetUtcNow(), before, UserJson.Of(user));
        return user;
    }

    /// <summary>
    /// Deactivates a user: they cannot sign in and their sessions end. Nobody deactivates
    /// themselves, and the last active owner stays, so the organization is never locked out.
    /// </summary>
    /// <exception cref="DomainException"><see cref="NotFound"/>; <c>last_owner</c> or <c>cannot_deactivate_self</c> (409).</exception>
    public async Task<StaffUser> DeactivateAsync(Caller caller, Guid userId, CancellationToken ct = default)
    {
        var user = await FindUserAsync(userId, ct);
        if (user.Role == Role.Owner && user.IsActive)
            await EnsureAnotherOwnerAsync(user, ct);
        if (caller.Actor.Kind == ActorKind.User && caller.Actor.Id == user.Id.ToString())
            throw new DomainException(new IdentityConflict("cannot_deactivate_self", "You cannot deactivate yourself; another owner can.", "userId"));
        var now = clock.GetUtcNow();
        var before = UserJson.Of(user);
        user.Deactivate(now);
        Audit.Record(db, caller.OrganizationId, "user", user.Id, "deactivated", caller.Actor, now, before, UserJson.Of(user));
        return user;
    }

    /// <summary>Lets a deactivated user sign in again, with the role they had.</summary>
    /// <exception cref="DomainException"><see cref="NotFound"/> for another organization's user.</exception>
    public async Task<StaffUser> ReactivateAsync(Caller caller, Guid userId, CancellationToken ct = default)
    {
        var user = await FindUserAsync(userId, ct);
        var before = UserJson.Of(user);
        user.Reactivate();
        Audit.Record(db, caller.OrganizationId, "user", user.Id, "reactivated", caller.Actor, clock.GetUtcNow(), before, UserJson.Of(user));
        return user;
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
        return key;
    }

    private async Task<StaffUser> FindUserAsync(Guid userId, CancellationToken ct) =>
        await db.Users.SingleOrDefaultAsync(u => u.Id == userId, ct) ?? throw new DomainException(new NotFound("user", userId));

    private async Task EnsureAnotherOwnerAsync(StaffUser user, CancellationToken ct)
    {
        if (!await db.Users.AnyAsync(u => u.Id != user.Id && u.Role == Role.Owner && u.DeactivatedAt == null && u.PasswordHash != null, ct))
            throw new DomainException(new IdentityConflict("last_owner", "This is the organization's last active owner; make someone else owner first.", "role"));
    }
}

/// <summary>A staff user as the API shows it (and as history records it).</summary>
public sealed record UserJson(Guid Id, string Email, string DisplayName, Role Role, string Status, DateTimeOffset CreatedAt, DateTimeOffset? LastSignInAt, DateTimeOffset? DeactivatedAt)
{
    public static UserJson Of(StaffUser u) => new(u.Id, u.Email, u.DisplayName, u.Role,
        !u.IsActive ? "deactivated" : u.PasswordHash is null ? "invited" : "active", u.CreatedAt, u.LastSignInAt, u.DeactivatedAt);
}

/// <summary>An API key as the API shows it (and as history records it): never the secret.</summary>
public sealed record ApiKeyJson(Guid Id, string Name, Role Role, string Hint, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt)
{
    public static ApiKeyJson Of(ApiKey k) => new(k.Id, k.Name, k.Role, k.Hint, k.CreatedAt, k.LastUsedAt, k.RevokedAt);
}
