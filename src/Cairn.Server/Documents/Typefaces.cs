using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using HarfBuzzSharp;

namespace Cairn.Server.Documents;

/// <summary>
/// One font face that documents can shape text with and embed: a Noto face installed on the
/// machine (Debian packages fonts-noto-core and fonts-noto-cjk), opened with HarfBuzz.
/// Faces are shared by all documents and safe to shape with from many threads.
/// </summary>
internal sealed class Typeface
{
    private readonly ConcurrentDictionary<int, uint> _glyphs = new();

    private Typeface(Blob blob, string path, int index, string postScriptName, bool bold)
    {
        Path = path;
        Index = index;
        PostScriptName = postScriptName;
        Bold = bold;
        Face = new Face(blob, index);
        Font = new Font(Face);
        Font.SetScale(Face.UnitsPerEm, Face.UnitsPerEm);
        UnitsPerEm = Face.UnitsPerEm;
        using var cff = Face.ReferenceTable(Tag.Parse("CFF "));
        IsCff = cff.Length > 0;
        using var head = Face.ReferenceTable(Tag.Parse("head"));
        var table = head.AsSpan();
        BoundingBox = table.Length >= 44
            ? [BinaryPrimitives.ReadInt16BigEndian(table[36..]), BinaryPrimitives.ReadInt16BigEndian(table[38..]), BinaryPrimitives.ReadInt16BigEndian(table[40..]), BinaryPrimitives.ReadInt16BigEndian(table[42..])]
            : [0, -300, 1000, 1000];
        var extents = Font.TryGetHorizontalFontExtents(out var e) ? e : default;
        Ascender = extents.Ascender;
        Descender = extents.Descender;
    }

    /// <summary>The font file.</summary>
    public string Path { get; }

    /// <summary>The face's index in a font collection (.ttc), 0 for a single font.</summary>
    public int Index { get; }

    /// <summary>The PostScript-style name the PDF gives the embedded subset, e.g. <c>NotoSansArabic-Regular</c>.</summary>
    public string PostScriptName { get; }

    /// <summary>Whether this is the bold face.</summary>
    public bool Bold { get; }

    /// <summary>Whether the outlines are CFF (PostScript), embedded as OpenType, rather than TrueType.</summary>
    public bool IsCff { get; }

    /// <summary>The HarfBuzz face (tables, subsetting).</summary>
    public Face Face { get; }

    /// <summary>The HarfBuzz font, scaled to font units (<see cref="UnitsPerEm"/>).</summary>
    public Font Font { get; }

    /// <summary>Font units per em.</summary>
    public int UnitsPerEm { get; }

    /// <summary>The font's bounding box in font units: xMin, yMin, xMax, yMax.</summary>
    public int[] BoundingBox { get; }

    /// <summary>Typographic ascender in font units.</summary>
    public int Ascender { get; }

    /// <summary>Typographic descender in font units (negative).</summary>
    public int Descender { get; }

    /// <summary>
    /// Subsets already cut, by glyph set: the same client's documents reuse theirs. Cutting a CJK
    /// subset takes milliseconds (the face's tables are parsed each time); preparing the face once
    /// with <c>hb_subset_preprocess</c> would make it microseconds but holds about 70 MB per face.
    /// </summary>
    public ConcurrentDictionary<string, (byte[] Program, Dictionary<uint, uint> NewGlyph)> Subsets { get; } = new(StringComparer.Ordinal);

    /// <summary>Whether the face has a glyph for the code point.</summary>
    public bool Covers(int codePoint) =>
        _glyphs.GetOrAdd(codePoint, static (c, font) => font.TryGetGlyph((uint)c, out var glyph) ? glyph : 0, Font) != 0;

    /// <summary>Opens a face from font bytes held for the life of the process (the bundled DejaVu faces).</summary>
    public static Typeface FromBytes(byte[] bytes, string postScriptName, bool bold)
    {
        var pinned = GCHandle.Alloc(bytes, GCHandleType.Pinned);
        return new Typeface(new Blob(pinned.AddrOfPinnedObject(), bytes.Length, MemoryMode.ReadOnly), "", 0, postScriptName, bold);
    }

    /// <summary>Opens a face, or null when the file is missing or unreadable.</summary>
    public static Typeface? TryOpen(string path, int index, string postScriptName, bool bold)
    {
        try
        {
            return File.Exists(path) ? new Typeface(Blob.FromFile(path), path, index, postScriptName, bold) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or ArgumentException)
        {
            return null;
        }
    }
}

/// <summary>
/// Finds, for each character, a face that has it: the Noto faces for the scripts invoices meet
/// most (Latin, Greek and Cyrillic beyond DejaVu, Arabic, Hebrew, Devanagari, Thai, Chinese,
/// Japanese, Korean) first, then any other Noto Sans face installed. Faces are looked for in
/// <c>/usr/share/fonts</c>, <c>/usr/local/share/fonts</c> and <c>~/.local/share/fonts</c>.
/// </summary>
internal static class Typefaces
{
    private static readonly string[] Preferred =
    [
        "NotoSans", "NotoSansArabic", "NotoSansHebrew", "NotoSansDevanagari", "NotoSansThai",
        "NotoSansBengali", "NotoSansTamil", "NotoSansArmenian", "NotoSansGeorgian", "NotoSansEthiopic",
    ];

    private static readonly Lazy<Dictionary<string, string>> Files = new(FindFiles);
    private static readonly Lazy<Lazy<Typeface?>[]> RegularFaces = new(() => Open(bold: false));
    private static readonly Lazy<Lazy<Typeface?>[]> BoldFaces = new(() => Open(bold: true));
    private static readonly ConcurrentDictionary<(int, bool), Typeface?> ByCodePoint = new();

    /// <summary>The directories searched for fonts.</summary>
    public static IReadOnlyList<string> Directories { get; } =
    [
        "/usr/share/fonts",
        "/usr/local/share/fonts",
        System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local/share/fonts"),
    ];

    /// <summary>The first face that has the code point (its bold face for bold text when installed), or null when none has it.</summary>
    public static Typeface? For(int codePoint, bool bold) =>
        ByCodePoint.GetOrAdd((codePoint, bold), static key =>
        {
            var faces = key.Item2 ? BoldFaces.Value : RegularFaces.Value;
            var regular = RegularFaces.Value;
            for (var i = 0; i < regular.Length; i++)
            {
                // Faces open on first need: most documents never look past the first few.
                var face = faces[i].Value ?? regular[i].Value;
                if (face is not null && face.Covers(key.Item1))
                    return face;
            }

            return null;
        });

    private static Lazy<Typeface?>[] Open(bool bold)
    {
        var files = Files.Value;
        var weight = bold ? "Bold" : "Regular";
        // One collection holds the Japanese, Korean and Chinese faces; face 0 is the Japanese one, which also covers Hangul and Hanzi.
        var families = Preferred.Append("NotoSansCJK").Concat(files.Keys
            .Where(name => name.StartsWith("NotoSans", StringComparison.Ordinal) && name.EndsWith("-Regular", StringComparison.Ordinal))
            .Select(name => name[..^"-Regular".Length])
            .Where(family => !Preferred.Contains(family) && !family.StartsWith("NotoSansCJK", StringComparison.Ordinal) && !family.StartsWith("NotoSansMono", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal));
        // The same order for both weights, so that a missing bold face falls back to the regular face at its position.
        return [.. families.Select(family => new Lazy<Typeface?>(() => OpenFile(files, $"{family}-{weight}", 0)))];
    }

    private static Typeface? OpenFile(Dictionary<string, string> files, string name, int index) =>
        files.TryGetValue(name, out var path) ? Typeface.TryOpen(path, index, name, name.EndsWith("-Bold", StringComparison.Ordinal)) : null;

    private static Dictionary<string, string> FindFiles()
    {
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var directory in Directories.Where(Directory.Exists))
        {
            IEnumerable<string> paths;
            try
            {
                paths = Directory.EnumerateFiles(directory, "Noto*", SearchOption.AllDirectories).ToList();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            foreach (var path in paths.Where(p => p.EndsWith(".ttf", StringComparison.OrdinalIgnoreCase) || p.EndsWith(".ttc", StringComparison.OrdinalIgnoreCase) || p.EndsWith(".otf", StringComparison.OrdinalIgnoreCase)))
                files.TryAdd(System.IO.Path.GetFileNameWithoutExtension(path), path);
        }

        return files;
    }
}
