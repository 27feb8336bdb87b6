using System.Globalization;
using System.Text.RegularExpressions;

namespace Cairn.Domain;

/// <summary>A document number drawn from a series: the series key, its position, and the printed text.</summary>
public sealed record InvoiceNumber(string Series, long Sequence, string Text);

/// <summary>
/// A number format such as <c>INV-{yyyy}-{seq:000000}</c>. The date parts pick the series (so a
/// yearly series restarts at 1 each year); <c>{seq}</c> is the gap-free position within it.
/// </summary>
public sealed partial record NumberFormat
{
    private NumberFormat(string pattern) => Pattern = pattern;

    /// <summary>The pattern as configured.</summary>
    public string Pattern { get; }

    /// <summary>Checks and wraps a format; it needs exactly one <c>{seq}</c> placeholder and only known placeholders.</summary>
    public static NumberFormat Parse(string? pattern, string field = "invoiceSeriesFormat")
    {
        if (string.IsNullOrWhiteSpace(pattern) || pattern.Length > 60)
            throw new DomainException(new DomainError("invalid_series_format", "A number format is 1 to 60 characters, e.g. INV-{yyyy}-{seq:000000}.", field));
        var placeholders = Placeholder().Matches(pattern);
        if (placeholders.Count(m => m.Groups["name"].Value == "seq") != 1)
            throw new DomainException(new DomainError("invalid_series_format", "A number format needs exactly one {seq} or {seq:000000} placeholder.", field));
        foreach (Match m in placeholders)
        {
            if (m.Groups["name"].Value is not ("seq" or "yyyy" or "yy" or "MM"))
                throw new DomainException(new DomainError("invalid_series_format", $"Unknown placeholder {m.Value}; use {{yyyy}}, {{yy}}, {{MM}} and {{seq:000000}}.", field));
            if (m.Groups["name"].Value == "seq" && m.Groups["fmt"].Success && !m.Groups["fmt"].Value.All(c => c == '0'))
                throw new DomainException(new DomainError("invalid_series_format", "The {seq} padding is written as zeros, e.g. {seq:000000}.", field));
        }

        var outside = Placeholder().Replace(pattern, "");
        if (outside.Contains('{') || outside.Contains('}'))
            throw new DomainException(new DomainError("invalid_series_format", "Braces are only used around placeholders.", field));
        return new NumberFormat(pattern);
    }

    /// <summary>The series key for documents issued on a date: the format with its date parts filled in.</summary>
    public string SeriesFor(DateOnly issueDate) => Placeholder().Replace(Pattern, m => m.Groups["name"].Value switch
    {
        "yyyy" => issueDate.Year.ToString("0000", CultureInfo.InvariantCulture),
        "yy" => (issueDate.Year % 100).ToString("00", CultureInfo.InvariantCulture),
        "MM" => issueDate.Month.ToString("00", CultureInfo.InvariantCulture),
        _ => "{seq}",
    });

    /// <summary>The printed number for a position in the series of a date.</summary>
    public InvoiceNumber Number(DateOnly issueDate, long sequence)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sequence, 1);
        var series = SeriesFor(issueDate);
        var seqFormat = Placeholder().Matches(Pattern).First(m => m.Groups["name"].Value == "seq").Groups["fmt"];
        var text = series.Replace("{seq}", sequence.ToString(seqFormat.Success ? seqFormat.Value : "0", CultureInfo.InvariantCulture), StringComparison.Ordinal);
        return new InvoiceNumber(series, sequence, text);
    }

    [GeneratedRegex(@"\{(?<name>[A-Za-z]+)(:(?<fmt>[^}]*))?\}")]
    private static partial Regex Placeholder();
}
