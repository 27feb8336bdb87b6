using Cairn.Domain;

namespace Cairn.Server.Documents;

/// <summary>What an invoice PDF shows besides the invoice itself: what it bills, how to pay, on which paper.</summary>
/// <param name="ContractTitle">The title of the contract the invoice belongs to.</param>
/// <param name="MilestoneTitle">The title of the milestone it bills, when it bills one.</param>
/// <param name="PaymentInstructions">The organization's bank details or other instructions; may be empty.</param>
/// <param name="Paper">A4, or Letter for North American sellers.</param>
public sealed record InvoiceDocument(string ContractTitle, string? MilestoneTitle, string PaymentInstructions, Paper Paper = Paper.A4)
{
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
        using var layout = new PdfLayout(details.Paper, $"Invoice {number}", seller.Name, page =>
        {
            Letterhead.Continuation(page, seller.Name, $"Invoice {number}");
            LinesHeader(page, currency);
        });

        Letterhead.Draw(layout, "INVOICE", seller, "Bill to", invoice.Buyer,
        [
            ("Invoice number", number),
            ("Issue date", Letterhead.Date(invoice.IssueDate)),
            ("Due date", Letterhead.Date(invoice.DueDate)),
            ("Contract", details.ContractTitle),
            ("Milestone", details.MilestoneTitle),
            ("Status", StatusNote(invoice)),
        ]);
        LinesHeader(layout, currency);
        foreach (var line in invoice.Lines.OrderBy(l => l.Position))
            LineRow(layout, line);
        Summary(layout, invoice);
        Notes(layout, invoice, details);
        return layout.Finish($"{seller.Name} · Invoice {number}");
    }

    private static string? StatusNote(Invoice invoice) => invoice.Status switch
    {
        InvoiceStatus.Paid => "Paid in full",
        InvoiceStatus.Void => "Void: credited in full",
        _ when invoice.Disputed => "Disputed",
        _ => null,
    };

    private static void LinesHeader(PdfLayout layout, string currency)
    {
        const double height = 18;
        layout.Fill(PdfLayout.Shade, layout.Left, layout.Y, layout.Width, height);
        var y = layout.Y + 5;
        layout.Text("#", PdfLayout.SmallBold, PdfLayout.Ink, layout.Left + CellPadding, y);
        layout.Text("Description", PdfLayout.SmallBold, PdfLayout.Ink, layout.Left + PositionWidth + CellPadding, y);
        layout.TextRight("Tax rate", PdfLayout.SmallBold, PdfLayout.Ink, RateRight(layout), y);
        layout.TextRight($"Net ({currency})", PdfLayout.SmallBold, PdfLayout.Ink, layout.Right - CellPadding, y);
        layout.Y += height + 4;
    }

    private static void LineRow(PdfLayout layout, InvoiceLine line)
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
        layout.TextRight(Letterhead.Number(line.Net), PdfLayout.Body, PdfLayout.Ink, layout.Right - CellPadding, top);

        layout.Y += 2;
        layout.Line(PdfLayout.Rule, layout.Left, layout.Y, layout.Right);
        layout.Y += 4;
    }

    /// <summary>Tax per rate on the left, totals and what is due on the right; kept together on one page.</summary>
    private static void Summary(PdfLayout layout, Invoice invoice)
    {
        var totals = invoice.Totals;
        var bodyLine = PdfLayout.LineHeight(PdfLayout.Body) + 3;
        var breakdownHeight = 16 + (bodyLine * (totals.PerRate.Count + 1));
        var totalsRows = 4 + (invoice.PaidMinor != 0 ? 1 : 0) + (invoice.CreditedMinor != 0 ? 1 : 0);
        layout.Reserve(Math.Max(breakdownHeight, (bodyLine * totalsRows) + 16) + 12);
        layout.Y += 8;
        var top = layout.Y;

        // The EN 16931 breakdown: per rate, the summed line nets and the tax rounded once.
        var rateX = layout.Left;
        var taxableRight = layout.Left + 170;
        var taxRight = layout.Left + 260;
        layout.Text("TAX BREAKDOWN", PdfLayout.SmallBold, PdfLayout.Muted, rateX, layout.Y);
        layout.Y += 16;
        layout.Text("Rate", PdfLayout.SmallBold, PdfLayout.Ink, rateX, layout.Y);
        layout.TextRight("Taxable amount", PdfLayout.SmallBold, PdfLayout.Ink, taxableRight, layout.Y);
        layout.TextRight("Tax", PdfLayout.SmallBold, PdfLayout.Ink, taxRight, layout.Y);
        layout.Y += bodyLine;
        foreach (var rate in totals.PerRate)
        {
            layout.Text(rate.Rate.ToString(), PdfLayout.Body, PdfLayout.Ink, rateX, layout.Y);
            layout.TextRight(Letterhead.Amount(rate.Net), PdfLayout.Body, PdfLayout.Ink, taxableRight, layout.Y);
            layout.TextRight(Letterhead.Amount(rate.Tax), PdfLayout.Body, PdfLayout.Ink, taxRight, layout.Y);
            layout.Y += bodyLine;
        }

        var breakdownBottom = layout.Y;
        layout.Y = top;
        var labelX = layout.Right - 220;
        Letterhead.TotalRow(layout, labelX, "Net total", invoice.Net);
        Letterhead.TotalRow(layout, labelX, "Tax total", invoice.Tax);
        layout.Line(PdfLayout.StrongRule, labelX, layout.Y, layout.Right);
        layout.Y += 4;
        Letterhead.TotalRow(layout, labelX, "Total", invoice.Gross, strong: true);
        if (invoice.PaidMinor != 0)
            Letterhead.TotalRow(layout, labelX, "Paid", invoice.Paid);
        if (invoice.CreditedMinor != 0)
            Letterhead.TotalRow(layout, labelX, "Credited", invoice.Credited);
        Letterhead.TotalRow(layout, labelX, "Balance due", invoice.Balance, strong: true);
        layout.Y = Math.Max(layout.Y, breakdownBottom) + 14;
    }

    private static void Notes(PdfLayout layout, Invoice invoice, InvoiceDocument details)
    {
        if (!string.IsNullOrWhiteSpace(invoice.TaxExemptionReason))
        {
            Letterhead.Heading(layout, "Tax exemption");
            layout.Paragraph(invoice.TaxExemptionReason, PdfLayout.Body, PdfLayout.Ink, layout.Left, layout.Width);
            layout.Y += 10;
        }

        Letterhead.Heading(layout, "Payment");
        var request = invoice.Balance.IsPositive
            ? $"Please pay {Letterhead.Amount(invoice.Balance)} by {Letterhead.Date(invoice.DueDate)}, quoting {invoice.Number} as the reference."
            : invoice.Status == InvoiceStatus.Void
                ? "This invoice has been credited in full; nothing is due."
                : "This invoice is paid in full; thank you.";
        layout.Paragraph(request, PdfLayout.Body, PdfLayout.Ink, layout.Left, layout.Width);
        if (!string.IsNullOrWhiteSpace(details.PaymentInstructions))
        {
            layout.Y += 4;
            layout.Paragraph(details.PaymentInstructions, PdfLayout.Body, PdfLayout.Ink, layout.Left, layout.Width);
        }
    }

    private static double RateRight(PdfLayout layout) => layout.Right - AmountWidth - CellPadding;
}
