using Cairn.Domain;
using Cairn.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Tests.Api;

/// <summary>Resolving disputes over the API: accepted work is billed, rework goes back, a settlement is credited; the flag is cleared.</summary>
public abstract class DisputesApiTests<TEngine>(TEngine engine) : IClassFixture<TEngine>, IAsyncLifetime
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
    public async Task Accepting_disputed_work_approves_the_milestone_and_bills_it()
    {
        var books = await Books.OpenAsync(_app);
        var client = await books.ClientAsync();
        var contract = await books.ContractAsync(client.Id, 1000);
        var milestone = contract.Milestones[0];
        await books.SubmitAsync(milestone);
        var disputeId = await books.DisputeAsync(milestone, "Footer is missing");

        var open = await books.Owner.GetOkAsync("/api/v1/disputes?status=open");
        Assert.Equal(disputeId.ToString(), open.Str("data.0.id"));
        var resolved = await books.Owner.PostOkAsync($"/api/v1/disputes/{disputeId}/resolve", new { outcome = "accepted", note = "Footer was in the agreed scope of phase 2" });

        Assert.Equal(("resolved", "accepted"), (resolved.Str("status"), resolved.Str("outcome")));
        Assert.Equal(MilestoneStatus.Approved, (await MilestoneAsync(books, milestone.Id)).Status);
        var invoices = await books.Owner.GetOkAsync($"/api/v1/invoices?contractId={contract.Id}");
        var invoice = invoices["data"]!.AsArray().Single()!;
        Assert.Equal(("issued", "1200.00", false), (invoice.Str("status"), invoice.Str("gross.amount"), (bool)invoice["disputed"]!));
        Assert.Empty((await books.Owner.GetOkAsync("/api/v1/disputes?status=open"))["data"]!.AsArray());
    }

    [Fact]
    public async Task Rework_sends_the_milestone_back_to_in_progress_without_billing()
    {
        var books = await Books.OpenAsync(_app);
        var client = await books.ClientAsync();
        var contract = await books.ContractAsync(client.Id, 1000);
        await books.SubmitAsync(contract.Milestones[0]);
        var disputeId = await books.DisputeAsync(contract.Milestones[0]);

        var resolved = await books.Owner.PostOkAsync($"/api/v1/disputes/{disputeId}/resolve", new { outcome = "rework", note = "We will redo the footer" });

        Assert.Equal("rework", resolved.Str("outcome"));
        Assert.Equal(MilestoneStatus.InProgress, (await MilestoneAsync(books, contract.Milestones[0].Id)).Status);
        Assert.Empty((await books.Owner.GetOkAsync($"/api/v1/invoices?contractId={contract.Id}"))["data"]!.AsArray());
        await Json.ProblemAsync(await books.Owner.PostAsync($"/api/v1/disputes/{disputeId}/resolve", new { outcome = "accepted" }), 409, "invalid_transition");
    }

    [Fact]
    public async Task Settling_a_disputed_invoice_credits_the_agreed_amount_and_clears_the_flag()
    {
        var books = await Books.OpenAsync(_app);
        var client = await books.ClientAsync();
        var contract = await books.ContractAsync(client.Id, 1000);
        var invoiceId = await books.BillAsync(contract.Milestones[0]);
        var disputeId = await books.DisputeAsync(contract.Milestones[0], "Half the pages are broken");
        Assert.True((bool)(await books.InvoiceAsync(invoiceId))["disputed"]!);

        await Json.ProblemAsync(await books.Owner.PostAsync($"/api/v1/disputes/{disputeId}/resolve", new { outcome = "rework" }), 400, "rework_of_invoiced", "outcome");
        await Json.ProblemAsync(await books.Owner.PostAsync($"/api/v1/disputes/{disputeId}/resolve", new { outcome = "settled" }), 400, "settlement_required", "settlement");
        await Json.ProblemAsync(await books.Owner.PostAsync($"/api/v1/disputes/{disputeId}/resolve", new { outcome = "settled", settlement = Eur("1200.01") }), 400, "exceeds_creditable", "settlement");
        await Json.ProblemAsync(await books.Owner.PostAsync($"/api/v1/disputes/{disputeId}/resolve", new { outcome = "halfway" }), 400, "invalid_value", "outcome");
        Assert.Equal("open", (await books.Owner.GetOkAsync($"/api/v1/disputes/{disputeId}")).Str("status"));

        var resolved = await books.Owner.PostOkAsync($"/api/v1/disputes/{disputeId}/resolve", new { outcome = "settled", settlement = Eur("240.00"), note = "20% off" });

        Assert.Equal("240.00", resolved.Str("settlement.amount"));
        var invoice = await books.InvoiceAsync(invoiceId);
        Assert.False((bool)invoice["disputed"]!);
        Assert.Equal(("240.00", "960.00"), (invoice.Str("credited.amount"), invoice.Str("balance.amount")));
        Assert.Equal("CN-2026-000001", invoice.Str("creditNotes.0.number"));
        Assert.Contains("20% off", invoice.Str("creditNotes.0.reason"), StringComparison.Ordinal);
        Assert.Equal(MilestoneStatus.Approved, (await MilestoneAsync(books, contract.Milestones[0].Id)).Status);
        await books.AssertMoneyBalancesAsync();
    }

    [Fact]
    public async Task Settling_disputed_work_that_was_not_billed_bills_it_then_credits_the_settlement()
    {
        var books = await Books.OpenAsync(_app);
        await books.Owner.PatchAsync("/api/v1/settings", new { issueMode = "draft_for_review" });
        var client = await books.ClientAsync();
        var contract = await books.ContractAsync(client.Id, 1000);
        await books.SubmitAsync(contract.Milestones[0]);
        var disputeId = await books.DisputeAsync(contract.Milestones[0]);

        await books.Owner.PostOkAsync($"/api/v1/disputes/{disputeId}/resolve", new { outcome = "settled", settlement = Eur("1200.00") });

        var invoice = (await books.Owner.GetOkAsync($"/api/v1/invoices?contractId={contract.Id}"))["data"]!.AsArray().Single()!;
        Assert.Equal(("void", "INV-2026-000001", "1200.00"), (invoice.Str("status"), invoice.Str("number"), invoice.Str("credited.amount")));
        await books.AssertMoneyBalancesAsync();
    }

    private static async Task<Milestone> MilestoneAsync(Books books, Guid id)
    {
        await using var db = books.Db();
        return await db.Milestones.AsNoTracking().SingleAsync(m => m.Id == id);
    }

    private static object Eur(string amount) => CreditNotesApiTests<TEngine>.Eur(amount);
}

public sealed class SqliteDisputesApi(SqliteEngine engine) : DisputesApiTests<SqliteEngine>(engine);

public sealed class PostgresDisputesApi(PostgresEngine engine) : DisputesApiTests<PostgresEngine>(engine);
