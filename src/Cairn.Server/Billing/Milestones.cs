using Cairn.Domain;
using Cairn.Server.Data;
using Cairn.Server.Outbox;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Billing;

/// <summary>
/// The work on a milestone: start, submit, approve (which bills it), request changes, dispute.
/// Runs inside the caller's transaction with the contract's row locked, so concurrent requests
/// on one contract take turns and a second approval finds the work already approved.
/// </summary>
public sealed class Milestones(CairnDb db, Invoicing invoicing, Contracts contracts, TimeProvider clock)
{
    // What this unit of work loaded for a change (one per request or job item), so that approving
    // it reads nothing again; see MilestoneWork.
    private MilestoneWork? _loaded;

    /// <summary>
    /// Loads a milestone for a change of work state, locking its contract's and client's rows, with
    /// what the change, its billing and its answer need (<see cref="MilestoneWork"/>).
    /// </summary>
    public async Task<MilestoneWork> LoadForChangeAsync(Guid milestoneId, CancellationToken cancellationToken = default) =>
        _loaded = await MilestoneWork.LoadAsync(db, milestoneId, cancellationToken)
            ?? throw new DomainException(new NotFound("milestone", milestoneId));

    /// <summary>Loads a milestone with the whole plan of its contract, for changing its terms.</summary>
    public async Task<(Contract Contract, Milestone Milestone)> LoadWithPlanAsync(Guid milestoneId, CancellationToken cancellationToken = default)
    {
        var contract = await contracts.LoadForChangeAsync(await ContractOfAsync(milestoneId, cancellationToken), cancellationToken);
        return (contract, contract.Milestones.Single(m => m.Id == milestoneId));
    }

    /// <summary>Planned → InProgress.</summary>
    public Task StartAsync(Contract contract, Milestone milestone, Actor actor, CancellationToken cancellationToken = default) =>
        ChangeAsync(contract, milestone, "start", "started", now => milestone.Start(actor, now), actor, cancellationToken);

    /// <summary>InProgress → Submitted, with a note and links to the deliverables.</summary>
    public Task SubmitAsync(Contract contract, Milestone milestone, string note, IReadOnlyList<string> links, Actor actor, CancellationToken cancellationToken = default) =>
        ChangeAsync(contract, milestone, "submit", "submitted", now => milestone.Submit(note, links, actor, now), actor, cancellationToken);

    /// <summary>Submitted → InProgress: the client wants changes, and says why.</summary>
    public Task RequestChangesAsync(Contract contract, Milestone milestone, string reason, Actor actor, CancellationToken cancellationToken = default) =>
        ChangeAsync(contract, milestone, "request changes to", "changes_requested", now => milestone.RequestChanges(reason, actor, now), actor, cancellationToken);

    /// <summary>
    /// Submitted → Approved, by the client or (when the approval window ran out) by Cairn. An
    /// <c>on_approval</c> milestone is invoiced in the same transaction, and the contract completes
    /// when this was its last unbilled milestone.
    /// </summary>
    /// <returns>The milestone's invoice when approval billed it; null for checkpoints (0.00), and for deposits and instalments, which bill on their own trigger.</returns>
    /// <remarks>
    /// Nothing is read or saved here when the milestone was loaded by <see cref="LoadForChangeAsync"/>:
    /// the caller's unit of work writes the approval, the invoice (whose number is drawn last, holding
    /// the series' counter row only until that one write and the commit), the audit entries and the
    /// events in one batch. Issue 16.
    /// </remarks>
    public async Task<Invoice?> ApproveAsync(Contract contract, Milestone milestone, Actor actor, CancellationToken cancellationToken = default)
    {
        var work = _loaded is { } loaded && loaded.Milestone == milestone ? loaded : await LoadForChangeAsync(milestone.Id, cancellationToken);
        await ChangeAsync(contract, milestone, "approve", actor.Kind == ActorKind.System ? "auto_approved" : "approved", now => milestone.Approve(actor, now), actor, cancellationToken, save: false);

        // Approving the last checkpoint (or the last billed milestone) can finish the plan. Known
        // from the load, so no read follows the drawing of the invoice's number.
        var invoice = milestone.Trigger == BillingTrigger.OnApproval
            ? await invoicing.BillIfDueAsync(work.Organization, contract, milestone, actor, work.Billing, cancellationToken)
            : null;
        if (work.MayFinishPlan)
            await contracts.CompleteIfPlanFinishedAsync(contract, actor, cancellationToken);
        return invoice;
    }

    /// <summary>
    /// Submitted or Approved → Disputed: the client objects, giving a reason. Opens a dispute that
    /// references the milestone's invoice when it has one, and flags that invoice as disputed.
    /// </summary>
    public async Task<Dispute> DisputeAsync(Contract contract, Milestone milestone, string reason, Actor actor, CancellationToken cancellationToken = default)
    {
        var invoice = await LiveInvoiceAsync(milestone.Id, cancellationToken);
        var now = clock.GetUtcNow();
        var dispute = new Dispute(Guid.CreateVersion7(), milestone, invoice?.Id, reason, actor, now);
        await ChangeAsync(contract, milestone, "dispute", "disputed", at => milestone.Dispute(reason, actor, at), actor, cancellationToken, dispute.Id);
        db.Disputes.Add(dispute);
        Audit.Record(db, contract.OrganizationId, "dispute", dispute.Id, "opened", actor, now, after: new { Status = dispute.Status.ToString(), dispute.MilestoneId, dispute.InvoiceId, dispute.Reason });
        if (invoice is not null && !invoice.Disputed)
        {
            invoice.MarkDisputed(true);
            Audit.Record(db, contract.OrganizationId, "invoice", invoice.Id, "disputed", actor, now, new { Disputed = false }, new { Disputed = true, DisputeId = dispute.Id });
        }

        await db.SaveChangesAsync(cancellationToken);
        return dispute;
    }

    /// <summary>
    /// Invoices a milestone whose trigger has fired (approval, or an <c>on_date</c> instalment's day)
    /// if it is due for an invoice; an existing live invoice is returned as is, and null when there
    /// is nothing to bill (a checkpoint, or a milestone credited in full).
    /// </summary>
    public async Task<Invoice?> BillAsync(Contract contract, Milestone milestone, Actor actor, CancellationToken cancellationToken = default)
    {
        var invoice = await invoicing.BillIfDueAsync(await OrganizationOfAsync(contract, cancellationToken), contract, milestone, actor, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return invoice;
    }

    /// <summary>Bills a milestone credited in full again, explicitly and audited (<see cref="Invoicing.RebillAsync"/>).</summary>
    public async Task<Invoice> RebillAsync(Contract contract, Milestone milestone, Actor actor, CancellationToken cancellationToken = default)
    {
        var invoice = await invoicing.RebillAsync(await OrganizationOfAsync(contract, cancellationToken), contract, milestone, actor, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return invoice;
    }

    /// <summary>The milestone's invoice that is not void, if it has one.</summary>
    public Task<Invoice?> LiveInvoiceAsync(Guid milestoneId, CancellationToken cancellationToken = default) =>
        db.Invoices.FirstOrDefaultAsync(i => i.MilestoneId == milestoneId && i.Status != InvoiceStatus.Void, cancellationToken);

    private Task<Organization> OrganizationOfAsync(Contract contract, CancellationToken cancellationToken) =>
        db.Organizations.SingleAsync(o => o.Id == contract.OrganizationId, cancellationToken);

    private async Task ChangeAsync(Contract contract, Milestone milestone, string action, string auditAction, Func<DateTimeOffset, MilestoneEvent> change, Actor actor, CancellationToken cancellationToken, Guid? disputeId = null, bool save = true)
    {
        contract.RequireWork(milestone, action);
        var before = MilestoneState.Of(milestone);
        var now = clock.GetUtcNow();
        var happened = change(now);
        Audit.Record(db, contract.OrganizationId, "milestone", milestone.Id, auditAction, actor, now, before, new { State = MilestoneState.Of(milestone), happened.Note, happened.Links });
        if (EventOf(auditAction) is { } type)
            Events.Milestone(db, type, contract, milestone, now, type is EventTypes.MilestoneChangesRequested or EventTypes.MilestoneDisputed ? happened.Note : null, disputeId);
        if (save)
            await db.SaveChangesAsync(cancellationToken);
    }

    // Starting work is no event: nobody outside the team waits for it.
    private static string? EventOf(string auditAction) => auditAction switch
    {
        "submitted" => EventTypes.MilestoneSubmitted,
        "approved" => EventTypes.MilestoneApproved,
        "auto_approved" => EventTypes.MilestoneAutoApproved,
        "changes_requested" => EventTypes.MilestoneChangesRequested,
        "disputed" => EventTypes.MilestoneDisputed,
        _ => null,
    };

    private async Task<Guid> ContractOfAsync(Guid milestoneId, CancellationToken cancellationToken) =>
        await db.Milestones.Where(m => m.Id == milestoneId).Select(m => (Guid?)m.ContractId).SingleOrDefaultAsync(cancellationToken)
        ?? throw new DomainException(new NotFound("milestone", milestoneId));
}
