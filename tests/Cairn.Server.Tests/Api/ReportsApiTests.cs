using System.Text.Json.Nodes;
using Cairn.Domain;
using Cairn.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Tests.Api;

/// <summary>
/// The reports on a known set of books, per currency. Acme Corp has three EUR invoices and a
/// payment; Beta Ltd has an EUR invoice with a credit note, an approved but unbilled milestone,
/// one coming due, and a USD invoice that is never added to the euros.
/// </summary>
public abstract class ReportsApiTests<TEngine>(TEngine engine) : IClassFixture<TEngine>, IAsyncLifetime
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
    public async Task The_dashboard_shows_each_figure_per_currency()
    {
        var books = await KnownBooksAsync();

        var dashboard = await books.Owner.GetOkAsync("/api/v1/reports/dashboard");

        Assert.Equal("2027-02-15", dashboard.Str("today"));
        var eur = In(dashboard, "EUR");
        Assert.Equal(
            ["5500.00", "5280.00", "600.00", "4680.00", "4080.00", "0.00", "700.00", "600.00"],
            new[] { "contractValue", "billed", "collected", "outstanding", "overdue", "disputed", "approvedUnbilled", "dueNext30Days" }.Select(f => eur.Str(f + ".amount")));
        Assert.Equal((1, "300.00"), ((int)eur["milestonesDueNext30Days"]!["count"]!, eur.Str("milestonesDueNext30Days.amount.amount")));
        var usd = In(dashboard, "USD");
        Assert.Equal(
            ["500.00", "600.00", "0.00", "600.00", "600.00", "0.00", "0.00"],
            new[] { "contractValue", "billed", "collected", "outstanding", "overdue", "approvedUnbilled", "dueNext30Days" }.Select(f => usd.Str(f + ".amount")));
        Assert.Equal("USD", usd.Str("billed.currency"));
    }

    /// <summary>Issue 12, stumble 9: "Disputed 0.00" stood beside an open dispute on work not yet billed.</summary>
    [Fact]
    public async Task Disputed_is_what_open_disputes_contest_whether_the_work_was_billed_or_not()
    {
        var books = await Books.OpenAsync(_app);
        books.Today("2027-01-05");
        var globex = await books.ClientAsync();
        var contract = await books.ContractAsync(globex.Id, 1000, 700, 300);
        await books.BillAsync(contract.Milestones[0]);
        await books.Owner.PostOkAsync("/api/v1/payments", new { clientId = globex.Id, amount = new { amount = "200.00", currency = "EUR" }, receivedOn = "2027-01-05", method = "bank_transfer" });
        await books.DisputeAsync(contract.Milestones[0]);
        await books.SubmitAsync(contract.Milestones[1]);
        var unbilled = await books.DisputeAsync(contract.Milestones[1]);

        // 1,200.00 invoiced with 200.00 paid leaves 1,000.00 contested; the 700.00 stage is contested before any invoice.
        Assert.Equal("1700.00", In(await books.Owner.GetOkAsync("/api/v1/reports/dashboard"), "EUR").Str("disputed.amount"));

        await books.Owner.PostOkAsync($"/api/v1/disputes/{unbilled}/resolve", new { outcome = "rework", note = "Redo the second stage" });
        Assert.Equal("1000.00", In(await books.Owner.GetOkAsync("/api/v1/reports/dashboard"), "EUR").Str("disputed.amount"));

        // verify agrees: the invoice flagged disputed is exactly the one under the open dispute.
        await using var db = books.Db();
        Assert.Empty(await new Cairn.Server.Verification.InvariantChecker(db).CheckAsync());
    }

    [Fact]
    public async Task Aging_buckets_open_balances_by_days_past_due_and_they_move_with_the_clock()
    {
        var books = await KnownBooksAsync();

        var aging = await books.Owner.GetOkAsync("/api/v1/reports/aging");
        Assert.Equal(["600.00", "1080.00", "2400.00", "600.00", "0.00", "4680.00"], Buckets(In(aging, "EUR")["totals"]!));
        var clients = In(aging, "EUR")["clients"]!.AsArray();
        Assert.Equal(["Acme Corp", "Beta Ltd"], clients.Select(c => c!.Str("clientName")));
        Assert.Equal(["600.00", "0.00", "2400.00", "600.00", "0.00", "3600.00"], Buckets(clients[0]!["buckets"]!));
        Assert.Equal(["0.00", "1080.00", "0.00", "0.00", "0.00", "1080.00"], Buckets(clients[1]!["buckets"]!));
        Assert.Equal(["0.00", "0.00", "0.00", "600.00", "0.00", "600.00"], Buckets(In(aging, "USD")["totals"]!));

        books.Today("2027-03-05");
        var later = await books.Owner.GetOkAsync("/api/v1/reports/aging");
        Assert.Equal(["600.00", "1080.00", "0.00", "2400.00", "600.00", "4680.00"], Buckets(In(later, "EUR")["totals"]!));
        Assert.Equal(["0.00", "0.00", "0.00", "0.00", "600.00", "600.00"], Buckets(In(later, "USD")["totals"]!));
    }

    [Fact]
    public async Task The_cash_forecast_shows_what_is_overdue_then_open_balances_by_due_month()
    {
        var books = await KnownBooksAsync();

        var forecast = await books.Owner.GetOkAsync("/api/v1/reports/cash-forecast");

        var eur = In(forecast, "EUR");
        Assert.Equal(("4080.00", 3), (eur.Str("overdue.amount.amount"), (int)eur["overdue"]!["invoices"]!));
        Assert.Equal([("2027-03", "600.00")], eur["months"]!.AsArray().Select(m => (m!.Str("month"), m!.Str("amount.amount"))));
        Assert.Equal("4680.00", eur.Str("total.amount"));
        var usd = In(forecast, "USD");
        Assert.Equal(("600.00", "600.00"), (usd.Str("overdue.amount.amount"), usd.Str("total.amount")));
    }

    [Fact]
    public async Task Revenue_is_issued_net_by_month_and_by_client_less_credit_notes()
    {
        var books = await KnownBooksAsync();

        var revenue = await books.Owner.GetOkAsync("/api/v1/reports/revenue");

        var eur = In(revenue, "EUR");
        Assert.Equal(("4500.00", "100.00", "4400.00"), Figures(eur["total"]!));
        Assert.Equal(
            [("2026-11", "1000.00"), ("2026-12", "2000.00"), ("2027-01", "900.00"), ("2027-02", "500.00")],
            eur["months"]!.AsArray().Select(m => (m!.Str("month"), m!.Str("figures.net.amount"))));
        Assert.Equal(
            [("Acme Corp", "3500.00", "0.00"), ("Beta Ltd", "1000.00", "100.00")],
            eur["clients"]!.AsArray().Select(c => (c!.Str("clientName"), c!.Str("figures.invoiced.amount"), c!.Str("figures.credited.amount"))));
        Assert.Equal(("500.00", "0.00", "500.00"), Figures(In(revenue, "USD")["total"]!));

        var thisYear = await books.Owner.GetOkAsync("/api/v1/reports/revenue?from=2027-01-01&to=2027-12-31");
        Assert.Equal(["EUR"], thisYear["currencies"]!.AsArray().Select(c => c!.Str("currency")));
        Assert.Equal(("1500.00", "100.00", "1400.00"), Figures(In(thisYear, "EUR")["total"]!));
        await Json.ProblemAsync(await books.Owner.GetAsync("/api/v1/reports/revenue?from=2027-13-01"), 400, "invalid_date", "from");
        await Json.ProblemAsync(await books.Owner.GetAsync("/api/v1/reports/revenue?from=2027-02-01&to=2027-01-01"), 400, "invalid_range", "to");
    }

    [Fact]
    public async Task An_organization_without_business_sees_empty_reports()
    {
        var books = await Books.OpenAsync(_app);

        foreach (var report in new[] { "dashboard", "aging", "cash-forecast", "revenue" })
            Assert.Empty((await books.Owner.GetOkAsync($"/api/v1/reports/{report}"))["currencies"]!.AsArray());
    }

    /// <summary>
    /// Issue 16: the dashboard and aging sum the open balances kept per client and due date by
    /// triggers (not every open invoice); a payment and its reversal move them, and verify agrees.
    /// </summary>
    [Fact]
    public async Task A_payment_and_its_reversal_move_the_open_balance_in_aging_and_on_the_dashboard()
    {
        var books = await Books.OpenAsync(_app);
        books.Today("2027-01-05");
        var globex = await books.ClientAsync();
        var contract = await books.ContractAsync(globex.Id, 1000, 500);
        await books.BillAsync(contract.Milestones[0]);
        await books.BillAsync(contract.Milestones[1]);
        books.Today("2027-02-10");

        // The dashboard's outstanding and overdue, then aging's buckets (current … over 90, total); verify agrees with each.
        async Task<string[]> FiguresAsync()
        {
            var eur = In(await books.Owner.GetOkAsync("/api/v1/reports/dashboard"), "EUR");
            var aging = In(await books.Owner.GetOkAsync("/api/v1/reports/aging"), "EUR");
            await using var db = books.Db();
            Assert.Empty(await new Cairn.Server.Verification.InvariantChecker(db).CheckAsync());
            return [eur.Str("outstanding.amount"), eur.Str("overdue.amount"), .. Buckets(aging["totals"]!)];
        }

        // Two invoices of 1,200.00 and 600.00 (20% tax), both due on 2027-02-04: 6 days late.
        Assert.Equal(["1800.00", "1800.00", "0.00", "1800.00", "0.00", "0.00", "0.00", "1800.00"], await FiguresAsync());

        var payment = await books.Owner.PostOkAsync("/api/v1/payments", new { clientId = globex.Id, amount = new { amount = "1500.00", currency = "EUR" }, receivedOn = "2027-02-10", method = "bank_transfer" });
        Assert.Equal(["300.00", "300.00", "0.00", "300.00", "0.00", "0.00", "0.00", "300.00"], await FiguresAsync());

        await books.Owner.PostOkAsync($"/api/v1/payments/{payment.Str("id")}/reverse", new { reason = "The transfer bounced" });
        Assert.Equal(["1800.00", "1800.00", "0.00", "1800.00", "0.00", "0.00", "0.00", "1800.00"], await FiguresAsync());
    }

    /// <summary>
    /// Issue 16: on PostgreSQL the dashboard and aging add up the open balances as integers
    /// (<c>sum(bigint)</c>, not every row made <c>numeric</c> first: Data/IntegerSums). The sums stay
    /// exact past the range of a 64-bit integer, as they were: two open balances of
    /// 50,000,000,000,000,000.00 EUR (5·10^18 minor units each, written as the triggers would keep them
    /// for books that large) make 100,000,000,000,000,000.00, not an overflow.
    /// </summary>
    [Fact]
    public async Task Open_balances_beyond_a_64_bit_integer_add_up_exactly_on_the_dashboard_and_in_aging()
    {
        var books = await Books.OpenAsync(_app);
        books.Today("2027-02-10");
        var globex = await books.ClientAsync();
        await using var db = books.Db();
        foreach (var due in new[] { new DateOnly(2027, 2, 3), new DateOnly(2027, 2, 4) })
        {
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO open_receivables (organization_id, client_id, currency, due_date, open_minor)
                VALUES ({books.OrganizationId}, {globex.Id}, {"EUR"}, {due}, {5_000_000_000_000_000_000L})
                """);
        }

        try
        {
            var eur = In(await books.Owner.GetOkAsync("/api/v1/reports/dashboard"), "EUR");
            Assert.Equal(("100000000000000000.00", "100000000000000000.00", "0.00"), (eur.Str("outstanding.amount"), eur.Str("overdue.amount"), eur.Str("dueNext30Days.amount")));
            var aging = In(await books.Owner.GetOkAsync("/api/v1/reports/aging"), "EUR");
            string[] expected = ["0.00", "100000000000000000.00", "0.00", "0.00", "0.00", "100000000000000000.00"];
            Assert.Equal(expected, Buckets(aging["totals"]!));
            Assert.Equal(expected, Buckets(Assert.Single(aging["clients"]!.AsArray())!["buckets"]!));
        }
        finally
        {
            // The other tests of this class share the database, and verify reads every organization's balances.
            await db.Database.ExecuteSqlAsync($"DELETE FROM open_receivables WHERE client_id = {globex.Id}");
        }
    }

    private async Task<Books> KnownBooksAsync()
    {
        var books = await Books.OpenAsync(_app);
        var acme = await books.ClientAsync("Acme Corp");
        var beta = await books.ClientAsync("Beta Ltd");
        var a = await books.ContractAsync(acme.Id, 1000, 2000, 500);
        var b = await books.ContractAsync(beta.Id, Currency.EUR, 30, [1000, 700, 300], [null, null, new DateOnly(2027, 3, 1)]);
        var u = await books.ContractAsync(beta.Id, Currency.USD, 30, [500]);

        await books.BillAsync(a.Milestones[0]);
        await books.BillAsync(u.Milestones[0]);
        books.Today("2026-12-01");
        await books.BillAsync(a.Milestones[1]);
        books.Today("2027-01-05");
        var betaInvoice = await books.BillAsync(b.Milestones[0]);
        await books.Owner.PostOkAsync("/api/v1/payments", new { clientId = acme.Id, amount = new { amount = "600.00", currency = "EUR" }, receivedOn = "2027-01-05", method = "bank_transfer" });
        await books.Owner.PostOkAsync($"/api/v1/invoices/{betaInvoice}/credit-notes", new { amount = new { amount = "120.00", currency = "EUR" }, reason = "Late delivery" });
        books.Today("2027-02-10");
        await books.BillAsync(a.Milestones[2]);
        await InstalmentDueLaterAsync(books, b.Milestones[1], new DateOnly(2027, 6, 1));
        await books.ApproveAsync(b.Milestones[1]);
        books.Today("2027-02-15");
        await books.AssertMoneyBalancesAsync();
        return books;
    }

    /// <summary>
    /// Makes a planned milestone a dated instalment, so approving it leaves it approved but unbilled
    /// until its billing date (an on_approval milestone is billed by its approval, rule 2).
    /// </summary>
    private static async Task InstalmentDueLaterAsync(Books books, Milestone milestone, DateOnly billingDate)
    {
        await using var db = books.Db();
        await db.Database.ExecuteSqlAsync($"UPDATE milestones SET \"trigger\" = 'OnDate', billing_date = {billingDate} WHERE id = {milestone.Id}");
    }

    private static JsonNode In(JsonNode report, string currency) =>
        report["currencies"]!.AsArray().Single(c => c!.Str("currency") == currency)!;

    private static string[] Buckets(JsonNode buckets) =>
        new[] { "current", "days1To30", "days31To60", "days61To90", "over90", "total" }.Select(b => buckets.Str(b + ".amount")).ToArray();

    private static (string, string, string) Figures(JsonNode figures) =>
        (figures.Str("invoiced.amount"), figures.Str("credited.amount"), figures.Str("net.amount"));
}

public sealed class SqliteReportsApi(SqliteEngine engine) : ReportsApiTests<SqliteEngine>(engine);

public sealed class PostgresReportsApi(PostgresEngine engine) : ReportsApiTests<PostgresEngine>(engine);
