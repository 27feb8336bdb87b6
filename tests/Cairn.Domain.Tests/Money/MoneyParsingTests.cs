namespace Cairn.Domain.Tests;

public sealed class MoneyParsingTests
{
    [Theory]
    [InlineData("3000.00", "EUR", 300000)]
    [InlineData("3000", "EUR", 300000)]
    [InlineData("3000.5", "EUR", 300050)]
    [InlineData("-5.00", "EUR", -500)]
    [InlineData("0.01", "EUR", 1)]
    [InlineData("0", "EUR", 0)]
    [InlineData("-0.00", "EUR", 0)]
    [InlineData("007.50", "EUR", 750)]
    [InlineData("9999999999999.99", "EUR", 999_999_999_999_999)]
    [InlineData("-9999999999999.99", "EUR", -999_999_999_999_999)]
    [InlineData("3000", "JPY", 3000)]
    [InlineData("-7", "JPY", -7)]
    [InlineData("999999999999999", "JPY", 999_999_999_999_999)]
    [InlineData("1.250", "BHD", 1250)]
    [InlineData("1.25", "BHD", 1250)]
    [InlineData("1.2", "BHD", 1200)]
    [InlineData("1", "BHD", 1000)]
    [InlineData("-0.001", "KWD", -1)]
    [InlineData("999999999999.999", "BHD", 999_999_999_999_999)]
    public void Decimal_strings_with_up_to_the_currencys_decimals_parse_exactly(string text, string code, long minor)
    {
        var currency = Currency.Of(code);

        Assert.Equal(Money.Of(minor, currency), Money.Parse(text, currency));
        Assert.True(Money.TryParse(text, currency, out var parsed, out var error));
        Assert.Null(error);
        Assert.Equal(minor, parsed.Minor);
    }

    [Theory]
    [InlineData(null, "EUR", "required")]
    [InlineData("", "EUR", "required")]
    [InlineData("10.005", "EUR", "has 3 decimal places, but EUR has 2")]
    [InlineData("0.001", "EUR", "has 3 decimal places, but EUR has 2")]
    [InlineData("1.2345", "BHD", "has 4 decimal places, but BHD has 3")]
    [InlineData("3000.5", "JPY", "JPY has no minor unit")]
    [InlineData("3000.0", "JPY", "JPY has no minor unit")]
    [InlineData("3000.", "JPY", "digit after the '.'")]
    [InlineData("5.", "EUR", "digit after the '.'")]
    [InlineData("1e5", "EUR", "exponent")]
    [InlineData("1E5", "EUR", "exponent")]
    [InlineData("1.5e2", "EUR", "exponent")]
    [InlineData("+5", "EUR", "'+'")]
    [InlineData("+5.00", "EUR", "'+'")]
    [InlineData(" 5", "EUR", "spaces")]
    [InlineData("5 ", "EUR", "spaces")]
    [InlineData("1 000.00", "EUR", "spaces")]
    [InlineData("- 5", "EUR", "spaces")]
    [InlineData("1\u00a0000", "EUR", "spaces")]
    [InlineData("1,000.00", "EUR", "thousands separators")]
    [InlineData("1,50", "EUR", "'.' as the decimal separator")]
    [InlineData("1'000", "CHF", "thousands separators")]
    [InlineData(".", "EUR", "must start with a digit")]
    [InlineData("-", "EUR", "must start with a digit")]
    [InlineData(".5", "EUR", "must start with a digit")]
    [InlineData("-.5", "EUR", "must start with a digit")]
    [InlineData("--5", "EUR", "must start with a digit")]
    [InlineData("abc", "EUR", "must start with a digit")]
    [InlineData("NaN", "EUR", "must start with a digit")]
    [InlineData("\u0663", "EUR", "must start with a digit")]
    [InlineData("1.2.3", "EUR", "not a decimal amount")]
    [InlineData("12-3", "EUR", "not a decimal amount")]
    [InlineData("0x10", "EUR", "not a decimal amount")]
    [InlineData("5EUR", "EUR", "not a decimal amount")]
    [InlineData("10000000000000.00", "EUR", "too large")]
    [InlineData("-10000000000000", "EUR", "too large")]
    [InlineData("1000000000000000", "JPY", "too large")]
    [InlineData("1000000000000", "BHD", "too large")]
    [InlineData("99999999999999999999999999999999", "EUR", "too large")]
    public void Malformed_amounts_are_rejected_with_a_message_naming_the_problem(string? text, string code, string problem)
    {
        var currency = Currency.Of(code);

        var ex = Assert.Throws<DomainException>(() => Money.Parse(text, currency, "milestones[2].amount"));

        Assert.Equal("invalid_amount", ex.Error.Code);
        Assert.Equal("milestones[2].amount", ex.Error.Field);
        Assert.Contains(problem, ex.Error.Message, StringComparison.Ordinal);
        Assert.False(Money.TryParse(text, currency, out var money, out var error));
        Assert.Equal(ex.Error.Message, error);
        Assert.Equal(default, money);
    }

    [Fact]
    public void The_field_defaults_to_amount()
    {
        var ex = Assert.Throws<DomainException>(() => Money.Parse("x", Currency.EUR));

        Assert.Equal("amount", ex.Error.Field);
    }

    [Fact]
    public void Too_large_names_the_largest_accepted_amount()
    {
        var ex = Assert.Throws<DomainException>(() => Money.Parse("10000000000000", Currency.EUR));

        Assert.Contains("at most 9999999999999.99 EUR", ex.Error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(300000, "EUR", "3000.00")]
    [InlineData(-500, "EUR", "-5.00")]
    [InlineData(5, "EUR", "0.05")]
    [InlineData(-5, "EUR", "-0.05")]
    [InlineData(0, "EUR", "0.00")]
    [InlineData(123456789012, "EUR", "1234567890.12")]
    [InlineData(3000, "JPY", "3000")]
    [InlineData(-3000, "JPY", "-3000")]
    [InlineData(0, "JPY", "0")]
    [InlineData(1250, "BHD", "1.250")]
    [InlineData(-1, "BHD", "-0.001")]
    [InlineData(0, "KWD", "0.000")]
    [InlineData(long.MaxValue, "EUR", "92233720368547758.07")]
    [InlineData(long.MinValue, "EUR", "-92233720368547758.08")]
    [InlineData(long.MinValue, "JPY", "-9223372036854775808")]
    public void Amounts_format_with_exactly_the_currencys_decimals_and_no_grouping(long minor, string code, string expected)
    {
        Assert.Equal(expected, Money.Of(minor, Currency.Of(code)).ToDecimalString());
    }

    [Fact]
    public void An_amount_prints_with_its_currency_code()
    {
        Assert.Equal("3000.00 EUR", Money.Of(300000, Currency.EUR).ToString());
        Assert.Equal("3000 JPY", Money.Of(3000, Currency.JPY).ToString());
        Assert.Equal("-1.250 BHD", Money.Of(-1250, Currency.BHD).ToString());
    }
}
