using System.Globalization;

namespace Cairn.Domain;

/// <summary>
/// A sum of many amounts of one currency, such as a report figure over the whole book. It counts
/// minor units in a <see cref="decimal"/> (28 digits), so adding up any number of accepted amounts
/// stays exact and never overflows, where a <see cref="Money"/> (a 64-bit count) would.
/// </summary>
/// <param name="Minor">The sum in minor units, a whole number.</param>
/// <param name="Currency">The currency of every amount in the sum.</param>
public readonly record struct MoneyTotal(decimal Minor, Currency Currency)
{
    /// <summary>Whether the sum is greater than zero.</summary>
    public bool IsPositive => Minor > 0;

    /// <summary>Zero in the given currency.</summary>
    public static MoneyTotal Zero(Currency currency) => new(0m, currency);

    /// <summary>The sum holding one amount.</summary>
    public static MoneyTotal Of(Money money) => new(money.Minor, money.Currency);

    /// <summary>The API form, like <see cref="Money.ToDecimalString"/>: exactly the currency's number of decimals, '.' separator, no grouping.</summary>
    public string ToDecimalString() =>
        (Minor / Currency.MinorPerMajor).ToString(Currency.MinorDigits < Formats.Length ? Formats[Currency.MinorDigits] : "0." + new string('0', Currency.MinorDigits), CultureInfo.InvariantCulture);

    // The format for each number of minor digits ISO 4217 uses, built once.
    private static readonly string[] Formats = ["0", "0.0", "0.00", "0.000", "0.0000"];

    /// <summary>The amount and its currency code, e.g. <c>3000.00 EUR</c>.</summary>
    public override string ToString() => $"{ToDecimalString()} {Currency.Code}";

    /// <summary>Adds two sums of the same currency.</summary>
    /// <exception cref="DomainException"><c>currency_mismatch</c> when the currencies differ.</exception>
    public static MoneyTotal operator +(MoneyTotal left, MoneyTotal right) => new(left.Minor + Same(left, right).Minor, left.Currency);

    /// <summary>Subtracts a sum from another of the same currency.</summary>
    /// <exception cref="DomainException"><c>currency_mismatch</c> when the currencies differ.</exception>
    public static MoneyTotal operator -(MoneyTotal left, MoneyTotal right) => new(left.Minor - Same(left, right).Minor, left.Currency);

    private static MoneyTotal Same(MoneyTotal left, MoneyTotal right) =>
        left.Currency == right.Currency ? right : throw new DomainException(new CurrencyMismatch(left.Currency.Code, right.Currency.Code, "amount"));
}
