using Cairn.Domain;
using Cairn.Server.Identity;
using Cairn.Server.Tests.Infrastructure;
using Cairn.Server.Verification;

namespace Cairn.Server.Tests.Api;

/// <summary>
/// Issue 10, fault 2: the excess of a payment settles the client's other open invoices before it
/// becomes credit; credit can be applied to a chosen invoice or refunded (money out), and a refund
/// can be reversed. Money in = applied + unapplied + refunded after every step.
/// </summary>
public abstract class CreditAndRefundsApiTests<TEngine>(TEngine engine) : IClassFixture<TEngine>, IAsyncLifetime
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
    public async Task The_excess_of_a_payment_naming_one_invoice_settles_the_clients_older_open_invoice()
    {
        var books = await Books.OpenAsync(_app);
        var client = await books.ClientAsync();
        var contract = await books.ContractAsync(client.Id, 50, 70);
        var older = await books.BillAsync(contract.Milestones[0]);
        books.Today("2026-11-10");
        var named = await books.BillAsync(contract.Milestones[1]);
        Assert.Equal(("60.00", "84.00"), ((await books.InvoiceAsync(older)).Str("balance.amount"), (await books.InvoiceAsync(named)).Str("balance.amount")));

        var payment = await Pay(books, client.Id, "100.00", named);

        Assert.Equal("paid", (await books.InvoiceAsync(named)).Str("status"));
        Assert.Equal("44.00", (await books.InvoiceAsync(older)).Str("balance.amount"));
        Assert.Equal("0.00", payment.Str("unapplied.amount"));
        Assert.Equal([named.ToString(), older.ToString()], payment["applications"]!.AsArray().Select(a => a!.Str("invoiceId")));
        await books.AssertMoneyBalancesAsync();

        var rest = await Pay(books, client.Id, "50.00");
        Assert.Equal("paid", (await books.InvoiceAsync(older)).Str("status"));
        Assert.Equal("6.00", rest.Str("unapplied.amount"));
        await books.AssertMoneyBalancesAsync();
    }

    [Fact]
    public async Task Unapplied_credit_is_applied_to_the_open_invoice_finance_chooses()
    {
        var books = await Books.OpenAsync(_app);
        var client = await books.ClientAsync();
        var contract = await books.ContractAsync(client.Id, 1000, 1000);
        var disputed = await books.BillAsync(contract.Milestones[0]);
        await books.DisputeAsync(contract.Milestones[0]);
        await Json.ProblemAsync(await books.Owner.PostAsync($"/api/v1/invoices/{disputed}/apply-credit", new { }), 400, "no_unapplied_credit", "amount");
        var payment = await Pay(books, client.Id, "500.00");
        Assert.Equal("500.00", payment.Str("unapplied.amount"));

        var partly = await books.Owner.PostOkAsync($"/api/v1/invoices/{disputed}/apply-credit", new { amount = CreditNotesApiTests<TEngine>.Eur("100.00") });
        Assert.Equal("100.00", partly.Str("paid.amount"));
        Assert.Equal("1100.00", partly.Str("balance.amount"));
        Assert.Equal(payment.Str("id"), partly.Str("payments.0.paymentId"));
        await Json.ProblemAsync(await books.Owner.PostAsync($"/api/v1/invoices/{disputed}/apply-credit", new { amount = CreditNotesApiTests<TEngine>.Eur("400.01") }), 400, "exceeds_unapplied", "amount");
        await Json.ProblemAsync(await books.Owner.PostAsync($"/api/v1/invoices/{disputed}/apply-credit", new { amount = new { amount = "1.00", currency = "USD" } }), 400, "currency_mismatch", "amount.currency");
        await Json.ProblemAsync(await books.Owner.PostAsync($"/api/v1/invoices/{disputed}/apply-credit", new { amount = CreditNotesApiTests<TEngine>.Eur("0.00") }), 400, "amount_not_positive", "amount");
        var viewer = await _app.WithRoleAsync(books.Owner, Role.Viewer);
        await Json.ProblemAsync(await viewer.PostAsync($"/api/v1/invoices/{disputed}/apply-credit", new { }), 403);

        var rest = await books.Owner.PostOkAsync($"/api/v1/invoices/{disputed}/apply-credit", new { });
        Assert.Equal("500.00", rest.Str("paid.amount"));
        Assert.Equal("0.00", (await books.Owner.GetOkAsync($"/api/v1/payments/{payment.Str("id")}")).Str("unapplied.amount"));
        await books.AssertMoneyBalancesAsync();

        var second = await books.BillAsync(contract.Milestones[1]);
        await Pay(books, client.Id, "1200.00", second);
        await Json.ProblemAsync(await books.Owner.PostAsync($"/api/v1/invoices/{second}/apply-credit", new { }), 409, "invalid_transition");
        await Json.ProblemAsync(await books.Owner.PostAsync($"/api/v1/invoices/{Guid.NewGuid()}/apply-credit", new { }), 404, "not_found");
    }

    [Fact]
    public async Task Refunding_credit_pays_money_out_and_reversing_the_refund_restores_the_credit()
    {
        var books = await Books.OpenAsync(_app);
        var client = await books.ClientAsync();
        var first = await Pay(books, client.Id, "200.00");
        var second = await Pay(books, client.Id, "100.00");
        object Body(string amount = "250.00", string? refundedOn = "2026-11-04", string? method = "bank_transfer", object? clientId = null) =>
            new { clientId = clientId ?? client.Id, amount = CreditNotesApiTests<TEngine>.Eur(amount), refundedOn, method, reference = "RF-7" };

        await Json.ProblemAsync(await books.Owner.PostAsync("/api/v1/refunds", Body(amount: "300.01")), 400, "exceeds_unapplied", "amount");
        await Json.ProblemAsync(await books.Owner.PostAsync("/api/v1/refunds", Body(amount: "0.00")), 400, "amount_not_positive", "amount");
        await Json.ProblemAsync(await books.Owner.PostAsync("/api/v1/refunds", Body(refundedOn: "4 Nov")), 400, "invalid_date", "refundedOn");
        await Json.ProblemAsync(await books.Owner.PostAsync("/api/v1/refunds", Body(method: "")), 400, "required", "method");
        await Json.ProblemAsync(await books.Owner.PostAsync("/api/v1/refunds", Body(clientId: Guid.NewGuid())), 404, "not_found", "clientId");
        var pm = await _app.WithRoleAsync(books.Owner, Role.ProjectManager);
        await Json.ProblemAsync(await pm.PostAsync("/api/v1/refunds", Body()), 403);
        Assert.Empty((await books.Owner.GetOkAsync("/api/v1/refunds"))["data"]!.AsArray());

        var refund = await Json.OkAsync(await books.Owner.PostAsync("/api/v1/refunds", Body()));
        Assert.Equal(("recorded", "250.00", "RF-7"), (refund.Str("status"), refund.Str("amount.amount"), refund.Str("reference")));
        Assert.Equal("0.00", (await books.Owner.GetOkAsync($"/api/v1/payments/{first.Str("id")}")).Str("unapplied.amount"));
        Assert.Equal("50.00", (await books.Owner.GetOkAsync($"/api/v1/payments/{second.Str("id")}")).Str("unapplied.amount"));
        var balance = await books.Owner.GetOkAsync($"/api/v1/clients/{client.Id}/balance");
        Assert.Equal(("50.00", "250.00"), (balance.Str("currencies.0.unappliedCredit.amount"), balance.Str("currencies.0.refunded.amount")));
        await books.AssertMoneyBalancesAsync();
        await Json.ProblemAsync(await books.Owner.PostAsync($"/api/v1/payments/{first.Str("id")}/reverse", new { reason = "Bounced" }), 409, "invalid_transition");
        Assert.Single((await books.Owner.GetOkAsync($"/api/v1/refunds?clientId={client.Id}"))["data"]!.AsArray());
        Assert.Contains("recorded", (await books.Owner.GetOkAsync($"/api/v1/audit?entity=refund&id={refund.Str("id")}")).ToJsonString(), StringComparison.Ordinal);

        await Json.ProblemAsync(await books.Owner.PostAsync($"/api/v1/refunds/{refund.Str("id")}/reverse", new { reason = "" }), 400, "reason_required", "reason");
        var reversed = await books.Owner.PostOkAsync($"/api/v1/refunds/{refund.Str("id")}/reverse", new { reason = "Transfer returned" });
        Assert.Equal("reversed", reversed.Str("status"));
        balance = await books.Owner.GetOkAsync($"/api/v1/clients/{client.Id}/balance");
        Assert.Equal(("300.00", "0.00"), (balance.Str("currencies.0.unappliedCredit.amount"), balance.Str("currencies.0.refunded.amount")));
        await Json.ProblemAsync(await books.Owner.PostAsync($"/api/v1/refunds/{refund.Str("id")}/reverse", new { reason = "Again" }), 409, "invalid_transition");
        await books.AssertMoneyBalancesAsync();

        await using var db = _app.Engine.NewDb();
        Assert.Empty(await new InvariantChecker(db).CheckAsync());
    }

    [Fact]
    public async Task Finance_applies_credit_on_the_invoice_page_and_refunds_credit_on_the_client_page()
    {
        var staff = await _app.NewStaffOrganizationAsync(Staff.Email("owner"));
        var books = new Books(_app, staff.Api);
        var client = await books.ClientAsync();
        var contract = await books.ContractAsync(client.Id, 1000);
        var invoice = await books.BillAsync(contract.Milestones[0]);
        await books.DisputeAsync(contract.Milestones[0]);
        await Pay(books, client.Id, "500.00");
        var browser = new Browser(_app);
        await browser.SignInAsync(staff.OwnerEmail, staff.OwnerPassword);

        Assert.Contains("id=\"apply-credit-heading\"", (await browser.GetAsync($"/invoices/{invoice}")).Html, StringComparison.Ordinal);
        var tooMuch = await browser.PostFormAsync($"/invoices/{invoice}?handler=ApplyCredit", new Dictionary<string, string> { ["Amount"] = "500.01" });
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, tooMuch.StatusCode);
        Assert.Contains("500.00 EUR of unapplied credit", await tooMuch.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var applied = await browser.PostFormAsync($"/invoices/{invoice}?handler=ApplyCredit", new Dictionary<string, string> { ["Amount"] = "200.00" });
        Assert.Equal(System.Net.HttpStatusCode.Redirect, applied.StatusCode);
        Assert.Equal("200.00", (await books.InvoiceAsync(invoice)).Str("paid.amount"));

        Assert.Contains("id=\"refund-heading\"", (await browser.GetAsync($"/clients/{client.Id}")).Html, StringComparison.Ordinal);
        var refunded = await browser.PostFormAsync($"/clients/{client.Id}?handler=Refund", new Dictionary<string, string>
        {
            ["RefundAmount"] = "300.00", ["RefundCurrency"] = "EUR", ["RefundedOn"] = "2026-11-04", ["RefundMethod"] = "bank transfer", ["RefundReference"] = "RF-9",
        });
        Assert.Equal(System.Net.HttpStatusCode.Redirect, refunded.StatusCode);
        var balance = await books.Owner.GetOkAsync($"/api/v1/clients/{client.Id}/balance");
        Assert.Equal(("0.00", "300.00"), (balance.Str("currencies.0.unappliedCredit.amount"), balance.Str("currencies.0.refunded.amount")));

        var page = (await browser.GetAsync($"/clients/{client.Id}")).Html;
        Assert.Contains("Reverse refund", page, StringComparison.Ordinal);
        var refundId = (await books.Owner.GetOkAsync($"/api/v1/refunds?clientId={client.Id}")).Str("data.0.id");
        var reversed = await browser.PostFormAsync($"/clients/{client.Id}?handler=ReverseRefund", new Dictionary<string, string> { ["refundId"] = refundId, ["Reason"] = "Transfer returned" });
        Assert.Equal(System.Net.HttpStatusCode.Redirect, reversed.StatusCode);
        Assert.Equal("300.00", (await books.Owner.GetOkAsync($"/api/v1/clients/{client.Id}/balance")).Str("currencies.0.unappliedCredit.amount"));
        await books.AssertMoneyBalancesAsync();
    }

    private static async Task<System.Text.Json.Nodes.JsonNode> Pay(Books books, Guid clientId, string amount, params Guid[] invoiceIds) =>
        await Json.OkAsync(await books.Owner.PostAsync("/api/v1/payments", new { clientId, amount = CreditNotesApiTests<TEngine>.Eur(amount), receivedOn = "2026-11-03", method = "bank_transfer", invoiceIds = invoiceIds.Length == 0 ? null : invoiceIds }));
}

public sealed class SqliteCreditAndRefundsApi(SqliteEngine engine) : CreditAndRefundsApiTests<SqliteEngine>(engine);

public sealed class PostgresCreditAndRefundsApi(PostgresEngine engine) : CreditAndRefundsApiTests<PostgresEngine>(engine);
