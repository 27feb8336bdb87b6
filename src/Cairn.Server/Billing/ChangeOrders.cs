using Cairn.Domain;
using Cairn.Server.Data;
using Cairn.Server.Documents;
using Cairn.Server.Outbox;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Billing;

/// <summary>What a change order item asks for, before it is checked against the contract.</summary>
/// <param name="Kind">Add, change or cancel.</param>
/// <param name="MilestoneId">The milestone changed or cancelled.</param>
/// <param name="Terms">For additions, the new milestone; for changes, the terms that change (absent ones stay).</param>
public sealed record ChangeOrderItemRequest(ChangeOrderItemKind Kind, Guid? MilestoneId, MilestoneTermsPatch? Terms);

/// <summary>Milestone terms where every field is optional: null keeps the milestone's current value.</summary>
public sealed record MilestoneTermsPatch(
    string? Title,
    string? Deliverable,
    string? AcceptanceCriteria,
    DateOnly? DueDate,
    Money? Amount,
    Percentage? Percentage,
    BillingTrigger? Trigger,
    DateOnly? BillingDate);

/// <summary>
/// Amends active contracts: a change order is drafted, proposed to the client, and on approval
/// applied to the plan all at once (contract version + 1, value recomputed) or not at all.
/// Invoiced milestones are never changed.
/// </summary>
public sealed class ChangeOrders(CairnDb db, TimeProvider clock, Contracts contracts)
{
    /// <summary>Drafts a change order for an active contract; every item is checked against the current plan.</summary>
    public async Task<ChangeOrder> DraftAsync(Guid organizationId, Guid contractId, string title, string? reason, IReadOnlyList<ChangeOrderItemRequest> requests, Actor actor, CancellationToken cancellationToken = default)
    {
        var contract = await db.Contracts.Include(c => c.Milestones).SingleOrDefaultAsync(c => c.Id == contractId, cancellationToken)
            ?? throw EntityNotFound.Of("contract", contractId);
        var billing = await contracts.PlanBillingAsync(contract.Id, cancellationToken);
        var items = new List<ChangeOrderItem>(requests.Count);
        for (var n = 0; n < requests.Count; n++)
            items.Add(ToItem(contract, billing, requests[n], $"items[{n}]"));

        var now = clock.GetUtcNow();
        var order = new ChangeOrder(Guid.CreateVersion7(), contract, title, reason, items, now);
        db.ChangeOrders.Add(order);
        Audit.Record(db, organizationId, "change_order", order.Id, "drafted", actor, now, after: new { order.ContractId, order.Title, items = order.Items.Count });
        return order;
    }

    /// <summary>Draft → Proposed: the change-order PDF the client is shown is rendered now and kept, byte for byte, with its SHA-256.</summary>
    public async Task<ChangeOrder> ProposeAsync(Guid organizationId, Guid id, Actor actor, CancellationToken cancellationToken = default)
    {
        var order = await LoadAsync(id, cancellationToken);
        var now = clock.GetUtcNow();
        order.Propose(now);
        await DocumentOfAsync(order, cancellationToken);
        Audit.Record(db, organizationId, "change_order", order.Id, "proposed", actor, now, new { Status = ChangeOrderStatus.Draft }, new { order.Status });
        Events.ChangeOrder(db, EventTypes.ChangeOrderProposed, order, await ClientOfAsync(order, cancellationToken), now);
        return order;
    }

    /// <summary>
    /// Proposed → Approved by staff or an API key (agreed with the client elsewhere): applies every
    /// item to the contract in this transaction, or refuses and changes nothing; the acceptance record
    /// says it was approved by staff.
    /// </summary>
    public async Task<ChangeOrder> ApproveAsync(Guid organizationId, Guid id, Actor actor, CancellationToken cancellationToken = default)
    {
        var order = await LoadAsync(id, cancellationToken);
        return await ApplyAsync(organizationId, order, actor, Acceptance.OfChangeOrderByStaff(order, actor, clock.GetUtcNow()), cancellationToken);
    }

    /// <summary>
    /// The client contact approves change order <paramref name="id"/> of their own client's contract
    /// in the portal with their typed full name, having ticked "I agree": applied as by
    /// <see cref="ApproveAsync"/>, with an acceptance record of who, when (UTC), from where, and the
    /// SHA-256 of the change-order PDF shown. Approving twice (or concurrently) applies and records once.
    /// </summary>
    /// <exception cref="DomainException">Not found (404) for another client's change order or a draft; <c>typed_name_required</c>, <c>agreement_required</c>; <c>invalid_transition</c> once decided.</exception>
    public async Task<Acceptance> ApproveByContactAsync(Guid id, Guid clientId, Actor contact, string? typedName, bool agreed, AcceptanceEvidence evidence, CancellationToken cancellationToken = default)
    {
        var order = await LoadAsync(id, cancellationToken);
        var ownClient = await db.Contracts.AnyAsync(c => c.Id == order.ContractId && c.ClientId == clientId, cancellationToken);
        if (!ownClient || order.Status == ChangeOrderStatus.Draft || contact.Kind != ActorKind.Contact || !Guid.TryParse(contact.Id, out var contactId))
            throw EntityNotFound.Of("change order", id);
        var document = await DocumentOfAsync(order, cancellationToken);
        var acceptance = Acceptance.OfChangeOrderByContact(order, document, contactId, contact, typedName, agreed, evidence, clock.GetUtcNow());
        await ApplyAsync(order.OrganizationId, order, contact, acceptance, cancellationToken);
        return acceptance;
    }

    /// <summary>The PDF a change order's client is shown, rendered once when it is proposed (or, for one proposed before PDFs were kept, when first needed).</summary>
    public async Task<ChangeOrderDocument> DocumentOfAsync(ChangeOrder order, CancellationToken cancellationToken = default)
    {
        if (await db.ChangeOrderDocuments.SingleOrDefaultAsync(d => d.ChangeOrderId == order.Id, cancellationToken) is { } kept)
            return kept;
        var contract = await db.Contracts.AsNoTracking().Include(c => c.Milestones).SingleAsync(c => c.Id == order.ContractId, cancellationToken);
        var organization = await db.Organizations.AsNoTracking().SingleAsync(o => o.Id == order.OrganizationId, cancellationToken);
        var client = await db.Clients.AsNoTracking().SingleAsync(c => c.Id == contract.ClientId, cancellationToken);
        var now = clock.GetUtcNow();
        var details = new ProposalDocument(
            organization.ToSnapshot(), client.ToSnapshot(organization.CountryCode), "", organization.Calendar.DayOf(now),
            InvoiceDocument.PaperFor(organization.DefaultCurrency), client.Language);
        var document = new ChangeOrderDocument(order, ChangeOrderPdf.Render(contract, order, details), now);
        db.ChangeOrderDocuments.Add(document);
        return document;
    }

    /// <summary>Proposed → Approved: applies every item to the contract in this transaction and writes its acceptance record (one per change order), or refuses and changes nothing.</summary>
    private async Task<ChangeOrder> ApplyAsync(Guid organizationId, ChangeOrder order, Actor actor, Acceptance acceptance, CancellationToken cancellationToken)
    {
        var contract = await db.Contracts.Include(c => c.Milestones).SingleAsync(c => c.Id == order.ContractId, cancellationToken);
        var billing = await contracts.PlanBillingAsync(contract.Id, cancellationToken);
        var known = contract.Milestones.ToDictionary(m => m.Id, m => m.History.Count);
        var before = new { contract.Version, value = contract.Value.ToDecimalString(), milestones = contract.Milestones.Count(m => m.Status != MilestoneStatus.Cancelled) };
        var now = clock.GetUtcNow();

        order.Approve(contract, billing, actor, now);
        db.Acceptances.Add(acceptance);

        // The contract is tracked, but milestones and history entries the change order created are new rows.
        foreach (var milestone in contract.Milestones)
        {
            var seen = known.GetValueOrDefault(milestone.Id, -1);
            if (seen < 0)
                db.Milestones.Add(milestone);
            foreach (var entry in milestone.History.Skip(Math.Max(seen, 0)))
                db.MilestoneEvents.Add(entry);
        }

        Audit.Record(db, organizationId, "change_order", order.Id, "approved", actor, now, new { Status = ChangeOrderStatus.Proposed }, new { order.Status, order.ResultingContractVersion });
        Audit.Record(db, organizationId, "contract", contract.Id, "amended", actor, now, before,
            new { contract.Version, value = contract.Value.ToDecimalString(), milestones = contract.Milestones.Count(m => m.Status != MilestoneStatus.Cancelled), changeOrderId = order.Id });
        Events.ChangeOrder(db, EventTypes.ChangeOrderApproved, order, contract.ClientId, now);

        // Cancelling the last milestone left to bill finishes the plan.
        await contracts.CompleteIfPlanFinishedAsync(contract, actor, cancellationToken);
        return order;
    }

    /// <summary>Proposed → Rejected: the contract stays as it is.</summary>
    public async Task<ChangeOrder> RejectAsync(Guid organizationId, Guid id, Actor actor, CancellationToken cancellationToken = default)
    {
        var order = await LoadAsync(id, cancellationToken);
        var now = clock.GetUtcNow();
        order.Reject(actor, now);
        Audit.Record(db, organizationId, "change_order", order.Id, "rejected", actor, now, new { Status = ChangeOrderStatus.Proposed }, new { order.Status });
        Events.ChangeOrder(db, EventTypes.ChangeOrderRejected, order, await ClientOfAsync(order, cancellationToken), now);
        return order;
    }

    private async Task<Guid> ClientOfAsync(ChangeOrder order, CancellationToken cancellationToken) =>
        await db.Contracts.Where(c => c.Id == order.ContractId).Select(c => c.ClientId).SingleAsync(cancellationToken);

    private async Task<ChangeOrder> LoadAsync(Guid id, CancellationToken cancellationToken) =>
        await db.ChangeOrders.Include(o => o.Items).SingleOrDefaultAsync(o => o.Id == id, cancellationToken)
        ?? throw EntityNotFound.Of("change order", id);

    private static ChangeOrderItem ToItem(Contract contract, PlanBilling billing, ChangeOrderItemRequest request, string field)
    {
        if (request.Kind == ChangeOrderItemKind.Add)
        {
            if (request.MilestoneId is not null)
                throw new DomainException(new DomainError("milestone_unexpected", "An added milestone is new: leave out milestoneId.", field + ".milestoneId"));
            var terms = request.Terms ?? throw new DomainException(new DomainError("terms_required", "An added milestone needs its terms.", field + ".terms"));
            return Inputs.Within(field + ".terms", () =>
            {
                var full = new MilestoneTerms(terms.Title ?? "", terms.Deliverable, terms.AcceptanceCriteria, terms.DueDate, terms.Amount, terms.Percentage, terms.Trigger ?? BillingTrigger.OnApproval, terms.BillingDate);
                full.Validate(contract.Currency);
                return ChangeOrderItem.Add(full);
            });
        }

        var milestoneId = request.MilestoneId ?? throw new DomainException(new DomainError("milestone_required", "Name the milestone to change or cancel.", field + ".milestoneId"));
        var milestone = contract.Milestones.FirstOrDefault(m => m.Id == milestoneId)
            ?? throw new DomainException(new DomainError("milestone_not_in_contract", $"Milestone {milestoneId} is not part of this contract.", field + ".milestoneId"));
        billing.For(milestone).RequireChangeOrderItem(request.Kind);

        if (request.Kind == ChangeOrderItemKind.Cancel)
        {
            if (request.Terms is not null)
                throw new DomainException(new DomainError("terms_unexpected", "Cancelling a milestone takes no terms.", field + ".terms"));
            return ChangeOrderItem.Cancel(milestoneId);
        }

        var patch = request.Terms ?? throw new DomainException(new DomainError("terms_required", "Say which terms change.", field + ".terms"));
        if (patch.Amount is not null && patch.Percentage is not null)
            throw new DomainException(new DomainError("price_required", "A milestone is priced by exactly one of amount or percentage.", field + ".terms.amount"));

        // Terms left out stay as they are; a price left out keeps the milestone's current amount exactly.
        var trigger = patch.Trigger ?? milestone.Trigger;
        return Inputs.Within(field + ".terms", () =>
        {
            var merged = new MilestoneTerms(
                patch.Title ?? milestone.Title,
                patch.Deliverable ?? milestone.Deliverable,
                patch.AcceptanceCriteria ?? milestone.AcceptanceCriteria,
                patch.DueDate ?? milestone.DueDate,
                patch.Percentage is null ? patch.Amount ?? milestone.Amount : null,
                patch.Percentage,
                trigger,
                trigger == BillingTrigger.OnDate ? patch.BillingDate ?? milestone.BillingDate : patch.BillingDate);
            merged.Validate(contract.Currency);
            return ChangeOrderItem.Change(milestoneId, merged);
        });
    }
}
