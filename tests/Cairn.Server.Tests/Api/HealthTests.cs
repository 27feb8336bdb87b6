using System.Net;
using System.Text.Json.Nodes;
using Cairn.Server.Tests.Infrastructure;

namespace Cairn.Server.Tests.Api;

/// <summary>The probes an operator (and the benchmarks) point at: readiness with the database, liveness without it.</summary>
public abstract class HealthTests<TEngine>(TEngine engine) : IClassFixture<TEngine>, IAsyncLifetime
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
    public async Task Healthz_names_the_engine_and_schema_and_livez_answers_without_signing_in()
    {
        using var http = _app.CreateClient();

        var health = await http.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        var body = JsonNode.Parse(await health.Content.ReadAsStringAsync())!;
        Assert.Equal("ok", body["status"]!.GetValue<string>());
        Assert.Equal(engine.Settings.Engine, body["database"]!.GetValue<string>());
        Assert.True(body["schemaVersion"]!.GetValue<int>() > 0);
        Assert.Null(body["replica"]);

        var live = await http.GetAsync("/livez");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal("ok", await live.Content.ReadAsStringAsync());
    }
}

public sealed class SqliteHealth(SqliteEngine engine) : HealthTests<SqliteEngine>(engine);

public sealed class PostgresHealth(PostgresEngine engine) : HealthTests<PostgresEngine>(engine);
