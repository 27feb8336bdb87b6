namespace Cairn.Domain.Tests;

public sealed class PercentageTests
{
    [Theory]
    [InlineData("30", 3000)]
    [InlineData("12.5", 1250)]
    [InlineData("33.33", 3333)]
    [InlineData("0", 0)]
    [InlineData("0.01", 1)]
    [InlineData("0.5", 50)]
    [InlineData("100", 10000)]
    [InlineData("100.00", 10000)]
    [InlineData("007", 700)]
    public void Percentages_with_up_to_two_decimals_parse_to_basis_points(string text, int basisPoints)
    {
        Assert.Equal(Percentage.FromBasisPoints(basisPoints), Percentage.Parse(text));
        Assert.True(Percentage.TryParse(text, out var value, out var error));
        Assert.Null(error);
        Assert.Equal(basisPoints, value.BasisPoints);
    }

    [Theory]
    [InlineData(null, "required")]
    [InlineData("", "required")]
    [InlineData("100.01", "between 0 and 100")]
    [InlineData("101", "between 0 and 100")]
    [InlineData("-1", "between 0 and 100")]
    [InlineData("-0", "between 0 and 100")]
    [InlineData("99999999999999999999", "between 0 and 100")]
    [InlineData("12.345", "3 decimal places")]
    [InlineData("20%", "'%'")]
    [InlineData(" 20", "spaces")]
    [InlineData("20 ", "spaces")]
    [InlineData("+20", "'+'")]
    [InlineData("12,5", "'.' as the decimal separator")]
    [InlineData("1e2", "exponent")]
    [InlineData(".", "must start with a digit")]
    [InlineData(".5", "must start with a digit")]
    [InlineData("abc", "must start with a digit")]
    [InlineData("5.", "digit after the '.'")]
    [InlineData("1.2.3", "not a decimal number")]
    public void Malformed_percentages_are_rejected_with_a_message_naming_the_problem(string? text, string problem)
    {
        var ex = Assert.Throws<DomainException>(() => Percentage.Parse(text, "taxRate"));

        Assert.Equal("invalid_percentage", ex.Error.Code);
        Assert.Equal("taxRate", ex.Error.Field);
        Assert.Contains(problem, ex.Error.Message, StringComparison.Ordinal);
        Assert.False(Percentage.TryParse(text, out _, out var error));
        Assert.Equal(ex.Error.Message, error);
    }

    [Fact]
    public void The_field_defaults_to_percentage()
    {
        Assert.Equal("percentage", Assert.Throws<DomainException>(() => Percentage.Parse("x")).Error.Field);
    }

    [Theory]
    [InlineData(3000, "30")]
    [InlineData(1250, "12.5")]
    [InlineData(3333, "33.33")]
    [InlineData(50, "0.5")]
    [InlineData(5, "0.05")]
    [InlineData(0, "0")]
    [InlineData(10000, "100")]
    public void Percentages_format_in_their_shortest_form(int basisPoints, string expected)
    {
        Assert.Equal(expected, Percentage.FromBasisPoints(basisPoints).ToDecimalString());
        Assert.Equal(expected + "%", Percentage.FromBasisPoints(basisPoints).ToString());
    }

    [Fact]
    public void Every_percentage_reads_back_what_it_writes()
    {
        for (var bp = 0; bp <= 10000; bp++)
        {
            var percentage = Percentage.FromBasisPoints(bp);
            Assert.Equal(percentage, Percentage.Parse(percentage.ToDecimalString()));
        }
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(10001)]
    [InlineData(int.MinValue)]
    public void Basis_points_outside_zero_to_a_hundred_percent_are_refused(int basisPoints)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Percentage.FromBasisPoints(basisPoints));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Percentage(basisPoints));
        Assert.Throws<ArgumentOutOfRangeException>(() => Percentage.Zero with { BasisPoints = basisPoints });
    }

    [Fact]
    public void Zero_and_hundred_are_the_bounds()
    {
        Assert.Equal(0, Percentage.Zero.BasisPoints);
        Assert.Equal(10000, Percentage.Hundred.BasisPoints);
        Assert.True(Percentage.Zero < Percentage.Hundred);
    }

    [Theory]
    [InlineData(1000000, 2000, MidpointRounding.AwayFromZero, 200000)]
    [InlineData(5, 1000, MidpointRounding.AwayFromZero, 1)]
    [InlineData(5, 1000, MidpointRounding.ToEven, 0)]
    [InlineData(-5, 1000, MidpointRounding.AwayFromZero, -1)]
    [InlineData(-5, 1000, MidpointRounding.ToEven, 0)]
    [InlineData(25, 1000, MidpointRounding.AwayFromZero, 3)]
    [InlineData(25, 1000, MidpointRounding.ToEven, 2)]
    [InlineData(4, 1000, MidpointRounding.AwayFromZero, 0)]
    [InlineData(6, 1000, MidpointRounding.AwayFromZero, 1)]
    [InlineData(-6, 1000, MidpointRounding.AwayFromZero, -1)]
    [InlineData(99, 1000, MidpointRounding.ToZero, 9)]
    [InlineData(-91, 1000, MidpointRounding.ToNegativeInfinity, -10)]
    [InlineData(91, 1000, MidpointRounding.ToPositiveInfinity, 10)]
    public void A_percentage_of_an_amount_rounds_to_the_minor_unit_with_the_given_rule(long minor, int basisPoints, MidpointRounding rounding, long expected)
    {
        var share = Percentage.FromBasisPoints(basisPoints).Of(Money.Of(minor, Currency.EUR), rounding);

        Assert.Equal(Money.Of(expected, Currency.EUR), share);
    }

    [Fact]
    public void A_percentage_of_a_huge_amount_is_exact()
    {
        var amount = Money.Of(long.MaxValue, Currency.JPY);

        var share = Percentage.Parse("33.33").Of(amount, MidpointRounding.AwayFromZero);

        // 9223372036854775807 * 3333 / 10000 = 3074149899883696776.4731 (a double cannot even hold it)
        Assert.Equal(3074149899883696776, share.Minor);
        Assert.Equal(amount, Percentage.Hundred.Of(amount, MidpointRounding.ToEven));
    }
}
