using Cairn.Domain;
using Cairn.Server.Data;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Billing;

/// <summary>
/// Turns billable milestones into invoices. The invoice, its number and the audit entry are
/// written in one transaction; the unique index on a milestone's live invoice makes a racing
/// second issuer fail instead of billing twice.
/// </summary>
public sealed class Invoicing(CairnDb db, TimeProvider clock)
{
    /// <summary>
    /// Creates the invoice of a billable milestone inside the caller's transaction, and issues it
    /// at once unless the organization reviews drafts. Returns the existing invoice when the
    /// milestone already has one, so retries never bill twice.
    /// </summary>
    public async Task<Invoice> BillMilestoneAsync(Organization organization, Contract contract, Milestone milestone, Actor actor, CancellationToken cancellationToken = default)
    {
        var existing = await db.Invoices.Include(i => i.Lines)
            .FirstOrDefaultAsync(i => i.MilestoneId == milestone.Id && i.Status != InvoiceStatus.Void, cancellationToken);
        if (existing is not null)
            return existing;

        var now = clock.GetUtcNow();
        if (!milestone.IsBillable(contract.Status, organization.Calendar.DayOf(now)))
            throw new DomainException(new InvalidTransition("milestone", milestone.Id, "bill", milestone.Status.ToString(), "The milestone is not billable yet."));
        var invoice = new Invoice(Guid.CreateVersion7(), contract, milestone, now);
        db.Invoices.Add(invoice);
        Audit.Record(db, organization.Id, "invoice", invoice.Id, "created", actor, now, after: new { invoice.Status, milestoneId = milestone.Id, gross = invoice.Gross.ToDecimalString() });
        if (organization.IssueMode == InvoiceIssueMode.Immediately)
            await IssueAsync(organization, invoice, actor, cancellationToken);
        return invoice;
    }

    /// <summary>Issues a draft invoice: draws the next number of the series and freezes the content. Runs inside the caller's transaction.</summary>
    public async Task IssueAsync(Organization organization, Invoice invoice, Actor actor, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var today = organization.Calendar.DayOf(now);
        if (invoice.Status != InvoiceStatus.Draft)
            throw new DomainException(new InvalidTransition("invoice", invoice.Id, "issue", invoice.Status.ToString(), "Only a draft invoice can be issued; an issued invoice never changes."));
        var client = await db.Clients.SingleAsync(c => c.Id == invoice.ClientId, cancellationToken);

        // The client's unapplied credit (overpayments, payments a credit note gave back) pays new
        // invoices first. It is read before the number is drawn: from then until the commit every
        // other issuer of the series waits on the counter row, so that stretch does no reads.
        var payments = new Payments(db, clock);
        var credit = await payments.UnappliedCreditAsync(invoice, cancellationToken);
        var number = await DocumentNumbers.NextAsync(db, organization.Id, NumberFormat.Parse(organization.InvoiceSeriesFormat), today, cancellationToken);
        invoice.Issue(number, today, organization.ToSnapshot(), client.ToSnapshot(), now);
        Audit.Record(db, organization.Id, "invoice", invoice.Id, "issued", actor, now, before: new { Status = InvoiceStatus.Draft }, after: new { invoice.Status, invoice.Number, gross = invoice.Gross.ToDecimalString(), invoice.DueDate });
        payments.ApplyUnappliedCredit(credit, invoice, actor);
    }
}
