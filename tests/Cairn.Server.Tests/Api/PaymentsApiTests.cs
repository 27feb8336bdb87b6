using Cairn.Domain;
using Cairn.Server.Tests.Infrastructure;

namespace Cairn.Server.Tests.Api;

/// <summary>Payments over the API: oldest due first, named invoices, unapplied credit used later, reversals; rule 5 after every step.</summary>
public abstract class PaymentsApiTests<TEngine>(TEngine engine) : IClassFixture<TEngine>, IAsyncLifetime
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
    public async Task A_payment_goes_to_the_invoice_due_first_and_what_is_left_pays_a_later_invoice()
    {
        var books = await Books.OpenAsync(_app);
        var client = await books.ClientAsync();
        var slow = await books.ContractAsync(client.Id, Currency.EUR, 60, [1000, 1000]);
        var fast = await books.ContractAsync(client.Id, Currency.EUR, 14, [1000]);
        var dueLast = await books.BillAsync(slow.Milestones[0]);
        books.Today("2026-11-05");
        var dueFirst = await books.BillAsync(fast.Milestones[0]);

        var payment = await Pay(books, client.Id, "1500.00");
        Assert.Equal("1500.00", payment.Str("applied.amount"));
        Assert.Equal("0.00", payment.Str("unapplied.amount"));
        Assert.Equal("paid", (await books.InvoiceAsync(dueFirst)).Str("status"));
        Assert.Equal("900.00", (await books.InvoiceAsync(dueLast)).Str("balance.amount"));
        await books.AssertMoneyBalancesAsync();

        var over = await Pay(books, client.Id, "1000.00");
        Assert.Equal("100.00", over.Str("unapplied.amount"));
        Assert.Equal("paid", (await books.InvoiceAsync(dueLast)).Str("status"));
        await books.AssertMoneyBalancesAsync();

        var later = await books.InvoiceAsync(await books.BillAsync(slow.Milestones[1]));
        Assert.Equal("100.00", later.Str("paid.amount"));
        Assert.Equal("1100.00", later.Str("balance.amount"));
        Assert.Equal(over.Str("id"), later.Str("payments.0.paymentId"));
        Assert.Equal("0.00", (await books.Owner.GetOkAsync($"/api/v1/payments/{over.Str("id")}")).Str("unapplied.amount"));
        var balance = await books.Owner.GetOkAsync($"/api/v1/clients/{client.Id}/balance");
        Assert.Equal("3600.00", balance.Str("currencies.0.invoiced.amount"));
        Assert.Equal("2500.00", balance.Str("currencies.0.paid.amount"));
        Assert.Equal("1100.00", balance.Str("currencies.0.outstanding.amount"));
        await books.AssertMoneyBalancesAsync();
    }

    [Fact]
    public async Task A_payment_for_named_invoices_pays_them_in_that_order_and_the_rest_settles_the_other_open_invoices()
    {
        var books = await Books.OpenAsync(_app);
        var client = await books.ClientAsync();
        var contract = await books.ContractAsync(client.Id, 1000, 1000, 1000);
        var first = await books.BillAsync(contract.Milestones[0]);
        var second = await books.BillAsync(contract.Milestones[1]);
        var third = await books.BillAsync(contract.Milestones[2]);

        var payment = await Pay(books, client.Id, "1500.00", [third, second]);

        Assert.Equal("paid", (await books.InvoiceAsync(third)).Str("status"));
        Assert.Equal("300.00", (await books.InvoiceAsync(second)).Str("paid.amount"));
        Assert.Equal("0.00", (await books.InvoiceAsync(first)).Str("paid.amount"));
        Assert.Equal([third.ToString(), second.ToString()], payment["applications"]!.AsArray().Select(a => a!.Str("invoiceId")));
        await books.AssertMoneyBalancesAsync();

        var rest = await Pay(books, client.Id, "2000.00", [third, first]);
        await Json.ProblemAsync(rest.Response, 409, "invalid_transition");
        var credit = await Pay(books, client.Id, "2000.00", [first]);
        Assert.Equal("0.00", credit.Str("unapplied.amount"));
        Assert.Equal("paid", (await books.InvoiceAsync(first)).Str("status"));
        Assert.Equal("100.00", (await books.InvoiceAsync(second)).Str("balance.amount"));
        await books.AssertMoneyBalancesAsync();
    }

    [Fact]
    public async Task A_payment_that_reaches_past_the_first_few_open_invoices_pays_every_one_of_them_oldest_first()
    {
        var books = await Books.OpenAsync(_app);
        var client = await books.ClientAsync();
        var contract = await books.ContractAsync(client.Id, [.. Enumerable.Repeat(100L, 12)]);
        var invoices = new List<Guid>();
        foreach (var milestone in contract.Milestones.OrderBy(m => m.Position))
            invoices.Add(await books.BillAsync(milestone));

        // 120.00 each (20% VAT): the last one named, then ten in full and half of the eleventh.
        var payment = await Pay(books, client.Id, "1380.00", [invoices[11]]);

        Assert.Equal([invoices[11], .. invoices[..11]], payment["applications"]!.AsArray().Select(a => Guid.Parse(a!.Str("invoiceId"))));
        foreach (var paid in invoices[..10].Append(invoices[11]))
            Assert.Equal("paid", (await books.InvoiceAsync(paid)).Str("status"));
        Assert.Equal("60.00", (await books.InvoiceAsync(invoices[10])).Str("balance.amount"));
        Assert.Equal("0.00", payment.Str("unapplied.amount"));

        var rest = await Pay(books, client.Id, "100.00");
        Assert.Equal([invoices[10]], rest["applications"]!.AsArray().Select(a => Guid.Parse(a!.Str("invoiceId"))));
        Assert.Equal("40.00", rest.Str("unapplied.amount"));
        await books.AssertMoneyBalancesAsync();
    }

    [Fact]
    public async Task Disputed_invoices_are_skipped_unless_named()
    {
        var books = await Books.OpenAsync(_app);
        var client = await books.ClientAsync();
        var contract = await books.ContractAsync(client.Id, 1000, 1000);
        var disputed = await books.BillAsync(contract.Milestones[0]);
        var clean = await books.BillAsync(contract.Milestones[1]);
        await books.DisputeAsync(contract.Milestones[0]);

        await Pay(books, client.Id, "1200.00");
        Assert.Equal("0.00", (await books.InvoiceAsync(disputed)).Str("paid.amount"));
        Assert.Equal("paid", (await books.InvoiceAsync(clean)).Str("status"));

        await Pay(books, client.Id, "100.00", [disputed]);
        Assert.Equal("100.00", (await books.InvoiceAsync(disputed)).Str("paid.amount"));
        await books.AssertMoneyBalancesAsync();
    }

    [Fact]
    public async Task Reversing_a_payment_reopens_every_invoice_it_paid_and_drops_its_credit()
    {
        var books = await Books.OpenAsync(_app);
        var client = await books.ClientAsync();
        var contract = await books.ContractAsync(client.Id, 1000, 1000);
        var first = await books.BillAsync(contract.Milestones[0]);
        var second = await books.BillAsync(contract.Milestones[1]);
        var payment = await Pay(books, client.Id, "3000.00");
        Assert.Equal("600.00", payment.Str("unapplied.amount"));
        await books.AssertMoneyBalancesAsync();

        await Json.ProblemAsync(await books.Owner.PostAsync($"/api/v1/payments/{payment.Str("id")}/reverse", new { reason = " " }), 400, "reason_required", "reason");
        var reversed = await books.Owner.PostOkAsync($"/api/v1/payments/{payment.Str("id")}/reverse", new { reason = "Bounced" });

        Assert.Equal("reversed", reversed.Str("status"));
        Assert.Equal("0.00", reversed.Str("unapplied.amount"));
        Assert.Empty(reversed["applications"]!.AsArray());
        foreach (var id in new[] { first, second })
        {
            var invoice = await books.InvoiceAsync(id);
            Assert.Equal("issued", invoice.Str("status"));
            Assert.Equal("1200.00", invoice.Str("balance.amount"));
            Assert.Equal("0.00", invoice.Str("payments.0.amount.amount"));
        }

        var balance = await books.Owner.GetOkAsync($"/api/v1/clients/{client.Id}/balance");
        Assert.Equal("2400.00", balance.Str("currencies.0.outstanding.amount"));
        Assert.Equal("0.00", balance.Str("currencies.0.unappliedCredit.amount"));
        await books.AssertMoneyBalancesAsync();
        await Json.ProblemAsync(await books.Owner.PostAsync($"/api/v1/payments/{payment.Str("id")}/reverse", new { reason = "Again" }), 409, "invalid_transition");
    }

    [Fact]
    public async Task Payments_in_another_currency_stay_credit_in_that_currency()
    {
        var books = await Books.OpenAsync(_app);
        var client = await books.ClientAsync();
        var contract = await books.ContractAsync(client.Id, 1000);
        var invoice = await books.BillAsync(contract.Milestones[0]);

        var dollars = await Json.OkAsync(await books.Owner.PostAsync("/api/v1/payments", new { clientId = client.Id, amount = new { amount = "500.00", currency = "USD" }, receivedOn = "2026-11-03", method = "card" }));

        Assert.Equal("500.00", dollars.Str("unapplied.amount"));
        Assert.Equal("0.00", (await books.InvoiceAsync(invoice)).Str("paid.amount"));
        var balance = await books.Owner.GetOkAsync($"/api/v1/clients/{client.Id}/balance");
        Assert.Equal(["EUR", "USD"], balance["currencies"]!.AsArray().Select(c => c!.Str("currency")));
        await Json.ProblemAsync(await books.Owner.PostAsync("/api/v1/payments", new { clientId = client.Id, amount = new { amount = "5.00", currency = "USD" }, receivedOn = "2026-11-03", method = "card", invoiceIds = new[] { invoice } }), 400, "currency_mismatch", "invoiceIds[0]");
        await books.AssertMoneyBalancesAsync();
    }

    [Fact]
    public async Task Eight_concurrent_payments_on_one_invoice_never_apply_more_than_it_owes()
    {
        var books = await Books.OpenAsync(_app);
        var client = await books.ClientAsync();
        var contract = await books.ContractAsync(client.Id, 1000);
        var invoice = await books.BillAsync(contract.Milestones[0]);

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            books.Owner.PostAsync("/api/v1/payments", new { clientId = client.Id, amount = CreditNotesApiTests<TEngine>.Eur("300.00"), receivedOn = "2026-11-03", method = "card" })));

        Assert.All(responses, r => Assert.Equal(System.Net.HttpStatusCode.Created, r.StatusCode));
        Assert.Equal(("paid", "1200.00"), ((await books.InvoiceAsync(invoice)).Str("status"), (await books.InvoiceAsync(invoice)).Str("paid.amount")));
        Assert.Equal("1200.00", (await books.Owner.GetOkAsync($"/api/v1/clients/{client.Id}/balance")).Str("currencies.0.unappliedCredit.amount"));
        await books.AssertMoneyBalancesAsync();
    }

    [Fact]
    public async Task Bad_payment_input_names_the_field_and_records_nothing()
    {
        var books = await Books.OpenAsync(_app);
        var client = await books.ClientAsync();
        var other = await books.ClientAsync("Initech");
        var contract = await books.ContractAsync(other.Id, 1000);
        var othersInvoice = await books.BillAsync(contract.Milestones[0]);
        object Body(object? clientId = null, object? amount = null, string? receivedOn = "2026-11-03", string? method = "bank_transfer", object? invoiceIds = null) =>
            new { clientId = clientId ?? client.Id, amount = amount ?? CreditNotesApiTests<TEngine>.Eur("10.00"), receivedOn, method, invoiceIds };

        await Json.ProblemAsync(await books.Owner.PostAsync("/api/v1/payments", Body(clientId: "nope")), 400, "invalid_id", "clientId");
        await Json.ProblemAsync(await books.Owner.PostAsync("/api/v1/payments", Body(clientId: Guid.NewGuid())), 404, "not_found", "clientId");
        await Json.ProblemAsync(await books.Owner.PostAsync("/api/v1/payments", Body(amount: CreditNotesApiTests<TEngine>.Eur("0.00"))), 400, "amount_not_positive", "amount");
        await Json.ProblemAsync(await books.Owner.PostAsync("/api/v1/payments", Body(amount: new { amount = "10.00", currency = "EURO" })), 400, "unknown_currency", "amount.currency");
        await Json.ProblemAsync(await books.Owner.PostAsync("/api/v1/payments", Body(receivedOn: "03/11/2026")), 400, "invalid_date", "receivedOn");
        await Json.ProblemAsync(await books.Owner.PostAsync("/api/v1/payments", Body(method: "")), 400, "required", "method");
        await Json.ProblemAsync(await books.Owner.PostAsync("/api/v1/payments", Body(invoiceIds: new[] { othersInvoice })), 400, "invoice_of_another_client", "invoiceIds[0]");
        await Json.ProblemAsync(await books.Owner.PostAsync("/api/v1/payments", Body(invoiceIds: new[] { "x" })), 400, "invalid_id", "invoiceIds[0]");
        await Json.ProblemAsync(await books.Owner.PostAsync("/api/v1/payments", Body(invoiceIds: new[] { Guid.NewGuid() })), 404, "not_found", "invoiceIds[0]");

        Assert.Empty((await books.Owner.GetOkAsync("/api/v1/payments"))["data"]!.AsArray());
    }

    [Fact]
    public async Task A_payment_retried_with_its_idempotency_key_is_recorded_once()
    {
        var books = await Books.OpenAsync(_app);
        var client = await books.ClientAsync();
        var body = new { clientId = client.Id, amount = CreditNotesApiTests<TEngine>.Eur("250.00"), receivedOn = "2026-11-03", method = "bank_transfer", reference = "SEPA-1" };

        var first = await books.Owner.PostAsync("/api/v1/payments", body, "pay-1");
        var second = await books.Owner.PostAsync("/api/v1/payments", body, "pay-1");

        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        var list = await books.Owner.GetOkAsync($"/api/v1/payments?clientId={client.Id}");
        Assert.Single(list["data"]!.AsArray());
        Assert.Equal("250.00", (await books.Owner.GetOkAsync($"/api/v1/clients/{client.Id}/balance")).Str("currencies.0.unappliedCredit.amount"));
    }

    private static async Task<PaymentResult> Pay(Books books, Guid clientId, string amount, Guid[]? invoiceIds = null)
    {
        var response = await books.Owner.PostAsync("/api/v1/payments", new { clientId, amount = CreditNotesApiTests<TEngine>.Eur(amount), receivedOn = "2026-11-03", method = "bank_transfer", invoiceIds });
        var body = response.IsSuccessStatusCode ? await Json.OkAsync(response) : null;
        return new PaymentResult(response, body);
    }

    private sealed record PaymentResult(HttpResponseMessage Response, System.Text.Json.Nodes.JsonNode? Body)
    {
        public string Str(string path) => Body!.Str(path);

        public System.Text.Json.Nodes.JsonNode? this[string key] => Body![key];
    }
}

public sealed class SqlitePaymentsApi(SqliteEngine engine) : PaymentsApiTests<SqliteEngine>(engine);

public sealed class PostgresPaymentsApi(PostgresEngine engine) : PaymentsApiTests<PostgresEngine>(engine);
