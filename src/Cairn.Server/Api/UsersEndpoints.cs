using Cairn.Domain;
using Cairn.Server.Billing;
using Cairn.Server.Data;
using Cairn.Server.Identity;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Api;

/// <summary><c>/users</c> (staff and their invitations) and <c>/api-keys</c>.</summary>
public static class UsersEndpoints
{
    public static void MapUsers(this RouteGroupBuilder api)
    {
        var users = api.MapGroup("/users").WithTags("Users");

        users.MapGet("/", async (CairnDb db, int? limit, string? cursor, CancellationToken ct) =>
        {
            var (take, after) = Cursor.Read(limit, cursor);
            var rows = await db.Users.AsNoTracking().Where(u => after == null || u.Id.CompareTo(after.Value) > 0).OrderBy(u => u.Id).Take(take + 1).ToListAsync(ct);
            return Results.Json(Cursor.Page(rows, take, u => u.Id, UserJson.Of), ApiJson.Options);
        }).Requires(Permission.Read).Produces<Page<UserJson>>();

        users.MapPost("/invitations", async (InvitationInput input, HttpContext http, CairnDb db, Invitations invitations, TimeProvider clock, CancellationToken ct) =>
        {
            var caller = http.Caller();
            var now = clock.GetUtcNow();
            var email = Inputs.Email(input.Email, "email", required: true);
            var role = RoleOf(input.Role, "role");
            var name = Inputs.Optional(input.DisplayName, "displayName", 100);
            if (await db.Users.IgnoreQueryFilters().AnyAsync(u => u.NormalizedEmail == StaffUser.Normalize(email), ct))
                return Problems.Conflict("email_taken", $"A user with the email {email} already exists.").ToResult();
            var (user, token) = StaffUser.Invite(caller.OrganizationId, email, name, role, now);
            db.Users.Add(user);
            Audit.Record(db, caller.OrganizationId, "user", user.Id, "invited", caller.Actor, now, after: UserJson.Of(user));
            await db.SaveChangesAsync(ct);
            var organization = await db.Organizations.AsNoTracking().SingleAsync(ct);
            var url = Invitations.UrlOf(PublicUrl.Of(http), token);
            var emailed = await invitations.SendAsync(user, organization.Name, url, ct);
            return Http.Created(http, $"/api/v1/users/{user.Id}", new InvitationJson(UserJson.Of(user), url, user.InviteExpiresAt!.Value, emailed), user.Version);
        }).Requires(Permission.ManageUsers).WithMetadata(SecretAnswer.Instance).Produces<InvitationJson>(StatusCodes.Status201Created);

        users.MapGet("/{id:guid}", async (Guid id, HttpContext http, CairnDb db, CancellationToken ct) =>
            await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == id, ct) is { } user
                ? Http.WithETag(http, UserJson.Of(user), user.Version)
                : Problems.NotFound("user", id.ToString()).ToResult())
            .Requires(Permission.Read).Produces<UserJson>();

        users.MapPatch("/{id:guid}", async (Guid id, UserInput input, HttpContext http, CairnDb db, TimeProvider clock, CancellationToken ct) =>
        {
            var caller = http.Caller();
            if (await db.Users.SingleOrDefaultAsync(u => u.Id == id, ct) is not { } user)
                return Problems.NotFound("user", id.ToString()).ToResult();
            if (Http.CheckIfMatch(http, user.Version) is { } stale)
                return stale;
            var before = UserJson.Of(user);
            if (input.Role is not null)
            {
                var role = RoleOf(input.Role, "role");
                if (user.Role == Role.Owner && role != Role.Owner && user.IsActive)
                    await EnsureAnotherOwnerAsync(db, user, ct);
                user.ChangeRole(role);
            }

            if (input.DisplayName is not null)
                user.Rename(input.DisplayName);
            Audit.Record(db, caller.OrganizationId, "user", user.Id, "updated", caller.Actor, clock.GetUtcNow(), before, UserJson.Of(user));
            await db.SaveChangesAsync(ct);
            return Http.WithETag(http, UserJson.Of(user), user.Version);
        }).Requires(Permission.ManageUsers).Produces<UserJson>();

        users.MapPost("/{id:guid}/deactivate", (Guid id, HttpContext http, CairnDb db, TimeProvider clock, CancellationToken ct) =>
            Activation(http, db, user => DeactivateAsync(db, user, http.Caller(), clock.GetUtcNow(), ct), id, ct))
            .Requires(Permission.ManageUsers).Produces<UserJson>();

        users.MapPost("/{id:guid}/reactivate", (Guid id, HttpContext http, CairnDb db, TimeProvider clock, CancellationToken ct) =>
            Activation(http, db, user =>
            {
                Reactivate(db, user, http.Caller(), clock.GetUtcNow());
                return Task.CompletedTask;
            }, id, ct))
            .Requires(Permission.ManageUsers).Produces<UserJson>();

        var keys = api.MapGroup("/api-keys").WithTags("API keys");

        keys.MapGet("/", async (CairnDb db, int? limit, string? cursor, CancellationToken ct) =>
        {
            var (take, after) = Cursor.Read(limit, cursor);
            var rows = await db.ApiKeys.AsNoTracking().Where(k => after == null || k.Id.CompareTo(after.Value) > 0).OrderBy(k => k.Id).Take(take + 1).ToListAsync(ct);
            return Results.Json(Cursor.Page(rows, take, k => k.Id, ApiKeyJson.Of), ApiJson.Options);
        }).Requires(Permission.ManageApiKeys).Produces<Page<ApiKeyJson>>();

        keys.MapPost("/", async (ApiKeyInput input, HttpContext http, CairnDb db, TimeProvider clock, CancellationToken ct) =>
        {
            var caller = http.Caller();
            var now = clock.GetUtcNow();
            var name = Inputs.Required(input.Name, "name", 100);
            var role = RoleOf(input.Role, "role");
            Guid? createdBy = caller.Actor.Kind == ActorKind.User && Guid.TryParse(caller.Actor.Id, out var userId) ? userId : null;
            var (key, secret) = ApiKey.Create(caller.OrganizationId, name, role, createdBy, now);
            db.ApiKeys.Add(key);
            Audit.Record(db, caller.OrganizationId, "api_key", key.Id, "created", caller.Actor, now, after: ApiKeyJson.Of(key));
            await db.SaveChangesAsync(ct);
            return Http.Created(http, $"/api/v1/api-keys/{key.Id}", new NewApiKeyJson(ApiKeyJson.Of(key), secret));
        }).Requires(Permission.ManageApiKeys).WithMetadata(SecretAnswer.Instance).Produces<NewApiKeyJson>(StatusCodes.Status201Created);

        keys.MapPost("/{id:guid}/revoke", async (Guid id, HttpContext http, CairnDb db, TimeProvider clock, CancellationToken ct) =>
        {
            var caller = http.Caller();
            if (await db.ApiKeys.SingleOrDefaultAsync(k => k.Id == id, ct) is not { } key)
                return Problems.NotFound("API key", id.ToString()).ToResult();
            var before = ApiKeyJson.Of(key);
            var now = clock.GetUtcNow();
            key.Revoke(now);
            Audit.Record(db, caller.OrganizationId, "api_key", key.Id, "revoked", caller.Actor, now, before, ApiKeyJson.Of(key));
            await db.SaveChangesAsync(ct);
            return Results.Json(ApiKeyJson.Of(key), ApiJson.Options);
        }).Requires(Permission.ManageApiKeys).Produces<ApiKeyJson>();
    }

    /// <summary>
    /// Deactivates a user: they cannot sign in and their sessions end. Nobody deactivates
    /// themselves, and the last active owner stays, so the organization is never locked out.
    /// </summary>
    public static async Task DeactivateAsync(CairnDb db, StaffUser user, Caller caller, DateTimeOffset now, CancellationToken ct)
    {
        if (user.Role == Role.Owner && user.IsActive)
            await EnsureAnotherOwnerAsync(db, user, ct);
        if (caller.Actor.Kind == ActorKind.User && caller.Actor.Id == user.Id.ToString())
            throw new DomainException(new IdentityConflict("cannot_deactivate_self", "You cannot deactivate yourself; another owner can.", "userId"));
        var before = UserJson.Of(user);
        user.Deactivate(now);
        Audit.Record(db, caller.OrganizationId, "user", user.Id, "deactivated", caller.Actor, now, before, UserJson.Of(user));
    }

    /// <summary>Lets a deactivated user sign in again, with the role they had.</summary>
    public static void Reactivate(CairnDb db, StaffUser user, Caller caller, DateTimeOffset now)
    {
        var before = UserJson.Of(user);
        user.Reactivate();
        Audit.Record(db, caller.OrganizationId, "user", user.Id, "reactivated", caller.Actor, now, before, UserJson.Of(user));
    }

    /// <summary>Parses a role name (<c>owner</c>, <c>finance</c>, <c>project_manager</c>, <c>viewer</c>).</summary>
    public static Role RoleOf(string? value, string field)
    {
        var compact = value?.Replace("_", "", StringComparison.Ordinal);
        if (compact is null || !Enum.TryParse<Role>(compact, ignoreCase: true, out var role) || !Enum.IsDefined(role) || compact.Any(char.IsDigit))
            throw new DomainException(new DomainError("invalid_role", $"{field} is one of owner, finance, project_manager, viewer.", field));
        return role;
    }

    private static async Task<IResult> Activation(HttpContext http, CairnDb db, Func<StaffUser, Task> change, Guid id, CancellationToken ct)
    {
        if (await db.Users.SingleOrDefaultAsync(u => u.Id == id, ct) is not { } user)
            return Problems.NotFound("user", id.ToString()).ToResult();
        await change(user);
        await db.SaveChangesAsync(ct);
        return Http.WithETag(http, UserJson.Of(user), user.Version);
    }

    internal static async Task EnsureAnotherOwnerAsync(CairnDb db, StaffUser user, CancellationToken ct)
    {
        if (!await db.Users.AnyAsync(u => u.Id != user.Id && u.Role == Role.Owner && u.DeactivatedAt == null && u.PasswordHash != null, ct))
            throw new DomainException(new IdentityConflict("last_owner", "This is the organization's last active owner; make someone else owner first.", "role"));
    }
}

/// <summary>A staff user as the API shows it.</summary>
public sealed record UserJson(Guid Id, string Email, string DisplayName, Role Role, string Status, DateTimeOffset CreatedAt, DateTimeOffset? LastSignInAt, DateTimeOffset? DeactivatedAt)
{
    public static UserJson Of(StaffUser u) => new(u.Id, u.Email, u.DisplayName, u.Role,
        !u.IsActive ? "deactivated" : u.PasswordHash is null ? "invited" : "active", u.CreatedAt, u.LastSignInAt, u.DeactivatedAt);
}

/// <summary>An invitation: the user and the link, shown once.</summary>
public sealed record InvitationJson(UserJson User, string InviteUrl, DateTimeOffset ExpiresAt, bool Emailed);

/// <summary>Who to invite, with which role.</summary>
public sealed record InvitationInput(string? Email, string? Role, string? DisplayName);

/// <summary>Changes to a user; absent fields stay as they are.</summary>
public sealed record UserInput(string? Role, string? DisplayName);

/// <summary>An API key as the API shows it: never the secret.</summary>
public sealed record ApiKeyJson(Guid Id, string Name, Role Role, string Hint, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt)
{
    public static ApiKeyJson Of(ApiKey k) => new(k.Id, k.Name, k.Role, k.Hint, k.CreatedAt, k.LastUsedAt, k.RevokedAt);
}

/// <summary>A new API key with its secret, which is shown this once.</summary>
public sealed record NewApiKeyJson(ApiKeyJson Key, string Secret);

/// <summary>Fields of a new API key.</summary>
public sealed record ApiKeyInput(string? Name, string? Role);

/// <summary>
/// Marks a route whose answer carries a secret shown once (an API key, an invitation or portal
/// link): its answer is never stored, so such routes refuse <c>Idempotency-Key</c>.
/// </summary>
public sealed class SecretAnswer
{
    public static readonly SecretAnswer Instance = new();

    private SecretAnswer()
    {
    }
}

/// <summary>The address people reach Cairn at, for links in emails.</summary>
public static class PublicUrl
{
    /// <summary><c>Cairn:PublicUrl</c> when configured, else the scheme and host of the request.</summary>
    public static string Of(HttpContext context) =>
        context.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<CairnOptions>>().Value.PublicUrl is { Length: > 0 } configured
            ? configured.TrimEnd('/')
            : $"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}";
}
