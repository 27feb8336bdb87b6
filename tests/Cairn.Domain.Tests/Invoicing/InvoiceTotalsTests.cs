namespace Cairn.Domain.Tests;

public sealed class InvoiceTotalsTests
{
    private static (Money Net, TaxRate Rate) Line(string net, string rate, Currency? currency = null) =>
        (Money.Parse(net, currency ?? Currency.EUR), Percentage.Parse(rate));

    [Fact]
    public void An_invoice_without_lines_totals_zero()
    {
        var totals = InvoiceTotals.Compute(Currency.EUR, Array.Empty<(Money, TaxRate)>());

        Assert.Equal(Money.Zero(Currency.EUR), totals.Net);
        Assert.Equal(Money.Zero(Currency.EUR), totals.Tax);
        Assert.Equal(Money.Zero(Currency.EUR), totals.Gross);
        Assert.Empty(totals.PerRate);
    }

    [Fact]
    public void Gross_is_net_plus_tax()
    {
        var totals = InvoiceTotals.Compute(Currency.EUR, [Line("3000.00", "20")]);

        Assert.Equal("3000.00", totals.Net.ToDecimalString());
        Assert.Equal("600.00", totals.Tax.ToDecimalString());
        Assert.Equal("3600.00", totals.Gross.ToDecimalString());
        var subtotal = Assert.Single(totals.PerRate);
        Assert.Equal(new TaxSubtotal(Percentage.Parse("20"), Money.Parse("3000.00", Currency.EUR), Money.Parse("600.00", Currency.EUR)), subtotal);
    }

    [Fact]
    public void Tax_is_rounded_once_per_rate_not_per_line()
    {
        // Per line each 0.05 at 10% would round to 0.01, giving 0.02; EN 16931 rounds the rate's sum 0.10 once.
        var totals = InvoiceTotals.Compute(Currency.EUR, [Line("0.05", "10"), Line("0.05", "10")]);

        Assert.Equal("0.10", totals.Net.ToDecimalString());
        Assert.Equal("0.01", totals.Tax.ToDecimalString());
    }

    [Theory]
    [InlineData("0.05", "10", "0.01")]
    [InlineData("0.04", "10", "0.00")]
    [InlineData("0.25", "10", "0.03")]
    [InlineData("-0.05", "10", "-0.01")]
    [InlineData("-0.25", "10", "-0.03")]
    [InlineData("10.10", "5.5", "0.56")]
    [InlineData("0.50", "1", "0.01")]
    [InlineData("1234.56", "0", "0.00")]
    public void Tax_at_the_midpoint_rounds_away_from_zero(string net, string rate, string tax)
    {
        var totals = InvoiceTotals.Compute(Currency.EUR, [Line(net, rate)]);

        Assert.Equal(tax, totals.Tax.ToDecimalString());
    }

    [Fact]
    public void Currencies_without_cents_round_to_whole_units()
    {
        var totals = InvoiceTotals.Compute(Currency.JPY, [Line("5", "10", Currency.JPY), Line("1000", "8", Currency.JPY)]);

        Assert.Equal(["1", "80"], totals.PerRate.Select(s => s.Tax.ToDecimalString()));
        Assert.Equal("1086", totals.Gross.ToDecimalString());
    }

    [Fact]
    public void Currencies_with_three_decimals_round_to_the_fils()
    {
        var totals = InvoiceTotals.Compute(Currency.BHD, [Line("0.005", "10", Currency.BHD), Line("100.000", "10", Currency.BHD)]);

        Assert.Equal("10.001", totals.Tax.ToDecimalString());
        Assert.Equal("110.006", totals.Gross.ToDecimalString());
    }

    [Fact]
    public void Subtotals_are_per_rate_highest_rate_first()
    {
        var totals = InvoiceTotals.Compute(Currency.EUR,
        [
            Line("100.00", "7"),
            Line("200.00", "20"),
            Line("50.00", "0"),
            Line("300.00", "20"),
        ]);

        Assert.Equal(["20", "7", "0"], totals.PerRate.Select(s => s.Rate.ToDecimalString()));
        Assert.Equal(["500.00", "100.00", "50.00"], totals.PerRate.Select(s => s.Net.ToDecimalString()));
        Assert.Equal(["100.00", "7.00", "0.00"], totals.PerRate.Select(s => s.Tax.ToDecimalString()));
        Assert.Equal("650.00", totals.Net.ToDecimalString());
        Assert.Equal("107.00", totals.Tax.ToDecimalString());
        Assert.Equal("757.00", totals.Gross.ToDecimalString());
    }

    [Fact]
    public void A_credit_line_reduces_the_net_of_its_rate()
    {
        var totals = InvoiceTotals.Compute(Currency.EUR, [Line("1000.00", "20"), Line("-250.00", "20")]);

        Assert.Equal("750.00", totals.Net.ToDecimalString());
        Assert.Equal("150.00", totals.Tax.ToDecimalString());
    }

    [Fact]
    public void A_line_in_another_currency_is_refused()
    {
        var ex = Assert.Throws<DomainException>(() =>
            InvoiceTotals.Compute(Currency.EUR, [Line("100.00", "20"), Line("100.00", "20", Currency.USD)]));

        var mismatch = Assert.IsType<CurrencyMismatch>(ex.Error);
        Assert.Equal("EUR", mismatch.Expected);
        Assert.Equal("USD", mismatch.Actual);
    }

    [Fact]
    public void Totals_computed_twice_from_the_same_lines_are_equal()
    {
        (Money, TaxRate)[] lines = [Line("100.00", "20"), Line("3.33", "7")];

        Assert.Equal(InvoiceTotals.Compute(Currency.EUR, lines), InvoiceTotals.Compute(Currency.EUR, lines));
        Assert.NotEqual(InvoiceTotals.Compute(Currency.EUR, lines), InvoiceTotals.Compute(Currency.EUR, lines[..1]));
    }
}
