using System.Globalization;
using System.Text;
using HarfBuzzSharp;
using Buffer = HarfBuzzSharp.Buffer;

namespace Cairn.Server.Documents;

/// <summary>One glyph of a shaped run, placed relative to the run's left end on its baseline.</summary>
/// <param name="Glyph">The glyph id in the run's face.</param>
/// <param name="X">Points right of the run's left end.</param>
/// <param name="Y">Points above the baseline (mark positioning).</param>
/// <param name="Text">The part of the text this glyph stands for when the PDF is read back; the glyphs of a cluster together stand for the cluster.</param>
internal readonly record struct PlacedGlyph(uint Glyph, double X, double Y, string Text);

/// <summary>
/// A stretch of text in one face and one direction. Runs in DejaVu (<see cref="Face"/> null) are
/// drawn by PDFsharp; the others are shaped by HarfBuzz and their glyphs kept in reading order.
/// </summary>
internal sealed class TextRun(string text, Typeface? face, bool rightToLeft, bool inRightToLeft)
{
    public string Text { get; } = text;

    public Typeface? Face { get; } = face;

    public bool RightToLeft { get; } = rightToLeft;

    /// <summary>Part of a right-to-left stretch (its letters, and the spaces and digits between them).</summary>
    public bool InRightToLeft { get; } = inRightToLeft;

    public double Width { get; set; }

    /// <summary>The shaped glyphs in logical (reading) order, cluster by cluster; empty for DejaVu runs.</summary>
    public IReadOnlyList<PlacedGlyph> Glyphs { get; set; } = [];

    /// <summary>Points right of the line's left end where this run starts.</summary>
    public double X { get; set; }
}

/// <summary>
/// Breaks a line of text into runs that one face can draw, shapes what needs shaping, and lays
/// the runs out left to right with right-to-left stretches (Arabic, Hebrew) reversed as a whole,
/// their digits kept left to right. A simplified Unicode bidirectional algorithm for a left-to-right
/// line: it is what names and addresses on an invoice need, not full paragraph reordering.
/// </summary>
internal static class TextRuns
{
    /// <summary>Whether the text can go to PDFsharp as it is: every character in DejaVu and none that needs shaping.</summary>
    public static bool IsPlain(string text)
    {
        foreach (var c in text)
        {
            if (c >= 0x0590 || !DocumentFonts.CoversBasic(c))
                return false;
        }

        return true;
    }

    /// <summary>Lays out one line; <paramref name="measure"/> gives the width of a DejaVu run in points.</summary>
    public static List<TextRun> Lay(string text, double size, bool bold, Func<string, double> measure)
    {
        var runs = Split(text, bold);
        foreach (var run in runs)
            run.Width = run.Face is null ? measure(run.Text) : Shape(run, size);

        var x = 0.0;
        for (var i = 0; i < runs.Count;)
        {
            var end = i + 1;
            if (runs[i].InRightToLeft)
            {
                while (end < runs.Count && runs[end].InRightToLeft)
                    end++;
            }

            // A right-to-left stretch reads from its right end: its first run is drawn rightmost.
            for (var k = end - 1; k >= i; k--)
            {
                var run = runs[runs[i].InRightToLeft ? k : i + (end - 1 - k)];
                run.X = x;
                x += run.Width;
            }

            i = end;
        }

        return runs;
    }

    private enum Kind
    {
        LeftToRight,
        RightToLeft,
        Neutral,
        Digit,
        Mark,
    }

    private static List<TextRun> Split(string text, bool bold)
    {
        var runes = new List<(int Index, Rune Rune, Kind Kind)>();
        var index = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            runes.Add((index, rune, KindOf(rune)));
            index += rune.Utf16SequenceLength;
        }

        var runs = new List<TextRun>();
        var start = 0;
        Typeface? currentFace = null;
        var currentRtl = false;
        var currentInRtl = false;
        var lastStrong = Kind.LeftToRight;
        for (var i = 0; i < runes.Count; i++)
        {
            var (_, rune, kind) = runes[i];
            if (kind is Kind.LeftToRight or Kind.RightToLeft)
                lastStrong = kind;
            // Digits after right-to-left letters belong to their stretch (UAX #9 rules W2 and I1); so do spaces and marks between them.
            var inRtl = kind == Kind.RightToLeft
                || (kind == Kind.Digit && lastStrong == Kind.RightToLeft)
                || (kind is Kind.Neutral or Kind.Mark && lastStrong == Kind.RightToLeft && NextStrongOrDigit(runes, i + 1) is Kind.RightToLeft or Kind.Digit);
            var rtl = kind == Kind.RightToLeft || (inRtl && kind is Kind.Neutral or Kind.Mark);
            Typeface? face;
            if (i > start && kind is Kind.Neutral or Kind.Mark or Kind.Digit && currentFace is not null && currentFace.Covers(rune.Value) && (kind != Kind.Digit || currentInRtl == inRtl))
                face = currentFace;
            else if (i > start && kind == Kind.Mark)
                face = currentFace;
            else if (kind != Kind.RightToLeft && !NeedsShaping(rune.Value) && DocumentFonts.Covers(rune.Value, bold))
                face = null;
            else
                face = Typefaces.For(rune.Value, bold);

            if (kind == Kind.Mark && i > start)
                (rtl, inRtl) = (currentRtl, currentInRtl);
            if (i > start && (face != currentFace || rtl != currentRtl || inRtl != currentInRtl))
            {
                runs.Add(new TextRun(text[runes[start].Index..runes[i].Index], currentFace, currentRtl, currentInRtl));
                start = i;
            }

            (currentFace, currentRtl, currentInRtl) = (face, rtl, inRtl);
        }

        if (runes.Count > 0)
            runs.Add(new TextRun(text[runes[start].Index..], currentFace, currentRtl, currentInRtl));
        return runs;
    }

    private static Kind NextStrongOrDigit(List<(int Index, Rune Rune, Kind Kind)> runes, int from)
    {
        for (var i = from; i < runes.Count; i++)
        {
            if (runes[i].Kind is Kind.LeftToRight or Kind.RightToLeft or Kind.Digit)
                return runes[i].Kind;
        }

        return Kind.LeftToRight;
    }

    private static Kind KindOf(Rune rune)
    {
        if (IsRightToLeft(rune.Value))
            return Kind.RightToLeft;
        if (Rune.IsDigit(rune))
            return Kind.Digit;
        var category = Rune.GetUnicodeCategory(rune);
        if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.Format)
            return Kind.Mark;
        return Rune.IsWhiteSpace(rune) || Rune.IsPunctuation(rune) || Rune.IsSymbol(rune) ? Kind.Neutral : Kind.LeftToRight;
    }

    private static bool IsRightToLeft(int c) =>
        c is (>= 0x0590 and <= 0x08FF) or (>= 0xFB1D and <= 0xFDFF) or (>= 0xFE70 and <= 0xFEFF) or (>= 0x10800 and <= 0x10FFF) or (>= 0x1E800 and <= 0x1EFFF);

    /// <summary>Scripts whose letters change shape, join, reorder or stack: always shaped, never drawn glyph by glyph from DejaVu.</summary>
    private static bool NeedsShaping(int c) =>
        c is (>= 0x0590 and <= 0x08FF) or (>= 0x0900 and <= 0x0DFF) or (>= 0x0E00 and <= 0x0FFF) or (>= 0x1000 and <= 0x109F) or (>= 0x1780 and <= 0x17FF) or (>= 0xA8E0 and <= 0xA8FF);

    /// <summary>Shapes the run with HarfBuzz; returns its width in points and keeps its glyphs in reading order.</summary>
    private static double Shape(TextRun run, double size)
    {
        var face = run.Face!;
        using var buffer = new Buffer();
        buffer.AddUtf16(run.Text);
        buffer.GuessSegmentProperties();
        buffer.Direction = run.RightToLeft ? Direction.RightToLeft : Direction.LeftToRight;
        face.Font.Shape(buffer);
        var infos = buffer.GlyphInfos;
        var positions = buffer.GlyphPositions;
        var scale = size / face.UnitsPerEm;

        // HarfBuzz gives glyphs in visual order; the PDF gets them cluster by cluster in reading order, so that search and copy read the text as written.
        var placed = new (uint Glyph, double X, double Y, int Cluster)[infos.Length];
        var pen = 0.0;
        for (var i = 0; i < infos.Length; i++)
        {
            placed[i] = (infos[i].Codepoint, (pen + positions[i].XOffset) * scale, positions[i].YOffset * scale, (int)infos[i].Cluster);
            pen += positions[i].XAdvance;
        }

        var clusters = placed.Select(p => p.Cluster).Distinct().Order().ToList();
        var glyphs = new List<PlacedGlyph>(placed.Length);
        for (var c = 0; c < clusters.Count; c++)
        {
            var end = c + 1 < clusters.Count ? clusters[c + 1] : run.Text.Length;
            var text = run.Text[clusters[c]..end];
            var members = placed.Where(p => p.Cluster == clusters[c]).ToList();
            var parts = Share(text, members.Count);
            for (var m = 0; m < members.Count; m++)
                glyphs.Add(new PlacedGlyph(members[m].Glyph, members[m].X, members[m].Y, parts[m]));
        }

        run.Glyphs = glyphs;
        return pen * scale;
    }

    /// <summary>
    /// Splits a cluster's text over its glyphs in drawing order: one character each, the last glyph
    /// the rest, so the glyphs read back as the cluster's text whatever the shaper reordered inside it.
    /// </summary>
    private static string[] Share(string text, int glyphs)
    {
        var runes = text.EnumerateRunes().Select(r => r.ToString()).ToList();
        var parts = new string[glyphs];
        for (var i = 0; i < glyphs; i++)
        {
            if (i < glyphs - 1)
                parts[i] = i < runes.Count ? runes[i] : "";
            else
                parts[i] = i < runes.Count ? string.Concat(runes.Skip(i)) : "";
        }

        return parts;
    }
}
