using Cairn.Server.Billing;
using Cairn.Server.Data;
using Cairn.Server.Identity;
using Cairn.Server.Outbox;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Api;

/// <summary>Portal links of client contacts: <c>/clients/{id}/contacts/{contactId}/portal-links</c> and <c>/portal-links/{id}/revoke</c>.</summary>
public static class PortalLinksEndpoints
{
    public static void MapPortalLinks(this RouteGroupBuilder api)
    {
        var contactLinks = api.MapGroup("/clients/{id:guid}/contacts/{contactId:guid}/portal-links").WithTags("Portal links");

        contactLinks.MapGet("/", async (Guid id, Guid contactId, CairnDb db, CancellationToken ct) =>
        {
            if (!await db.Contacts.AnyAsync(c => c.Id == contactId && c.ClientId == id, ct))
                return Problems.NotFound("contact", contactId.ToString()).ToResult();
            var links = await db.PortalLinks.AsNoTracking().Where(l => l.ContactId == contactId).OrderBy(l => l.Id).ToListAsync(ct);
            return Results.Json(new Page<PortalLinkJson>(links.Select(PortalLinkJson.Of).ToList(), null), ApiJson.Options);
        }).Requires(Permission.Read).Produces<Page<PortalLinkJson>>();

        contactLinks.MapPost("/", async (Guid id, Guid contactId, PortalLinkInput? input, HttpContext http, CairnDb db, MailQueue mail, TimeProvider clock, CancellationToken ct) =>
        {
            var caller = http.Caller();
            if (await db.Contacts.AsNoTracking().SingleOrDefaultAsync(c => c.Id == contactId && c.ClientId == id, ct) is not { } contact)
                return Problems.NotFound("contact", contactId.ToString()).ToResult();
            var (link, url, emailed) = await PortalInvitations.CreateAsync(db, mail, contact, caller, clock.GetUtcNow(), PublicUrl.Of(http), input?.ExpiresInDays, input?.SendEmail != false, ct);
            return Http.Created(http, $"/api/v1/clients/{id}/contacts/{contactId}/portal-links", new NewPortalLinkJson(PortalLinkJson.Of(link), url, emailed));
        }).Requires(Permission.ManageClients).WithMetadata(SecretAnswer.Instance).Produces<NewPortalLinkJson>(StatusCodes.Status201Created);

        api.MapPost("/portal-links/{id:guid}/revoke", async (Guid id, HttpContext http, CairnDb db, TimeProvider clock, CancellationToken ct) =>
        {
            var caller = http.Caller();
            if (await db.PortalLinks.SingleOrDefaultAsync(l => l.Id == id, ct) is not { } link)
                return Problems.NotFound("portal link", id.ToString()).ToResult();
            var before = PortalLinkJson.Of(link);
            var now = clock.GetUtcNow();
            link.Revoke(now);
            Audit.Record(db, caller.OrganizationId, "portal_link", link.Id, "revoked", caller.Actor, now, before, PortalLinkJson.Of(link));
            await db.SaveChangesAsync(ct);
            return Results.Json(PortalLinkJson.Of(link), ApiJson.Options);
        }).Requires(Permission.ManageClients).WithTags("Portal links").Produces<PortalLinkJson>();
    }
}

/// <summary>A new portal link with its URL, which is shown this once; <c>emailed</c> is true when its email was queued (it leaves through the outbox once the change committed).</summary>
public sealed record NewPortalLinkJson(PortalLinkJson Link, string Url, bool Emailed);

/// <summary>Options of a new portal link: its lifetime (default 14 days) and whether to email it (default yes).</summary>
public sealed record PortalLinkInput(int? ExpiresInDays, bool? SendEmail);
