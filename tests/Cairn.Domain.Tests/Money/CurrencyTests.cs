namespace Cairn.Domain.Tests;

public sealed class CurrencyTests
{
    [Theory]
    [InlineData("EUR", 2, 100)]
    [InlineData("USD", 2, 100)]
    [InlineData("GBP", 2, 100)]
    [InlineData("CHF", 2, 100)]
    [InlineData("JPY", 0, 1)]
    [InlineData("KRW", 0, 1)]
    [InlineData("ISK", 0, 1)]
    [InlineData("CLP", 0, 1)]
    [InlineData("VND", 0, 1)]
    [InlineData("XAF", 0, 1)]
    [InlineData("XOF", 0, 1)]
    [InlineData("XPF", 0, 1)]
    [InlineData("UGX", 0, 1)]
    [InlineData("PYG", 0, 1)]
    [InlineData("RWF", 0, 1)]
    [InlineData("BIF", 0, 1)]
    [InlineData("DJF", 0, 1)]
    [InlineData("GNF", 0, 1)]
    [InlineData("KMF", 0, 1)]
    [InlineData("VUV", 0, 1)]
    [InlineData("BHD", 3, 1000)]
    [InlineData("KWD", 3, 1000)]
    [InlineData("OMR", 3, 1000)]
    [InlineData("JOD", 3, 1000)]
    [InlineData("TND", 3, 1000)]
    [InlineData("LYD", 3, 1000)]
    [InlineData("IQD", 3, 1000)]
    [InlineData("HUF", 2, 100)]
    [InlineData("IDR", 2, 100)]
    public void Each_currency_has_its_ISO_number_of_minor_digits(string code, int minorDigits, long minorPerMajor)
    {
        var currency = Currency.Of(code);

        Assert.Equal(code, currency.Code);
        Assert.Equal(minorDigits, currency.MinorDigits);
        Assert.Equal(minorPerMajor, currency.MinorPerMajor);
    }

    [Fact]
    public void The_named_currencies_are_the_ones_found_by_code()
    {
        Assert.Same(Currency.Of("EUR"), Currency.EUR);
        Assert.Same(Currency.Of("JPY"), Currency.JPY);
        Assert.Same(Currency.Of("BHD"), Currency.BHD);
        Assert.Same(Currency.Of("KWD"), Currency.KWD);
        Assert.Equal("Euro", Currency.EUR.Name);
    }

    [Fact]
    public void All_lists_every_currency_once_with_consistent_minor_units()
    {
        Assert.True(Currency.All.Count >= 150, $"only {Currency.All.Count} currencies");
        Assert.Equal(Currency.All.Count, Currency.All.Select(c => c.Code).Distinct().Count());
        Assert.All(Currency.All, c =>
        {
            Assert.Matches("^[A-Z]{3}$", c.Code);
            Assert.True(c.MinorDigits is 0 or 2 or 3);
            Assert.Equal((long)Math.Pow(10, c.MinorDigits), c.MinorPerMajor);
            Assert.False(string.IsNullOrWhiteSpace(c.Name));
            Assert.True(Currency.TryFind(c.Code, out var found) && ReferenceEquals(found, c));
        });
    }

    [Theory]
    [InlineData("XAU")]
    [InlineData("XAG")]
    [InlineData("XDR")]
    [InlineData("XTS")]
    [InlineData("XXX")]
    [InlineData("CLF")]
    [InlineData("USN")]
    [InlineData("CHE")]
    [InlineData("BOV")]
    [InlineData("HRK")]
    public void Funds_codes_metals_and_withdrawn_currencies_are_unknown(string code)
    {
        Assert.False(Currency.TryFind(code, out _));
    }

    [Theory]
    [InlineData("eur")]
    [InlineData("Eur")]
    [InlineData(" EUR")]
    [InlineData("EURO")]
    [InlineData("ABC")]
    [InlineData("")]
    public void Unknown_or_lower_case_codes_are_rejected_naming_the_currency_field(string code)
    {
        Assert.False(Currency.TryFind(code, out _));

        var ex = Assert.Throws<DomainException>(() => Currency.Of(code));

        Assert.Equal("unknown_currency", ex.Error.Code);
        Assert.Equal("currency", ex.Error.Field);
    }

    [Fact]
    public void A_missing_code_is_not_found()
    {
        Assert.False(Currency.TryFind(null, out _));
        Assert.Equal("unknown_currency", Assert.Throws<DomainException>(() => Currency.Of(null!)).Error.Code);
    }

    [Fact]
    public void A_currency_prints_as_its_code()
    {
        Assert.Equal("CHF", Currency.CHF.ToString());
    }
}
