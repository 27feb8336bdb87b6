using Cairn.Server.Tests.Infrastructure;

namespace Cairn.Server.Tests.Api;

/// <summary>Credit notes over the API: never more than is left to credit, gap-free numbers of their own, payments given back as credit.</summary>
public abstract class CreditNotesApiTests<TEngine>(TEngine engine) : IClassFixture<TEngine>, IAsyncLifetime
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
    public async Task Partial_partial_full_credits_void_the_invoice_and_a_credit_over_what_is_left_is_refused()
    {
        var books = await Books.OpenAsync(_app);
        var client = await books.ClientAsync();
        var contract = await books.ContractAsync(client.Id, 1000);
        var invoiceId = await books.BillAsync(contract.Milestones[0]);

        var first = await Json.OkAsync(await books.Owner.PostAsync($"/api/v1/invoices/{invoiceId}/credit-notes", new { amount = Eur("300.00"), reason = "Late delivery" }));
        Assert.Equal("CN-2026-000001", first.Str("number"));
        Assert.Equal("250.00", first.Str("net.amount"));
        Assert.Equal("50.00", first.Str("tax.amount"));
        await books.Owner.PostOkAsync($"/api/v1/invoices/{invoiceId}/credit-notes", new { amount = Eur("500.00"), reason = "Scope reduced" });
        var afterTwo = await books.InvoiceAsync(invoiceId);
        Assert.Equal("issued", afterTwo.Str("status"));
        Assert.Equal("800.00", afterTwo.Str("credited.amount"));
        Assert.Equal("400.00", afterTwo.Str("balance.amount"));

        var over = await books.Owner.PostAsync($"/api/v1/invoices/{invoiceId}/credit-notes", new { amount = Eur("400.01"), reason = "Too much" });
        await Json.ProblemAsync(over, 400, "exceeds_creditable", "amount");
        Assert.Equal(afterTwo.ToJsonString(), (await books.InvoiceAsync(invoiceId)).ToJsonString());

        var last = await books.Owner.PostOkAsync($"/api/v1/invoices/{invoiceId}/credit-notes", new { amount = Eur("400.00"), reason = "Cancelled" });
        Assert.Equal("CN-2026-000003", last.Str("number"));
        var voided = await books.InvoiceAsync(invoiceId);
        Assert.Equal("void", voided.Str("status"));
        Assert.Equal("0.00", voided.Str("balance.amount"));
        var notes = voided["creditNotes"]!.AsArray();
        Assert.Equal(["CN-2026-000001", "CN-2026-000002", "CN-2026-000003"], notes.Select(n => n!.Str("number")));
        Assert.Equal(100000, notes.Sum(n => Minor(n!.Str("net.amount"))));
        Assert.Equal(20000, notes.Sum(n => Minor(n!.Str("tax.amount"))));

        await Json.ProblemAsync(await books.Owner.PostAsync($"/api/v1/invoices/{invoiceId}/credit-notes", new { amount = Eur("0.01"), reason = "More" }), 409, "invalid_transition");
        Assert.Equal(3, (await books.Owner.GetOkAsync($"/api/v1/credit-notes?invoiceId={invoiceId}"))["data"]!.AsArray().Count);
        await books.AssertMoneyBalancesAsync();
    }

    [Fact]
    public async Task Credit_note_numbers_are_gap_free_in_their_own_series()
    {
        var books = await Books.OpenAsync(_app);
        var client = await books.ClientAsync();
        var contract = await books.ContractAsync(client.Id, 1000, 1000, 1000);
        var one = await books.BillAsync(contract.Milestones[0]);
        var two = await books.BillAsync(contract.Milestones[1]);

        var a = await books.Owner.PostOkAsync($"/api/v1/invoices/{one}/credit-notes", new { amount = Eur("100.00"), reason = "Discount" });
        await Json.ProblemAsync(await books.Owner.PostAsync($"/api/v1/invoices/{two}/credit-notes", new { amount = Eur("100.00"), reason = "" }), 400, "reason_required", "reason");
        await Json.ProblemAsync(await books.Owner.PostAsync($"/api/v1/invoices/{two}/credit-notes", new { amount = Eur("9999.00"), reason = "Too much" }), 400, "exceeds_creditable", "amount");
        var three = await books.BillAsync(contract.Milestones[2]);
        var b = await books.Owner.PostOkAsync($"/api/v1/invoices/{two}/credit-notes", new { amount = Eur("100.00"), reason = "Discount" });
        await Json.OkAsync(await books.Owner.PatchAsync("/api/v1/settings", new { creditNoteSeriesFormat = "CR-{yy}-{seq:0000}" }));
        var c = await books.Owner.PostOkAsync($"/api/v1/invoices/{three}/credit-notes", new { amount = Eur("100.00"), reason = "Discount" });

        Assert.Equal(["CN-2026-000001", "CN-2026-000002", "CR-26-0001"], new[] { a, b, c }.Select(n => n.Str("number")));
        Assert.Equal("INV-2026-000003", (await books.InvoiceAsync(three)).Str("number"));
        Assert.Equal(c.Str("id"), (await books.Owner.GetOkAsync($"/api/v1/credit-notes/{c.Str("id")}")).Str("id"));
    }

    [Fact]
    public async Task A_credit_beyond_the_open_balance_gives_the_payment_back_as_credit_for_the_next_invoice()
    {
        var books = await Books.OpenAsync(_app);
        var client = await books.ClientAsync();
        var contract = await books.ContractAsync(client.Id, 1000, 500);
        var invoiceId = await books.BillAsync(contract.Milestones[0]);
        await books.Owner.PostOkAsync("/api/v1/payments", new { clientId = client.Id, amount = Eur("1200.00"), receivedOn = "2026-11-03", method = "bank_transfer" });
        await books.AssertMoneyBalancesAsync();

        await books.Owner.PostOkAsync($"/api/v1/invoices/{invoiceId}/credit-notes", new { amount = Eur("200.00"), reason = "Goodwill" });
        var credited = await books.InvoiceAsync(invoiceId);
        Assert.Equal("paid", credited.Str("status"));
        Assert.Equal("1000.00", credited.Str("paid.amount"));
        var balance = await books.Owner.GetOkAsync($"/api/v1/clients/{client.Id}/balance");
        Assert.Equal("200.00", balance.Str("currencies.0.unappliedCredit.amount"));
        await books.AssertMoneyBalancesAsync();

        var next = await books.InvoiceAsync(await books.BillAsync(contract.Milestones[1]));
        Assert.Equal("200.00", next.Str("paid.amount"));
        Assert.Equal("400.00", next.Str("balance.amount"));
        Assert.Equal("0.00", (await books.Owner.GetOkAsync($"/api/v1/clients/{client.Id}/balance")).Str("currencies.0.unappliedCredit.amount"));
        await books.AssertMoneyBalancesAsync();

        await books.Owner.PostOkAsync($"/api/v1/invoices/{invoiceId}/credit-notes", new { amount = Eur("1000.00"), reason = "Refund in full" });
        Assert.Equal("void", (await books.InvoiceAsync(invoiceId)).Str("status"));
        Assert.Equal("1000.00", (await books.Owner.GetOkAsync($"/api/v1/clients/{client.Id}/balance")).Str("currencies.0.unappliedCredit.amount"));
        await books.AssertMoneyBalancesAsync();
    }

    [Fact]
    public async Task Bad_credit_note_input_names_the_field_and_changes_nothing()
    {
        var books = await Books.OpenAsync(_app);
        var client = await books.ClientAsync();
        var contract = await books.ContractAsync(client.Id, 1000);
        var invoiceId = await books.BillAsync(contract.Milestones[0]);
        var path = $"/api/v1/invoices/{invoiceId}/credit-notes";

        await Json.ProblemAsync(await books.Owner.PostAsync(path, new { reason = "x" }), 400, "required", "amount");
        await Json.ProblemAsync(await books.Owner.PostAsync(path, new { amount = Eur("12,00"), reason = "x" }), 400, "invalid_amount", "amount.amount");
        await Json.ProblemAsync(await books.Owner.PostAsync(path, new { amount = new { amount = "10.00", currency = "USD" }, reason = "x" }), 400, "currency_mismatch", "amount.currency");
        await Json.ProblemAsync(await books.Owner.PostAsync(path, new { amount = Eur("-5.00"), reason = "x" }), 400, "amount_not_positive", "amount");
        await Json.ProblemAsync(await books.Owner.PostAsync($"/api/v1/invoices/{Guid.NewGuid()}/credit-notes", new { amount = Eur("5.00"), reason = "x" }), 404, "not_found");

        Assert.Empty((await books.Owner.GetOkAsync("/api/v1/credit-notes"))["data"]!.AsArray());
        Assert.Equal("1200.00", (await books.InvoiceAsync(invoiceId)).Str("balance.amount"));
    }

    internal static object Eur(string amount) => new { amount, currency = "EUR" };

    private static long Minor(string amount) => Domain.Money.Parse(amount, Domain.Currency.EUR).Minor;
}

public sealed class SqliteCreditNotesApi(SqliteEngine engine) : CreditNotesApiTests<SqliteEngine>(engine);

public sealed class PostgresCreditNotesApi(PostgresEngine engine) : CreditNotesApiTests<PostgresEngine>(engine);
