namespace Cairn.Domain;

/// <summary>The part of an invoice taxed at one rate: the sum of those lines' nets and the tax on that sum.</summary>
/// <param name="Rate">The tax rate, e.g. 20%.</param>
/// <param name="Net">The sum of the net amounts of the lines at this rate.</param>
/// <param name="Tax">The tax on <paramref name="Net"/>, rounded once to the minor unit.</param>
public sealed record TaxSubtotal(Percentage Rate, Money Net, Money Tax);

/// <summary>
/// EN 16931 totals: line nets summed per tax rate, tax per rate rounded to the minor unit (MidpointRounding.AwayFromZero), gross = net + tax.
/// Two totals are equal when all amounts and the per-rate breakdown are.
/// </summary>
/// <param name="Net">The sum of all line nets.</param>
/// <param name="Tax">The sum of the per-rate taxes.</param>
/// <param name="Gross">Net plus tax: what the client owes.</param>
/// <param name="PerRate">One subtotal per distinct rate, highest rate first.</param>
public sealed record InvoiceTotals(Money Net, Money Tax, Money Gross, IReadOnlyList<TaxSubtotal> PerRate)
{
    /// <summary>How the tax of each rate is rounded to the minor unit: half a minor unit rounds away from zero.</summary>
    public const MidpointRounding TaxRounding = MidpointRounding.AwayFromZero;

    /// <summary>Computes the totals of lines that must all be in <paramref name="currency"/>; no lines give zero totals.</summary>
    /// <exception cref="DomainException"><c>currency_mismatch</c> for a line in another currency, <c>amount_too_large</c> on overflow.</exception>
    public static InvoiceTotals Compute(Currency currency, IEnumerable<(Money Net, Percentage Rate)> lines)
    {
        ArgumentNullException.ThrowIfNull(currency);
        ArgumentNullException.ThrowIfNull(lines);
        var netPerRate = new Dictionary<Percentage, Money>();
        foreach (var (net, rate) in lines)
        {
            if (!currency.Equals(net.Currency))
            {
                throw new DomainException(new CurrencyMismatch(currency.Code, net.Currency?.Code ?? "no currency", "lines"));
            }

            netPerRate[rate] = netPerRate.TryGetValue(rate, out var sum) ? sum + net : net;
        }

        var perRate = netPerRate
            .OrderByDescending(pair => pair.Key)
            .Select(pair => new TaxSubtotal(pair.Key, pair.Value, pair.Key.Of(pair.Value, TaxRounding)))
            .ToArray();
        var netTotal = Money.Sum(currency, perRate.Select(s => s.Net));
        var taxTotal = Money.Sum(currency, perRate.Select(s => s.Tax));
        return new InvoiceTotals(netTotal, taxTotal, netTotal + taxTotal, perRate);
    }

    /// <summary>Whether both totals have the same amounts and the same per-rate breakdown.</summary>
    public bool Equals(InvoiceTotals? other) =>
        other is not null && Net == other.Net && Tax == other.Tax && Gross == other.Gross && PerRate.SequenceEqual(other.PerRate);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Net, Tax, Gross, PerRate.Count);
}
