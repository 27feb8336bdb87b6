using System.Net;
using Cairn.Server.Tests.Infrastructure;

namespace Cairn.Server.Tests.Identity;

/// <summary>
/// At the levels the server ships with, an ordinary request writes nothing to the log: no
/// "Executing endpoint" or "Writing value of type" line per API call (a trial's log filled with
/// them, and on a contract read they were a tenth of the server's CPU, issue 16).
/// </summary>
public abstract class RequestLogTests<TEngine>(TEngine engine) : IClassFixture<TEngine>, IAsyncLifetime
    where TEngine : Engine
{
    private readonly LogCapture _logs = new();
    private CairnApp _app = null!;

    public Task InitializeAsync()
    {
        _app = new CairnApp(engine) { Logs = _logs, LogsAtShippedLevels = true };
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Reading_and_writing_through_the_api_adds_no_request_lines_to_the_log()
    {
        var api = await _app.NewOrganizationAsync();
        var clientId = await Plans.ClientAsync(api);
        var before = _logs.Lines.Count;

        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.OK, (await api.GetAsync($"/api/v1/clients/{clientId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"/api/v1/clients/{Guid.NewGuid()}")).StatusCode);
        await api.PostOkAsync("/api/v1/clients", new { name = "Initech", email = "ap@initech.test" });

        var written = _logs.Lines.Skip(before).Where(l => !l.StartsWith("scope ", StringComparison.Ordinal)).ToList();
        Assert.DoesNotContain(written, l => l.StartsWith("Information Microsoft.AspNetCore", StringComparison.Ordinal) || l.StartsWith("Debug", StringComparison.Ordinal));
        Assert.DoesNotContain(written, l => l.Contains("Executing endpoint", StringComparison.Ordinal) || l.Contains("Writing value of type", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Reading_a_contract_and_a_payment_with_their_parts_adds_no_warning_to_the_log()
    {
        // A trial's log showed EF Core's warning 20504 (several collections loaded in one query without a
        // splitting behaviour chosen) on every such read: Cairn chooses single queries, so nothing is written.
        var org = await _app.NewStaffOrganizationAsync(Staff.Email("ada"));
        var contract = await Plans.ActiveWebsiteContractAsync(org.Api);
        var first = Plans.MilestoneIds(contract)[0];
        await Plans.DeliverAsync(org.Api, first);
        await org.Api.PostOkAsync($"/api/v1/milestones/{first}/approve");
        var payment = await org.Api.PostOkAsync("/api/v1/payments", new { clientId = contract.Str("clientId"), amount = new { amount = "100.00", currency = "EUR" }, receivedOn = "2026-11-20", method = "bank_transfer", reference = "PART" });
        var browser = new Browser(_app);
        await browser.SignInAsync(org.OwnerEmail, org.OwnerPassword);
        var before = _logs.Lines.Count;

        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync($"/contracts/{contract.Str("id")}")).Status);
        await org.Api.GetOkAsync($"/api/v1/payments/{payment.Str("id")}");
        await org.Api.GetOkAsync("/api/v1/payments");

        Assert.DoesNotContain(Written(before), l => l.StartsWith("Warning", StringComparison.Ordinal) || l.StartsWith("Error", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_flood_of_refused_api_keys_writes_one_warning_with_the_count_per_address_every_few_minutes_and_no_line_per_request()
    {
        await _app.NewOrganizationAsync();
        await _app.ListeningForRevocationsAsync();
        const string Forged = "cairn_forgedSecretThatMustNeverBeLogged0123456789abcdefgh";
        var flood = new ApiClient(_app.CreateClient(), Forged, Guid.Empty);
        var malformed = new ApiClient(_app.CreateClient(), "not-a-cairn-key", Guid.Empty);
        var before = _logs.Lines.Count;

        for (var i = 0; i < 40; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await (i % 4 == 0 ? malformed : flood).GetAsync("/api/v1/clients")).StatusCode);
        var during = Written(before);
        Assert.DoesNotContain(during, l => l.Contains("was not authenticated", StringComparison.Ordinal) || l.Contains("was challenged", StringComparison.Ordinal));
        Assert.DoesNotContain(during, l => l.StartsWith("Information", StringComparison.Ordinal) && l.Contains("Authentication", StringComparison.Ordinal));
        var first = Assert.Single(during, l => l.StartsWith("Warning", StringComparison.Ordinal));
        Assert.Contains("API key", first, StringComparison.Ordinal);

        // Minutes later the next refusal reports how many came since the last warning.
        _app.Clock.Advance(TimeSpan.FromMinutes(6));
        Assert.Equal(HttpStatusCode.Unauthorized, (await flood.GetAsync("/api/v1/clients")).StatusCode);
        var all = Written(before);
        Assert.Equal(2, all.Count(l => l.StartsWith("Warning", StringComparison.Ordinal)));
        Assert.Contains(all, l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("40 API key", StringComparison.Ordinal));
        Assert.DoesNotContain(all, l => l.Contains("forgedSecret", StringComparison.Ordinal) || l.Contains("not-a-cairn-key", StringComparison.Ordinal));
    }

    private List<string> Written(int before) =>
        _logs.Lines.Skip(before).Where(l => !l.StartsWith("scope ", StringComparison.Ordinal)).ToList();
}

public sealed class SqliteRequestLog(SqliteEngine engine) : RequestLogTests<SqliteEngine>(engine);

public sealed class PostgresRequestLog(PostgresEngine engine) : RequestLogTests<PostgresEngine>(engine);
