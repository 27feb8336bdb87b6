using System.Net;
using Cairn.Server.Tests.Infrastructure;

namespace Cairn.Server.Tests.EInvoicing;

/// <summary>The new-contract web form takes the contract's tax category (UNCL5305) and VATEX code, checked by the same rules as the API; the contract page changes its references.</summary>
public abstract class TaxFormTests<TEngine>(TEngine engine) : IClassFixture<TEngine>, IAsyncLifetime
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
    public async Task A_reverse_charge_contract_is_made_on_the_form_and_a_VATEX_code_of_another_category_is_refused_next_to_its_field()
    {
        var email = Staff.Email("owner");
        var org = await _app.NewStaffOrganizationAsync(email);
        var clientId = await Plans.ClientAsync(org.Api);
        var browser = new Browser(_app);
        await browser.SignInAsync(email, Staff.Password);

        var form = await browser.GetAsync("/contracts/new");
        Assert.Contains("<select id=\"taxCategory\" name=\"TaxCategory\"", form.Html, StringComparison.Ordinal);
        Assert.Contains("<option value=\"AE\">AE", form.Html, StringComparison.Ordinal);
        var created = await browser.PostFormAsync("/contracts/new", new Dictionary<string, string>
        {
            ["ClientId"] = clientId, ["Title"] = "Reverse charged", ["Value"] = "4000.00", ["Currency"] = "EUR",
            ["TaxCategory"] = "AE", ["TaxRate"] = "0", ["PaymentTermsDays"] = "30",
        });
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var contract = await org.Api.GetOkAsync($"/api/v1/contracts/{created.Headers.Location!.ToString().Split('/').Last()}");
        Assert.Equal(("AE", "0", "VATEX-EU-AE"), (contract.Str("taxCategory"), contract.Str("taxRate"), contract.Str("taxExemptionCode")));

        await browser.GetAsync("/contracts/new");
        var refused = await browser.PostFormAsync("/contracts/new", new Dictionary<string, string>
        {
            ["ClientId"] = clientId, ["Title"] = "Mismatched", ["Value"] = "4000.00", ["Currency"] = "EUR",
            ["TaxCategory"] = "AE", ["TaxRate"] = "0", ["TaxExemptionCode"] = "VATEX-EU-132", ["PaymentTermsDays"] = "30",
        });
        Assert.Contains("id=\"taxExemptionCode-error\"", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Single((await org.Api.GetOkAsync("/api/v1/contracts"))["data"]!.AsArray());
    }

    [Fact]
    public async Task The_form_proposes_the_tax_of_the_clients_last_contract_else_the_organizations_and_no_rate_for_the_first()
    {
        var email = Staff.Email("owner");
        var org = await _app.NewStaffOrganizationAsync(email);
        var reverseCharged = await Plans.ClientAsync(org.Api, "Initech");
        var reduced = await Plans.ClientAsync(org.Api, "Hooli");
        var newcomer = await Plans.ClientAsync(org.Api, "Globex");
        var browser = new Browser(_app);
        await browser.SignInAsync(email, Staff.Password);

        // No contract yet: no rate is proposed (Cairn knows no national rates), the field says what to type.
        var first = (await browser.GetAsync($"/contracts/new?clientId={newcomer}")).Html;
        Assert.Contains("<input id=\"taxRate\" name=\"TaxRate\" inputmode=", first, StringComparison.Ordinal);
        Assert.Contains("The VAT rate your work is taxed at", first, StringComparison.Ordinal);

        await org.Api.PostOkAsync("/api/v1/contracts", new { clientId = reverseCharged, title = "Initech audit", value = new { amount = "4000.00", currency = "EUR" }, taxRate = "0", taxCategory = "AE", paymentTermsDays = 30 });
        await org.Api.PostOkAsync("/api/v1/contracts", new { clientId = reduced, title = "Hooli books", value = new { amount = "900.00", currency = "EUR" }, taxRate = "7", paymentTermsDays = 30 });

        var forInitech = (await browser.GetAsync($"/contracts/new?clientId={reverseCharged}")).Html;
        Assert.Contains("<input id=\"taxRate\" name=\"TaxRate\" value=\"0\"", forInitech, StringComparison.Ordinal);
        Assert.Contains("<option value=\"AE\" selected=\"selected\">", forInitech, StringComparison.Ordinal);
        Assert.Contains("As on your last contract, “Initech audit”.", WebUtility.HtmlDecode(forInitech), StringComparison.Ordinal);

        var forGlobex = (await browser.GetAsync($"/contracts/new?clientId={newcomer}")).Html;
        Assert.Contains("<input id=\"taxRate\" name=\"TaxRate\" value=\"7\"", forGlobex, StringComparison.Ordinal);
        Assert.Contains("As on your last contract, “Hooli books”.", WebUtility.HtmlDecode(forGlobex), StringComparison.Ordinal);

        // Sent without a rate, the form refuses next to the field and creates nothing.
        var refused = await browser.PostFormAsync("/contracts/new", new Dictionary<string, string>
        {
            ["ClientId"] = newcomer, ["Title"] = "No rate", ["Value"] = "1000.00", ["Currency"] = "EUR", ["PaymentTermsDays"] = "30",
        });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("id=\"taxRate-error\"", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(2, (await org.Api.GetOkAsync("/api/v1/contracts"))["data"]!.AsArray().Count);
    }

    [Fact]
    public async Task The_buyer_and_purchase_order_references_are_given_on_the_new_contract_form_and_a_too_long_one_is_refused_next_to_it()
    {
        var email = Staff.Email("owner");
        var org = await _app.NewStaffOrganizationAsync(email);
        var clientId = await Plans.ClientAsync(org.Api);
        var browser = new Browser(_app);
        await browser.SignInAsync(email, Staff.Password);
        var form = new Dictionary<string, string>
        {
            ["ClientId"] = clientId, ["Title"] = "For the Bundesamt", ["Value"] = "5000.00", ["Currency"] = "EUR", ["TaxRate"] = "20", ["PaymentTermsDays"] = "30",
            ["BuyerReference"] = "991-12345-67", ["PurchaseOrderReference"] = "PO-2026-7",
        };

        Assert.Contains("<input id=\"buyerReference\" name=\"BuyerReference\"", (await browser.GetAsync("/contracts/new")).Html, StringComparison.Ordinal);
        var refused = await browser.PostFormAsync("/contracts/new", new Dictionary<string, string>(form) { ["PurchaseOrderReference"] = new string('7', 201) });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("id=\"purchaseOrderReference-error\"", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty((await org.Api.GetOkAsync("/api/v1/contracts"))["data"]!.AsArray());

        await browser.GetAsync("/contracts/new");
        var created = await browser.PostFormAsync("/contracts/new", form);
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var contract = await org.Api.GetOkAsync($"/api/v1/contracts/{created.Headers.Location!.ToString().Split('/').Last()}");
        Assert.Equal(("991-12345-67", "PO-2026-7"), (contract.Str("buyerReference"), contract.Str("purchaseOrderReference")));
    }

    [Fact]
    public async Task The_buyer_and_purchase_order_references_are_changed_on_the_contract_page_and_a_too_long_one_is_refused_next_to_it()
    {
        var email = Staff.Email("owner");
        var org = await _app.NewStaffOrganizationAsync(email);
        var id = (await Plans.ActiveWebsiteContractAsync(org.Api)).Str("id");
        await org.Api.PatchOkAsync($"/api/v1/contracts/{id}", new { buyerReference = "991-00000-00" });
        var browser = new Browser(_app);
        await browser.SignInAsync(email, Staff.Password);

        var page = await browser.GetAsync($"/contracts/{id}");
        Assert.Contains("<input id=\"buyerReference\" name=\"BuyerReference\" value=\"991-00000-00\"", page.Html, StringComparison.Ordinal);
        var refused = await browser.PostFormAsync($"/contracts/{id}?handler=References", new Dictionary<string, string>
        {
            ["BuyerReference"] = new string('9', 201), ["PurchaseOrderReference"] = "PO-2026-7",
        });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("id=\"buyerReference-error\"", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("991-00000-00", (await org.Api.GetOkAsync($"/api/v1/contracts/{id}")).Str("buyerReference"));

        await browser.GetAsync($"/contracts/{id}");
        var saved = await browser.PostFormAsync($"/contracts/{id}?handler=References", new Dictionary<string, string>
        {
            ["BuyerReference"] = "991-12345-67", ["PurchaseOrderReference"] = "PO-2026-7",
        });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var contract = await org.Api.GetOkAsync($"/api/v1/contracts/{id}");
        Assert.Equal(("991-12345-67", "PO-2026-7"), (contract.Str("buyerReference"), contract.Str("purchaseOrderReference")));
        Assert.Contains("value=\"PO-2026-7\"", (await browser.GetAsync($"/contracts/{id}")).Html, StringComparison.Ordinal);
    }
}

public sealed class SqliteTaxForm(SqliteEngine engine) : TaxFormTests<SqliteEngine>(engine);

public sealed class PostgresTaxForm(PostgresEngine engine) : TaxFormTests<PostgresEngine>(engine);
