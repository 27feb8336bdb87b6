using System.Reflection;
using PdfSharp.Fonts;

namespace Cairn.Server.Documents;

/// <summary>
/// Serves the DejaVu Sans faces embedded in this assembly to PDFsharp, so documents render the
/// same on any machine, fonts installed or not. DejaVu is under the Bitstream Vera licence (Fonts/LICENSE-DejaVu.txt).
/// </summary>
public sealed class DocumentFonts : IFontResolver
{
    /// <summary>The one family documents use.</summary>
    public const string Family = "DejaVu Sans";

    private const string Regular = "DejaVuSans";
    private const string Bold = "DejaVuSans-Bold";

    private static readonly Lock Gate = new();

    private DocumentFonts()
    {
    }

    /// <summary>
    /// Installs the resolver once per process. PDFsharp allows setting it only before the first
    /// font is used, and the document styles call this before they create their fonts, so it is set exactly once.
    /// </summary>
    public static bool EnsureInstalled()
    {
        if (GlobalFontSettings.FontResolver is DocumentFonts)
            return true;
        lock (Gate)
        {
            if (GlobalFontSettings.FontResolver is not DocumentFonts)
                GlobalFontSettings.FontResolver = new DocumentFonts();
        }

        return true;
    }

    /// <inheritdoc />
    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) =>
        // Any family asked for gets DejaVu Sans; italics are simulated by PDFsharp.
        new(bold ? Bold : Regular, false, italic);

    /// <inheritdoc />
    public byte[]? GetFont(string faceName) => faceName switch
    {
        Regular => RegularBytes.Value,
        Bold => BoldBytes.Value,
        _ => null,
    };

    private static readonly Lazy<byte[]> RegularBytes = new(() => Load(Regular));

    private static readonly Lazy<byte[]> BoldBytes = new(() => Load(Bold));

    private static readonly Lazy<Typeface> RegularFace = new(() => Typeface.FromBytes(RegularBytes.Value, Regular, bold: false));

    private static readonly Lazy<Typeface> BoldFace = new(() => Typeface.FromBytes(BoldBytes.Value, Bold, bold: true));

    // DejaVu's coverage of the first blocks (Latin, Greek, Cyrillic), read once: most text on an invoice never needs more.
    private static readonly Lazy<bool[]> Basic = new(() => [.. Enumerable.Range(0, 0x0590).Select(c => RegularFace.Value.Covers(c) && BoldFace.Value.Covers(c))]);

    /// <summary>Whether both DejaVu faces draw the character, for characters below U+0590; false above.</summary>
    public static bool CoversBasic(char c) => c < 0x0590 && (c < 0x20 || Basic.Value[c]);

    /// <summary>Whether the DejaVu face of the weight has a glyph for the code point.</summary>
    public static bool Covers(int codePoint, bool bold) => (bold ? BoldFace : RegularFace).Value.Covers(codePoint);

    private static byte[] Load(string face)
    {
        var name = $"Cairn.Server.Documents.Fonts.{face}.ttf";
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The font {name} is not embedded in {Assembly.GetExecutingAssembly().GetName().Name}.");
        using var buffer = new MemoryStream((int)stream.Length);
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }
}
