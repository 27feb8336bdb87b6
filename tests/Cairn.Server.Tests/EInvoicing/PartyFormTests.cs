using System.Net;
using Cairn.Server.Tests.Infrastructure;

namespace Cairn.Server.Tests.EInvoicing;

/// <summary>
/// The settings page and the client forms take every structured party field the API takes (EN 16931 BG-4 / BG-7),
/// checked by the same rules: a wrong one is refused with 400 next to its field and changes nothing.
/// </summary>
public abstract class PartyFormTests<TEngine>(TEngine engine) : IClassFixture<TEngine>, IAsyncLifetime
    where TEngine : Engine
{
    private CairnApp _app = null!;

    public Task InitializeAsync()
    {
        _app = new CairnApp(engine);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task A_client_is_made_and_edited_with_every_party_field_and_a_wrong_one_is_refused_next_to_it()
    {
        var (org, browser) = await SignedInAsync();

        var form = await browser.GetAsync("/clients");
        Assert.Contains("<select id=\"party-CountryCode\" name=\"Party.CountryCode\"", form.Html, StringComparison.Ordinal);
        Assert.Contains("<option value=\"DE\">DE</option>", form.Html, StringComparison.Ordinal);

        var badVat = await browser.PostFormAsync("/clients", ClientForm(new() { ["TaxId"] = "DE12345" }));
        Assert.Equal(HttpStatusCode.BadRequest, badVat.StatusCode);
        Assert.Contains("id=\"taxId-error\"", await badVat.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var badScheme = await browser.PostFormAsync("/clients", ClientForm(new() { ["Party.EndpointScheme"] = "12" }));
        Assert.Equal(HttpStatusCode.BadRequest, badScheme.StatusCode);
        var html = await badScheme.Content.ReadAsStringAsync();
        Assert.Contains("id=\"party-EndpointScheme-error\"", html, StringComparison.Ordinal);
        Assert.Contains("value=\"Hauptstraße 1\"", System.Net.WebUtility.HtmlDecode(html), StringComparison.Ordinal);
        Assert.Empty((await org.Api.GetOkAsync("/api/v1/clients"))["data"]!.AsArray());

        var created = await browser.PostFormAsync("/clients", ClientForm([]));
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var client = (await org.Api.GetOkAsync("/api/v1/clients"))["data"]!.AsArray().Single()!;
        Assert.Equal(
            ("DE123456789", "Bundesamt für Beispiele", "BfB", "Hauptstraße 1", "Hof 2", "Berlin", "10115", "BE", "DE"),
            (client.Str("taxId"), client.Str("party.legalName"), client.Str("party.tradingName"), client.Str("party.address.line1"), client.Str("party.address.line2"),
             client.Str("party.address.city"), client.Str("party.address.postalCode"), client.Str("party.address.countrySubdivision"), client.Str("party.address.countryCode")));
        Assert.Equal(
            ("HRB 12345", "0204", "991-12345-67", "0204", "Ada Einkauf", "ap@bfb.test", "+49 30 1234", "xrechnung"),
            (client.Str("party.legalId"), client.Str("party.legalIdScheme"), client.Str("party.endpointId"), client.Str("party.endpointScheme"),
             client.Str("party.contact.name"), client.Str("party.contact.email"), client.Str("party.contact.phone"), client.Str("eInvoiceProfile")));

        var id = client.Str("id");
        var page = System.Net.WebUtility.HtmlDecode((await browser.GetAsync($"/clients/{id}")).Html);
        Assert.Contains("value=\"991-12345-67\"", page, StringComparison.Ordinal);
        Assert.Contains("<option value=\"DE\" selected=\"selected\">DE</option>", page, StringComparison.Ordinal);
        var refused = await browser.PostFormAsync($"/clients/{id}?handler=Edit", ClientForm(new() { ["Party.CountryCode"] = "XX" }));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("id=\"party-CountryCode-error\"", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var edited = await browser.PostFormAsync($"/clients/{id}?handler=Edit", ClientForm(new() { ["Party.TradingName"] = "", ["Party.Line2"] = "", ["Party.City"] = "Bonn" }));
        Assert.Equal(HttpStatusCode.Redirect, edited.StatusCode);
        var after = await org.Api.GetOkAsync($"/api/v1/clients/{id}");
        Assert.Equal(("Bonn", "DE"), (after.Str("party.address.city"), after.Str("party.address.countryCode")));
        Assert.Null(after["party"]!["tradingName"]);
        Assert.Null(after["party"]!["address"]!["line2"]);
    }

    [Fact]
    public async Task The_settings_page_sets_the_sellers_party_fields_and_refuses_a_wrong_one_next_to_it()
    {
        var (org, browser) = await SignedInAsync();
        Assert.Contains("id=\"org-party-LegalIdScheme\"", (await browser.GetAsync("/settings")).Html, StringComparison.Ordinal);

        var refused = await browser.PostFormAsync("/settings?handler=Organization", SettingsForm(new() { ["Party.LegalIdScheme"] = "SIREN" }));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("id=\"org-party-LegalIdScheme-error\"", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null((await org.Api.GetOkAsync("/api/v1/settings"))["party"]!["legalId"]);
        var badVat = await browser.PostFormAsync("/settings?handler=Organization", SettingsForm(new() { ["TaxId"] = "FR123" }));
        Assert.Equal(HttpStatusCode.BadRequest, badVat.StatusCode);
        Assert.Contains("id=\"org-tax-error\"", await badVat.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var saved = await browser.PostFormAsync("/settings?handler=Organization", SettingsForm([]));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var settings = await org.Api.GetOkAsync("/api/v1/settings");
        Assert.Equal(
            ("FR40123456789", "Acme Studio SAS", "1 Rue de la Paix", "Paris", "75002", "FR", "123456789", "0002", "FR40123456789", "9957", "Ada Accounts", "billing@acme.test", "+33 1 23 45 67 89"),
            (settings.Str("taxId"), settings.Str("party.legalName"), settings.Str("party.address.line1"), settings.Str("party.address.city"), settings.Str("party.address.postalCode"),
             settings.Str("party.address.countryCode"), settings.Str("party.legalId"), settings.Str("party.legalIdScheme"), settings.Str("party.endpointId"), settings.Str("party.endpointScheme"),
             settings.Str("party.contact.name"), settings.Str("party.contact.email"), settings.Str("party.contact.phone")));
    }

    private async Task<(StaffOrganization Org, Browser Browser)> SignedInAsync()
    {
        var email = Staff.Email("owner");
        var org = await _app.NewStaffOrganizationAsync(email);
        var browser = new Browser(_app);
        await browser.SignInAsync(email, Staff.Password);
        return (org, browser);
    }

    private static Dictionary<string, string> ClientForm(Dictionary<string, string> changes)
    {
        var form = new Dictionary<string, string>
        {
            ["Name"] = "BfB", ["Email"] = "rechnung@bfb.test", ["Address"] = "", ["TaxId"] = "DE 123 456 789",
            ["Party.LegalName"] = "Bundesamt für Beispiele", ["Party.TradingName"] = "BfB", ["Party.Line1"] = "Hauptstraße 1", ["Party.Line2"] = "Hof 2",
            ["Party.City"] = "Berlin", ["Party.PostalCode"] = "10115", ["Party.CountrySubdivision"] = "BE", ["Party.CountryCode"] = "DE",
            ["Party.LegalId"] = "HRB 12345", ["Party.LegalIdScheme"] = "0204", ["Party.EndpointId"] = "991-12345-67", ["Party.EndpointScheme"] = "0204",
            ["Party.ContactName"] = "Ada Einkauf", ["Party.ContactEmail"] = "ap@bfb.test", ["Party.ContactPhone"] = "+49 30 1234",
            ["EInvoiceProfile"] = "xrechnung", ["Language"] = "de",
        };
        foreach (var (key, value) in changes)
            form[key] = value;
        return form;
    }

    private static Dictionary<string, string> SettingsForm(Dictionary<string, string> changes)
    {
        var form = new Dictionary<string, string>
        {
            ["Name"] = "Acme Studio", ["TaxId"] = "FR40123456789", ["IssueMode"] = "immediately", ["PaymentTermsDays"] = "30", ["TimeZone"] = "Europe/Paris",
            ["InvoiceSeriesFormat"] = "INV-{yyyy}-{seq:000000}", ["CreditNoteSeriesFormat"] = "CN-{yyyy}-{seq:000000}",
            ["Party.LegalName"] = "Acme Studio SAS", ["Party.Line1"] = "1 Rue de la Paix", ["Party.City"] = "Paris", ["Party.PostalCode"] = "75002", ["Party.CountryCode"] = "FR",
            ["Party.LegalId"] = "123456789", ["Party.LegalIdScheme"] = "0002", ["Party.EndpointId"] = "FR40123456789", ["Party.EndpointScheme"] = "9957",
            ["Party.ContactName"] = "Ada Accounts", ["Party.ContactEmail"] = "billing@acme.test", ["Party.ContactPhone"] = "+33 1 23 45 67 89",
        };
        foreach (var (key, value) in changes)
            form[key] = value;
        return form;
    }
}

public sealed class SqlitePartyForm(SqliteEngine engine) : PartyFormTests<SqliteEngine>(engine);

public sealed class PostgresPartyForm(PostgresEngine engine) : PartyFormTests<PostgresEngine>(engine);
