using System.Globalization;
using System.Xml.Linq;
using Cairn.Domain;

namespace Cairn.Server.Documents;

/// <summary>
/// Writes issued invoices as UN/CEFACT Cross Industry Invoices (CII D16B) per EN 16931 (the CII syntax
/// binding of CEN/TS 16931-3-3), from the same issued snapshot as <see cref="Ubl"/>: the XML that a
/// Factur-X / ZUGFeRD PDF carries (its EN 16931 profile). Amounts are written as UBL writes them
/// (<see cref="Ubl.AmountText"/>): at most two decimals, never rounded.
/// </summary>
public static class Cii
{
    /// <summary>The CrossIndustryInvoice namespace.</summary>
    public static readonly XNamespace Rsm = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100";

    private static readonly XNamespace Ram = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100";
    private static readonly XNamespace Udt = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100";
    private static readonly XNamespace Qdt = "urn:un:unece:uncefact:data:standard:QualifiedDataType:100";

    /// <summary>The guideline (BT-24) of the Factur-X EN 16931 profile, which is EN 16931 itself.</summary>
    public const string Guideline = "urn:cen.eu:en16931:2017";

    /// <summary>
    /// Writes an issued invoice as a CII CrossIndustryInvoice: its type code (380, or 386 for a prepayment
    /// invoice), lines, tax breakdown per (category, rate), totals, and a BG-3 reference for each prepayment it deducts.
    /// </summary>
    /// <exception cref="DomainException"><c>invalid_transition</c> for a draft; <c>amount_not_representable</c> for a 3-decimal amount.</exception>
    public static byte[] Invoice(Invoice invoice, UblContext context)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        ArgumentNullException.ThrowIfNull(context);
        if (invoice.Status == InvoiceStatus.Draft || invoice.Number is null || invoice.IssueDate is null)
            throw new DomainException(new InvalidTransition("invoice", invoice.Id, "write as CII", invoice.Status.ToString(), "A draft invoice has no number yet; issue it first."));
        var totals = invoice.Totals;
        return Document(
            invoice,
            invoice.Number,
            // The Factur-X EN 16931 profile follows plain EN 16931: 386 for a prepayment invoice.
            Ubl.TypeCode(invoice.Prepayment, EInvoiceProfile.En16931),
            invoice.IssueDate.Value,
            null,
            invoice.Seller!,
            invoice.Buyer!,
            invoice.Lines.OrderBy(l => l.Position).Select(l => Line(l.Position, l.Description, l.Net, l.Tax)),
            totals,
            Ubl.PaymentTermsText(invoice.PaymentTermsDays, context),
            invoice.DueDate,
            invoice.Deductions.DistinctBy(l => l.PrepaymentInvoiceId).Select(l => (l.PrepaymentNumber!, l.PrepaymentIssueDate)));
    }

    /// <summary>
    /// Writes a credit note as a CII CrossIndustryInvoice of type 381 (UNTDID 1001 credit note) naming the
    /// invoice it corrects (BG-3, InvoiceReferencedDocument), its amounts positive: one line per tax group it
    /// takes back, split as <see cref="Ubl.CreditedGroups"/> decides (the same as its UBL).
    /// </summary>
    /// <exception cref="DomainException"><c>credit_note_not_representable</c>, <c>amount_not_representable</c>.</exception>
    public static byte[] CreditNote(CreditNote note, Invoice invoice, UblContext context)
    {
        ArgumentNullException.ThrowIfNull(note);
        ArgumentNullException.ThrowIfNull(invoice);
        ArgumentNullException.ThrowIfNull(context);
        var credited = Ubl.CreditedGroups(note, invoice);
        return Document(
            invoice,
            note.Number,
            "381",
            note.IssueDate,
            note.Reason.Length > 0 ? note.Reason : $"Credit note for invoice {invoice.Number}",
            note.Seller!,
            note.Buyer!,
            credited.Select((g, i) => Line(i + 1, Ubl.CreditLineText(invoice, g, credited.Count), g.Net, TaxTreatment.Of(g.Category, g.Rate, g.ExemptionCode, g.ExemptionReason))),
            new InvoiceTotals(note.Net, note.Tax, note.Gross, credited),
            Ubl.CreditTermsText(invoice),
            null,
            [(invoice.Number!, invoice.IssueDate)]);
    }

    private static byte[] Document(
        Invoice invoice, string number, string typeCode, DateOnly issueDate, string? note, PartySnapshot sellerParty, PartySnapshot buyerParty,
        IEnumerable<XElement> lines, InvoiceTotals totals, string paymentTerms, DateOnly? dueDate, IEnumerable<(string Number, DateOnly? IssueDate)> references)
    {
        var categories = invoice.Lines.Select(l => l.TaxCategory).ToHashSet();
        var withVat = !categories.Contains(TaxCategory.O);
        var (seller, buyer) = Ubl.DetailsOf(sellerParty, buyerParty);
        var root = new XElement(Rsm + "CrossIndustryInvoice",
            new XAttribute(XNamespace.Xmlns + "rsm", Rsm.NamespaceName),
            new XAttribute(XNamespace.Xmlns + "ram", Ram.NamespaceName),
            new XAttribute(XNamespace.Xmlns + "udt", Udt.NamespaceName),
            new XAttribute(XNamespace.Xmlns + "qdt", Qdt.NamespaceName),
            new XElement(Rsm + "ExchangedDocumentContext",
                new XElement(Ram + "GuidelineSpecifiedDocumentContextParameter", new XElement(Ram + "ID", Guideline))),
            new XElement(Rsm + "ExchangedDocument",
                new XElement(Ram + "ID", number),
                new XElement(Ram + "TypeCode", typeCode),
                new XElement(Ram + "IssueDateTime", Date(Udt, issueDate)),
                note is not null ? new XElement(Ram + "IncludedNote", new XElement(Ram + "Content", note)) : null,
                Ubl.ReverseChargeNote(categories) is { } reverseCharge ? new XElement(Ram + "IncludedNote", new XElement(Ram + "Content", reverseCharge)) : null),
            new XElement(Rsm + "SupplyChainTradeTransaction",
                lines,
                new XElement(Ram + "ApplicableHeaderTradeAgreement",
                    Optional(Ram + "BuyerReference", invoice.BuyerReference),
                    Party("SellerTradeParty", sellerParty, seller, withVat),
                    Party("BuyerTradeParty", buyerParty, buyer, withVat),
                    invoice.PurchaseOrderReference is { } order ? new XElement(Ram + "BuyerOrderReferencedDocument", new XElement(Ram + "IssuerAssignedID", order)) : null),
                Delivery(invoice, buyer),
                new XElement(Ram + "ApplicableHeaderTradeSettlement",
                    new XElement(Ram + "InvoiceCurrencyCode", invoice.Currency.Code),
                    // UNCL4461 1 (instrument not defined): the account is in the payment terms (BT-20), as in the UBL.
                    new XElement(Ram + "SpecifiedTradeSettlementPaymentMeans", new XElement(Ram + "TypeCode", "1")),
                    totals.PerRate.Select(Breakdown),
                    new XElement(Ram + "SpecifiedTradePaymentTerms",
                        new XElement(Ram + "Description", paymentTerms),
                        dueDate is { } due ? new XElement(Ram + "DueDateDateTime", Date(Udt, due)) : null),
                    new XElement(Ram + "SpecifiedTradeSettlementHeaderMonetarySummation",
                        Amount("LineTotalAmount", totals.Net),
                        Amount("TaxBasisTotalAmount", totals.Net),
                        new XElement(Ram + "TaxTotalAmount", new XAttribute("currencyID", invoice.Currency.Code), Ubl.AmountText(totals.Tax)),
                        Amount("GrandTotalAmount", totals.Gross),
                        Amount("DuePayableAmount", totals.Gross)),
                    references.Select(r => new XElement(Ram + "InvoiceReferencedDocument",
                        new XElement(Ram + "IssuerAssignedID", r.Number),
                        r.IssueDate is { } d ? new XElement(Ram + "FormattedIssueDateTime", Date(Qdt, d)) : null)))));
        return Ubl.Serialize(root);
    }

    private static XElement Line(int position, string description, Money net, TaxTreatment tax)
    {
        // A discount or deduction is a quantity of -1 at a positive price: a net price is never negative (BR-27).
        var negative = net.IsNegative;
        return new XElement(Ram + "IncludedSupplyChainTradeLineItem",
            new XElement(Ram + "AssociatedDocumentLineDocument", new XElement(Ram + "LineID", position.ToString(CultureInfo.InvariantCulture))),
            new XElement(Ram + "SpecifiedTradeProduct", new XElement(Ram + "Name", description.Length > 200 ? description[..200] : description)),
            new XElement(Ram + "SpecifiedLineTradeAgreement",
                new XElement(Ram + "NetPriceProductTradePrice", Amount("ChargeAmount", negative ? -net : net))),
            new XElement(Ram + "SpecifiedLineTradeDelivery", new XElement(Ram + "BilledQuantity", new XAttribute("unitCode", "C62"), negative ? "-1" : "1")),
            new XElement(Ram + "SpecifiedLineTradeSettlement",
                new XElement(Ram + "ApplicableTradeTax",
                    new XElement(Ram + "TypeCode", "VAT"),
                    new XElement(Ram + "CategoryCode", tax.Category.ToString()),
                    Rate(tax.Category, tax.Rate)),
                new XElement(Ram + "SpecifiedTradeSettlementLineMonetarySummation", Amount("LineTotalAmount", net))));
    }

    private static XElement Party(string element, PartySnapshot party, PartyDetails d, bool withVat)
    {
        var lines = Ubl.StreetLines(party, d);
        var email = Ubl.EmailOf(party, d);
        return new XElement(Ram + element,
            new XElement(Ram + "Name", d.LegalName ?? party.Name),
            d.LegalId is not null || d.TradingName is not null
                ? new XElement(Ram + "SpecifiedLegalOrganization",
                    d.LegalId is not null ? new XElement(Ram + "ID", d.LegalIdScheme is not null ? new XAttribute("schemeID", d.LegalIdScheme) : null, d.LegalId) : null,
                    Optional(Ram + "TradingBusinessName", d.TradingName))
                : null,
            new[] { d.ContactName, d.ContactPhone, email }.Any(v => v is not null)
                ? new XElement(Ram + "DefinedTradeContact",
                    Optional(Ram + "PersonName", d.ContactName),
                    d.ContactPhone is not null ? new XElement(Ram + "TelephoneUniversalCommunication", new XElement(Ram + "CompleteNumber", d.ContactPhone)) : null,
                    email is not null ? new XElement(Ram + "EmailURIUniversalCommunication", new XElement(Ram + "URIID", email)) : null)
                : null,
            new XElement(Ram + "PostalTradeAddress",
                Optional(Ram + "PostcodeCode", d.PostalCode),
                lines.Count > 0 ? new XElement(Ram + "LineOne", lines[0]) : null,
                lines.Count > 1 ? new XElement(Ram + "LineTwo", lines[1]) : null,
                Optional(Ram + "CityName", d.City),
                new XElement(Ram + "CountryID", d.CountryCode),
                Optional(Ram + "CountrySubDivisionName", d.CountrySubdivision)),
            // The electronic address always names its EAS scheme (BR-62, BR-63); EM is an email address.
            d.EndpointId is not null ? new XElement(Ram + "URIUniversalCommunication", new XElement(Ram + "URIID", new XAttribute("schemeID", d.EndpointScheme ?? "EM"), d.EndpointId)) : null,
            withVat && !string.IsNullOrWhiteSpace(party.TaxId) ? new XElement(Ram + "SpecifiedTaxRegistration", new XElement(Ram + "ID", new XAttribute("schemeID", "VA"), party.TaxId)) : null);
    }

    private static XElement Delivery(Invoice invoice, PartyDetails buyer)
    {
        // An intra-community supply names its delivery date and the country delivered to (BR-IC-11, BR-IC-12).
        var intraCommunity = invoice.Lines.Any(l => l.TaxCategory == TaxCategory.K);
        return new XElement(Ram + "ApplicableHeaderTradeDelivery",
            intraCommunity && invoice.DeliveryDate is not null
                ? new XElement(Ram + "ShipToTradeParty", new XElement(Ram + "PostalTradeAddress", new XElement(Ram + "CountryID", buyer.CountryCode)))
                : null,
            invoice.DeliveryDate is { } delivered
                ? new XElement(Ram + "ActualDeliverySupplyChainEvent", new XElement(Ram + "OccurrenceDateTime", Date(Udt, delivered)))
                : null);
    }

    private static XElement Breakdown(TaxSubtotal group) =>
        new(Ram + "ApplicableTradeTax",
            Amount("CalculatedAmount", group.Tax),
            new XElement(Ram + "TypeCode", "VAT"),
            Optional(Ram + "ExemptionReason", group.ExemptionReason),
            Amount("BasisAmount", group.Net),
            new XElement(Ram + "CategoryCode", group.Category.ToString()),
            Optional(Ram + "ExemptionReasonCode", group.ExemptionCode),
            Rate(group.Category, group.Rate));

    // Outside the scope of VAT there is no rate at all (BR-O-05, BR-O-09).
    private static XElement? Rate(TaxCategory category, TaxRate rate) =>
        category == TaxCategory.O ? null : new XElement(Ram + "RateApplicablePercent", rate.ToDocumentString());

    private static XElement Amount(string element, Money amount) => new(Ram + element, Ubl.AmountText(amount));

    private static XElement Date(XNamespace ns, DateOnly date) =>
        new(ns + "DateTimeString", new XAttribute("format", "102"), date.ToString("yyyyMMdd", CultureInfo.InvariantCulture));

    private static XElement? Optional(XName name, string? value) =>
        string.IsNullOrWhiteSpace(value) ? null : new XElement(name, value);
}
