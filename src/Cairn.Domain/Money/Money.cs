using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Cairn.Domain;

/// <summary>
/// An exact amount of one currency, counted in the currency's minor units (cents for EUR, yen for JPY, fils for BHD).
/// Arithmetic and comparisons refuse to mix currencies; <c>default(Money)</c> has no currency and is not a valid amount.
/// </summary>
/// <param name="Minor">The amount in minor units, e.g. 300000 for EUR 3000.00.</param>
/// <param name="Currency">The currency the amount is in.</param>
public readonly record struct Money(long Minor, Currency Currency) : IComparable<Money>
{
    /// <summary>The largest absolute amount, in minor units, that <see cref="Parse"/> accepts: fifteen nines.</summary>
    public const long MaxInputMinor = 999_999_999_999_999;

    /// <summary>
    /// The most, in minor units (eighteen nines), that one client's running totals may reach in one
    /// currency: payments received, and invoices billed (gross less credit notes). Far above any real
    /// business, and low enough that every sum over a client's documents fits in 64 bits.
    /// </summary>
    public const long MaxClientTotalMinor = 999_999_999_999_999_999;

    private readonly Currency _currency = Currency ?? throw new ArgumentNullException(nameof(Currency));

    /// <summary>The currency the amount is in.</summary>
    public Currency Currency { get => _currency; init => _currency = value ?? throw new ArgumentNullException(nameof(value)); }

    /// <summary>Whether the amount is exactly zero.</summary>
    public bool IsZero => Minor == 0;

    /// <summary>Whether the amount is greater than zero.</summary>
    public bool IsPositive => Minor > 0;

    /// <summary>Whether the amount is less than zero.</summary>
    public bool IsNegative => Minor < 0;

    /// <summary>Zero in the given currency.</summary>
    public static Money Zero(Currency currency) => new(0, currency);

    /// <summary>The amount of <paramref name="minor"/> minor units of <paramref name="currency"/>.</summary>
    public static Money Of(long minor, Currency currency) => new(minor, currency);

    /// <summary>
    /// Reads an API decimal string such as <c>3000.00</c>: an optional '-', digits, and at most the currency's
    /// number of decimals after a '.'; never rounds.
    /// </summary>
    /// <exception cref="DomainException"><c>invalid_amount</c> naming <paramref name="field"/> when the text is not such an amount.</exception>
    public static Money Parse(string? text, Currency currency, string field = "amount")
    {
        if (TryParse(text, currency, out var money, out var error))
        {
            return money;
        }

        throw new DomainException(new DomainError("invalid_amount", error, field));
    }

    /// <summary>Reads an API decimal string like <see cref="Parse"/>, returning a message that names the problem instead of throwing.</summary>
    public static bool TryParse(string? text, Currency currency, out Money money, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(currency);
        money = default;
        error = ParseMinor(text, currency, out var minor);
        if (error is not null)
        {
            return false;
        }

        money = new Money(minor, currency);
        return true;
    }

    private static string? ParseMinor(string? text, Currency currency, out long minor)
    {
        minor = 0;
        if (string.IsNullOrEmpty(text))
        {
            return "An amount is required, e.g. \"3000.00\".";
        }

        var negative = text[0] == '-';
        var i = negative ? 1 : 0;
        var integerStart = i;
        long magnitude = 0;
        var tooLarge = false;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            tooLarge |= AppendDigit(ref magnitude, text[i]);
            i++;
        }

        if (i == integerStart)
        {
            return DescribeMalformed(text) ?? $"Amount \"{text}\" must start with a digit (after an optional '-'), e.g. \"0.50\".";
        }

        var decimals = 0;
        if (i < text.Length && text[i] == '.')
        {
            i++;
            var fractionStart = i;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                if (i - fractionStart < currency.MinorDigits)
                {
                    tooLarge |= AppendDigit(ref magnitude, text[i]);
                }

                i++;
            }

            decimals = i - fractionStart;
            if (decimals == 0 && i == text.Length)
            {
                return $"Amount \"{text}\" must have at least one digit after the '.'.";
            }
        }

        if (i < text.Length)
        {
            return DescribeMalformed(text)
                ?? $"Amount \"{text}\" is not a decimal amount: use digits, an optional leading '-' and one '.', e.g. \"3000.00\".";
        }

        if (decimals > 0 && currency.MinorDigits == 0)
        {
            return $"Amount \"{text}\" has decimals, but {currency.Code} has no minor unit: write a whole number.";
        }

        if (decimals > currency.MinorDigits)
        {
            return $"Amount \"{text}\" has {decimals} decimal places, but {currency.Code} has {currency.MinorDigits}.";
        }

        for (var pad = decimals; pad < currency.MinorDigits && !tooLarge; pad++)
        {
            tooLarge |= AppendDigit(ref magnitude, '0');
        }

        if (tooLarge)
        {
            return $"Amount \"{text}\" is too large: at most {new Money(MaxInputMinor, currency).ToDecimalString()} {currency.Code}.";
        }

        minor = negative ? -magnitude : magnitude;
        return null;
    }

    // Names the common mistakes precisely; anything else gets the general message.
    private static string? DescribeMalformed(string text)
    {
        if (text.Any(char.IsWhiteSpace))
        {
            return $"Amount \"{text}\" must not contain spaces.";
        }

        if (text[0] == '+')
        {
            return $"Amount \"{text}\" must not start with '+'; write positive amounts without a sign.";
        }

        if (text.Contains(',') || text.Contains('\''))
        {
            return $"Amount \"{text}\" must use '.' as the decimal separator and no thousands separators.";
        }

        if (HasExponent(text))
        {
            return $"Amount \"{text}\" must be a plain decimal, without an exponent.";
        }

        return null;
    }

    private static bool HasExponent(string text)
    {
        var e = text.AsSpan().IndexOfAny('e', 'E');
        return e > 0 && e + 1 < text.Length && (char.IsAsciiDigit(text[e + 1]) || text[e + 1] is '+' or '-');
    }

    // Returns true once the magnitude would pass MaxInputMinor; then the magnitude stops growing, so it never overflows.
    private static bool AppendDigit(ref long magnitude, char digit)
    {
        if (magnitude > (MaxInputMinor - (digit - '0')) / 10)
        {
            return true;
        }

        magnitude = (magnitude * 10) + (digit - '0');
        return false;
    }

    /// <summary>The API form: exactly the currency's number of decimals, '.' separator, no grouping, e.g. <c>-5.00</c>, <c>3000</c> (JPY), <c>1.250</c> (BHD).</summary>
    public string ToDecimalString()
    {
        // Unsigned magnitude so that long.MinValue formats too. Written into one buffer and allocated once
        // (a contract's answer formats some fifty amounts; issue 16).
        var magnitude = Minor < 0 ? (ulong)(-(Minor + 1)) + 1 : (ulong)Minor;
        var perMajor = (ulong)Currency.MinorPerMajor;
        var digits = Currency.MinorDigits;
        Span<char> text = stackalloc char[24 + digits];
        var length = 0;
        if (Minor < 0)
            text[length++] = '-';
        (magnitude / perMajor).TryFormat(text[length..], out var written, default, CultureInfo.InvariantCulture);
        length += written;
        if (digits > 0)
        {
            text[length++] = '.';
            var fraction = magnitude % perMajor;
            for (var at = length + digits - 1; at >= length; at--)
            {
                text[at] = (char)('0' + (int)(fraction % 10));
                fraction /= 10;
            }

            length += digits;
        }

        return new string(text[..length]);
    }

    /// <summary>The amount and its currency code, e.g. <c>3000.00 EUR</c>.</summary>
    public override string ToString() => $"{ToDecimalString()} {Currency.Code}";

    /// <summary>Orders amounts of the same currency by value.</summary>
    /// <exception cref="DomainException"><c>currency_mismatch</c> when the currencies differ.</exception>
    public int CompareTo(Money other)
    {
        RequireSameCurrency(other);
        return Minor.CompareTo(other.Minor);
    }

    /// <summary>The smaller of this amount and <paramref name="other"/>, which must be in the same currency.</summary>
    public Money Min(Money other) => CompareTo(other) <= 0 ? this : other;

    /// <summary>Adds up amounts that must all be in <paramref name="currency"/>; an empty sequence sums to zero.</summary>
    /// <exception cref="DomainException"><c>currency_mismatch</c> for an item in another currency, <c>amount_too_large</c> on overflow.</exception>
    public static Money Sum(Currency currency, IEnumerable<Money> items)
    {
        ArgumentNullException.ThrowIfNull(currency);
        ArgumentNullException.ThrowIfNull(items);
        var total = Zero(currency);
        foreach (var item in items)
        {
            total += item;
        }

        return total;
    }

    /// <summary>Adds two amounts of the same currency.</summary>
    public static Money operator +(Money left, Money right)
    {
        left.RequireSameCurrency(right);
        try
        {
            return new Money(checked(left.Minor + right.Minor), left.Currency);
        }
        catch (OverflowException)
        {
            throw TooLarge(left.Currency);
        }
    }

    /// <summary>Subtracts an amount from another of the same currency.</summary>
    public static Money operator -(Money left, Money right)
    {
        left.RequireSameCurrency(right);
        try
        {
            return new Money(checked(left.Minor - right.Minor), left.Currency);
        }
        catch (OverflowException)
        {
            throw TooLarge(left.Currency);
        }
    }

    /// <summary>The amount with its sign flipped.</summary>
    public static Money operator -(Money value)
    {
        try
        {
            return new Money(checked(-value.Minor), value.Currency);
        }
        catch (OverflowException)
        {
            throw TooLarge(value.Currency);
        }
    }

    /// <summary>Whether the left amount is smaller; both must be in the same currency.</summary>
    public static bool operator <(Money left, Money right) => left.CompareTo(right) < 0;

    /// <summary>Whether the left amount is larger; both must be in the same currency.</summary>
    public static bool operator >(Money left, Money right) => left.CompareTo(right) > 0;

    /// <summary>Whether the left amount is smaller or equal; both must be in the same currency.</summary>
    public static bool operator <=(Money left, Money right) => left.CompareTo(right) <= 0;

    /// <summary>Whether the left amount is larger or equal; both must be in the same currency.</summary>
    public static bool operator >=(Money left, Money right) => left.CompareTo(right) >= 0;

    private void RequireSameCurrency(Money other)
    {
        if (!Currency.Equals(other.Currency))
        {
            throw new DomainException(new CurrencyMismatch(Currency.Code, other.Currency.Code));
        }
    }

    private static DomainException TooLarge(Currency currency) => new(new DomainError(
        "amount_too_large", $"The result is too large to represent as an amount in {currency.Code}."));
}
