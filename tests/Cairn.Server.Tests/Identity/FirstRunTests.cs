using System.Net;
using Cairn.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Tests.Identity;

/// <summary>First start on an empty database: the setup page creates the organization and its owner, once.</summary>
public abstract class FirstRunTests<TEngine>(TEngine engine) : IClassFixture<TEngine>, IAsyncLifetime
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
    public async Task Setup_creates_the_organization_and_its_signed_in_owner_and_then_is_gone()
    {
        var browser = new Browser(_app);
        var home = await browser.GetAsync("/");
        Assert.Equal("/setup", home.Response.Headers.Location?.ToString());
        var (status, html, _) = await browser.GetAsync("/setup");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("<label for=\"currency\">", html);

        var form = new Dictionary<string, string>
        {
            ["Name"] = "Acme Studio", ["Address"] = "1 Rue de la Paix, Paris", ["TaxId"] = "FR40123456789",
            ["DefaultCurrency"] = "eur", ["PaymentTermsDays"] = "14", ["TimeZone"] = "Pacific/Auckland",
            ["OwnerName"] = "Ada Owner", ["OwnerEmail"] = "ada@acme.test", ["Password"] = "correct horse battery", ["ConfirmPassword"] = "correct horse battery",
        };
        Assert.Equal(HttpStatusCode.BadRequest, (await browser.PostFormAsync("/setup", form, withToken: false)).StatusCode);
        var mismatch = await browser.PostFormAsync("/setup", new Dictionary<string, string>(form) { ["ConfirmPassword"] = "something else entirely" });
        Assert.Contains("The two passwords differ.", await mismatch.Content.ReadAsStringAsync());
        var unknownZone = await browser.PostFormAsync("/setup", new Dictionary<string, string>(form) { ["TimeZone"] = "Pacific/Atlantis" });
        Assert.Contains("timeZone is not an IANA time zone", await unknownZone.Content.ReadAsStringAsync());

        var created = await browser.PostFormAsync("/setup", form);

        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        Assert.Equal("/", created.Headers.Location?.ToString());
        var signedIn = await browser.GetAsync("/");
        Assert.Contains("Acme Studio", signedIn.Html);
        Assert.Contains("Ada Owner", signedIn.Html);
        var users = await Json.OkAsync(await browser.Http.GetAsync("/api/v1/users"));
        Assert.Equal("owner", users.Str("data.0.role"));
        Assert.Equal("active", users.Str("data.0.status"));
        Assert.Equal("Pacific/Auckland", (await Json.OkAsync(await browser.Http.GetAsync("/api/v1/settings"))).Str("timeZone"));
        await using (var db = engine.NewDb())
        {
            var organization = Assert.Single(db.Organizations.IgnoreQueryFilters());
            Assert.Equal("EUR", organization.DefaultCurrency.Code);
            Assert.Equal(14, organization.PaymentTermsDays);
            Assert.Equal("FR40123456789", organization.TaxId);
        }

        var stranger = new Browser(_app);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync("/setup")).Status);
        await stranger.GetAsync("/signin");
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.PostFormAsync("/setup", new Dictionary<string, string>(form) { ["OwnerEmail"] = "eve@evil.test" })).StatusCode);
    }
}

public sealed class SqliteFirstRun(SqliteEngine engine) : FirstRunTests<SqliteEngine>(engine);

public sealed class PostgresFirstRun(PostgresEngine engine) : FirstRunTests<PostgresEngine>(engine);

/// <summary>
/// The setup page takes the organization's structured party (EN 16931 BG-4) as Settings does; a class of its
/// own because setup needs an empty database, and the engine fixture's database is shared by a class's tests.
/// </summary>
public abstract class SetupPartyTests<TEngine>(TEngine engine) : IClassFixture<TEngine>, IAsyncLifetime
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
    public async Task Setup_takes_the_structured_party_and_a_checked_vat_id_and_refuses_a_wrong_field_next_to_it()
    {
        var browser = new Browser(_app);
        var (_, html, _) = await browser.GetAsync("/setup");
        Assert.Contains("<select id=\"org-party-CountryCode\" name=\"Party.CountryCode\"", html, StringComparison.Ordinal);
        var form = new Dictionary<string, string>
        {
            ["Name"] = "Acme Studio", ["TaxId"] = "FR40123456789", ["DefaultCurrency"] = "EUR", ["PaymentTermsDays"] = "30", ["TimeZone"] = "Europe/Paris",
            ["Party.LegalName"] = "Acme Studio SAS", ["Party.Line1"] = "1 Rue de la Paix", ["Party.Line2"] = "Bâtiment B", ["Party.City"] = "Paris",
            ["Party.PostalCode"] = "75002", ["Party.CountryCode"] = "FR", ["Party.LegalId"] = "123456789", ["Party.LegalIdScheme"] = "0002",
            ["Iban"] = "FR76 3000 6000 0112 3456 7890 189", ["Bic"] = "AGRIFRPP",
            ["OwnerName"] = "Ada Owner", ["OwnerEmail"] = "ada@acme.test", ["Password"] = "correct horse battery", ["ConfirmPassword"] = "correct horse battery",
        };

        var badCountry = await browser.PostFormAsync("/setup", new Dictionary<string, string>(form) { ["Party.CountryCode"] = "XX" });
        Assert.Equal(HttpStatusCode.BadRequest, badCountry.StatusCode);
        var page = System.Net.WebUtility.HtmlDecode(await badCountry.Content.ReadAsStringAsync());
        Assert.Contains("id=\"org-party-CountryCode-error\"", page, StringComparison.Ordinal);
        Assert.Contains("value=\"Bâtiment B\"", page, StringComparison.Ordinal);
        // The VAT id is checked against the country, as Settings checks it.
        var badVat = await browser.PostFormAsync("/setup", new Dictionary<string, string>(form) { ["TaxId"] = "DE123456789" });
        Assert.Equal(HttpStatusCode.BadRequest, badVat.StatusCode);
        Assert.Contains("id=\"taxId-error\"", await badVat.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await using (var db = engine.NewDb())
            Assert.Empty(db.Organizations.IgnoreQueryFilters());

        Assert.Equal(HttpStatusCode.Redirect, (await browser.PostFormAsync("/setup", form)).StatusCode);

        var settings = await Json.OkAsync(await browser.Http.GetAsync("/api/v1/settings"));
        Assert.Equal(
            ("FR40123456789", "Acme Studio SAS", "1 Rue de la Paix", "Bâtiment B", "Paris", "75002", "FR", "123456789", "0002"),
            (settings.Str("taxId"), settings.Str("party.legalName"), settings.Str("party.address.line1"), settings.Str("party.address.line2"), settings.Str("party.address.city"),
             settings.Str("party.address.postalCode"), settings.Str("party.address.countryCode"), settings.Str("party.legalId"), settings.Str("party.legalIdScheme")));
        Assert.Contains("FR76 3000 6000 0112 3456 7890 189", settings.Str("paymentInstructions"), StringComparison.Ordinal);
    }
}

public sealed class SqliteSetupParty(SqliteEngine engine) : SetupPartyTests<SqliteEngine>(engine);

public sealed class PostgresSetupParty(PostgresEngine engine) : SetupPartyTests<PostgresEngine>(engine);
