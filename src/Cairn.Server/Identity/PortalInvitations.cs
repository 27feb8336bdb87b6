using Cairn.Domain;
using Cairn.Server.Billing;
using Cairn.Server.Data;
using Cairn.Server.Localization;
using Cairn.Server.Mail;
using Cairn.Server.Outbox;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Identity;

/// <summary>A new portal link, its URL (shown this once) and whether it was queued to be emailed after the commit.</summary>
public sealed record PortalInvitation(PortalLink Link, string Url, bool Emailed);

/// <summary>Creates a contact's portal link and emails it: what the API and the staff web app both do.</summary>
public static class PortalInvitations
{
    /// <summary>Adds a new portal link of <paramref name="contact"/> to the unit of work (audited); returns it with its URL, whose token exists only in this answer.</summary>
    public static (PortalLink Link, string Url) NewLink(CairnDb db, Contact contact, Guid organizationId, Actor actor, DateTimeOffset now, string baseUrl, int? expiresInDays = null)
    {
        var (link, token) = PortalLink.Create(contact, actor, now, expiresInDays);
        db.PortalLinks.Add(link);
        Audit.Record(db, organizationId, "portal_link", link.Id, "created", actor, now, after: PortalLinkJson.Of(link));
        return (link, PortalEndpoints.UrlOf(baseUrl, token));
    }

    /// <summary>Creates the link inside the caller's unit of work (saved) and, unless told not to, queues its email, sent after the commit.</summary>
    public static async Task<PortalInvitation> CreateAsync(CairnDb db, MailQueue mail, Contact contact, Caller caller, DateTimeOffset now, string baseUrl, int? expiresInDays, bool sendEmail, CancellationToken ct)
    {
        var (link, url) = NewLink(db, contact, caller.OrganizationId, caller.Actor, now, baseUrl, expiresInDays);
        await db.SaveChangesAsync(ct);

        if (!sendEmail)
            return new PortalInvitation(link, url, sendEmail);
        var organization = await db.Organizations.AsNoTracking().SingleAsync(ct);
        var language = await db.Clients.AsNoTracking().Where(c => c.Id == contact.ClientId).Select(c => c.Language).SingleAsync(ct);
        var words = MailWording.For(language);
        var subject = Wording.Format(words.PortalInviteSubject, organization.Name);
        var body = new Outbox.EmailBody()
            .Paragraph(Wording.Format(words.Hello, contact.Name))
            .Link(Wording.Format(words.PortalInviteIntro, organization.Name), url)
            .Paragraph(Wording.Format(words.LinkWorksUntil, Formats.MomentWithZone(link.ExpiresAt, language, organization.Calendar)));
        mail.Add(db, contact.OrganizationId, "portal_link", now,
            new OutgoingMail(contact.Email, contact.Name, subject, body.Text(), body.Html(subject, Outbox.EmailLook.Of(organization))) { FromName = organization.Name });
        return new PortalInvitation(link, url, sendEmail);
    }
}

/// <summary>A portal link as the API shows it: never the token.</summary>
public sealed record PortalLinkJson(Guid Id, Guid ClientId, Guid ContactId, string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, DateTimeOffset? RevokedAt, DateTimeOffset? LastOpenedAt)
{
    public static PortalLinkJson Of(PortalLink l) => new(l.Id, l.ClientId, l.ContactId, l.CreatedBy, l.CreatedAt, l.ExpiresAt, l.RevokedAt, l.LastOpenedAt);
}
