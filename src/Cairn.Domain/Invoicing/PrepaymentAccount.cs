namespace Cairn.Domain;

/// <summary>
/// What a contract's prepayment invoice (UNTDID 1001 type 386) leaves to deduct: the one home of the
/// deposit rule. Its <see cref="Deductible"/> part is its net as invoiced less the net of its credit
/// notes; the contract's later invoices that are not void deduct from it, each its share of the
/// plan and the last one the rest, and together never more than it. Billing, issuing, credit notes
/// and <c>verify</c> ask it.
/// </summary>
/// <param name="Invoice">The issued prepayment invoice.</param>
/// <param name="CreditedNet">The net of its credit notes.</param>
/// <param name="Deducted">The net its deduction lines take on the contract's other invoices that are not void (a positive amount).</param>
public sealed record PrepaymentAccount(Invoice Invoice, Money CreditedNet, Money Deducted)
{
    /// <summary>The account of an issued prepayment invoice, from the net of its credit notes and the contract's invoices (any status; void ones and <paramref name="excluding"/> do not count).</summary>
    public static PrepaymentAccount Of(Invoice prepayment, long creditedNetMinor, IEnumerable<Invoice> contractInvoices, Guid? excluding = null)
    {
        ArgumentNullException.ThrowIfNull(prepayment);
        ArgumentNullException.ThrowIfNull(contractInvoices);
        var deducted = contractInvoices
            .Where(i => i.Status != InvoiceStatus.Void && i.Id != excluding && i.Id != prepayment.Id)
            .SelectMany(i => i.Deductions)
            .Where(l => l.PrepaymentInvoiceId == prepayment.Id)
            .Sum(l => -l.NetMinor);
        return new PrepaymentAccount(prepayment, new Money(creditedNetMinor, prepayment.Currency), new Money(deducted, prepayment.Currency));
    }

    /// <summary>What later invoices may deduct in all: the prepayment's net as invoiced and not credited.</summary>
    public Money Deductible => Invoice.Net - CreditedNet;

    /// <summary>What is still to deduct (never below zero).</summary>
    public Money Left => Deductible - Deducted is { IsPositive: true } left ? left : Money.Zero(Invoice.Currency);

    /// <summary>
    /// The net that the invoice of <paramref name="milestone"/> deducts: its share of the deductible part
    /// in proportion to its amount in the plan (contract value), rounded half away from zero, or the rest
    /// when it is the last milestone of the plan to be billed; never more than what is left nor more than
    /// the milestone's own amount. Zero for the prepayment itself and for a 0.00 milestone.
    /// </summary>
    public Money ShareFor(Contract contract, Milestone milestone, PlanBilling billing)
    {
        ArgumentNullException.ThrowIfNull(contract);
        ArgumentNullException.ThrowIfNull(milestone);
        ArgumentNullException.ThrowIfNull(billing);
        var zero = Money.Zero(Invoice.Currency);
        if (milestone.Prepayment || milestone.AmountMinor <= 0 || !Left.IsPositive || contract.ValueMinor <= 0)
            return zero;
        var share = IsLastToBill(contract, milestone, billing)
            ? Left
            : new Money((long)decimal.Round((decimal)Deductible.Minor * milestone.AmountMinor / contract.ValueMinor, 0, MidpointRounding.AwayFromZero), Invoice.Currency);
        return share.Min(Left).Min(milestone.Amount);
    }

    /// <summary>Refuses an invoice whose deductions of this prepayment would take more than is left (the prepayment was credited since the draft was made).</summary>
    /// <exception cref="DomainException"><c>deduction_exceeds_prepayment</c> (409).</exception>
    public void RequireRoomFor(Money deduction)
    {
        if (deduction > Deductible - Deducted)
            throw new DomainException(new PrepaymentConflict("deduction_exceeds_prepayment",
                $"Prepayment invoice {Invoice.Number} has {Left.ToDecimalString()} {Invoice.Currency.Code} left to deduct (net invoiced and not credited, less what other invoices deduct); a deduction of {deduction.ToDecimalString()} would exceed it."));
    }

    /// <summary>Refuses a credit note of the prepayment that would take back net already deducted by later invoices: the client would get the deposit back twice.</summary>
    /// <exception cref="DomainException"><c>prepayment_already_deducted</c> (409).</exception>
    public void RequireCredit(Money creditNet)
    {
        if (creditNet > Left)
            throw new DomainException(new PrepaymentConflict("prepayment_already_deducted",
                $"Later invoices already deduct {Deducted.ToDecimalString()} {Invoice.Currency.Code} of prepayment invoice {Invoice.Number}; a credit note may take back at most the {Left.ToDecimalString()} net not deducted yet."));
    }

    /// <summary>Whether every other milestone of the plan that bills something was already invoiced.</summary>
    private static bool IsLastToBill(Contract contract, Milestone milestone, PlanBilling billing) =>
        contract.Milestones
            .Where(m => m.Id != milestone.Id && !m.Prepayment && m.Status != MilestoneStatus.Cancelled && m.AmountMinor > 0)
            .All(m => billing.For(m).EverInvoiced);
}

/// <summary>A deduction or credit refused because it would break the prepayment's bounds (409).</summary>
public sealed record PrepaymentConflict(string ErrorCode, string Detail) : DomainError(ErrorCode, Detail, "amount")
{
    /// <inheritdoc />
    public override DomainErrorKind Kind => DomainErrorKind.Conflict;
}
