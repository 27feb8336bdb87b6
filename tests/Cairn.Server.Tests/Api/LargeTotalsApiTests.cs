using Cairn.Server.Billing;
using Cairn.Domain;
using Cairn.Server.Tests.Infrastructure;
using Cairn.Server.Verification;

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
        Assert.Equal(Payments.MaxReceivedPerClientMinor.ToString(System.Globalization.CultureInfo.InvariantCulture), balance.Str("currencies.0.unappliedCredit.amount"));
        var other = await books.ClientAsync("Initech");
        Assert.Equal(201, (int)(await Pay(books, other.Id, "1")).StatusCode);
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
