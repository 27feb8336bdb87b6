using System.Text.RegularExpressions;

namespace Cairn.Server.Web;

/// <summary>
/// The one place web forms read amounts as people type them (issue 12, stumble 5): thousands
/// separators written the way Cairn shows amounts in English ("12,000.00", "12 000.00"), in German,
/// Dutch or Spanish ("12.000,00") or in French ("12 000,00"), a decimal comma ("250,50") and the
/// currency code Cairn writes after them ("12,000.00 EUR") are accepted; then the amount goes to the
/// same strict parser as the API, which stays strict. What could mean two amounts is left to that
/// parser to refuse: "12.000" (twelve, or twelve thousand) has more decimals than EUR allows.
/// </summary>
public static partial class FormNumbers
{
    /// <summary>
    /// The typed amount as the API's decimal string (e.g. <c>12000.00</c>) when it is written with
    /// grouping separators, a decimal comma or the given ISO 4217 currency code; otherwise the text as
    /// typed, trimmed, for the strict parser to accept or refuse with its own message.
    /// </summary>
    public static string? Amount(string? typed, string? currency)
    {
        if (typed is null)
            return null;
        var text = typed.Trim();
        if (currency is { Length: 3 } && text.EndsWith(currency, StringComparison.OrdinalIgnoreCase))
            text = text[..^3].TrimEnd();
        var compact = Spaces().Replace(text, "");
        if (CommaGrouped().IsMatch(compact))
            return compact.Replace(",", "", StringComparison.Ordinal);
        if (DotGrouped().IsMatch(compact))
            return compact.Replace(".", "", StringComparison.Ordinal).Replace(',', '.');
        if (SpaceGrouped().IsMatch(text) || DecimalComma().IsMatch(text))
            return compact.Replace(',', '.');
        return text;
    }

    // 1,234 / 12,000.00 / -1,234,567.5: groups of exactly three digits after the first comma.
    [GeneratedRegex(@"^-?\d{1,3}(,\d{3})+(\.\d+)?$")]
    private static partial Regex CommaGrouped();

    // 12.000,00 / 1.234.567,5: dots between groups of three, then a decimal comma (which tells it from 12.000).
    [GeneratedRegex(@"^-?\d{1,3}(\.\d{3})+,\d+$")]
    private static partial Regex DotGrouped();

    // 12 000.00 / 12 000,00 with ordinary, no-break or thin spaces between groups of three.
    [GeneratedRegex(@"^-?\d{1,3}([ \u00A0\u202F]\d{3})+([.,]\d+)?$")]
    private static partial Regex SpaceGrouped();

    // 250,5 / 12000,00: a decimal comma with one or two digits after it; three digits after a lone
    // comma are a thousands group (1,250 is one thousand two hundred and fifty).
    [GeneratedRegex(@"^-?\d+,\d{1,2}$")]
    private static partial Regex DecimalComma();

    [GeneratedRegex(@"[ \u00A0\u202F]")]
    private static partial Regex Spaces();
}
