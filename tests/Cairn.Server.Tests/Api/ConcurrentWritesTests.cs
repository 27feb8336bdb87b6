using System.Collections.Concurrent;
using System.Net;
using Cairn.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Tests.Api;

/// <summary>
/// Many clients writing at once (issue 16): every approval and payment succeeds, invoice numbers stay
/// gap-free and the money balances. On SQLite the writers queue in the server (one at a time per
/// file, <c>SqliteWriteGate</c>) instead of sleeping in SQLite's busy handler; a place in that queue
/// that was not given back would stall every later write for the 30 s busy timeout and answer 503.
/// How fast they take turns is measured by <c>bench/run.sh</c> section 2, not asserted here: on a
/// shared machine absolute latencies move with the load.
/// </summary>
public abstract class ConcurrentWritesTests<TEngine>(TEngine engine) : IClassFixture<TEngine>, IAsyncLifetime
    where TEngine : Engine
{
    private CairnApp _app = null!;

    public Task InitializeAsync()
    {
        _app = new CairnApp(engine);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    protected CairnApp App => _app;

    [Fact]
    public async Task Sixteen_clients_approving_and_paying_at_once_all_succeed_with_gap_free_numbers()
    {
        var books = await Books.OpenAsync(_app);
        var client = await books.ClientAsync();
        var milestones = new List<Guid>();
        for (var c = 0; c < 8; c++)
        {
            var contract = await books.ContractAsync(client.Id, 10_000, 10_000, 10_000, 10_000, 10_000, 10_000);
            foreach (var milestone in contract.Milestones)
            {
                await books.SubmitAsync(milestone);
                milestones.Add(milestone.Id);
            }
        }

        var work = new ConcurrentQueue<Func<Task<HttpResponseMessage>>>(milestones.SelectMany(id => new Func<Task<HttpResponseMessage>>[]
        {
            () => books.Owner.PostAsync($"/api/v1/milestones/{id}/approve", new { }),
            () => books.Owner.PostAsync("/api/v1/payments", new { clientId = client.Id, amount = CreditNotesApiTests<TEngine>.Eur("50.00"), receivedOn = "2026-11-03", method = "card" }),
        }));
        var failures = new ConcurrentBag<string>();
        await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            while (work.TryDequeue(out var request))
            {
                var response = await request();
                if (response.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.Created))
                    failures.Add($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            }
        })));

        Assert.Empty(failures);
        await using (var db = books.Db())
        {
            Assert.Equal(Enumerable.Range(1, milestones.Count).Select(n => (long)n), await db.Invoices.Select(i => i.Sequence!.Value).OrderBy(s => s).ToListAsync());
            Assert.Equal(milestones.Count, await db.Invoices.Select(i => i.MilestoneId).Distinct().CountAsync());
            Assert.Equal(milestones.Count, await db.Payments.CountAsync());
        }

        await books.AssertMoneyBalancesAsync();
    }
}

public sealed class SqliteConcurrentWrites(SqliteEngine engine) : ConcurrentWritesTests<SqliteEngine>(engine)
{
    // The server's queue is per process; the file lock still guards against another process (the cairn CLI).
    [Fact]
    public async Task Approvals_meeting_another_process_holding_the_file_wait_for_it_and_all_bill()
    {
        var books = await Books.OpenAsync(App);
        var client = await books.ClientAsync();
        var contract = await books.ContractAsync(client.Id, 10_000, 10_000, 10_000, 10_000, 10_000, 10_000, 10_000, 10_000);
        foreach (var milestone in contract.Milestones)
            await books.SubmitAsync(milestone);

        Task<HttpResponseMessage[]> approvals;
        await using (var other = await App.Engine.Settings.OpenConnectionAsync())
        {
            await using (var begin = other.CreateCommand())
            {
                begin.CommandText = "BEGIN IMMEDIATE";
                await begin.ExecuteNonQueryAsync();
            }

            approvals = Task.WhenAll(contract.Milestones.Select(m => Task.Run(() => books.Owner.PostAsync($"/api/v1/milestones/{m.Id}/approve", new { }))));
            await Task.Delay(TimeSpan.FromSeconds(1));
            Assert.False(approvals.IsCompleted);
            await using var commit = other.CreateCommand();
            commit.CommandText = "COMMIT";
            await commit.ExecuteNonQueryAsync();
        }

        Assert.All(await approvals, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        await using var db = books.Db();
        Assert.Equal(Enumerable.Range(1, 8).Select(n => (long)n), await db.Invoices.Select(i => i.Sequence!.Value).OrderBy(s => s).ToListAsync());
    }
}

public sealed class PostgresConcurrentWrites(PostgresEngine engine) : ConcurrentWritesTests<PostgresEngine>(engine);
