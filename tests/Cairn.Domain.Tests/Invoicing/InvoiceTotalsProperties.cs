using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Cairn.Domain.Tests;

public sealed class InvoiceTotalsProperties
{
    public sealed record Case(Currency Currency, (Money Net, TaxRate Rate)[] Lines)
    {
        public InvoiceTotals Totals => InvoiceTotals.Compute(Currency, Lines);

        public override string ToString() =>
            $"{Currency}: [{string.Join(", ", Lines.Select(l => $"{l.Net.ToDecimalString()} @ {l.Rate}"))}]";
    }

    // Common VAT rates repeat, so lines share rates; small nets hit the rounding midpoint often; nets of both signs cover credits.
    // Rates with four decimals (9.975%) too: tax rates are parts per million.
    private static readonly Gen<TaxRate> Rate = Gen.Frequency(
        (4, Gen.Elements(0, 200_000, 190_000, 210_000, 100_000, 70_000, 55_000, 81_000, 250_000, 125_000, 333_300, 99_750)),
        (1, Gen.Choose(0, 1_000_000)))
        .Select(ppm => new TaxRate(ppm));

    private static readonly Gen<long> Net = Gen.Frequency(
        (3, Gen.Choose(-1000, 1000).Select(i => (long)i)),
        (2, Gen.Choose(-100_000_000, 100_000_000).Select(i => (long)i)),
        (1, Gen.Choose(-99_999, 99_999).Zip(Gen.Choose(0, 999_999_999), (high, low) => (high * 1_000_000_000L) + low)));

    private static readonly Arbitrary<Case> Cases =
        (from currency in MoneyGen.Currency
         from count in Gen.Choose(0, 30)
         from lines in Gen.ArrayOf(Net.Zip(Rate, (net, rate) => (Money.Of(net, currency), rate)), count)
         select new Case(currency, lines))
        .ToArbitrary();

    [Property(MaxTest = 1000)]
    public Property Gross_is_net_plus_tax() =>
        Prop.ForAll(Cases, c => c.Totals.Gross == c.Totals.Net + c.Totals.Tax);

    [Property(MaxTest = 1000)]
    public Property Net_is_the_sum_of_the_lines() =>
        Prop.ForAll(Cases, c => c.Totals.Net == Money.Sum(c.Currency, c.Lines.Select(l => l.Net)));

    [Property(MaxTest = 1000)]
    public Property Each_rate_has_one_subtotal_with_the_sum_of_its_lines_highest_rate_first() =>
        Prop.ForAll(Cases, c =>
        {
            var perRate = c.Totals.PerRate;
            var expectedRates = c.Lines.Select(l => l.Rate).Distinct().OrderByDescending(r => r.PerMillion);
            return perRate.Select(s => s.Rate).SequenceEqual(expectedRates)
                && perRate.All(s => s.Net == Money.Sum(c.Currency, c.Lines.Where(l => l.Rate == s.Rate).Select(l => l.Net)));
        });

    [Property(MaxTest = 2000)]
    public Property Each_rates_tax_is_its_net_times_the_rate_rounded_half_away_from_zero() =>
        Prop.ForAll(Cases, c => c.Totals.PerRate.All(s =>
        {
            // Independently of the implementation: in major units, with the rate as a decimal fraction.
            var digits = c.Currency.MinorDigits;
            var netMajor = s.Net.Minor / (decimal)c.Currency.MinorPerMajor;
            var taxMajor = Math.Round(netMajor * s.Rate.PerMillion / 1_000_000m, digits, MidpointRounding.AwayFromZero);
            return s.Tax.Minor == taxMajor * c.Currency.MinorPerMajor && s.Tax.Currency == c.Currency;
        }));

    [Property(MaxTest = 1000)]
    public Property Tax_is_the_sum_of_the_per_rate_taxes() =>
        Prop.ForAll(Cases, c => c.Totals.Tax == Money.Sum(c.Currency, c.Totals.PerRate.Select(s => s.Tax)));
}
