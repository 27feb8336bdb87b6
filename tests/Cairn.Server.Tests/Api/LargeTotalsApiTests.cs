using Cairn.Server.Billing;
using Cairn.Domain;
using Cairn.Server.Tests.Infrastructure;
using Cairn.Server.Verification;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Tests.Api;

/// <summary>
/// Issue 10, fault 8: no read fails on data the server holds, however large its sums; and a
/// client's payments per currency stop at a documented total, refused with a problem naming the field.
/// </summary>
public abstract class LargeTotalsApiTests<TEngine>(TEngine engine) : IClassFixture<TEngine>, IAsyncLifetime
    where TEngine : Engine
{
    private const long Largest = 999_999_999_999_999;
    private CairnApp _app = null!;

    public Task InitializeAsync()
    {
        _app = new CairnApp(engine);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task A_client_whose_payments_add_up_past_64_bits_still_gets_its_balance_and_reports()
    {
        var books = await Books.OpenAsync(_app);
        var client = await books.ClientAsync();
        await InsertPaymentsAsync(books, client.Id, 9_230);

        var balance = await books.Owner.GetOkAsync($"/api/v1/clients/{client.Id}/balance");

        Assert.Equal("JPY", balance.Str("currencies.0.currency"));
        Assert.Equal("9229999999999990770", balance.Str("currencies.0.unappliedCredit.amount"));
        Assert.Equal("0", balance.Str("currencies.0.outstanding.amount"));
        foreach (var report in new[] { "dashboard", "aging", "cash-forecast", "revenue" })
            await books.Owner.GetOkAsync($"/api/v1/reports/{report}");
        await using var db = _app.Engine.NewDb();
        Assert.Empty(await new InvariantChecker(db).CheckAsync());
    }

    [Fact]
    public async Task A_clients_payments_in_one_currency_stop_at_the_documented_total()
    {
        var books = await Books.OpenAsync(_app);
        var client = await books.ClientAsync();
        await InsertPaymentsAsync(books, client.Id, 999);

        Assert.Equal(201, (int)(await Pay(books, client.Id, Largest.ToString(System.Globalization.CultureInfo.InvariantCulture))).StatusCode);
        await Json.ProblemAsync(await Pay(books, client.Id, "1000"), 400, "received_total_too_large", "amount");
        Assert.Equal(201, (int)(await Pay(books, client.Id, "999")).StatusCode);
        await Json.ProblemAsync(await Pay(books, client.Id, "1"), 400, "received_total_too_large", "amount");

        var balance = await books.Owner.GetOkAsync($"/api/v1/clients/{client.Id}/balance");
        Assert.Equal(Money.MaxClientTotalMinor.ToString(System.Globalization.CultureInfo.InvariantCulture), balance.Str("currencies.0.unappliedCredit.amount"));
        var other = await books.ClientAsync("Initech");
        Assert.Equal(201, (int)(await Pay(books, other.Id, "1")).StatusCode);
    }

    [Fact]
    public async Task Billing_a_client_past_the_documented_total_is_refused_and_changes_nothing()
    {
        var books = await Books.OpenAsync(_app);
        var client = await books.ClientAsync();
        const int billed = 833; // 833 invoices of 1,199,999,999,999,999 JPY (20% VAT) stay within the limit; the 834th would not
        var last = await BillLargeMilestonesAsync(books, client, billed, billed + 1);

        var refused = await books.Owner.PostAsync($"/api/v1/milestones/{last}/approve", null);

        await Json.ProblemAsync(refused, 400, "billed_total_too_large");
        Assert.Equal("submitted", (await books.Owner.GetOkAsync($"/api/v1/milestones/{last}")).Str("status"));
        var balance = await books.Owner.GetOkAsync($"/api/v1/clients/{client.Id}/balance");
        Assert.Equal("999599999999999167", balance.Str("currencies.0.invoiced.amount"));
        Assert.Equal("999599999999999167", balance.Str("currencies.0.outstanding.amount"));
        foreach (var report in new[] { "dashboard", "aging", "cash-forecast", "revenue" })
            await books.Owner.GetOkAsync($"/api/v1/reports/{report}");
    }

    // A contract of the largest milestones, all approved and the first `billed` invoiced in one go; returns the id of the last, left submitted.
    private async Task<Guid> BillLargeMilestonesAsync(Books books, Client client, int billed, int milestones)
    {
        var now = _app.Clock.GetUtcNow();
        var seller = new Actor(ActorKind.User, "pm", "PM");
        await using var db = books.Db();
        await using var transaction = await db.Database.BeginTransactionAsync();
        var contract = new Contract(Guid.CreateVersion7(), books.OrganizationId, client.Id, "Dam", new Money(Largest * milestones, Currency.JPY), Percentage.FromBasisPoints(2000), 30, now);
        for (var i = 0; i < milestones; i++)
            contract.AddMilestone(Guid.CreateVersion7(), new MilestoneTerms($"Section {i + 1}", "Work", "Accepted", null, new Money(Largest, Currency.JPY), null));
        contract.Activate(now);
        foreach (var m in contract.Milestones)
        {
            m.Start(seller, now);
            m.Submit("Delivered", ["https://example.test/section"], seller, now);
        }

        db.Contracts.Add(contract);
        await db.SaveChangesAsync();
        var organization = await db.Organizations.SingleAsync();
        var invoicing = new Invoicing(db, _app.Clock);
        foreach (var m in contract.Milestones.OrderBy(m => m.Position).Take(billed))
        {
            m.Approve(Seed.Client, now);
            await invoicing.BillMilestoneAsync(organization, contract, m, seller);
        }

        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        return contract.Milestones.OrderBy(m => m.Position).Last().Id;
    }

    // Rows as an earlier version (without the limit) could have accepted them, written in one batch.
    private static async Task InsertPaymentsAsync(Books books, Guid clientId, int count)
    {
        await using var db = books.Db();
        var now = DateTimeOffset.UtcNow;
        db.Payments.AddRange(Enumerable.Range(0, count).Select(_ =>
            new Payment(Guid.CreateVersion7(), books.OrganizationId, clientId, new Money(Largest, Currency.JPY), new DateOnly(2026, 11, 2), "bank_transfer", null, now)));
        await db.SaveChangesAsync();
    }

    private static Task<HttpResponseMessage> Pay(Books books, Guid clientId, string amount) =>
        books.Owner.PostAsync("/api/v1/payments", new { clientId, amount = new { amount, currency = "JPY" }, receivedOn = "2026-11-03", method = "bank_transfer" });
}

public sealed class SqliteLargeTotalsApi(SqliteEngine engine) : LargeTotalsApiTests<SqliteEngine>(engine);

public sealed class PostgresLargeTotalsApi(PostgresEngine engine) : LargeTotalsApiTests<PostgresEngine>(engine);
