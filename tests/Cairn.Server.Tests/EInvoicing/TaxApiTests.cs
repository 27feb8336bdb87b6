using System.Text.Json.Nodes;
using Cairn.Server.Tests.Infrastructure;

namespace Cairn.Server.Tests.EInvoicing;

/// <summary>Tax on contracts and invoices: exemptions, rates with four decimals, categories per EN 16931 (UNCL5305, VATEX).</summary>
public abstract class TaxApiTests<TEngine>(TEngine engine) : IClassFixture<TEngine>, IAsyncLifetime
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
    public async Task A_zero_rate_contract_with_its_exemption_reason_is_created()
    {
        var api = await _app.NewOrganizationAsync();
        var clientId = await Plans.ClientAsync(api);

        var contract = await api.PostOkAsync("/api/v1/contracts", new
        {
            clientId,
            title = "Training for a school",
            value = new { amount = "5000.00", currency = "EUR" },
            taxRate = "0",
            taxExemptionReason = "Exempt: education services, art. 132 VAT Directive",
        });

        Assert.Equal("0", contract.Str("taxRate"));
        Assert.Equal("Exempt: education services, art. 132 VAT Directive", contract.Str("taxExemptionReason"));
    }

    [Fact]
    public async Task A_zero_rate_contract_without_a_reason_is_refused_naming_the_field()
    {
        var api = await _app.NewOrganizationAsync();
        var clientId = await Plans.ClientAsync(api);

        var response = await api.PostAsync("/api/v1/contracts", new { clientId, title = "No tax", value = new { amount = "5000.00", currency = "EUR" }, taxRate = "0" });

        await Json.ProblemAsync(response, 400, "tax_exemption_reason_required", "taxExemptionReason");
    }

    [Fact]
    public async Task A_rate_with_four_decimals_is_accepted_and_its_tax_is_rounded_once_to_the_cent()
    {
        var api = await _app.NewOrganizationAsync();
        var invoice = await InvoiceForOneMilestoneAsync(api, "8180.00", "9.975");

        Assert.Equal("9.975", invoice.Str("lines.0.taxRate"));
        Assert.Equal("8180.00", invoice.Str("net.amount"));
        Assert.Equal("815.96", invoice.Str("tax.amount"));
        Assert.Equal("8995.96", invoice.Str("gross.amount"));
    }

    [Fact]
    public async Task A_rate_with_five_decimals_is_refused_naming_the_field()
    {
        var api = await _app.NewOrganizationAsync();
        var clientId = await Plans.ClientAsync(api);

        var response = await api.PostAsync("/api/v1/contracts", new { clientId, title = "Too precise", value = new { amount = "5000.00", currency = "EUR" }, taxRate = "9.97512" });

        var problem = await Json.ProblemAsync(response, 400, "invalid_percentage", "taxRate");
        Assert.Contains("4", problem.Str("detail"), StringComparison.Ordinal);
    }

    /// <summary>An active contract of one fixed milestone at the given rate, approved: its issued invoice.</summary>
    internal static async Task<JsonNode> InvoiceForOneMilestoneAsync(ApiClient api, string amount, string taxRate, object? extra = null)
    {
        var clientId = await Plans.ClientAsync(api);
        var contract = await api.PostOkAsync("/api/v1/contracts", new
        {
            clientId,
            title = "Consulting",
            value = new { amount, currency = "EUR" },
            taxRate,
        });
        var milestone = await api.PostOkAsync($"/api/v1/contracts/{contract.Str("id")}/milestones", new { title = "Workshop", amount = new { amount, currency = "EUR" } });
        await api.PostOkAsync($"/api/v1/contracts/{contract.Str("id")}/activate");
        await Plans.DeliverAsync(api, milestone.Str("id"));
        var approved = await api.PostOkAsync($"/api/v1/milestones/{milestone.Str("id")}/approve");
        return await api.GetOkAsync($"/api/v1/invoices/{approved.Str("invoice.id")}");
    }
}

public sealed class SqliteTaxApi(SqliteEngine engine) : TaxApiTests<SqliteEngine>(engine);

public sealed class PostgresTaxApi(PostgresEngine engine) : TaxApiTests<PostgresEngine>(engine);
