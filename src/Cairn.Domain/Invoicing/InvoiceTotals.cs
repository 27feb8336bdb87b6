namespace Cairn.Domain;

/// <summary>The part of an invoice taxed one way (EN 16931 BG-23): the sum of those lines' nets and the tax on that sum.</summary>
/// <param name="Rate">The tax rate, e.g. 20% (BT-119).</param>
/// <param name="Net">The sum of the net amounts of the lines taxed this way (BT-116).</param>
/// <param name="Tax">The tax on <paramref name="Net"/>, rounded once to the minor unit (BT-117).</param>
public sealed record TaxSubtotal(TaxRate Rate, Money Net, Money Tax)
{
    /// <summary>The UNCL5305 category (BT-118).</summary>
    public TaxCategory Category { get; init; } = TaxCategory.S;

    /// <summary>The VATEX code of the exemption (BT-121), for untaxed categories.</summary>
    public string? ExemptionCode { get; init; }

    /// <summary>The exemption reason text (BT-120), for untaxed categories.</summary>
    public string? ExemptionReason { get; init; }
}

/// <summary>
/// EN 16931 totals: line nets summed per (tax category, rate), tax per group rounded once to the minor unit
/// (MidpointRounding.AwayFromZero), gross = net + tax. Two totals are equal when all amounts and the breakdown are.
/// </summary>
/// <param name="Net">The sum of all line nets.</param>
/// <param name="Tax">The sum of the per-group taxes.</param>
/// <param name="Gross">Net plus tax: what the client owes.</param>
/// <param name="PerRate">One subtotal per distinct (category, rate), highest rate first, then by category.</param>
public sealed record InvoiceTotals(Money Net, Money Tax, Money Gross, IReadOnlyList<TaxSubtotal> PerRate)
{
    /// <summary>How the tax of each group is rounded to the minor unit: half a minor unit rounds away from zero.</summary>
    public const MidpointRounding TaxRounding = MidpointRounding.AwayFromZero;

    /// <summary>Computes the totals of lines taxed at a rate (S, or Z at 0%) that must all be in <paramref name="currency"/>; no lines give zero totals.</summary>
    /// <exception cref="DomainException"><c>currency_mismatch</c> for a line in another currency, <c>amount_too_large</c> on overflow.</exception>
    public static InvoiceTotals Compute(Currency currency, IEnumerable<(Money Net, TaxRate Rate)> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        return Compute(currency, lines.Select(l => (l.Net, TaxTreatment.ForRate(l.Rate))));
    }

    /// <summary>Computes the totals of lines that must all be in <paramref name="currency"/>, grouped per (category, rate).</summary>
    /// <exception cref="DomainException"><c>currency_mismatch</c> for a line in another currency, <c>amount_too_large</c> on overflow.</exception>
    public static InvoiceTotals Compute(Currency currency, IEnumerable<(Money Net, TaxTreatment Tax)> lines)
    {
        ArgumentNullException.ThrowIfNull(currency);
        ArgumentNullException.ThrowIfNull(lines);
        var groups = new Dictionary<(TaxCategory, TaxRate), (Money Net, TaxTreatment Tax)>();
        foreach (var (net, tax) in lines)
        {
            if (!currency.Equals(net.Currency))
            {
                throw new DomainException(new CurrencyMismatch(currency.Code, net.Currency?.Code ?? "no currency", "lines"));
            }

            var key = (tax.Category, tax.Rate);
            groups[key] = groups.TryGetValue(key, out var sum) ? (sum.Net + net, sum.Tax) : (net, tax);
        }

        var perRate = groups.Values
            .OrderByDescending(g => g.Tax.Rate).ThenBy(g => g.Tax.Category)
            .Select(g => new TaxSubtotal(g.Tax.Rate, g.Net, g.Tax.Rate.Of(g.Net, TaxRounding)) { Category = g.Tax.Category, ExemptionCode = g.Tax.ExemptionCode, ExemptionReason = g.Tax.ExemptionReason })
            .ToArray();
        var netTotal = Money.Sum(currency, perRate.Select(s => s.Net));
        var taxTotal = Money.Sum(currency, perRate.Select(s => s.Tax));
        return new InvoiceTotals(netTotal, taxTotal, netTotal + taxTotal, perRate);
    }

    /// <summary>Whether both totals have the same amounts and the same breakdown.</summary>
    public bool Equals(InvoiceTotals? other) =>
        other is not null && Net == other.Net && Tax == other.Tax && Gross == other.Gross && PerRate.SequenceEqual(other.PerRate);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Net, Tax, Gross, PerRate.Count);
}
