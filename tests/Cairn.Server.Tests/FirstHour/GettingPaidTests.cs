using System.Net;
using Cairn.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Tests.FirstHour;

/// <summary>Issue 12, stumble 3: setup asks how the seller gets paid, and a seller who has not said is warned where it matters.</summary>
public abstract class SetupAsksHowToGetPaidTests<TEngine>(TEngine engine) : IClassFixture<TEngine>, IAsyncLifetime
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
    public async Task Setup_checks_the_iban_and_puts_the_bank_details_on_every_invoice()
    {
        var browser = new Browser(_app);
        var page = await browser.GetAsync("/setup");
        Assert.Contains("<label for=\"iban\">IBAN</label>", page.Html);
        var form = new Dictionary<string, string>
        {
            ["Name"] = "Ada Design", ["Address"] = "1 Rue de la Paix, Paris", ["TaxId"] = "FR40123456789",
            ["DefaultCurrency"] = "EUR", ["PaymentTermsDays"] = "30",
            ["Iban"] = "DE89 3704 0044 0532 0130 01", ["Bic"] = "cobadeffxxx", ["PaymentInstructions"] = "Please quote the invoice number.",
            ["OwnerName"] = "Ada Lovelace", ["OwnerEmail"] = "ada@ada.test", ["Password"] = Staff.Password, ["ConfirmPassword"] = Staff.Password,
        };

        var mistyped = await browser.PostFormAsync("/setup", form);
        var html = await mistyped.Content.ReadAsStringAsync();
        Assert.Contains("is not a valid IBAN", html);
        Assert.Contains("id=\"iban\" name=\"Iban\" value=\"DE89 3704 0044 0532 0130 01\"", html);
        Assert.Contains("aria-invalid=\"true\"", html);
        await using (var db = engine.NewDb())
            Assert.Empty(db.Organizations.IgnoreQueryFilters());

        Assert.Equal(HttpStatusCode.Redirect, (await browser.PostFormAsync("/setup", new Dictionary<string, string>(form) { ["Iban"] = "de89370400440532013000" })).StatusCode);

        await using (var db = engine.NewDb())
            Assert.Equal("IBAN DE89 3704 0044 0532 0130 00 · BIC COBADEFFXXX · Please quote the invoice number.", Assert.Single(db.Organizations.IgnoreQueryFilters()).PaymentInstructions);
        var dashboard = await browser.GetAsync("/");
        Assert.DoesNotContain("data-warning=\"payment-details\"", dashboard.Html);
    }
}

/// <summary>Issue 12, stumble 3: without payment details the dashboard and each invoice page say so and link to Settings; issuing is not refused.</summary>
public abstract class MissingPaymentDetailsTests<TEngine>(TEngine engine) : IClassFixture<TEngine>, IAsyncLifetime
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
    public async Task Dashboard_and_invoice_page_warn_with_a_link_to_settings_until_bank_details_are_given()
    {
        var email = Staff.Email("owner");
        var org = await _app.NewStaffOrganizationAsync(email);
        var contract = await Plans.ContractAsync(org.Api, "9000.00", Plans.FixedFeeTemplate);
        await org.Api.PostOkAsync($"/api/v1/contracts/{contract.Str("id")}/activate");
        var invoices = await org.Api.GetOkAsync($"/api/v1/invoices?contractId={contract.Str("id")}");
        var invoiceId = invoices.Str("data.0.id");
        var browser = new Browser(_app);
        await browser.SignInAsync(email, Staff.Password);

        foreach (var path in new[] { "/", $"/invoices/{invoiceId}" })
        {
            var page = await browser.GetAsync(path);
            Assert.Contains("data-warning=\"payment-details\"", page.Html);
            Assert.Contains("<a href=\"/settings#org-instructions\">Add them in Settings</a>", page.Html);
        }

        await org.Api.PatchOkAsync("/api/v1/settings", new { paymentInstructions = "IBAN NL91 ABNA 0417 1643 00" });

        foreach (var path in new[] { "/", $"/invoices/{invoiceId}" })
            Assert.DoesNotContain("data-warning=\"payment-details\"", (await browser.GetAsync(path)).Html);
    }
}

public sealed class SqliteSetupAsksHowToGetPaid(SqliteEngine engine) : SetupAsksHowToGetPaidTests<SqliteEngine>(engine);

public sealed class PostgresSetupAsksHowToGetPaid(PostgresEngine engine) : SetupAsksHowToGetPaidTests<PostgresEngine>(engine);

public sealed class SqliteMissingPaymentDetails(SqliteEngine engine) : MissingPaymentDetailsTests<SqliteEngine>(engine);

public sealed class PostgresMissingPaymentDetails(PostgresEngine engine) : MissingPaymentDetailsTests<PostgresEngine>(engine);
