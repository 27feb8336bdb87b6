namespace Cairn.Domain;

/// <summary>How much of one tax group (category, rate) of an invoice a credit note is asked to take back: its net (BT-116).</summary>
/// <param name="Category">The group's UNCL5305 category (BT-118).</param>
/// <param name="Rate">The group's rate (BT-119).</param>
/// <param name="Net">The net to take back in the group; the tax follows from the rate.</param>
public sealed record CreditedGroup(TaxCategory Category, TaxRate Rate, Money Net);

/// <summary>
/// The one home of how a credit note is split over the tax groups of its invoice (EN 16931 BG-23): what is left
/// to credit in each group, the proportional split of a gross amount, and the split a person asks for. A group is
/// never credited beyond what is left in it; crediting all that is left of a group takes back exactly its net and tax.
/// </summary>
public static class CreditSplit
{
    /// <summary>How each group's tax is rounded to the minor unit: half a minor unit rounds away from zero.</summary>
    public const MidpointRounding TaxRounding = InvoiceTotals.TaxRounding;

    /// <summary>
    /// What is left to credit in each tax group of <paramref name="invoice"/>: its groups less what <paramref name="earlier"/>
    /// credit notes took back in them. An old note that credited part of several groups without saying how much of each
    /// is counted in proportion to the invoice's groups (net and tax each by the largest-remainder method).
    /// </summary>
    public static IReadOnlyList<TaxSubtotal> Remaining(Invoice invoice, IEnumerable<CreditNote> earlier)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        ArgumentNullException.ThrowIfNull(earlier);
        var groups = invoice.Totals.PerRate;
        var nets = groups.Select(g => g.Net.Minor).ToArray();
        var taxes = groups.Select(g => g.Tax.Minor).ToArray();
        foreach (var note in earlier)
        {
            if (note.GroupsOn(invoice) is { } credited)
            {
                foreach (var c in credited)
                {
                    var i = IndexOf(groups, c.Category, c.Rate);
                    if (i < 0)
                        continue;
                    nets[i] -= c.Net.Minor;
                    taxes[i] -= c.Tax.Minor;
                }

                continue;
            }

            var netShares = Shares(note.Net, groups.Select(g => g.Net.Minor));
            var taxShares = Shares(note.Tax, groups.Select(g => g.Tax.Minor));
            for (var i = 0; i < groups.Count; i++)
            {
                nets[i] -= netShares[i];
                taxes[i] -= taxShares[i];
            }
        }

        return groups.Select((g, i) => g with { Net = new Money(nets[i], invoice.Currency), Tax = new Money(taxes[i], invoice.Currency) }).ToList();
    }

    /// <summary>
    /// Splits a gross amount over the groups in proportion to what is left to credit in each (largest remainder, ties to
    /// the group listed first); each group's tax is its gross × rate / (1 + rate), rounded once (<see cref="TaxRounding"/>),
    /// and its net the rest. Crediting all that is left takes back every group's net and tax exactly.
    /// </summary>
    /// <exception cref="DomainException"><c>amount_not_positive</c>; <c>exceeds_creditable</c> when the amount is more than is left.</exception>
    public static IReadOnlyList<TaxSubtotal> Proportional(IReadOnlyList<TaxSubtotal> remaining, Money gross)
    {
        ArgumentNullException.ThrowIfNull(remaining);
        if (!gross.IsPositive)
            throw new DomainException(new DomainError("amount_not_positive", "A credit note must be for more than zero.", "amount"));
        var left = remaining.Sum(g => g.Net.Minor + g.Tax.Minor);
        if (gross.Minor > left)
            throw new DomainException(new DomainError("exceeds_creditable", $"The invoice has {new Money(left, gross.Currency).ToDecimalString()} {gross.Currency.Code} left to credit; a credit note of {gross.ToDecimalString()} would exceed it.", "amount"));
        if (gross.Minor == left)
            return remaining.Where(g => g.Net.Minor != 0 || g.Tax.Minor != 0).ToList();
        var shares = Allocation.LargestRemainder(gross, remaining.Select(g => Math.Max(g.Net.Minor + g.Tax.Minor, 0)).ToList());
        var split = new List<TaxSubtotal>();
        for (var i = 0; i < remaining.Count; i++)
        {
            if (shares[i].IsPositive)
                split.Add(Within(remaining[i], shares[i]));
        }

        return split;
    }

    /// <summary>
    /// The split a person asks for: each named group's net, its tax at the group's rate rounded once (<see cref="TaxRounding"/>);
    /// all that is left of a group takes back its net and tax exactly. Fields are named <c>lines[i].…</c> in the request's order.
    /// </summary>
    /// <exception cref="DomainException"><c>required</c>, <c>not_a_tax_group</c>, <c>duplicate_tax_group</c>, <c>currency_mismatch</c>, <c>amount_not_positive</c>, <c>exceeds_creditable</c> (the group has less left).</exception>
    public static IReadOnlyList<TaxSubtotal> Requested(IReadOnlyList<TaxSubtotal> remaining, IReadOnlyList<CreditedGroup> requested)
    {
        ArgumentNullException.ThrowIfNull(remaining);
        ArgumentNullException.ThrowIfNull(requested);
        if (requested.Count == 0)
            throw new DomainException(new DomainError("required", "Name at least one tax group to credit, or leave lines out to split the amount in proportion.", "lines"));
        var split = new List<(int Index, TaxSubtotal Group)>();
        for (var n = 0; n < requested.Count; n++)
        {
            var (category, rate, net) = requested[n];
            var field = $"lines[{n}]";
            var i = IndexOf(remaining, category, rate);
            if (i < 0)
                throw new DomainException(new DomainError("not_a_tax_group", $"The invoice has no tax group {category} {rate}; its groups are {string.Join(", ", remaining.Select(g => $"{g.Category} {g.Rate}"))}.", field + ".taxRate"));
            if (split.Any(s => s.Index == i))
                throw new DomainException(new DomainError("duplicate_tax_group", $"Tax group {category} {rate} is named twice; name each group once.", field + ".taxRate"));
            var left = remaining[i];
            if (net.Currency != left.Net.Currency)
                throw new DomainException(new CurrencyMismatch(left.Net.Currency.Code, net.Currency.Code, field + ".net.currency"));
            if (!net.IsPositive)
                throw new DomainException(new DomainError("amount_not_positive", "A credited net must be more than zero.", field + ".net"));
            if (net > left.Net)
                throw new DomainException(new DomainError("exceeds_creditable", $"Tax group {category} {rate} has {Describe(left)} left to credit; a net of {net.ToDecimalString()} would exceed it.", field + ".net"));
            var tax = net == left.Net ? left.Tax : Clamp(left.Rate.Of(net, TaxRounding), left.Tax);
            split.Add((i, left with { Net = net, Tax = tax }));
        }

        return split.OrderBy(s => s.Index).Select(s => s.Group).ToList();
    }

    private static string Describe(TaxSubtotal left) => $"net {left.Net.ToDecimalString()} {left.Net.Currency.Code} (tax {left.Tax.ToDecimalString()})";

    // One group's share of a gross amount: tax rounded once from the gross, net the rest, neither beyond what is left.
    private static TaxSubtotal Within(TaxSubtotal left, Money gross)
    {
        if (gross.Minor == left.Net.Minor + left.Tax.Minor)
            return left;
        var perMillion = (decimal)left.Rate.PerMillion;
        var tax = (long)decimal.Round(gross.Minor * perMillion / (1_000_000m + perMillion), 0, TaxRounding);
        tax = Math.Clamp(tax, Math.Min(0, left.Tax.Minor), Math.Max(0, left.Tax.Minor));
        var net = gross.Minor - tax;
        if (net > left.Net.Minor)
        {
            net = left.Net.Minor;
            tax = gross.Minor - net;
        }

        return left with { Net = new Money(net, gross.Currency), Tax = new Money(tax, gross.Currency) };
    }

    private static Money Clamp(Money tax, Money left) => tax > left ? left : tax;

    private static int IndexOf(IReadOnlyList<TaxSubtotal> groups, TaxCategory category, TaxRate rate)
    {
        for (var i = 0; i < groups.Count; i++)
        {
            if (groups[i].Category == category && groups[i].Rate == rate)
                return i;
        }

        return -1;
    }

    // An amount shared among groups in proportion to their (positive) amounts, by the largest-remainder method.
    private static long[] Shares(Money amount, IEnumerable<long> weights)
    {
        var w = weights.Select(x => Math.Max(x, 0)).ToList();
        if (amount.Minor <= 0 || w.All(x => x == 0))
            return [.. w.Select((_, i) => i == 0 ? amount.Minor : 0)];
        return [.. Allocation.LargestRemainder(amount, w).Select(m => m.Minor)];
    }
}
