using System.Globalization;
using Cairn.Domain;
using Cairn.Server.Localization;

namespace Cairn.Server.Documents;

/// <summary>
/// What invoices and credit notes share: the seller and title block, the buyer block, the
/// header of continuation pages, and the one way amounts and dates are printed.
/// </summary>
internal static class Letterhead
{
    private const double MetaWidth = 250;
    private const double MetaLabelWidth = 88;
    private const double LogoMaxWidth = 180;
    private const double LogoMaxHeight = 54;

    /// <summary>An amount as the web app writes it for people (<see cref="Formats.Amount"/>), e.g. <c>3,600.00 EUR</c>.</summary>
    public static string Amount(Money money, Language language = Language.En) => Formats.Amount(money, language);

    /// <summary>An amount without its currency, for table cells under a "Net (EUR)" header, e.g. <c>3,000.00</c>.</summary>
    public static string Number(Money money, Language language = Language.En) => Formats.Number(money, language);

    /// <summary>A date as the web app writes it (<see cref="Formats.Date"/>), e.g. <c>2026-11-02</c>.</summary>
    public static string Date(DateOnly? date, Language language = Language.En) => Formats.Date(date, language);

    /// <summary>Draws the first page's top: the logo of the layout's <see cref="PdfLayout.Brand"/> (if any) and the seller block left, title and facts right, then the buyer block.</summary>
    public static void Draw(PdfLayout layout, Wording wording, string title, PartySnapshot seller, string buyerLabel, PartySnapshot buyer, IEnumerable<(string Label, string? Value)> facts)
    {
        var top = layout.Y;
        var sellerWidth = layout.Width - MetaWidth - 20;
        if (layout.Brand.Logo is { } logo)
            layout.Y += layout.Image(logo, layout.Left, layout.Y, Math.Min(sellerWidth, LogoMaxWidth), LogoMaxHeight).Height + 8;
        foreach (var line in layout.Wrap(seller.Name, PdfLayout.Party, sellerWidth))
        {
            layout.Text(line, PdfLayout.Party, layout.AccentBrush, layout.Left, layout.Y);
            layout.Y += PdfLayout.LineHeight(PdfLayout.Party);
        }

        layout.Y += 2;
        PartyDetails(layout, wording, seller, layout.Left, sellerWidth);
        var leftBottom = layout.Y;

        layout.Y = top;
        layout.TextRight(title, PdfLayout.Title, layout.AccentBrush, layout.Right, layout.Y);
        layout.Y += PdfLayout.LineHeight(PdfLayout.Title) + 4;
        var labelX = layout.Right - MetaWidth;
        var valueX = labelX + MetaLabelWidth;
        foreach (var (label, value) in facts)
        {
            if (string.IsNullOrWhiteSpace(value))
                continue;
            layout.Text(label, PdfLayout.Small, PdfLayout.Muted, labelX, layout.Y, PdfLayout.BodyBold);
            foreach (var line in layout.Wrap(value, PdfLayout.BodyBold, MetaWidth - MetaLabelWidth))
            {
                layout.Text(line, PdfLayout.BodyBold, PdfLayout.Ink, valueX, layout.Y);
                layout.Y += PdfLayout.LineHeight(PdfLayout.Body);
            }

            layout.Y += 2;
        }

        layout.Y = Math.Max(leftBottom, layout.Y) + 18;
        layout.Text(buyerLabel.ToUpperInvariant(), PdfLayout.SmallBold, PdfLayout.Muted, layout.Left, layout.Y);
        layout.Y += PdfLayout.LineHeight(PdfLayout.Small) + 2;
        var buyerWidth = layout.Width / 2;
        foreach (var line in layout.Wrap(buyer.Name, PdfLayout.Heading, buyerWidth))
        {
            layout.Text(line, PdfLayout.Heading, PdfLayout.Ink, layout.Left, layout.Y);
            layout.Y += PdfLayout.LineHeight(PdfLayout.Heading);
        }

        PartyDetails(layout, wording, buyer, layout.Left, buyerWidth);
        layout.Y += 16;
    }

    /// <summary>The top of every page after the first: who, which document, and that it continues.</summary>
    public static void Continuation(PdfLayout layout, Wording wording, string seller, string document)
    {
        layout.Text(seller, PdfLayout.BodyBold, layout.AccentBrush, layout.Left, layout.Y);
        layout.TextRight(Wording.Format(wording.Continued, document), PdfLayout.Body, PdfLayout.Muted, layout.Right, layout.Y);
        layout.Y += PdfLayout.LineHeight(PdfLayout.Body) + 4;
        layout.Line(PdfLayout.Rule, layout.Left, layout.Y, layout.Right);
        layout.Y += 12;
    }

    /// <summary>
    /// A label on the left and an amount ending at the right edge; a label too long to end before the
    /// amount wraps within the space left of it, and the amount stands beside its last line. Moves down.
    /// </summary>
    public static void TotalRow(PdfLayout layout, Language language, double left, string label, Money amount, bool strong = false)
    {
        const double gap = 12;
        var font = strong ? PdfLayout.Total : PdfLayout.Body;
        var printed = Amount(amount, language);
        var labelWidth = Math.Max(layout.Right - layout.Measure(printed, font) - gap - left, 40);
        var lines = layout.Wrap(label, font, labelWidth);
        for (var i = 0; i < lines.Count; i++)
        {
            if (i > 0)
                layout.Y += PdfLayout.LineHeight(font);
            layout.Text(lines[i], font, PdfLayout.Ink, left, layout.Y);
        }

        layout.TextRight(printed, font, PdfLayout.Ink, layout.Right, layout.Y);
        layout.Y += PdfLayout.LineHeight(font) + 3;
    }

    /// <summary>A small section heading, kept on the same page as at least two lines of what follows.</summary>
    public static void Heading(PdfLayout layout, string text)
    {
        layout.Reserve((PdfLayout.LineHeight(PdfLayout.Body) * 2) + 16);
        layout.Text(text.ToUpperInvariant(), PdfLayout.SmallBold, PdfLayout.Muted, layout.Left, layout.Y);
        layout.Y += 14;
    }

    private static void PartyDetails(PdfLayout layout, Wording wording, PartySnapshot party, double x, double width)
    {
        var lineHeight = PdfLayout.LineHeight(PdfLayout.Body);
        var taxId = string.IsNullOrWhiteSpace(party.TaxId) ? null : Wording.Format(wording.TaxId, party.TaxId);
        foreach (var part in party.AddressLines().Append(taxId).Append(party.Email))
        {
            foreach (var line in layout.Wrap(part, PdfLayout.Body, width))
            {
                layout.Text(line, PdfLayout.Body, PdfLayout.Muted, x, layout.Y);
                layout.Y += lineHeight;
            }
        }
    }
}
