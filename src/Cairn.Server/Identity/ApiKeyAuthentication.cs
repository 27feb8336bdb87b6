using System.Security.Claims;
using System.Text.Encodings.Web;
using Cairn.Domain;
using Cairn.Server.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cairn.Server.Identity;

/// <summary>
/// Authenticates <c>Authorization: Bearer cairn_…</c> by the hash of the key. Unknown and revoked
/// keys fail the same way, so an attacker learns nothing from the answer. Known keys come from
/// <see cref="ApiKeyCache"/>, which a revocation on any instance makes stale at its commit. A refusal
/// is logged at Debug only; <see cref="RefusedKeys"/> reports them per source address.
/// </summary>
public sealed class ApiKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    CairnDb db,
    ApiKeyCache keys,
    RefusedKeys refusals,
    TimeProvider clock) : AuthenticationHandler<AuthenticationSchemeOptions>(options, new RefusalsAtDebug(logger), encoder)
{
    public const string SchemeName = "ApiKey";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return AuthenticateResult.NoResult();
        var secret = header["Bearer ".Length..].Trim();
        if (!secret.StartsWith(ApiKey.Prefix, StringComparison.Ordinal) || secret.Length > 200)
        {
            refusals.Record(Context.Connection.RemoteIpAddress, malformed: true);
            return AuthenticateResult.Fail("Malformed API key.");
        }

        var hash = ApiKey.HashOf(secret);
        // Not tracked: the request's own transaction must never write the key's row (last use is
        // recorded below, on its own), or two requests with one key could deadlock on it and a client row.
        var key = await keys.FindAsync(db, hash, Context.RequestAborted);
        if (key is null)
        {
            refusals.Record(Context.Connection.RemoteIpAddress, malformed: false);
            return AuthenticateResult.Fail("Unknown or revoked API key.");
        }

        if (key.Touch(clock.GetUtcNow()))
            await db.ApiKeys.IgnoreQueryFilters().Where(k => k.Id == key.Id).ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, key.LastUsedAt), Context.RequestAborted);
        var caller = new Caller(key.OrganizationId, new Actor(ActorKind.ApiKey, key.Id.ToString(), key.Name), key.Role, null);
        var identity = new ClaimsIdentity(caller.ToClaims(), SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        Problems.Write(Context, Problems.Unauthorized());

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Problems.Write(Context, Problems.Forbidden(null));
}
