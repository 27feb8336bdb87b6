using System.Globalization;
using System.Text.Json.Nodes;
using Cairn.Server.Tests.EInvoicing;
using Cairn.Server.Tests.Infrastructure;

namespace Cairn.Server.Tests.Api;

/// <summary>
/// <c>GET /contracts/{id}</c> reads only the columns its view needs (issue 16) where every other
/// path reads whole entities: the answer must still say, field for field, what those paths say of
/// the same contract, for every shape a contract's billing takes.
/// </summary>
public abstract class ContractReadTests<TEngine>(TEngine engine) : IClassFixture<TEngine>, IAsyncLifetime
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
    public async Task The_read_of_a_rich_contract_says_what_the_change_answer_the_milestones_and_the_invoices_say()
    {
        var api = await PrepaymentApiTests<TEngine>.SellerAsync(_app);
        var clientId = await PrepaymentApiTests<TEngine>.ClientAsync(api);
        var contractId = (await api.PostOkAsync("/api/v1/contracts", new { clientId, title = "Website relaunch", value = Eur("10000.00"), taxRate = "20" })).Str("id");
        var deposit = await AddAsync(api, contractId, new { title = "Deposit", percentage = "20", trigger = "on_start", prepayment = true });
        var design = await AddAsync(api, contractId, new { title = "Design", percentage = "30" });
        var build = await AddAsync(api, contractId, new { title = "Build", percentage = "40" });
        var launch = await AddAsync(api, contractId, new { title = "Launch", percentage = "30" });
        var kickoff = await AddAsync(api, contractId, new { title = "Kickoff call", amount = Eur("0.00") });
        await api.PostOkAsync($"/api/v1/contracts/{contractId}/activate");

        // Design: invoiced, then credited in part. Build: credited in full (void), then billed again.
        // Launch: delivered and disputed. The deposit: paid in part. Kickoff: an approved checkpoint.
        var designInvoice = (await ApproveAsync(api, design)).Str("invoice.id");
        await api.PostOkAsync($"/api/v1/invoices/{designInvoice}/credit-notes", new { amount = Eur("120.00"), reason = "Discount agreed" });
        var billed = await ApproveAsync(api, build);
        await api.PostOkAsync($"/api/v1/invoices/{billed.Str("invoice.id")}/credit-notes", new { amount = Eur(billed.Str("invoice.gross.amount")), reason = "Billed in error" });
        await api.PostOkAsync($"/api/v1/milestones/{build}/rebill");
        await Plans.DeliverAsync(api, launch);
        await api.PostOkAsync($"/api/v1/milestones/{launch}/dispute", new { reason = "The footer is missing" });
        await api.PostOkAsync("/api/v1/payments", new { clientId, amount = Eur("1000.00"), receivedOn = "2026-11-20", method = "bank_transfer", reference = "TRANSFER-1" });
        await ApproveAsync(api, kickoff);

        // The answer to a change is built from the entities; the read that follows from the projection.
        var changed = await api.PatchOkAsync($"/api/v1/contracts/{contractId}", new { buyerReference = "PO-7" });
        var read = await api.GetOkAsync($"/api/v1/contracts/{contractId}");

        Assert.True(JsonNode.DeepEquals(changed, read), $"change answer:\n{changed.ToJsonString()}\nread:\n{read.ToJsonString()}");
        var milestones = read["milestones"]!.AsArray();
        Assert.Equal(
            ["Deposit partially_paid -", "Design invoiced -", "Build invoiced -", "Launch unbilled The footer is missing", "Kickoff call checkpoint -"],
            milestones.Select(m => $"{m!.Str("title")} {m!.Str("billingStatus")} {(m!["openDispute"] is { } d ? d.Str("reason") : "-")}"));
        foreach (var milestone in milestones)
        {
            var alone = (await api.GetOkAsync($"/api/v1/milestones/{milestone!.Str("id")}")).AsObject();
            alone["history"] = null;
            Assert.True(JsonNode.DeepEquals(alone, milestone), $"milestone alone:\n{alone.ToJsonString()}\nin the contract:\n{milestone!.ToJsonString()}");
        }

        var invoices = (await api.GetOkAsync($"/api/v1/invoices?contractId={contractId}"))["data"]!.AsArray().Where(i => i!.Str("status") != "draft").ToList();
        Assert.Equal(4, invoices.Count);
        decimal Sum(Func<JsonNode, decimal> figure) => invoices.Sum(i => figure(i!));
        var figures = read["figures"]!;
        Assert.Equal(
            (Sum(i => Amount(i, "gross") - Amount(i, "credited")), Sum(i => Amount(i, "credited")), Sum(i => Amount(i, "paid")), Sum(i => Amount(i, "balance"))),
            (Amount(figures, "billed"), Amount(figures, "credited"), Amount(figures, "collected"), Amount(figures, "outstanding")));
        Assert.Equal(milestones.Where(m => m!.Str("status") == "approved").Sum(m => Amount(m!, "amount")), Amount(figures, "delivered"));
        Assert.NotEqual(0m, Amount(figures, "credited"));
        Assert.NotEqual(0m, Amount(figures, "collected"));
    }

    [Fact]
    public async Task A_milestone_cancelled_while_disputed_keeps_its_open_dispute_and_credit_notes_in_the_read()
    {
        // The read looks for a milestone's open dispute only where one can be: a Disputed milestone, or
        // one a change order cancelled while disputed (allowed once its invoice was credited in full).
        var api = await PrepaymentApiTests<TEngine>.SellerAsync(_app);
        var clientId = await PrepaymentApiTests<TEngine>.ClientAsync(api);
        var contractId = (await api.PostOkAsync("/api/v1/contracts", new { clientId, title = "Shop", value = Eur("1000.00"), taxRate = "20" })).Str("id");
        var design = await AddAsync(api, contractId, new { title = "Design", amount = Eur("400.00") });
        await AddAsync(api, contractId, new { title = "Build", amount = Eur("600.00") });
        await api.PostOkAsync($"/api/v1/contracts/{contractId}/activate");
        var invoice = (await ApproveAsync(api, design))["invoice"]!;
        await api.PostOkAsync($"/api/v1/milestones/{design}/dispute", new { reason = "Not what we agreed" });
        await api.PostOkAsync($"/api/v1/invoices/{invoice.Str("id")}/credit-notes", new { amount = Eur("100.00"), reason = "Part refund" });
        await api.PostOkAsync($"/api/v1/invoices/{invoice.Str("id")}/credit-notes", new { amount = Eur("380.00"), reason = "The rest" });
        var order = await api.PostOkAsync($"/api/v1/contracts/{contractId}/change-orders", new { title = "Design dropped", items = new[] { new { kind = "cancel", milestoneId = design } } });
        await api.PostOkAsync($"/api/v1/change-orders/{order.Str("id")}/propose");
        await api.PostOkAsync($"/api/v1/change-orders/{order.Str("id")}/approve");

        var changed = await api.PatchOkAsync($"/api/v1/contracts/{contractId}", new { buyerReference = "PO-9" });
        var read = await api.GetOkAsync($"/api/v1/contracts/{contractId}");

        Assert.True(JsonNode.DeepEquals(changed, read), $"change answer:\n{changed.ToJsonString()}\nread:\n{read.ToJsonString()}");
        var cancelled = read["milestones"]!.AsArray().Single(m => m!.Str("id") == design)!;
        Assert.Equal(("cancelled", "Not what we agreed"), (cancelled.Str("status"), cancelled.Str("openDispute.reason")));
        Assert.Equal(("480.00", "0.00", "0.00"), (read.Str("figures.credited.amount"), read.Str("figures.billed.amount"), read.Str("figures.billedNet.amount")));
    }

    private static async Task<string> AddAsync(ApiClient api, string contractId, object milestone) =>
        (await api.PostOkAsync($"/api/v1/contracts/{contractId}/milestones", milestone)).Str("id");

    private static async Task<JsonNode> ApproveAsync(ApiClient api, string milestoneId)
    {
        await Plans.DeliverAsync(api, milestoneId);
        return await api.PostOkAsync($"/api/v1/milestones/{milestoneId}/approve");
    }

    private static decimal Amount(JsonNode node, string field) => decimal.Parse(node.Str($"{field}.amount"), CultureInfo.InvariantCulture);

    private static object Eur(string amount) => CreditNotesApiTests<TEngine>.Eur(amount);
}

public sealed class SqliteContractRead(SqliteEngine engine) : ContractReadTests<SqliteEngine>(engine);

public sealed class PostgresContractRead(PostgresEngine engine) : ContractReadTests<PostgresEngine>(engine);
