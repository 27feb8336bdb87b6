using Cairn.Domain;
using FsCheck;
using FsCheck.Xunit;

namespace Cairn.Domain.Tests.Organizations;

/// <summary>The accent colour needs 4.5:1 contrast with white (WCAG 2.1 AA); a logo is a PNG or JPEG of sensible size, read from its bytes.</summary>
public sealed class BrandingRulesTests
{
    [Theory]
    [InlineData("#1f4e79", "#1f4e79")]
    [InlineData("#1F4E79", "#1f4e79")]
    [InlineData(" 000000 ", "#000000")]
    [InlineData("#036", "#003366")]
    [InlineData("#767676", "#767676")] // 4.54:1, the lightest grey that passes
    public void A_dark_enough_hex_colour_is_accepted_in_its_lowercase_form(string typed, string hex) =>
        Assert.Equal(hex, AccentColour.Parse(typed).Hex);

    [Theory]
    [InlineData("#777777")] // 4.48:1
    [InlineData("#ffcc00")]
    [InlineData("#ffffff")]
    public void A_colour_too_light_for_white_is_refused_with_a_darker_shade_that_passes(string typed)
    {
        var refused = Assert.Throws<DomainException>(() => AccentColour.Parse(typed)).Error;

        Assert.Equal("accent_colour_contrast", refused.Code);
        Assert.Equal("accentColour", refused.Field);
        var offered = refused.Message[^8..^1];
        Assert.True(AccentColour.Parse(offered).ContrastWithWhite >= 4.5);
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("navy")]
    [InlineData("#12345")]
    [InlineData("#gggggg")]
    [InlineData("rgb(0,0,0)")]
    public void Anything_but_a_hex_colour_is_refused(string? typed) =>
        Assert.Equal("accent_colour_invalid", Assert.Throws<DomainException>(() => AccentColour.Parse(typed)).Error.Code);

    [Property]
    public bool The_darker_shade_always_passes_and_keeps_a_passing_colour_as_it_is(byte red, byte green, byte blue)
    {
        var hex = $"#{red:x2}{green:x2}{blue:x2}";
        var passes = AccentColour.Default.DarkEnough() == AccentColour.Default;
        try
        {
            var colour = AccentColour.Parse(hex);
            return passes && colour.DarkEnough() == colour;
        }
        catch (DomainException e)
        {
            return passes && AccentColour.Parse(e.Error.Message[^8..^1]).ContrastWithWhite >= AccentColour.MinimumContrast;
        }
    }

    [Fact]
    public void A_png_and_a_jpeg_are_read_for_their_size_in_pixels()
    {
        var png = Logo.Check("logo.png", Png(320, 90));
        var jpeg = Logo.Check("logo.jpg", Jpeg(640, 200));

        Assert.Equal((FileTypes.Png, 320, 90), (png.Type, png.Width, png.Height));
        Assert.Equal((FileTypes.Jpeg, 640, 200), (jpeg.Type, jpeg.Width, jpeg.Height));
    }

    [Theory]
    [InlineData("logo.png", 4001, 100, "logo_dimensions")]
    [InlineData("logo.png", 100, 15, "logo_dimensions")]
    [InlineData("logo.jpg", 100, 100, "file_type_mismatch")]
    public void A_logo_of_the_wrong_size_or_named_for_another_type_is_refused(string name, int width, int height, string code) =>
        Assert.Equal(code, Assert.Throws<DomainException>(() => Logo.Check(name, Png(width, height))).Error.Code);

    [Theory]
    [InlineData("logo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>", "logo_type_not_allowed")]
    [InlineData("logo.png", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>", "file_type_mismatch")]
    [InlineData("logo.gif", "GIF89a\u0001\u0000\u0001\u0000", "logo_type_not_allowed")]
    [InlineData("logo.png", "", "file_empty")]
    public void Svg_other_images_and_empty_files_are_refused_naming_the_file(string name, string content, string code)
    {
        var refused = Assert.IsType<FileRefused>(Assert.Throws<DomainException>(() => Logo.Check(name, System.Text.Encoding.Latin1.GetBytes(content))).Error);

        Assert.Equal(code, refused.Code);
        Assert.Equal(name, refused.FileName);
    }

    [Fact]
    public void A_logo_over_one_mebibyte_is_refused_before_it_is_read()
    {
        var big = Png(100, 100).Concat(new byte[Logo.MaxBytes]).ToArray();

        Assert.Equal("logo_too_large", Assert.Throws<DomainException>(() => Logo.Check("logo.png", big)).Error.Code);
    }

    // The signature and the IHDR chunk: all the rules read.
    private static byte[] Png(int width, int height)
    {
        var bytes = new byte[33];
        new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, (byte)'I', (byte)'H', (byte)'D', (byte)'R' }.CopyTo(bytes, 0);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(16), width);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(20), height);
        bytes[24] = 8;
        bytes[25] = 2;
        return bytes;
    }

    // SOI, an APP0 (JFIF) segment, then SOF0 with precision, height and width.
    private static byte[] Jpeg(int width, int height) =>
    [
        0xFF, 0xD8,
        0xFF, 0xE0, 0, 16, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0,
        0xFF, 0xC0, 0, 11, 8, (byte)(height >> 8), (byte)height, (byte)(width >> 8), (byte)width, 1, 1, 0x11, 0,
        0xFF, 0xD9,
    ];
}
