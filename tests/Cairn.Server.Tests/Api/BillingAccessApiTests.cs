using Cairn.Server.Identity;
using Cairn.Server.Tests.Infrastructure;

namespace Cairn.Server.Tests.Api;

/// <summary>Who may move money and amend contracts, what another organization sees (nothing: 404), and the audit trail.</summary>
public abstract class BillingAccessApiTests<TEngine>(TEngine engine) : IClassFixture<TEngine>, IAsyncLifetime
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
    public async Task A_project_manager_cannot_move_money_and_finance_cannot_amend_contracts()
    {
        var s = await ScenarioAsync();
        var pm = await _app.WithRoleAsync(s.Books.Owner, Role.ProjectManager);
        var finance = await _app.WithRoleAsync(s.Books.Owner, Role.Finance);
        var viewer = await _app.WithRoleAsync(s.Books.Owner, Role.Viewer);
        var before = await SnapshotAsync(s.Books.Owner, s);

        foreach (var caller in new[] { pm, viewer })
        {
            await Json.ProblemAsync(await caller.PostAsync("/api/v1/payments", s.PaymentBody), 403, "forbidden");
            await Json.ProblemAsync(await caller.PostAsync($"/api/v1/payments/{s.PaymentId}/reverse", new { reason = "Bounced" }), 403, "forbidden");
            await Json.ProblemAsync(await caller.PostAsync($"/api/v1/invoices/{s.InvoiceId}/credit-notes", new { amount = Eur("10.00"), reason = "x" }), 403, "forbidden");
            await Json.ProblemAsync(await caller.PostAsync($"/api/v1/invoices/{s.InvoiceId}/issue", new { }), 403, "forbidden");
            await Json.ProblemAsync(await caller.PostAsync($"/api/v1/disputes/{s.DisputeId}/resolve", new { outcome = "accepted" }), 403, "forbidden");
        }

        foreach (var caller in new[] { finance, viewer })
        {
            await Json.ProblemAsync(await caller.PostAsync($"/api/v1/contracts/{s.ContractId}/change-orders", s.ChangeOrderBody), 403, "forbidden");
            foreach (var step in new[] { "propose", "approve", "reject" })
                await Json.ProblemAsync(await caller.PostAsync($"/api/v1/change-orders/{s.ChangeOrderId}/{step}", new { }), 403, "forbidden");
        }

        foreach (var caller in new[] { pm, finance, viewer })
            await Json.ProblemAsync(await caller.PatchAsync("/api/v1/settings", new { paymentTermsDays = 10 }), 403, "forbidden");

        Assert.Equal(before, await SnapshotAsync(viewer, s));
        await finance.PostOkAsync("/api/v1/payments", s.PaymentBody);
        await pm.PostOkAsync($"/api/v1/change-orders/{s.ChangeOrderId}/propose");
        await finance.PostOkAsync($"/api/v1/disputes/{s.DisputeId}/resolve", new { outcome = "accepted" });
        await Json.OkAsync(await viewer.GetAsync("/api/v1/reports/aging"));
    }

    [Fact]
    public async Task Another_organization_gets_404_on_every_route_that_names_an_id_and_empty_lists()
    {
        var s = await ScenarioAsync();
        var other = await _app.NewOrganizationAsync("Other");
        var before = await SnapshotAsync(s.Books.Owner, s);

        var gets = new[]
        {
            $"/api/v1/invoices/{s.InvoiceId}", $"/api/v1/credit-notes/{s.CreditNoteId}", $"/api/v1/payments/{s.PaymentId}",
            $"/api/v1/clients/{s.ClientId}/balance", $"/api/v1/contracts/{s.ContractId}/change-orders", $"/api/v1/change-orders/{s.ChangeOrderId}",
            $"/api/v1/disputes/{s.DisputeId}", $"/api/v1/audit?entity=invoice&id={s.InvoiceId}",
        };
        foreach (var path in gets)
            await Json.ProblemAsync(await other.GetAsync(path), 404, "not_found");

        var posts = new (string Path, object Body)[]
        {
            ("/api/v1/payments", s.PaymentBody),
            ($"/api/v1/payments/{s.PaymentId}/reverse", new { reason = "Bounced" }),
            ($"/api/v1/invoices/{s.InvoiceId}/issue", new { }),
            ($"/api/v1/invoices/{s.InvoiceId}/credit-notes", new { amount = Eur("10.00"), reason = "x" }),
            ($"/api/v1/contracts/{s.ContractId}/change-orders", s.ChangeOrderBody),
            ($"/api/v1/change-orders/{s.ChangeOrderId}/propose", new { }),
            ($"/api/v1/change-orders/{s.ChangeOrderId}/approve", new { }),
            ($"/api/v1/change-orders/{s.ChangeOrderId}/reject", new { }),
            ($"/api/v1/disputes/{s.DisputeId}/resolve", new { outcome = "accepted" }),
        };
        foreach (var (path, body) in posts)
            await Json.ProblemAsync(await other.PostAsync(path, body), 404, "not_found");

        foreach (var list in new[] { "/api/v1/invoices", $"/api/v1/invoices?clientId={s.ClientId}", "/api/v1/credit-notes", "/api/v1/payments", "/api/v1/disputes" })
            Assert.Empty((await other.GetOkAsync(list))["data"]!.AsArray());
        Assert.Empty((await other.GetOkAsync("/api/v1/reports/dashboard"))["currencies"]!.AsArray());
        Assert.Equal("Other", (await other.GetOkAsync("/api/v1/settings")).Str("name"));
        Assert.Equal(before, await SnapshotAsync(s.Books.Owner, s));
    }

    [Fact]
    public async Task The_audit_log_tells_an_invoices_story_in_order_with_who_and_what_changed()
    {
        var s = await ScenarioAsync();

        var audit = await s.Books.Owner.GetOkAsync($"/api/v1/audit?entity=invoice&id={s.InvoiceId}");

        var entries = audit["data"]!.AsArray();
        Assert.Equal(["created", "issued", "payment_applied", "credited"], entries.Select(e => e!.Str("action")));
        Assert.Equal(("draft", "issued"), (entries[1]!.Str("before.status"), entries[1]!.Str("after.status")));
        Assert.Equal("INV-2026-000001", entries[1]!.Str("after.number"));
        Assert.Equal(("500.00", "700.00"), (entries[2]!.Str("after.amount"), entries[2]!.Str("after.balance")));
        Assert.StartsWith("apikey:", entries[3]!.Str("actor"), StringComparison.Ordinal);
        Assert.Equal("contact:contact-1", entries[0]!.Str("actor"));
        var paymentHistory = await s.Books.Owner.GetOkAsync($"/api/v1/audit?entity=payment&id={s.PaymentId}");
        Assert.Equal("recorded", paymentHistory.Str("data.0.action"));
        await Json.ProblemAsync(await s.Books.Owner.GetAsync($"/api/v1/audit?entity=invoice&id=nope"), 400, "invalid_id", "id");
        await Json.ProblemAsync(await s.Books.Owner.GetAsync($"/api/v1/audit?id={s.InvoiceId}"), 400, "required", "entity");
    }

    [Fact]
    public async Task The_openapi_document_describes_every_billing_route()
    {
        var document = await Json.OkAsync(await _app.CreateClient().GetAsync("/openapi/v1.json"));

        var paths = document["paths"]!.AsObject().Select(p => p.Key).ToHashSet();
        foreach (var path in new[]
        {
            "/api/v1/invoices", "/api/v1/invoices/{id}", "/api/v1/invoices/{id}/issue", "/api/v1/invoices/{id}/credit-notes", "/api/v1/credit-notes", "/api/v1/credit-notes/{id}",
            "/api/v1/payments", "/api/v1/payments/{id}", "/api/v1/payments/{id}/reverse", "/api/v1/clients/{id}/balance",
            "/api/v1/contracts/{id}/change-orders", "/api/v1/change-orders/{id}", "/api/v1/change-orders/{id}/approve",
            "/api/v1/disputes", "/api/v1/disputes/{id}/resolve", "/api/v1/reports/dashboard", "/api/v1/reports/aging",
            "/api/v1/reports/cash-forecast", "/api/v1/reports/revenue", "/api/v1/audit", "/api/v1/settings",
        })
        {
            Assert.Contains(path, paths);
        }

        Assert.NotNull(document["components"]!["schemas"]!["InvoiceDetailJson"]);
    }

    // An invoice with a payment and a credit note, a disputed submission, and a drafted change order.
    private async Task<Scenario> ScenarioAsync()
    {
        var books = await Books.OpenAsync(_app);
        var client = await books.ClientAsync();
        var contract = await books.ContractAsync(client.Id, 1000, 1000, 1000);
        var invoiceId = await books.BillAsync(contract.Milestones[0]);
        _app.Clock.Advance(TimeSpan.FromHours(1));
        var paymentBody = new { clientId = client.Id, amount = Eur("500.00"), receivedOn = "2026-11-02", method = "bank_transfer" };
        var payment = await books.Owner.PostOkAsync("/api/v1/payments", paymentBody);
        _app.Clock.Advance(TimeSpan.FromHours(1));
        var note = await books.Owner.PostOkAsync($"/api/v1/invoices/{invoiceId}/credit-notes", new { amount = Eur("100.00"), reason = "Discount" });
        await books.SubmitAsync(contract.Milestones[1]);
        var disputeId = await books.DisputeAsync(contract.Milestones[1]);
        var changeOrderBody = new { title = "Drop phase 3", items = new object[] { new { kind = "cancel", milestoneId = contract.Milestones[2].Id } } };
        var order = await books.Owner.PostOkAsync($"/api/v1/contracts/{contract.Id}/change-orders", changeOrderBody);
        return new Scenario(books, client.Id, contract.Id, invoiceId, Guid.Parse(payment.Str("id")), Guid.Parse(note.Str("id")), disputeId, Guid.Parse(order.Str("id")), paymentBody, changeOrderBody);
    }

    private static async Task<string> SnapshotAsync(ApiClient reader, Scenario s)
    {
        var parts = new[]
        {
            $"/api/v1/invoices/{s.InvoiceId}", "/api/v1/payments", "/api/v1/credit-notes", $"/api/v1/disputes/{s.DisputeId}",
            $"/api/v1/change-orders/{s.ChangeOrderId}", $"/api/v1/clients/{s.ClientId}/balance", "/api/v1/settings",
        };
        var texts = new List<string>();
        foreach (var path in parts)
            texts.Add((await reader.GetOkAsync(path)).ToJsonString());
        return string.Join('\n', texts);
    }

    private static object Eur(string amount) => CreditNotesApiTests<TEngine>.Eur(amount);

    private sealed record Scenario(Books Books, Guid ClientId, Guid ContractId, Guid InvoiceId, Guid PaymentId, Guid CreditNoteId, Guid DisputeId, Guid ChangeOrderId, object PaymentBody, object ChangeOrderBody);
}

public sealed class SqliteBillingAccessApi(SqliteEngine engine) : BillingAccessApiTests<SqliteEngine>(engine);

public sealed class PostgresBillingAccessApi(PostgresEngine engine) : BillingAccessApiTests<PostgresEngine>(engine);
