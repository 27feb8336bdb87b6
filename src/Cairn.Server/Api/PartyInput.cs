using System.Text.RegularExpressions;
using Cairn.Domain;

namespace Cairn.Server.Api;

/// <summary>A postal address as EN 16931 structures it (BG-5, BG-8); <c>countryCode</c> is ISO 3166-1 alpha-2.</summary>
public sealed record PostalAddressJson(string? Line1, string? Line2, string? City, string? PostalCode, string? CountrySubdivision, string? CountryCode);

/// <summary>A contact of a party (BG-6, BG-9).</summary>
public sealed record PartyContactJson(string? Name, string? Phone, string? Email);

/// <summary>
/// The structured details of the organization or a client (EN 16931 BG-4, BG-7): legal name (BT-27/44),
/// trading name (BT-28/45), address, legal registration id with its ISO 6523 ICD scheme (BT-30/47),
/// electronic address with its EAS scheme (BT-34/49, e.g. <c>0208</c>, <c>9930</c>, <c>EM</c>) and contact.
/// The VAT id is the resource's <c>taxId</c>. On input, absent fields stay as they are and "" clears one.
/// </summary>
public sealed partial record PartyJson(string? LegalName, string? TradingName, PostalAddressJson? Address, string? LegalId, string? LegalIdScheme, string? EndpointId, string? EndpointScheme, PartyContactJson? Contact)
{
    /// <summary>The view of stored details.</summary>
    public static PartyJson Of(PartyDetails d) => new(
        d.LegalName, d.TradingName, new PostalAddressJson(d.AddressLine1, d.AddressLine2, d.City, d.PostalCode, d.CountrySubdivision, d.CountryCode),
        d.LegalId, d.LegalIdScheme, d.EndpointId, d.EndpointScheme, new PartyContactJson(d.ContactName, d.ContactPhone, d.ContactEmail));

    /// <summary>These fields over <paramref name="current"/>, checked; errors name <c>party.…</c>.</summary>
    /// <exception cref="DomainException"><c>invalid_country_code</c>, <c>invalid_scheme</c>, <c>too_long</c>, <c>invalid_email</c>.</exception>
    public PartyDetails ApplyTo(PartyDetails current)
    {
        var country = Field(Address?.CountryCode, current.CountryCode, "party.address.countryCode", 2)?.ToUpperInvariant();
        if (country is not null && !Countries.IsCountry(country))
            throw new DomainException(new DomainError("invalid_country_code", $"\"{country}\" is not an ISO 3166-1 alpha-2 country code, e.g. FR, DE, BE.", "party.address.countryCode"));
        var legalScheme = Field(LegalIdScheme, current.LegalIdScheme, "party.legalIdScheme", 4);
        if (legalScheme is not null && !IcdCode().IsMatch(legalScheme))
            throw new DomainException(new DomainError("invalid_scheme", "legalIdScheme is an ISO 6523 ICD code of four digits, e.g. 0002 (SIREN).", "party.legalIdScheme"));
        var endpointScheme = Field(EndpointScheme, current.EndpointScheme, "party.endpointScheme", 4)?.ToUpperInvariant();
        if (endpointScheme is not null && !EasCode().IsMatch(endpointScheme))
            throw new DomainException(new DomainError("invalid_scheme", "endpointScheme is an EAS code: four digits (e.g. 0208, 9930) or EM for an email address.", "party.endpointScheme"));
        var email = Field(Contact?.Email, current.ContactEmail, "party.contact.email", 254);
        if (email is not null)
            Inputs.Email(email, "party.contact.email", required: false);
        return new PartyDetails
        {
            LegalName = Field(LegalName, current.LegalName, "party.legalName", 200),
            TradingName = Field(TradingName, current.TradingName, "party.tradingName", 200),
            AddressLine1 = Field(Address?.Line1, current.AddressLine1, "party.address.line1", 200),
            AddressLine2 = Field(Address?.Line2, current.AddressLine2, "party.address.line2", 200),
            City = Field(Address?.City, current.City, "party.address.city", 100),
            PostalCode = Field(Address?.PostalCode, current.PostalCode, "party.address.postalCode", 20),
            CountrySubdivision = Field(Address?.CountrySubdivision, current.CountrySubdivision, "party.address.countrySubdivision", 100),
            CountryCode = country,
            LegalId = Field(LegalId, current.LegalId, "party.legalId", 100),
            LegalIdScheme = legalScheme,
            EndpointId = Field(EndpointId, current.EndpointId, "party.endpointId", 200),
            EndpointScheme = endpointScheme,
            ContactName = Field(Contact?.Name, current.ContactName, "party.contact.name", 200),
            ContactPhone = Field(Contact?.Phone, current.ContactPhone, "party.contact.phone", 50),
            ContactEmail = email,
        };
    }

    /// <summary>Checks a VAT id given through the API against the party's country (or its own prefix).</summary>
    public static string? VatId(string? taxId, PartyDetails party) =>
        taxId is null ? null : taxId.Trim().Length == 0 ? "" : Countries.CheckVatId(taxId, party.CountryCode, "taxId");

    private static string? Field(string? given, string? current, string field, int maxLength)
    {
        if (given is null)
            return current;
        var text = given.Trim();
        if (text.Length > maxLength)
            throw new DomainException(new DomainError("too_long", $"{field} is at most {maxLength} characters.", field));
        return text.Length == 0 ? null : text;
    }

    [GeneratedRegex("^[0-9]{4}$")]
    private static partial Regex IcdCode();

    [GeneratedRegex("^([0-9]{4}|EM)$")]
    private static partial Regex EasCode();
}

/// <summary>
/// How something is taxed (EN 16931): <c>category</c> is a UNCL5305 code (S, Z, E, AE, K, G, O; default S
/// above 0%, else E), <c>rate</c> a percentage with up to four decimals, <c>exemptionCode</c> a VATEX code
/// (e.g. VATEX-EU-AE) and <c>exemptionReason</c> its text (default: the code's standard text).
/// </summary>
public sealed record TaxJson(string? Category, string? Rate, string? ExemptionCode, string? ExemptionReason)
{
    /// <summary>The view of a treatment.</summary>
    public static TaxJson? Of(TaxTreatment? tax) =>
        tax is null ? null : new(tax.Category.ToString(), tax.Rate.ToDecimalString(), tax.ExemptionCode, tax.ExemptionReason);

    /// <summary>The checked treatment; errors name <c>{prefix}category</c>, <c>{prefix}rate</c> ….</summary>
    /// <exception cref="DomainException">The errors of <see cref="TaxTreatment.Of"/>.</exception>
    public TaxTreatment ToTreatment(string prefix)
    {
        var category = Category is null ? (TaxCategory?)null : TaxTreatment.ParseCategory(Category, prefix + "category");
        var rate = Rate is not null ? TaxRate.Parse(Rate, prefix + "rate")
            : category is not null and not TaxCategory.S ? TaxRate.Zero
            : throw new DomainException(new DomainError("required", "A tax rate is required, e.g. \"20\".", prefix + "rate"));
        try
        {
            return TaxTreatment.Of(category, rate, ExemptionCode, ExemptionReason);
        }
        catch (DomainException e) when (e.Error.Field is { } field)
        {
            // TaxTreatment names the contract's fields (taxRate, taxExemptionCode …); here they sit in a tax object.
            var inner = field switch { "taxRate" => "rate", "taxExemptionCode" => "exemptionCode", _ => "exemptionReason" };
            throw new DomainException(e.Error with { Field = prefix + inner });
        }
    }
}
