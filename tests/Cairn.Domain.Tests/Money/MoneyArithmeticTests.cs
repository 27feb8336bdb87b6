namespace Cairn.Domain.Tests;

public sealed class MoneyArithmeticTests
{
    private static readonly Money TenEuros = Money.Of(1000, Currency.EUR);
    private static readonly Money TenDollars = Money.Of(1000, Currency.USD);

    [Fact]
    public void Amounts_of_one_currency_add_subtract_and_negate()
    {
        var three = Money.Of(300, Currency.EUR);

        Assert.Equal(Money.Of(1300, Currency.EUR), TenEuros + three);
        Assert.Equal(Money.Of(700, Currency.EUR), TenEuros - three);
        Assert.Equal(Money.Of(-700, Currency.EUR), three - TenEuros);
        Assert.Equal(Money.Of(-1000, Currency.EUR), -TenEuros);
    }

    [Fact]
    public void Amounts_of_one_currency_compare_by_value()
    {
        var three = Money.Of(300, Currency.EUR);

        Assert.True(three < TenEuros);
        Assert.True(TenEuros > three);
        var alsoThree = Money.Of(300, Currency.EUR);
        Assert.True(three <= TenEuros && three <= alsoThree);
        Assert.True(TenEuros >= three && three >= alsoThree);
        Assert.Equal(-1, three.CompareTo(TenEuros));
        Assert.Equal(three, TenEuros.Min(three));
        Assert.Equal(three, three.Min(TenEuros));
    }

    [Fact]
    public void The_sign_is_reported()
    {
        Assert.True(Money.Zero(Currency.JPY).IsZero);
        Assert.False(Money.Zero(Currency.JPY).IsPositive || Money.Zero(Currency.JPY).IsNegative);
        Assert.True(TenEuros.IsPositive);
        Assert.True((-TenEuros).IsNegative);
    }

    public static TheoryData<string, Func<Money, Money, object>> Operations => new()
    {
        { "+", (a, b) => a + b },
        { "-", (a, b) => a - b },
        { "<", (a, b) => a < b },
        { ">", (a, b) => a > b },
        { "<=", (a, b) => a <= b },
        { ">=", (a, b) => a >= b },
        { "CompareTo", (a, b) => a.CompareTo(b) },
        { "Min", (a, b) => a.Min(b) },
        { "Sum", (a, b) => Money.Sum(a.Currency, [a, b]) },
    };

    [Theory]
    [MemberData(nameof(Operations))]
    public void Mixing_currencies_is_an_error_not_a_conversion(string operation, Func<Money, Money, object> apply)
    {
        var ex = Assert.Throws<DomainException>(() => apply(TenEuros, TenDollars));

        var mismatch = Assert.IsType<CurrencyMismatch>(ex.Error);
        Assert.Equal("currency_mismatch", mismatch.Code);
        Assert.Equal("EUR", mismatch.Expected);
        Assert.Equal("USD", mismatch.Actual);
        Assert.False(string.IsNullOrEmpty(operation));
    }

    [Fact]
    public void Equal_minor_units_in_different_currencies_are_not_equal_amounts()
    {
        Assert.NotEqual(TenEuros, TenDollars);
        Assert.False(TenEuros == TenDollars);
    }

    public static TheoryData<string, Func<Money>> Overflows => new()
    {
        { "max + 1", () => Money.Of(long.MaxValue, Currency.EUR) + Money.Of(1, Currency.EUR) },
        { "min - 1", () => Money.Of(long.MinValue, Currency.EUR) - Money.Of(1, Currency.EUR) },
        { "min + min", () => Money.Of(long.MinValue, Currency.JPY) + Money.Of(long.MinValue, Currency.JPY) },
        { "-min", () => -Money.Of(long.MinValue, Currency.BHD) },
        { "sum", () => Money.Sum(Currency.EUR, [Money.Of(long.MaxValue / 2, Currency.EUR), Money.Of(long.MaxValue / 2, Currency.EUR), Money.Of(2, Currency.EUR)]) },
    };

    [Theory]
    [MemberData(nameof(Overflows))]
    public void Overflow_is_a_too_large_error_not_a_wrapped_amount(string operation, Func<Money> apply)
    {
        var ex = Assert.Throws<DomainException>(() => apply());

        Assert.Equal("amount_too_large", ex.Error.Code);
        Assert.False(string.IsNullOrEmpty(operation));
    }

    [Fact]
    public void A_sum_of_nothing_is_zero_in_the_given_currency()
    {
        Assert.Equal(Money.Zero(Currency.KWD), Money.Sum(Currency.KWD, []));
    }

    [Fact]
    public void A_sum_adds_every_item()
    {
        var items = new[] { 100L, -30, 5 }.Select(m => Money.Of(m, Currency.GBP));

        Assert.Equal(Money.Of(75, Currency.GBP), Money.Sum(Currency.GBP, items));
    }

    [Fact]
    public void A_sum_refuses_items_of_another_currency_even_when_they_are_all_alike()
    {
        var ex = Assert.Throws<DomainException>(() => Money.Sum(Currency.EUR, [TenDollars]));

        Assert.IsType<CurrencyMismatch>(ex.Error);
    }

    [Fact]
    public void An_amount_needs_a_currency()
    {
        Assert.Throws<ArgumentNullException>(() => Money.Of(1, null!));
        Assert.Throws<ArgumentNullException>(() => TenEuros with { Currency = null! });
    }
}
