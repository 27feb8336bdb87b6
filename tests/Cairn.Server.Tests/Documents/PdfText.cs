using System.Text;
using System.Text.RegularExpressions;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Content;

namespace Cairn.Server.Tests.Documents;

/// <summary>
/// A PDF read back as a viewer's search and copy see it: the text of each page in the order it
/// was written, runs of text that do not touch separated by a space.
/// </summary>
public sealed partial class PdfText
{
    private PdfText(IReadOnlyList<string> pages, IReadOnlyList<(double Width, double Height)> sizes)
    {
        Pages = pages;
        Sizes = sizes;
    }

    /// <summary>The text of each page, its words separated by single spaces.</summary>
    public IReadOnlyList<string> Pages { get; }

    /// <summary>Each page's size in points.</summary>
    public IReadOnlyList<(double Width, double Height)> Sizes { get; }

    /// <summary>All pages' text.</summary>
    public string All => string.Join(" ", Pages);

    public static PdfText Read(byte[] pdf)
    {
        Assert.True(pdf.Length > 4 && pdf[0] == '%' && pdf[1] == 'P' && pdf[2] == 'D' && pdf[3] == 'F', "not a PDF");
        using var document = PdfDocument.Open(pdf);
        var pages = document.GetPages().ToList();
        return new PdfText(
            pages.Select(p => TextOf(p.Letters)).ToList(),
            pages.Select(p => (p.Width, p.Height)).ToList());
    }

    /// <summary>Asserts that the text appears in the document, showing the text when it does not.</summary>
    public void Shows(string expected) => Assert.True(All.Contains(expected, StringComparison.Ordinal), $"'{expected}' not found in: {All}");

    /// <summary>Asserts that the text appears on page <paramref name="page"/> (1-based).</summary>
    public void ShowsOnPage(int page, string expected) =>
        Assert.True(Pages[page - 1].Contains(expected, StringComparison.Ordinal), $"'{expected}' not found on page {page}: {Pages[page - 1]}");

    /// <summary>
    /// Letters in content order; a jump to another line or column starts a new word. Letters touch
    /// when the next starts where the previous ends (left to right), ends where the previous starts
    /// (right to left: Arabic, Hebrew), or sits on it (a combining mark); a mark raised or lowered
    /// by the shaper stays on its line.
    /// </summary>
    private static string TextOf(IReadOnlyList<Letter> letters)
    {
        var text = new StringBuilder();
        Letter? previous = null;
        foreach (var letter in letters)
        {
            if (previous is not null && !Touching(previous, letter))
                text.Append(' ');

            text.Append(letter.Value);
            previous = letter;
        }

        return Spaces().Replace(text.ToString(), " ").Trim();
    }

    private static bool Touching(Letter previous, Letter letter)
    {
        var size = Math.Max(1, Math.Max(previous.PointSize, letter.PointSize));
        if (Math.Abs(letter.StartBaseLine.Y - previous.EndBaseLine.Y) >= Math.Max(0.5, size * 0.5))
            return false;
        var tolerance = Math.Max(0.5, size * 0.08);
        var leftToRight = letter.StartBaseLine.X - previous.EndBaseLine.X;
        var rightToLeft = previous.StartBaseLine.X - letter.EndBaseLine.X;
        var onPrevious = letter.StartBaseLine.X >= Math.Min(previous.StartBaseLine.X, previous.EndBaseLine.X) - tolerance
            && letter.StartBaseLine.X <= Math.Max(previous.StartBaseLine.X, previous.EndBaseLine.X) + tolerance;
        return Math.Abs(leftToRight) < tolerance || Math.Abs(rightToLeft) < tolerance || onPrevious;
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
