using System.Globalization;

namespace Cairn.Domain;

/// <summary>
/// A tax rate from 0% to 100% with up to four decimals (e.g. Quebec's QST, 9.975%), stored as
/// parts per million of the taxed amount: 20% = 200000, 9.975% = 99750.
/// </summary>
/// <param name="PerMillion">Parts per million, from 0 (0%) to 1000000 (100%).</param>
public readonly record struct TaxRate(int PerMillion) : IComparable<TaxRate>
{
    /// <summary>The most decimals a rate may have, as a percentage.</summary>
    public const int MaxDecimals = 4;

    private const int Million = 1_000_000;

    private readonly int _perMillion = InRange(PerMillion);

    /// <summary>Parts per million, from 0 (0%) to 1000000 (100%).</summary>
    public int PerMillion { get => _perMillion; init => _perMillion = InRange(value); }

    /// <summary>0%.</summary>
    public static TaxRate Zero { get; } = new(0);

    /// <summary>Whether this rate is 0%.</summary>
    public bool IsZero => PerMillion == 0;

    /// <summary>The same rate as a percentage with two decimals (every such percentage is a tax rate).</summary>
    public static implicit operator TaxRate(Percentage percentage) => new(percentage.BasisPoints * 100);

    private static int InRange(int perMillion) => perMillion is >= 0 and <= Million
        ? perMillion
        : throw new ArgumentOutOfRangeException(nameof(perMillion), perMillion, "A tax rate is between 0 and 1000000 parts per million.");

    /// <summary>Reads a plain decimal percentage from 0 to 100 with at most four decimals: <c>20</c>, <c>5.5</c>, <c>9.975</c>.</summary>
    /// <exception cref="DomainException"><c>invalid_percentage</c> naming <paramref name="field"/> when the text is not such a rate.</exception>
    public static TaxRate Parse(string? text, string field = "taxRate")
    {
        if (string.IsNullOrEmpty(text) || !text.All(c => char.IsAsciiDigit(c) || c == '.') || !char.IsAsciiDigit(text[0]) || !char.IsAsciiDigit(text[^1])
            || !decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var percent))
        {
            throw new DomainException(new DomainError("invalid_percentage", $"Tax rate \"{text}\" must be a plain decimal percentage without a '%' sign, e.g. \"20\" or \"9.975\".", field));
        }

        var dot = text.IndexOf('.');
        if (dot >= 0 && text.Length - dot - 1 > MaxDecimals)
            throw new DomainException(new DomainError("invalid_percentage", $"Tax rate \"{text}\" has {text.Length - dot - 1} decimal places; a tax rate has at most {MaxDecimals}.", field));
        if (percent > 100)
            throw new DomainException(new DomainError("invalid_percentage", $"Tax rate \"{text}\" must be between 0 and 100.", field));
        return new TaxRate((int)(percent * (Million / 100)));
    }

    /// <summary>The shortest decimal form without a '%' sign: <c>20</c>, <c>5.5</c>, <c>9.975</c>.</summary>
    public string ToDecimalString() =>
        ((decimal)PerMillion / (Million / 100)).ToString("0.####", CultureInfo.InvariantCulture);

    /// <summary>The form EN 16931 writes (BT-96, BT-119): two decimals at least, e.g. <c>20.00</c>, <c>9.975</c>.</summary>
    public string ToDocumentString() =>
        ((decimal)PerMillion / (Million / 100)).ToString("0.00##", CultureInfo.InvariantCulture);

    /// <summary>The decimal form with a '%' sign, e.g. <c>9.975%</c>.</summary>
    public override string ToString() => ToDecimalString() + "%";

    /// <summary>Orders rates by size.</summary>
    public int CompareTo(TaxRate other) => PerMillion.CompareTo(other.PerMillion);

    /// <summary>Whether the left rate is smaller.</summary>
    public static bool operator <(TaxRate left, TaxRate right) => left.PerMillion < right.PerMillion;

    /// <summary>Whether the left rate is larger.</summary>
    public static bool operator >(TaxRate left, TaxRate right) => left.PerMillion > right.PerMillion;

    /// <summary>Whether the left rate is smaller or equal.</summary>
    public static bool operator <=(TaxRate left, TaxRate right) => left.PerMillion <= right.PerMillion;

    /// <summary>Whether the left rate is larger or equal.</summary>
    public static bool operator >=(TaxRate left, TaxRate right) => left.PerMillion >= right.PerMillion;

    /// <summary>This rate of <paramref name="amount"/>, rounded once to the currency's minor unit with <paramref name="rounding"/>.</summary>
    public Money Of(Money amount, MidpointRounding rounding)
    {
        // minor * ppm fits in decimal's 96-bit mantissa and dividing by a million is exact, so only the rounding rounds.
        var exact = (decimal)amount.Minor * PerMillion / Million;
        return new Money((long)decimal.Round(exact, 0, rounding), amount.Currency);
    }
}
