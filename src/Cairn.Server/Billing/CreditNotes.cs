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
    /// <summary>Issues a credit note of a gross amount against an invoice, inside the caller's transaction.</summary>
    public async Task<CreditNote> IssueAsync(Guid invoiceId, Money amount, string? reason, Actor actor, CancellationToken cancellationToken = default)
    {
        var clientId = await db.Invoices.Where(i => i.Id == invoiceId).Select(i => (Guid?)i.ClientId).SingleOrDefaultAsync(cancellationToken)
            ?? throw EntityNotFound.Of("invoice", invoiceId);
        await ClientLedger.LockAsync(db, clientId, cancellationToken);
        var invoice = await db.Invoices.Include(i => i.Lines).SingleAsync(i => i.Id == invoiceId, cancellationToken);

        // Refuse before a number is drawn, so a refused credit note never even touches the series.
        if (invoice.Status is not (InvoiceStatus.Issued or InvoiceStatus.Paid))
            throw new DomainException(new InvalidTransition("invoice", invoice.Id, "credit", invoice.Status.ToString(), "Only an issued invoice can be credited."));
        if (amount.Currency != invoice.Currency)
            throw new DomainException(new CurrencyMismatch(invoice.Currency.Code, amount.Currency.Code, "amount.currency"));
        if (!amount.IsPositive)
            throw new DomainException(new DomainError("amount_not_positive", "A credit note must be for more than zero.", "amount"));
        if (amount > invoice.Creditable)
            throw new DomainException(new DomainError("exceeds_creditable", $"Invoice {invoice.Number} has {invoice.Creditable.ToDecimalString()} {invoice.Currency.Code} left to credit; a credit note of {amount.ToDecimalString()} would exceed it.", "amount"));

        var organization = await db.Organizations.SingleAsync(cancellationToken);
        var client = await db.Clients.SingleAsync(c => c.Id == invoice.ClientId, cancellationToken);
        var earlier = await db.CreditNotes.Where(c => c.InvoiceId == invoice.Id).Select(c => new { c.NetMinor, c.TaxMinor }).ToListAsync(cancellationToken);
        var creditedSoFar = (earlier.Sum(c => c.NetMinor), earlier.Sum(c => c.TaxMinor));
        if (invoice.Prepayment)
        {
            // A deposit that later invoices already deduct cannot be given back as well.
            var invoices = await db.Invoices.Include(i => i.Lines).Where(i => i.ContractId == invoice.ContractId).ToListAsync(cancellationToken);
            PrepaymentAccount.Of(invoice, creditedSoFar.Item1, invoices).RequireCredit(new Money(CreditNote.SplitOf(invoice, creditedSoFar, amount).Net, invoice.Currency));
        }

        var now = clock.GetUtcNow();
        var today = organization.Calendar.DayOf(now);
        var format = NumberFormat.Parse(organization.CreditNoteSeriesFormat, "creditNoteSeriesFormat");
        var before = new { invoice.Status, credited = invoice.Credited.ToDecimalString(), paid = invoice.Paid.ToDecimalString(), balance = invoice.Balance.ToDecimalString() };

        // The constructor validates the reason and splits net and tax from the invoice as it stands before this credit.
        var number = await DocumentNumbers.NextAsync(db, organization.Id, format, today, cancellationToken);
        var note = new CreditNote(Guid.CreateVersion7(), invoice, creditedSoFar, amount, reason ?? "", number, today, organization.ToSnapshot(), client.ToSnapshot(organization.CountryCode), now);
        var overpaid = invoice.Credit(amount);
        db.CreditNotes.Add(note);
        Audit.Record(db, organization.Id, "credit_note", note.Id, "issued", actor, now,
            after: new { note.Number, invoiceId = invoice.Id, gross = note.Gross.ToDecimalString(), net = note.Net.ToDecimalString(), tax = note.Tax.ToDecimalString(), currency = note.Currency.Code, note.Reason });
        Audit.Record(db, organization.Id, "invoice", invoice.Id, "credited", actor, now, before,
            new { invoice.Status, credited = invoice.Credited.ToDecimalString(), paid = invoice.Paid.ToDecimalString(), balance = invoice.Balance.ToDecimalString(), creditNoteId = note.Id });
        await payments.TakeBackAsync(organization.Id, invoice, overpaid, actor, cancellationToken);
        return note;
    }
}
