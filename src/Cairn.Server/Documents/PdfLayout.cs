using System.Globalization;
using PdfSharp;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace Cairn.Server.Documents;

/// <summary>The paper a document is printed on.</summary>
public enum Paper
{
    /// <summary>ISO A4, 210 × 297 mm: everywhere but North America.</summary>
    A4,

    /// <summary>US Letter, 8.5 × 11 in.</summary>
    Letter,
}

/// <summary>
/// Flows a document top to bottom over as many pages as it needs: text that wraps, rows that
/// move to the next page whole with the page header repeated, and "Page i of N" footers
/// written once the page count is known.
/// </summary>
internal sealed partial class PdfLayout : IDisposable
{
    public const double Margin = 50;
    private const double FooterHeight = 28;

    private static readonly XPdfFontOptions FontOptions = new(PdfFontEncoding.Automatic);
    private static readonly XStringFormat BaseLine = XStringFormats.BaseLineLeft;

    private readonly PdfDocument _document = new();
    private readonly List<XGraphics> _pages = [];
    private readonly Paper _paper;
    private readonly Action<PdfLayout> _continuationHeader;
    private readonly ShapedFonts _shaped = new();
    private XGraphics _graphics = null!;
    private double _pageHeight;

    public PdfLayout(Paper paper, string title, string author, Action<PdfLayout> continuationHeader)
    {
        _ = FontsInstalled;
        _paper = paper;
        _continuationHeader = continuationHeader;
        _document.Info.Title = title;
        _document.Info.Author = author;
        _document.Info.Creator = "Cairn";

        // Invoices are small: the fastest deflate costs a few KiB per file and saves a quarter of the render time.
        _document.Options.FlateEncodeMode = PdfFlateEncodeMode.BestSpeed;
        AddPage();
    }

    /// <summary>
    /// Makes the file the same bytes every time it is rendered: the document's dates and its file
    /// identifiers (the trailer's /ID and the XMP ids) come from the document, not from the clock or
    /// a random number, so an emailed invoice and its download are byte for byte equal.
    /// </summary>
    /// <param name="id">The document's id (an invoice's id).</param>
    /// <param name="createdAt">When the document was made (an invoice's issue time).</param>
    public void Identify(Guid id, DateTimeOffset createdAt)
    {
        _document.Info.CreationDate = createdAt.UtcDateTime;
        _document.Info.ModificationDate = createdAt.UtcDateTime;
        var bytes = id.ToByteArray();
        var identifier = new string(bytes.Select(b => (char)b).ToArray());
        _document.Internals.FirstDocumentID = identifier;
        _document.Internals.SecondDocumentID = identifier;
        _identity = id;
    }

    private Guid? _identity;
    private byte[]? _facturX;

    /// <summary>
    /// Makes the finished file a Factur-X invoice (PDF/A-3B with the XML embedded, see <see cref="FacturX"/>).
    /// The document must be identified first: the XML's date and the XMP's id are the document's.
    /// </summary>
    /// <param name="cii">The CII XML (EN 16931) of the document the PDF shows.</param>
    public void EmbedFacturX(byte[] cii)
    {
        if (_identity is null)
            throw new InvalidOperationException("Identify the document before embedding its Factur-X XML.");
        _facturX = cii;
    }

    // PDFsharp names each embedded font subset with a random six-letter tag (ISO 32000-1 §9.6.4); an
    // identified document gets tags numbered in order instead, of the same length so no offset moves.
    // The same goes for the random uuids of the XMP metadata (xmpMM:DocumentID, InstanceID): they become the document's id.
    private static byte[] Stable(byte[] pdf, Guid id)
    {
        var text = XmpUuid().Replace(System.Text.Encoding.Latin1.GetString(pdf), "uuid:" + id.ToString("D"));
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        var stable = SubsetTag().Replace(text, m =>
        {
            if (!tags.TryGetValue(m.Groups[1].Value, out var tag))
            {
                var n = tags.Count;
                tag = string.Concat(Enumerable.Range(0, 6).Select(i => (char)('A' + (n / (int)Math.Pow(26, 5 - i) % 26))));
                tags[m.Groups[1].Value] = tag;
            }

            return "/" + tag + "+";
        });
        return System.Text.Encoding.Latin1.GetBytes(stable);
    }

    [System.Text.RegularExpressions.GeneratedRegex("uuid:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")]
    private static partial System.Text.RegularExpressions.Regex XmpUuid();

    [System.Text.RegularExpressions.GeneratedRegex("/([A-Z]{6})\\+")]
    private static partial System.Text.RegularExpressions.Regex SubsetTag();

    // Declared before the fonts: static initializers run in textual order, and PDFsharp needs its resolver before the first XFont.
    private static readonly bool FontsInstalled = DocumentFonts.EnsureInstalled();

    public static readonly XFont Body = new(DocumentFonts.Family, 9.5, XFontStyleEx.Regular, FontOptions);
    public static readonly XFont BodyBold = new(DocumentFonts.Family, 9.5, XFontStyleEx.Bold, FontOptions);
    public static readonly XFont Small = new(DocumentFonts.Family, 8, XFontStyleEx.Regular, FontOptions);
    public static readonly XFont SmallBold = new(DocumentFonts.Family, 8, XFontStyleEx.Bold, FontOptions);
    public static readonly XFont Heading = new(DocumentFonts.Family, 11, XFontStyleEx.Bold, FontOptions);
    public static readonly XFont Party = new(DocumentFonts.Family, 14, XFontStyleEx.Bold, FontOptions);
    public static readonly XFont Title = new(DocumentFonts.Family, 22, XFontStyleEx.Bold, FontOptions);
    public static readonly XFont Total = new(DocumentFonts.Family, 11, XFontStyleEx.Bold, FontOptions);

    public static readonly XBrush Ink = XBrushes.Black;
    public static readonly XBrush Muted = new XSolidBrush(XColor.FromArgb(96, 96, 96));
    public static readonly XBrush Accent = new XSolidBrush(XColor.FromArgb(31, 78, 121));
    public static readonly XBrush Shade = new XSolidBrush(XColor.FromArgb(236, 240, 244));
    public static readonly XPen Rule = new(XColor.FromArgb(200, 205, 210), 0.5);
    public static readonly XPen StrongRule = new(XColor.FromArgb(31, 78, 121), 1.2);

    private readonly List<XImage> _images = [];
    private DocumentBrand _brand = DocumentBrand.Cairn;

    /// <summary>The organization's logo and accent on this document; Cairn's own accent and no logo until set.</summary>
    public DocumentBrand Brand
    {
        get => _brand;
        set
        {
            _brand = value;
            var colour = XColor.FromArgb(value.Accent.Red, value.Accent.Green, value.Accent.Blue);
            AccentBrush = new XSolidBrush(colour);
            AccentRule = new XPen(colour, 1.2);
        }
    }

    /// <summary>The brush of the seller's name, the title and other accented text: the <see cref="Brand"/>'s accent.</summary>
    public XBrush AccentBrush { get; private set; } = Accent;

    /// <summary>The pen of strong rules (above totals): the <see cref="Brand"/>'s accent.</summary>
    public XPen AccentRule { get; private set; } = StrongRule;

    /// <summary>Draws a PNG or JPEG image at (<paramref name="x"/>, <paramref name="top"/>), as large as fits the box while keeping its proportions; returns its size in points.</summary>
    public (double Width, double Height) Image(byte[] content, double x, double top, double maxWidth, double maxHeight)
    {
        var image = XImage.FromStream(new MemoryStream(content, writable: false));
        _images.Add(image);
        var scale = Math.Min(maxWidth / image.PixelWidth, maxHeight / image.PixelHeight);
        var (width, height) = (image.PixelWidth * scale, image.PixelHeight * scale);
        _graphics.DrawImage(image, x, top, width, height);
        return (width, height);
    }

    /// <summary>
    /// Whether the PDF library can embed <paramref name="content"/> (PNG or JPEG): a logo that passes the
    /// upload checks but cannot be drawn (a broken or unusual encoding) is refused on upload, so that it
    /// never makes a document fail later.
    /// </summary>
    public static bool CanDraw(byte[] content)
    {
        try
        {
            using var layout = new PdfLayout(Paper.A4, "logo", "Cairn", _ => { });
            layout.Image(content, layout.Left, layout.Y, 100, 100);
            layout.Finish("");
            return true;
        }
#pragma warning disable CA1031 // The image decoders throw many kinds of exceptions for a bad file; each means the same: it cannot be drawn.
        catch (Exception)
#pragma warning restore CA1031
        {
            return false;
        }
    }

    /// <summary>The top of the free space on the current page.</summary>
    public double Y { get; set; }

    public double Left { get; } = Margin;

    public double Right => PageWidth - Margin;

    public double Width => Right - Left;

    public double PageWidth { get; private set; }

    public double Bottom { get; private set; }

    public int PageCount => _pages.Count;

    /// <summary>Leaves the rest of the page empty and continues on a new one, below the repeated header.</summary>
    public void BreakPage()
    {
        AddPage();
        _continuationHeader(this);
    }

    /// <summary>Moves to a new page unless <paramref name="height"/> fits below <see cref="Y"/>.</summary>
    /// <returns>Whether a new page was started.</returns>
    public bool Reserve(double height)
    {
        if (Y + height <= Bottom)
            return false;
        BreakPage();
        return true;
    }

    /// <summary>
    /// Draws one line of text whose line box starts at <paramref name="top"/>. With <paramref name="lineFont"/>,
    /// the text sits on the baseline of that (larger) font, so a small label lines up with its value.
    /// </summary>
    /// <remarks>
    /// Text that DejaVu draws as it is goes straight to PDFsharp; text in other scripts is split
    /// into runs, shaped with HarfBuzz in a Noto face that has its characters, and written in
    /// reading order (see <see cref="TextRuns"/>).
    /// </remarks>
    public void Text(string text, XFont font, XBrush brush, double x, double top, XFont? lineFont = null)
    {
        if (text.Length == 0)
            return;
        var baseline = top + Ascent(lineFont ?? font);
        if (TextRuns.IsPlain(text))
        {
            _graphics.DrawString(text, font, brush, x, baseline, BaseLine);
            return;
        }

        var colour = brush is XSolidBrush solid ? (solid.Color.R / 255.0, solid.Color.G / 255.0, solid.Color.B / 255.0) : (0.0, 0.0, 0.0);
        foreach (var run in Lay(text, font))
        {
            if (run.Face is null)
            {
                _graphics.DrawString(run.Text, font, brush, x + run.X, baseline, BaseLine);
                continue;
            }

            // Save and Restore make PDFsharp close its own text object around the operators written here.
            _graphics.Save();
            _shaped.Draw(_graphics.Internals.ContentStringBuilder!, run, font.Size, x, _pageHeight - baseline, colour);
            _graphics.Restore();
        }
    }

    /// <summary>Draws one line of text that ends at <paramref name="right"/>.</summary>
    public void TextRight(string text, XFont font, XBrush brush, double right, double y) =>
        Text(text, font, brush, right - Measure(text, font), y);

    public void Fill(XBrush brush, double x, double y, double width, double height) => _graphics.DrawRectangle(brush, x, y, width, height);

    public void Line(XPen pen, double x1, double y, double x2) => _graphics.DrawLine(pen, x1, y, x2, y);

    /// <summary>The width of a line of text in points.</summary>
    public double Measure(string text, XFont font) =>
        text.Length == 0 ? 0
        : TextRuns.IsPlain(text) ? _graphics.MeasureString(text, font).Width
        : Lay(text, font).Sum(run => run.Width);

    private List<TextRun> Lay(string text, XFont font) =>
        TextRuns.Lay(text, font.Size, font.Bold, run => _graphics.MeasureString(run, font).Width);

    /// <summary>The distance from the top of a line of the font to its baseline, in points.</summary>
    public static double Ascent(XFont font) => font.Size * font.Metrics.Ascent / font.Metrics.UnitsPerEm;

    /// <summary>The line height of a font, in points.</summary>
    public static double LineHeight(XFont font) => font.Size * 1.35;

    /// <summary>
    /// Breaks text into lines no wider than <paramref name="width"/>: at line breaks in the text,
    /// else between words, else (for a word longer than the line) between characters.
    /// </summary>
    public List<string> Wrap(string? text, XFont font, double width)
    {
        var lines = new List<string>();
        if (string.IsNullOrWhiteSpace(text))
            return lines;
        foreach (var paragraph in text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            var words = paragraph.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 0)
            {
                lines.Add("");
                continue;
            }

            var space = Measure(" ", font);
            var current = "";
            var currentWidth = 0.0;
            foreach (var word in words)
            {
                var wordWidth = Measure(word, font);
                if (current.Length > 0 && currentWidth + space + wordWidth <= width)
                {
                    current += " " + word;
                    currentWidth += space + wordWidth;
                    continue;
                }

                if (current.Length > 0)
                    lines.Add(current);
                (current, currentWidth) = wordWidth <= width ? (word, wordWidth) : BreakLongWord(word, font, width, lines);
            }

            lines.Add(current);
        }

        return lines;
    }

    /// <summary>Draws wrapped text from <see cref="Y"/> down, breaking pages between lines; moves <see cref="Y"/> below it.</summary>
    public void Paragraph(string? text, XFont font, XBrush brush, double x, double width)
    {
        var height = LineHeight(font);
        foreach (var line in Wrap(text, font, width))
        {
            Reserve(height);
            Text(line, font, brush, x, Y);
            Y += height;
        }
    }

    /// <summary>Writes the footers ("Page i of N") and returns the finished PDF.</summary>
    /// <param name="footer">The text at the foot of every page.</param>
    /// <param name="pageOf">The page number text with <c>{0}</c> for the page and <c>{1}</c> for the count, e.g. <c>Page {0} of {1}</c>.</param>
    public byte[] Finish(string footer, string pageOf = "Page {0} of {1}")
    {
        var count = _pages.Count.ToString(CultureInfo.InvariantCulture);
        for (var i = 0; i < _pages.Count; i++)
        {
            _graphics = _pages[i];
            var y = Bottom + FooterHeight - 14;
            Line(Rule, Left, y - 4, Right);
            Text(footer, Small, Muted, Left, y);
            TextRight(string.Format(CultureInfo.InvariantCulture, pageOf, (i + 1).ToString(CultureInfo.InvariantCulture), count), Small, Muted, Right, y);
        }

        _shaped.Embed(_document, [.. _pages.Select(page => page.Internals.ContentStringBuilder!)]);
        foreach (var page in _pages)
            page.Dispose();
        _pages.Clear();
        if (_facturX is not null)
            FacturX.Attach(_document, _facturX, _document.Info.CreationDate);
        using var stream = new MemoryStream(32 * 1024);
        _document.Save(stream, closeStream: false);
        var saved = _identity is { } id ? Stable(stream.ToArray(), id) : stream.ToArray();
        return XmpMetadata.Rewrite(saved, _document, _identity, _facturX is not null);
    }

    public void Dispose()
    {
        foreach (var page in _pages)
            page.Dispose();
        foreach (var image in _images)
            image.Dispose();
        _document.Dispose();
    }

    private void AddPage()
    {
        var page = _document.AddPage();
        page.Size = _paper == Paper.Letter ? PageSize.Letter : PageSize.A4;
        _graphics = XGraphics.FromPdfPage(page);
        _pages.Add(_graphics);
        PageWidth = page.Width.Point;
        _pageHeight = page.Height.Point;
        Bottom = page.Height.Point - Margin - FooterHeight;
        Y = Margin;
    }

    private (string Remainder, double Width) BreakLongWord(string word, XFont font, double width, List<string> lines)
    {
        var start = 0;
        for (var end = 1; end <= word.Length; end++)
        {
            if (end - start > 1 && Measure(word[start..end], font) > width)
            {
                lines.Add(word[start..(end - 1)]);
                start = end - 1;
            }
        }

        var rest = word[start..];
        return (rest, Measure(rest, font));
    }
}
