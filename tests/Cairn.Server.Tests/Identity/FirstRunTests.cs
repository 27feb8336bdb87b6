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
