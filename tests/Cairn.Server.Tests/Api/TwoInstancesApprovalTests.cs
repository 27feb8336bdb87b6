using System.Collections.Concurrent;
using System.Net;
using Cairn.Domain;
using Cairn.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Tests.Api;

/// <summary>
/// DESIGN.md §4 rule 3 with several app instances on one PostgreSQL database (SQLite is one
/// process by design, so this story is PostgreSQL's only).
/// </summary>
public sealed class PostgresTwoInstancesApproval(PostgresEngine engine) : IClassFixture<PostgresEngine>, IAsyncLifetime
{
    private CairnApp _first = null!;
    private CairnApp _second = null!;

    public Task InitializeAsync()
    {
        _first = new CairnApp(engine);
        _second = new CairnApp(engine);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _first.DisposeAsync();
        await _second.DisposeAsync();
    }

    [Fact]
    public async Task A_thousand_approvals_spread_over_two_instances_are_numbered_1_to_1000_without_gap_or_duplicate()
    {
        var owner = await _first.NewOrganizationAsync();
        var apis = new[] { owner, new ApiClient(_second.CreateClient(), owner.Key, owner.OrganizationId) };
        var milestones = await SubmittedMilestonesAsync(owner.OrganizationId, contracts: 10, perContract: 100);
        var queue = new ConcurrentQueue<Guid>(milestones);
        var failures = new ConcurrentBag<string>();

        var workers = Enumerable.Range(0, 16).Select(worker => Task.Run(async () =>
        {
            var turn = worker;
            while (queue.TryDequeue(out var id))
            {
                var response = await apis[turn++ % 2].PostAsync($"/api/v1/milestones/{id}/approve", new { });
                if (response.StatusCode != HttpStatusCode.OK)
                    failures.Add($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            }
        }));
        await Task.WhenAll(workers);

        Assert.Empty(failures);
        await using var db = engine.NewDb(owner.OrganizationId);
        var sequences = await db.Invoices.Select(i => i.Sequence!.Value).OrderBy(s => s).ToListAsync();
        Assert.Equal(Enumerable.Range(1, 1000).Select(i => (long)i), sequences);
        Assert.Equal(1000, await db.Invoices.Select(i => i.Number).Distinct().CountAsync());
        Assert.Equal(1000, await db.Invoices.Select(i => i.MilestoneId).Distinct().CountAsync());
        Assert.Equal(10, await db.Contracts.CountAsync(c => c.Status == ContractStatus.Completed));
    }

    /// <summary>Active contracts whose milestones are all submitted for approval, written straight through the domain for speed.</summary>
    private async Task<List<Guid>> SubmittedMilestonesAsync(Guid organizationId, int contracts, int perContract)
    {
        await using var db = engine.NewDb(organizationId);
        var client = new Client(Guid.CreateVersion7(), organizationId, "Globex", Seed.Now);
        db.Clients.Add(client);
        var pm = new Actor(ActorKind.User, "pm", "PM");
        var ids = new List<Guid>();
        for (var c = 0; c < contracts; c++)
        {
            var contract = new Contract(Guid.CreateVersion7(), organizationId, client.Id, $"Retainer {c + 1}", new Money(10_000L * perContract, Currency.EUR), Percentage.FromBasisPoints(2000), 30, Seed.Now);
            for (var i = 0; i < perContract; i++)
                contract.AddMilestone(Guid.CreateVersion7(), new MilestoneTerms($"Sprint {i + 1}", "Work", "Accepted", null, new Money(10_000, Currency.EUR), null));
            contract.Activate(Seed.Now);
            foreach (var milestone in contract.Milestones)
            {
                milestone.Start(pm, Seed.Now);
                milestone.Submit("Delivered", ["https://files.example.test/sprint"], pm, Seed.Now);
                ids.Add(milestone.Id);
            }

            db.Contracts.Add(contract);
        }

        await db.SaveChangesAsync();

        // Interleave the contracts, so both instances work on the same contracts at the same time.
        return ids.Select((id, i) => (id, i)).OrderBy(x => x.i % perContract).ThenBy(x => x.i).Select(x => x.id).ToList();
    }
}
