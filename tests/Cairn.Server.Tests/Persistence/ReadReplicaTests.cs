using Cairn.Server.Data;
using Cairn.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cairn.Server.Tests.Persistence;

/// <summary>
/// Reports and lists read from a PostgreSQL hot standby while it is within the staleness bound,
/// and from the primary beyond it; writes never go to the standby (issue 16, item 6). A real
/// primary and a real standby streaming from it, on loopback.
/// </summary>
public sealed class ReadReplicaTests(ReplicatedPostgres engine) : IClassFixture<ReplicatedPostgres>, IAsyncLifetime
{
    private const int MaxLagSeconds = 30;
    private CairnApp _app = null!;

    public async Task InitializeAsync()
    {
        // Each test starts with a standby that runs and replays (a failed test may have left it stopped or paused).
        await engine.StartStandbyAsync();
        await engine.OnStandbyAsync("SELECT pg_wal_replay_resume()");
        _app = new CairnApp(engine)
        {
            Logs = new ScopedLogCapture(),
            LogsAtShippedLevels = true,
            Settings = new Dictionary<string, string?>
            {
                ["Cairn:PostgresReplica"] = engine.StandbyConnectionString,
                ["Cairn:ReplicaMaxLagSeconds"] = MaxLagSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
        };
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Reports_and_lists_read_the_standby_within_the_staleness_bound_and_the_primary_beyond_it()
    {
        var (books, second) = await OneBilledOfTwoAsync();
        var owner = books.Owner;
        await SeedBilling.SubmitAsync(engine, books.OrganizationId, second.Id, _app.Clock);
        await WhenTheStandbyIsCurrentAsync();
        var dashboard = (await owner.GetOkAsync("/api/v1/reports/dashboard")).ToJsonString();
        Assert.Single((await owner.GetOkAsync("/api/v1/invoices"))["data"]!.AsArray());

        // The standby stops replaying; the approval still commits: it is written to the primary.
        await engine.OnStandbyAsync("SELECT pg_wal_replay_pause()");
        await owner.PostOkAsync($"/api/v1/milestones/{second.Id}/approve");
        await using (var primary = engine.NewDb(books.OrganizationId))
            Assert.Equal(2, await primary.Invoices.CountAsync());

        // Within the bound, reports and lists answer from the standby: as it was before the approval.
        _app.Clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Single((await owner.GetOkAsync("/api/v1/invoices"))["data"]!.AsArray());
        Assert.Equal(dashboard, (await owner.GetOkAsync("/api/v1/reports/dashboard")).ToJsonString());

        // Beyond the bound, the stalled standby is left alone: the primary answers, with both invoices.
        _app.Clock.Advance(TimeSpan.FromSeconds(MaxLagSeconds));
        Assert.Equal(2, (await owner.GetOkAsync("/api/v1/invoices"))["data"]!.AsArray().Count);
        Assert.NotEqual(dashboard, (await owner.GetOkAsync("/api/v1/reports/dashboard")).ToJsonString());
        Assert.Equal(1L, await engine.OnStandbyAsync("SELECT count(*) FROM invoices"));

        // Replaying again, the standby catches up and serves reads once more.
        await engine.OnStandbyAsync("SELECT pg_wal_replay_resume()");
        await WhenTheStandbyIsCurrentAsync();
        Assert.Equal(2L, await engine.OnStandbyAsync("SELECT count(*) FROM invoices"));
        Assert.Equal(2, (await owner.GetOkAsync("/api/v1/invoices"))["data"]!.AsArray().Count);

        // The operator was told at start-up where reports and lists read from (session 12's trial: nothing said so).
        var standby = new Npgsql.NpgsqlConnectionStringBuilder(engine.StandbyConnectionString);
        Assert.Contains(_app.Logs!.Lines, line => line.Contains(
            $"Reports and lists: read from the standby's database {standby.Database} on {standby.Host}:{standby.Port} while it is at most {MaxLagSeconds} s behind the primary", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_standby_that_stops_sends_the_next_reads_to_the_primary_at_once_and_gets_them_back_when_it_returns()
    {
        var (books, second) = await OneBilledOfTwoAsync();
        var owner = books.Owner;
        await WhenTheStandbyIsCurrentAsync();
        // The list is read on the standby, whose connection stays in the pool; /healthz says so.
        Assert.Single((await owner.GetOkAsync("/api/v1/invoices"))["data"]!.AsArray());
        var health = await HealthAsync();
        Assert.True(health["replica"]!["serving"]!.GetValue<bool>());
        Assert.InRange(health["replica"]!["stalenessSeconds"]!.GetValue<double>(), 0, 1);
        Assert.Equal(MaxLagSeconds, health["replica"]!["maxLagSeconds"]!.GetValue<int>());

        // The standby goes away between two checks: its pooled connection is dead, and the last check still vouches for it.
        await engine.StopStandbyAsync();
        for (var read = 0; read < 4; read++)
            Assert.Single((await owner.GetOkAsync("/api/v1/invoices"))["data"]!.AsArray());
        Assert.Null(_app.Services.GetRequiredService<ReplicaFreshness>().Staleness);
        health = await HealthAsync();
        Assert.Equal("ok", health["status"]!.GetValue<string>());
        Assert.False(health["replica"]!["serving"]!.GetValue<bool>());
        Assert.Null(health["replica"]!["stalenessSeconds"]);

        // The outage is one Warning, naming the standby, though a read noticed it and then a check failed too
        // (session 13's trial counted two, worded differently).
        await WhenACheckFailedAsync();
        var warning = Assert.Single(_app.Logs!.Lines, line => line.StartsWith($"Warning {typeof(ReplicaFreshness).FullName}:", StringComparison.Ordinal));
        var standby = new Npgsql.NpgsqlConnectionStringBuilder(engine.StandbyConnectionString);
        Assert.Contains($"at {standby.Host}:{standby.Port}", warning, StringComparison.Ordinal);

        // Back, the standby is found current by a check that a request started: the check's lines are its own,
        // without the request's logging scope (session 13's trial: in a real server they carried the ConnectionId
        // and RequestId of the request that started the check). ASP.NET Core begins that scope for each request.
        await engine.StartStandbyAsync();
        var freshness = _app.Services.GetRequiredService<ReplicaFreshness>();
        var requests = _app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Microsoft.AspNetCore.Hosting.Diagnostics");
        string? back = null;
        for (var attempt = 0; attempt < 100 && back is null; attempt++)
        {
            _app.Clock.Advance(TimeSpan.FromSeconds(1));
            using (requests.BeginScope(new Dictionary<string, object?> { ["RequestId"] = $"0HTEST:{attempt}", ["RequestPath"] = "/api/v1/invoices" }))
                freshness.IsFresh();
            await Task.Delay(50);
            back = _app.Logs!.Lines.FirstOrDefault(line => line.Contains("replica", StringComparison.Ordinal) && line.Contains("answers again", StringComparison.Ordinal));
        }

        Assert.NotNull(back);
        Assert.DoesNotContain("RequestId", back, StringComparison.Ordinal);

        // Current again, the standby serves the reads once more: paused, it answers as it was.
        await WhenTheStandbyIsCurrentAsync();
        await engine.OnStandbyAsync("SELECT pg_wal_replay_pause()");
        await SeedBilling.SubmitAsync(engine, books.OrganizationId, second.Id, _app.Clock);
        await owner.PostOkAsync($"/api/v1/milestones/{second.Id}/approve");
        Assert.Single((await owner.GetOkAsync("/api/v1/invoices"))["data"]!.AsArray());
    }

    /// <summary>
    /// Fresh-user trial (session 13): with the standby frozen, a read already on it waited for the
    /// command timeout (30 s) and answered 503 busy, and reads that needed a new connection answered
    /// 503 after the 3 s connection timeout; nothing ran them again on the primary.
    /// </summary>
    [Fact]
    public async Task A_standby_that_hangs_costs_a_read_a_short_wait_and_the_primary_answers_it()
    {
        var (books, _) = await OneBilledOfTwoAsync();
        await WhenTheStandbyIsCurrentAsync();
        Assert.Single((await books.Owner.GetOkAsync("/api/v1/invoices"))["data"]!.AsArray());

        await engine.HangStandbyAsync();
        try
        {
            // Several at once: some find the pooled connection to the frozen standby, others open a new one.
            var reads = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => books.Owner.GetOkAsync("/api/v1/invoices")));
            Assert.All(reads, read => Assert.Single(read["data"]!.AsArray()));
            Assert.Null(_app.Services.GetRequiredService<ReplicaFreshness>().Staleness);
            Assert.Single((await books.Owner.GetOkAsync("/api/v1/invoices"))["data"]!.AsArray());
        }
        finally
        {
            await engine.ResumeStandbyAsync();
        }
    }

    [Fact]
    public async Task A_context_on_the_standby_refuses_to_save()
    {
        var books = await Books.OpenAsync(_app);
        await WhenTheStandbyIsCurrentAsync();
        await using var scope = _app.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<CairnDb>().TenantId = books.OrganizationId;
        var reads = await scope.ServiceProvider.GetRequiredService<ReadDatabase>().OpenAsync();

        Assert.NotSame(scope.ServiceProvider.GetRequiredService<CairnDb>(), reads);
        var client = await reads.Clients.AsTracking().FirstOrDefaultAsync();
        reads.Clients.Add(new Cairn.Domain.Client(Guid.CreateVersion7(), books.OrganizationId, "Sneaky", _app.Clock.GetUtcNow()));
        await Assert.ThrowsAsync<InvalidOperationException>(() => reads.SaveChangesAsync());
        Assert.Null(client);
    }

    /// <summary>Lets a check of the (stopped) standby run to its end, started after any earlier one ended (each wait at most 10 s).</summary>
    private async Task WhenACheckFailedAsync()
    {
        var freshness = _app.Services.GetRequiredService<ReplicaFreshness>();
        for (var round = 0; round < 2; round++)
        {
            for (var waited = 0; waited < 200 && freshness.Checking; waited++)
                await Task.Delay(50);
            Assert.False(freshness.Checking, "a check of the standby did not end within 10 s");
            if (round == 0)
            {
                _app.Clock.Advance(TimeSpan.FromSeconds(60));
                freshness.IsFresh();
            }
        }
    }

    /// <summary>The body of <c>/healthz</c> (200).</summary>
    private async Task<System.Text.Json.Nodes.JsonNode> HealthAsync()
    {
        using var http = _app.CreateClient();
        var answer = await http.GetAsync("/healthz");
        Assert.Equal(System.Net.HttpStatusCode.OK, answer.StatusCode);
        return System.Text.Json.Nodes.JsonNode.Parse(await answer.Content.ReadAsStringAsync())!;
    }

    /// <summary>Books with a contract of two milestones, the first billed; returns the second.</summary>
    private async Task<(Books Books, Cairn.Domain.Milestone Second)> OneBilledOfTwoAsync()
    {
        var books = await Books.OpenAsync(_app);
        var client = await books.ClientAsync();
        var contract = await books.ContractAsync(client.Id, 100_000, 200_000);
        await books.BillAsync(contract.Milestones.Single(m => m.Position == 1));
        return (books, contract.Milestones.Single(m => m.Position == 2));
    }

    /// <summary>Moves the server's clock a second at a time (bounded) until the standby is at most a second behind the primary.</summary>
    private async Task WhenTheStandbyIsCurrentAsync()
    {
        var freshness = _app.Services.GetRequiredService<ReplicaFreshness>();
        for (var attempt = 0; attempt < 100; attempt++)
        {
            _app.Clock.Advance(TimeSpan.FromSeconds(1));
            // The first call after the clock moves starts a check in the background; a later one sees its result.
            if (freshness.IsFresh() && freshness.Staleness <= TimeSpan.FromSeconds(1))
                return;
            await Task.Delay(50);
        }

        await using var primary = engine.NewDb();
        var written = await primary.Database.SqlQueryRaw<string>("SELECT pg_current_wal_lsn()::text AS \"Value\"").SingleAsync();
        Assert.Fail($"The standby did not catch up with the primary within 100 checks: the primary has written up to {written}, the standby replayed {await engine.OnStandbyAsync("SELECT pg_last_wal_replay_lsn()::text")}; staleness {freshness.Staleness}.");
    }
}
