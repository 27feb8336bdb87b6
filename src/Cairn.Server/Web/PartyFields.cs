using Cairn.Domain;
using Cairn.Server.Api;

namespace Cairn.Server.Web;

/// <summary>
/// The structured party fields of a web form (EN 16931 BG-4 seller, BG-7 buyer), posted as <c>Party.LegalName</c>,
/// <c>Party.City</c> …: the fields the API takes as <c>party</c>, checked by the same <see cref="PartyJson.ApplyTo"/>,
/// so an error names the same field (<c>party.address.countryCode</c> …). The VAT id is the form's own <c>TaxId</c>.
/// </summary>
public sealed class PartyFields
{
    /// <summary>The legal name (BT-27/BT-44).</summary>
    public string? LegalName { get; set; }

    /// <summary>The trading name (BT-28/BT-45).</summary>
    public string? TradingName { get; set; }

    public string? Line1 { get; set; }

    public string? Line2 { get; set; }

    public string? City { get; set; }

    public string? PostalCode { get; set; }

    public string? CountrySubdivision { get; set; }

    /// <summary>ISO 3166-1 alpha-2.</summary>
    public string? CountryCode { get; set; }

    /// <summary>The legal registration id (BT-30/BT-47) and its ISO 6523 ICD scheme.</summary>
    public string? LegalId { get; set; }

    public string? LegalIdScheme { get; set; }

    /// <summary>The electronic address (BT-34/BT-49) and its EAS scheme (e.g. 0208, 9930, EM).</summary>
    public string? EndpointId { get; set; }

    public string? EndpointScheme { get; set; }

    public string? ContactName { get; set; }

    public string? ContactPhone { get; set; }

    public string? ContactEmail { get; set; }

    /// <summary>The fields of stored details, to show in the form.</summary>
    public static PartyFields Of(PartyDetails d) => new()
    {
        LegalName = d.LegalName, TradingName = d.TradingName, Line1 = d.AddressLine1, Line2 = d.AddressLine2, City = d.City, PostalCode = d.PostalCode,
        CountrySubdivision = d.CountrySubdivision, CountryCode = d.CountryCode, LegalId = d.LegalId, LegalIdScheme = d.LegalIdScheme,
        EndpointId = d.EndpointId, EndpointScheme = d.EndpointScheme, ContactName = d.ContactName, ContactPhone = d.ContactPhone, ContactEmail = d.ContactEmail,
    };

    /// <summary>
    /// What the form says as the API's <c>party</c>. An emptied field reaches the page as null: when editing
    /// (<paramref name="clearEmpty"/>) it clears the stored value instead of keeping it.
    /// </summary>
    public PartyJson ToJson(bool clearEmpty)
    {
        string? Given(string? value) => clearEmpty ? value ?? "" : value;
        return new PartyJson(
            Given(LegalName), Given(TradingName),
            new PostalAddressJson(Given(Line1), Given(Line2), Given(City), Given(PostalCode), Given(CountrySubdivision), Given(CountryCode)),
            Given(LegalId), Given(LegalIdScheme), Given(EndpointId), Given(EndpointScheme),
            new PartyContactJson(Given(ContactName), Given(ContactPhone), Given(ContactEmail)));
    }
}

/// <summary>The model of the <c>_PartyFields</c> partial: the page (for its errors), the form's name, an id prefix and the fields.</summary>
public sealed record PartyFieldsView(WebPage Page, string Form, string IdPrefix, PartyFields Party);
