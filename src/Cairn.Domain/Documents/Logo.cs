using System.Buffers.Binary;

namespace Cairn.Domain;

/// <summary>An organization's logo as checked on upload: its type and size in pixels.</summary>
/// <param name="Type">PNG or JPEG.</param>
/// <param name="Width">Width in pixels.</param>
/// <param name="Height">Height in pixels.</param>
public sealed record LogoImage(FileType Type, int Width, int Height);

/// <summary>
/// The rules of an organization's logo: a PNG or JPEG image recognized by its content
/// (<see cref="FileTypes"/>, the extension must agree), at most <see cref="MaxBytes"/> bytes and
/// <see cref="MaxPixels"/> pixels on its longer side. SVG is refused, not sanitized: an SVG is a
/// document that can carry scripts, event handlers and references to other files, the portal would
/// serve it from Cairn's own origin, and the PDF library cannot draw it anyway.
/// </summary>
public static class Logo
{
    /// <summary>The largest logo file: 1 MiB (1,048,576 bytes).</summary>
    public const int MaxBytes = 1024 * 1024;

    /// <summary>The most pixels a logo may have on either side.</summary>
    public const int MaxPixels = 4000;

    /// <summary>The fewest pixels a logo may have on either side.</summary>
    public const int MinPixels = 16;

    /// <summary>The accepted types.</summary>
    public static IReadOnlyList<FileType> Types { get; } = [FileTypes.Png, FileTypes.Jpeg];

    /// <summary>Checks an uploaded logo named <paramref name="fileName"/>.</summary>
    /// <exception cref="DomainException">A <see cref="FileRefused"/> (field <c>file</c>, naming the file): <c>file_empty</c>, <c>logo_too_large</c>, <c>file_type_mismatch</c> (the extension names another type than the content is), <c>logo_type_not_allowed</c> (not PNG or JPEG; SVG included), <c>logo_dimensions</c> (too small, too large or unreadable size).</exception>
    public static LogoImage Check(string fileName, byte[] content)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        ArgumentNullException.ThrowIfNull(content);
        if (content.Length > MaxBytes)
            throw new DomainException(new FileRefused("logo_too_large", $"{fileName} is {content.Length / 1024} KiB; a logo may be at most {MaxBytes / 1024} KiB.", fileName));
        FileType type;
        try
        {
            type = FileTypes.Identify(fileName, content);
        }
        catch (DomainException e) when (e.Error.Code == "file_type_not_allowed")
        {
            throw NotAnImage(fileName);
        }

        if (!Types.Contains(type))
            throw NotAnImage(fileName);
        var (width, height) = (type == FileTypes.Png ? PngSize(content) : JpegSize(content))
            ?? throw new DomainException(new FileRefused("logo_dimensions", $"{fileName} does not say how many pixels it has; save it again as PNG or JPEG.", fileName));
        if (width < MinPixels || height < MinPixels || width > MaxPixels || height > MaxPixels)
            throw new DomainException(new FileRefused("logo_dimensions", $"{fileName} is {width} × {height} pixels; a logo has {MinPixels} to {MaxPixels} pixels on each side.", fileName));
        return new LogoImage(type, width, height);
    }

    private static DomainException NotAnImage(string fileName) =>
        new(new FileRefused("logo_type_not_allowed", $"{fileName} is not a PNG or JPEG image; a logo is one of these (SVG is not accepted: it can carry scripts).", fileName));

    // PNG (ISO/IEC 15948): the signature, then the IHDR chunk with width and height as big-endian 32-bit numbers.
    private static (int Width, int Height)? PngSize(ReadOnlySpan<byte> c)
    {
        if (c.Length < 24 || !c[12..16].SequenceEqual("IHDR"u8))
            return null;
        var width = BinaryPrimitives.ReadUInt32BigEndian(c[16..20]);
        var height = BinaryPrimitives.ReadUInt32BigEndian(c[20..24]);
        return width > int.MaxValue || height > int.MaxValue ? null : ((int)width, (int)height);
    }

    // JPEG (ITU T.81): walk the marker segments to the first start-of-frame (SOF0–SOF15 but DHT, JPG and DAC), which holds height then width.
    private static (int Width, int Height)? JpegSize(ReadOnlySpan<byte> c)
    {
        var i = 2;
        while (i + 4 <= c.Length)
        {
            if (c[i] != 0xFF)
                return null;
            var marker = c[i + 1];
            if (marker == 0xFF)
            {
                i++;
                continue;
            }

            if (marker is 0xD8 or 0x01 or (>= 0xD0 and <= 0xD7))
            {
                i += 2;
                continue;
            }

            var length = BinaryPrimitives.ReadUInt16BigEndian(c[(i + 2)..(i + 4)]);
            if (length < 2)
                return null;
            if (marker is >= 0xC0 and <= 0xCF and not (0xC4 or 0xC8 or 0xCC))
            {
                if (i + 9 > c.Length)
                    return null;
                return (BinaryPrimitives.ReadUInt16BigEndian(c[(i + 7)..(i + 9)]), BinaryPrimitives.ReadUInt16BigEndian(c[(i + 5)..(i + 7)]));
            }

            if (marker is 0xD9 or 0xDA)
                return null;
            i += 2 + length;
        }

        return null;
    }
}
