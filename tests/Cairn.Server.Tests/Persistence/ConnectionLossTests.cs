using System.Net;
using Cairn.Server.Tests.Infrastructure;

namespace Cairn.Server.Tests.Persistence;

/// <summary>
/// PostgreSQL restarts or fails over and every connection of every instance dies at once (an
/// operator trial, issue 16): the pools hold dead connections. The next requests on each instance
/// must not be told the database is "busy with concurrent changes": reads and changes that had not
/// reached the database yet are retried once on a fresh connection, and at worst a request hears
/// that the connection was lost (503, Retry-After). SQLite has no connections to lose.
/// </summary>
public sealed class PostgresConnectionLoss(PostgresEngine engine) : IClassFixture<PostgresEngine>, IAsyncLifetime
{
    private readonly LogCapture _logs = new();
    private CairnApp _first = null!;
    private CairnApp _second = null!;

    public Task InitializeAsync()
    {
        _first = new CairnApp(engine) { Logs = _logs, LogsAtShippedLevels = true, TestServices = WithoutBackgroundPasses };
        _second = new CairnApp(engine) { Logs = _logs, LogsAtShippedLevels = true, TestServices = WithoutBackgroundPasses };
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _first.DisposeAsync();
        await _second.DisposeAsync();
    }

    [Fact]
    public async Task After_every_connection_is_terminated_the_next_reads_and_approvals_on_each_instance_succeed()
    {
        var owner = await _first.NewOrganizationAsync();
        var contract = await Plans.ActiveWebsiteContractAsync(owner);
        var contractId = contract.Str("id");
        var milestones = Plans.MilestoneIds(contract);
        foreach (var milestone in milestones)
            await Plans.DeliverAsync(owner, milestone);
        var apis = new[] { owner, new ApiClient(_second.CreateClient(), owner.Key, owner.OrganizationId) };

        // Fill both pools with several idle connections, as a busy instance has them.
        await Task.WhenAll(apis.SelectMany(api => Enumerable.Range(0, 6).Select(_ => api.GetOkAsync($"/api/v1/contracts/{contractId}"))));
        var pooled = await PooledConnectionsAsync();
        Assert.True(pooled >= 3, $"only {pooled} pooled connections to kill");
        Assert.True(await TerminateAllConnectionsAsync() >= pooled);

        var answers = new List<string>();
        for (var i = 0; i < milestones.Count; i++)
        {
            foreach (var api in apis)
            {
                answers.Add(await AnswerAsync(await api.GetAsync($"/api/v1/contracts/{contractId}")));
                answers.Add(await AnswerAsync(await api.GetAsync("/api/v1/invoices")));
            }

            answers.Add(await AnswerAsync(await apis[i % 2].PostAsync($"/api/v1/milestones/{milestones[i]}/approve", new { })));
        }

        Assert.All(answers, a => Assert.Equal("200", a));
        Assert.Equal(milestones.Count, (await owner.GetOkAsync("/api/v1/invoices"))["data"]!.AsArray().Count);

        // The first request met a dead connection and ran again; the pool then held no other dead one (on either instance).
        Assert.Single(_logs.Lines, l => l.Contains("running it again on a fresh connection", StringComparison.Ordinal));

        // What Cairn handled is not logged as a failure with a stack trace (EF Core's own copies of the
        // failed command are at Debug; a job pass that met a dead connection says so in one Warning line).
        Assert.DoesNotContain(_logs.Lines, l => l.StartsWith("Error ", StringComparison.Ordinal) || l.StartsWith("Critical ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_change_sent_first_after_every_connection_is_terminated_runs_again_on_a_fresh_connection_and_is_saved_once()
    {
        var owner = await _first.NewOrganizationAsync();
        await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => owner.GetOkAsync("/api/v1/clients")));
        await TerminateAllConnectionsAsync();

        await Json.OkAsync(await owner.PostAsync("/api/v1/clients", new { name = "Initech" }));

        Assert.Single((await owner.GetOkAsync("/api/v1/clients"))["data"]!.AsArray());
        Assert.Single(_logs.Lines, l => l.Contains("before POST reached the database; running it again", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_change_whose_connection_dies_after_it_reached_the_database_answers_503_connection_lost_and_its_retry_succeeds()
    {
        var owner = await _first.NewOrganizationAsync();
        await using var victim = new Npgsql.NpgsqlConnection(engine.Settings.ConnectionString + ";Pooling=false");
        await victim.OpenAsync();

        // The change looks up its Idempotency-Key (a statement the database answers), then its insert
        // waits on a table lock this test holds; meanwhile every other connection is terminated.
        var hold = await victim.BeginTransactionAsync();
        await using (var lockClients = new Npgsql.NpgsqlCommand("LOCK TABLE clients IN EXCLUSIVE MODE", victim, hold))
            await lockClients.ExecuteNonQueryAsync();
        var change = owner.PostAsync("/api/v1/clients", new { name = "Initech" }, idempotencyKey: "create-initech");
        await WaitForLockWaitAsync();
        await TerminateAllConnectionsAsync(except: victim.ProcessID);
        await hold.RollbackAsync();

        var response = await change;
        var problem = await Json.ProblemAsync(response, 503, "connection_lost");
        Assert.Equal("1", response.Headers.RetryAfter?.ToString());
        Assert.Equal("Database connection lost", problem.Str("title"));
        Assert.Empty((await owner.GetOkAsync("/api/v1/clients"))["data"]!.AsArray());

        await Json.OkAsync(await owner.PostAsync("/api/v1/clients", new { name = "Initech" }, idempotencyKey: "create-initech"));
        Assert.Single((await owner.GetOkAsync("/api/v1/clients"))["data"]!.AsArray());
    }

    [Fact]
    public async Task A_job_pass_that_meets_a_dead_connection_says_so_in_one_warning_line_and_a_fault_of_cairns_keeps_its_stack_trace()
    {
        await using var victim = new Npgsql.NpgsqlConnection(engine.Settings.ConnectionString + ";Pooling=false");
        await victim.OpenAsync();
        await TerminateAllConnectionsAsync();
        var lost = await Record.ExceptionAsync(async () =>
        {
            await using var read = new Npgsql.NpgsqlCommand("SELECT 1", victim);
            await read.ExecuteScalarAsync();
        });
        var bug = Record.Exception(Fault);
        var logs = new LogCapture();
        var logger = logs.CreateLogger("Cairn.Server.Outbox.OutboxDispatcher");

        Cairn.Server.Jobs.Passes.LogFailed(logger, lost!, "Outbox", TimeSpan.FromSeconds(5));
        Cairn.Server.Jobs.Passes.LogFailed(logger, bug!, "Outbox", TimeSpan.FromSeconds(5));

        Assert.Collection(
            logs.Lines,
            warning =>
            {
                Assert.StartsWith("Warning ", warning, StringComparison.Ordinal);
                Assert.Contains("Outbox pass could not reach the database (", warning, StringComparison.Ordinal);
                Assert.DoesNotContain("   at ", warning, StringComparison.Ordinal);
            },
            error =>
            {
                Assert.StartsWith("Error ", error, StringComparison.Ordinal);
                Assert.Contains("Outbox pass failed; retrying in", error, StringComparison.Ordinal);
                Assert.Contains("   at ", error, StringComparison.Ordinal);
            });
    }

    // The tests say which request meets a dead connection first: the background passes (scheduled billing,
    // dunning, the outbox) would race them for the pool, and whichever meets a dead connection first clears it.
    private static void WithoutBackgroundPasses(Microsoft.Extensions.DependencyInjection.IServiceCollection services)
    {
        Type[] passes = [typeof(Cairn.Server.Jobs.ScheduledBilling), typeof(Cairn.Server.Jobs.Dunning), typeof(Cairn.Server.Outbox.OutboxDispatcher)];
        var loops = services.Where(d => d.ServiceType == typeof(Microsoft.Extensions.Hosting.IHostedService) && d.ImplementationFactory?.Method.ReturnType is { } type && passes.Contains(type)).ToList();
        Assert.Equal(passes.Length, loops.Count);
        foreach (var loop in loops)
            services.Remove(loop);
    }

    private static void Fault() => throw new InvalidOperationException("a fault of Cairn's");

    private static async Task<string> AnswerAsync(HttpResponseMessage response) =>
        response.StatusCode == HttpStatusCode.OK ? "200" : $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";

    // Ends every session on this test's database but the caller's own, as a PostgreSQL restart or failover would; returns how many.
    private async Task<long> TerminateAllConnectionsAsync(int except = 0)
    {
        await using var admin = new Npgsql.NpgsqlConnection(engine.Settings.ConnectionString + ";Pooling=false");
        await admin.OpenAsync();
        await using var cut = new Npgsql.NpgsqlCommand("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND pid <> @except", admin);
        cut.Parameters.AddWithValue("except", except);
        return (long)(await cut.ExecuteScalarAsync())!;
    }

    // The sessions of the pools (the revocation listeners' own connections left out).
    private async Task<long> PooledConnectionsAsync()
    {
        await using var admin = new Npgsql.NpgsqlConnection(engine.Settings.ConnectionString + ";Pooling=false");
        await admin.OpenAsync();
        await using var count = new Npgsql.NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name <> @listener", admin);
        count.Parameters.AddWithValue("listener", Cairn.Server.Identity.ApiKeyRevocationListener.ApplicationName);
        return (long)(await count.ExecuteScalarAsync())!;
    }

    private async Task WaitForLockWaitAsync()
    {
        await using var admin = new Npgsql.NpgsqlConnection(engine.Settings.ConnectionString + ";Pooling=false");
        await admin.OpenAsync();
        await using var waiting = new Npgsql.NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'", admin);
        for (var tries = 0; tries < 500 && (long)(await waiting.ExecuteScalarAsync())! == 0; tries++)
            await Task.Delay(10);
    }
}
