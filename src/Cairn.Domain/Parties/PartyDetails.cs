namespace Cairn.Domain;

/// <summary>The e-invoice profile a client receives its invoices in.</summary>
public enum EInvoiceProfile
{
    /// <summary>Plain EN 16931 (urn:cen.eu:en16931:2017).</summary>
    En16931,

    /// <summary>Peppol BIS Billing 3.0: electronic addresses (BT-34, BT-49) and a buyer reference or order reference.</summary>
    Peppol,

    /// <summary>XRechnung 3 (German public buyers): the Leitweg-ID as buyer reference (BT-10) and the seller's contact.</summary>
    Xrechnung,
}

/// <summary>
/// A party (the organization as seller, a client as buyer) structured as EN 16931 needs it (BG-4, BG-7):
/// legal and trading names, postal address with its ISO 3166-1 country, legal registration id,
/// electronic address and contact. The VAT id stays the party's <c>TaxId</c>; the free-text address
/// stays beside it for what people read.
/// </summary>
public sealed record PartyDetails
{
    /// <summary>The registered legal name (BT-27, BT-44); the party's name when absent.</summary>
    public string? LegalName { get; init; }

    /// <summary>The name the party trades under (BT-28, BT-45).</summary>
    public string? TradingName { get; init; }

    /// <summary>Street and number (BT-35, BT-50).</summary>
    public string? AddressLine1 { get; init; }

    /// <summary>Additional street line (BT-36, BT-51).</summary>
    public string? AddressLine2 { get; init; }

    /// <summary>Town or city (BT-37, BT-52).</summary>
    public string? City { get; init; }

    /// <summary>Postal code (BT-38, BT-53).</summary>
    public string? PostalCode { get; init; }

    /// <summary>Region, state or province (BT-39, BT-54).</summary>
    public string? CountrySubdivision { get; init; }

    /// <summary>ISO 3166-1 alpha-2 country code (BT-40, BT-55).</summary>
    public string? CountryCode { get; init; }

    /// <summary>Legal registration id, e.g. a SIREN or company number (BT-30, BT-47).</summary>
    public string? LegalId { get; init; }

    /// <summary>ISO/IEC 6523 ICD scheme of the legal registration id, e.g. <c>0002</c> for SIREN (BT-30-1, BT-47-1).</summary>
    public string? LegalIdScheme { get; init; }

    /// <summary>Electronic address, e.g. a Peppol participant id (BT-34, BT-49).</summary>
    public string? EndpointId { get; init; }

    /// <summary>EAS scheme of the electronic address, e.g. <c>0208</c> (Belgian enterprise number) or <c>EM</c> (email) (BT-34-1, BT-49-1).</summary>
    public string? EndpointScheme { get; init; }

    /// <summary>Contact person or department (BT-41, BT-56).</summary>
    public string? ContactName { get; init; }

    /// <summary>Contact telephone (BT-42, BT-57).</summary>
    public string? ContactPhone { get; init; }

    /// <summary>Contact email (BT-43, BT-58).</summary>
    public string? ContactEmail { get; init; }

    /// <summary>No structured detail at all.</summary>
    public static PartyDetails Empty { get; } = new();

    /// <summary>A canonical one-line form for the content hash of issued documents.</summary>
    public string HashText() => string.Join('\u001f', LegalName, TradingName, AddressLine1, AddressLine2, City, PostalCode, CountrySubdivision, CountryCode, LegalId, LegalIdScheme, EndpointId, EndpointScheme, ContactName, ContactPhone, ContactEmail);
}
