using System.Net;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Cairn.Domain;
using CairnDb = Cairn.Server.Data.CairnDb;
using Cairn.Server.Demo;
using Cairn.Server.Documents;
using Cairn.Server.Tests.Documents;
using Cairn.Server.Tests.Infrastructure;
using UglyToad.PdfPig.Parser.Parts;
using UglyToad.PdfPig.Tokens;

namespace Cairn.Server.Tests.EInvoicing;

/// <summary>
/// Invoices and credit notes as EN 16931 e-invoices in UBL 2.1: every kind Cairn issues, judged by
/// the official validation artefacts, and Cairn's own checks where those rules are blind.
/// </summary>
public abstract class EInvoiceApiTests<TEngine>(TEngine engine) : IClassFixture<TEngine>, IAsyncLifetime
    where TEngine : Engine
{
    private static readonly XNamespace Cbc = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2";
    private static readonly XNamespace Cac = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2";
    private static readonly XNamespace Rsm = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100";
    private static readonly XNamespace Ram = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100";

    private CairnApp _app = null!;

    public Task InitializeAsync()
    {
        _app = new CairnApp(engine);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Every_kind_of_document_in_UBL_and_CII_passes_the_official_EN16931_rules_with_no_fatal_finding_and_no_warning()
    {
        var api = await SellerAsync();
        var documents = new Dictionary<string, byte[]>();

        var plain = await InvoiceAsync(api, await ClientAsync(api, "Globex", "FR"), "3000.00");
        documents["standard-rate"] = await UblAsync(api, $"/api/v1/invoices/{plain.Str("id")}/ubl");
        var note = await api.PostOkAsync($"/api/v1/invoices/{plain.Str("id")}/credit-notes", new { amount = new { amount = plain.Str("gross.amount"), currency = "EUR" }, reason = "Cancelled by agreement" });
        documents["credit-note"] = await UblAsync(api, $"/api/v1/credit-notes/{note.Str("id")}/ubl");
        documents["credit-note-cii"] = await UblAsync(api, $"/api/v1/credit-notes/{note.Str("id")}/cii");
        documents["credit-note-factur-x"] = Poppler.Attachment(await PdfAsync(api, $"/api/v1/credit-notes/{note.Str("id")}/pdf"), "factur-x.xml");

        var belgian = await ClientAsync(api, "Brussels Buyer", "BE", taxId: "BE0123456789");
        var reverse = await InvoiceAsync(api, belgian, "4000.00", tax: new { taxCategory = "AE", taxRate = "0" });
        documents["reverse-charge"] = await UblAsync(api, $"/api/v1/invoices/{reverse.Str("id")}/ubl");

        var german = await ClientAsync(api, "Berlin Buyer", "DE", taxId: "DE123456789");
        var intraCommunity = await InvoiceAsync(api, german, "2500.00", tax: new { taxCategory = "K", taxRate = "0" });
        documents["intra-community"] = await UblAsync(api, $"/api/v1/invoices/{intraCommunity.Str("id")}/ubl");

        var exempt = await InvoiceAsync(api, await ClientAsync(api, "Lycée", "FR"), "1200.00", tax: new { taxRate = "0", taxExemptionCode = "VATEX-EU-132" });
        documents["exempt"] = await UblAsync(api, $"/api/v1/invoices/{exempt.Str("id")}/ubl");

        var yen = await InvoiceAsync(api, await ClientAsync(api, "Tokyo Buyer", "FR"), "150000", "JPY");
        documents["zero-minor-digits"] = await UblAsync(api, $"/api/v1/invoices/{yen.Str("id")}/ubl");

        var dinar = await InvoiceAsync(api, await ClientAsync(api, "Manama Buyer", "FR"), "100.000", "BHD");
        documents["three-minor-digits"] = await UblAsync(api, $"/api/v1/invoices/{dinar.Str("id")}/ubl");

        var peppol = await ClientAsync(api, "Peppol Buyer", "BE", taxId: "BE0987654321", extra: new { eInvoiceProfile = "peppol" }, endpoint: ("0987654321", "0208"));
        var peppolInvoice = await InvoiceAsync(api, peppol, "1000.00", references: new { purchaseOrderReference = "PO-2026-7" });
        documents["peppol"] = await UblAsync(api, $"/api/v1/invoices/{peppolInvoice.Str("id")}/ubl");

        var xrechnung = await ClientAsync(api, "Bundesamt", "DE", extra: new { eInvoiceProfile = "xrechnung" }, endpoint: ("991-12345-67", "0204"));
        var xrechnungInvoice = await InvoiceAsync(api, xrechnung, "5000.00", references: new { buyerReference = "991-12345-67" });
        documents["xrechnung"] = await UblAsync(api, $"/api/v1/invoices/{xrechnungInvoice.Str("id")}/ubl");

        var (multiRate, multiRateInvoice, multiRateSeller) = await MultiRateInvoiceAsync();
        documents["several-rates-and-a-discount"] = multiRate;
        var multiRateNote = await multiRateSeller.PostOkAsync($"/api/v1/invoices/{multiRateInvoice.Str("id")}/credit-notes", new { amount = new { amount = multiRateInvoice.Str("gross.amount"), currency = "EUR" }, reason = "Launch cancelled" });
        documents["several-rates-credit-note"] = await UblAsync(multiRateSeller, $"/api/v1/credit-notes/{multiRateNote.Str("id")}/ubl");
        documents["several-rates-credit-note-cii"] = await UblAsync(multiRateSeller, $"/api/v1/credit-notes/{multiRateNote.Str("id")}/cii");
        documents["several-rates-credit-note-factur-x"] = Poppler.Attachment(await PdfAsync(multiRateSeller, $"/api/v1/credit-notes/{multiRateNote.Str("id")}/pdf"), "factur-x.xml");

        // Every invoice also as CII (the XML of Factur-X), and its PDF, JSON, UBL and CII carry the same numbers.
        var invoices = new[] { ("standard-rate", plain, api), ("reverse-charge", reverse, api), ("intra-community", intraCommunity, api), ("exempt", exempt, api), ("zero-minor-digits", yen, api), ("three-minor-digits", dinar, api), ("peppol", peppolInvoice, api), ("xrechnung", xrechnungInvoice, api), ("several-rates-and-a-discount", multiRateInvoice, multiRateSeller) };
        foreach (var (name, invoice, seller) in invoices)
        {
            documents[name + "-cii"] = await UblAsync(seller, $"/api/v1/invoices/{invoice.Str("id")}/cii");
            documents[name + "-factur-x"] = Poppler.Attachment(await PdfAsync(seller, $"/api/v1/invoices/{invoice.Str("id")}/pdf"), "factur-x.xml");
            await SameNumbers.CheckAsync(seller, await seller.GetOkAsync($"/api/v1/invoices/{invoice.Str("id")}"), documents[name], documents[name + "-cii"]);
        }

        var findings = Validator.Validate(documents);

        Assert.All(findings, f => Assert.True(f.Value.Count == 0, $"{f.Key}: {string.Join("; ", f.Value)}"));
        Assert.Equal("380", Text(documents["standard-rate"], Cbc + "InvoiceTypeCode"));
        Assert.Equal("381", Text(documents["credit-note"], Cbc + "CreditNoteTypeCode"));
        Assert.Equal(plain.Str("number"), Text(documents["credit-note"], Cac + "BillingReference", Cac + "InvoiceDocumentReference", Cbc + "ID"));
        Assert.Equal("381", Text(documents["credit-note-cii"], Rsm + "ExchangedDocument", Ram + "TypeCode"));
        Assert.Equal(plain.Str("number"), Text(documents["credit-note-cii"], Rsm + "SupplyChainTradeTransaction", Ram + "ApplicableHeaderTradeSettlement", Ram + "InvoiceReferencedDocument", Ram + "IssuerAssignedID"));
        Assert.Equal(note.Str("gross.amount"), Text(documents["credit-note-cii"], Rsm + "SupplyChainTradeTransaction", Ram + "ApplicableHeaderTradeSettlement", Ram + "SpecifiedTradeSettlementHeaderMonetarySummation", Ram + "GrandTotalAmount"));
        Assert.Equal(["S 20.00 8000.00 1600.00", "S 10.00 2000.00 200.00"], XDocument.Parse(System.Text.Encoding.UTF8.GetString(documents["several-rates-credit-note-cii"])).Descendants(Ram + "ApplicableHeaderTradeSettlement").Single().Elements(Ram + "ApplicableTradeTax")
            .Select(g => $"{g.Element(Ram + "CategoryCode")!.Value} {g.Element(Ram + "RateApplicablePercent")!.Value} {g.Element(Ram + "BasisAmount")!.Value} {g.Element(Ram + "CalculatedAmount")!.Value}"));
        Assert.Equal("Reverse charge", Text(documents["reverse-charge"], Cbc + "Note"));
        Assert.Equal("VATEX-EU-AE", Text(documents["reverse-charge"], Cac + "TaxTotal", Cac + "TaxSubtotal", Cac + "TaxCategory", Cbc + "TaxExemptionReasonCode"));
        Assert.Equal("DE", Text(documents["intra-community"], Cac + "Delivery", Cac + "DeliveryLocation", Cac + "Address", Cac + "Country", Cbc + "IdentificationCode"));
        Assert.Equal("180000", Text(documents["zero-minor-digits"], Cac + "LegalMonetaryTotal", Cbc + "PayableAmount"));
        Assert.Equal("120.00", Text(documents["three-minor-digits"], Cac + "LegalMonetaryTotal", Cbc + "PayableAmount"));
        Assert.Equal("urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0", Text(documents["peppol"], Cbc + "CustomizationID"));
        Assert.Equal("0208", (string?)XDocument.Parse(System.Text.Encoding.UTF8.GetString(documents["peppol"])).Root!.Element(Cac + "AccountingCustomerParty")!.Element(Cac + "Party")!.Element(Cbc + "EndpointID")!.Attribute("schemeID"));
        Assert.Equal("urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0", Text(documents["xrechnung"], Cbc + "CustomizationID"));
        Assert.Equal("991-12345-67", Text(documents["xrechnung"], Cbc + "BuyerReference"));
    }

    [Fact]
    public async Task A_partial_credit_note_over_20_and_10_percent_and_exempt_groups_carries_its_split_per_group_in_the_JSON_UBL_CII_and_PDF()
    {
        var (invoice, seller) = await ThreeGroupInvoiceAsync();
        var id = invoice.Str("id");

        // 13,400.00 gross: 10,200.00 at 20%, 2,200.00 at 10% and 1,000.00 exempt; a tenth of it takes a tenth of each group.
        var proportional = await seller.PostOkAsync($"/api/v1/invoices/{id}/credit-notes", new { amount = new { amount = "1340.00", currency = "EUR" }, reason = "A tenth cancelled" });
        Assert.Equal(["S 20 850.00 170.00", "S 10 200.00 20.00", "E 0 100.00 0.00"], Breakdown(proportional));
        // The finance team says how much of each group: the net of the 10% group, its tax at 10%.
        var asked = await seller.PostOkAsync($"/api/v1/invoices/{id}/credit-notes", new
        {
            reason = "Travel refunded",
            lines = new[] { new { taxCategory = "S", taxRate = "10", net = new { amount = "500.00", currency = "EUR" } } },
        });
        Assert.Equal(["S 10 500.00 50.00"], Breakdown(asked));
        Assert.Equal("550.00", asked.Str("gross.amount"));

        var documents = new Dictionary<string, byte[]>();
        foreach (var (name, note) in new[] { ("proportional", proportional), ("asked", asked) })
        {
            documents[name] = await UblAsync(seller, $"/api/v1/credit-notes/{note.Str("id")}/ubl");
            documents[name + "-cii"] = await UblAsync(seller, $"/api/v1/credit-notes/{note.Str("id")}/cii");
            documents[name + "-factur-x"] = Poppler.Attachment(await PdfAsync(seller, $"/api/v1/credit-notes/{note.Str("id")}/pdf"), "factur-x.xml");
            await SameNumbers.CheckCreditNoteAsync(seller, note, documents[name], documents[name + "-cii"]);
        }

        Assert.All(Validator.Validate(documents), f => Assert.True(f.Value.Count == 0, $"{f.Key}: {string.Join("; ", f.Value)}"));
        Assert.Equal(3, XDocument.Parse(System.Text.Encoding.UTF8.GetString(documents["proportional"])).Root!.Elements(Cac + "CreditNoteLine").Count());
        Assert.Equal("VATEX-EU-132", XDocument.Parse(System.Text.Encoding.UTF8.GetString(documents["proportional"])).Root!.Element(Cac + "TaxTotal")!.Elements(Cac + "TaxSubtotal").Last().Descendants(Cbc + "TaxExemptionReasonCode").Single().Value);

        // Crediting all that is left takes back exactly what is left in each group, and voids the invoice.
        var rest = await seller.PostOkAsync($"/api/v1/invoices/{id}/credit-notes", new { amount = new { amount = "11510.00", currency = "EUR" }, reason = "Cancelled" });
        Assert.Equal(["S 20 7650.00 1530.00", "S 10 1300.00 130.00", "E 0 900.00 0.00"], Breakdown(rest));
        Assert.Equal("void", (await seller.GetOkAsync($"/api/v1/invoices/{id}")).Str("status"));

        await using var db = engine.NewDb();
        Assert.Empty(await new Cairn.Server.Verification.InvariantChecker(db).CheckAsync());

        // verify finds a credit note whose groups no longer add up to it, beyond what the invoice billed in a group.
        const string planted = "UPDATE credit_note_lines SET net_minor = net_minor + 100000000 WHERE tax_category = 'E'";
        await Verification.InvariantCheckerTests<TEngine>.WithoutTriggersAsync(db, planted);
        var violations = await new Cairn.Server.Verification.InvariantChecker(db).CheckAsync();
        Assert.Contains(violations, v => v.Rule == "4 credit notes within bounds" && v.Message.Contains("its tax groups add up to", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Rule == "4 credit notes within bounds" && v.Message.Contains("but its credit notes take back", StringComparison.Ordinal));
        await Verification.InvariantCheckerTests<TEngine>.WithoutTriggersAsync(db, planted.Replace("+", "-", StringComparison.Ordinal));
        Assert.Empty(await new Cairn.Server.Verification.InvariantChecker(db).CheckAsync());
    }

    [Fact]
    public async Task Crediting_a_tax_group_beyond_what_is_left_in_it_is_refused_naming_the_line_and_changes_nothing()
    {
        var (invoice, seller) = await ThreeGroupInvoiceAsync();
        var id = invoice.Str("id");
        await seller.PostOkAsync($"/api/v1/invoices/{id}/credit-notes", new { reason = "Travel refunded", lines = new[] { new { taxCategory = "S", taxRate = "10", net = new { amount = "1500.00", currency = "EUR" } } } });

        // 500.00 is left at 10%.
        var over = new { taxCategory = "S", taxRate = "10", net = new { amount = "500.01", currency = "EUR" } };
        var fine = new { taxCategory = "S", taxRate = "20", net = new { amount = "1.00", currency = "EUR" } };
        await Json.ProblemAsync(await seller.PostAsync($"/api/v1/invoices/{id}/credit-notes", new { reason = "Too much", lines = new[] { fine, over } }), 400, "exceeds_creditable", "lines[1].net");
        await Json.ProblemAsync(await seller.PostAsync($"/api/v1/invoices/{id}/credit-notes", new { reason = "No such group", lines = new[] { new { taxCategory = "S", taxRate = "7", net = new { amount = "1.00", currency = "EUR" } } } }), 400, "not_a_tax_group", "lines[0].taxRate");
        await Json.ProblemAsync(await seller.PostAsync($"/api/v1/invoices/{id}/credit-notes", new { reason = "Mismatch", amount = new { amount = "5.00", currency = "EUR" }, lines = new[] { fine } }), 400, "amount_mismatch", "amount");

        var after = await seller.GetOkAsync($"/api/v1/invoices/{id}");
        Assert.Equal("1650.00", after.Str("credited.amount"));
        Assert.Single(after["creditNotes"]!.AsArray());
    }

    [Fact]
    public async Task The_credit_form_of_an_invoice_with_several_tax_groups_shows_the_proportional_split_and_issues_the_nets_given_per_group()
    {
        var email = Staff.Email("finance");
        var (invoice, seller) = await ThreeGroupInvoiceAsync(email);
        var id = invoice.Str("id");
        var browser = new Browser(_app);
        await browser.SignInAsync(email, Staff.Password);

        // 10,200.00 + 2,200.00 + 1,000.00 of 13,400.00 gross left to credit.
        var page = await browser.GetAsync($"/invoices/{id}");
        Assert.Contains("data-credit-split", page.Html, StringComparison.Ordinal);
        Assert.Equal(["76.12%", "16.42%", "7.46%"], System.Text.RegularExpressions.Regex.Matches(page.Html, "data-proportional>([^<]*)<").Select(m => m.Groups[1].Value));

        var preview = await browser.PostFormAsync($"/invoices/{id}?handler=CreditPreview", new Dictionary<string, string> { ["Amount"] = "1340.00", ["Reason"] = "A tenth cancelled" });
        var shown = await preview.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        Assert.Equal(["850.00", "200.00", "100.00"], System.Text.RegularExpressions.Regex.Matches(shown, "name=\"GroupNet\\[\\d\\]\" inputmode=\"decimal\" value=\"([^\"]*)\"").Select(m => m.Groups[1].Value));
        Assert.Empty((await seller.GetOkAsync($"/api/v1/invoices/{id}"))["creditNotes"]!.AsArray());

        await browser.GetAsync($"/invoices/{id}");
        var refused = await browser.PostFormAsync($"/invoices/{id}?handler=Credit", new Dictionary<string, string> { ["Amount"] = "", ["Reason"] = "Travel refunded", ["GroupNet[0]"] = "", ["GroupNet[1]"] = "2000.01", ["GroupNet[2]"] = "" });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var refusedHtml = await refused.Content.ReadAsStringAsync();
        Assert.True(refusedHtml.Contains("id=\"credit-net-1-error\"", StringComparison.Ordinal), System.Text.RegularExpressions.Regex.Match(refusedHtml, "error-summary.{0,400}", System.Text.RegularExpressions.RegexOptions.Singleline).Value);

        await browser.GetAsync($"/invoices/{id}");
        var issued = await browser.PostFormAsync($"/invoices/{id}?handler=Credit", new Dictionary<string, string> { ["Amount"] = "", ["Reason"] = "Travel refunded", ["GroupNet[0]"] = "", ["GroupNet[1]"] = "500.00", ["GroupNet[2]"] = "" });
        Assert.Equal(HttpStatusCode.Redirect, issued.StatusCode);
        var note = Assert.Single((await seller.GetOkAsync($"/api/v1/invoices/{id}"))["creditNotes"]!.AsArray())!;
        Assert.Equal(["S 10 500.00 50.00"], Breakdown(note));
    }

    [Fact]
    public async Task The_credit_split_table_stacks_on_a_phone_and_showing_the_split_keeps_the_payment_forms_defaults()
    {
        var email = Staff.Email("finance");
        var (invoice, _) = await ThreeGroupInvoiceAsync(email);
        var id = invoice.Str("id");
        var browser = new Browser(_app);
        await browser.SignInAsync(email, Staff.Password);

        var page = (await browser.GetAsync($"/invoices/{id}")).Html;
        var split = System.Text.RegularExpressions.Regex.Match(page, "<fieldset data-credit-split>.*?</fieldset>", System.Text.RegularExpressions.RegexOptions.Singleline).Value;
        Assert.Contains("<table class=\"stack\">", split, StringComparison.Ordinal);
        var cells = System.Text.RegularExpressions.Regex.Matches(split, "<td([^>]*)>").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(3 * 3, cells.Count);
        Assert.All(cells, c => Assert.Matches("data-label=\"[^\"]+\"", c));
        Assert.Equal(3, System.Text.RegularExpressions.Regex.Count(split, "data-label=\"Net to credit \\(EUR\\)\""));

        string Field(string html, string input) => System.Text.RegularExpressions.Regex.Match(html, $"<input id=\"{input}\"[^>]* value=\"([^\"]*)\"").Groups[1].Value;
        var receivedOn = Field(page, "pay-date");
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}$", receivedOn);
        Assert.Equal("bank transfer", Field(page, "pay-method"));

        var preview = await browser.PostFormAsync($"/invoices/{id}?handler=CreditPreview", new Dictionary<string, string> { ["Amount"] = "1340.00", ["Reason"] = "A tenth cancelled" });
        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        var shown = await preview.Content.ReadAsStringAsync();
        Assert.Equal(receivedOn, Field(shown, "pay-date"));
        Assert.Equal("bank transfer", Field(shown, "pay-method"));
        Assert.Equal("13400.00", Field(shown, "pay-amount"));
    }

    [Fact]
    public async Task The_demo_organizations_invoices_and_credit_notes_pass_the_official_EN16931_rules()
    {
        Assert.True(await ActivatorUtilities.CreateInstance<DemoData>(_app.Services).SeedAsync());
        using var scope = _app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<CairnDb>();
        db.TenantId = await db.Organizations.IgnoreQueryFilters().Where(o => o.Name.EndsWith("(demo)")).Select(o => o.Id).SingleAsync();
        var documents = new Dictionary<string, byte[]>();
        foreach (var id in await db.Invoices.Where(i => i.Status != InvoiceStatus.Draft).Select(i => i.Id).ToListAsync())
            documents["invoice-" + id] = (await EInvoiceFiles.InvoiceUblAsync(db, id))!.Content;
        foreach (var id in await db.CreditNotes.Select(n => n.Id).ToListAsync())
        {
            documents["credit-note-" + id] = (await EInvoiceFiles.CreditNoteUblAsync(db, id))!.Content;
            documents["credit-note-cii-" + id] = (await EInvoiceFiles.CreditNoteCiiAsync(db, id))!.Content;
        }

        Assert.Contains(documents.Keys, k => k.StartsWith("credit-note-", StringComparison.Ordinal));
        Assert.All(Validator.Validate(documents), f => Assert.True(f.Value.Count == 0, $"{f.Key}: {string.Join("; ", f.Value)}"));
    }

    [Fact]
    public async Task Tax_is_rounded_once_per_group_and_the_pdf_json_and_ubl_carry_the_same_numbers()
    {
        var (ubl, invoice, seller) = await MultiRateInvoiceAsync();

        // 8,000.00 at 20% and 2,000.00 at 10%: 1,600.00 + 200.00, exact to the cent (the official rules only check ±1.00).
        Assert.Equal(["S 20 8000.00 1600.00", "S 10 2000.00 200.00"],
            invoice["taxBreakdown"]!.AsArray().Select(g => $"{g!.Str("category")} {g!.Str("rate")} {g!.Str("net.amount")} {g!.Str("tax.amount")}"));
        Assert.Equal(("10000.00", "1800.00", "11800.00"), (invoice.Str("net.amount"), invoice.Str("tax.amount"), invoice.Str("gross.amount")));

        var xml = XDocument.Parse(System.Text.Encoding.UTF8.GetString(ubl)).Root!;
        var groups = xml.Element(Cac + "TaxTotal")!.Elements(Cac + "TaxSubtotal")
            .Select(g => $"{g.Element(Cac + "TaxCategory")!.Element(Cbc + "ID")!.Value} {g.Element(Cac + "TaxCategory")!.Element(Cbc + "Percent")!.Value} {g.Element(Cbc + "TaxableAmount")!.Value} {g.Element(Cbc + "TaxAmount")!.Value}");
        Assert.Equal(["S 20.00 8000.00 1600.00", "S 10.00 2000.00 200.00"], groups);
        var totals = xml.Element(Cac + "LegalMonetaryTotal")!;
        Assert.Equal(("10000.00", "11800.00", "11800.00"), (totals.Element(Cbc + "TaxExclusiveAmount")!.Value, totals.Element(Cbc + "TaxInclusiveAmount")!.Value, totals.Element(Cbc + "PayableAmount")!.Value));
        Assert.Equal(["8500.00", "2000.00", "-500.00"], xml.Elements(Cac + "InvoiceLine").Select(l => l.Element(Cbc + "LineExtensionAmount")!.Value));
        Assert.Equal("-1", xml.Elements(Cac + "InvoiceLine").Last().Element(Cbc + "InvoicedQuantity")!.Value);

        var pdf = PdfText.Read(await (await seller.GetAsync($"/api/v1/invoices/{invoice.Str("id")}/pdf")).Content.ReadAsByteArrayAsync());
        foreach (var group in invoice["taxBreakdown"]!.AsArray())
            pdf.Shows($"{group!.Str("rate")}% {Documents.Books.Printed(Money.Parse(group!.Str("net.amount"), Currency.EUR))} {Documents.Books.Printed(Money.Parse(group!.Str("tax.amount"), Currency.EUR))}");
        pdf.Shows($"Total {Documents.Books.Printed(Money.Parse(invoice.Str("gross.amount"), Currency.EUR))}");
        pdf.Shows("Discount on the launch");
    }

    [Fact]
    public async Task A_VATEX_code_that_does_not_fit_its_category_is_refused_and_changes_nothing()
    {
        var api = await SellerAsync();
        var clientId = await ClientAsync(api, "Globex", "FR");

        var response = await api.PostAsync("/api/v1/contracts", new { clientId, title = "Reverse", value = new { amount = "100.00", currency = "EUR" }, taxCategory = "AE", taxExemptionCode = "VATEX-EU-132" });

        var problem = await Json.ProblemAsync(response, 400, "tax_exemption_code_mismatch", "taxExemptionCode");
        Assert.Contains("category E", problem.Str("detail"), StringComparison.Ordinal);
        Assert.Empty((await api.GetOkAsync("/api/v1/contracts"))["data"]!.AsArray());
    }

    [Fact]
    public async Task Issuing_with_data_missing_for_the_clients_profile_is_refused_naming_the_field_before_a_number_is_drawn()
    {
        var api = await SellerAsync();
        var xrechnung = await ClientAsync(api, "Bundesamt", "DE", extra: new { eInvoiceProfile = "xrechnung" }, endpoint: ("991-12345-67", "0204"));
        var contract = await ActiveContractAsync(api, xrechnung, "5000.00", "EUR", null, null);
        var milestoneId = Plans.MilestoneIds(contract)[0];
        await Plans.DeliverAsync(api, milestoneId);

        await Json.ProblemAsync(await api.PostAsync($"/api/v1/milestones/{milestoneId}/approve", null), 400, "einvoice_incomplete", "contract.buyerReference");
        var belgian = await ClientAsync(api, "No VAT id", "BE");
        var reverse = await ActiveContractAsync(api, belgian, "100.00", "EUR", new { taxCategory = "AE", taxRate = "0" }, null);
        var reverseMilestone = Plans.MilestoneIds(reverse)[0];
        await Plans.DeliverAsync(api, reverseMilestone);
        await Json.ProblemAsync(await api.PostAsync($"/api/v1/milestones/{reverseMilestone}/approve", null), 400, "einvoice_incomplete", "client.taxId");

        await api.PatchOkAsync($"/api/v1/contracts/{contract.Str("id")}", new { buyerReference = "991-12345-67" });
        var approved = await api.PostOkAsync($"/api/v1/milestones/{milestoneId}/approve");
        Assert.Equal("INV-2026-000001", approved.Str("invoice.number"));
    }

    [Fact]
    public async Task An_amount_with_a_third_decimal_cannot_be_written_and_is_refused_never_rounded()
    {
        var api = await SellerAsync();
        var invoice = await InvoiceAsync(api, await ClientAsync(api, "Manama Buyer", "FR"), "100.005", "BHD");

        var problem = await Json.ProblemAsync(await api.GetAsync($"/api/v1/invoices/{invoice.Str("id")}/ubl"), 400, "amount_not_representable");
        Assert.Contains("20.001 BHD has a non-zero third decimal", problem.Str("detail"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Structured_parties_are_checked_the_vat_id_against_its_country()
    {
        var api = await SellerAsync();

        await Json.ProblemAsync(await api.PostAsync("/api/v1/clients", new { name = "Bad VAT", taxId = "DE12345", party = new { address = new { countryCode = "DE" } } }), 400, "invalid_vat_id", "taxId");
        await Json.ProblemAsync(await api.PostAsync("/api/v1/clients", new { name = "Bad country", party = new { address = new { countryCode = "XX" } } }), 400, "invalid_country_code", "party.address.countryCode");
        var client = await api.PostOkAsync("/api/v1/clients", new { name = "Good", taxId = "DE 123 456 789", party = new { legalName = "Good GmbH", address = new { line1 = "Hauptstraße 1", city = "Berlin", postalCode = "10115", countryCode = "de" } } });
        Assert.Equal(("DE123456789", "DE", "Berlin", "Good GmbH"), (client.Str("taxId"), client.Str("party.address.countryCode"), client.Str("party.address.city"), client.Str("party.legalName")));
    }

    [Fact]
    public async Task Invoice_and_credit_note_pdfs_are_factur_x_pdfa3_files_that_carry_their_cii()
    {
        var api = await SellerAsync();
        var invoice = await InvoiceAsync(api, await ClientAsync(api, "Globex & Partners <EU>", "FR"), "3000.00");
        var id = invoice.Str("id");
        var pdf = await PdfAsync(api, $"/api/v1/invoices/{id}/pdf");

        // poppler, an independent reader: one embedded file, the invoice's CII, and PDF/A-3B XMP with the Factur-X fields.
        Assert.Equal(["1 embedded files", "1: factur-x.xml"], Poppler.Run("pdfdetach", pdf, "-list").Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var cii = await UblAsync(api, $"/api/v1/invoices/{id}/cii");
        Assert.Equal(cii, Poppler.Attachment(pdf, "factur-x.xml"));
        var xmp = XDocument.Parse(Poppler.Run("pdfinfo", pdf, "-meta").Trim());
        string Xmp(XNamespace ns, string name) => xmp.Descendants(ns + name).Single().Value;
        XNamespace pdfaid = "http://www.aiim.org/pdfa/ns/id/", fx = "urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#", schema = "http://www.aiim.org/pdfa/ns/schema#";
        Assert.Equal(("3", "B"), (Xmp(pdfaid, "part"), Xmp(pdfaid, "conformance")));
        Assert.Equal(("INVOICE", "factur-x.xml", "1.0", "EN 16931"), (Xmp(fx, "DocumentType"), Xmp(fx, "DocumentFileName"), Xmp(fx, "Version"), Xmp(fx, "ConformanceLevel")));
        Assert.Equal((fx.NamespaceName, "fx"), (Xmp(schema, "namespaceURI"), Xmp(schema, "prefix")));
        Assert.Equal(["ConformanceLevel", "DocumentFileName", "DocumentType", "Version"], xmp.Descendants((XNamespace)"http://www.aiim.org/pdfa/ns/property#" + "name").Select(n => n.Value).Order());
        Assert.Equal($"uuid:{id}", Xmp("http://ns.adobe.com/xap/1.0/mm/", "DocumentID"));
        var info = Poppler.Run("pdfinfo", pdf);
        Assert.Matches(@"PDF version:\s+1\.7", info);
        Assert.Matches(@"Encrypted:\s+no", info);
        // PDF/A: the XMP says what the document information dictionary says.
        Assert.Matches($@"Title:\s+Invoice {invoice.Str("number")}\n", info);
        Assert.Equal($"Invoice {invoice.Str("number")}", xmp.Descendants((XNamespace)"http://purl.org/dc/elements/1.1/" + "title").Single().Value);
        Assert.Matches($@"Author:\s+{xmp.Descendants((XNamespace)"http://purl.org/dc/elements/1.1/" + "creator").Single().Value}\n", info);
        Assert.All(Poppler.Fonts(pdf), f => Assert.True(f.Embedded, $"{f.Name} is not embedded"));

        // PdfPig, another reader: the catalog's /AF names the file as an alternative representation, text/xml with its
        // size and date, next to the sRGB output intent and a trailer /ID; the page still shows the totals.
        using (var document = UglyToad.PdfPig.PdfDocument.Open(pdf))
        {
            T Find<T>(IToken token) where T : class, IToken => DirectObjectFinder.Get<T>(token, document.Structure.TokenScanner)!;
            var catalog = document.Structure.Catalog.CatalogDictionary;
            var specification = Find<DictionaryToken>(Assert.Single(Find<ArrayToken>(catalog.Data["AF"]).Data));
            Assert.Equal("Alternative", Find<NameToken>(specification.Data["AFRelationship"]).Data);
            Assert.Equal("factur-x.xml", Find<StringToken>(specification.Data["UF"]).Data);
            var file = Find<StreamToken>(Find<DictionaryToken>(specification.Data["EF"]).Data["F"]).StreamDictionary;
            Assert.Equal("text/xml", Find<NameToken>(file.Data["Subtype"]).Data);
            var parameters = Find<DictionaryToken>(file.Data["Params"]);
            Assert.Equal(cii.Length, Find<NumericToken>(parameters.Data["Size"]).Int);
            Assert.True(parameters.Data.ContainsKey("ModDate"));
            var intent = Find<DictionaryToken>(Assert.Single(Find<ArrayToken>(catalog.Data["OutputIntents"]).Data));
            Assert.Equal("GTS_PDFA1", Find<NameToken>(intent.Data["S"]).Data);
            Assert.Equal(3, Find<NumericToken>(Find<StreamToken>(intent.Data["DestOutputProfile"]).StreamDictionary.Data["N"]).Int);
            Assert.Equal(2, document.Structure.Trailer.Identifier.Count);
        }

        PdfText.Read(pdf).Shows($"Total {Documents.Books.Printed(Money.Parse(invoice.Str("gross.amount"), Currency.EUR))}");

        // Rendered from the issued invoice alone: every download is the same file.
        Assert.Equal(pdf, await PdfAsync(api, $"/api/v1/invoices/{id}/pdf"));

        var note = await api.PostOkAsync($"/api/v1/invoices/{id}/credit-notes", new { amount = new { amount = "1200.00", currency = "EUR" }, reason = "Partly cancelled" });
        var notePdf = await PdfAsync(api, $"/api/v1/credit-notes/{note.Str("id")}/pdf");
        var noteCii = Poppler.Attachment(notePdf, "factur-x.xml");
        Assert.Equal(await UblAsync(api, $"/api/v1/credit-notes/{note.Str("id")}/cii"), noteCii);
        Assert.Equal("381", Text(noteCii, Rsm + "ExchangedDocument", Ram + "TypeCode"));
        Assert.Equal("3", XDocument.Parse(Poppler.Run("pdfinfo", notePdf, "-meta").Trim()).Descendants(pdfaid + "part").Single().Value);
        Assert.Equal(notePdf, await PdfAsync(api, $"/api/v1/credit-notes/{note.Str("id")}/pdf"));
        Assert.All(Validator.Validate(new Dictionary<string, byte[]> { ["invoice"] = Poppler.Attachment(pdf, "factur-x.xml"), ["credit-note"] = noteCii }), f => Assert.True(f.Value.Count == 0, $"{f.Key}: {string.Join("; ", f.Value)}"));

        // An invoice with no e-invoice form (a non-zero third decimal, BR-DEC) keeps the plain PDF it always had.
        var dinar = await InvoiceAsync(api, await ClientAsync(api, "Manama Buyer", "FR"), "100.005", "BHD");
        var plain = await PdfAsync(api, $"/api/v1/invoices/{dinar.Str("id")}/pdf");
        Assert.Equal("0 embedded files", Poppler.Run("pdfdetach", plain, "-list").Trim());
        Assert.DoesNotContain("pdfaid", Poppler.Run("pdfinfo", plain, "-meta"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_invoice_page_and_its_pdf_show_the_street_postcode_city_and_country_of_seller_and_buyer()
    {
        var email = Staff.Email("finance");
        var api = await SellerAsync(ownerEmail: email);
        var invoice = await InvoiceAsync(api, await ClientAsync(api, "Globex", "DE"), "1000.00");
        var browser = new Browser(_app);
        await browser.SignInAsync(email, Staff.Password);

        var page = await browser.GetAsync($"/invoices/{invoice.Str("id")}");
        var pdf = PdfText.Read(await PdfAsync(api, $"/api/v1/invoices/{invoice.Str("id")}/pdf"));

        var parties = System.Text.RegularExpressions.Regex.Matches(page.Html, "<p data-party>(.*?)</p>")
            .Select(m => string.Join(" | ", System.Text.RegularExpressions.Regex.Split(m.Groups[1].Value, "<[^>]+>").Select(t => t.Trim()).Where(t => t.Length > 0))).ToList();
        Assert.Equal(2, parties.Count);
        Assert.Contains("Acme Studio | 1 Rue de la Paix | 75002 Paris | FR", parties[0], StringComparison.Ordinal);
        Assert.Contains("Globex | 2 Main Street | 12345 Springfield | DE", parties[1], StringComparison.Ordinal);
        pdf.Shows("1 Rue de la Paix 75002 Paris FR");
        pdf.Shows("BILL TO Globex 2 Main Street 12345 Springfield DE ap@client.test");
    }

    /// <summary>An organization with a complete seller party (FR), issuing at once.</summary>
    private async Task<ApiClient> SellerAsync(bool reviewDrafts = false, string? ownerEmail = null)
    {
        var api = ownerEmail is null ? await _app.NewOrganizationAsync() : (await _app.NewStaffOrganizationAsync(ownerEmail)).Api;
        await api.PatchOkAsync("/api/v1/settings", new
        {
            issueMode = reviewDrafts ? "draft_for_review" : "immediately",
            paymentInstructions = "IBAN FR76 3000 6000 0112 3456 7890 189, BIC AGRIFRPP",
            party = new
            {
                legalName = "Acme Studio SAS",
                address = new { line1 = "1 Rue de la Paix", city = "Paris", postalCode = "75002", countryCode = "FR" },
                legalId = "123456789",
                legalIdScheme = "0002",
                endpointId = "FR40123456789",
                endpointScheme = "9957",
                contact = new { name = "Ada Accounts", phone = "+33 1 23 45 67 89", email = "billing@acme.test" },
            },
        });
        return api;
    }

    private static async Task<string> ClientAsync(ApiClient api, string name, string country, string? taxId = null, object? extra = null, (string Id, string Scheme)? endpoint = null)
    {
        var client = await api.PostOkAsync("/api/v1/clients", new
        {
            name,
            email = "ap@client.test",
            taxId,
            party = new
            {
                address = new { line1 = "2 Main Street", city = "Springfield", postalCode = "12345", countryCode = country },
                endpointId = endpoint?.Id,
                endpointScheme = endpoint?.Scheme,
            },
        });
        if (extra is not null)
            await api.PatchOkAsync($"/api/v1/clients/{client.Str("id")}", extra);
        return client.Str("id");
    }

    private static async Task<JsonNode> ActiveContractAsync(ApiClient api, string clientId, string amount, string currency, object? tax, object? references)
    {
        var body = new JsonObject
        {
            ["clientId"] = clientId,
            ["title"] = "Website relaunch",
            ["value"] = new JsonObject { ["amount"] = amount, ["currency"] = currency },
            ["taxRate"] = "20",
        };
        foreach (var extra in new[] { tax, references }.Where(e => e is not null))
        {
            foreach (var (key, value) in System.Text.Json.JsonSerializer.SerializeToNode(extra)!.AsObject())
                body[key] = value?.DeepClone();
        }

        var contract = await api.PostOkAsync("/api/v1/contracts", body);
        await api.PostOkAsync($"/api/v1/contracts/{contract.Str("id")}/milestones", new { title = "Design", amount = new { amount, currency } });
        return await api.PostOkAsync($"/api/v1/contracts/{contract.Str("id")}/activate");
    }

    /// <summary>An active contract of one milestone for the whole amount, delivered and approved: its issued invoice.</summary>
    private static async Task<JsonNode> InvoiceAsync(ApiClient api, string clientId, string amount, string currency = "EUR", object? tax = null, object? references = null)
    {
        var contract = await ActiveContractAsync(api, clientId, amount, currency, tax, references);
        var milestoneId = Plans.MilestoneIds(contract)[0];
        await Plans.DeliverAsync(api, milestoneId);
        var approved = await api.PostOkAsync($"/api/v1/milestones/{milestoneId}/approve");
        return await api.GetOkAsync($"/api/v1/invoices/{approved.Str("invoice.id")}");
    }

    /// <summary>A draft of 8,500.00 at 20% that gets a 2,000.00 expense at 10% and a 500.00 discount at 20%, then is issued.</summary>
    private async Task<(byte[] Ubl, JsonNode Invoice, ApiClient Seller)> MultiRateInvoiceAsync()
    {
        var api = await SellerAsync(reviewDrafts: true);
        var contract = await ActiveContractAsync(api, await ClientAsync(api, "Globex", "FR"), "8500.00", "EUR", null, null);
        var milestoneId = Plans.MilestoneIds(contract)[0];
        await Plans.DeliverAsync(api, milestoneId);
        var draftId = (await api.PostOkAsync($"/api/v1/milestones/{milestoneId}/approve")).Str("invoice.id");
        await api.PostOkAsync($"/api/v1/invoices/{draftId}/lines", new { description = "Travel to the launch workshop", amount = new { amount = "2000.00", currency = "EUR" }, tax = new { category = "S", rate = "10" } });
        await api.PostOkAsync($"/api/v1/invoices/{draftId}/lines", new { description = "Discount on the launch", amount = new { amount = "-500.00", currency = "EUR" }, tax = new { rate = "20" } });
        var invoice = await api.PostOkAsync($"/api/v1/invoices/{draftId}/issue");
        return (await UblAsync(api, $"/api/v1/invoices/{draftId}/ubl"), invoice, api);
    }

    /// <summary>An issued invoice of 8,500.00 at 20%, a 2,000.00 expense at 10% and a 1,000.00 exempt training (VATEX-EU-132).</summary>
    private async Task<(JsonNode Invoice, ApiClient Seller)> ThreeGroupInvoiceAsync(string? ownerEmail = null)
    {
        var api = await SellerAsync(reviewDrafts: true, ownerEmail);
        var contract = await ActiveContractAsync(api, await ClientAsync(api, "Globex", "FR"), "8500.00", "EUR", null, null);
        var milestoneId = Plans.MilestoneIds(contract)[0];
        await Plans.DeliverAsync(api, milestoneId);
        var draftId = (await api.PostOkAsync($"/api/v1/milestones/{milestoneId}/approve")).Str("invoice.id");
        await api.PostOkAsync($"/api/v1/invoices/{draftId}/lines", new { description = "Travel to the launch workshop", amount = new { amount = "2000.00", currency = "EUR" }, tax = new { category = "S", rate = "10" } });
        await api.PostOkAsync($"/api/v1/invoices/{draftId}/lines", new { description = "Training of the editors", amount = new { amount = "1000.00", currency = "EUR" }, tax = new { category = "E", rate = "0", exemptionCode = "VATEX-EU-132" } });
        var invoice = await api.PostOkAsync($"/api/v1/invoices/{draftId}/issue");
        Assert.Equal("13400.00", invoice.Str("gross.amount"));
        return (invoice, api);
    }

    private static string[] Breakdown(JsonNode note) =>
        [.. note["taxBreakdown"]!.AsArray().Select(g => $"{g!.Str("category")} {g!.Str("rate")} {g!.Str("net.amount")} {g!.Str("tax.amount")}")];

    private static async Task<byte[]> UblAsync(ApiClient api, string path)
    {
        var response = await api.GetAsync(path);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("application/xml", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadAsByteArrayAsync();
    }

    private static async Task<byte[]> PdfAsync(ApiClient api, string path)
    {
        var response = await api.GetAsync(path);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadAsByteArrayAsync();
    }

    private static string Text(byte[] xml, params XName[] path)
    {
        var element = XDocument.Parse(System.Text.Encoding.UTF8.GetString(xml)).Root!;
        foreach (var name in path)
            element = element.Element(name) ?? throw new Xunit.Sdk.XunitException($"no {name.LocalName} in the document");
        return element.Value;
    }
}

public sealed class SqliteEInvoiceApi(SqliteEngine engine) : EInvoiceApiTests<SqliteEngine>(engine);

public sealed class PostgresEInvoiceApi(PostgresEngine engine) : EInvoiceApiTests<PostgresEngine>(engine);
