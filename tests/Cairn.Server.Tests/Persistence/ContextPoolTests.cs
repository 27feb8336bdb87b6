using Cairn.Server.Data;
using Cairn.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Server.Tests.Persistence;

/// <summary>
/// Issue 16: the server's contexts come from a pool. A context handed back by one organization's
/// request and rented by the next unit of work must not remember that organization: it sees no
/// rows until told its tenant, and still runs without savepoints.
/// </summary>
public abstract class ContextPoolTests<TEngine>(TEngine engine) : IClassFixture<TEngine>, IAsyncLifetime
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
    public async Task A_pooled_context_forgets_the_organization_of_its_last_unit_of_work()
    {
        var owner = await _app.NewOrganizationAsync();
        await Plans.ClientAsync(owner, "Globex");

        CairnDb first;
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            first = scope.ServiceProvider.GetRequiredService<CairnDb>();
            first.TenantId = owner.OrganizationId;
            Assert.Equal(["Globex"], await first.Clients.Select(c => c.Name).ToListAsync());
        }

        // Rent until the pool hands that context out again (the server's background work rents too),
        // holding every one rented meanwhile: each of them starts with no organization.
        var scopes = new List<AsyncServiceScope>();
        try
        {
            CairnDb? again = null;
            while (again is null && scopes.Count < 200)
            {
                scopes.Add(_app.Services.CreateAsyncScope());
                var next = scopes[^1].ServiceProvider.GetRequiredService<CairnDb>();
                Assert.Equal(Guid.Empty, next.TenantId);
                Assert.False(next.Database.AutoSavepointsEnabled);
                if (ReferenceEquals(next, first))
                    again = next;
            }

            Assert.NotNull(again);
            Assert.Empty(await again.Clients.ToListAsync());
            Assert.Empty(again.ChangeTracker.Entries());
        }
        finally
        {
            foreach (var scope in scopes)
                await scope.DisposeAsync();
        }
    }
}

public sealed class SqliteContextPool(SqliteEngine engine) : ContextPoolTests<SqliteEngine>(engine);

public sealed class PostgresContextPool(PostgresEngine engine) : ContextPoolTests<PostgresEngine>(engine);
