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

        users.MapGet("/", async (CairnDb db, string? limit, string? cursor, CancellationToken ct) =>
        {
            var (take, after) = Cursor.Read(limit, cursor);
            var rows = await (from m in db.Memberships.AsNoTracking()
                              join u in db.Users.AsNoTracking() on m.UserId equals u.Id
                              where after == null || u.Id.CompareTo(after.Value) > 0
                              orderby u.Id
                              select new Member(u, m)).Take(take + 1).ToListAsync(ct);
            return Results.Json(Cursor.Page(rows, take, m => m.User.Id, UserJson.Of), ApiJson.Options);
        }).Requires(Permission.Read).Produces<Page<UserJson>>();

        users.MapPost("/invitations", async (InvitationInput input, HttpContext http, UserAdministration admin, CancellationToken ct) =>
        {
            var email = Inputs.Email(input.Email, "email", required: true);
            var role = RoleOf(input.Role, "role");
            var name = Inputs.Optional(input.DisplayName, "displayName", 100);
            var (member, url, expiresAt, emailed) = await admin.InviteAsync(http.Caller(), email, role, name, PublicUrl.Of(http), ct);
            return Http.Created(http, $"/api/v1/users/{member.User.Id}", new InvitationJson(UserJson.Of(member), url, expiresAt, emailed), member.Version);
        }).Requires(Permission.ManageUsers).WithMetadata(SecretAnswer.Instance).Produces<InvitationJson>(StatusCodes.Status201Created);

        users.MapGet("/{id:guid}", async (Guid id, HttpContext http, CairnDb db, CancellationToken ct) =>
            await UserAdministration.FindMemberOrNullAsync(db, id, ct) is { } member
                ? Http.WithETag(http, UserJson.Of(member), member.Version)
                : Problems.NotFound("user", id.ToString()).ToResult())
            .Requires(Permission.Read).Produces<UserJson>();

        users.MapPatch("/{id:guid}", async (Guid id, UserInput input, HttpContext http, CairnDb db, UserAdministration admin, CancellationToken ct) =>
        {
            if (await UserAdministration.FindMemberOrNullAsync(db, id, ct) is not { } current)
                return Problems.NotFound("user", id.ToString()).ToResult();
            if (Http.CheckIfMatch(http, current.Version) is { } stale)
                return stale;
            var member = await admin.UpdateAsync(http.Caller(), id, input.Role is null ? null : RoleOf(input.Role, "role"), input.DisplayName, ct);
            await db.SaveChangesAsync(ct);
            return Http.WithETag(http, UserJson.Of(member), member.Version);
        }).Requires(Permission.ManageUsers).Produces<UserJson>();

        users.MapPost("/{id:guid}/deactivate", async (Guid id, HttpContext http, CairnDb db, UserAdministration admin, CancellationToken ct) =>
            await Saved(http, db, await admin.DeactivateAsync(http.Caller(), id, ct), ct))
            .Requires(Permission.ManageUsers).Produces<UserJson>();

        users.MapPost("/{id:guid}/reactivate", async (Guid id, HttpContext http, CairnDb db, UserAdministration admin, CancellationToken ct) =>
            await Saved(http, db, await admin.ReactivateAsync(http.Caller(), id, ct), ct))
            .Requires(Permission.ManageUsers).Produces<UserJson>();

        var keys = api.MapGroup("/api-keys").WithTags("API keys");

        keys.MapGet("/", async (CairnDb db, string? limit, string? cursor, CancellationToken ct) =>
        {
            var (take, after) = Cursor.Read(limit, cursor);
            var rows = await db.ApiKeys.AsNoTracking().Where(k => after == null || k.Id.CompareTo(after.Value) > 0).OrderBy(k => k.Id).Take(take + 1).ToListAsync(ct);
            return Results.Json(Cursor.Page(rows, take, k => k.Id, ApiKeyJson.Of), ApiJson.Options);
        }).Requires(Permission.ManageApiKeys).Produces<Page<ApiKeyJson>>();

        keys.MapPost("/", async (ApiKeyInput input, HttpContext http, CairnDb db, UserAdministration admin, CancellationToken ct) =>
        {
            var name = Inputs.Required(input.Name, "name", 100);
            var role = RoleOf(input.Role, "role");
            var (key, secret) = admin.CreateApiKey(http.Caller(), name, role);
            await db.SaveChangesAsync(ct);
            return Http.Created(http, $"/api/v1/api-keys/{key.Id}", new NewApiKeyJson(ApiKeyJson.Of(key), secret));
        }).Requires(Permission.ManageApiKeys).WithMetadata(SecretAnswer.Instance).Produces<NewApiKeyJson>(StatusCodes.Status201Created);

        keys.MapPost("/{id:guid}/revoke", async (Guid id, HttpContext http, CairnDb db, UserAdministration admin, CancellationToken ct) =>
        {
            var key = await admin.RevokeApiKeyAsync(http.Caller(), id, ct);
            await db.SaveChangesAsync(ct);
            return Results.Json(ApiKeyJson.Of(key), ApiJson.Options);
        }).Requires(Permission.ManageApiKeys).Produces<ApiKeyJson>();
    }

    /// <summary>Parses a role name (<c>owner</c>, <c>finance</c>, <c>project_manager</c>, <c>viewer</c>).</summary>
    public static Role RoleOf(string? value, string field)
    {
        var compact = value?.Replace("_", "", StringComparison.Ordinal);
        if (compact is null || !Enum.TryParse<Role>(compact, ignoreCase: true, out var role) || !Enum.IsDefined(role) || compact.Any(char.IsDigit))
            throw new DomainException(new DomainError("invalid_role", $"{field} is one of owner, finance, project_manager, viewer.", field));
        return role;
    }

    private static async Task<IResult> Saved(HttpContext http, CairnDb db, Member member, CancellationToken ct)
    {
        await db.SaveChangesAsync(ct);
        return Http.WithETag(http, UserJson.Of(member), member.Version);
    }
}

/// <summary>
/// An invitation: the member and the link, shown once. The answer has the same shape and wording
/// whether the address is new to Cairn or already has an account elsewhere.
/// </summary>
public sealed record InvitationJson(UserJson User, string InviteUrl, DateTimeOffset ExpiresAt, bool Emailed);

/// <summary>Who to invite, with which role.</summary>
public sealed record InvitationInput(string? Email, string? Role, string? DisplayName);

/// <summary>Changes to a user; absent fields stay as they are.</summary>
public sealed record UserInput(string? Role, string? DisplayName);

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
