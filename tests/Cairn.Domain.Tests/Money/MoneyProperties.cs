using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Cairn.Domain.Tests;

public sealed class MoneyProperties
{
    private static readonly Arbitrary<Money> Amounts =
        MoneyGen.Currency.Zip(MoneyGen.Minor, (currency, minor) => Money.Of(minor, currency)).ToArbitrary();

    [Property(MaxTest = 5000)]
    public Property Parsing_the_formatted_amount_gives_the_amount_back() =>
        Prop.ForAll(Amounts, money => Money.Parse(money.ToDecimalString(), money.Currency) == money);

    [Property(MaxTest = 2000)]
    public Property The_formatted_amount_is_the_exact_decimal_with_the_currencys_decimals() =>
        Prop.ForAll(Amounts, money =>
        {
            var digits = money.Currency.MinorDigits;
            var exact = money.Minor / (decimal)money.Currency.MinorPerMajor;
            return money.ToDecimalString() == exact.ToString("F" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        });

    [Property(MaxTest = 2000)]
    public Property Shorter_decimals_are_padded_not_rejected() =>
        Prop.ForAll(Amounts, money =>
        {
            // Dropping trailing zeros of the fraction must not change the amount.
            var text = money.ToDecimalString();
            var trimmed = text.Contains('.') ? text.TrimEnd('0') : text;
            trimmed = trimmed.EndsWith('.') ? trimmed[..^1] : trimmed;
            return Money.Parse(trimmed, money.Currency) == money;
        });
}
