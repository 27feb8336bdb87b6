using Cairn.Domain;
using Cairn.Server.Identity;
using Cairn.Server.Tests.Infrastructure;

namespace Cairn.Server.Tests.Api;

/// <summary>Invoices over the API: what a finance person reads, the filters, and issuing drafts under the organization's settings.</summary>
public abstract class InvoicesApiTests<TEngine>(TEngine engine) : IClassFixture<TEngine>, IAsyncLifetime
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
    public async Task An_invoice_reads_back_with_parties_lines_tax_breakdown_and_how_it_was_settled()
    {
        var books = await Books.OpenAsync(_app);
        var client = await books.ClientAsync("Globex");
        var contract = await books.ContractAsync(client.Id, 1000);
        var id = await books.BillAsync(contract.Milestones[0]);
        var payment = await books.Owner.PostOkAsync("/api/v1/payments", new { clientId = client.Id, amount = Eur("500.00"), receivedOn = "2026-11-04", method = "bank_transfer", reference = "SEPA-77" });
        await books.Owner.PostOkAsync($"/api/v1/invoices/{id}/credit-notes", new { amount = Eur("120.00"), reason = "Late" });

        var invoice = await books.InvoiceAsync(id);

        Assert.Equal(("INV-2026-000001", "issued", "2026-11-02", "2026-12-02"), (invoice.Str("number"), invoice.Str("status"), invoice.Str("issueDate"), invoice.Str("dueDate")));
        Assert.Equal(("Acme Studio", "Globex"), (invoice.Str("seller.name"), invoice.Str("buyer.name")));
        Assert.Equal(("Website rebuild: Milestone 1", "1000.00", "20"), (invoice.Str("lines.0.description"), invoice.Str("lines.0.net.amount"), invoice.Str("lines.0.taxRate")));
        Assert.Equal(("20", "1000.00", "200.00"), (invoice.Str("taxBreakdown.0.rate"), invoice.Str("taxBreakdown.0.net.amount"), invoice.Str("taxBreakdown.0.tax.amount")));
        Assert.Equal(("1000.00", "200.00", "1200.00", "EUR"), (invoice.Str("net.amount"), invoice.Str("tax.amount"), invoice.Str("gross.amount"), invoice.Str("gross.currency")));
        Assert.Equal(("500.00", "120.00", "580.00"), (invoice.Str("paid.amount"), invoice.Str("credited.amount"), invoice.Str("balance.amount")));
        Assert.Equal((payment.Str("id"), "SEPA-77", "500.00"), (invoice.Str("payments.0.paymentId"), invoice.Str("payments.0.reference"), invoice.Str("payments.0.amount.amount")));
        Assert.Equal("CN-2026-000001", invoice.Str("creditNotes.0.number"));
        Assert.False((bool)invoice["overdue"]!);
        Assert.False((bool)invoice["disputed"]!);
        await Json.ProblemAsync(await books.Owner.GetAsync($"/api/v1/invoices/{Guid.NewGuid()}"), 404, "not_found");
    }

    [Fact]
    public async Task Invoices_filter_by_status_client_contract_and_overdue_and_page_by_cursor()
    {
        var books = await Books.OpenAsync(_app);
        var globex = await books.ClientAsync("Globex");
        var initech = await books.ClientAsync("Initech");
        var early = await books.ContractAsync(globex.Id, Currency.EUR, 14, [1000, 1000]);
        var late = await books.ContractAsync(initech.Id, Currency.EUR, 60, [1000]);
        var paidId = await books.BillAsync(early.Milestones[0]);
        var dueSoonId = await books.BillAsync(early.Milestones[1]);
        var initechId = await books.BillAsync(late.Milestones[0]);
        await books.Owner.PostOkAsync("/api/v1/payments", new { clientId = globex.Id, amount = Eur("1200.00"), receivedOn = "2026-11-03", method = "card", invoiceIds = new[] { paidId } });
        books.Today("2026-11-20");

        async Task<string[]> Ids(string query) => (await books.Owner.GetOkAsync("/api/v1/invoices" + query))["data"]!.AsArray().Select(i => i!.Str("id")).ToArray();

        Assert.Equal([paidId.ToString()], await Ids("?status=paid"));
        Assert.Equal([dueSoonId.ToString(), initechId.ToString()], await Ids("?status=issued"));
        Assert.Equal([initechId.ToString()], await Ids($"?clientId={initech.Id}"));
        Assert.Equal([paidId.ToString(), dueSoonId.ToString()], await Ids($"?contractId={early.Id}"));
        Assert.Equal([dueSoonId.ToString()], await Ids("?overdue=true"));
        Assert.True((bool)(await books.InvoiceAsync(dueSoonId))["overdue"]!);
        Assert.Equal([paidId.ToString(), initechId.ToString()], await Ids("?overdue=false"));

        var first = await books.Owner.GetOkAsync("/api/v1/invoices?limit=2");
        var rest = await books.Owner.GetOkAsync($"/api/v1/invoices?limit=2&cursor={Uri.EscapeDataString(first.Str("nextCursor"))}");
        Assert.Equal([paidId.ToString(), dueSoonId.ToString(), initechId.ToString()], first["data"]!.AsArray().Concat(rest["data"]!.AsArray()).Select(i => i!.Str("id")));
        Assert.Null(rest["nextCursor"]);

        await Json.ProblemAsync(await books.Owner.GetAsync("/api/v1/invoices?status=late"), 400, "invalid_value", "status");
        await Json.ProblemAsync(await books.Owner.GetAsync("/api/v1/invoices?clientId=globex"), 400, "invalid_id", "clientId");
        await Json.ProblemAsync(await books.Owner.GetAsync("/api/v1/invoices?overdue=yes"), 400, "invalid_value", "overdue");
    }

    [Fact]
    public async Task In_draft_for_review_mode_finance_issues_the_draft_and_it_takes_the_clients_credit()
    {
        var books = await Books.OpenAsync(_app);
        var finance = await _app.WithRoleAsync(books.Owner, Role.Finance);
        var settings = await Json.OkAsync(await books.Owner.PatchAsync("/api/v1/settings", new { issueMode = "draft_for_review", paymentInstructions = "IBAN FR76 3000 6000 0112 3456 7890 189" }));
        Assert.Equal("draft_for_review", settings.Str("issueMode"));
        var client = await books.ClientAsync();
        var contract = await books.ContractAsync(client.Id, 1000);
        await finance.PostOkAsync("/api/v1/payments", new { clientId = client.Id, amount = Eur("500.00"), receivedOn = "2026-11-02", method = "bank_transfer" });
        var draftId = await books.BillAsync(contract.Milestones[0]);

        var draft = await books.InvoiceAsync(draftId);
        Assert.Equal("draft", draft.Str("status"));
        Assert.Null(draft["number"]);
        Assert.Equal("0.00", draft.Str("paid.amount"));

        books.Today("2026-11-04");
        var issued = await finance.PostOkAsync($"/api/v1/invoices/{draftId}/issue");

        Assert.Equal(("issued", "INV-2026-000001", "2026-11-04", "2026-12-04"), (issued.Str("status"), issued.Str("number"), issued.Str("issueDate"), issued.Str("dueDate")));
        Assert.Equal(("500.00", "700.00"), (issued.Str("paid.amount"), issued.Str("balance.amount")));
        await Json.ProblemAsync(await finance.PostAsync($"/api/v1/invoices/{draftId}/issue", new { }), 409, "invalid_transition");
        await books.AssertMoneyBalancesAsync();
    }

    [Fact]
    public async Task Settings_are_validated_field_by_field_and_only_the_owner_changes_them()
    {
        var books = await Books.OpenAsync(_app);
        var finance = await _app.WithRoleAsync(books.Owner, Role.Finance);
        var before = await books.Owner.GetOkAsync("/api/v1/settings");
        Assert.Equal(("immediately", "INV-{yyyy}-{seq:000000}", 30), (before.Str("issueMode"), before.Str("invoiceSeriesFormat"), (int)before["paymentTermsDays"]!));

        await Json.ProblemAsync(await books.Owner.PatchAsync("/api/v1/settings", new { invoiceSeriesFormat = "INV-{yyyy}" }), 400, "invalid_series_format", "invoiceSeriesFormat");
        await Json.ProblemAsync(await books.Owner.PatchAsync("/api/v1/settings", new { creditNoteSeriesFormat = "INV-{yyyy}-{seq:0000}" }), 400, "series_shared", "creditNoteSeriesFormat");
        await Json.ProblemAsync(await books.Owner.PatchAsync("/api/v1/settings", new { issueMode = "later" }), 400, "invalid_value", "issueMode");
        await Json.ProblemAsync(await books.Owner.PatchAsync("/api/v1/settings", new { approvalWindowDays = 0 }), 400, "approval_window_out_of_range", "approvalWindowDays");
        await Json.ProblemAsync(await books.Owner.PatchAsync("/api/v1/settings", new { paymentTermsDays = 400, name = "Renamed" }), 400, "payment_terms_out_of_range", "paymentTermsDays");
        await Json.ProblemAsync(await finance.PatchAsync("/api/v1/settings", new { paymentTermsDays = 14 }), 403, "forbidden");
        Assert.Equal(before.ToJsonString(), (await finance.GetOkAsync("/api/v1/settings")).ToJsonString());

        var changed = await Json.OkAsync(await books.Owner.PatchAsync("/api/v1/settings", new { invoiceSeriesFormat = "F{yy}{MM}-{seq:0000}", paymentTermsDays = 14, approvalWindowDays = 7 }));
        Assert.Equal(("F{yy}{MM}-{seq:0000}", 14, 7), (changed.Str("invoiceSeriesFormat"), (int)changed["paymentTermsDays"]!, (int)changed["approvalWindowDays"]!));
        var off = await Json.OkAsync(await books.Owner.PatchAsync("/api/v1/settings", "{\"approvalWindowDays\": null}"));
        Assert.Null(off["approvalWindowDays"]);
        Assert.Equal(14, (int)off["paymentTermsDays"]!);

        var client = await books.ClientAsync();
        var contract = await books.ContractAsync(client.Id, 1000);
        Assert.Equal("F2611-0001", (await books.InvoiceAsync(await books.BillAsync(contract.Milestones[0]))).Str("number"));
    }

    private static object Eur(string amount) => CreditNotesApiTests<TEngine>.Eur(amount);
}

public sealed class SqliteInvoicesApi(SqliteEngine engine) : InvoicesApiTests<SqliteEngine>(engine);

public sealed class PostgresInvoicesApi(PostgresEngine engine) : InvoicesApiTests<PostgresEngine>(engine);
