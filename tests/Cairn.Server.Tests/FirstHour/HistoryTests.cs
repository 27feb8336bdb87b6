using Cairn.Server.Tests.Infrastructure;

namespace Cairn.Server.Tests.FirstHour;

/// <summary>Issue 12, stumble 6: a contract's history reads as sentences with names, titles, invoice numbers and amounts, without ids, JSON or versions.</summary>
public abstract class HistoryTests<TEngine>(TEngine engine) : IClassFixture<TEngine>, IAsyncLifetime
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
    public async Task History_says_who_did_what_to_which_milestone_and_invoice_in_words()
    {
        var email = Staff.Email("owner");
        var org = await _app.NewStaffOrganizationAsync(email);
        var contract = await Plans.ContractAsync(org.Api, "9000.00", Plans.FixedFeeTemplate);
        var id = contract.Str("id");
        var browser = new Browser(_app);
        await browser.SignInAsync(email, Staff.Password);
        await browser.GetAsync($"/contracts/{id}");
        await browser.PostFormAsync($"/contracts/{id}?handler=Activate", new Dictionary<string, string>());
        var invoice = (await org.Api.GetOkAsync($"/api/v1/invoices?contractId={id}")).Str("data.0.number");

        var page = System.Net.WebUtility.HtmlDecode((await browser.GetAsync($"/contracts/{id}")).Html);

        Assert.Contains("Ada Owner activated the contract “Website relaunch”", page);
        Assert.Contains($"issued invoice {invoice}, 4,320.00 EUR", page);
        Assert.DoesNotContain("<code>", page);
        Assert.DoesNotContain("\"trigger\"", page);
        Assert.DoesNotContain(" version ", page);
        Assert.DoesNotContain("user:", page);
        Assert.DoesNotContain("apikey:", page);
    }
}

public sealed class SqliteHistory(SqliteEngine engine) : HistoryTests<SqliteEngine>(engine);

public sealed class PostgresHistory(PostgresEngine engine) : HistoryTests<PostgresEngine>(engine);
