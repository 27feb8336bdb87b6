namespace Cairn.Domain;

/// <summary>
/// What a contract's prepayment invoice (UNTDID 1001 type 386) leaves to deduct: the one home of the
/// deposit rule. EN 16931 deducts a prepayment per VAT group (BG-23), so the account keeps one
/// <see cref="PrepaymentPart"/> per (category, rate) the prepayment invoiced: its net as invoiced, its
/// share of the credit notes' net, and what the contract's later invoices that are not void deduct
/// from it. Each later invoice deducts its share of the parts it is billed in, the last milestone of a
/// group the rest of that group and the last of the plan the rest of every group; together never more
/// than a part holds. Billing, issuing, credit notes and <c>verify</c> ask it.
/// </summary>
/// <param name="Invoice">The issued prepayment invoice.</param>
/// <param name="CreditedNet">The net of its credit notes.</param>
/// <param name="Parts">One part per (category, rate) of the prepayment invoice, in the order of its lines.</param>
public sealed record PrepaymentAccount(Invoice Invoice, Money CreditedNet, IReadOnlyList<PrepaymentPart> Parts)
{
    /// <summary>The account of an issued prepayment invoice, from the net of its credit notes and the contract's invoices (any status; void ones and <paramref name="excluding"/> do not count).</summary>
    public static PrepaymentAccount Of(Invoice prepayment, long creditedNetMinor, IEnumerable<Invoice> contractInvoices, Guid? excluding = null)
    {
        ArgumentNullException.ThrowIfNull(prepayment);
        ArgumentNullException.ThrowIfNull(contractInvoices);
        var deductions = contractInvoices
            .Where(i => i.Status != InvoiceStatus.Void && i.Id != excluding && i.Id != prepayment.Id)
            .SelectMany(i => i.Deductions)
            .Where(l => l.PrepaymentInvoiceId == prepayment.Id)
            .ToList();
        var credited = new Money(creditedNetMinor, prepayment.Currency);
        var groups = GroupsOf(prepayment);
        var creditedParts = CreditSplit(groups, credited);
        var parts = groups.Select((g, i) => new PrepaymentPart(
            g.Tax,
            g.Net,
            creditedParts[i],
            new Money(-deductions.Where(l => SameGroup(l.Tax, g.Tax)).Sum(l => l.NetMinor), prepayment.Currency))).ToList();
        return new PrepaymentAccount(prepayment, credited, parts);
    }

    /// <summary>
    /// The lines of the prepayment invoice of <paramref name="deposit"/>: the deposit taxed as its override says, or else
    /// split over the plan's VAT groups (category, rate) in proportion to each group's value by the largest-remainder
    /// method (ties to the group that comes first in the plan), so that VAT is declared at the rate of what it prepays.
    /// </summary>
    public static IReadOnlyList<PrepaymentShare> Split(Contract contract, Milestone deposit)
    {
        ArgumentNullException.ThrowIfNull(contract);
        ArgumentNullException.ThrowIfNull(deposit);
        var groups = PlanOf(contract)
            .GroupBy(m => (contract.TaxFor(m).Category, contract.TaxFor(m).Rate))
            .Select(g => (Tax: contract.TaxFor(g.First()), Value: g.Sum(m => m.AmountMinor)))
            .Where(g => g.Value > 0)
            .ToList();
        if (deposit.TaxOverride is not null || groups.Count < 2 || !deposit.Amount.IsPositive)
            return [new PrepaymentShare(contract.TaxFor(deposit), deposit.Amount)];
        var nets = Allocation.LargestRemainder(deposit.Amount, groups.Select(g => g.Value).ToList());
        return groups.Select((g, i) => new PrepaymentShare(g.Tax, nets[i])).Where(s => s.Net.IsPositive).ToList();
    }

    /// <summary>What later invoices may deduct in all: the prepayment's net as invoiced and not credited.</summary>
    public Money Deductible => Invoice.Net - CreditedNet;

    /// <summary>What the contract's other invoices deduct in all (a positive amount).</summary>
    public Money Deducted => Money.Sum(Invoice.Currency, Parts.Select(p => p.Deducted));

    /// <summary>What is still to deduct in all (never below zero).</summary>
    public Money Left => Money.Sum(Invoice.Currency, Parts.Select(p => p.Left));

    /// <summary>
    /// What the invoice of <paramref name="milestone"/> deducts, per VAT group: from each part that is for the
    /// milestone (the part of its own category and rate, and any part whose group has no milestone left in the
    /// plan), its share of the part's deductible net in proportion to its amount among the part's milestones,
    /// rounded half away from zero; the rest of a part when it is that part's last milestone to be billed, and
    /// the rest of every part when it is the plan's last. Never more than a part has left, nor in all more than
    /// the milestone's own amount. Empty for the prepayment itself and for a 0.00 milestone.
    /// </summary>
    public IReadOnlyList<PrepaymentShare> ShareFor(Contract contract, Milestone milestone, PlanBilling billing)
    {
        ArgumentNullException.ThrowIfNull(contract);
        ArgumentNullException.ThrowIfNull(milestone);
        ArgumentNullException.ThrowIfNull(billing);
        if (milestone.Prepayment || milestone.AmountMinor <= 0 || !Left.IsPositive || contract.ValueMinor <= 0)
            return [];
        var plan = PlanOf(contract).ToList();
        var lastOfPlan = plan.Where(m => m.Id != milestone.Id).All(m => billing.For(m).EverInvoiced);
        var own = contract.TaxFor(milestone);
        var room = milestone.Amount;
        var shares = new List<PrepaymentShare>();
        foreach (var part in Parts.OrderByDescending(p => SameGroup(p.Tax, own)))
        {
            var inGroup = plan.Where(m => SameGroup(contract.TaxFor(m), part.Tax)).ToList();
            var forPart = inGroup.Count > 0 ? inGroup : plan;
            if (!forPart.Any(m => m.Id == milestone.Id) && !lastOfPlan)
                continue;
            var lastOfPart = forPart.Where(m => m.Id != milestone.Id).All(m => billing.For(m).EverInvoiced);
            var weight = forPart.Sum(m => m.AmountMinor);
            var share = lastOfPlan || lastOfPart || weight <= 0
                ? part.Left
                : new Money((long)decimal.Round((decimal)part.Deductible.Minor * milestone.AmountMinor / weight, 0, MidpointRounding.AwayFromZero), Invoice.Currency);
            share = share.Min(part.Left).Min(room);
            if (share.IsPositive)
            {
                shares.Add(new PrepaymentShare(part.Tax, share));
                room -= share;
            }
        }

        return shares;
    }

    /// <summary>Refuses an invoice whose deductions of this prepayment would take more from a VAT group than it has left (the prepayment was credited since the draft was made), or deduct in a group the prepayment never invoiced.</summary>
    /// <exception cref="DomainException"><c>deduction_exceeds_prepayment</c> (409).</exception>
    public void RequireRoomFor(IEnumerable<PrepaymentShare> deductions)
    {
        ArgumentNullException.ThrowIfNull(deductions);
        foreach (var group in deductions.GroupBy(d => (d.Tax.Category, d.Tax.Rate)))
        {
            var deduction = Money.Sum(Invoice.Currency, group.Select(d => d.Net));
            var part = Parts.FirstOrDefault(p => p.Tax.Category == group.Key.Category && p.Tax.Rate == group.Key.Rate);
            if (part is null || deduction > part.Deductible - part.Deducted)
                throw new DomainException(new PrepaymentConflict("deduction_exceeds_prepayment",
                    $"Prepayment invoice {Invoice.Number} has {(part?.Left ?? Money.Zero(Invoice.Currency)).ToDecimalString()} {Invoice.Currency.Code} left to deduct in {group.Key.Category} {group.Key.Rate} (net invoiced and not credited, less what other invoices deduct); a deduction of {deduction.ToDecimalString()} would exceed it."));
        }
    }

    /// <summary>
    /// Refuses a credit note of the prepayment that would take back net already deducted by later invoices: the
    /// client would get the deposit back twice. A credit is shared among the VAT groups as the parts' nets are.
    /// </summary>
    /// <exception cref="DomainException"><c>prepayment_already_deducted</c> (409).</exception>
    public void RequireCredit(Money creditNet)
    {
        var credited = CreditSplit(Parts.Select(p => new PrepaymentShare(p.Tax, p.Prepaid)).ToList(), CreditedNet + creditNet);
        if (creditNet > Left || Parts.Where((p, i) => credited[i] > p.Prepaid - p.Deducted).Any())
            throw new DomainException(new PrepaymentConflict("prepayment_already_deducted",
                $"Later invoices already deduct {Deducted.ToDecimalString()} {Invoice.Currency.Code} of prepayment invoice {Invoice.Number}; a credit note may take back at most the {Left.ToDecimalString()} net not deducted yet, shared among its VAT groups as they were invoiced."));
    }

    private static IEnumerable<Milestone> PlanOf(Contract contract) =>
        contract.Milestones.Where(m => !m.Prepayment && m.Status != MilestoneStatus.Cancelled && m.AmountMinor > 0);

    private static bool SameGroup(TaxTreatment a, TaxTreatment b) => a.Category == b.Category && a.Rate == b.Rate;

    // The prepayment's VAT groups in the order of its lines.
    private static List<PrepaymentShare> GroupsOf(Invoice prepayment) =>
        prepayment.Lines.OrderBy(l => l.Position)
            .GroupBy(l => (l.TaxCategory, l.TaxRatePerMillion))
            .Select(g => new PrepaymentShare(g.First().Tax, Money.Sum(prepayment.Currency, g.Select(l => l.Net))))
            .ToList();

    // Credit notes say only their net: it is shared among the groups in proportion to their nets (largest remainder).
    private static IReadOnlyList<Money> CreditSplit(List<PrepaymentShare> groups, Money credited)
    {
        if (groups.Count == 1)
            return [credited];
        if (!credited.IsPositive || groups.All(g => !g.Net.IsPositive))
            return groups.Select(g => Money.Zero(credited.Currency)).ToList();
        return Allocation.LargestRemainder(credited, groups.Select(g => Math.Max(g.Net.Minor, 0)).ToList());
    }
}

/// <summary>One VAT group (EN 16931 BG-23) of a prepayment invoice: what it prepaid, was credited and is deducted in that (category, rate).</summary>
/// <param name="Tax">The tax treatment of the group (category, rate, exemption).</param>
/// <param name="Prepaid">The net the prepayment invoice bills in the group.</param>
/// <param name="Credited">The group's share of the credit notes' net.</param>
/// <param name="Deducted">The net later invoices deduct in the group (a positive amount).</param>
public sealed record PrepaymentPart(TaxTreatment Tax, Money Prepaid, Money Credited, Money Deducted)
{
    /// <summary>What later invoices may deduct in the group: prepaid less credited.</summary>
    public Money Deductible => Prepaid - Credited;

    /// <summary>What is still to deduct in the group (never below zero).</summary>
    public Money Left => Deductible - Deducted is { IsPositive: true } left ? left : Money.Zero(Prepaid.Currency);
}

/// <summary>A net amount in one VAT group: a line of a prepayment invoice, or what an invoice deducts from it.</summary>
/// <param name="Tax">The tax treatment (category, rate, exemption).</param>
/// <param name="Net">The net amount (positive).</param>
public sealed record PrepaymentShare(TaxTreatment Tax, Money Net);

/// <summary>A deduction or credit refused because it would break the prepayment's bounds (409).</summary>
public sealed record PrepaymentConflict(string ErrorCode, string Detail) : DomainError(ErrorCode, Detail, "amount")
{
    /// <inheritdoc />
    public override DomainErrorKind Kind => DomainErrorKind.Conflict;
}
