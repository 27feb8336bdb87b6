using System.Net;
using Cairn.Server.Tests.Infrastructure;

namespace Cairn.Server.Tests.FirstHour;

/// <summary>Issue 12, stumble 5: web forms read amounts the way people type them; the API stays strict.</summary>
public abstract class FormAmountsTests<TEngine>(TEngine engine) : IClassFixture<TEngine>, IAsyncLifetime
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
    public async Task A_contract_value_and_a_payment_typed_with_thousands_separators_or_a_decimal_comma_are_accepted_by_the_forms_only()
    {
        var email = Staff.Email("owner");
        var org = await _app.NewStaffOrganizationAsync(email);
        var clientId = await Plans.ClientAsync(org.Api);
        var browser = new Browser(_app);
        await browser.SignInAsync(email, Staff.Password);

        // The form on /contracts/new with the value typed as given; the answer.
        async Task<HttpResponseMessage> NewContractAsync(string title, string value)
        {
            await browser.GetAsync("/contracts/new");
            return await browser.PostFormAsync("/contracts/new", new Dictionary<string, string>
            {
                ["ClientId"] = clientId, ["TemplateId"] = Plans.FixedFeeTemplate, ["Title"] = title,
                ["Value"] = value, ["Currency"] = "EUR", ["TaxRate"] = "20", ["PaymentTermsDays"] = "30",
            });
        }

        async Task<string> ValueOfAsync(HttpResponseMessage created)
        {
            Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
            return (await org.Api.GetOkAsync($"/api/v1/contracts/{created.Headers.Location!.ToString().Split('/').Last()}")).Str("value.amount");
        }

        var created = await NewContractAsync("Typed like people type", " 12,000.00 ");
        Assert.Equal("12000.00", await ValueOfAsync(created));
        var contractId = created.Headers.Location!.ToString().Split('/').Last();

        // Written the German or the French way, with a decimal comma, it is the same amount.
        Assert.Equal("12000.00", await ValueOfAsync(await NewContractAsync("Typed the German way", "12.000,00 EUR")));
        Assert.Equal("12000.00", await ValueOfAsync(await NewContractAsync("Typed the French way", "12\u00A0000,00")));

        // "12.000" could be twelve or twelve thousand: the form refuses it, next to the field, and creates nothing.
        var before = (await org.Api.GetOkAsync("/api/v1/contracts"))["data"]!.AsArray().Count;
        var ambiguous = await NewContractAsync("Ambiguous", "12.000");
        Assert.Contains("id=\"value-error\"", await ambiguous.Content.ReadAsStringAsync());
        Assert.Equal(before, (await org.Api.GetOkAsync("/api/v1/contracts"))["data"]!.AsArray().Count);

        // The API stays strict: a decimal string with the currency's minor digits.
        await Json.ProblemAsync(await org.Api.PostAsync("/api/v1/contracts", new { clientId, title = "Strict", value = new { amount = "12,000.00", currency = "EUR" }, taxRate = "20" }), 400, null);

        await org.Api.PostOkAsync($"/api/v1/contracts/{contractId}/activate");
        var invoiceId = (await org.Api.GetOkAsync($"/api/v1/invoices?contractId={contractId}")).Str("data.0.id");
        await browser.GetAsync($"/invoices/{invoiceId}");
        var paid = await browser.PostFormAsync($"/invoices/{invoiceId}?handler=Payment", new Dictionary<string, string>
        {
            ["Amount"] = "5 760,00 EUR", ["ReceivedOn"] = "2026-11-02", ["Method"] = "bank transfer", ["Reference"] = "typed with a separator",
        });
        Assert.Equal(HttpStatusCode.Redirect, paid.StatusCode);
        Assert.Equal("paid", (await org.Api.GetOkAsync($"/api/v1/invoices/{invoiceId}")).Str("status"));
    }
}

public sealed class SqliteFormAmounts(SqliteEngine engine) : FormAmountsTests<SqliteEngine>(engine);

public sealed class PostgresFormAmounts(PostgresEngine engine) : FormAmountsTests<PostgresEngine>(engine);
