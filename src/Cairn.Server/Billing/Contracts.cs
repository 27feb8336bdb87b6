using Cairn.Domain;
using Cairn.Server.Data;
using Cairn.Server.Outbox;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Billing;

/// <summary>The commercial terms of a contract, as checked values.</summary>
public sealed record ContractTerms(string Title, Money Value, TaxTreatment Tax, int PaymentTermsDays, int? ApprovalWindowDays);

/// <summary>
/// Contracts and their plans: creating one (blank or from a template), changing its terms and
/// plan while Draft, activating it (which bills its deposits), cancelling and completing it. Runs
/// inside the caller's transaction; every change is audited.
/// </summary>
public sealed class Contracts(CairnDb db, Invoicing invoicing, BusinessDays businessDays, TimeProvider clock)
{
    /// <summary>Creates a draft contract; with a template, its plan is filled and priced from the contract value.</summary>
    public async Task<Contract> CreateAsync(Guid organizationId, Guid clientId, ContractTerms terms, Template? template, Actor actor, CancellationToken cancellationToken = default)
    {
        if (!await db.Clients.AnyAsync(c => c.Id == clientId, cancellationToken))
            throw new DomainException(new DomainError("unknown_client", $"There is no client with id {clientId} in this organization.", "clientId"));
        var now = clock.GetUtcNow();
        var contract = new Contract(Guid.CreateVersion7(), organizationId, clientId, terms.Title, terms.Value, terms.Tax, terms.PaymentTermsDays, now);
        contract.SetTerms(terms.Title, terms.Value, terms.Tax, terms.PaymentTermsDays, terms.ApprovalWindowDays);
        if (template is not null)
        {
            foreach (var milestone in template.ToTerms())
                contract.AddMilestone(Guid.CreateVersion7(), milestone);
        }

        db.Contracts.Add(contract);
        Audit.Record(db, organizationId, "contract", contract.Id, "created", actor, now, after: ContractState.Of(contract, template?.Id));
        foreach (var milestone in contract.Milestones)
            Audit.Record(db, organizationId, "milestone", milestone.Id, "created", actor, now, after: MilestoneState.Of(milestone));
        await db.SaveChangesAsync(cancellationToken);
        return contract;
    }

    /// <summary>
    /// Loads a contract with its plan for a change, holding its row until the transaction ends so
    /// that changes to one contract (approvals, activation, scheduled billing) take turns.
    /// </summary>
    public async Task<Contract> LoadForChangeAsync(Guid contractId, CancellationToken cancellationToken = default)
    {
        await RowLocks.ContractAsync(db, contractId, cancellationToken);
        return await db.Contracts.Include(c => c.Milestones).SingleOrDefaultAsync(c => c.Id == contractId, cancellationToken)
            ?? throw new DomainException(new NotFound("contract", contractId));
    }

    /// <summary>Changes the terms of a draft contract; percentage milestones are priced again from the new value.</summary>
    public async Task UpdateTermsAsync(Contract contract, ContractTerms terms, Actor actor, CancellationToken cancellationToken = default)
    {
        var before = ContractState.Of(contract);
        contract.SetTerms(terms.Title, terms.Value, terms.Tax, terms.PaymentTermsDays, terms.ApprovalWindowDays);
        Audit.Record(db, contract.OrganizationId, "contract", contract.Id, "updated", actor, clock.GetUtcNow(), before, ContractState.Of(contract));
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// Draft or Proposed → Active when the plan adds up; deposits (<c>on_start</c>) are invoiced in the
    /// same transaction. Without <paramref name="acceptance"/> staff activate it directly (signed
    /// elsewhere), recorded as such; with one, the client accepted the pending proposal it names.
    /// A plan of deposits only is fully billed at once, so the contract completes.
    /// </summary>
    /// <exception cref="DomainException"><c>invalid_transition</c>, <c>plan_does_not_add_up</c>; <c>proposal_superseded</c> when the accepted proposal is no longer the offer.</exception>
    public async Task<IReadOnlyList<Invoice>> ActivateAsync(Contract contract, Actor actor, Acceptance? acceptance = null, CancellationToken cancellationToken = default)
    {
        var before = ContractState.Of(contract);
        var now = clock.GetUtcNow();
        if (acceptance?.ProposalId is { } proposalId)
            contract.AcceptProposal(proposalId, now);
        else
            contract.Activate(now);
        db.Acceptances.Add(acceptance ?? Acceptance.ByStaff(contract, actor, now));
        Audit.Record(db, contract.OrganizationId, "contract", contract.Id, acceptance is null ? "activated" : "accepted", actor, now, before, ContractState.Of(contract));
        Events.Contract(db, EventTypes.ContractActivated, contract, now);
        var organization = await db.Organizations.SingleAsync(o => o.Id == contract.OrganizationId, cancellationToken);
        var invoices = new List<Invoice>();
        foreach (var deposit in contract.Milestones.Where(m => m.Trigger == BillingTrigger.OnStart).OrderBy(m => m.Position))
        {
            if (await invoicing.BillIfDueAsync(organization, contract, deposit, actor, cancellationToken) is { } invoice)
                invoices.Add(invoice);
        }

        await db.SaveChangesAsync(cancellationToken);
        await CompleteIfPlanFinishedAsync(contract, actor, cancellationToken);
        return invoices;
    }

    /// <summary>Draft, Proposed or Active → Cancelled. Issued invoices stay; they are corrected by credit notes.</summary>
    public async Task CancelAsync(Contract contract, Actor actor, CancellationToken cancellationToken = default)
    {
        var before = ContractState.Of(contract);
        var now = clock.GetUtcNow();
        contract.Cancel(now);
        Audit.Record(db, contract.OrganizationId, "contract", contract.Id, "cancelled", actor, now, before, ContractState.Of(contract));
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Active → Completed on request; refused, naming them, while any milestone has something left to bill.</summary>
    public async Task CompleteAsync(Contract contract, Actor actor, CancellationToken cancellationToken = default)
    {
        var before = ContractState.Of(contract);
        var now = clock.GetUtcNow();
        contract.Complete(await PlanBillingAsync(contract.Id, cancellationToken), (await businessDays.CalendarAsync(cancellationToken)).DayOf(now), now);
        Audit.Record(db, contract.OrganizationId, "contract", contract.Id, "completed", actor, now, before, ContractState.Of(contract));
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// Completes an active contract once nothing is left to bill (<see cref="Contract.IsPlanFinished"/>);
    /// saves first. Called after every change that can finish a plan: activation, approval, scheduled
    /// billing, change order approval, dispute resolution.
    /// </summary>
    /// <returns>Whether the contract was completed.</returns>
    public async Task<bool> CompleteIfPlanFinishedAsync(Contract contract, Actor actor, CancellationToken cancellationToken = default)
    {
        await db.SaveChangesAsync(cancellationToken);
        if (contract.Status != ContractStatus.Active)
            return false;

        // A milestone still awaiting its invoice is always left to bill: one cheap query on the hot path of every approval.
        if (await db.Milestones.Where(m => m.ContractId == contract.Id).AwaitingInvoice(db.Invoices).AnyAsync(cancellationToken))
            return false;

        // The whole plan must be in memory for the domain to decide.
        await db.Milestones.Where(m => m.ContractId == contract.Id).LoadAsync(cancellationToken);
        if (!contract.IsPlanFinished(await PlanBillingAsync(contract.Id, cancellationToken), await businessDays.TodayAsync(cancellationToken)))
            return false;
        await CompleteAsync(contract, actor, cancellationToken);
        return true;
    }

    /// <summary>Adds a milestone to the plan of a draft contract.</summary>
    public async Task<Milestone> AddMilestoneAsync(Contract contract, MilestoneTerms terms, Actor actor, CancellationToken cancellationToken = default)
    {
        var milestone = contract.AddMilestone(Guid.CreateVersion7(), terms);
        Audit.Record(db, contract.OrganizationId, "milestone", milestone.Id, "created", actor, clock.GetUtcNow(), after: MilestoneState.Of(milestone));
        await db.SaveChangesAsync(cancellationToken);
        return milestone;
    }

    /// <summary>Changes a milestone of a draft contract's plan.</summary>
    public async Task ChangeMilestoneAsync(Contract contract, Milestone milestone, MilestoneTerms terms, Actor actor, CancellationToken cancellationToken = default)
    {
        var before = MilestoneState.Of(milestone);
        contract.ChangeMilestone(milestone.Id, terms);
        Audit.Record(db, contract.OrganizationId, "milestone", milestone.Id, "updated", actor, clock.GetUtcNow(), before, MilestoneState.Of(milestone));
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Sets the buyer (BT-10) and purchase-order (BT-13) references of the invoices still to come; "" clears one.</summary>
    public async Task SetReferencesAsync(Contract contract, string? buyerReference, string? purchaseOrderReference, Actor actor, CancellationToken cancellationToken = default)
    {
        var before = new { contract.BuyerReference, contract.PurchaseOrderReference };
        contract.SetReferences(buyerReference, purchaseOrderReference);
        Audit.Record(db, contract.OrganizationId, "contract", contract.Id, "references_changed", actor, clock.GetUtcNow(), before, new { contract.BuyerReference, contract.PurchaseOrderReference });
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>Gives a milestone of a draft contract its own tax treatment (null: the contract's default again).</summary>
    public async Task SetMilestoneTaxAsync(Contract contract, Milestone milestone, TaxTreatment? tax, Actor actor, CancellationToken cancellationToken = default)
    {
        var before = milestone.TaxOverride;
        contract.SetMilestoneTax(milestone.Id, tax);
        Audit.Record(db, contract.OrganizationId, "milestone", milestone.Id, "tax_changed", actor, clock.GetUtcNow(), before, tax);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>The billing state of every milestone of a contract, from all of its invoices (tracked, so changes not yet saved count).</summary>
    public async Task<PlanBilling> PlanBillingAsync(Guid contractId, CancellationToken cancellationToken = default) =>
        PlanBilling.Of(await db.Invoices.Where(i => i.ContractId == contractId && i.MilestoneId != null).ToListAsync(cancellationToken));
}

/// <summary>What the audit log keeps of a contract before and after a change.</summary>
public sealed record ContractState(string Status, int Version, string Title, string Value, string Currency, string TaxRate, int PaymentTermsDays, int? ApprovalWindowDays, Guid? TemplateId = null, string TaxCategory = "S", string? TaxExemptionCode = null, Guid? PendingProposalId = null)
{
    public static ContractState Of(Contract c, Guid? templateId = null) =>
        new(c.Status.ToString(), c.Version, c.Title, c.Value.ToDecimalString(), c.Currency.Code, c.TaxRate.ToDecimalString(), c.PaymentTermsDays, c.ApprovalWindowDays, templateId, c.TaxCategory.ToString(), c.TaxExemptionCode, c.PendingProposalId);
}

/// <summary>What the audit log keeps of a milestone before and after a change.</summary>
public sealed record MilestoneState(string Status, int Version, string Title, string Amount, string? Percentage, string Trigger, DateOnly? DueDate, DateOnly? BillingDate)
{
    public static MilestoneState Of(Milestone m) =>
        new(m.Status.ToString(), m.Version, m.Title, m.Amount.ToDecimalString(), m.Percentage?.ToDecimalString(), m.Trigger.ToString(), m.DueDate, m.BillingDate);
}

/// <summary>An entity that does not exist for this caller (or in another organization): 404.</summary>
public sealed record NotFound(string Entity, Guid Id) : DomainError("not_found", $"No {Entity} with id {Id}.")
{
    /// <inheritdoc />
    public override DomainErrorKind Kind => DomainErrorKind.NotFound;
}

/// <summary>
/// Row locks that make concurrent changes of one contract take turns. On PostgreSQL the
/// contract row is locked until the transaction ends, so a second approval waits and then sees
/// the first one's result. SQLite needs none: its write transactions begin IMMEDIATE and run one at a time.
/// </summary>
public static class RowLocks
{
    /// <summary>Locks the row of a contract of the current tenant; call inside a transaction, before loading it.</summary>
    public static async Task ContractAsync(CairnDb db, Guid contractId, CancellationToken cancellationToken = default)
    {
        EnsureTransaction(db);
        if (db.IsPostgres)
            await db.Database.ExecuteSqlAsync($"SELECT 1 FROM contracts WHERE id = {contractId} AND organization_id = {db.TenantId} FOR UPDATE", cancellationToken);
    }

    /// <summary>
    /// Locks the rows of a milestone's contract and of the contract's client, in that order, for a
    /// change of the milestone's work that may bill it (the client's row is its ledger, <see cref="ClientLedger"/>).
    /// On PostgreSQL only: SQLite takes the write lock with the transaction.
    /// </summary>
    public static async Task ContractAndClientOfMilestoneAsync(CairnDb db, Guid milestoneId, CancellationToken cancellationToken = default)
    {
        EnsureTransaction(db);
        if (db.IsPostgres)
        {
            await db.Database.ExecuteSqlAsync($"""
                SELECT 1 FROM milestones m
                JOIN contracts c ON c.id = m.contract_id AND c.organization_id = m.organization_id
                JOIN clients cl ON cl.id = c.client_id
                WHERE m.id = {milestoneId} AND m.organization_id = {db.TenantId}
                FOR UPDATE OF c, cl
                """, cancellationToken);
        }
    }

    private static void EnsureTransaction(CairnDb db)
    {
        if (db.Database.CurrentTransaction is null)
            throw new InvalidOperationException("Row locks are taken inside the transaction that changes the row.");
    }
}
