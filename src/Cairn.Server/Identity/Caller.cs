using System.Security.Claims;
using Cairn.Domain;

namespace Cairn.Server.Identity;

/// <summary>
/// Who is asking and on whose behalf: the organization whose data they may touch, the actor
/// recorded in history, their role (staff and API keys), or the client they belong to (portal
/// contacts). <paramref name="MustEnrolTwoFactor"/> marks a staff member whose organization requires
/// a second factor they have not set up yet: such a caller may do nothing until they enrol.
/// </summary>
public sealed record Caller(Guid OrganizationId, Actor Actor, Role? Role, Guid? ClientId, bool MustEnrolTwoFactor = false)
{
    public const string OrganizationClaim = "cairn:org";
    public const string ActorKindClaim = "cairn:actor_kind";
    public const string ActorIdClaim = "cairn:actor_id";
    public const string RoleClaim = "cairn:role";
    public const string ClientClaim = "cairn:client";
    public const string MustEnrolTwoFactorClaim = "cairn:must_enrol_2fa";

    /// <summary>Whether the caller is a client contact using the portal.</summary>
    public bool IsContact => Actor.Kind == ActorKind.Contact;

    /// <summary>The staff user asking, or null for an API key or a client contact.</summary>
    public Guid? UserId => Actor.Kind == ActorKind.User && Guid.TryParse(Actor.Id, out var id) ? id : null;

    /// <summary>
    /// Whether the caller may do something; contacts only act through the portal's own checks, and a
    /// member who must first set up their second factor may do nothing (reading included).
    /// </summary>
    public bool Can(Permission permission) => !MustEnrolTwoFactor && Role is { } role && Permissions.Allows(role, permission);

    /// <summary>The claims that carry a caller through an authentication ticket.</summary>
    public IEnumerable<Claim> ToClaims()
    {
        yield return new Claim(OrganizationClaim, OrganizationId.ToString());
        yield return new Claim(ActorKindClaim, Actor.Kind.ToString());
        yield return new Claim(ActorIdClaim, Actor.Id);
        yield return new Claim(ClaimTypes.Name, Actor.Name);
        if (Role is { } role)
            yield return new Claim(RoleClaim, role.ToString());
        if (ClientId is { } client)
            yield return new Claim(ClientClaim, client.ToString());
        if (MustEnrolTwoFactor)
            yield return new Claim(MustEnrolTwoFactorClaim, "true");
    }

    /// <summary>Reads a caller back from an authenticated principal; null when the principal carries none.</summary>
    public static Caller? From(ClaimsPrincipal principal)
    {
        if (!Guid.TryParse(principal.FindFirstValue(OrganizationClaim), out var organization)
            || !Enum.TryParse<ActorKind>(principal.FindFirstValue(ActorKindClaim), out var kind)
            || principal.FindFirstValue(ActorIdClaim) is not { } id)
            return null;
        Role? role = Enum.TryParse<Role>(principal.FindFirstValue(RoleClaim), out var r) ? r : null;
        Guid? client = Guid.TryParse(principal.FindFirstValue(ClientClaim), out var c) ? c : null;
        return new Caller(organization, new Actor(kind, id, principal.FindFirstValue(ClaimTypes.Name) ?? id), role, client, principal.HasClaim(MustEnrolTwoFactorClaim, "true"));
    }
}
