using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Cairn.Domain;

/// <summary>
/// A percentage from 0 to 100 with two decimals, stored as basis points (hundredths of a percent): 20% = 2000, 33.33% = 3333.
/// Used for tax rates and for milestone shares of a contract value.
/// </summary>
/// <param name="BasisPoints">Hundredths of a percent, from 0 (0%) to 10000 (100%).</param>
public readonly record struct Percentage(int BasisPoints) : IComparable<Percentage>
{
    private const int MaxBasisPoints = 10_000;

    private readonly int _basisPoints = InRange(BasisPoints);

    /// <summary>Hundredths of a percent, from 0 (0%) to 10000 (100%).</summary>
    public int BasisPoints { get => _basisPoints; init => _basisPoints = InRange(value); }

    /// <summary>0%.</summary>
    public static Percentage Zero { get; } = new(0);

    /// <summary>100%.</summary>
    public static Percentage Hundred { get; } = new(MaxBasisPoints);

    /// <summary>The percentage of <paramref name="bp"/> hundredths of a percent.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="bp"/> is outside 0..10000.</exception>
    public static Percentage FromBasisPoints(int bp) => new(bp);

    private static int InRange(int basisPoints) => basisPoints is >= 0 and <= MaxBasisPoints
        ? basisPoints
        : throw new ArgumentOutOfRangeException(nameof(basisPoints), basisPoints, "A percentage is between 0 and 10000 basis points.");

    /// <summary>Reads a decimal string from 0 to 100 with at most two decimals, e.g. <c>30</c>, <c>12.5</c>, <c>33.33</c>.</summary>
    /// <exception cref="DomainException"><c>invalid_percentage</c> naming <paramref name="field"/> when the text is not such a percentage.</exception>
    public static Percentage Parse(string? text, string field = "percentage")
    {
        if (TryParse(text, out var value, out var error))
        {
            return value;
        }

        throw new DomainException(new DomainError("invalid_percentage", error, field));
    }

    /// <summary>Reads a percentage like <see cref="Parse"/>, returning a message that names the problem instead of throwing.</summary>
    public static bool TryParse(string? text, out Percentage value, [NotNullWhen(false)] out string? error)
    {
        value = default;
        error = ParseBasisPoints(text, out var basisPoints);
        if (error is not null)
        {
            return false;
        }

        value = new Percentage(basisPoints);
        return true;
    }

    private static string? ParseBasisPoints(string? text, out int basisPoints)
    {
        basisPoints = 0;
        if (string.IsNullOrEmpty(text))
        {
            return "A percentage is required, e.g. \"20\" or \"12.5\".";
        }

        if (text[0] == '-')
        {
            return $"Percentage \"{text}\" must be between 0 and 100.";
        }

        var i = 0;
        var value = 0;
        var tooLarge = false;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            AppendDigit(ref value, ref tooLarge, text[i]);
            i++;
        }

        if (i == 0)
        {
            return DescribeMalformed(text) ?? $"Percentage \"{text}\" must start with a digit, e.g. \"0.5\".";
        }

        var decimals = 0;
        if (i < text.Length && text[i] == '.')
        {
            i++;
            var fractionStart = i;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                if (i - fractionStart < 2)
                {
                    AppendDigit(ref value, ref tooLarge, text[i]);
                }

                i++;
            }

            decimals = i - fractionStart;
            if (decimals == 0 && i == text.Length)
            {
                return $"Percentage \"{text}\" must have at least one digit after the '.'.";
            }
        }

        if (i < text.Length)
        {
            return DescribeMalformed(text)
                ?? $"Percentage \"{text}\" is not a decimal number: use digits and an optional '.', e.g. \"33.33\".";
        }

        if (decimals > 2)
        {
            return $"Percentage \"{text}\" has {decimals} decimal places; percentages have at most 2.";
        }

        for (var pad = decimals; pad < 2; pad++)
        {
            AppendDigit(ref value, ref tooLarge, '0');
        }

        if (tooLarge)
        {
            return $"Percentage \"{text}\" must be between 0 and 100.";
        }

        basisPoints = value;
        return null;
    }

    // Digits only ever make the value larger, so once past 100% it stays too large; stopping there avoids overflow.
    private static void AppendDigit(ref int value, ref bool tooLarge, char digit)
    {
        if (!tooLarge)
        {
            value = (value * 10) + (digit - '0');
            tooLarge = value > MaxBasisPoints;
        }
    }

    private static string? DescribeMalformed(string text)
    {
        if (text.Any(char.IsWhiteSpace))
        {
            return $"Percentage \"{text}\" must not contain spaces.";
        }

        if (text.EndsWith('%'))
        {
            return $"Percentage \"{text}\" must be written without the '%' sign, e.g. \"20\".";
        }

        if (text[0] == '+')
        {
            return $"Percentage \"{text}\" must not start with '+'.";
        }

        if (text.Contains(','))
        {
            return $"Percentage \"{text}\" must use '.' as the decimal separator.";
        }

        if (HasExponent(text))
        {
            return $"Percentage \"{text}\" must be a plain decimal, without an exponent.";
        }

        return null;
    }

    private static bool HasExponent(string text)
    {
        var e = text.AsSpan().IndexOfAny('e', 'E');
        return e > 0 && e + 1 < text.Length && (char.IsAsciiDigit(text[e + 1]) || text[e + 1] is '+' or '-');
    }

    /// <summary>The shortest decimal form without a '%' sign: <c>30</c>, <c>12.5</c>, <c>33.33</c>.</summary>
    public string ToDecimalString()
    {
        var whole = (BasisPoints / 100).ToString(CultureInfo.InvariantCulture);
        var fraction = BasisPoints % 100;
        if (fraction == 0)
        {
            return whole;
        }

        return fraction % 10 == 0
            ? $"{whole}.{(fraction / 10).ToString(CultureInfo.InvariantCulture)}"
            : $"{whole}.{fraction.ToString("D2", CultureInfo.InvariantCulture)}";
    }

    /// <summary>The decimal form with a '%' sign, e.g. <c>12.5%</c>.</summary>
    public override string ToString() => ToDecimalString() + "%";

    /// <summary>Orders percentages by size.</summary>
    public int CompareTo(Percentage other) => BasisPoints.CompareTo(other.BasisPoints);

    /// <summary>Whether the left percentage is smaller.</summary>
    public static bool operator <(Percentage left, Percentage right) => left.BasisPoints < right.BasisPoints;

    /// <summary>Whether the left percentage is larger.</summary>
    public static bool operator >(Percentage left, Percentage right) => left.BasisPoints > right.BasisPoints;

    /// <summary>Whether the left percentage is smaller or equal.</summary>
    public static bool operator <=(Percentage left, Percentage right) => left.BasisPoints <= right.BasisPoints;

    /// <summary>Whether the left percentage is larger or equal.</summary>
    public static bool operator >=(Percentage left, Percentage right) => left.BasisPoints >= right.BasisPoints;

    /// <summary>This percentage of <paramref name="amount"/>, rounded to the currency's minor unit with <paramref name="rounding"/>.</summary>
    public Money Of(Money amount, MidpointRounding rounding)
    {
        // minor * bp fits in decimal's 96-bit mantissa and dividing by 10000 is exact, so only the rounding rounds.
        var exact = (decimal)amount.Minor * BasisPoints / MaxBasisPoints;
        return new Money((long)decimal.Round(exact, 0, rounding), amount.Currency);
    }
}
