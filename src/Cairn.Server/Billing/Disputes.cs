using Cairn.Domain;
using Cairn.Server.Data;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Billing;

/// <summary>
/// Resolves clients' disputes: accepted work is approved and billed, rework sends the milestone
/// back to InProgress, and a settlement bills the work and credits the agreed amount. Either way
/// the invoice is no longer flagged as disputed.
/// </summary>
public sealed class Disputes(CairnDb db, TimeProvider clock, Invoicing invoicing, CreditNotes creditNotes, Contracts contracts)
{
    /// <summary>Resolves an open dispute with an outcome, inside the caller's transaction.</summary>
    public async Task<Dispute> ResolveAsync(Guid id, DisputeOutcome outcome, Money? settlement, string? note, Actor actor, CancellationToken cancellationToken = default)
    {
        var dispute = await db.Disputes.SingleOrDefaultAsync(d => d.Id == id, cancellationToken) ?? throw EntityNotFound.Of("dispute", id);
        var contract = await db.Contracts.Include(c => c.Milestones).SingleAsync(c => c.Id == dispute.ContractId, cancellationToken);
        var milestone = contract.Milestones.Single(m => m.Id == dispute.MilestoneId);
        if (settlement is { } s && s.Currency != contract.Currency)
            throw new DomainException(new CurrencyMismatch(contract.Currency.Code, s.Currency.Code, "settlement.currency"));

        var now = clock.GetUtcNow();
        var milestoneBefore = milestone.Status;
        dispute.Resolve(outcome, settlement, note, actor, now);
        var text = dispute.ResolutionNote ?? $"Dispute resolved: {Inputs.NameOf(outcome)}.";
        db.MilestoneEvents.Add(milestone.ResolveDispute(outcome, text, actor, now));
        Audit.Record(db, dispute.OrganizationId, "dispute", dispute.Id, "resolved", actor, now, new { Status = DisputeStatus.Open },
            new { dispute.Status, dispute.Outcome, settlement = settlement?.ToDecimalString(), dispute.ResolutionNote });
        Audit.Record(db, dispute.OrganizationId, "milestone", milestone.Id, "dispute_resolved", actor, now, new { Status = milestoneBefore }, new { milestone.Status, disputeId = dispute.Id });
        Events.DisputeResolved(db, dispute, now);

        if (dispute.InvoiceId is { } disputedInvoiceId)
        {
            var disputed = await db.Invoices.SingleAsync(i => i.Id == disputedInvoiceId, cancellationToken);
            disputed.MarkDisputed(false);
            Audit.Record(db, dispute.OrganizationId, "invoice", disputed.Id, "dispute_cleared", actor, now, new { Disputed = true }, new { disputed.Disputed, disputeId = dispute.Id });
        }

        if (outcome == DisputeOutcome.Rework)
            return dispute;

        // Accepted and settled work is billed now if it is due for its invoice (an accepted checkpoint bills nothing).
        var organization = await db.Organizations.SingleAsync(cancellationToken);
        var invoice = await invoicing.BillIfDueAsync(organization, contract, milestone, actor, cancellationToken);
        if (outcome == DisputeOutcome.Settled)
        {
            if (invoice is null)
                throw new DomainException(new InvalidTransition("milestone", milestone.Id, "settle", milestone.Status.ToString(), "The milestone has no invoice to credit: its trigger has not fired, it is a 0.00 checkpoint, or its invoice was credited in full."));

            // A settlement credits an issued invoice, even when the organization reviews drafts first.
            if (invoice.Status == InvoiceStatus.Draft)
                await invoicing.IssueAsync(organization, invoice, actor, cancellationToken);

            // The credit note reads the invoice and its payments back from the database, inside this same transaction.
            await db.SaveChangesAsync(cancellationToken);
            var reason = $"Settlement of dispute over \"{milestone.Title}\"" + (dispute.ResolutionNote is { } n ? $": {n}" : ".");
            try
            {
                await creditNotes.IssueAsync(invoice.Id, settlement!.Value, reason, actor, cancellationToken);
            }
            catch (DomainException e) when (e.Error.Field is "amount")
            {
                throw new DomainException(e.Error with { Field = "settlement" });
            }
        }

        // Accepted work may have been the last thing left to bill.
        await contracts.CompleteIfPlanFinishedAsync(contract, actor, cancellationToken);
        return dispute;
    }
}
