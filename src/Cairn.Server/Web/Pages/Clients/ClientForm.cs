using Cairn.Server.Api;
using Microsoft.AspNetCore.Html;

namespace Cairn.Server.Web.Pages.Clients;

/// <summary>A page with the client form (<c>_ClientFields</c>): a new client, or an existing one edited.</summary>
public interface IClientForm
{
    string? Name { get; }

    string? Email { get; }

    string? Address { get; }

    /// <summary>The VAT id (BT-48).</summary>
    string? TaxId { get; }

    string? City { get; }

    string? PostalCode { get; }

    /// <summary>ISO 3166-1 alpha-2; empty: from the VAT id, else the organization's country.</summary>
    string? CountryCode { get; }

    /// <summary>en16931 (empty), peppol or xrechnung.</summary>
    string? EInvoiceProfile { get; }

    /// <summary>ISO 639-1: en, de, fr, nl or es.</summary>
    string? Language { get; }

    string? Invalid(string form, params string[] fields);

    string? DescribedBy(string form, string id, params string[] fields);

    IHtmlContent FieldError(string form, string id, params string[] fields);

    /// <summary>
    /// What the form says as a client change. An emptied field reaches the page as null: when editing
    /// (<paramref name="clearEmpty"/>) it clears the stored value instead of keeping it.
    /// </summary>
    ClientInput ToInput(bool clearEmpty)
    {
        string? Given(string? value) => clearEmpty ? value ?? "" : value;
        var party = new PartyJson(null, null, new PostalAddressJson(null, null, Given(City), Given(PostalCode), null, Given(CountryCode)), null, null, null, null, null);
        return new ClientInput(Given(Name), Given(Email), Given(Address), Given(TaxId), party, EInvoiceProfile, Language);
    }
}
