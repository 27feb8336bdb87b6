using Cairn.Server.Api;
using Cairn.Server.Web;
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

    /// <summary>The structured details (BG-7); an empty country: from the VAT id, else the organization's country.</summary>
    PartyFields Party { get; }

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
        return new ClientInput(Given(Name), Given(Email), Given(Address), Given(TaxId), Party.ToJson(clearEmpty), EInvoiceProfile, Language);
    }
}
