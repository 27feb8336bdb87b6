using Cairn.Domain;
using Cairn.Server.Data;
using Cairn.Server.Requests;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Identity;

/// <summary>
/// <c>GET /portal/{token}</c>: opens a client contact's portal session from a link and sends
/// them on to <c>/portal</c>. Opening a link changes no business state. Unknown, expired,
/// revoked and forged tokens all get the same plain 404, and the route is rate-limited per IP.
/// </summary>
public static class PortalEndpoints
{
    /// <summary>The request item holding the language of the client an expired or revoked link named, for the status page.</summary>
    public const string PortalLinkLanguage = "Cairn.PortalLinkLanguage";

    /// <summary>The portal URL for a token.</summary>
    public static string UrlOf(string baseUrl, string token) => $"{baseUrl.TrimEnd('/')}/portal/{token}";

    /// <summary>Maps the link-opening route.</summary>
    public static void MapPortalLinkOpening(this WebApplication app) =>
        app.MapGet("/portal/{token}", async (string token, HttpContext http, CairnDb db, TimeProvider clock, CancellationToken ct) =>
        {
            // The token is in the URL: keep it out of caches and out of Referer headers of whatever the page links to.
            http.Response.DoNotStore();
            http.Response.Headers["Referrer-Policy"] = "no-referrer";
            var now = clock.GetUtcNow();
            if (!Tokens.LooksLikeToken(token))
                return NotFoundPage();
            var hash = Tokens.Hash(token);
            var link = await db.PortalLinks.IgnoreQueryFilters().SingleOrDefaultAsync(l => l.TokenHash == hash, ct);
            if (link is null)
                return NotFoundPage();
            if (!link.IsValid(now))
            {
                // The link still names a client: the page saying it is not valid speaks their language (and still not why).
                http.Items[PortalLinkLanguage] = await db.Clients.IgnoreQueryFilters().AsNoTracking()
                    .Where(c => c.Id == link.ClientId && c.OrganizationId == link.OrganizationId).Select(c => c.Language).SingleOrDefaultAsync(ct);
                return NotFoundPage();
            }

            var contact = await db.Contacts.IgnoreQueryFilters().AsNoTracking().SingleAsync(c => c.Id == link.ContactId && c.OrganizationId == link.OrganizationId, ct);
            link.Opened(now);
            await db.SaveChangesAsync(ct);
            await http.SignInAsync(SignInSchemes.Portal, SignInSchemes.PortalPrincipal(link, contact));
            return Results.Redirect("/portal");
        }).RequireRateLimiting(SignInSchemes.PortalLinkPolicy).ExcludeFromDescription();

    /// <summary>
    /// A link that does not open anything: a bare 404 that the styled status page
    /// (<c>Web/Pages/Status</c>) turns into "this link is not valid, ask for a new one", saying nothing about why.
    /// </summary>
    public static IResult NotFoundPage() => Results.NotFound();
}

/// <summary>
/// What a client contact may see and do: only the contracts and milestones of their own client,
/// in their own organization. The portal's approve, request-changes and dispute POSTs use these
/// to load what they act on; anything else is a 404.
/// </summary>
public static class PortalAccess
{
    /// <summary>The contact behind the request's portal session, or null when there is none (or it has ended).</summary>
    public static async Task<Caller?> PortalCallerAsync(this HttpContext context)
    {
        var result = await context.AuthenticateAsync(SignInSchemes.Portal);
        return result.Succeeded && Caller.From(result.Principal) is { IsContact: true, ClientId: not null } caller ? caller : null;
    }

    /// <summary>
    /// What an acceptance made in this request records about where it came from: the client address
    /// (after trusted proxies), the user agent, and the portal link that opened the session.
    /// </summary>
    public static async Task<AcceptanceEvidence> AcceptanceEvidenceAsync(this HttpContext context)
    {
        var result = await context.AuthenticateAsync(SignInSchemes.Portal);
        Guid? link = Guid.TryParse(result.Principal?.FindFirst(SignInSchemes.PortalLinkClaim)?.Value, out var id) ? id : null;
        var userAgent = context.Request.Headers.UserAgent.ToString();
        return new AcceptanceEvidence(context.Connection.RemoteIpAddress?.ToString(), userAgent.Length == 0 ? null : userAgent, link);
    }

    /// <summary>Scopes a unit of work to the contact's organization; call before reading anything for the portal.</summary>
    public static void ScopeTo(this CairnDb db, Caller contact)
    {
        if (!contact.IsContact || contact.ClientId is null)
            throw new InvalidOperationException("Not a portal contact.");
        db.TenantId = contact.OrganizationId;
    }

    /// <summary>The contracts of the contact's client.</summary>
    public static IQueryable<Contract> ContractsOf(CairnDb db, Caller contact)
    {
        db.ScopeTo(contact);
        var clientId = contact.ClientId!.Value;
        return db.Contracts.Where(c => c.ClientId == clientId);
    }

    /// <summary>A contract of the contact's client, or null (answer 404) when it is anyone else's.</summary>
    public static Task<Contract?> ContractForContactAsync(CairnDb db, Caller contact, Guid contractId, CancellationToken cancellationToken = default) =>
        ContractsOf(db, contact).Include(c => c.Milestones).SingleOrDefaultAsync(c => c.Id == contractId, cancellationToken);

    /// <summary>
    /// The milestone a contact may act on (approve, request changes, dispute) with its contract,
    /// or null (answer 404) when the milestone belongs to another client's contract.
    /// </summary>
    public static async Task<(Contract Contract, Milestone Milestone)?> MilestoneForContactAsync(CairnDb db, Caller contact, Guid milestoneId, CancellationToken cancellationToken = default)
    {
        var contracts = ContractsOf(db, contact);
        var contract = await contracts.Include(c => c.Milestones).SingleOrDefaultAsync(c => c.Milestones.Any(m => m.Id == milestoneId), cancellationToken);
        return contract is null ? null : (contract, contract.Milestones.Single(m => m.Id == milestoneId));
    }
}
