namespace Cairn.Domain;

/// <summary>
/// How far a contract has come, in the five words Cairn uses everywhere (API, web app, CSV, PDF;
/// glossary in docs/architecture.md), each defined here once:
/// <list type="bullet">
/// <item><b>Delivered (net)</b>: the amounts of the approved milestones, comparable with the contract value (net).</item>
/// <item><b>Billed (net)</b>: the net of the issued invoices less the net of their credit notes.</item>
/// <item><b>Billed (gross)</b>: what the client was asked to pay: the gross of the issued invoices less their credit notes.</item>
/// <item><b>Credited (gross)</b>: the gross of the credit notes.</item>
/// <item><b>Collected (gross)</b>: the payments applied to the invoices (money in, including VAT).</item>
/// <item><b>Outstanding (gross)</b>: billed (gross) less collected: the open balances of the invoices.</item>
/// </list>
/// Drafts count nowhere: nothing is billed until an invoice is issued.
/// </summary>
public sealed record BillingFigures(Money Value, Money Delivered, Money BilledNet, Money Billed, Money Credited, Money Collected)
{
    /// <summary>Billed (gross) less collected: what the client still owes on the contract's invoices.</summary>
    public Money Outstanding => Billed - Collected;

    /// <summary>The figures of a contract from its milestones, its invoices (any status) and their credit notes.</summary>
    public static BillingFigures Of(Contract contract, IEnumerable<Milestone> milestones, IEnumerable<IInvoiceFacts> invoices, IEnumerable<ICreditNoteFacts> creditNotes)
    {
        var issued = invoices.Where(i => i.ContractId == contract.Id && i.Status != InvoiceStatus.Draft).ToList();
        var ids = issued.Select(i => i.Id).ToHashSet();
        var creditedNet = creditNotes.Where(n => ids.Contains(n.InvoiceId)).Sum(n => n.NetMinor);
        Money Sum(long minor) => new(minor, contract.Currency);
        return new BillingFigures(
            contract.Value,
            Sum(milestones.Where(m => m.ContractId == contract.Id && m.Status == MilestoneStatus.Approved).Sum(m => m.AmountMinor)),
            Sum(issued.Sum(i => i.NetMinor) - creditedNet),
            Sum(issued.Sum(i => i.GrossMinor - i.CreditedMinor)),
            Sum(issued.Sum(i => i.CreditedMinor)),
            Sum(issued.Sum(i => i.PaidMinor)));
    }
}
