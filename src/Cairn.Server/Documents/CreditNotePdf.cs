using Cairn.Domain;
using Cairn.Server.Localization;

namespace Cairn.Server.Documents;

/// <summary>What a credit-note PDF shows besides the credit note: the invoice it corrects and the paper.</summary>
/// <param name="CreditedInvoiceNumber">The number of the invoice the credit note reduces.</param>
/// <param name="ContractTitle">The title of that invoice's contract, when known.</param>
/// <param name="Paper">A4, or Letter for North American sellers.</param>
/// <param name="Language">The client's language: labels, dates and number formats.</param>
/// <param name="FacturX">The credit note's CII XML (EN 16931, type 381) to embed, making the PDF a Factur-X PDF/A-3; null for a plain PDF.</param>
public sealed record CreditNoteDocument(string CreditedInvoiceNumber, string? ContractTitle, Paper Paper = Paper.A4, Language Language = Language.En, byte[]? FacturX = null)
{
    /// <summary>The organization's logo and accent; Cairn's own when null.</summary>
    public DocumentBrand? Brand { get; init; }

    /// <summary>The tax groups the credit note takes back (<see cref="CreditNote.GroupsOn"/>); with more than one, the PDF shows a row for each.</summary>
    public IReadOnlyList<TaxSubtotal>? Groups { get; init; }
}

/// <summary>
/// Renders a credit note as a PDF: seller and buyer, its number and date, the invoice it credits,
/// the reason, the credited net, tax and total of each tax group it takes back (one row when there is one) and in all,
/// written as the web app writes them.
/// </summary>
public static class CreditNotePdf
{
    private const double AmountWidth = 100;

    /// <summary>Renders the credit note.</summary>
    public static byte[] Render(CreditNote note, CreditNoteDocument details)
    {
        ArgumentNullException.ThrowIfNull(note);
        ArgumentNullException.ThrowIfNull(details);
        var seller = note.Seller ?? new PartySnapshot("", "", "", "");
        var buyer = note.Buyer ?? new PartySnapshot("", "", "", "");
        var currency = note.Currency.Code;
        var language = details.Language;
        var w = Wording.For(language);
        var named = Wording.Format(w.CreditNoteNamed, note.Number);
        using var layout = new PdfLayout(details.Paper, named, seller.Name, page => Letterhead.Continuation(page, w, seller.Name, named));
        // Like an invoice, the same bytes at every download and in the email (file ids, dates, subset tags from the note).
        layout.Identify(note.Id, note.CreatedAt);
        layout.Brand = details.Brand ?? DocumentBrand.Cairn;
        if (details.FacturX is { } cii)
            layout.EmbedFacturX(cii);

        Letterhead.Draw(layout, w, w.CreditNoteTitle, seller, w.CreditTo, buyer,
        [
            (w.CreditNoteNumber, note.Number),
            (w.IssueDate, Letterhead.Date(note.IssueDate, language)),
            (w.CreditsInvoice, details.CreditedInvoiceNumber),
            (w.Contract, details.ContractTitle),
        ]);

        Letterhead.Heading(layout, w.Reason);
        layout.Paragraph(note.Reason, PdfLayout.Body, PdfLayout.Ink, layout.Left, layout.Width);
        layout.Y += 12;

        layout.Reserve(120);
        const double headerHeight = 18;
        var grossRight = layout.Right - 4;
        var taxRight = grossRight - AmountWidth;
        var netRight = taxRight - AmountWidth;
        layout.Fill(PdfLayout.Shade, layout.Left, layout.Y, layout.Width, headerHeight);
        var y = layout.Y + 5;
        layout.Text(w.Description, PdfLayout.SmallBold, PdfLayout.Ink, layout.Left + 4, y);
        layout.TextRight(Wording.Format(w.NetIn, currency), PdfLayout.SmallBold, PdfLayout.Ink, netRight, y);
        layout.TextRight(Wording.Format(w.TaxIn, currency), PdfLayout.SmallBold, PdfLayout.Ink, taxRight, y);
        layout.TextRight(Wording.Format(w.TotalIn, currency), PdfLayout.SmallBold, PdfLayout.Ink, grossRight, y);
        layout.Y += headerHeight + 4;
        var rows = details.Groups is { Count: > 1 } groups
            ? groups.Select(g => ($"{Wording.Format(w.CreditAgainst, details.CreditedInvoiceNumber)} ({g.Category} {g.Rate})", g.Net, g.Tax))
            : [(Wording.Format(w.CreditAgainst, details.CreditedInvoiceNumber), note.Net, note.Tax)];
        foreach (var (text, net, tax) in rows)
        {
            layout.Reserve(PdfLayout.LineHeight(PdfLayout.Body) + 2);
            layout.Text(text, PdfLayout.Body, PdfLayout.Ink, layout.Left + 4, layout.Y);
            layout.TextRight(Letterhead.Number(net, language), PdfLayout.Body, PdfLayout.Ink, netRight, layout.Y);
            layout.TextRight(Letterhead.Number(tax, language), PdfLayout.Body, PdfLayout.Ink, taxRight, layout.Y);
            layout.TextRight(Letterhead.Number(net + tax, language), PdfLayout.Body, PdfLayout.Ink, grossRight, layout.Y);
            layout.Y += PdfLayout.LineHeight(PdfLayout.Body) + 2;
        }

        layout.Line(PdfLayout.Rule, layout.Left, layout.Y, layout.Right);
        layout.Y += 12;

        var labelX = layout.Right - 220;
        Letterhead.TotalRow(layout, language, labelX, w.NetCredited, note.Net);
        Letterhead.TotalRow(layout, language, labelX, w.TaxCredited, note.Tax);
        layout.Line(layout.AccentRule, labelX, layout.Y, layout.Right);
        layout.Y += 4;
        Letterhead.TotalRow(layout, language, labelX, w.TotalCredited, note.Gross, strong: true);
        layout.Y += 14;

        layout.Paragraph(
            Wording.Format(w.CreditReduces, details.CreditedInvoiceNumber, Letterhead.Amount(note.Gross, language)),
            PdfLayout.Body, PdfLayout.Ink, layout.Left, layout.Width);
        return layout.Finish($"{seller.Name} · {named}", w.PageOf);
    }
}
