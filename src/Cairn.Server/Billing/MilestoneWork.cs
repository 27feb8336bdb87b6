using Cairn.Domain;
using Cairn.Server.Data;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Billing;

/// <summary>
/// A milestone loaded for a change of its work state, with everything the change, its billing and
/// its answer need, in one read after the locks: the contract, its organization and client, the
/// milestone's history, invoices and open disputes, and the few facts an approval
/// asks of the rest of the books. Issue 16: an approval sends no other read before it draws its number.
/// </summary>
public sealed class MilestoneWork
{
    // The compiled read's name in CompiledReads.
    private static readonly object Read = new();

    public required Contract Contract { get; init; }

    public required Milestone Milestone { get; init; }

    public required Organization Organization { get; init; }

    /// <summary>The contract's client; on PostgreSQL its row (its ledger, <see cref="ClientLedger"/>) is locked with the contract's.</summary>
    public required Client Client { get; init; }

    /// <summary>The milestone's history as it was before the change.</summary>
    public required IReadOnlyList<MilestoneEvent> History { get; init; }

    /// <summary>
    /// Every invoice of the milestone (any status), without their lines: neither the billing state nor
    /// the answer reads them, and on SQLite a join of the lines here would read the organization's invoices.
    /// </summary>
    public required IReadOnlyList<Invoice> Invoices { get; init; }

    /// <summary>The milestone's open disputes.</summary>
    public required IReadOnlyList<Dispute> OpenDisputes { get; init; }

    /// <summary>Whether another milestone of the contract still awaits its invoice (<see cref="MilestoneBillingQueries.AwaitingInvoice"/>).</summary>
    public required bool OthersAwaitingInvoice { get; init; }

    /// <summary>What billing the milestone would read again: see <see cref="BillingFacts"/>.</summary>
    public required BillingFacts Billing { get; init; }

    /// <summary>
    /// Whether approving this milestone may finish the plan: the contract is active and no other
    /// milestone awaits its invoice. Only then is <see cref="Contracts.CompleteIfPlanFinishedAsync"/>
    /// asked, so an approval that cannot finish its plan writes everything in one <c>SaveChanges</c>.
    /// </summary>
    public bool MayFinishPlan => Contract.Status == ContractStatus.Active && !OthersAwaitingInvoice;

    /// <summary>The contract and the milestone, for callers that need only those.</summary>
    public void Deconstruct(out Contract contract, out Milestone milestone) => (contract, milestone) = (Contract, Milestone);

    /// <summary>
    /// Locks the contract's and its client's rows (PostgreSQL, in that order: every path that takes
    /// both takes them so) and then reads everything in one query, tracked, so that it sees what
    /// anyone who held the locks before committed. SQLite runs one writing transaction at a time, so
    /// there the read alone does. Null when the tenant has no such milestone.
    /// </summary>
    /// <remarks>
    /// The lock and the read are two statements on purpose: a read in the locking statement would see
    /// the books as they were before it waited for the lock (READ COMMITTED takes the snapshot when the
    /// statement starts), and a concurrent approval of another milestone of the contract would go unseen.
    /// </remarks>
    public static async Task<MilestoneWork?> LoadAsync(CairnDb db, Guid milestoneId, CancellationToken cancellationToken)
    {
        await RowLocks.ContractAndClientOfMilestoneAsync(db, milestoneId, cancellationToken);

        var read = await CompiledReads.SingleOrDefaultAsync(Read, db, milestoneId, static (db, milestoneId) =>
        {
            // Composed into the one query below (EF Core inlines queryables it finds in a query), so each
            // rule keeps its one home; compiled once per model (CompiledReads).
            var awaitingInvoice = db.Milestones.AwaitingInvoice(db.Invoices);
            var prepaying = db.Milestones.Prepaying();
            var holdingCredit = Payments.HoldingCredit(db);
            return
                from m in db.Milestones
                where m.Id == milestoneId
                join c in db.Contracts on m.ContractId equals c.Id
                join o in db.Organizations on c.OrganizationId equals o.Id
                join cl in db.Clients on c.ClientId equals cl.Id
                select new
                {
                    Contract = c,
                    Milestone = m,
                    Organization = o,
                    Client = cl,
                    History = db.MilestoneEvents.Where(e => e.MilestoneId == m.Id).ToList(),
                    Invoices = db.Invoices.Where(i => i.MilestoneId == m.Id).ToList(),
                    OpenDisputes = db.Disputes.Where(d => d.MilestoneId == m.Id && d.Status == DisputeStatus.Open).ToList(),
                    OthersAwaitingInvoice = awaitingInvoice.Any(x => x.ContractId == c.Id && x.Id != m.Id),
                    ContractPrepaid = prepaying.Any(x => x.ContractId == c.Id),
                    ClientBilledMinor = db.Set<ReceivableTotal>().Where(t => t.ClientId == cl.Id && t.Currency == c.Currency).Select(t => (long?)t.BilledMinor).FirstOrDefault(),
                    ClientHasCredit = holdingCredit.Any(p => p.ClientId == cl.Id && p.Currency == c.Currency),
                };
        }, cancellationToken);
        if (read is null)
            return null;
        return new MilestoneWork
        {
            Contract = read.Contract,
            Milestone = read.Milestone,
            Organization = read.Organization,
            Client = read.Client,
            History = read.History,
            Invoices = read.Invoices,
            OpenDisputes = read.OpenDisputes,
            OthersAwaitingInvoice = read.OthersAwaitingInvoice,
            Billing = new BillingFacts(read.Invoices, read.Client, read.Contract.Currency, read.ContractPrepaid, read.ClientBilledMinor ?? 0, read.ClientHasCredit),
        };
    }
}
