using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using Cairn.Domain;

namespace Cairn.Server.Documents;

/// <summary>What a UBL document says besides the invoice itself: the profile and the payment terms.</summary>
/// <param name="Profile">The client's e-invoice profile (plain EN 16931, Peppol BIS Billing 3.0, XRechnung 3).</param>
/// <param name="PaymentInstructions">The organization's payment instructions (BT-20 with the terms), may be empty.</param>
public sealed record UblContext(EInvoiceProfile Profile, string PaymentInstructions);

/// <summary>
/// Writes issued invoices and credit notes as OASIS UBL 2.1 documents per EN 16931 (the UBL syntax
/// binding of CEN/TS 16931-3-2), in the client's profile. Amounts are written exactly: EN 16931
/// allows at most two decimals (BR-DEC), so an amount of a three-digit currency whose third digit is
/// not zero cannot be written and is refused, never rounded.
/// </summary>
public static class Ubl
{
    /// <summary>The UBL Invoice namespace.</summary>
    public static readonly XNamespace InvoiceNs = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2";

    /// <summary>The UBL CreditNote namespace.</summary>
    public static readonly XNamespace CreditNoteNs = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2";

    private static readonly XNamespace Cac = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2";
    private static readonly XNamespace Cbc = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2";

    /// <summary>The content type of a UBL download.</summary>
    public const string ContentType = "application/xml";

    /// <summary>The CustomizationID (BT-24) of a profile.</summary>
    public static string CustomizationId(EInvoiceProfile profile) => profile switch
    {
        EInvoiceProfile.Peppol => "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0",
        EInvoiceProfile.Xrechnung => "urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0",
        _ => "urn:cen.eu:en16931:2017",
    };

    /// <summary>The Peppol business process (BT-23) that Peppol BIS 3.0 and XRechnung name.</summary>
    public const string PeppolProfileId = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0";

    /// <summary>
    /// The invoice type code (BT-3, UNTDID 1001): 380 commercial invoice, 386 prepayment invoice; XRechnung,
    /// whose code list has no 386, writes a prepayment invoice as 326 (partial invoice) and the others as 380.
    /// </summary>
    public static string TypeCode(bool prepayment, EInvoiceProfile profile) => (prepayment, profile) switch
    {
        (false, _) => "380",
        (true, EInvoiceProfile.Xrechnung) => "326",
        (true, _) => "386",
    };

    /// <summary>
    /// Writes an issued invoice as a UBL 2.1 Invoice. A prepayment invoice gets its type code
    /// (<see cref="TypeCode"/>); an invoice that deducts prepayments names each of them (BG-3).
    /// </summary>
    /// <exception cref="DomainException"><c>invalid_transition</c> for a draft; <c>amount_not_representable</c> for a 3-decimal amount.</exception>
    public static byte[] Invoice(Invoice invoice, UblContext context)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        ArgumentNullException.ThrowIfNull(context);
        if (invoice.Status == InvoiceStatus.Draft || invoice.Number is null || invoice.IssueDate is null)
            throw new DomainException(new InvalidTransition("invoice", invoice.Id, "write as UBL", invoice.Status.ToString(), "A draft invoice has no number yet; issue it first."));
        var currency = invoice.Currency;
        var totals = invoice.Totals;
        var root = new XElement(InvoiceNs + "Invoice",
            Header(context.Profile, invoice.Number, invoice.IssueDate.Value),
            new XElement(Cbc + "DueDate", Date(invoice.DueDate!.Value)),
            new XElement(Cbc + "InvoiceTypeCode", TypeCode(invoice.Prepayment, context.Profile)),
            Notes(invoice.Lines.Select(l => l.TaxCategory)),
            new XElement(Cbc + "DocumentCurrencyCode", currency.Code),
            References(invoice.BuyerReference, invoice.PurchaseOrderReference),
            invoice.Deductions.DistinctBy(l => l.PrepaymentInvoiceId).Select(l => BillingReference(l.PrepaymentNumber!, l.PrepaymentIssueDate)),
            Parties(invoice.Seller!, invoice.Buyer!, invoice.Lines.Select(l => l.TaxCategory).ToHashSet()),
            Delivery(invoice),
            PaymentMeansAndTerms(invoice.PaymentTermsDays, context),
            TaxTotal(totals.Tax, totals.PerRate),
            MonetaryTotal(totals.Net, totals.Tax, totals.Gross, Money.Zero(currency)),
            invoice.Lines.OrderBy(l => l.Position).Select(l => Line("InvoiceLine", "InvoicedQuantity", l.Position, l.Description, l.Net, l.Tax)));
        return Write(root, InvoiceNs);
    }

    /// <summary>
    /// Writes a credit note as a UBL 2.1 CreditNote (type 381) naming the invoice it corrects (BG-3):
    /// one credit-note line and one VAT breakdown (BG-23) per tax group it takes back (<see cref="CreditedGroups"/>).
    /// </summary>
    /// <exception cref="DomainException"><c>credit_note_not_representable</c>, <c>amount_not_representable</c>.</exception>
    public static byte[] CreditNote(CreditNote note, Invoice invoice, UblContext context)
    {
        ArgumentNullException.ThrowIfNull(note);
        ArgumentNullException.ThrowIfNull(invoice);
        ArgumentNullException.ThrowIfNull(context);
        var credited = CreditedGroups(note, invoice);
        var categories = invoice.Lines.Select(l => l.TaxCategory).ToHashSet();
        var root = new XElement(CreditNoteNs + "CreditNote",
            Header(context.Profile, note.Number, note.IssueDate),
            new XElement(Cbc + "CreditNoteTypeCode", "381"),
            new XElement(Cbc + "Note", note.Reason.Length > 0 ? note.Reason : $"Credit note for invoice {invoice.Number}"),
            Notes(categories),
            new XElement(Cbc + "DocumentCurrencyCode", note.Currency.Code),
            References(invoice.BuyerReference, invoice.PurchaseOrderReference),
            BillingReference(invoice.Number!, invoice.IssueDate),
            Parties(note.Seller!, note.Buyer!, categories),
            Delivery(invoice),
            new XElement(Cac + "PaymentTerms", new XElement(Cbc + "Note", CreditTermsText(invoice))),
            TaxTotal(note.Tax, credited),
            MonetaryTotal(note.Net, note.Tax, note.Gross, Money.Zero(note.Currency)),
            credited.Select((g, i) => Line("CreditNoteLine", "CreditedQuantity", i + 1, CreditLineText(invoice, g, credited.Count), g.Net,
                TaxTreatment.Of(g.Category, g.Rate, g.ExemptionCode, g.ExemptionReason))));
        return Write(root, CreditNoteNs);
    }

    /// <summary>
    /// The tax groups a credit note takes back (BG-23): its stored split (<see cref="Domain.CreditNote.GroupsOn"/>). Only a
    /// credit note issued before the split was stored that took back part of an invoice with several groups has none,
    /// and no e-invoice form.
    /// </summary>
    /// <exception cref="DomainException"><c>credit_note_not_representable</c>.</exception>
    internal static IReadOnlyList<TaxSubtotal> CreditedGroups(CreditNote note, Invoice invoice) =>
        note.GroupsOn(invoice) ?? throw new DomainException(new DomainError("credit_note_not_representable", $"Credit note {note.Number} was issued before Cairn kept how much of each tax group it takes back, and it takes back part of an invoice with {invoice.Totals.PerRate.Count} tax groups; EN 16931 needs the split, so it has no e-invoice form. Its PDF is its document.", "id"));

    /// <summary>The text of the credit note line that takes back one tax group of the invoice.</summary>
    internal static string CreditLineText(Invoice invoice, TaxSubtotal group, int groups) =>
        $"Credit on invoice {invoice.Number}" + (groups > 1 ? $" ({group.Category} {group.Rate})" : "");

    /// <summary>The payment terms (BT-20) of a credit note.</summary>
    internal static string CreditTermsText(Invoice invoice) => $"Credit for invoice {invoice.Number}; settled against its balance or refunded.";

    private static IEnumerable<XElement> Header(EInvoiceProfile profile, string number, DateOnly issueDate)
    {
        yield return new XElement(Cbc + "CustomizationID", CustomizationId(profile));
        if (profile != EInvoiceProfile.En16931)
            yield return new XElement(Cbc + "ProfileID", PeppolProfileId);
        yield return new XElement(Cbc + "ID", number);
        yield return new XElement(Cbc + "IssueDate", Date(issueDate));
    }

    private static XElement? Notes(IEnumerable<TaxCategory> categories) =>
        ReverseChargeNote(categories) is { } note ? new XElement(Cbc + "Note", note) : null;

    /// <summary>The note (BT-22) an invoice with reverse-charged lines prints; null otherwise.</summary>
    internal static string? ReverseChargeNote(IEnumerable<TaxCategory> categories) =>
        categories.Contains(TaxCategory.AE) ? "Reverse charge" : null;

    private static IEnumerable<XElement> References(string? buyerReference, string? orderReference)
    {
        if (buyerReference is not null)
            yield return new XElement(Cbc + "BuyerReference", buyerReference);
        if (orderReference is not null)
            yield return new XElement(Cac + "OrderReference", new XElement(Cbc + "ID", orderReference));
    }

    private static XElement BillingReference(string number, DateOnly? issueDate) =>
        new(Cac + "BillingReference", new XElement(Cac + "InvoiceDocumentReference",
            new XElement(Cbc + "ID", number),
            issueDate is { } d ? new XElement(Cbc + "IssueDate", Date(d)) : null));

    private static IEnumerable<XElement> Parties(PartySnapshot seller, PartySnapshot buyer, HashSet<TaxCategory> categories)
    {
        // Outside the scope of VAT (O), no VAT id is written (BR-O-02).
        var withVat = !categories.Contains(TaxCategory.O);
        var (sellerDetails, buyerDetails) = DetailsOf(seller, buyer);
        yield return new XElement(Cac + "AccountingSupplierParty", Party(seller, sellerDetails, withVat));
        yield return new XElement(Cac + "AccountingCustomerParty", Party(buyer, buyerDetails, withVat));
    }

    /// <summary>The structured details of both parties; documents issued before parties were structured read their country from the VAT id, the buyer's else from the seller's.</summary>
    internal static (PartyDetails Seller, PartyDetails Buyer) DetailsOf(PartySnapshot seller, PartySnapshot buyer)
    {
        var sellerDetails = seller.Details ?? new PartyDetails { CountryCode = Countries.OfVatId(seller.TaxId) };
        return (sellerDetails, buyer.Details ?? new PartyDetails { CountryCode = Countries.OfVatId(buyer.TaxId) ?? sellerDetails.CountryCode });
    }

    /// <summary>The street lines of a party: its structured ones, or its free-text address of before as one line.</summary>
    internal static List<string> StreetLines(PartySnapshot party, PartyDetails d)
    {
        var lines = new[] { d.AddressLine1, d.AddressLine2 }.Where(l => !string.IsNullOrWhiteSpace(l)).Select(l => l!).ToList();
        if (lines.Count == 0 && d.City is null && !string.IsNullOrWhiteSpace(party.Address))
            lines.Add(party.Address.ReplaceLineEndings(", "));
        return lines;
    }

    /// <summary>The contact email of a party: its contact's, else the party's own.</summary>
    internal static string? EmailOf(PartySnapshot party, PartyDetails d) => d.ContactEmail ?? (string.IsNullOrWhiteSpace(party.Email) ? null : party.Email);

    /// <summary>The payment terms (BT-20): the days to pay and the organization's instructions.</summary>
    internal static string PaymentTermsText(int paymentTermsDays, UblContext context)
    {
        var terms = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"Payment within {paymentTermsDays} days of the invoice date."));
        if (!string.IsNullOrWhiteSpace(context.PaymentInstructions))
            terms.Append(' ').Append(context.PaymentInstructions.ReplaceLineEndings(" "));
        return terms.ToString();
    }

    private static XElement Party(PartySnapshot party, PartyDetails d, bool withVat)
    {
        var lines = StreetLines(party, d);
        var email = EmailOf(party, d);
        var contact = new[] { d.ContactName, d.ContactPhone, email }.Any(v => v is not null)
            ? new XElement(Cac + "Contact",
                Optional(Cbc + "Name", d.ContactName),
                Optional(Cbc + "Telephone", d.ContactPhone),
                Optional(Cbc + "ElectronicMail", email))
            : null;
        return new XElement(Cac + "Party",
            // The electronic address always names its EAS scheme (BR-62, BR-63); EM is an email address.
            d.EndpointId is not null ? new XElement(Cbc + "EndpointID", new XAttribute("schemeID", d.EndpointScheme ?? "EM"), d.EndpointId) : null,
            d.TradingName is not null ? new XElement(Cac + "PartyName", new XElement(Cbc + "Name", d.TradingName)) : null,
            new XElement(Cac + "PostalAddress",
                lines.Count > 0 ? new XElement(Cbc + "StreetName", lines[0]) : null,
                lines.Count > 1 ? new XElement(Cbc + "AdditionalStreetName", lines[1]) : null,
                Optional(Cbc + "CityName", d.City),
                Optional(Cbc + "PostalZone", d.PostalCode),
                Optional(Cbc + "CountrySubentity", d.CountrySubdivision),
                new XElement(Cac + "Country", new XElement(Cbc + "IdentificationCode", d.CountryCode))),
            withVat && !string.IsNullOrWhiteSpace(party.TaxId)
                ? new XElement(Cac + "PartyTaxScheme", new XElement(Cbc + "CompanyID", party.TaxId), new XElement(Cac + "TaxScheme", new XElement(Cbc + "ID", "VAT")))
                : null,
            new XElement(Cac + "PartyLegalEntity",
                new XElement(Cbc + "RegistrationName", d.LegalName ?? party.Name),
                d.LegalId is not null
                    ? new XElement(Cbc + "CompanyID", d.LegalIdScheme is not null ? new XAttribute("schemeID", d.LegalIdScheme) : null, d.LegalId)
                    : null),
            contact);
    }

    private static XElement? Delivery(Invoice invoice)
    {
        // An intra-community supply names its delivery date and the country delivered to (BR-IC-11, BR-IC-12).
        if (invoice.DeliveryDate is not { } delivered)
            return null;
        var intraCommunity = invoice.Lines.Any(l => l.TaxCategory == TaxCategory.K);
        return new XElement(Cac + "Delivery",
            new XElement(Cbc + "ActualDeliveryDate", Date(delivered)),
            intraCommunity
                ? new XElement(Cac + "DeliveryLocation", new XElement(Cac + "Address", new XElement(Cac + "Country", new XElement(Cbc + "IdentificationCode", invoice.Buyer?.Details?.CountryCode))))
                : null);
    }

    private static IEnumerable<XElement> PaymentMeansAndTerms(int paymentTermsDays, UblContext context)
    {
        // UNCL4461 1 (instrument not defined): the account is in the payment instructions (BT-20), not a structured IBAN.
        yield return new XElement(Cac + "PaymentMeans", new XElement(Cbc + "PaymentMeansCode", "1"));
        yield return new XElement(Cac + "PaymentTerms", new XElement(Cbc + "Note", PaymentTermsText(paymentTermsDays, context)));
    }

    private static XElement TaxTotal(Money tax, IEnumerable<TaxSubtotal> groups) =>
        new(Cac + "TaxTotal",
            Amount("TaxAmount", tax),
            groups.Select(g => new XElement(Cac + "TaxSubtotal",
                Amount("TaxableAmount", g.Net),
                Amount("TaxAmount", g.Tax),
                Category("TaxCategory", g.Category, g.Rate, g.ExemptionCode, g.ExemptionReason))));

    private static XElement Category(string element, TaxCategory category, TaxRate rate, string? exemptionCode, string? exemptionReason) =>
        new(Cac + element,
            new XElement(Cbc + "ID", category.ToString()),
            // Outside the scope of VAT there is no rate at all (BR-O-05, BR-O-09).
            category == TaxCategory.O ? null : new XElement(Cbc + "Percent", rate.ToDocumentString()),
            element == "TaxCategory" ? Optional(Cbc + "TaxExemptionReasonCode", exemptionCode) : null,
            element == "TaxCategory" ? Optional(Cbc + "TaxExemptionReason", exemptionReason) : null,
            new XElement(Cac + "TaxScheme", new XElement(Cbc + "ID", "VAT")));

    private static XElement MonetaryTotal(Money net, Money tax, Money gross, Money prepaid) =>
        new(Cac + "LegalMonetaryTotal",
            Amount("LineExtensionAmount", net),
            Amount("TaxExclusiveAmount", net),
            Amount("TaxInclusiveAmount", gross),
            prepaid.IsZero ? null : Amount("PrepaidAmount", prepaid),
            Amount("PayableAmount", new Money(gross.Minor - prepaid.Minor, gross.Currency)));

    private static XElement Line(string element, string quantityElement, int id, string description, Money net, TaxTreatment tax)
    {
        // A discount is a line of quantity -1 at a positive price: an item's net price is never negative (BR-27).
        var negative = net.IsNegative;
        var price = negative ? new Money(-net.Minor, net.Currency) : net;
        return new XElement(Cac + element,
            new XElement(Cbc + "ID", id.ToString(CultureInfo.InvariantCulture)),
            new XElement(Cbc + quantityElement, new XAttribute("unitCode", "C62"), negative ? "-1" : "1"),
            Amount("LineExtensionAmount", net),
            new XElement(Cac + "Item",
                new XElement(Cbc + "Name", description.Length > 200 ? description[..200] : description),
                Category("ClassifiedTaxCategory", tax.Category, tax.Rate, null, null)),
            new XElement(Cac + "Price", Amount("PriceAmount", price)));
    }

    private static XElement? Optional(XName name, string? value) =>
        string.IsNullOrWhiteSpace(value) ? null : new XElement(name, value);

    private static XElement Amount(string element, Money amount) =>
        new(Cbc + element, new XAttribute("currencyID", amount.Currency.Code), AmountText(amount));

    /// <summary>
    /// The amount with at most two decimals (BR-DEC-*): the currency's own digits when it has 0 or 2,
    /// two for a 3-digit currency when the third is zero.
    /// </summary>
    /// <exception cref="DomainException"><c>amount_not_representable</c> when a third decimal digit is not zero.</exception>
    public static string AmountText(Money amount)
    {
        var text = amount.ToDecimalString();
        if (amount.Currency.MinorDigits <= 2)
            return text;
        var extra = amount.Currency.MinorDigits - 2;
        if (!text.EndsWith(new string('0', extra), StringComparison.Ordinal))
            throw new DomainException(new DomainError("amount_not_representable", $"{text} {amount.Currency.Code} has a non-zero third decimal; EN 16931 writes amounts with at most two decimals (BR-DEC), and Cairn never rounds money to fit. This document has no e-invoice form.", "currency"));
        return text[..^extra];
    }

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static byte[] Write(XElement root, XNamespace main)
    {
        root.Add(new XAttribute("xmlns", main.NamespaceName), new XAttribute(XNamespace.Xmlns + "cac", Cac.NamespaceName), new XAttribute(XNamespace.Xmlns + "cbc", Cbc.NamespaceName));
        return Serialize(root);
    }

    /// <summary>An e-invoice document as UTF-8 bytes without a byte order mark, indented.</summary>
    internal static byte[] Serialize(XElement root)
    {
        var document = new XDocument(new XDeclaration("1.0", "UTF-8", null), root);
        using var stream = new MemoryStream();
        using (var writer = XmlWriter.Create(stream, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true }))
            document.Save(writer);
        return stream.ToArray();
    }
}
