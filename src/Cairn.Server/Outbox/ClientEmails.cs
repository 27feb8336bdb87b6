using System.Text.Json;
using Cairn.Domain;
using Cairn.Server.Billing;
using Cairn.Server.Data;
using Cairn.Server.Identity;
using Cairn.Server.Localization;
using Cairn.Server.Mail;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cairn.Server.Outbox;

/// <summary>
/// The emails to a client's people, in the client's language (<see cref="MailWording"/>), each with a
/// plain-text and an HTML part and the organization's name as the sender's name: a milestone
/// submitted for review and a change order proposed (to every contact of the client, each with a
/// fresh portal link of their own), an invoice issued or sent (to the recipients of
/// <see cref="InvoiceSending"/>, the PDF attached, and the UBL e-invoice when
/// <see cref="Client.WantsUblByEmail"/>). Written into the fan-out's transaction; each email's
/// idempotency key is the event's and the recipient's, so a repeated fan-out cannot queue it twice.
/// </summary>
public sealed class ClientEmails(CairnDb db, MailQueue mail, TimeProvider clock, IOptions<CairnOptions> options)
{
    /// <summary>Queues the emails of one client-facing event; other events queue nothing.</summary>
    public async Task AddAsync(OutboxMessage message, OutboxEvent happened, Organization organization, CancellationToken cancellationToken)
    {
        switch (happened.Type)
        {
            case EventTypes.MilestoneSubmitted:
                await MilestoneSubmittedAsync(message, Id(happened, "milestoneId"), organization, cancellationToken);
                break;
            case EventTypes.InvoiceIssued:
                await InvoiceIssuedAsync(message, Id(happened, "invoiceId"), organization, cancellationToken);
                break;
            case EventTypes.InvoiceSent:
                await InvoiceSentAsync(message, Id(happened.Data.GetProperty("sent"), "sendId"), organization, cancellationToken);
                break;
            case EventTypes.ChangeOrderProposed:
                await ChangeOrderProposedAsync(message, Id(happened, "changeOrderId"), organization, cancellationToken);
                break;
        }
    }


    private async Task MilestoneSubmittedAsync(OutboxMessage message, Guid milestoneId, Organization organization, CancellationToken cancellationToken)
    {
        var contractId = await db.Milestones.Where(m => m.Id == milestoneId).Select(m => m.ContractId).SingleAsync(cancellationToken);
        var contract = await db.Contracts.AsNoTracking().Include(c => c.Milestones).SingleAsync(c => c.Id == contractId, cancellationToken);
        var milestone = contract.Milestones.Single(m => m.Id == milestoneId);
        // Answered before the email left (or the work was taken back): there is nothing to review any more.
        if (milestone.Status != MilestoneStatus.Submitted)
            return;
        var client = await db.Clients.AsNoTracking().SingleAsync(c => c.Id == contract.ClientId, cancellationToken);
        var submission = (await db.MilestoneEvents.AsNoTracking().Where(e => e.MilestoneId == milestoneId && e.Kind == MilestoneEventKind.Submitted).ToListAsync(cancellationToken))
            .OrderBy(e => e.At).ThenBy(e => e.Id).LastOrDefault();
        var totals = Invoice.TotalsFor(contract, milestone);
        var words = MailWording.For(client.Language);
        var labels = Wording.For(client.Language);

        foreach (var contact in await ContactsAsync(client, cancellationToken))
        {
            var (url, expires) = await PortalUrlAsync(contact, cancellationToken);
            var body = new EmailBody()
                .Paragraph(Wording.Format(words.Hello, contact.Name))
                .Paragraph(Wording.Format(words.SubmittedIntro, organization.Name, milestone.Title, contract.Title))
                .Section(labels.Deliverable, milestone.Deliverable)
                .Section(words.WhatWasDelivered, submission?.Note ?? "")
                .List(null, submission?.Links ?? [])
                .Section(labels.AcceptanceCriteria, milestone.AcceptanceCriteria)
                .Paragraph(milestone.Trigger == BillingTrigger.OnApproval && totals.Gross.Minor != 0
                    ? Wording.Format(words.ApprovingInvoices, Formats.Amount(totals.Gross, client.Language), Formats.Amount(totals.Net, client.Language), Formats.Amount(totals.Tax, client.Language))
                    : words.ApprovingInvoicesNothing);
            if (milestone.SubmittedAt is { } at && contract.ApprovalWindowDays is { } days)
                body.Paragraph(Wording.Format(words.AutoApprovalBy, Formats.Date(organization.Calendar.DayOf(Contract.ApprovalWindowEnds(at, days)), client.Language)));
            body.Link(words.ReviewInPortal, url)
                .Paragraph(Wording.Format(words.LinkWorksUntil, Formats.MomentWithZone(expires, client.Language, organization.Calendar)))
                .Paragraph(Wording.Format(words.Regards, organization.Name));
            Queue(message, organization, contact.Email, contact.Name, "c_" + contact.Id.ToString("N"),
                Wording.Format(words.SubmittedSubject, milestone.Title, contract.Title), body);
        }
    }

    private async Task ChangeOrderProposedAsync(OutboxMessage message, Guid changeOrderId, Organization organization, CancellationToken cancellationToken)
    {
        var order = await db.ChangeOrders.AsNoTracking().SingleAsync(o => o.Id == changeOrderId, cancellationToken);
        if (order.Status != ChangeOrderStatus.Proposed)
            return;
        var contract = await db.Contracts.AsNoTracking().SingleAsync(c => c.Id == order.ContractId, cancellationToken);
        var client = await db.Clients.AsNoTracking().SingleAsync(c => c.Id == contract.ClientId, cancellationToken);
        var words = MailWording.For(client.Language);
        foreach (var contact in await ContactsAsync(client, cancellationToken))
        {
            var (url, expires) = await PortalUrlAsync(contact, cancellationToken);
            var body = new EmailBody()
                .Paragraph(Wording.Format(words.Hello, contact.Name))
                .Paragraph(Wording.Format(words.ChangeOrderIntro, organization.Name, order.Title, contract.Title))
                .Link(words.ChangeOrderInPortal, url)
                .Paragraph(Wording.Format(words.LinkWorksUntil, Formats.MomentWithZone(expires, client.Language, organization.Calendar)))
                .Paragraph(Wording.Format(words.Regards, organization.Name));
            Queue(message, organization, contact.Email, contact.Name, "c_" + contact.Id.ToString("N"),
                Wording.Format(words.ChangeOrderSubject, order.Title, contract.Title), body);
        }
    }

    private async Task InvoiceIssuedAsync(OutboxMessage message, Guid invoiceId, Organization organization, CancellationToken cancellationToken)
    {
        var invoice = await db.Invoices.AsNoTracking().SingleAsync(i => i.Id == invoiceId, cancellationToken);
        var client = await db.Clients.AsNoTracking().SingleAsync(c => c.Id == invoice.ClientId, cancellationToken);
        var recipients = await InvoiceSending.DefaultRecipientsAsync(db, client, cancellationToken);
        QueueInvoice(message, organization, invoice, client, recipients, client.WantsUblByEmail);
    }

    private async Task InvoiceSentAsync(OutboxMessage message, Guid sendId, Organization organization, CancellationToken cancellationToken)
    {
        var send = await db.InvoiceSends.AsNoTracking().SingleAsync(s => s.Id == sendId, cancellationToken);
        var invoice = await db.Invoices.AsNoTracking().SingleAsync(i => i.Id == send.InvoiceId, cancellationToken);
        var client = await db.Clients.AsNoTracking().SingleAsync(c => c.Id == invoice.ClientId, cancellationToken);
        QueueInvoice(message, organization, invoice, client, send.Recipients, send.WithUbl);
    }

    private void QueueInvoice(OutboxMessage message, Organization organization, Invoice invoice, Client client, IReadOnlyList<SendRecipient> recipients, bool withUbl)
    {
        var words = MailWording.For(client.Language);
        var labels = Wording.For(client.Language);
        var attachments = new List<AttachmentRef> { new("invoice_pdf", invoice.Id) };
        if (withUbl)
            attachments.Add(new AttachmentRef("invoice_ubl", invoice.Id));
        for (var i = 0; i < recipients.Count; i++)
        {
            var recipient = recipients[i];
            var body = new EmailBody()
                .Paragraph(Wording.Format(words.Hello, recipient.Name))
                .Paragraph(Wording.Format(words.InvoiceIntro, organization.Name, invoice.Number ?? "", Formats.Amount(invoice.Gross, client.Language)))
                .Paragraph(invoice.Balance.IsPositive
                    ? Wording.Format(labels.PleasePay, Formats.Amount(invoice.Balance, client.Language), Formats.Date(invoice.DueDate, client.Language), invoice.Number ?? "")
                    : invoice.Status == InvoiceStatus.Paid ? labels.NothingDuePaid : labels.NothingDueCredited)
                .Paragraph(withUbl ? words.InvoiceAttached + " " + words.EInvoiceAttached : words.InvoiceAttached)
                .Paragraph(Wording.Format(words.Regards, organization.Name));
            Queue(message, organization, recipient.Email, recipient.Name, "r" + i.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Wording.Format(words.InvoiceSubject, invoice.Number ?? "", organization.Name), body, attachments);
        }
    }

    private Task<List<Contact>> ContactsAsync(Client client, CancellationToken cancellationToken) =>
        db.Contacts.AsNoTracking().Where(c => c.ClientId == client.Id).OrderBy(c => c.Id).ToListAsync(cancellationToken);

    // A fresh link per email, made and audited like every portal link; only its hash is stored, the email is encrypted.
    private async Task<(string Url, DateTimeOffset ExpiresAt)> PortalUrlAsync(Contact contact, CancellationToken cancellationToken)
    {
        var system = new Caller(contact.OrganizationId, Actor.System, null, null);
        var invitation = await PortalInvitations.CreateAsync(db, mail, contact, system, clock.GetUtcNow(), options.Value.EmailedLinkBase, null, sendEmail: false, cancellationToken);
        return (invitation.Url, invitation.Link.ExpiresAt);
    }

    private void Queue(OutboxMessage message, Organization organization, string to, string toName, string recipientKey, string subject, EmailBody body, IReadOnlyList<AttachmentRef>? attachments = null) =>
        mail.Add(db, organization.Id, message.Type, clock.GetUtcNow(),
            new OutgoingMail(to, toName, subject, body.Text(), body.Html(subject, EmailLook.Of(organization))) { FromName = organization.Name },
            $"{message.IdempotencyKey}_{recipientKey}", attachments);

    private static Guid Id(OutboxEvent happened, string property) => Id(happened.Data, property);

    private static Guid Id(JsonElement data, string property) => data.GetProperty(property).GetGuid();
}
