using Cairn.Domain;
using Cairn.Server.Data;
using Cairn.Server.Identity;
using Cairn.Server.Localization;
using Cairn.Server.Requests;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Web;

/// <summary>
/// A page of the client portal: before any handler runs it learns the language of the contact's
/// client, so the page, its flashes, its refusals and the layout speak it (<see cref="PortalWording"/>).
/// Without a portal session it stays English.
/// </summary>
public abstract class PortalPage : WebPage
{
    /// <summary>The client's language (English until the contact is known).</summary>
    public Language Language { get; private set; } = Language.En;

    /// <summary>The document labels in <see cref="Language"/>.</summary>
    public Wording Words => Wording.For(Language);

    /// <summary>The portal's texts in <see cref="Language"/>.</summary>
    public PortalWording Text => Words.Portal;

    /// <inheritdoc />
    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        ViewData["Portal"] = true;
        Language = await PortalLanguage.OfContactAsync(HttpContext);
        PortalLanguage.Use(ViewData, Language);
        await PageClock.Fill(ViewData, HttpContext);
        await next();
    }

    /// <summary>Speaks <paramref name="language"/> from here on (a page that knows its reader's language without a session).</summary>
    protected void Speak(Language language)
    {
        Language = language;
        PortalLanguage.Use(ViewData, language);
    }

    /// <inheritdoc />
    protected override string CorrectThis => Text.PleaseCorrect;

    /// <summary>A refusal in the client's language by its code; English, and any code the catalogue does not know, keep the domain's own message.</summary>
    protected override string Say(Failure failure) =>
        Language != Language.En && Text.Refusals.TryGetValue(failure.Code, out var words) ? words : failure.Message;
}

/// <summary>The language a portal page chose, as its layout and shared partials read it from the view data.</summary>
public static class PortalLanguage
{
    private const string Key = "Language";

    /// <summary>Records the language for the layout (the HTML <c>lang</c> attribute) and the partials.</summary>
    public static void Use(ViewDataDictionary viewData, Language language)
    {
        viewData[Key] = language;
        viewData["Lang"] = Wording.Languages[(int)language].Code;
    }

    /// <summary>
    /// The language of the client whose contact has the request's portal session; without one (an
    /// ended session), the browser's most preferred of the portal's languages (<see cref="OfBrowser"/>).
    /// </summary>
    public static async Task<Language> OfContactAsync(HttpContext http)
    {
        if (await http.PortalCallerAsync() is not { } contact)
            return OfBrowser(http.Request);
        var db = http.RequestServices.GetRequiredService<CairnDb>();
        db.ScopeTo(contact);
        return await db.Clients.AsNoTracking().Where(c => c.Id == contact.ClientId).Select(c => c.Language).SingleOrDefaultAsync(http.RequestAborted);
    }

    /// <summary>
    /// The first of the portal's languages in the request's <c>Accept-Language</c> (RFC 9110 §12.5.4),
    /// by quality then order, matched on the primary subtag (<c>de-AT</c> is German); English when none.
    /// </summary>
    public static Language OfBrowser(HttpRequest request)
    {
        var wanted = request.GetTypedHeaders().AcceptLanguage
            .Where(l => l.Quality is not 0)
            .Select((l, order) => (Tag: l.Value.Value ?? "", Quality: l.Quality ?? 1, Order: order))
            .OrderByDescending(l => l.Quality).ThenBy(l => l.Order);
        foreach (var (tag, _, _) in wanted)
        {
            var primary = tag.Split('-')[0];
            var index = Wording.Languages.ToList().FindIndex(l => string.Equals(l.Code, primary, StringComparison.OrdinalIgnoreCase));
            if (index >= 0)
                return (Language)index;
        }

        return Language.En;
    }

    /// <summary>The language of the page being rendered; English for staff pages.</summary>
    public static Language Of(ViewDataDictionary viewData) => viewData[Key] is Language language ? language : Language.En;

    /// <summary>The portal's texts in the page's language.</summary>
    public static PortalWording Text(ViewDataDictionary viewData) => Wording.For(Of(viewData)).Portal;
}

/// <summary>
/// The clock a page tells times by: the organization's time zone (<see cref="Organization.TimeZone"/>),
/// for its staff and for its clients' contacts alike, so "submitted 14:05" means the same moment to
/// both. Pages fill it before their handler runs (<see cref="Fill"/>); partials read it from the view data.
/// </summary>
public static class PageClock
{
    private const string Key = "Clock";

    /// <summary>The calendar of the page being rendered; UTC when the page knows no organization.</summary>
    public static BusinessCalendar Of(ViewDataDictionary viewData) => viewData[Key] as BusinessCalendar ?? BusinessCalendar.Utc;

    /// <summary>Records the organization's calendar of the request's caller (staff or portal contact) in the view data; UTC without one.</summary>
    public static async Task Fill(ViewDataDictionary viewData, HttpContext http)
    {
        var db = http.RequestServices.GetRequiredService<CairnDb>();
        if (Caller.From(http.User) is not { IsContact: false })
        {
            // Staff requests are scoped to their organization by the request pipeline; a contact's here.
            if (await http.PortalCallerAsync() is not { } contact)
                return;
            db.ScopeTo(contact);
        }

        var zone = await db.Organizations.AsNoTracking().Select(o => o.TimeZone).SingleOrDefaultAsync(http.RequestAborted);
        viewData[Key] = zone is null ? BusinessCalendar.Utc : BusinessCalendar.Of(zone);
    }
}
