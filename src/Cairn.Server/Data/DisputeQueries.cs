using Cairn.Domain;

namespace Cairn.Server.Data;

/// <summary>
/// What is under dispute, as the database computes it: the one rule behind the dashboard's
/// "Disputed" figure (<c>GET /api/v1/reports/dashboard</c>, the web dashboard), checked by
/// <c>cairn verify</c> through the invoices' disputed flag.
/// </summary>
public static class DisputeQueries
{
    /// <summary>
    /// One row per open dispute with the amount the client contests: the open balance (gross) of
    /// the disputed invoice when the milestone was invoiced before the dispute, otherwise the
    /// milestone's amount (net: nothing is billed yet, and it will not be until the dispute is
    /// resolved). A dispute on an invoice since paid or credited in full contests nothing more.
    /// </summary>
    public static IQueryable<AmountUnderDispute> UnderDispute(this CairnDb db) =>
        from d in db.Disputes
        where d.Status == DisputeStatus.Open
        join m in db.Milestones on d.MilestoneId equals m.Id
        select new AmountUnderDispute
        {
            DisputeId = d.Id,
            Currency = m.Currency,
            Minor = d.InvoiceId == null ? m.AmountMinor : db.Invoices.OpenBalances().Where(b => b.InvoiceId == d.InvoiceId).Sum(b => b.Minor),
        };
}

/// <summary>An open dispute and the amount it contests.</summary>
public sealed class AmountUnderDispute
{
    public Guid DisputeId { get; init; }

    public Currency Currency { get; init; } = Currency.EUR;

    /// <summary>The amount contested, in minor units of <see cref="Currency"/>.</summary>
    public long Minor { get; init; }
}
