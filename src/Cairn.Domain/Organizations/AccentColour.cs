using System.Globalization;

namespace Cairn.Domain;

/// <summary>
/// The organization's accent colour (an sRGB hex colour, <c>#1f4e79</c>), used for headings and rules on
/// its PDFs, for the portal's accent and for the button of its emails. It is also the colour of text on
/// white paper and the background of white button text, so a colour whose contrast with white is below
/// WCAG 2.1 AA for normal text (4.5:1, success criterion 1.4.3) is refused, with a darker shade of the
/// same hue that passes offered in the message: the organization chooses, nothing is changed silently.
/// </summary>
public readonly record struct AccentColour
{
    /// <summary>The least contrast ratio with white that an accent needs (WCAG 2.1 AA, normal text).</summary>
    public const double MinimumContrast = 4.5;

    /// <summary>The field an accent colour is given in, in the API and the Settings form.</summary>
    public const string Field = "accentColour";

    /// <summary>Cairn's own accent, used while an organization has chosen none: a dark blue, 8.6:1 on white.</summary>
    public static readonly AccentColour Default = new(0x1f, 0x4e, 0x79);

    private AccentColour(byte red, byte green, byte blue)
    {
        Red = red;
        Green = green;
        Blue = blue;
    }

    public byte Red { get; }

    public byte Green { get; }

    public byte Blue { get; }

    /// <summary>The colour as CSS and the API write it: <c>#</c> and six lowercase hex digits.</summary>
    public string Hex => string.Create(CultureInfo.InvariantCulture, $"#{Red:x2}{Green:x2}{Blue:x2}");

    /// <summary>The WCAG 2.1 contrast ratio of this colour with white, from 1 (white) to 21 (black).</summary>
    public double ContrastWithWhite => 1.05 / (RelativeLuminance(Red, Green, Blue) + 0.05);

    /// <summary>
    /// Reads a hex colour (<c>#1f4e79</c>, <c>#1F4E79</c> or the short <c>#15a</c>) and checks its contrast with white.
    /// </summary>
    /// <exception cref="DomainException"><c>accent_colour_invalid</c> (not a hex colour) or <c>accent_colour_contrast</c> (below 4.5:1 on white, with a darker shade that passes), naming <paramref name="field"/>.</exception>
    public static AccentColour Parse(string? text, string field = Field)
    {
        var hex = (text ?? "").Trim();
        if (hex.StartsWith('#'))
            hex = hex[1..];
        if (hex.Length == 3)
            hex = string.Concat(hex.Select(c => new string(c, 2)));
        if (hex.Length != 6 || !uint.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var rgb))
            throw new DomainException(new DomainError("accent_colour_invalid", $"The accent colour is a hex colour such as #1f4e79; \"{text}\" is not one.", field));
        var colour = new AccentColour((byte)(rgb >> 16), (byte)(rgb >> 8), (byte)rgb);
        if (colour.ContrastWithWhite < MinimumContrast)
        {
            throw new DomainException(new DomainError(
                "accent_colour_contrast",
                string.Create(CultureInfo.InvariantCulture, $"{colour.Hex} has a contrast of {Math.Floor(colour.ContrastWithWhite * 100) / 100:0.00}:1 with white; text in the accent colour needs at least 4.5:1 (WCAG 2.1 AA). A darker shade of it that does: {colour.DarkEnough().Hex}."),
                field));
        }

        return colour;
    }

    /// <summary>The lightest shade of this hue (each channel scaled down alike) whose contrast with white is at least 4.5:1.</summary>
    public AccentColour DarkEnough()
    {
        for (var percent = 100; percent >= 0; percent--)
        {
            var shade = new AccentColour(Scale(Red, percent), Scale(Green, percent), Scale(Blue, percent));
            if (shade.ContrastWithWhite >= MinimumContrast)
                return shade;
        }

        return new AccentColour(0, 0, 0);
    }

    /// <inheritdoc />
    public override string ToString() => Hex;

    private static byte Scale(byte channel, int percent) => (byte)(channel * percent / 100);

    // WCAG 2.1 relative luminance of an sRGB colour (the sRGB transfer function, then the Rec. 709 weights).
    private static double RelativeLuminance(byte red, byte green, byte blue) =>
        (0.2126 * Linear(red)) + (0.7152 * Linear(green)) + (0.0722 * Linear(blue));

    private static double Linear(byte channel)
    {
        var c = channel / 255.0;
        return c <= 0.04045 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
    }
}
