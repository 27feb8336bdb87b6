using Cairn.Domain;
using Cairn.Server.Data;
using Cairn.Server.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace Cairn.Server.Billing;

/// <summary>
/// Turns billable milestones into invoices. The invoice, its number and the audit entry are
/// written in one transaction; the unique index on a milestone's live invoice makes a racing
/// second issuer fail instead of billing twice.
/// </summary>
public sealed class Invoicing(CairnDb db, TimeProvider clock)
{
    /// <summary>
    /// Creates the invoice of a milestone that is due for one (<see cref="MilestoneBillingState{TInvoice}.IsDueForInvoice"/>)
    /// inside the caller's transaction, and issues it at once unless the organization reviews drafts.
    /// Returns the milestone's live invoice when it already has one, so retries never bill twice,
    /// and null when nothing is to be billed: a checkpoint (0.00), a milestone credited in full
    /// (billed again only by <see cref="RebillAsync"/>), or a trigger that has not fired.
    /// </summary>
    public Task<Invoice?> BillIfDueAsync(Organization organization, Contract contract, Milestone milestone, Actor actor, CancellationToken cancellationToken = default) =>
        BillIfDueAsync(organization, contract, milestone, actor, null, cancellationToken);

    /// <summary>
    /// As <see cref="BillIfDueAsync(Organization, Contract, Milestone, Actor, CancellationToken)"/>, with what the
    /// caller already read in this transaction (an approval reads it with its locks), so it is not read again.
    /// </summary>
    public async Task<Invoice?> BillIfDueAsync(Organization organization, Contract contract, Milestone milestone, Actor actor, BillingFacts? known, CancellationToken cancellationToken = default)
    {
        var billing = known is null ? await BillingOfAsync(milestone, cancellationToken) : new MilestoneBillingState(milestone, known.MilestoneInvoices);
        if (billing.LiveInvoice is { } live)
            return live;
        var now = clock.GetUtcNow();
        return billing.IsDueForInvoice(contract.Status, organization.Calendar.DayOf(now))
            ? await CreateAsync(organization, contract, milestone, actor, now, known, cancellationToken)
            : null;
    }

    /// <summary>As <see cref="BillIfDueAsync"/>, but a milestone with nothing to bill is refused (409 <c>invalid_transition</c>).</summary>
    public async Task<Invoice> BillMilestoneAsync(Organization organization, Contract contract, Milestone milestone, Actor actor, CancellationToken cancellationToken = default) =>
        await BillIfDueAsync(organization, contract, milestone, actor, cancellationToken)
        ?? throw new DomainException(new InvalidTransition("milestone", milestone.Id, "bill", milestone.Status.ToString(), "The milestone is not billable: its trigger has not fired, it is a 0.00 checkpoint, or it was credited in full (re-bill it explicitly)."));

    /// <summary>
    /// Bills a milestone credited in full again, because a person decided to: a new invoice (issued
    /// or draft, as for any billing), audited on the milestone as <c>rebilled</c>, which is what
    /// <c>verify</c> accepts as the reason for a milestone's second invoice. Refused (409) unless
    /// the milestone is <c>Credited</c> and its trigger has fired.
    /// </summary>
    public async Task<Invoice> RebillAsync(Organization organization, Contract contract, Milestone milestone, Actor actor, CancellationToken cancellationToken = default)
    {
        var billing = await BillingOfAsync(milestone, cancellationToken);
        var now = clock.GetUtcNow();
        if (!billing.CanRebill(contract.Status, organization.Calendar.DayOf(now)))
            throw new DomainException(new InvalidTransition("milestone", milestone.Id, "re-bill", billing.Status.ToString(),
                "Only a milestone whose invoice was credited in full, and whose trigger has fired, can be billed again."));
        var credited = billing.Invoice!;
        var invoice = await CreateAsync(organization, contract, milestone, actor, now, null, cancellationToken);
        Audit.Record(db, organization.Id, "milestone", milestone.Id, "rebilled", actor, now,
            new { BillingStatus = BillingStatus.Credited, creditedInvoiceId = credited.Id, creditedNumber = credited.Number },
            new { BillingStatus = invoice.BillingStatus, invoiceId = invoice.Id, invoice.Number });
        return invoice;
    }

    /// <summary>The billing state of a milestone from all of its invoices, read in the caller's transaction.</summary>
    public async Task<MilestoneBillingState> BillingOfAsync(Milestone milestone, CancellationToken cancellationToken = default) =>
        new(milestone, await db.Invoices.Include(i => i.Lines).OfMilestone(milestone.Id).ToListAsync(cancellationToken));

    private async Task<Invoice> CreateAsync(Organization organization, Contract contract, Milestone milestone, Actor actor, DateTimeOffset now, BillingFacts? known, CancellationToken cancellationToken)
    {
        var invoice = new Invoice(Guid.CreateVersion7(), contract, milestone, now, organization.Calendar);
        await DeductPrepaymentAsync(contract, milestone, invoice, known?.ContractPrepaid, cancellationToken);
        db.Invoices.Add(invoice);
        Audit.Record(db, organization.Id, "invoice", invoice.Id, "created", actor, now, after: new { invoice.Status, milestoneId = milestone.Id, gross = invoice.Gross.ToDecimalString() });
        if (organization.IssueMode == InvoiceIssueMode.Immediately)
            await IssueAsync(organization, invoice, actor, known, cancellationToken);
        return invoice;
    }

    /// <summary>Adds a line (an expense, or a discount as a negative amount) to a draft invoice. Runs inside the caller's transaction.</summary>
    public async Task<InvoiceLine> AddLineAsync(Invoice invoice, string description, Money net, TaxTreatment tax, Actor actor, CancellationToken cancellationToken = default)
    {
        var line = invoice.AddLine(description, net, tax);
        Audit.Record(db, invoice.OrganizationId, "invoice", invoice.Id, "line_added", actor, clock.GetUtcNow(), after: new { line.Position, line.Description, net = net.ToDecimalString(), category = tax.Category.ToString(), rate = tax.Rate.ToDecimalString() });
        await db.SaveChangesAsync(cancellationToken);
        return line;
    }

    /// <summary>Issues a draft invoice: draws the next number of the series and freezes the content. Runs inside the caller's transaction.</summary>
    public Task IssueAsync(Organization organization, Invoice invoice, Actor actor, CancellationToken cancellationToken = default) =>
        IssueAsync(organization, invoice, actor, null, cancellationToken);

    // known: what the caller already read of the invoice's client, with the client's row locked.
    private async Task IssueAsync(Organization organization, Invoice invoice, Actor actor, BillingFacts? known, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var today = organization.Calendar.DayOf(now);
        if (invoice.Status != InvoiceStatus.Draft)
            throw new DomainException(new InvalidTransition("invoice", invoice.Id, "issue", invoice.Status.ToString(), "Only a draft invoice can be issued; an issued invoice never changes."));
        if (known is not null && (known.Client.Id != invoice.ClientId || known.Currency != invoice.Currency))
            throw new InvalidOperationException("The billing facts read are of another client or currency than the invoice's.");
        var client = known?.Client ?? await db.Clients.SingleAsync(c => c.Id == invoice.ClientId, cancellationToken);

        // The client's unapplied credit (overpayments, payments a credit note gave back) pays new
        // invoices first. It is read before the number is drawn: from then until the commit every
        // other issuer of the series waits on the counter row, so that stretch does no reads.
        var payments = new Payments(db, clock);
        var credit = known is { ClientHasCredit: false } ? [] : await payments.UnappliedCreditAsync(invoice, cancellationToken);
        var (seller, buyer) = (organization.ToSnapshot(), client.ToSnapshot(organization.CountryCode));
        EInvoiceRules.CheckIssuable(client.EInvoiceProfile, seller, buyer, invoice);
        await RequireDeductionsWithinPrepaymentsAsync(invoice, cancellationToken);
        await RequireRoomAsync(invoice, known?.ClientBilledMinor, cancellationToken);
        var number = await DocumentNumbers.NextAsync(db, organization.Id, NumberFormat.Parse(organization.InvoiceSeriesFormat), today, cancellationToken);
        invoice.Issue(number, today, seller, buyer, now);
        Audit.Record(db, organization.Id, "invoice", invoice.Id, "issued", actor, now, before: new { Status = InvoiceStatus.Draft }, after: new { invoice.Status, invoice.Number, gross = invoice.Gross.ToDecimalString(), invoice.DueDate });
        Events.Invoice(db, EventTypes.InvoiceIssued, invoice, now);
        // Issued for 0.00 is paid at once (or the client's credit pays it just below).
        Events.InvoiceStatus(db, invoice, InvoiceStatus.Issued, now);
        payments.ApplyUnappliedCredit(credit, invoice, actor);
    }

    /// <summary>
    /// The invoice of a milestone deducts its share of the contract's issued prepayment invoice
    /// (<see cref="PrepaymentAccount.ShareFor"/>): nothing when the contract has none, when the
    /// milestone is the prepayment, or while the prepayment is still a draft.
    /// </summary>
    private async Task DeductPrepaymentAsync(Contract contract, Milestone milestone, Invoice invoice, bool? contractPrepaid, CancellationToken cancellationToken)
    {
        if (milestone.Prepayment)
            return;

        // Work on one milestone loads only that one: ask the database whether the contract is prepaid
        // (unless the caller already did) before loading its whole plan, which the deposit rule then needs.
        var plan = PlanOf(contract);
        if (!plan.IsLoaded)
        {
            if (!(contractPrepaid ?? await db.Milestones.Where(m => m.ContractId == contract.Id).Prepaying().AnyAsync(cancellationToken)))
                return;
            await plan.LoadAsync(cancellationToken);
        }

        if (contract.PrepaymentMilestone is not { } deposit)
            return;
        var invoices = await ContractInvoicesAsync(contract.Id, cancellationToken);
        if (invoices.FirstOrDefault(i => i.MilestoneId == deposit.Id && i.Prepayment && i.Status is InvoiceStatus.Issued or InvoiceStatus.Paid) is not { } prepayment)
            return;
        var account = await AccountOfAsync(prepayment, invoices, invoice.Id, cancellationToken);
        foreach (var share in account.ShareFor(contract, milestone, PlanBilling.Of(invoices)))
            invoice.DeductPrepayment(prepayment, share);
    }

    // The contract's milestones as EF tracks them, without the check DbContext.Entry makes first: it compares
    // every loaded milestone of the plan with its snapshot, so billing each milestone of a loaded plan of n
    // milestones cost O(n), and billing them all O(n²) (an 834-milestone plan spent most of a minute there).
    // Only whether the plan is loaded is asked here; SaveChanges still detects every change.
    private CollectionEntry<Contract, Milestone> PlanOf(Contract contract)
    {
        var detecting = db.ChangeTracker.AutoDetectChangesEnabled;
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            return db.Entry(contract).Collection(c => c.Milestones);
        }
        finally
        {
            db.ChangeTracker.AutoDetectChangesEnabled = detecting;
        }
    }

    // A draft's deductions were sized when it was made; the prepayment may have been credited since.
    private async Task RequireDeductionsWithinPrepaymentsAsync(Invoice invoice, CancellationToken cancellationToken)
    {
        foreach (var deductions in invoice.Deductions.GroupBy(l => l.PrepaymentInvoiceId!.Value))
        {
            var prepayment = await db.Invoices.Include(i => i.Lines).SingleAsync(i => i.Id == deductions.Key, cancellationToken);
            var invoices = await ContractInvoicesAsync(prepayment.ContractId, cancellationToken);
            var account = await AccountOfAsync(prepayment, invoices, invoice.Id, cancellationToken);
            account.RequireRoomFor(deductions.Select(l => new PrepaymentShare(l.Tax, -l.Net)));
        }
    }

    // The contract's invoices, with those this transaction added and has not saved yet (an activation bills several milestones).
    private async Task<List<Invoice>> ContractInvoicesAsync(Guid contractId, CancellationToken cancellationToken)
    {
        var saved = await db.Invoices.Include(i => i.Lines).Where(i => i.ContractId == contractId).ToListAsync(cancellationToken);
        var added = db.ChangeTracker.Entries<Invoice>().Where(e => e.State == EntityState.Added && e.Entity.ContractId == contractId).Select(e => e.Entity);
        return [.. saved, .. added.Where(a => !saved.Contains(a))];
    }

    /// <summary>The deposit account of an issued prepayment invoice, given its contract's invoices.</summary>
    private async Task<PrepaymentAccount> AccountOfAsync(Invoice prepayment, IEnumerable<Invoice> contractInvoices, Guid? excluding, CancellationToken cancellationToken)
    {
        var creditedNet = await db.CreditNotes.Where(n => n.InvoiceId == prepayment.Id).SumAsync(n => n.NetMinor, cancellationToken);
        return PrepaymentAccount.Of(prepayment, creditedNet, contractInvoices, excluding);
    }

    // Fault 8: a client's billed total per currency (kept by the receivable_totals triggers) stays
    // within what every sum over it can add up; the client's ledger is locked by now.
    private async Task RequireRoomAsync(Invoice invoice, long? knownBilledMinor, CancellationToken cancellationToken)
    {
        var billed = knownBilledMinor ?? await db.Set<ReceivableTotal>().Where(t => t.ClientId == invoice.ClientId && t.Currency == invoice.Currency)
            .Select(t => (long?)t.BilledMinor).SingleOrDefaultAsync(cancellationToken) ?? 0;
        if (billed > Money.MaxClientTotalMinor - invoice.GrossMinor)
            throw new DomainException(new DomainError(
                "billed_total_too_large",
                $"Invoicing {invoice.Gross.ToDecimalString()} {invoice.Currency.Code} would take this client's billed total past {new MoneyTotal(Money.MaxClientTotalMinor, invoice.Currency).ToDecimalString()} {invoice.Currency.Code}, the most one client may be billed in one currency."));
    }
}

/// <summary>
/// What billing a milestone reads besides the milestone, when its caller read it already in the same
/// transaction, after locking the contract's and the client's rows (an approval, <see cref="MilestoneWork"/>).
/// </summary>
/// <param name="MilestoneInvoices">Every invoice of the milestone (any status); their lines need not be loaded.</param>
/// <param name="Client">The contract's client, whose ledger row is locked.</param>
/// <param name="Currency">The contract's currency, which the figures below are in.</param>
/// <param name="ContractPrepaid">Whether the contract has a prepayment deposit that is not cancelled.</param>
/// <param name="ClientBilledMinor">The client's billed total in the currency (receivable totals; 0 when none).</param>
/// <param name="ClientHasCredit">Whether the client has unapplied credit in the currency.</param>
public sealed record BillingFacts(IReadOnlyList<Invoice> MilestoneInvoices, Client Client, Currency Currency, bool ContractPrepaid, long ClientBilledMinor, bool ClientHasCredit);
