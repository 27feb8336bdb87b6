using Cairn.Domain;
using Cairn.Server.Documents;
using Cairn.Server.Localization;
using Cairn.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Cairn.Server.Tests.Documents.Books;

namespace Cairn.Server.Tests.Documents;

/// <summary>
/// Invoice and credit-note PDFs read back as a person's viewer reads them: every number, name,
/// date and amount is there as selectable text, and every amount is the string the API prints.
/// </summary>
public abstract class InvoicePdfTests<TEngine>(TEngine engine) : IClassFixture<TEngine>
    where TEngine : Engine
{
    [Fact]
    public async Task An_invoice_pdf_shows_number_parties_dates_reference_lines_and_the_totals_the_api_prints()
    {
        var organizationId = await OrganizationAsync();
        var invoiceId = await InvoiceAsync(engine, organizationId, "3000.00", "20");
        var invoice = await LoadAsync(engine, organizationId, invoiceId);

        var pdf = await RenderAsync(organizationId, invoiceId);

        pdf.Shows("INVOICE");
        pdf.Shows(invoice.Number!);
        Assert.Equal("INV-2026-000001", invoice.Number);
        pdf.Shows("Acme Studio");
        pdf.Shows("1 Rue de la Paix, Paris");
        pdf.Shows("VAT ID: FR123");
        pdf.Shows("Globex Corporation");
        pdf.Shows("2 Main Street, Springfield");
        pdf.Shows("Issue date");
        pdf.Shows("2026-11-02");
        pdf.Shows("Due date");
        pdf.Shows(invoice.DueDate!.Value.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        pdf.Shows("Delivery date 2026-11-02");
        pdf.Shows("Contract Website rebuild");
        pdf.Shows("Milestone Design");
        var line = Assert.Single(invoice.Lines);
        pdf.Shows($"1 Website rebuild: Design 20% {Number(line.Net)}");
        var rate = Assert.Single(invoice.Totals.PerRate);
        pdf.Shows($"S 20% {Printed(rate.Net)} {Printed(rate.Tax)}");
        pdf.Shows($"Net total {Printed(invoice.Net)}");
        pdf.Shows($"Tax total {Printed(invoice.Tax)}");
        pdf.Shows($"Total {Printed(invoice.Gross)}");
        pdf.Shows($"Balance due {Printed(invoice.Balance)}");
        pdf.Shows("3,600.00 EUR");
        pdf.Shows($"Please pay 3,600.00 EUR by 2026-12-02, quoting {invoice.Number} as the reference.");
        pdf.Shows(PaymentInstructions);
        Assert.Equal(["Page 1 of 1"], pdf.Pages.Select(p => p[p.IndexOf("Page ", StringComparison.Ordinal)..]));
    }

    [Fact]
    public async Task Lines_at_several_rates_get_one_tax_row_per_rate_with_the_tax_rounded_as_the_domain_rounds_it()
    {
        var organizationId = await OrganizationAsync(reviewDrafts: true);
        var invoiceId = await InvoiceAsync(engine, organizationId, "1000.00", "20", extraLines:
        [
            ("Hosting, first year", "99.99", "7"),
            ("Train tickets for the launch workshop", "45.55", "0"),
            ("Stock photography", "12.34", "7"),
        ]);
        var invoice = await LoadAsync(engine, organizationId, invoiceId);

        var pdf = await RenderAsync(organizationId, invoiceId);

        Assert.Equal(3, invoice.Totals.PerRate.Count);
        foreach (var rate in invoice.Totals.PerRate)
            pdf.Shows($"{rate.Rate} {Printed(rate.Net)} {Printed(rate.Tax)}");
        pdf.Shows("7% 112.33 EUR 7.86 EUR");
        foreach (var line in invoice.Lines)
            pdf.Shows($"{line.Position} {line.Description} {line.TaxRate} {Number(line.Net)}");
        pdf.Shows($"Net total {Printed(invoice.Net)} Tax total {Printed(invoice.Tax)}");
        pdf.Shows($"Total {Printed(invoice.Gross)}");
        Assert.Equal("1,365.74 EUR", Printed(invoice.Gross));
    }

    [Fact]
    public async Task A_tax_exemption_reason_is_printed_beside_a_zero_tax()
    {
        var organizationId = await OrganizationAsync();
        const string reason = "Reverse charge: VAT to be accounted for by the recipient under Article 196 of Council Directive 2006/112/EC.";
        var invoiceId = await InvoiceAsync(engine, organizationId, "2000.00", "0", exemption: reason);

        var pdf = await RenderAsync(organizationId, invoiceId);

        pdf.Shows("Tax exemption".ToUpperInvariant());
        pdf.Shows(reason);
        pdf.Shows("0% 2,000.00 EUR 0.00 EUR");
        pdf.Shows("Balance due 2,000.00 EUR");
    }

    [Fact]
    public async Task A_60_line_invoice_flows_over_pages_with_the_header_repeated_and_every_page_numbered()
    {
        var organizationId = await OrganizationAsync(reviewDrafts: true);
        var extra = Enumerable.Range(2, 59).Select(i => (
            $"Item {i:00}: sprint {i} development of the booking flow, with code review, automated tests, a deployment to staging and a written summary for the client",
            $"{i}.50",
            "20"));
        var invoiceId = await InvoiceAsync(engine, organizationId, "1000.00", "20", extraLines: extra);
        var invoice = await LoadAsync(engine, organizationId, invoiceId);

        var pdf = await RenderAsync(organizationId, invoiceId);

        var pages = pdf.Pages.Count;
        Assert.InRange(pages, 3, 6);
        for (var page = 1; page <= pages; page++)
        {
            pdf.ShowsOnPage(page, $"Page {page} of {pages}");
            pdf.ShowsOnPage(page, "# Description Tax rate Net (EUR)");
            if (page > 1)
                pdf.ShowsOnPage(page, $"Acme Studio Invoice {invoice.Number} (continued)");
        }

        Assert.Equal(60, invoice.Lines.Count);
        foreach (var line in invoice.Lines.Skip(1))
            Assert.Single(pdf.Pages, p => p.Contains($"{line.Position} {line.Description} 20% {Number(line.Net)}", StringComparison.Ordinal));
        pdf.ShowsOnPage(pages, $"Balance due {Printed(invoice.Balance)}");
        Assert.All(pdf.Sizes, size => Assert.Equal((595, 842), ((int)Math.Round(size.Width), (int)Math.Round(size.Height))));
    }

    [Fact]
    public async Task A_paid_in_part_and_credited_invoice_shows_what_was_paid_credited_and_is_still_due()
    {
        var organizationId = await OrganizationAsync();
        var invoiceId = await InvoiceAsync(engine, organizationId, "3000.00", "20");
        await PayAsync(engine, organizationId, invoiceId, "1000.00");
        await CreditAsync(engine, organizationId, invoiceId, "600.00", "Discount agreed for the late delivery of the design.");
        var invoice = await LoadAsync(engine, organizationId, invoiceId);

        var pdf = await RenderAsync(organizationId, invoiceId);

        pdf.Shows($"Total {Printed(invoice.Gross)} Paid {Printed(invoice.Paid)} Credited {Printed(invoice.Credited)} Balance due {Printed(invoice.Balance)}");
        Assert.Equal("2,000.00 EUR", Printed(invoice.Balance));
        pdf.Shows("Please pay 2,000.00 EUR by 2026-12-02");
    }

    [Fact]
    public async Task A_credit_note_pdf_shows_its_number_the_credited_invoice_the_reason_and_the_amounts()
    {
        var organizationId = await OrganizationAsync();
        var invoiceId = await InvoiceAsync(engine, organizationId, "3000.00", "20");
        const string reason = "The client asked for fewer design rounds than quoted; two of the five rounds are taken off the invoice.";
        var noteId = await CreditAsync(engine, organizationId, invoiceId, "360.00", reason);
        await using var db = engine.NewDb(organizationId);
        var note = await db.CreditNotes.AsNoTracking().SingleAsync(n => n.Id == noteId);

        var file = await DocumentFiles.CreditNoteAsync(db, noteId);
        var pdf = PdfText.Read(file!.Content);

        Assert.Equal("CN-2026-000001", note.Number);
        Assert.Equal("CN-2026-000001.pdf", file.FileName);
        pdf.Shows("CREDIT NOTE");
        pdf.Shows($"Credit note {note.Number}");
        pdf.Shows("Credits invoice INV-2026-000001");
        pdf.Shows("Acme Studio");
        pdf.Shows("Globex Corporation");
        pdf.Shows(reason);
        pdf.Shows($"Credit against invoice INV-2026-000001 {Number(note.Net)} {Number(note.Tax)} {Number(note.Gross)}");
        pdf.Shows($"Net credited {Printed(note.Net)} Tax credited {Printed(note.Tax)}");
        pdf.Shows($"Total credited {Printed(note.Gross)}");
        Assert.Equal(("300.00 EUR", "60.00 EUR", "360.00 EUR"), (Printed(note.Net), Printed(note.Tax), Printed(note.Gross)));
        pdf.Shows("Page 1 of 1");
    }

    [Fact]
    public async Task Names_in_greek_and_cyrillic_are_searchable_text_too()
    {
        var organizationId = await OrganizationAsync();
        var invoiceId = await InvoiceAsync(engine, organizationId, buyer: "Αθηνά Σύμβουλοι — Київ Дизайн Straße");

        var pdf = await RenderAsync(organizationId, invoiceId);

        pdf.Shows("Αθηνά Σύμβουλοι — Київ Дизайн Straße");
        pdf.Shows("INV-2026-000001");
    }

    [Theory]
    [InlineData("株式会社東京デザイン")]
    [InlineData("北京设计有限公司")]
    [InlineData("서울디자인 주식회사")]
    [InlineData("شركة النور للتصميم")]
    [InlineData("סטודיו אור בע״מ")]
    [InlineData("दिल्ली डिज़ाइन स्टूडियो")]
    [InlineData("บริษัท สยามดีไซน์ จำกัด")]
    [InlineData("Αθηνά Σύμβουλοι")]
    [InlineData("Київ Дизайн")]
    [InlineData("Globex 東京 شركة 42 Ltd")]
    public async Task A_client_named_in_any_script_is_billed_by_name_in_reading_order(string name)
    {
        var organizationId = await OrganizationAsync();
        var invoiceId = await InvoiceAsync(engine, organizationId, buyer: name);

        var file = await FileAsync(organizationId, invoiceId);
        var pdf = PdfText.Read(file);

        pdf.Shows($"BILL TO {name} 2 Main Street, Springfield");
        pdf.Shows("Balance due 3,600.00 EUR");
        Assert.All(Poppler.Fonts(file), font => Assert.True(font.Embedded, $"{font.Name} is not embedded"));
    }

    [Fact]
    public async Task Right_to_left_names_are_drawn_from_the_right_and_read_from_their_first_letter()
    {
        var organizationId = await OrganizationAsync();
        var invoiceId = await InvoiceAsync(engine, organizationId, buyer: "שלום עולם");

        var file = await FileAsync(organizationId, invoiceId);

        using var document = UglyToad.PdfPig.PdfDocument.Open(file);
        var letters = document.GetPage(1).Letters;
        var first = Assert.Single(letters, l => l.Value == "ש");
        var later = Assert.Single(letters, l => l.Value == "ע");
        Assert.True(first.StartBaseLine.X > later.StartBaseLine.X, "Hebrew is drawn from the right: its first word rightmost");
        PdfText.Read(file).Shows("שלום עולם");
    }

    [Fact]
    public async Task A_credit_note_names_a_client_in_arabic_and_japanese()
    {
        var organizationId = await OrganizationAsync();
        const string name = "شركة النور 東京支店";
        var invoiceId = await InvoiceAsync(engine, organizationId, buyer: name);
        var noteId = await CreditAsync(engine, organizationId, invoiceId, "360.00", "Two design rounds fewer than quoted.");
        await using var db = engine.NewDb(organizationId);

        var file = await DocumentFiles.CreditNoteAsync(db, noteId);

        PdfText.Read(file!.Content).Shows($"CREDIT TO {name}");
    }

    [Fact]
    public async Task Characters_the_font_lacks_and_words_longer_than_a_line_still_render_the_rest_of_the_invoice()
    {
        var organizationId = await OrganizationAsync(reviewDrafts: true);
        var longWord = string.Concat(Enumerable.Repeat("ABCDEFGHIJ", 30));
        var invoiceId = await InvoiceAsync(engine, organizationId, buyer: "北京设计有限公司 🚀 Studio", extraLines: [(longWord, "10.00", "20")]);

        var pdf = await RenderAsync(organizationId, invoiceId);

        pdf.Shows("Studio");
        pdf.Shows("INV-2026-000001");
        Assert.Contains(longWord, pdf.All.Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
        pdf.Shows("Total 3,612.00 EUR");
    }

    [Theory]
    [InlineData(Language.De, "RECHNUNG", "Rechnung an", "Rechnungsdatum 02.11.2026", "Summe netto 3.000,00 EUR", "Offener Betrag 3.600,00 EUR", "Bitte überweisen Sie 3.600,00 EUR bis zum 02.12.2026", "Seite 1 von 1")]
    [InlineData(Language.Fr, "FACTURE", "FACTURÉ À", "Date d'émission 02/11/2026", "Total HT 3 000,00 EUR", "Reste à payer 3 600,00 EUR", "Merci de régler 3 600,00 EUR au plus tard le 02/12/2026", "Page 1 sur 1")]
    [InlineData(Language.Nl, "FACTUUR", "FACTUUR AAN", "Factuurdatum 02-11-2026", "Totaal netto 3.000,00 EUR", "Te betalen 3.600,00 EUR", "Gelieve 3.600,00 EUR te betalen vóór 02-12-2026", "Pagina 1 van 1")]
    [InlineData(Language.Es, "FACTURA", "FACTURAR A", "Fecha de emisión 02/11/2026", "Total neto 3.000,00 EUR", "Importe pendiente 3.600,00 EUR", "Le rogamos que abone 3.600,00 EUR antes del 02/12/2026", "Página 1 de 1")]
    [InlineData(Language.En, "INVOICE", "BILL TO", "Issue date 2026-11-02", "Net total 3,000.00 EUR", "Balance due 3,600.00 EUR", "Please pay 3,600.00 EUR by 2026-12-02", "Page 1 of 1")]
    // French groups with a no-break space, which a PDF reader's text (like PdfText) gives as a space.
    public async Task An_invoice_speaks_its_clients_language(Language language, string title, string billTo, string issued, string net, string due, string request, string page)
    {
        var organizationId = await OrganizationAsync();
        var invoiceId = await InvoiceAsync(engine, organizationId, language: language);

        var pdf = await RenderAsync(organizationId, invoiceId);

        foreach (var expected in new[] { title, billTo.ToUpperInvariant(), issued, net, due, request, page })
            pdf.Shows(expected);
        if (language != Language.En)
            Assert.DoesNotContain("Balance due", pdf.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_credit_note_speaks_its_clients_language()
    {
        var organizationId = await OrganizationAsync();
        var invoiceId = await InvoiceAsync(engine, organizationId, language: Language.De);
        var noteId = await CreditAsync(engine, organizationId, invoiceId, "360.00", "Zwei Entwurfsrunden weniger als angeboten.");
        await using var db = engine.NewDb(organizationId);

        var file = await DocumentFiles.CreditNoteAsync(db, noteId);
        var pdf = PdfText.Read(file!.Content);

        pdf.Shows("RECHNUNGSKORREKTUR");
        pdf.Shows("Korrigiert Rechnung INV-2026-000001");
        pdf.Shows("Gesamt gutgeschrieben 360,00 EUR");
        pdf.Shows("Diese Rechnungskorrektur mindert den offenen Betrag der Rechnung INV-2026-000001 um 360,00 EUR.");
    }

    [Fact]
    public async Task Invoice_and_credit_note_pdfs_print_each_partys_street_postcode_city_and_country_from_the_issued_snapshot()
    {
        var organizationId = await OrganizationAsync();
        await using (var db = engine.NewDb(organizationId))
        {
            var organization = await db.Organizations.SingleAsync();
            organization.Party = new PartyDetails { AddressLine1 = "12 Rue de Rivoli", AddressLine2 = "Bâtiment B", PostalCode = "75001", City = "Paris", CountryCode = "FR" };
            await db.SaveChangesAsync();
        }

        var buyer = new PartyDetails { AddressLine1 = "Hauptstraße 5", PostalCode = "10115", City = "Berlin", CountryCode = "DE" };
        var invoiceId = await InvoiceAsync(engine, organizationId, language: Language.De, party: buyer);
        var noteId = await CreditAsync(engine, organizationId, invoiceId, "360.00", "Eine Entwurfsrunde weniger.");
        await using var read = engine.NewDb(organizationId);
        var invoicePdf = PdfText.Read((await DocumentFiles.InvoiceAsync(read, invoiceId))!.Content);
        var notePdf = PdfText.Read((await DocumentFiles.CreditNoteAsync(read, noteId))!.Content);

        invoicePdf.Shows("Acme Studio 12 Rue de Rivoli Bâtiment B 75001 Paris FR USt-IdNr.: FR123");
        invoicePdf.Shows("RECHNUNG AN Globex Corporation Hauptstraße 5 10115 Berlin DE USt-IdNr.: US-EIN 12-3456789 ap@globex.test");
        notePdf.Shows("Acme Studio 12 Rue de Rivoli Bâtiment B 75001 Paris FR USt-IdNr.: FR123");
        notePdf.Shows("Globex Corporation Hauptstraße 5 10115 Berlin DE USt-IdNr.: US-EIN 12-3456789");
        // The structured address replaces the free text: the letterhead does not print both.
        Assert.DoesNotContain("1 Rue de la Paix", invoicePdf.All, StringComparison.Ordinal);
        Assert.DoesNotContain("2 Main Street", notePdf.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_totals_label_ends_left_of_its_amount_in_every_language_on_invoices_and_credit_notes()
    {
        var organizationId = await OrganizationAsync();
        var invoiceId = await InvoiceAsync(engine, organizationId, "999999.99", "20");
        await PayAsync(engine, organizationId, invoiceId, "100000.00");
        var noteId = await CreditAsync(engine, organizationId, invoiceId, "1000000.00", "Scope reduced.");
        var invoice = await LoadAsync(engine, organizationId, invoiceId);
        await using var db = engine.NewDb(organizationId);
        var note = await db.CreditNotes.AsNoTracking().SingleAsync(n => n.Id == noteId);

        foreach (var language in Enum.GetValues<Language>())
        {
            var w = Wording.For(language);
            PdfLayoutCheck.LabelsEndBeforeAmounts(
                InvoicePdf.Render(invoice, new InvoiceDocument("Website rebuild", "Design", PaymentInstructions, Language: language)),
                [(w.NetTotal, invoice.Net), (w.TaxTotal, invoice.Tax), (w.Total, invoice.Gross), (w.Paid, invoice.Paid), (w.Credited, invoice.Credited), (w.BalanceDue, invoice.Balance)],
                language);
            PdfLayoutCheck.LabelsEndBeforeAmounts(
                CreditNotePdf.Render(note, new CreditNoteDocument(invoice.Number!, "Website rebuild", Language: language)),
                [(w.NetCredited, note.Net), (w.TaxCredited, note.Tax), (w.TotalCredited, note.Gross)],
                language);
        }
    }

    [Fact]
    public async Task A_draft_invoice_has_no_pdf_because_it_has_no_number_yet()
    {
        var organizationId = await OrganizationAsync(reviewDrafts: true);
        var invoiceId = await InvoiceAsync(engine, organizationId, issue: false);
        await using var db = engine.NewDb(organizationId);

        var refused = await Assert.ThrowsAsync<DomainException>(() => DocumentFiles.InvoiceAsync(db, invoiceId));

        Assert.Equal((DomainErrorKind.Conflict, "invalid_transition"), (refused.Error.Kind, refused.Error.Code));
    }

    [Fact]
    public async Task Invoices_rendered_in_parallel_each_read_back_intact()
    {
        var organizationId = await OrganizationAsync();
        var invoices = new List<Invoice>();
        for (var i = 1; i <= 8; i++)
            invoices.Add(await LoadAsync(engine, organizationId, await InvoiceAsync(engine, organizationId, $"{i}000.00", "20")));
        var details = new InvoiceDocument("Website rebuild", "Design", PaymentInstructions);

        var pdfs = await Task.WhenAll(invoices.SelectMany(invoice => Enumerable.Range(0, 4).Select(_ => Task.Run(() => (invoice, pdf: PdfText.Read(InvoicePdf.Render(invoice, details)))))));

        Assert.All(pdfs, r =>
        {
            r.pdf.Shows(r.invoice.Number!);
            r.pdf.Shows($"Total {Printed(r.invoice.Gross)}");
        });
    }

    private async Task<Guid> OrganizationAsync(bool reviewDrafts = false)
    {
        var (organization, _) = await Seed.OrganizationAsync(engine);
        await ConfigureAsync(engine, organization.Id, reviewDrafts);
        return organization.Id;
    }

    private async Task<byte[]> FileAsync(Guid organizationId, Guid invoiceId)
    {
        await using var db = engine.NewDb(organizationId);
        var file = await DocumentFiles.InvoiceAsync(db, invoiceId);
        Assert.NotNull(file);
        return file.Content;
    }

    private async Task<PdfText> RenderAsync(Guid organizationId, Guid invoiceId)
    {
        await using var db = engine.NewDb(organizationId);
        var file = await DocumentFiles.InvoiceAsync(db, invoiceId);
        Assert.NotNull(file);
        return PdfText.Read(file.Content);
    }
}

public sealed class SqliteInvoicePdf(SqliteEngine engine) : InvoicePdfTests<SqliteEngine>(engine);

public sealed class PostgresInvoicePdf(PostgresEngine engine) : InvoicePdfTests<PostgresEngine>(engine);
