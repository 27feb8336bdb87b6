using Cairn.Domain;
using Cairn.Server.Localization;

namespace Cairn.Server.Documents;

/// <summary>What an invoice PDF shows besides the invoice itself: what it bills, how to pay, on which paper.</summary>
/// <param name="ContractTitle">The title of the contract the invoice belongs to.</param>
/// <param name="MilestoneTitle">The title of the milestone it bills, when it bills one.</param>
/// <param name="PaymentInstructions">The organization's bank details or other instructions; may be empty.</param>
/// <param name="Paper">A4, or Letter for North American sellers.</param>
/// <param name="Language">The client's language: labels, dates and number formats.</param>
/// <param name="FacturX">The invoice's CII XML (EN 16931) to embed, making the PDF a Factur-X PDF/A-3; null for a plain PDF.</param>
public sealed record InvoiceDocument(string ContractTitle, string? MilestoneTitle, string PaymentInstructions, Paper Paper = Paper.A4, Language Language = Language.En, byte[]? FacturX = null)
{
    /// <summary>The organization's logo and accent; Cairn's own when null.</summary>
    public DocumentBrand? Brand { get; init; }

    /// <summary>Letter for organizations that bill in US or Canadian dollars, A4 for everyone else.</summary>
    public static Paper PaperFor(Currency currency) => currency.Code is "USD" or "CAD" ? Paper.Letter : Paper.A4;
}

/// <summary>
/// Renders an issued invoice as a PDF: seller and buyer, number and dates, the contract and
/// milestone it bills, its lines, the EN 16931 tax breakdown, totals, what is paid and due, and
/// how to pay. Every amount is written as the web app writes it for people (<c>3,600.00 EUR</c>).
/// </summary>
public static class InvoicePdf
{
    private const double PositionWidth = 24;
    private const double RateWidth = 56;
    private const double AmountWidth = 110;
    private const double CellPadding = 4;

    /// <summary>Renders the invoice; a draft has no number yet and cannot be rendered.</summary>
    /// <exception cref="DomainException"><c>invalid_transition</c> for a draft invoice.</exception>
    public static byte[] Render(Invoice invoice, InvoiceDocument details)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        ArgumentNullException.ThrowIfNull(details);
        if (invoice.Status == InvoiceStatus.Draft || invoice.Number is null || invoice.Seller is null || invoice.Buyer is null)
            throw new DomainException(new InvalidTransition("invoice", invoice.Id, "print", invoice.Status.ToString(), "A draft invoice has no number yet; issue it before printing it."));

        var number = invoice.Number;
        var seller = invoice.Seller;
        var currency = invoice.Currency.Code;
        var language = details.Language;
        var w = Wording.For(language);
        var named = Wording.Format(w.InvoiceNamed, number);
        using var layout = new PdfLayout(details.Paper, named, seller.Name, page =>
        {
            Letterhead.Continuation(page, w, seller.Name, named);
            LinesHeader(page, w, currency);
        });
        layout.Identify(invoice.Id, invoice.IssuedAt ?? invoice.CreatedAt);
        layout.Brand = details.Brand ?? DocumentBrand.Cairn;
        if (details.FacturX is { } cii)
            layout.EmbedFacturX(cii);

        Letterhead.Draw(layout, w, invoice.Prepayment ? w.PrepaymentInvoiceTitle : w.InvoiceTitle, seller, w.BillTo, invoice.Buyer,
        [
            (w.InvoiceNumber, number),
            (w.IssueDate, Letterhead.Date(invoice.IssueDate, language)),
            (w.DueDate, Letterhead.Date(invoice.DueDate, language)),
            (w.DeliveryDate, invoice.DeliveryDate is { } delivered ? Letterhead.Date(delivered, language) : null),
            (w.Contract, details.ContractTitle),
            (w.Milestone, details.MilestoneTitle),
            (w.Status, StatusNote(invoice, w)),
        ]);
        LinesHeader(layout, w, currency);
        foreach (var line in invoice.Lines.OrderBy(l => l.Position))
            LineRow(layout, line, language);
        Summary(layout, invoice, w, language);
        Notes(layout, invoice, details, w);
        return layout.Finish($"{seller.Name} · {named}", w.PageOf);
    }

    private static string? StatusNote(Invoice invoice, Wording w) => invoice.Status switch
    {
        InvoiceStatus.Paid => w.PaidInFull,
        InvoiceStatus.Void => w.VoidCredited,
        _ when invoice.Disputed => w.Disputed,
        _ => null,
    };

    private static void LinesHeader(PdfLayout layout, Wording w, string currency)
    {
        const double height = 18;
        layout.Fill(PdfLayout.Shade, layout.Left, layout.Y, layout.Width, height);
        var y = layout.Y + 5;
        layout.Text("#", PdfLayout.SmallBold, PdfLayout.Ink, layout.Left + CellPadding, y);
        layout.Text(w.Description, PdfLayout.SmallBold, PdfLayout.Ink, layout.Left + PositionWidth + CellPadding, y);
        layout.TextRight(w.TaxRate, PdfLayout.SmallBold, PdfLayout.Ink, RateRight(layout), y);
        layout.TextRight(Wording.Format(w.NetIn, currency), PdfLayout.SmallBold, PdfLayout.Ink, layout.Right - CellPadding, y);
        layout.Y += height + 4;
    }

    private static void LineRow(PdfLayout layout, InvoiceLine line, Language language)
    {
        var descriptionX = layout.Left + PositionWidth + CellPadding;
        var descriptionWidth = RateRight(layout) - RateWidth - descriptionX;
        var lineHeight = PdfLayout.LineHeight(PdfLayout.Body);
        var text = layout.Wrap(line.Description, PdfLayout.Body, descriptionWidth);
        layout.Reserve((text.Count * lineHeight) + 6);
        // Drawn in reading order (position, description, rate, amount) so that copied or extracted text reads as the row does.
        var top = layout.Y;
        layout.Text(line.Position.ToString(System.Globalization.CultureInfo.InvariantCulture), PdfLayout.Body, PdfLayout.Muted, layout.Left + CellPadding, top);
        foreach (var part in text)
        {
            layout.Text(part, PdfLayout.Body, PdfLayout.Ink, descriptionX, layout.Y);
            layout.Y += lineHeight;
        }

        layout.TextRight(line.TaxRate.ToString(), PdfLayout.Body, PdfLayout.Ink, RateRight(layout), top);
        layout.TextRight(Letterhead.Number(line.Net, language), PdfLayout.Body, PdfLayout.Ink, layout.Right - CellPadding, top);

        layout.Y += 2;
        layout.Line(PdfLayout.Rule, layout.Left, layout.Y, layout.Right);
        layout.Y += 4;
    }

    /// <summary>Tax per rate on the left, totals and what is due on the right; kept together on one page.</summary>
    private static void Summary(PdfLayout layout, Invoice invoice, Wording w, Language language)
    {
        var totals = invoice.Totals;
        var bodyLine = PdfLayout.LineHeight(PdfLayout.Body) + 3;
        var breakdownHeight = 16 + (bodyLine * (totals.PerRate.Count + 1));
        var totalsRows = 4 + (invoice.PaidMinor != 0 ? 1 : 0) + (invoice.CreditedMinor != 0 ? 1 : 0);
        layout.Reserve(Math.Max(breakdownHeight, (bodyLine * totalsRows) + 16) + 12);
        layout.Y += 8;
        var top = layout.Y;

        // The EN 16931 breakdown: per (category, rate), the summed line nets and the tax rounded once.
        var rateX = layout.Left;
        var taxableRight = layout.Left + 170;
        var taxRight = layout.Left + 260;
        layout.Text(w.TaxBreakdown.ToUpperInvariant(), PdfLayout.SmallBold, PdfLayout.Muted, rateX, layout.Y);
        layout.Y += 16;
        layout.Text(w.Rate, PdfLayout.SmallBold, PdfLayout.Ink, rateX, layout.Y);
        layout.TextRight(w.TaxableAmount, PdfLayout.SmallBold, PdfLayout.Ink, taxableRight, layout.Y);
        layout.TextRight(w.Tax, PdfLayout.SmallBold, PdfLayout.Ink, taxRight, layout.Y);
        layout.Y += bodyLine;
        foreach (var rate in totals.PerRate)
        {
            // Labelled by UNCL5305 category as the e-invoice is (S 20%, AE 0%); outside the scope of VAT has no rate.
            layout.Text(rate.Category == TaxCategory.O ? "O" : $"{rate.Category} {rate.Rate}", PdfLayout.Body, PdfLayout.Ink, rateX, layout.Y);
            layout.TextRight(Letterhead.Amount(rate.Net, language), PdfLayout.Body, PdfLayout.Ink, taxableRight, layout.Y);
            layout.TextRight(Letterhead.Amount(rate.Tax, language), PdfLayout.Body, PdfLayout.Ink, taxRight, layout.Y);
            layout.Y += bodyLine;
        }

        var breakdownBottom = layout.Y;
        layout.Y = top;
        var labelX = layout.Right - 220;
        Letterhead.TotalRow(layout, language, labelX, w.NetTotal, invoice.Net);
        Letterhead.TotalRow(layout, language, labelX, w.TaxTotal, invoice.Tax);
        layout.Line(layout.AccentRule, labelX, layout.Y, layout.Right);
        layout.Y += 4;
        Letterhead.TotalRow(layout, language, labelX, w.Total, invoice.Gross, strong: true);
        if (invoice.PaidMinor != 0)
            Letterhead.TotalRow(layout, language, labelX, w.Paid, invoice.Paid);
        if (invoice.CreditedMinor != 0)
            Letterhead.TotalRow(layout, language, labelX, w.Credited, invoice.Credited);
        Letterhead.TotalRow(layout, language, labelX, w.BalanceDue, invoice.Balance, strong: true);
        layout.Y = Math.Max(layout.Y, breakdownBottom) + 14;
    }

    private static void Notes(PdfLayout layout, Invoice invoice, InvoiceDocument details, Wording w)
    {
        if (!string.IsNullOrWhiteSpace(invoice.TaxExemptionReason))
        {
            Letterhead.Heading(layout, w.TaxExemption);
            layout.Paragraph(invoice.TaxExemptionReason, PdfLayout.Body, PdfLayout.Ink, layout.Left, layout.Width);
            layout.Y += 10;
        }

        Letterhead.Heading(layout, w.Payment);
        var request = invoice.Balance.IsPositive
            ? Wording.Format(w.PleasePay, Letterhead.Amount(invoice.Balance, details.Language), Letterhead.Date(invoice.DueDate, details.Language), invoice.Number!)
            : invoice.Status == InvoiceStatus.Void
                ? w.NothingDueCredited
                : w.NothingDuePaid;
        layout.Paragraph(request, PdfLayout.Body, PdfLayout.Ink, layout.Left, layout.Width);
        if (!string.IsNullOrWhiteSpace(details.PaymentInstructions))
        {
            layout.Y += 4;
            layout.Paragraph(details.PaymentInstructions, PdfLayout.Body, PdfLayout.Ink, layout.Left, layout.Width);
        }
    }

    private static double RateRight(PdfLayout layout) => layout.Right - AmountWidth - CellPadding;
}
