using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Html;

namespace Cairn.Server.Web;

/// <summary>
/// Shows a comment's plain text as HTML: everything escaped, and each http(s) address made a link
/// that tells search engines and the opened page nothing (<c>rel="noopener nofollow ugc"</c>).
/// </summary>
public static partial class CommentText
{
    /// <summary>The comment's text, escaped, with its links.</summary>
    public static IHtmlContent Render(string body)
    {
        var html = new StringBuilder();
        var at = 0;
        foreach (Match link in Link().Matches(body))
        {
            html.Append(WebUtility.HtmlEncode(body[at..link.Index]));
            var url = WebUtility.HtmlEncode(link.Value);
            html.Append("<a href=\"").Append(url).Append("\" rel=\"noopener nofollow ugc\">").Append(url).Append("</a>");
            at = link.Index + link.Length;
        }

        html.Append(WebUtility.HtmlEncode(body[at..]));
        return new HtmlString(html.ToString());
    }

    // An address ends before whitespace, quotes and angle brackets, and before closing punctuation.
    [GeneratedRegex(@"https?://[^\s<>""']+?(?=[.,;:!?)\]]*(?:\s|$|[<>""']))", RegexOptions.IgnoreCase)]
    private static partial Regex Link();
}

/// <summary>What the comment thread partial shows: one milestone's or change order's thread, and who is looking.</summary>
public sealed record CommentThreadView(Domain.CommentSubject Subject, Guid SubjectId, string Title, IReadOnlyList<Billing.CommentEntry> Entries, Domain.Actor Viewer, DateTimeOffset Now, WebPage Page);
