using System.Globalization;
using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using PdfSharp.Pdf;

namespace Cairn.Server.Documents;

/// <summary>
/// The shaped text of one PDF: writes each shaped glyph as a two-byte code of a Type 0 font
/// (ISO 32000-1 §9.7) and, when the document is finished, embeds for each face used a subset
/// holding only its glyphs (cut by HarfBuzz), with the widths, the code-to-glyph map and a
/// ToUnicode map that gives each code the text it stands for, so search and copy read the
/// text as it was written.
/// </summary>
internal sealed partial class ShapedFonts
{
    private readonly Dictionary<Typeface, FaceUse> _faces = [];

    /// <summary>
    /// Appends the content-stream operators that draw the run's glyphs at (<paramref name="x"/>,
    /// <paramref name="baseline"/>) in PDF user space, in the colour given as RGB 0–1.
    /// </summary>
    public void Draw(StringBuilder content, TextRun run, double size, double x, double baseline, (double R, double G, double B) colour)
    {
        var use = Use(run.Face!);
        content.Append("BT\n/").Append(use.ResourceName).Append(' ').Append(Number(size)).Append(" Tf\n");
        content.Append(Number(colour.R)).Append(' ').Append(Number(colour.G)).Append(' ').Append(Number(colour.B)).Append(" rg\n");
        foreach (var glyph in run.Glyphs)
        {
            content.Append("1 0 0 1 ").Append(Number(x + run.X + glyph.X)).Append(' ').Append(Number(baseline + glyph.Y)).Append(" Tm ");
            use.AppendCode(content, glyph.Glyph, glyph.Text);
            content.Append(" Tj\n");
        }

        content.Append("ET\n");
    }

    /// <summary>
    /// Embeds the fonts used and names them in every page's resources; fills in the codes of CFF
    /// glyphs, known only once the subset is cut, in the pages' content (<paramref name="contents"/>).
    /// </summary>
    public void Embed(PdfDocument document, IReadOnlyList<StringBuilder> contents)
    {
        if (_faces.Count == 0)
            return;
        foreach (var use in _faces.Values)
        {
            var font = use.Write(document);
            if (use.Codes is { } codes)
            {
                foreach (var content in contents)
                {
                    var text = Placeholder().Replace(content.ToString(), m =>
                        m.Groups[1].Value == use.ResourceName ? $"<{codes[uint.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)]:X4}>" : m.Value);
                    content.Clear().Append(text);
                }
            }

            foreach (var page in document.Pages)
            {
                var fonts = page.Resources.Elements.GetDictionary("/Font");
                if (fonts is null)
                {
                    fonts = new PdfDictionary(document);
                    page.Resources.Elements["/Font"] = fonts;
                }

                fonts.Elements.SetReference("/" + use.ResourceName, font);
            }
        }
    }

    [GeneratedRegex("\u0001([A-Za-z0-9]+):([0-9]+)\u0001")]
    private static partial Regex Placeholder();

    private FaceUse Use(Typeface face)
    {
        if (!_faces.TryGetValue(face, out var use))
        {
            use = new FaceUse(face, $"CairnS{_faces.Count + 1}");
            _faces.Add(face, use);
        }

        return use;
    }

    internal static string Number(double value) => Math.Round(value, 3, MidpointRounding.AwayFromZero).ToString("0.###", CultureInfo.InvariantCulture);

    private sealed class FaceUse(Typeface face, string resourceName)
    {
        // Code 0 stays .notdef; codes are handed out from 1, one per (glyph, text) pair.
        private readonly Dictionary<(uint Glyph, string Text), ushort> _codes = [];
        private readonly List<(uint Glyph, string Text)> _byCode = [(0, "")];

        public string ResourceName { get; } = resourceName;

        /// <summary>For a CFF face once written: each glyph's code, its id in the subset (a CID-keyed CFF subset numbers its CIDs afresh).</summary>
        public Dictionary<uint, uint>? Codes { get; private set; }

        /// <summary>Appends the glyph's code as a hex string, or for a CFF face a placeholder that <see cref="Embed"/> replaces.</summary>
        public void AppendCode(StringBuilder content, uint glyph, string text)
        {
            if (face.IsCff)
            {
                if (_codes.TryAdd((glyph, ""), 0))
                    _byCode.Add((glyph, text));
                content.Append('\u0001').Append(ResourceName).Append(':').Append(glyph).Append('\u0001');
                return;
            }

            if (!_codes.TryGetValue((glyph, text), out var code))
            {
                code = checked((ushort)_byCode.Count);
                _codes[(glyph, text)] = code;
                _byCode.Add((glyph, text));
            }

            content.Append('<').Append(code.ToString("X4", CultureInfo.InvariantCulture)).Append('>');
        }

        public PdfDictionary Write(PdfDocument document)
        {
            var glyphs = _byCode.Select(g => g.Glyph).Append(0u).Distinct().Order().ToList();
            var (program, newGlyph) = Subset(glyphs);
            if (face.IsCff)
                Codes = newGlyph;
            var name = $"{Tag(glyphs)}+{face.PostScriptName}";

            var file = Stream(document, program);
            if (face.IsCff)
                file.Elements.SetName("/Subtype", "/OpenType");
            else
                file.Elements.SetInteger("/Length1", program.Length);

            var descriptor = Object(document);
            descriptor.Elements.SetName("/Type", "/FontDescriptor");
            descriptor.Elements.SetName("/FontName", "/" + name);
            descriptor.Elements.SetInteger("/Flags", 4);
            descriptor.Elements["/FontBBox"] = new PdfLiteral($"[{string.Join(' ', face.BoundingBox.Select(v => Units(v)))}]");
            descriptor.Elements.SetInteger("/ItalicAngle", 0);
            descriptor.Elements.SetInteger("/Ascent", Units(face.Ascender));
            descriptor.Elements.SetInteger("/Descent", Units(face.Descender));
            descriptor.Elements.SetInteger("/CapHeight", Units(face.Ascender));
            descriptor.Elements.SetInteger("/StemV", face.Bold ? 120 : 80);
            descriptor.Elements.SetReference(face.IsCff ? "/FontFile3" : "/FontFile2", file);

            var cidFont = Object(document);
            cidFont.Elements.SetName("/Type", "/Font");
            cidFont.Elements.SetName("/Subtype", face.IsCff ? "/CIDFontType0" : "/CIDFontType2");
            cidFont.Elements.SetName("/BaseFont", "/" + name);
            cidFont.Elements["/CIDSystemInfo"] = new PdfLiteral("<< /Registry (Adobe) /Ordering (Identity) /Supplement 0 >>");
            cidFont.Elements.SetReference("/FontDescriptor", descriptor);
            cidFont.Elements["/W"] = new PdfLiteral(Widths());
            if (!face.IsCff)
            {
                var map = new byte[_byCode.Count * 2];
                for (var code = 0; code < _byCode.Count; code++)
                {
                    var glyph = newGlyph[_byCode[code].Glyph];
                    map[code * 2] = (byte)(glyph >> 8);
                    map[(code * 2) + 1] = (byte)glyph;
                }

                cidFont.Elements.SetReference("/CIDToGIDMap", Stream(document, map));
            }

            var font = Object(document);
            font.Elements.SetName("/Type", "/Font");
            font.Elements.SetName("/Subtype", "/Type0");
            font.Elements.SetName("/BaseFont", "/" + name);
            font.Elements.SetName("/Encoding", "/Identity-H");
            font.Elements["/DescendantFonts"] = new PdfArray(document, cidFont.Reference!);
            font.Elements.SetReference("/ToUnicode", Stream(document, Encoding.ASCII.GetBytes(ToUnicode())));
            return font;
        }

        private int Units(int fontUnits) => (int)Math.Round(fontUnits * 1000.0 / face.UnitsPerEm, MidpointRounding.AwayFromZero);

        private string Widths()
        {
            var widths = new StringBuilder("[");
            foreach (var (code, (glyph, _)) in CodeTable())
                widths.Append(code).Append(" [").Append(Units(face.Font.GetHorizontalGlyphAdvance(glyph))).Append("] ");
            return widths.Append(']').ToString();
        }

        private IEnumerable<(int Code, (uint Glyph, string Text) Use)> CodeTable() =>
            face.IsCff
                ? _byCode.Skip(1).Select(g => ((int)Codes![g.Glyph], g)).OrderBy(c => c.Item1)
                : _byCode.Select((g, code) => (code, g)).Skip(1);

        private string ToUnicode()
        {
            var map = new StringBuilder();
            map.Append("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n");
            map.Append("/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n");
            map.Append("1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
            var entries = CodeTable().ToList();
            foreach (var chunk in entries.Chunk(100))
            {
                map.Append(chunk.Length).Append(" beginbfchar\n");
                foreach (var (code, (_, text)) in chunk)
                {
                    map.Append('<').Append(code.ToString("X4", CultureInfo.InvariantCulture)).Append("> <");
                    foreach (var unit in text)
                        map.Append(((int)unit).ToString("X4", CultureInfo.InvariantCulture));
                    map.Append(">\n");
                }

                map.Append("endbfchar\n");
            }

            map.Append("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
            return map.ToString();
        }

        /// <summary>
        /// Cuts the face down to the glyphs; returns the font program and each old glyph id's new id.
        /// </summary>
        private (byte[] Program, Dictionary<uint, uint> NewGlyph) Subset(List<uint> glyphs)
        {
            const int cached = 256;
            var key = string.Join(',', glyphs);
            if (face.Subsets.TryGetValue(key, out var subset))
                return subset;
            subset = Cut(glyphs);
            if (face.Subsets.Count >= cached)
                face.Subsets.Clear();
            face.Subsets[key] = subset;
            return subset;
        }

        private (byte[] Program, Dictionary<uint, uint> NewGlyph) Cut(List<uint> glyphs)
        {
            var input = HarfBuzzSubset.hb_subset_input_create_or_fail();
            if (input == IntPtr.Zero)
                throw new InvalidOperationException("HarfBuzz could not start a font subset.");
            var plan = IntPtr.Zero;
            try
            {
                var set = HarfBuzzSubset.hb_subset_input_glyph_set(input);
                foreach (var glyph in glyphs)
                    HarfBuzzSubset.hb_set_add(set, glyph);
                HarfBuzzSubset.hb_subset_input_set_flags(input, HarfBuzzSubset.NoHinting | HarfBuzzSubset.NoLayoutClosure);
                plan = HarfBuzzSubset.hb_subset_plan_create_or_fail(face.Face.Handle, input);
                if (plan == IntPtr.Zero)
                    throw new InvalidOperationException($"HarfBuzz could not plan a subset of {face.PostScriptName}.");
                var mapping = HarfBuzzSubset.hb_subset_plan_old_to_new_glyph_mapping(plan);
                var newGlyph = glyphs.ToDictionary(g => g, g => HarfBuzzSubset.hb_map_get(mapping, g));
                var subset = HarfBuzzSubset.hb_subset_plan_execute_or_fail(plan);
                if (subset == IntPtr.Zero)
                    throw new InvalidOperationException($"HarfBuzz could not subset {face.PostScriptName}.");
                try
                {
                    var blob = HarfBuzzSubset.hb_face_reference_blob(subset);
                    try
                    {
                        var data = HarfBuzzSubset.hb_blob_get_data(blob, out var length);
                        var program = new byte[length];
                        Marshal.Copy(data, program, 0, (int)length);
                        return (program, newGlyph);
                    }
                    finally
                    {
                        HarfBuzzSubset.hb_blob_destroy(blob);
                    }
                }
                finally
                {
                    HarfBuzzSubset.hb_face_destroy(subset);
                }
            }
            finally
            {
                if (plan != IntPtr.Zero)
                    HarfBuzzSubset.hb_subset_plan_destroy(plan);
                HarfBuzzSubset.hb_subset_input_destroy(input);
            }
        }

        private static string Tag(List<uint> glyphs)
        {
            var hash = SHA256.HashData(MemoryMarshal.AsBytes(CollectionsMarshal.AsSpan(glyphs)));
            return string.Concat(hash.Take(6).Select(b => (char)('A' + (b % 26))));
        }

        private static PdfDictionary Object(PdfDocument document)
        {
            var dictionary = new PdfDictionary(document);
            document.Internals.AddObject(dictionary);
            return dictionary;
        }

        private static PdfDictionary Stream(PdfDocument document, byte[] bytes)
        {
            var dictionary = Object(document);
            using var packed = new MemoryStream();
            using (var zlib = new ZLibStream(packed, CompressionLevel.Fastest))
                zlib.Write(bytes);
            dictionary.CreateStream(packed.ToArray());
            dictionary.Elements.SetName("/Filter", "/FlateDecode");
            return dictionary;
        }
    }
}

/// <summary>The part of HarfBuzz's subsetter (hb-subset) that HarfBuzzSharp does not wrap; its native library exports it.</summary>
internal static class HarfBuzzSubset
{
    public const uint NoHinting = 0x1;
    public const uint NoLayoutClosure = 0x200;

    private const string Library = "libHarfBuzzSharp";

    [DllImport(Library)]
    internal static extern IntPtr hb_subset_input_create_or_fail();

    [DllImport(Library)]
    internal static extern void hb_subset_input_destroy(IntPtr input);

    [DllImport(Library)]
    internal static extern IntPtr hb_subset_input_glyph_set(IntPtr input);

    [DllImport(Library)]
    internal static extern void hb_subset_input_set_flags(IntPtr input, uint flags);

    [DllImport(Library)]
    internal static extern void hb_set_add(IntPtr set, uint codePoint);

    [DllImport(Library)]
    internal static extern IntPtr hb_subset_or_fail(IntPtr face, IntPtr input);

    [DllImport(Library)]
    internal static extern IntPtr hb_subset_plan_create_or_fail(IntPtr face, IntPtr input);

    [DllImport(Library)]
    internal static extern void hb_subset_plan_destroy(IntPtr plan);

    [DllImport(Library)]
    internal static extern IntPtr hb_subset_plan_old_to_new_glyph_mapping(IntPtr plan);

    [DllImport(Library)]
    internal static extern IntPtr hb_subset_plan_execute_or_fail(IntPtr plan);

    [DllImport(Library)]
    internal static extern uint hb_map_get(IntPtr map, uint key);

    [DllImport(Library)]
    internal static extern void hb_face_destroy(IntPtr face);

    [DllImport(Library)]
    internal static extern IntPtr hb_face_reference_blob(IntPtr face);

    [DllImport(Library)]
    internal static extern IntPtr hb_blob_get_data(IntPtr blob, out uint length);

    [DllImport(Library)]
    internal static extern void hb_blob_destroy(IntPtr blob);
}
