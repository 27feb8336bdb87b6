using System.Net;
using System.Text;

namespace Cairn.Server.Outbox;

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

    /// <summary>The HTML part: a plain document that any mail client shows.</summary>
    public string Html(string title)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>").Append(Encode(title)).Append("</title></head>")
            .Append("<body style=\"font-family:sans-serif;line-height:1.5;color:#1a1a1a\">");
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
                case "link":
                    html.Append("<p>").Append(Encode(value)).Append("<br>").Append(Anchor(items[0])).Append("</p>");
                    break;
            }
        }

        return html.Append("</body></html>").ToString();
    }

    private static bool IsLink(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);

    private static string Anchor(string url) => $"<a href=\"{Encode(url)}\">{Encode(url)}</a>";

    private static string Lines(string text) => string.Join("<br>", text.Split('\n').Select(Encode));

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
