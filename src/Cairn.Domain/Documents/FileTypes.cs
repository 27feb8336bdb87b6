using System.IO.Compression;
using System.Text;

namespace Cairn.Domain;

/// <summary>A type of file Cairn accepts: its media type (IANA) and the file name extensions it goes by.</summary>
/// <param name="MediaType">The media type files of this type are stored and served with, e.g. <c>application/pdf</c>.</param>
/// <param name="Extensions">The extensions (lowercase, with the dot) a file of this type may have.</param>
public sealed record FileType(string MediaType, IReadOnlyList<string> Extensions);

/// <summary>
/// The allow-list of uploadable files, recognized by their content (magic bytes, and for ZIP-based
/// documents the entries inside), never by their name alone: PDF, PNG, JPEG, GIF, WebP, Office Open
/// XML (docx, xlsx, pptx), OpenDocument (odt, ods, odp), ZIP, and UTF-8 text (txt, csv, md). The file
/// name's extension must name the type the content is.
/// </summary>
public static class FileTypes
{
    public static readonly FileType Pdf = new("application/pdf", [".pdf"]);
    public static readonly FileType Png = new("image/png", [".png"]);
    public static readonly FileType Jpeg = new("image/jpeg", [".jpg", ".jpeg"]);
    public static readonly FileType Gif = new("image/gif", [".gif"]);
    public static readonly FileType WebP = new("image/webp", [".webp"]);
    public static readonly FileType Docx = new("application/vnd.openxmlformats-officedocument.wordprocessingml.document", [".docx"]);
    public static readonly FileType Xlsx = new("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", [".xlsx"]);
    public static readonly FileType Pptx = new("application/vnd.openxmlformats-officedocument.presentationml.presentation", [".pptx"]);
    public static readonly FileType Odt = new("application/vnd.oasis.opendocument.text", [".odt"]);
    public static readonly FileType Ods = new("application/vnd.oasis.opendocument.spreadsheet", [".ods"]);
    public static readonly FileType Odp = new("application/vnd.oasis.opendocument.presentation", [".odp"]);
    public static readonly FileType Zip = new("application/zip", [".zip"]);
    public static readonly FileType Text = new("text/plain; charset=utf-8", [".txt"]);
    public static readonly FileType Csv = new("text/csv; charset=utf-8", [".csv"]);
    public static readonly FileType Markdown = new("text/markdown; charset=utf-8", [".md", ".markdown"]);

    /// <summary>Every accepted type.</summary>
    public static IReadOnlyList<FileType> All { get; } = [Pdf, Png, Jpeg, Gif, WebP, Docx, Xlsx, Pptx, Odt, Ods, Odp, Zip, Text, Csv, Markdown];

    /// <summary>The extensions accepted, for forms' <c>accept</c> attribute and messages.</summary>
    public static string AcceptedExtensions { get; } = string.Join(",", All.SelectMany(t => t.Extensions));

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// The type of <paramref name="content"/> named <paramref name="fileName"/>: the content decides the
    /// type, and the extension must agree with it.
    /// </summary>
    /// <exception cref="DomainException"><c>file_empty</c>; <c>file_type_not_allowed</c> (the content or the extension is of no accepted type); <c>file_type_mismatch</c> (the extension names another type than the content is) — each a <see cref="FileRefused"/> naming the file.</exception>
    public static FileType Identify(string fileName, byte[] content)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        ArgumentNullException.ThrowIfNull(content);
        if (content.Length == 0)
            throw new DomainException(new FileRefused("file_empty", $"{fileName} is empty.", fileName));
        var extension = Path.GetExtension(fileName).ToLowerInvariant();
        var named = All.FirstOrDefault(t => t.Extensions.Contains(extension));
        var sniffed = Sniff(content, named);
        if (sniffed is null || named is null)
            throw new DomainException(new FileRefused("file_type_not_allowed", $"{fileName} is not a type of file Cairn accepts; accepted are PDF, images (PNG, JPEG, GIF, WebP), Office and OpenDocument files, ZIP, and UTF-8 text ({AcceptedExtensions}).", fileName));
        if (sniffed != named)
            throw new DomainException(new FileRefused("file_type_mismatch", $"{fileName} is named {extension} but its content is {Describe(sniffed)}; rename it or upload the right file.", fileName));
        return sniffed;
    }

    private static string Describe(FileType type) => type.Extensions[0].TrimStart('.').ToUpperInvariant() + " (" + type.MediaType.Split(';')[0] + ")";

    /// <summary>What the content is, or null when it is nothing accepted. Text has no magic bytes: the name says which text it is.</summary>
    private static FileType? Sniff(byte[] content, FileType? named)
    {
        ReadOnlySpan<byte> c = content;
        if (c.StartsWith("%PDF-"u8))
            return Pdf;
        if (c.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
            return Png;
        if (c.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
            return Jpeg;
        if (c.StartsWith("GIF87a"u8) || c.StartsWith("GIF89a"u8))
            return Gif;
        if (c.Length >= 12 && c.StartsWith("RIFF"u8) && c[8..12].SequenceEqual("WEBP"u8))
            return WebP;
        if (c.StartsWith("PK\x03\x04"u8) || c.StartsWith("PK\x05\x06"u8))
            return ZipKind(content);
        if (named is not null && (named == Text || named == Csv || named == Markdown) && IsUtf8Text(content))
            return named;
        return IsUtf8Text(content) ? Text : null;
    }

    /// <summary>A ZIP archive is an Office or OpenDocument file when its entries say so, else a plain ZIP; an archive that cannot be read is nothing accepted.</summary>
    private static FileType? ZipKind(byte[] content)
    {
        try
        {
            using var archive = new ZipArchive(new MemoryStream(content, writable: false), ZipArchiveMode.Read);
            var names = archive.Entries.Select(e => e.FullName).ToHashSet(StringComparer.Ordinal);
            if (names.Contains("[Content_Types].xml"))
            {
                if (names.Contains("word/document.xml"))
                    return Docx;
                if (names.Contains("xl/workbook.xml"))
                    return Xlsx;
                if (names.Contains("ppt/presentation.xml"))
                    return Pptx;
            }

            if (archive.GetEntry("mimetype") is { Length: < 200 } mimetype)
            {
                using var reader = new StreamReader(mimetype.Open(), Encoding.ASCII);
                var declared = reader.ReadToEnd().Trim();
                if (All.FirstOrDefault(t => t.MediaType == declared && (t == Odt || t == Ods || t == Odp)) is { } odf)
                    return odf;
            }

            return Zip;
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    /// <summary>Valid UTF-8 (a BOM allowed) without NUL or other control characters than tab, line feed, carriage return and form feed.</summary>
    private static bool IsUtf8Text(byte[] content)
    {
        string text;
        try
        {
            text = StrictUtf8.GetString(content);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }

        foreach (var ch in text)
        {
            if (char.IsControl(ch) && ch is not ('\t' or '\n' or '\r' or '\f'))
                return false;
        }

        return true;
    }
}

/// <summary>An uploaded file that is refused: the problem names the form field (<c>file</c>) and the file.</summary>
/// <param name="Code">Why: <c>file_empty</c>, <c>file_type_not_allowed</c>, <c>file_type_mismatch</c>, <c>file_too_large</c>, <c>contract_files_too_large</c>, <c>file_name_invalid</c>.</param>
/// <param name="Message">What is wrong and what to do.</param>
/// <param name="FileName">The name of the file as uploaded.</param>
public sealed record FileRefused(string Code, string Message, string FileName) : DomainError(Code, Message, "file");
