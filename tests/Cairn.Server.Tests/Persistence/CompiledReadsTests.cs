using Cairn.Server.Data;
using Cairn.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Server.Tests.Persistence;

/// <summary>
/// Issue 16: a read compiled by <see cref="CompiledReads"/> is built once with whichever context asked
/// first, then runs in every other context of the model. Under load another request may be the first
/// to run it (the crash test's concurrent clients found that: every later call failed with "Cannot use
/// multiple context instances within a single query execution").
/// </summary>
public abstract class CompiledReadsTests<TEngine>(TEngine engine) : IClassFixture<TEngine>, IAsyncLifetime
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
    public async Task A_read_built_in_one_context_runs_first_in_another_and_keeps_to_that_contexts_organization()
    {
        var acme = await _app.NewOrganizationAsync();
        var globex = Guid.Parse(await Plans.ClientAsync(acme, "Globex"));
        var other = await _app.NewOrganizationAsync();

        await using var building = _app.Services.CreateAsyncScope();
        await using var running = _app.Services.CreateAsyncScope();
        var builder = building.ServiceProvider.GetRequiredService<CairnDb>();
        var runner = running.ServiceProvider.GetRequiredService<CairnDb>();
        Assert.NotSame(builder, runner);

        // Composed from a queryable built outside the query, as the rules are, and with a subquery
        // on the context inside the projection, as the approve read has (the context's own query root).
        var read = CompiledReads.Compile(builder, static (db, id) =>
        {
            var named = db.Clients.Where(c => c.Name != "");
            return from c in db.Clients where c.Id == id select new { c.Name, Clients = named.Count(), Contacts = db.Contacts.Count(k => k.ClientId == c.Id) };
        });

        runner.TenantId = acme.OrganizationId;
        var seen = await read(runner, globex, CancellationToken.None);
        Assert.Equal("Globex", seen?.Name);
        Assert.Equal(1, seen?.Clients);
        Assert.Equal(0, seen?.Contacts);

        runner.TenantId = other.OrganizationId;
        Assert.Null(await read(runner, globex, CancellationToken.None));
        builder.TenantId = acme.OrganizationId;
        Assert.Equal("Globex", (await read(builder, globex, CancellationToken.None))?.Name);
    }
}

public sealed class SqliteCompiledReads(SqliteEngine engine) : CompiledReadsTests<SqliteEngine>(engine);

public sealed class PostgresCompiledReads(PostgresEngine engine) : CompiledReadsTests<PostgresEngine>(engine);
