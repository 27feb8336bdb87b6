using Cairn.Domain;
using Cairn.Server.Data;
using Cairn.Server.Reminders;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Billing;

/// <summary>
/// Charges Directive 2011/7/EU late-payment interest (<see cref="LateInterest"/>) on a new invoice, for the API
/// and the staff invoice page: what was late comes from the invoice's payments (each on the day it was
/// received) and credit notes (each on its issue date); the reference rates from
/// <c>Billing/reference-rates.csv</c>. The late invoice is never changed.
/// </summary>
public sealed class LateInterestCharges(CairnDb db, Invoicing invoicing, ReminderRules reminders, BusinessDays days, TimeProvider clock)
{
    /// <summary>The reference-rate table shipped with Cairn.</summary>
    public static ReferenceRates Rates { get; } = Load();

    /// <summary>What charging interest on an invoice would charge today; nothing is stored.</summary>
    /// <exception cref="DomainException"><c>not_found</c>, <c>invalid_transition</c> (a draft or void invoice), <c>not_late</c>, <c>reference_rate_missing</c>.</exception>
    public async Task<(Invoice Late, LateInterestComputation Computation)> ComputeAsync(Guid invoiceId, CancellationToken ct)
    {
        var late = await db.Invoices.Include(i => i.Lines).SingleOrDefaultAsync(i => i.Id == invoiceId, ct) ?? throw EntityNotFound.Of("invoice", invoiceId);
        if (late.Status is not (InvoiceStatus.Issued or InvoiceStatus.Paid) || late.DueDate is not { } due || late.LateInterestFor is not null)
            throw new DomainException(new InvalidTransition("invoice", late.Id, "charge late-payment interest on", late.Status.ToString(), "Interest is charged on an issued or paid invoice, not on a draft, a void invoice or an interest invoice."));
        var payments = await (
            from a in db.PaymentApplications
            join p in db.Payments on a.PaymentId equals p.Id
            where a.InvoiceId == late.Id
            select new { p.ReceivedOn, a.AmountMinor }).AsNoTracking().ToListAsync(ct);
        var credits = await db.CreditNotes.Where(n => n.InvoiceId == late.Id).Select(n => new { n.IssueDate, n.GrossMinor }).AsNoTracking().ToListAsync(ct);
        var settlements = payments.Select(p => (p.ReceivedOn, new Money(p.AmountMinor, late.Currency)))
            .Concat(credits.Select(c => (c.IssueDate, new Money(c.GrossMinor, late.Currency)))).ToList();
        // Paid in full: interest runs to the last settlement; still open: to today.
        var until = late.Balance.IsPositive ? await days.TodayAsync(ct) : settlements.Max(s => s.Item1);
        return (late, LateInterest.Compute(late.Gross, due, settlements, until, Rates));
    }

    /// <summary>
    /// Creates (and, when the organization issues at once, issues) the interest invoice of a late invoice.
    /// Runs inside the caller's transaction.
    /// </summary>
    /// <exception cref="DomainException"><c>late_interest_off</c> when the organization does not charge interest; <c>late_interest_charged</c> when a live interest invoice exists; the errors of <see cref="ComputeAsync"/>.</exception>
    public async Task<(Invoice Charge, LateInterestComputation Computation)> ChargeAsync(Guid invoiceId, Actor actor, CancellationToken ct)
    {
        // The invoice is found first: another organization's id is a 404 whatever this organization's settings.
        var (late, computation) = await ComputeAsync(invoiceId, ct);
        if (!(await reminders.OfOrganizationAsync(ct)).ChargeLateInterest)
            throw new DomainException(new LateInterestOff());
        if (await db.Invoices.AnyAsync(i => i.LateInterestFor == late.Id && i.Status != InvoiceStatus.Void, ct))
            throw new DomainException(new LateInterestCharged(late.Id));
        var now = clock.GetUtcNow();
        var charge = Invoice.ForLateInterest(Guid.CreateVersion7(), late, computation, now);
        db.Invoices.Add(charge);
        Audit.Record(db, late.OrganizationId, "invoice", charge.Id, "created", actor, now, after: new { charge.Status, lateInterestFor = late.Id, gross = charge.Gross.ToDecimalString() });
        Audit.Record(db, late.OrganizationId, "invoice", late.Id, "late_interest_charged", actor, now, after: new { interestInvoiceId = charge.Id, interest = computation.Interest.ToDecimalString(), compensation = computation.Compensation?.ToDecimalString() });
        var organization = await db.Organizations.SingleAsync(ct);
        if (organization.IssueMode == InvoiceIssueMode.Immediately)
            await invoicing.IssueAsync(organization, charge, actor, ct);
        await db.SaveChangesAsync(ct);
        return (charge, computation);
    }

    private static ReferenceRates Load()
    {
        using var stream = typeof(LateInterestCharges).Assembly.GetManifestResourceStream("Cairn.ReferenceRates.csv")
            ?? throw new InvalidOperationException("The reference-rate table is missing from the build.");
        using var reader = new StreamReader(stream);
        return ReferenceRates.Parse(reader.ReadToEnd());
    }
}

/// <summary>A live interest invoice already charges this invoice's late payment.</summary>
public sealed record LateInterestCharged(Guid InvoiceId)
    : DomainError("late_interest_charged", $"Late-payment interest on invoice {InvoiceId} is already charged; void that interest invoice with a credit note to charge it again.")
{
    /// <inheritdoc />
    public override DomainErrorKind Kind => DomainErrorKind.Conflict;
}

/// <summary>The organization has not turned late-payment interest on.</summary>
public sealed record LateInterestOff()
    : DomainError("late_interest_off", "The organization does not charge late-payment interest; turn it on in Settings → Reminders (chargeLateInterest).")
{
    /// <inheritdoc />
    public override DomainErrorKind Kind => DomainErrorKind.Conflict;
}
