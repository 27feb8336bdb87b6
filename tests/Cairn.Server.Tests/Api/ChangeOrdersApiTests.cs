using Cairn.Domain;
using Cairn.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Tests.Api;

/// <summary>Change orders over the API: applied atomically on approval, never touching invoiced milestones.</summary>
public abstract class ChangeOrdersApiTests<TEngine>(TEngine engine) : IClassFixture<TEngine>, IAsyncLifetime
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
    public async Task A_change_order_that_adds_changes_and_cancels_is_applied_at_once_on_approval()
    {
        var books = await Books.OpenAsync(_app);
        var client = await books.ClientAsync();
        var contract = await books.ContractAsync(client.Id, 1000, 1000, 1000);
        await books.BillAsync(contract.Milestones[0]);
        var (m2, m3) = (contract.Milestones[1].Id, contract.Milestones[2].Id);
        var versionBefore = (await ContractAsync(books, contract.Id)).Version;

        var draft = await books.Owner.PostOkAsync($"/api/v1/contracts/{contract.Id}/change-orders", new
        {
            title = "Phase 2 rescoped",
            reason = "Client asked for a mobile app instead of the admin panel",
            items = new object[]
            {
                new { kind = "add", terms = new { title = "Mobile app", acceptanceCriteria = "Published in both stores", dueDate = "2027-03-01", amount = Eur("500.00") } },
                new { kind = "change", milestoneId = m2, terms = new { amount = Eur("1200.00"), acceptanceCriteria = "Lighthouse score 95" } },
                new { kind = "cancel", milestoneId = m3 },
            },
        });
        Assert.Equal("draft", draft.Str("status"));
        Assert.Equal("Milestone 2", draft.Str("items.1.terms.title"));
        Assert.Equal(versionBefore, (await ContractAsync(books, contract.Id)).Version);

        await books.Owner.PostOkAsync($"/api/v1/change-orders/{draft.Str("id")}/propose");
        var approved = await books.Owner.PostOkAsync($"/api/v1/change-orders/{draft.Str("id")}/approve");

        Assert.Equal("approved", approved.Str("status"));
        var after = await ContractAsync(books, contract.Id);
        Assert.Equal(versionBefore + 1, after.Version);
        Assert.Equal(versionBefore + 1, (int)approved["resultingContractVersion"]!);
        Assert.Equal(270000, after.ValueMinor);
        Assert.Equal(MilestoneStatus.Cancelled, after.Milestones.Single(m => m.Id == m3).Status);
        var changed = after.Milestones.Single(m => m.Id == m2);
        Assert.Equal((120000, "Lighthouse score 95", "Milestone 2"), (changed.AmountMinor, changed.AcceptanceCriteria, changed.Title));
        var added = after.Milestones.Single(m => m.Title == "Mobile app");
        Assert.Equal((50000L, 4, new DateOnly(2027, 3, 1)), (added.AmountMinor, added.Position, added.DueDate!.Value));
        Assert.True(after.CheckPlan().AddsUp);
        var audit = await books.Owner.GetOkAsync($"/api/v1/audit?entity=contract&id={contract.Id}");
        Assert.Equal("amended", audit["data"]!.AsArray()[^1]!.Str("action"));
    }

    [Fact]
    public async Task A_change_order_touching_a_milestone_invoiced_since_it_was_proposed_is_refused_and_changes_nothing()
    {
        var books = await Books.OpenAsync(_app);
        var client = await books.ClientAsync();
        var contract = await books.ContractAsync(client.Id, 1000, 1000, 1000);
        var (m2, m3) = (contract.Milestones[1], contract.Milestones[2]);
        var order = await books.Owner.PostOkAsync($"/api/v1/contracts/{contract.Id}/change-orders", new
        {
            title = "Cheaper second phase",
            items = new object[] { new { kind = "cancel", milestoneId = m3.Id }, new { kind = "change", milestoneId = m2.Id, terms = new { amount = Eur("800.00") } } },
        });
        await books.Owner.PostOkAsync($"/api/v1/change-orders/{order.Str("id")}/propose");
        await books.BillAsync(m2);
        var before = await ContractAsync(books, contract.Id);

        await Json.ProblemAsync(await books.Owner.PostAsync($"/api/v1/change-orders/{order.Str("id")}/approve", new { }), 409, "invalid_transition");

        var after = await ContractAsync(books, contract.Id);
        Assert.Equal((before.Version, before.ValueMinor), (after.Version, after.ValueMinor));
        Assert.Equal(MilestoneStatus.Planned, after.Milestones.Single(m => m.Id == m3.Id).Status);
        Assert.Equal(100000, after.Milestones.Single(m => m.Id == m2.Id).AmountMinor);
        Assert.Equal("proposed", (await books.Owner.GetOkAsync($"/api/v1/change-orders/{order.Str("id")}")).Str("status"));
        await Json.ProblemAsync(
            await books.Owner.PostAsync($"/api/v1/contracts/{contract.Id}/change-orders", new { title = "Again", items = new object[] { new { kind = "change", milestoneId = m2.Id, terms = new { title = "Renamed" } } } }),
            409, "invalid_transition");
    }

    [Fact]
    public async Task A_change_order_moves_from_draft_to_proposed_to_rejected_and_no_further()
    {
        var books = await Books.OpenAsync(_app);
        var client = await books.ClientAsync();
        var contract = await books.ContractAsync(client.Id, 1000);
        var order = await books.Owner.PostOkAsync($"/api/v1/contracts/{contract.Id}/change-orders", new { title = "Extra page", items = new object[] { new { kind = "add", terms = new { title = "Pricing page", amount = Eur("300.00") } } } });
        var id = order.Str("id");

        await Json.ProblemAsync(await books.Owner.PostAsync($"/api/v1/change-orders/{id}/approve", new { }), 409, "invalid_transition");
        await books.Owner.PostOkAsync($"/api/v1/change-orders/{id}/propose");
        var rejected = await books.Owner.PostOkAsync($"/api/v1/change-orders/{id}/reject");
        await Json.ProblemAsync(await books.Owner.PostAsync($"/api/v1/change-orders/{id}/approve", new { }), 409, "invalid_transition");

        Assert.Equal("rejected", rejected.Str("status"));
        Assert.Equal(100000, (await ContractAsync(books, contract.Id)).ValueMinor);
        var list = await books.Owner.GetOkAsync($"/api/v1/contracts/{contract.Id}/change-orders");
        Assert.Equal(id, list.Str("data.0.id"));
        var history = await books.Owner.GetOkAsync($"/api/v1/audit?entity=change_order&id={id}");
        Assert.Equal(["drafted", "proposed", "rejected"], history["data"]!.AsArray().Select(e => e!.Str("action")));
    }

    [Fact]
    public async Task Bad_change_order_input_names_the_item_field_and_drafts_nothing()
    {
        var books = await Books.OpenAsync(_app);
        var client = await books.ClientAsync();
        var contract = await books.ContractAsync(client.Id, 1000);
        var otherContract = await books.ContractAsync(client.Id, 500);
        var path = $"/api/v1/contracts/{contract.Id}/change-orders";

        await Json.ProblemAsync(await books.Owner.PostAsync(path, new { title = "X", items = Array.Empty<object>() }), 400, "items_required", "items");
        await Json.ProblemAsync(await books.Owner.PostAsync(path, new { items = new object[] { new { kind = "cancel", milestoneId = contract.Milestones[0].Id } } }), 400, "required", "title");
        await Json.ProblemAsync(await books.Owner.PostAsync(path, new { title = "X", items = new object[] { new { kind = "remove" } } }), 400, "invalid_value", "items[0].kind");
        await Json.ProblemAsync(await books.Owner.PostAsync(path, new { title = "X", items = new object[] { new { kind = "add", terms = new { amount = Eur("1.00") } } } }), 400, "title_required", "items[0].terms.title");
        await Json.ProblemAsync(await books.Owner.PostAsync(path, new { title = "X", items = new object[] { new { kind = "add", terms = new { title = "Y", amount = new { amount = "1.00", currency = "USD" } } } } }), 400, "currency_mismatch", "items[0].terms.amount");
        await Json.ProblemAsync(await books.Owner.PostAsync(path, new { title = "X", items = new object[] { new { kind = "add", terms = new { title = "Y", percentage = "120" } } } }), 400, "invalid_percentage", "items[0].terms.percentage");
        await Json.ProblemAsync(await books.Owner.PostAsync(path, new { title = "X", items = new object[] { new { kind = "change", milestoneId = otherContract.Milestones[0].Id, terms = new { title = "Z" } } } }), 400, "milestone_not_in_contract", "items[0].milestoneId");
        await Json.ProblemAsync(await books.Owner.PostAsync(path, new { title = "X", items = new object[] { new { kind = "change", milestoneId = contract.Milestones[0].Id } } }), 400, "terms_required", "items[0].terms");
        await Json.ProblemAsync(await books.Owner.PostAsync($"/api/v1/contracts/{Guid.NewGuid()}/change-orders", new { title = "X", items = new object[] { new { kind = "cancel", milestoneId = contract.Milestones[0].Id } } }), 404, "not_found");

        Assert.Empty((await books.Owner.GetOkAsync($"/api/v1/contracts/{contract.Id}/change-orders"))["data"]!.AsArray());
    }

    private static async Task<Contract> ContractAsync(Books books, Guid id)
    {
        await using var db = books.Db();
        return await db.Contracts.AsNoTracking().Include(c => c.Milestones).SingleAsync(c => c.Id == id);
    }

    private static object Eur(string amount) => CreditNotesApiTests<TEngine>.Eur(amount);
}

public sealed class SqliteChangeOrdersApi(SqliteEngine engine) : ChangeOrdersApiTests<SqliteEngine>(engine);

public sealed class PostgresChangeOrdersApi(PostgresEngine engine) : ChangeOrdersApiTests<PostgresEngine>(engine);
