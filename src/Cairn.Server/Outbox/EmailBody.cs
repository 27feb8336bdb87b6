using System.Net;
using System.Text;

namespace Cairn.Server.Outbox;

/// <summary>
/// The organization's look in the HTML part of its emails to clients: its name as a heading in its
/// accent, and links as buttons in its accent with white text (the accent's contrast with white is at
/// least 4.5:1, <see cref="Domain.AccentColour"/>). The logo is not put in emails: a remote image would
/// be blocked by most mail programs and tell the sender when the email is opened, and an inline
/// (<c>cid:</c>) copy would add its bytes to every email; the name stands in for it.
/// </summary>
/// <param name="OrganizationName">The name shown at the top.</param>
/// <param name="Accent">The colour of the name and the buttons.</param>
internal sealed record EmailLook(string OrganizationName, Domain.AccentColour Accent)
{
    /// <summary>The look of <paramref name="organization"/>'s emails.</summary>
    public static EmailLook Of(Domain.Organization organization) => new(organization.Name, organization.AccentOrDefault);

    /// <summary>The heading with the organization's name, in its accent.</summary>
    public string Header() =>
        $"<p style=\"font-size:20px;font-weight:bold;margin:0 0 16px;color:{Accent.Hex}\">{WebUtility.HtmlEncode(OrganizationName)}</p>";
}

/// <summary>
/// The content of a notification email written once and rendered twice: as the plain-text part and
/// as the HTML alternative (every value HTML-encoded), so both parts always say the same thing.
/// </summary>
internal sealed class EmailBody
{
    private readonly List<(string Kind, string Text, IReadOnlyList<string> Items)> _blocks = [];

    /// <summary>A paragraph; a <c>\n</c> in it is a line break.</summary>
    public EmailBody Paragraph(string text)
    {
        _blocks.Add(("p", text, []));
        return this;
    }

    /// <summary>A small heading followed by its text (empty text: the heading is left out).</summary>
    public EmailBody Section(string heading, string text)
    {
        if (!string.IsNullOrWhiteSpace(text))
            _blocks.Add(("section", heading, [text]));
        return this;
    }

    /// <summary>A bulleted list (no items: left out); an item that is an http(s) address is a link in HTML.</summary>
    public EmailBody List(string? heading, IReadOnlyList<string> items)
    {
        if (items.Count > 0)
            _blocks.Add(("list", heading ?? "", items));
        return this;
    }

    /// <summary>A link on a line of its own, after its lead-in.</summary>
    public EmailBody Link(string leadIn, string url)
    {
        _blocks.Add(("link", leadIn, [url]));
        return this;
    }

    /// <summary>The plain-text part.</summary>
    public string Text()
    {
        var text = new StringBuilder();
        foreach (var (kind, value, items) in _blocks)
        {
            switch (kind)
            {
                case "p":
                    text.Append(value).Append("\n\n");
                    break;
                case "section":
                    text.Append(value).Append(":\n").Append(items[0]).Append("\n\n");
                    break;
                case "list":
                    if (value.Length > 0)
                        text.Append(value).Append(":\n");
                    foreach (var item in items)
                        text.Append("- ").Append(item).Append('\n');
                    text.Append('\n');
                    break;
                case "link":
                    text.Append(value).Append('\n').Append(items[0]).Append("\n\n");
                    break;
            }
        }

        return text.ToString().TrimEnd() + "\n";
    }

    /// <summary>The HTML part: a plain document that any mail client shows; with <paramref name="look"/>, in the organization's look (its name on top, links as buttons in its accent).</summary>
    public string Html(string title, EmailLook? look = null)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>").Append(Encode(title)).Append("</title></head>")
            .Append("<body style=\"font-family:sans-serif;line-height:1.5;color:#1a1a1a\">");
        if (look is not null)
            html.Append(look.Header());
        foreach (var (kind, value, items) in _blocks)
        {
            switch (kind)
            {
                case "p":
                    html.Append("<p>").Append(Lines(value)).Append("</p>");
                    break;
                case "section":
                    html.Append("<h3>").Append(Encode(value)).Append("</h3><p>").Append(Lines(items[0])).Append("</p>");
                    break;
                case "list":
                    if (value.Length > 0)
                        html.Append("<h3>").Append(Encode(value)).Append("</h3>");
                    html.Append("<ul>");
                    foreach (var item in items)
                        html.Append("<li>").Append(IsLink(item) ? Anchor(item) : Encode(item)).Append("</li>");
                    html.Append("</ul>");
                    break;
                case "link" when look is not null:
                    html.Append("<p>").Append(Encode(value)).Append("</p><p><a href=\"").Append(Encode(items[0]))
                        .Append("\" style=\"display:inline-block;padding:10px 18px;border-radius:4px;font-weight:bold;text-decoration:none;color:#ffffff;background-color:")
                        .Append(look.Accent.Hex).Append("\">").Append(Encode(ButtonLabel(value))).Append("</a></p><p style=\"font-size:12px;color:#555555\">")
                        .Append(Anchor(items[0])).Append("</p>");
                    break;
                case "link":
                    html.Append("<p>").Append(Encode(value)).Append("<br>").Append(Anchor(items[0])).Append("</p>");
                    break;
            }
        }

        return html.Append("</body></html>").ToString();
    }

    // "Review it in your client portal:" becomes the button "Review it in your client portal".
    private static string ButtonLabel(string leadIn) => leadIn.TrimEnd(' ', ':', '：');

    private static bool IsLink(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);

    private static string Anchor(string url) => $"<a href=\"{Encode(url)}\">{Encode(url)}</a>";

    private static string Lines(string text) => string.Join("<br>", text.Split('\n').Select(Encode));

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
