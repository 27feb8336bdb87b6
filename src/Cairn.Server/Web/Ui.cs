using System.Globalization;
using System.Net;
using Cairn.Domain;
using Cairn.Server.Localization;
using Cairn.Server.Requests;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc.ViewFeatures;

namespace Cairn.Server.Web;

/// <summary>How the web app writes amounts, dates and states for people.</summary>
public static class Ui
{
    /// <summary>An amount with thousands separators and its currency, e.g. <c>12,000.00 EUR</c> (<see cref="Formats.Amount"/>).</summary>
    public static string Money(Money money, Language language = Language.En) => Formats.Amount(money, language);

    /// <summary>A sum over many amounts, written like <see cref="Money(Domain.Money)"/>.</summary>
    public static string Money(MoneyTotal total) => Formats.Amount(total);

    /// <summary>An amount or a sum as the API gives it, written like <see cref="Money(Domain.Money)"/>; report sums may exceed what one amount can be.</summary>
    public static string Money(MoneyJson money)
    {
        var currency = Currency.Of(money.Currency);
        return Money(new MoneyTotal(decimal.Parse(money.Amount, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture) * currency.MinorPerMajor, currency));
    }

    /// <summary>A date as <c>yyyy-MM-dd</c> (<see cref="Formats.Date"/>), or a dash.</summary>
    public static string Date(DateOnly? date, Language language = Language.En) => date is null ? "—" : Formats.Date(date, language);

    /// <summary>A file size for people: bytes, KB or MB (1 MB = 1,048,576 bytes, as the upload limits count), in a language's words and decimal point.</summary>
    public static string FileSize(long bytes, Language language = Language.En) => bytes switch
    {
        < 1024 => Wording.Format(Wording.For(language).Portal.Bytes, bytes),
        < 1048576 => Formats.OneDecimal(bytes / 1024m, language) + " KB",
        _ => Formats.OneDecimal(bytes / 1048576m, language) + " MB",
    };

    /// <summary>
    /// A moment on the organization's clock, in the page's language (<see cref="Formats.Moment"/>):
    /// both come from the view data the page filled (<see cref="PortalLanguage"/>, <see cref="PageClock"/>).
    /// </summary>
    public static string When(DateTimeOffset at, ViewDataDictionary viewData) => Formats.Moment(at, PortalLanguage.Of(viewData), PageClock.Of(viewData));

    /// <summary>A <c>datalist</c> of the IANA time zones the server knows, for a time-zone field to suggest from.</summary>
    public static IHtmlContent TimeZoneList(string id) => new HtmlString(
        $"<datalist id=\"{id}\">" + string.Concat(TimeZoneIds.Value.Select(z => $"<option value=\"{WebUtility.HtmlEncode(z)}\"></option>")) + "</datalist>");

    private static readonly Lazy<string[]> TimeZoneIds = new(() => [.. TimeZoneInfo.GetSystemTimeZones().Where(z => z.HasIanaId).Select(z => z.Id).Order(StringComparer.Ordinal)]);

    /// <summary>An enum value as words, e.g. <c>InProgress</c> → "in progress".</summary>
    public static string Words<T>(T value)
        where T : struct, Enum => Inputs.NameOf(value).Replace('_', ' ');

    /// <summary>A state as a small labelled badge; the colour follows the word, the word carries the meaning.</summary>
    public static IHtmlContent Badge<T>(T value)
        where T : struct, Enum => Badge(value, Language.En);

    /// <summary>A state as a badge in a client's language (<see cref="PortalWording.StateOf{T}"/>); the colour follows the state's API name.</summary>
    public static IHtmlContent Badge<T>(T value, Language language)
        where T : struct, Enum
    {
        var name = Inputs.NameOf(value);
        return new HtmlString($"<span class=\"badge badge-{name}\">{WebUtility.HtmlEncode(Wording.For(language).Portal.StateOf(value))}</span>");
    }

    /// <summary>A share as a whole percentage between 0 and 100.</summary>
    public static int Percent(long part, long whole) => whole <= 0 ? 0 : (int)Math.Clamp(part * 100 / whole, 0, 100);

    /// <summary>A labelled progress bar (the native element, so assistive technology reads it).</summary>
    public static IHtmlContent Progress(string label, long part, long whole, string id)
    {
        var percent = Percent(part, whole);
        return new HtmlString(
            $"<div class=\"progress\"><label for=\"{id}\">{WebUtility.HtmlEncode(label)} <span class=\"muted\">{percent}%</span></label>" +
            $"<progress id=\"{id}\" max=\"100\" value=\"{percent}\">{percent}%</progress></div>");
    }
}

/// <summary>Flags shown as badges beside a state.</summary>
public enum BillingFlag
{
    /// <summary>The client disputes it; it is not chased.</summary>
    Disputed,

    /// <summary>Past its due date with a balance.</summary>
    Overdue,
}
