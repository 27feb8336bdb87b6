using System.Diagnostics;
using Cairn.Server.Identity;
using Microsoft.Extensions.DependencyInjection;
using Cairn.Server.Tests.Infrastructure;

namespace Cairn.Server.Tests.Identity;

/// <summary>API keys: created by an owner, shown once, stored only as a hash, revocable.</summary>
public abstract class ApiKeyTests<TEngine>(TEngine engine) : IClassFixture<TEngine>, IAsyncLifetime
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
    public async Task A_new_key_is_shown_once_works_with_its_role_and_is_refused_once_revoked()
    {
        var owner = await _app.NewOrganizationAsync();

        var created = await Json.OkAsync(await owner.PostAsync("/api/v1/api-keys", new { name = "Accounting sync", role = "finance" }));
        var secret = created.Str("secret");
        var key = new ApiClient(_app.CreateClient(), secret, owner.OrganizationId);

        Assert.StartsWith("cairn_", secret);
        Assert.Equal("finance", created.Str("key.role"));
        var listed = await owner.GetOkAsync("/api/v1/api-keys");
        Assert.DoesNotContain(secret, listed.ToJsonString());
        Assert.Contains(listed["data"]!.AsArray(), k => k!.Str("name") == "Accounting sync" && k!.Str("hint") == secret[..10]);
        await Json.OkAsync(await key.GetAsync("/api/v1/clients"));
        await Json.ProblemAsync(await key.PostAsync("/api/v1/clients", new { name = "Globex" }), 403, "forbidden");

        await Json.OkAsync(await owner.PostAsync($"/api/v1/api-keys/{created.Str("key.id")}/revoke", null));

        await Json.ProblemAsync(await key.GetAsync("/api/v1/clients"), 401, "unauthenticated");
    }

    [Fact]
    public async Task Keys_are_stored_only_as_hashes_and_their_answer_is_never_stored_for_replay()
    {
        var owner = await _app.NewOrganizationAsync();

        var secret = (await Json.OkAsync(await owner.PostAsync("/api/v1/api-keys", new { name = "CI", role = "viewer" }))).Str("secret");

        Assert.False(await DatabaseScan.ContainsAsync(engine, secret));
        Assert.False(await DatabaseScan.ContainsAsync(engine, owner.Key!));
        Assert.True(await DatabaseScan.ContainsAsync(engine, ApiKey.HashOf(secret)));
        await Json.ProblemAsync(await owner.PostAsync("/api/v1/api-keys", new { name = "CI", role = "viewer" }, idempotencyKey: "k1"), 400, "idempotency_key_not_supported", "Idempotency-Key");
    }

    [Fact]
    public async Task Only_owners_manage_keys_and_no_organization_sees_anothers()
    {
        var owner = await _app.NewOrganizationAsync();
        var other = await _app.NewOrganizationAsync("Other");
        var manager = await _app.WithRoleAsync(owner, Role.ProjectManager);
        var id = (await Json.OkAsync(await owner.PostAsync("/api/v1/api-keys", new { name = "CI", role = "viewer" }))).Str("key.id");

        await Json.ProblemAsync(await manager.GetAsync("/api/v1/api-keys"), 403, "forbidden");
        await Json.ProblemAsync(await manager.PostAsync("/api/v1/api-keys", new { name = "Mine", role = "owner" }), 403, "forbidden");
        await Json.ProblemAsync(await other.PostAsync($"/api/v1/api-keys/{id}/revoke", null), 404, "not_found");
        await Json.ProblemAsync(await owner.PostAsync("/api/v1/api-keys", new { name = "", role = "viewer" }), 400, "required", "name");
        await Json.ProblemAsync(await owner.PostAsync("/api/v1/api-keys", new { name = "X", role = "3" }), 400, "invalid_role", "role");
        Assert.Single((await other.GetOkAsync("/api/v1/api-keys"))["data"]!.AsArray());
    }
}

public sealed class SqliteApiKeys(SqliteEngine engine) : ApiKeyTests<SqliteEngine>(engine);

public sealed class PostgresApiKeys(PostgresEngine engine) : ApiKeyTests<PostgresEngine>(engine);

/// <summary>
/// Issue 16: each instance keeps the keys it authenticated in memory. By default every instance listens
/// for revocations (PostgreSQL LISTEN/NOTIFY) and a known key costs it no round trip; with
/// <c>Cairn:ApiKeyRevocationListen=false</c> it reads the revocation version per request instead and obeys a
/// revocation on any instance from its commit on (PostgreSQL, the engine of several instances).
/// </summary>
public sealed class PostgresApiKeysOnTwoInstances(PostgresEngine engine) : IClassFixture<PostgresEngine>, IAsyncLifetime
{
    private static readonly Dictionary<string, string?> NotListening = new() { ["Cairn:ApiKeyRevocationListen"] = "false" };
    private CairnApp _first = null!;
    private CairnApp _second = null!;

    public Task InitializeAsync()
    {
        _first = new CairnApp(engine) { Settings = NotListening };
        _second = new CairnApp(engine) { Settings = NotListening };
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _first.DisposeAsync();
        await _second.DisposeAsync();
    }

    [Fact]
    public async Task Not_listening_a_key_revoked_on_one_instance_is_refused_by_the_other_at_once_though_it_knew_the_key()
    {
        var owner = await _first.NewOrganizationAsync();
        var created = await Json.OkAsync(await owner.PostAsync("/api/v1/api-keys", new { name = "Accounting sync", role = "finance" }));
        var onFirst = new ApiClient(_first.CreateClient(), created.Str("secret"), owner.OrganizationId);
        var onSecond = new ApiClient(_second.CreateClient(), created.Str("secret"), owner.OrganizationId);
        var untouched = new ApiClient(_second.CreateClient(), owner.Key, owner.OrganizationId);
        await Json.OkAsync(await onFirst.GetAsync("/api/v1/clients"));
        await Json.OkAsync(await onSecond.GetAsync("/api/v1/clients"));
        await Json.OkAsync(await untouched.GetAsync("/api/v1/clients"));

        await Json.OkAsync(await owner.PostAsync($"/api/v1/api-keys/{created.Str("key.id")}/revoke", null));

        await Json.ProblemAsync(await onSecond.GetAsync("/api/v1/clients"), 401, "unauthenticated");
        await Json.ProblemAsync(await onFirst.GetAsync("/api/v1/clients"), 401, "unauthenticated");
        await Json.OkAsync(await untouched.GetAsync("/api/v1/clients"));
    }

    /// <summary>
    /// <c>Cairn:ApiKeyRevocationCheckMilliseconds</c>: each instance reads the revocation version at most
    /// once per bound, so a known key costs no round trip, and a revoked key is refused everywhere once the bound has passed.
    /// </summary>
    [Fact]
    public async Task With_a_revocation_check_bound_a_revoked_key_is_refused_by_every_instance_once_the_bound_has_passed()
    {
        var bound = new Dictionary<string, string?> { ["Cairn:ApiKeyRevocationCheckMilliseconds"] = "1000", ["Cairn:ApiKeyRevocationListen"] = "false" };
        await using var first = new CairnApp(engine) { Settings = bound };
        await using var second = new CairnApp(engine) { Settings = bound };
        var owner = await first.NewOrganizationAsync();
        var created = await Json.OkAsync(await owner.PostAsync("/api/v1/api-keys", new { name = "Accounting sync", role = "finance" }));
        var onSecond = new ApiClient(second.CreateClient(), created.Str("secret"), owner.OrganizationId);
        await Json.OkAsync(await onSecond.GetAsync("/api/v1/clients"));

        await Json.OkAsync(await owner.PostAsync($"/api/v1/api-keys/{created.Str("key.id")}/revoke", null));

        // Within the bound the second instance still relies on the version it read: the documented staleness.
        await Json.OkAsync(await onSecond.GetAsync("/api/v1/clients"));
        second.Clock.Advance(TimeSpan.FromMilliseconds(999));
        await Json.OkAsync(await onSecond.GetAsync("/api/v1/clients"));
        second.Clock.Advance(TimeSpan.FromMilliseconds(1));
        await Json.ProblemAsync(await onSecond.GetAsync("/api/v1/clients"), 401, "unauthenticated");
        var onFirst = new ApiClient(first.CreateClient(), created.Str("secret"), owner.OrganizationId);
        await Json.ProblemAsync(await onFirst.GetAsync("/api/v1/clients"), 401, "unauthenticated");
    }

    [Fact]
    public async Task Listening_a_key_revoked_on_one_instance_is_refused_there_at_once_and_by_the_other_when_the_notification_arrives()
    {
        await using var first = new CairnApp(engine);
        await using var second = new CairnApp(engine);
        var owner = await first.NewOrganizationAsync();
        await first.ListeningForRevocationsAsync();
        await second.ListeningForRevocationsAsync();
        var created = await Json.OkAsync(await owner.PostAsync("/api/v1/api-keys", new { name = "Accounting sync", role = "finance" }));
        var onFirst = new ApiClient(first.CreateClient(), created.Str("secret"), owner.OrganizationId);
        var onSecond = new ApiClient(second.CreateClient(), created.Str("secret"), owner.OrganizationId);
        var untouched = new ApiClient(second.CreateClient(), owner.Key, owner.OrganizationId);
        await Json.OkAsync(await onFirst.GetAsync("/api/v1/clients"));
        await Json.OkAsync(await onSecond.GetAsync("/api/v1/clients"));

        await Json.OkAsync(await owner.PostAsync($"/api/v1/api-keys/{created.Str("key.id")}/revoke", null));

        await Json.ProblemAsync(await onFirst.GetAsync("/api/v1/clients"), 401, "unauthenticated");
        var heardWithin = await RefusedWithinAsync(onSecond, TimeSpan.FromSeconds(5));
        Assert.True(heardWithin < TimeSpan.FromSeconds(5), "the second instance still accepted the revoked key 5 s after the revocation committed");
        await Json.OkAsync(await untouched.GetAsync("/api/v1/clients"));
        Assert.True(second.Services.GetRequiredService<ApiKeyCache>().IsListening);
    }

    [Fact]
    public async Task When_its_listening_connection_is_cut_an_instance_checks_every_request_until_it_listens_again()
    {
        await using var first = new CairnApp(engine);
        await using var second = new CairnApp(engine);
        var owner = await first.NewOrganizationAsync();
        await first.ListeningForRevocationsAsync();
        await second.ListeningForRevocationsAsync();
        var keys = second.Services.GetRequiredService<ApiKeyCache>();
        var created = await Json.OkAsync(await owner.PostAsync("/api/v1/api-keys", new { name = "Accounting sync", role = "finance" }));
        var onSecond = new ApiClient(second.CreateClient(), created.Str("secret"), owner.OrganizationId);
        await Json.OkAsync(await onSecond.GetAsync("/api/v1/clients"));

        // The database ends every listening session (as a restart or a failover would): notifications sent now reach nobody.
        Assert.Equal(2L, await CutListeningConnectionsAsync());

        for (var waited = Stopwatch.StartNew(); keys.IsListening; await Task.Delay(10))
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(5), "the second instance did not notice that its listening connection was cut");
        // Revoked while the second instance cannot hear it: it reads the version, so it refuses the key all the same.
        await Json.OkAsync(await owner.PostAsync($"/api/v1/api-keys/{created.Str("key.id")}/revoke", null));
        await Json.ProblemAsync(await onSecond.GetAsync("/api/v1/clients"), 401, "unauthenticated");

        // It listens again by itself, and hears the next revocation.
        await second.ListeningForRevocationsAsync();
        var another = await Json.OkAsync(await owner.PostAsync("/api/v1/api-keys", new { name = "Reporting", role = "viewer" }));
        var anotherOnSecond = new ApiClient(second.CreateClient(), another.Str("secret"), owner.OrganizationId);
        await Json.OkAsync(await anotherOnSecond.GetAsync("/api/v1/clients"));
        await Json.OkAsync(await owner.PostAsync($"/api/v1/api-keys/{another.Str("key.id")}/revoke", null));
        Assert.True(await RefusedWithinAsync(anotherOnSecond, TimeSpan.FromSeconds(5)) < TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Each_outage_of_the_listening_connection_is_retried_after_the_first_wait_again()
    {
        var logs = new LogCapture();
        await using var app = new CairnApp(engine) { Logs = logs };
        await app.NewOrganizationAsync();
        await app.ListeningForRevocationsAsync();
        var keys = app.Services.GetRequiredService<ApiKeyCache>();

        // Three failovers in a row, each after the listener came back: none waits longer than the first.
        for (var outage = 0; outage < 3; outage++)
        {
            Assert.Equal(1L, await CutListeningConnectionsAsync());

            for (var waited = Stopwatch.StartNew(); keys.IsListening; await Task.Delay(10))
                Assert.True(waited.Elapsed < TimeSpan.FromSeconds(5), "the instance did not notice that its listening connection was cut");
            await app.ListeningForRevocationsAsync();
        }

        var retries = logs.Lines.Where(l => l.StartsWith("Warning Cairn.Server.Identity.ApiKeyRevocationListener", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, retries.Count);
        Assert.All(retries, l => Assert.Contains("trying again in 1 s", l, StringComparison.Ordinal));
    }

    // Ends every listening session on this test's database, as a PostgreSQL restart or failover would; returns how many.
    private async Task<long> CutListeningConnectionsAsync()
    {
        await using var admin = new Npgsql.NpgsqlConnection(engine.Settings.ConnectionString);
        await admin.OpenAsync();
        await using var cut = new Npgsql.NpgsqlCommand("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = @name AND datname = current_database()", admin);
        cut.Parameters.AddWithValue("name", ApiKeyRevocationListener.ApplicationName);
        return (long)(await cut.ExecuteScalarAsync())!;
    }

    // How long until the key is refused; polls every 5 ms, gives up (returning the limit) after it.
    private static async Task<TimeSpan> RefusedWithinAsync(ApiClient api, TimeSpan limit)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < limit)
        {
            var response = await api.GetAsync("/api/v1/clients");
            if (response.StatusCode == System.Net.HttpStatusCode.Unauthorized)
                return waited.Elapsed;
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
            await Task.Delay(5);
        }

        return limit;
    }
}
