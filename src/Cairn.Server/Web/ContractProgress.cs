using Cairn.Domain;

namespace Cairn.Server.Web;

/// <summary>
/// How far a contract has come, as shares of its value: delivered (approved work), billed (net of
/// its live invoices) and paid (the net those invoices' payments cover).
/// </summary>
public sealed record ContractProgress(Money Value, Money Delivered, Money Billed, Money Paid)
{
    /// <summary>Computes the progress from a contract's milestones and its invoices (any status; drafts and void ones do not count).</summary>
    public static ContractProgress Of(Contract contract, IEnumerable<Milestone> milestones, IEnumerable<Invoice> invoices)
    {
        var live = invoices.Where(i => i.Status is InvoiceStatus.Issued or InvoiceStatus.Paid).ToList();
        var billedMilestones = live.Where(i => i.MilestoneId is not null).Select(i => i.MilestoneId!.Value).ToHashSet();
        var delivered = milestones.Where(m => m.Status == MilestoneStatus.Approved && (m.Trigger == BillingTrigger.OnApproval || billedMilestones.Contains(m.Id))).Sum(m => m.AmountMinor);
        var billed = live.Sum(i => i.NetMinor);
        var paid = live.Sum(i => i.GrossMinor == 0 ? 0 : (long)((Int128)i.NetMinor * i.PaidMinor / i.GrossMinor));
        return new ContractProgress(contract.Value, new Money(delivered, contract.Currency), new Money(billed, contract.Currency), new Money(paid, contract.Currency));
    }
}
