using Microsoft.Extensions.DependencyInjection;
using Cairn.Server.Tests.Infrastructure;

namespace Cairn.Server.Tests.Api;

/// <summary>The whole loop of issue 4, over HTTP only: from an empty organization to a contract complete and fully paid.</summary>
public abstract class WholeLoopTests<TEngine>(TEngine engine) : IClassFixture<TEngine>, IAsyncLifetime
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
    public async Task A_10000_EUR_contract_at_20_percent_VAT_on_the_30_40_30_template_is_billed_paid_and_completed()
    {
        var api = await _app.NewOrganizationAsync();
        var contract = await Plans.ActiveWebsiteContractAsync(api);
        var contractId = contract.Str("id");
        Assert.Equal(["3000.00", "4000.00", "3000.00"], contract["milestones"]!.AsArray().Select(m => m!.Str("amount.amount")));

        var invoices = new List<string>();
        foreach (var milestoneId in Plans.MilestoneIds(contract))
        {
            await Plans.DeliverAsync(api, milestoneId);
            var approved = await api.PostOkAsync($"/api/v1/milestones/{milestoneId}/approve");
            invoices.Add(approved.Str("invoice.id"));
        }

        var expected = new[] { ("INV-2026-000001", "3000.00", "600.00", "3600.00"), ("INV-2026-000002", "4000.00", "800.00", "4800.00"), ("INV-2026-000003", "3000.00", "600.00", "3600.00") };
        for (var i = 0; i < 3; i++)
        {
            var invoice = await api.GetOkAsync($"/api/v1/invoices/{invoices[i]}");
            Assert.Equal(expected[i], (invoice.Str("number"), invoice.Str("net.amount"), invoice.Str("tax.amount"), invoice.Str("gross.amount")));
            Assert.Equal("issued", invoice.Str("status"));
        }

        Assert.Equal("completed", (await api.GetOkAsync($"/api/v1/contracts/{contractId}")).Str("status"));
        var clientId = contract.Str("clientId");

        // The client pays the first two invoices in one transfer, then the last one.
        await api.PostOkAsync("/api/v1/payments", new { clientId, amount = new { amount = "8400.00", currency = "EUR" }, receivedOn = "2026-11-20", method = "bank_transfer", reference = "TRANSFER-1" });
        var balance = await api.GetOkAsync($"/api/v1/clients/{clientId}/balance");
        Assert.Equal("3600.00", Outstanding(balance));
        await api.PostOkAsync("/api/v1/payments", new { clientId, amount = new { amount = "3600.00", currency = "EUR" }, receivedOn = "2026-11-25", method = "bank_transfer", reference = "TRANSFER-2" });

        foreach (var id in invoices)
        {
            var invoice = await api.GetOkAsync($"/api/v1/invoices/{id}");
            Assert.Equal("paid", invoice.Str("status"));
            Assert.Equal("0.00", invoice.Str("balance.amount"));
        }

        var final = await api.GetOkAsync($"/api/v1/contracts/{contractId}");
        Assert.Equal("completed", final.Str("status"));
        Assert.All(final["milestones"]!.AsArray(), m => Assert.Equal("paid", m!.Str("billingStatus")));
        Assert.Equal("0.00", Outstanding(await api.GetOkAsync($"/api/v1/clients/{clientId}/balance")));

        using var scope = _app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<Data.CairnDb>();
        Assert.Empty(await new Cairn.Server.Verification.InvariantChecker(db).CheckAsync());
    }

    private static string Outstanding(System.Text.Json.Nodes.JsonNode balance)
    {
        var eur = balance["currencies"]?.AsArray().FirstOrDefault(c => c!.Str("currency") == "EUR") ?? balance;
        return Json.Walk(eur, "outstanding.amount")?.ToString() ?? Json.Walk(eur, "outstanding")!.ToString();
    }
}

public sealed class SqliteWholeLoop(SqliteEngine engine) : WholeLoopTests<SqliteEngine>(engine);

public sealed class PostgresWholeLoop(PostgresEngine engine) : WholeLoopTests<PostgresEngine>(engine);
