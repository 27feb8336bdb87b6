using Cairn.Domain;
using Cairn.Server.Data;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Billing;

/// <summary>
/// Corrects issued invoices with credit notes: numbered gap-free in the organization's own
/// credit-note series, never more than what is left to credit, voiding the invoice when they
/// credit all of it. A credit beyond the open balance gives the payments back to the client as
/// unapplied credit.
/// </summary>
public sealed class CreditNotes(CairnDb db, TimeProvider clock, Payments payments)
{
    /// <summary>Issues a credit note of a gross amount against an invoice, split over its tax groups in proportion to what is left in each, inside the caller's transaction.</summary>
    public Task<CreditNote> IssueAsync(Guid invoiceId, Money amount, string? reason, Actor actor, CancellationToken cancellationToken = default) =>
        IssueAsync(invoiceId, amount, null, reason, actor, cancellationToken);

    /// <summary>
    /// Issues a credit note against an invoice, inside the caller's transaction: of <paramref name="lines"/> (the net to take
    /// back in each named tax group) when given, else of the gross <paramref name="amount"/> split over the groups in proportion
    /// to what is left in each (<see cref="CreditSplit"/>). With both, the amount must be the lines' gross.
    /// </summary>
    public async Task<CreditNote> IssueAsync(Guid invoiceId, Money? amount, IReadOnlyList<CreditedGroup>? lines, string? reason, Actor actor, CancellationToken cancellationToken = default)
    {
        var clientId = await db.Invoices.Where(i => i.Id == invoiceId).Select(i => (Guid?)i.ClientId).SingleOrDefaultAsync(cancellationToken)
            ?? throw EntityNotFound.Of("invoice", invoiceId);
        await ClientLedger.LockAsync(db, clientId, cancellationToken);
        var invoice = await db.Invoices.Include(i => i.Lines).SingleAsync(i => i.Id == invoiceId, cancellationToken);

        // Refuse before a number is drawn, so a refused credit note never even touches the series.
        if (invoice.Status is not (InvoiceStatus.Issued or InvoiceStatus.Paid))
            throw new DomainException(new InvalidTransition("invoice", invoice.Id, "credit", invoice.Status.ToString(), "Only an issued invoice can be credited."));
        if (amount is { } a && a.Currency != invoice.Currency)
            throw new DomainException(new CurrencyMismatch(invoice.Currency.Code, a.Currency.Code, "amount.currency"));
        // The deposit account of a prepayment shares its credit notes among its VAT groups as they were invoiced (PrepaymentAccount), so its split is not chosen per group.
        if (invoice.Prepayment && lines is not null && invoice.Totals.PerRate.Count > 1)
            throw new DomainException(new PrepaymentConflict("prepayment_split_fixed", $"Prepayment invoice {invoice.Number} has several VAT groups; a credit note of it is shared among them as they were invoiced. Give the amount only.") with { Field = "lines" });
        var earlier = await db.CreditNotes.Where(c => c.InvoiceId == invoice.Id).ToListAsync(cancellationToken);
        var remaining = CreditSplit.Remaining(invoice, earlier);
        var groups = lines is null
            ? CreditSplit.Proportional(remaining, amount ?? throw new DomainException(new DomainError("required", "amount is required, e.g. {\"amount\": \"100.00\", \"currency\": \"EUR\"}, or lines naming the net to credit in each tax group.", "amount")))
            : CreditSplit.Requested(remaining, lines);
        var gross = new Money(groups.Sum(g => g.Net.Minor + g.Tax.Minor), invoice.Currency);
        if (amount is { } asked && asked != gross)
            throw new DomainException(new DomainError("amount_mismatch", $"The lines credit {gross.ToDecimalString()} {invoice.Currency.Code} gross (net and tax of each group); amount says {asked.ToDecimalString()}. Leave amount out, or make it the lines' gross.", "amount"));
        if (gross > invoice.Creditable)
            throw new DomainException(new DomainError("exceeds_creditable", $"Invoice {invoice.Number} has {invoice.Creditable.ToDecimalString()} {invoice.Currency.Code} left to credit; a credit note of {gross.ToDecimalString()} would exceed it.", "amount"));

        var organization = await db.Organizations.SingleAsync(cancellationToken);
        var client = await db.Clients.SingleAsync(c => c.Id == invoice.ClientId, cancellationToken);
        if (invoice.Prepayment)
        {
            // A deposit that later invoices already deduct cannot be given back as well.
            var invoices = await db.Invoices.Include(i => i.Lines).Where(i => i.ContractId == invoice.ContractId).ToListAsync(cancellationToken);
            PrepaymentAccount.Of(invoice, earlier.Sum(c => c.NetMinor), invoices).RequireCredit(new Money(groups.Sum(g => g.Net.Minor), invoice.Currency));
        }

        var now = clock.GetUtcNow();
        var today = organization.Calendar.DayOf(now);
        var format = NumberFormat.Parse(organization.CreditNoteSeriesFormat, "creditNoteSeriesFormat");
        var before = new { invoice.Status, credited = invoice.Credited.ToDecimalString(), paid = invoice.Paid.ToDecimalString(), balance = invoice.Balance.ToDecimalString() };

        // The constructor validates the reason; the split was computed from the invoice as it stands before this credit.
        var number = await DocumentNumbers.NextAsync(db, organization.Id, format, today, cancellationToken);
        var note = new CreditNote(Guid.CreateVersion7(), invoice, groups, reason ?? "", number, today, organization.ToSnapshot(), client.ToSnapshot(organization.CountryCode), now);
        var overpaid = invoice.Credit(gross);
        db.CreditNotes.Add(note);
        Audit.Record(db, organization.Id, "credit_note", note.Id, "issued", actor, now,
            after: new { note.Number, invoiceId = invoice.Id, gross = note.Gross.ToDecimalString(), net = note.Net.ToDecimalString(), tax = note.Tax.ToDecimalString(), currency = note.Currency.Code, note.Reason });
        Audit.Record(db, organization.Id, "invoice", invoice.Id, "credited", actor, now, before,
            new { invoice.Status, credited = invoice.Credited.ToDecimalString(), paid = invoice.Paid.ToDecimalString(), balance = invoice.Balance.ToDecimalString(), creditNoteId = note.Id });
        Events.CreditNote(db, note, now);
        Events.InvoiceStatus(db, invoice, before.Status, now);
        await payments.TakeBackAsync(organization.Id, invoice, overpaid, actor, cancellationToken);
        return note;
    }
}
