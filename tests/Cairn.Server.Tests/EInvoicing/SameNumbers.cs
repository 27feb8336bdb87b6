using System.Text.Json.Nodes;
using System.Xml.Linq;
using Cairn.Domain;
using Cairn.Server.Tests.Documents;
using Cairn.Server.Tests.Infrastructure;

namespace Cairn.Server.Tests.EInvoicing;

/// <summary>DESIGN.md rule 12: an invoice's or credit note's PDF, API JSON, UBL and CII carry the same numbers.</summary>
public static class SameNumbers
{
    private static readonly XNamespace Cbc = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2";
    private static readonly XNamespace Cac = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2";
    private static readonly XNamespace Rsm = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100";
    private static readonly XNamespace Ram = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100";

    /// <summary>
    /// The invoice's PDF, UBL and CII carry the numbers of its API JSON: each line, each tax group and the totals;
    /// the XML the PDF carries as Factur-X (factur-x.xml) is that CII.
    /// </summary>
    public static async Task<PdfText> CheckAsync(ApiClient api, JsonNode invoice, byte[] ubl, byte[] cii)
    {
        var trade = Root(cii).Element(Rsm + "SupplyChainTradeTransaction")!;
        var settlement = trade.Element(Ram + "ApplicableHeaderTradeSettlement")!;
        var summation = settlement.Element(Ram + "SpecifiedTradeSettlementHeaderMonetarySummation")!;
        Assert.Equal(invoice["lines"]!.AsArray().Select(l => D(l!.Str("net.amount"))), trade.Elements(Ram + "IncludedSupplyChainTradeLineItem").Select(l => D(l.Descendants(Ram + "LineTotalAmount").Single().Value)));
        Assert.Equal(
            invoice["taxBreakdown"]!.AsArray().Select(g => (D(g!.Str("net.amount")), D(g!.Str("tax.amount")))),
            settlement.Elements(Ram + "ApplicableTradeTax").Select(g => (D(g.Element(Ram + "BasisAmount")!.Value), D(g.Element(Ram + "CalculatedAmount")!.Value))));
        Assert.Equal(
            (D(invoice.Str("net.amount")), D(invoice.Str("tax.amount")), D(invoice.Str("gross.amount"))),
            (D(summation.Element(Ram + "TaxBasisTotalAmount")!.Value), D(summation.Element(Ram + "TaxTotalAmount")!.Value), D(summation.Element(Ram + "GrandTotalAmount")!.Value)));

        var xml = Root(ubl);
        Assert.Equal(invoice["lines"]!.AsArray().Select(l => D(l!.Str("net.amount"))), xml.Elements(Cac + "InvoiceLine").Select(l => D(l.Element(Cbc + "LineExtensionAmount")!.Value)));
        Assert.Equal(
            invoice["taxBreakdown"]!.AsArray().Select(g => (D(g!.Str("net.amount")), D(g!.Str("tax.amount")))),
            xml.Element(Cac + "TaxTotal")!.Elements(Cac + "TaxSubtotal").Select(g => (D(g.Element(Cbc + "TaxableAmount")!.Value), D(g.Element(Cbc + "TaxAmount")!.Value))));
        var totals = xml.Element(Cac + "LegalMonetaryTotal")!;
        Assert.Equal(
            (D(invoice.Str("net.amount")), D(invoice.Str("tax.amount")), D(invoice.Str("gross.amount"))),
            (D(totals.Element(Cbc + "TaxExclusiveAmount")!.Value), D(xml.Element(Cac + "TaxTotal")!.Element(Cbc + "TaxAmount")!.Value), D(totals.Element(Cbc + "TaxInclusiveAmount")!.Value)));

        var file = await (await api.GetAsync($"/api/v1/invoices/{invoice.Str("id")}/pdf")).Content.ReadAsByteArrayAsync();
        Assert.Equal(System.Text.Encoding.UTF8.GetString(cii), System.Text.Encoding.UTF8.GetString(Poppler.Attachment(file, "factur-x.xml")));
        var pdf = PdfText.Read(file);
        foreach (var line in invoice["lines"]!.AsArray())
            pdf.Shows(Documents.Books.Number(Amount(line!, "net")));
        foreach (var group in invoice["taxBreakdown"]!.AsArray())
            pdf.Shows($"{(group!.Str("category") == "O" ? "O" : $"{group!.Str("category")} {group!.Str("rate")}%")} {Documents.Books.Printed(Amount(group!, "net"))} {Documents.Books.Printed(Amount(group!, "tax"))}");
        pdf.Shows($"Net total {Documents.Books.Printed(Amount(invoice, "net"))}");
        pdf.Shows($"Total {Documents.Books.Printed(Amount(invoice, "gross"))}");
        return pdf;
    }

    /// <summary>
    /// A credit note's PDF, UBL and CII carry the numbers of its API JSON: one credit-note line and one tax group (BG-23)
    /// per group it takes back, and the totals; the XML its PDF carries as Factur-X is that CII. Returns the PDF's text.
    /// </summary>
    public static async Task<PdfText> CheckCreditNoteAsync(ApiClient api, JsonNode note, byte[] ubl, byte[] cii)
    {
        var groups = note["taxBreakdown"]!.AsArray().Select(g => (Net: D(g!.Str("net.amount")), Tax: D(g!.Str("tax.amount")))).ToList();
        Assert.NotEmpty(groups);
        var totals = (D(note.Str("net.amount")), D(note.Str("tax.amount")), D(note.Str("gross.amount")));
        Assert.Equal(totals, (groups.Sum(g => g.Net), groups.Sum(g => g.Tax), groups.Sum(g => g.Net + g.Tax)));

        var trade = Root(cii).Element(Rsm + "SupplyChainTradeTransaction")!;
        var settlement = trade.Element(Ram + "ApplicableHeaderTradeSettlement")!;
        var summation = settlement.Element(Ram + "SpecifiedTradeSettlementHeaderMonetarySummation")!;
        Assert.Equal(groups.Select(g => g.Net), trade.Elements(Ram + "IncludedSupplyChainTradeLineItem").Select(l => D(l.Descendants(Ram + "LineTotalAmount").Single().Value)));
        Assert.Equal(groups, settlement.Elements(Ram + "ApplicableTradeTax").Select(g => (D(g.Element(Ram + "BasisAmount")!.Value), D(g.Element(Ram + "CalculatedAmount")!.Value))));
        Assert.Equal(totals, (D(summation.Element(Ram + "TaxBasisTotalAmount")!.Value), D(summation.Element(Ram + "TaxTotalAmount")!.Value), D(summation.Element(Ram + "GrandTotalAmount")!.Value)));

        var xml = Root(ubl);
        Assert.Equal(groups.Select(g => g.Net), xml.Elements(Cac + "CreditNoteLine").Select(l => D(l.Element(Cbc + "LineExtensionAmount")!.Value)));
        Assert.Equal(groups, xml.Element(Cac + "TaxTotal")!.Elements(Cac + "TaxSubtotal").Select(g => (D(g.Element(Cbc + "TaxableAmount")!.Value), D(g.Element(Cbc + "TaxAmount")!.Value))));
        var monetary = xml.Element(Cac + "LegalMonetaryTotal")!;
        Assert.Equal(totals, (D(monetary.Element(Cbc + "TaxExclusiveAmount")!.Value), D(xml.Element(Cac + "TaxTotal")!.Element(Cbc + "TaxAmount")!.Value), D(monetary.Element(Cbc + "TaxInclusiveAmount")!.Value)));

        var file = await (await api.GetAsync($"/api/v1/credit-notes/{note.Str("id")}/pdf")).Content.ReadAsByteArrayAsync();
        Assert.Equal(System.Text.Encoding.UTF8.GetString(cii), System.Text.Encoding.UTF8.GetString(Poppler.Attachment(file, "factur-x.xml")));
        var pdf = PdfText.Read(file);
        var currency = Currency.Of(note.Str("currency"));
        foreach (var group in note["taxBreakdown"]!.AsArray())
        {
            var (net, tax) = (Amount(group!, "net"), Amount(group!, "tax"));
            pdf.Shows((groups.Count > 1 ? $"({group!.Str("category")} {group!.Str("rate")}%) " : "") + $"{Documents.Books.Number(net)} {Documents.Books.Number(tax)} {Documents.Books.Number(net + tax)}");
        }

        pdf.Shows($"Total credited {Documents.Books.Printed(Money.Parse(note.Str("gross.amount"), currency))}");
        return pdf;
    }

    private static Money Amount(JsonNode node, string field) => Money.Parse(node.Str(field + ".amount"), Currency.Of(node.Str(field + ".currency")));

    // EN 16931 writes at most two decimals (100.000 BHD is 100.00): compare values, not texts.
    private static decimal D(string amount) => decimal.Parse(amount, System.Globalization.NumberStyles.AllowLeadingSign | System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture);

    private static XElement Root(byte[] xml) => XDocument.Parse(System.Text.Encoding.UTF8.GetString(xml)).Root!;
}
