using Cairn.Domain;
using Cairn.Server.Data;
using Cairn.Server.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Cairn.Server.Billing;

/// <summary>Someone an invoice is emailed to.</summary>
/// <param name="Name">The name shown beside the address.</param>
/// <param name="Email">The address.</param>
/// <param name="ContactId">The client contact, or null for the client's billing address (<see cref="Client.Email"/>).</param>
public sealed record SendRecipient(string Name, string Email, Guid? ContactId);

/// <summary>One sending of an invoice to the client ("Send invoice", "Resend"): when, to whom, by whom; never changed.</summary>
public sealed class InvoiceSend
{
    private InvoiceSend()
    {
    }

    internal InvoiceSend(Invoice invoice, IReadOnlyList<SendRecipient> recipients, bool withUbl, Actor sentBy, DateTimeOffset now)
    {
        Id = Guid.CreateVersion7();
        OrganizationId = invoice.OrganizationId;
        InvoiceId = invoice.Id;
        Recipients = [.. recipients];
        WithUbl = withUbl;
        SentBy = sentBy.ToString();
        SentAt = now;
    }

    public Guid Id { get; private set; }

    public Guid OrganizationId { get; private set; }

    public Guid InvoiceId { get; private set; }

    public List<SendRecipient> Recipients { get; private set; } = [];

    /// <summary>Whether the UBL e-invoice was attached beside the PDF (<see cref="Client.WantsUblByEmail"/>).</summary>
    public bool WithUbl { get; private set; }

    /// <summary>Who sent it, in the audit log's <c>kind:id</c> form.</summary>
    public string SentBy { get; private set; } = "";

    public DateTimeOffset SentAt { get; private set; }
}

internal sealed class InvoiceSendMapping : IEntityTypeConfiguration<InvoiceSend>
{
    public void Configure(EntityTypeBuilder<InvoiceSend> b)
    {
        b.ToTable("invoice_sends");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.Recipients).HasConversion(new JsonConverter<List<SendRecipient>>(), new JsonComparer<List<SendRecipient>>());
        b.HasIndex(x => x.InvoiceId);
    }
}

/// <summary>
/// Sends an issued invoice to the client: records the sending on the invoice, audits it and emits
/// <c>invoice.sent</c>, whose fan-out emails the PDF (and the UBL e-invoice when the client wants it)
/// to each recipient through the outbox, after the commit.
/// </summary>
public sealed class InvoiceSending(CairnDb db, TimeProvider clock)
{
    /// <summary>
    /// Who an invoice goes to when nobody is named: the client's billing address (<see cref="Client.Email"/>,
    /// the address on the invoice) when it has one, else every contact of the client.
    /// </summary>
    public static async Task<IReadOnlyList<SendRecipient>> DefaultRecipientsAsync(CairnDb db, Client client, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(client.Email))
            return [new SendRecipient(client.Name, client.Email, null)];
        return await db.Contacts.AsNoTracking().Where(c => c.ClientId == client.Id).OrderBy(c => c.Id)
            .Select(c => new SendRecipient(c.Name, c.Email, c.Id)).ToListAsync(cancellationToken);
    }

    /// <summary>Sends an invoice to the named contacts of its client, or to <see cref="DefaultRecipientsAsync"/>.</summary>
    /// <param name="invoiceId">The invoice.</param>
    /// <param name="contactIds">Contacts of the invoice's client; null or empty for the default recipients.</param>
    /// <param name="actor">Who sends it.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <exception cref="DomainException">Not found (404); a draft or void invoice (409); a contact of another client (400, field <c>recipients[i]</c>); nobody to send to (409 <c>no_recipient</c>).</exception>
    public async Task<InvoiceSend> SendAsync(Guid invoiceId, IReadOnlyList<Guid>? contactIds, Actor actor, CancellationToken cancellationToken = default)
    {
        var invoice = await db.Invoices.SingleOrDefaultAsync(i => i.Id == invoiceId, cancellationToken)
            ?? throw new DomainException(new NotFound("invoice", invoiceId));
        invoice.RequireSendable();
        var client = await db.Clients.AsNoTracking().SingleAsync(c => c.Id == invoice.ClientId, cancellationToken);
        var recipients = contactIds is { Count: > 0 } ? await ContactsAsync(client, contactIds, cancellationToken) : await DefaultRecipientsAsync(db, client, cancellationToken);
        if (recipients.Count == 0)
            throw new DomainException(new NoRecipient(client.Id));

        var now = clock.GetUtcNow();
        var send = new InvoiceSend(invoice, recipients, client.WantsUblByEmail, actor, now);
        db.InvoiceSends.Add(send);
        Audit.Record(db, invoice.OrganizationId, "invoice", invoice.Id, "sent", actor, now, after: new { SendId = send.Id, To = recipients.Select(r => r.Email).ToList(), send.WithUbl });
        Events.Invoice(db, EventTypes.InvoiceSent, invoice, now, new { sendId = send.Id, recipients = recipients.Count });
        await db.SaveChangesAsync(cancellationToken);
        return send;
    }

    private async Task<IReadOnlyList<SendRecipient>> ContactsAsync(Client client, IReadOnlyList<Guid> contactIds, CancellationToken cancellationToken)
    {
        var contacts = await db.Contacts.AsNoTracking().Where(c => c.ClientId == client.Id && contactIds.Contains(c.Id)).ToListAsync(cancellationToken);
        var recipients = new List<SendRecipient>();
        for (var i = 0; i < contactIds.Count; i++)
        {
            var contact = contacts.SingleOrDefault(c => c.Id == contactIds[i])
                ?? throw new DomainException(new DomainError("unknown_contact", $"Contact {contactIds[i]} is not a contact of client {client.Name}; name contacts of the invoice's client.", $"recipients[{i}]"));
            if (recipients.All(r => r.ContactId != contact.Id))
                recipients.Add(new SendRecipient(contact.Name, contact.Email, contact.Id));
        }

        return recipients;
    }

    /// <summary>The client has neither a billing address nor a contact to send to.</summary>
    private sealed record NoRecipient(Guid ClientId)
        : DomainError("no_recipient", $"Client {ClientId} has no billing email and no contacts: add one, then send the invoice.", "recipients")
    {
        public override DomainErrorKind Kind => DomainErrorKind.Conflict;
    }
}
