using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Cairn.Server.Tests.Infrastructure;

/// <summary>
/// A browser-like client: keeps cookies, does not follow redirects, and posts forms with the
/// antiforgery token of the last page it read, as a real form on that page would. Like a browser
/// navigating, it asks for HTML first (<c>Accept: text/html, …</c>).
/// </summary>
public sealed partial class Browser
{
    public Browser(CairnApp app)
    {
        Http = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        Http.DefaultRequestHeaders.Accept.ParseAdd("text/html,application/xhtml+xml;q=0.9,*/*;q=0.8");
    }

    public HttpClient Http { get; }

    /// <summary>The antiforgery token of the last page read (the hidden form field or the csrf-token meta tag).</summary>
    public string? Token { get; private set; }

    /// <summary>GETs a page and remembers its antiforgery token.</summary>
    public async Task<(HttpStatusCode Status, string Html, HttpResponseMessage Response)> GetAsync(string path)
    {
        var response = await Http.GetAsync(path);
        var html = await response.Content.ReadAsStringAsync();
        var token = TokenField().Match(html) is { Success: true } field ? field.Groups[1].Value
            : TokenMeta().Match(html) is { Success: true } meta ? meta.Groups[1].Value
            : null;
        if (token is not null)
            Token = WebUtility.HtmlDecode(token);
        return (response.StatusCode, html, response);
    }

    /// <summary>POSTs a form with the remembered antiforgery token (or without any, to play a forged cross-site form).</summary>
    public async Task<HttpResponseMessage> PostFormAsync(string path, IDictionary<string, string> fields, bool withToken = true)
    {
        var all = new Dictionary<string, string>(fields);
        if (withToken && Token is not null)
            all["__RequestVerificationToken"] = Token;
        return await Http.PostAsync(path, new FormUrlEncodedContent(all));
    }

    /// <summary>POSTs a multipart form with one file (the part named <paramref name="fileField"/>) and the remembered antiforgery token.</summary>
    public async Task<HttpResponseMessage> PostFilesAsync(string path, IDictionary<string, string> fields, string fileField, string fileName, byte[] content)
    {
        var all = new Dictionary<string, string>(fields);
        if (Token is not null)
            all["__RequestVerificationToken"] = Token;
        return await Http.PostAsync(path, Multipart.Of(fileName, content, fileField, all));
    }

    /// <summary>Reads the sign-in page and signs in; returns the answer to the POST.</summary>
    public async Task<HttpResponseMessage> SignInAsync(string email, string password)
    {
        await GetAsync("/signin");
        return await PostFormAsync("/signin", new Dictionary<string, string> { ["Email"] = email, ["Password"] = password });
    }

    /// <summary>
    /// What a browser would post from the form whose opening tag contains <paramref name="marker"/>: each named
    /// input's value (checkboxes and radios only when checked, buttons left out) and each textarea's text, decoded.
    /// </summary>
    public static Dictionary<string, string> FieldsOf(string html, string marker)
    {
        var start = html.LastIndexOf("<form", html.IndexOf(marker, StringComparison.Ordinal), StringComparison.Ordinal);
        var form = html[start..html.IndexOf("</form>", start, StringComparison.Ordinal)];
        var fields = new Dictionary<string, string>();
        foreach (Match input in InputTag().Matches(form))
        {
            var tag = input.Value;
            if (Attribute(tag, "name") is not { } name || name == "__RequestVerificationToken")
                continue;
            var type = Attribute(tag, "type") ?? "text";
            if (type is "checkbox" or "radio" && !CheckedAttribute().IsMatch(tag))
                continue;
            fields[name] = Attribute(tag, "value") ?? (type is "checkbox" or "radio" ? "on" : "");
        }

        foreach (Match area in TextareaTag().Matches(form))
            fields[WebUtility.HtmlDecode(area.Groups[1].Value)] = WebUtility.HtmlDecode(area.Groups[2].Value);
        return fields;
    }

    private static string? Attribute(string tag, string name) =>
        Regex.Match(tag, $"\\s{name}=\"([^\"]*)\"") is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : null;

    [GeneratedRegex("<input\\b[^>]*>")]
    private static partial Regex InputTag();

    [GeneratedRegex("\\schecked(=\"checked\")?[\\s>]")]
    private static partial Regex CheckedAttribute();

    [GeneratedRegex("<textarea\\b[^>]*\\sname=\"([^\"]*)\"[^>]*>(.*?)</textarea>", RegexOptions.Singleline)]
    private static partial Regex TextareaTag();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();

    [GeneratedRegex("<meta name=\"csrf-token\" content=\"([^\"]+)\"")]
    private static partial Regex TokenMeta();
}
