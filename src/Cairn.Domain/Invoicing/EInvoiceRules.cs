namespace Cairn.Domain;

/// <summary>
/// What a document must carry to be a valid e-invoice in a client's profile: the checks Cairn makes
/// before an invoice takes its number, so nothing is issued that the EN 16931 rules (and the Peppol
/// BIS 3.0 or XRechnung 3 rules on top) would refuse. Each error names the field to fill in.
/// </summary>
public static class EInvoiceRules
{
    /// <summary>Checks the parties and tax data of an invoice about to be issued.</summary>
    /// <exception cref="DomainException"><c>einvoice_incomplete</c> naming the missing field, e.g. <c>client.party.address.countryCode</c> or <c>organization.taxId</c> (the VAT id).</exception>
    public static void CheckIssuable(EInvoiceProfile profile, PartySnapshot seller, PartySnapshot buyer, Invoice invoice)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        var categories = invoice.Lines.Select(l => l.TaxCategory).ToHashSet();
        Check(profile, seller, buyer, categories, invoice.BuyerReference, invoice.PurchaseOrderReference, InvoiceIncomplete);
        if (categories.Contains(TaxCategory.K) && invoice.DeliveryDate is null)
            throw InvoiceIncomplete("milestone.deliveredOn", "the delivery date (BT-72) of an intra-community supply (BR-IC-11): the milestone must have been delivered (submitted)");
    }

    /// <summary>
    /// Checks, before a contract is proposed, what its invoices will need from the parties and the contract
    /// (the checks of <see cref="CheckIssuable"/> that do not wait for an invoice): accepting commits the client
    /// to invoices that must then be issuable.
    /// </summary>
    /// <exception cref="DomainException"><c>einvoice_incomplete</c> naming the missing field, as <see cref="CheckIssuable"/>.</exception>
    public static void CheckProposable(EInvoiceProfile profile, PartySnapshot seller, PartySnapshot buyer, Contract contract)
    {
        ArgumentNullException.ThrowIfNull(contract);
        var categories = contract.Milestones.Where(m => m.Status != MilestoneStatus.Cancelled).Select(m => m.TaxCategory ?? contract.TaxCategory).ToHashSet();
        if (categories.Count == 0)
            categories.Add(contract.TaxCategory);
        Check(profile, seller, buyer, categories, contract.BuyerReference, contract.PurchaseOrderReference, ContractIncomplete);
    }

    private static void Check(EInvoiceProfile profile, PartySnapshot seller, PartySnapshot buyer, HashSet<TaxCategory> categories, string? buyerReference, string? purchaseOrderReference, Func<string, string, DomainException> incomplete)
    {
        ArgumentNullException.ThrowIfNull(seller);
        ArgumentNullException.ThrowIfNull(buyer);
        var s = seller.Details ?? PartyDetails.Empty;
        var b = buyer.Details ?? PartyDetails.Empty;
        void Require(string? value, string field, string what)
        {
            if (string.IsNullOrWhiteSpace(value))
                throw incomplete(field, $"{what} is missing");
        }

        Require(s.CountryCode, "organization.party.address.countryCode", "the seller's country (BT-40, BR-09)");
        Require(b.CountryCode, "client.party.address.countryCode", "the buyer's country (BT-55, BR-11)");
        if (categories.Any(c => c != TaxCategory.O))
            Require(seller.TaxId, "organization.taxId", "the seller's VAT id (BT-31), which every invoice with VAT categories other than O needs (BR-S-02, BR-E-02 …)");
        else
            Require(s.LegalId, "organization.party.legalId", "the seller's legal registration id (BT-30): an invoice outside the scope of VAT carries no VAT id (BR-O-02, BR-CO-26)");
        if (categories.Contains(TaxCategory.O) && categories.Count > 1)
            throw incomplete("lines.taxCategory", "an invoice with a line outside the scope of VAT (O) has no other tax category (BR-O-11)");
        if (categories.Contains(TaxCategory.AE) || categories.Contains(TaxCategory.K))
            Require(buyer.TaxId, "client.taxId", "the buyer's VAT id (BT-48) for reverse charge or an intra-community supply (BR-AE-02, BR-IC-02)");

        if (profile is EInvoiceProfile.Peppol or EInvoiceProfile.Xrechnung)
        {
            Require(s.EndpointId, "organization.party.endpointId", "the seller's electronic address (BT-34)");
            Require(b.EndpointId, "client.party.endpointId", "the buyer's electronic address (BT-49)");
            if (buyerReference is null && (profile == EInvoiceProfile.Xrechnung || purchaseOrderReference is null))
                Require(buyerReference, "contract.buyerReference", profile == EInvoiceProfile.Xrechnung ? "the buyer reference (BT-10, the Leitweg-ID)" : "a buyer reference (BT-10) or purchase order reference (BT-13)");
        }

        if (profile == EInvoiceProfile.Xrechnung)
        {
            Require(s.City, "organization.party.address.city", "the seller's city (BR-DE-3)");
            Require(s.PostalCode, "organization.party.address.postalCode", "the seller's post code (BR-DE-4)");
            Require(b.City, "client.party.address.city", "the buyer's city (BR-DE-8)");
            Require(b.PostalCode, "client.party.address.postalCode", "the buyer's post code (BR-DE-9)");
            Require(s.ContactName, "organization.party.contact.name", "the seller's contact (BR-DE-5)");
            Require(s.ContactPhone, "organization.party.contact.phone", "the seller's contact telephone (BR-DE-6)");
            Require(s.ContactEmail, "organization.party.contact.email", "the seller's contact email (BR-DE-7)");
        }
    }

    private static DomainException InvoiceIncomplete(string field, string what) =>
        new(new DomainError("einvoice_incomplete", $"This invoice cannot be issued as a valid e-invoice: {what}. Fill in {field} and issue again; no number was used.", field));

    private static DomainException ContractIncomplete(string field, string what) =>
        new(new DomainError("einvoice_incomplete", $"This contract's invoices could not be issued as valid e-invoices: {what}. Fill in {field} and propose it again; nothing was sent to the client.", field));
}
