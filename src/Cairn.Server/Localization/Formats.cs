using System.Globalization;
using System.Text;
using Cairn.Domain;

namespace Cairn.Server.Localization;

/// <summary>
/// How amounts and dates are written for people, in one place: the web app, the portal and the
/// PDFs ask here (the API keeps its strict decimal strings, <see cref="Money.ToDecimalString"/>).
/// English writes <c>3,600.00 EUR</c> and <c>2026-11-02</c>; German and Dutch <c>3.600,00 EUR</c>,
/// French <c>3 600,00 EUR</c> (with a no-break space), Spanish <c>3.600,00 EUR</c>, each with its
/// own date order. The separators are written here rather than taken from .NET cultures, which
/// the server runs without (invariant globalization).
/// </summary>
public static class Formats
{
    /// <summary>An amount with its currency code, e.g. <c>12,000.00 EUR</c> in English, <c>12.000,00 EUR</c> in German.</summary>
    public static string Amount(Money money, Language language = Language.En) => $"{Number(money, language)} {money.Currency.Code}";

    /// <summary>A sum over many amounts (a report or dashboard total) with its currency code, written like <see cref="Amount(Money, Language)"/>.</summary>
    public static string Amount(MoneyTotal total, Language language = Language.En) => $"{Number(total.Minor, total.Currency, language)} {total.Currency.Code}";

    /// <summary>An amount without currency, with the currency's minor digits and the language's separators, e.g. <c>3,600.00</c>.</summary>
    public static string Number(Money money, Language language = Language.En) => Number(money.Minor, money.Currency, language);

    // Decimal arithmetic: exact for every amount, the most negative one included, and for sums beyond one amount's range.
    private static string Number(decimal minor, Currency currency, Language language)
    {
        var (group, point) = Separators(language);
        var digits = currency.MinorDigits;
        var perMajor = (decimal)currency.MinorPerMajor;
        var negative = minor < 0;
        var magnitude = Math.Abs(decimal.Truncate(minor));
        var major = decimal.Truncate(magnitude / perMajor).ToString(CultureInfo.InvariantCulture);
        var text = new StringBuilder(major.Length + 8);
        if (negative)
            text.Append('-');
        for (var i = 0; i < major.Length; i++)
        {
            if (i > 0 && (major.Length - i) % 3 == 0)
                text.Append(group);
            text.Append(major[i]);
        }

        if (digits > 0)
            text.Append(point).Append((magnitude % perMajor).ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0'));
        return text.ToString();
    }

    /// <summary>A calendar date: ISO 8601 in English (<c>2026-11-02</c>), <c>02.11.2026</c> in German, <c>02/11/2026</c> in French and Spanish, <c>02-11-2026</c> in Dutch; empty for none.</summary>
    public static string Date(DateOnly? date, Language language = Language.En) =>
        date?.ToString(language switch
        {
            Language.De => "dd.MM.yyyy",
            Language.Fr or Language.Es => "dd/MM/yyyy",
            Language.Nl => "dd-MM-yyyy",
            _ => "yyyy-MM-dd",
        }, CultureInfo.InvariantCulture) ?? "";

    /// <summary>A number with at most one decimal, with the language's decimal point, e.g. <c>1.5</c> in English, <c>1,5</c> in German.</summary>
    public static string OneDecimal(decimal value, Language language = Language.En) =>
        value.ToString("0.#", CultureInfo.InvariantCulture).Replace('.', Separators(language).Point);

    /// <summary>
    /// A moment as the organization's clock shows it (<see cref="BusinessCalendar"/>): its date there
    /// (written like <see cref="Date"/>) and <c>HH:mm</c>, e.g. <c>2026-11-02 15:05</c> or
    /// <c>02.11.2026 15:05</c> in Europe/Berlin for 14:05 UTC.
    /// </summary>
    public static string Moment(DateTimeOffset at, Language language, BusinessCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        return $"{Date(calendar.DayOf(at), language)} {calendar.TimeOf(at).ToString("HH:mm", CultureInfo.InvariantCulture)}";
    }

    /// <summary>A <see cref="Moment"/> with the time zone it is told in, for text read away from Cairn (emails, PDFs), e.g. <c>08.12.2026 17:30 (Europe/Berlin)</c>.</summary>
    public static string MomentWithZone(DateTimeOffset at, Language language, BusinessCalendar calendar) =>
        $"{Moment(at, language, calendar)} ({calendar.TimeZoneId})";

    private static (string Group, char Point) Separators(Language language) => language switch
    {
        Language.De or Language.Nl or Language.Es => (".", ','),
        Language.Fr => ("\u00A0", ','),
        _ => (",", '.'),
    };
}
