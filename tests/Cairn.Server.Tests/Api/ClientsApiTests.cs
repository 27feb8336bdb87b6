using Cairn.Server.Identity;
using Cairn.Server.Tests.Infrastructure;

namespace Cairn.Server.Tests.Api;

/// <summary>The API conventions, shown on clients: auth, roles, problems, ETags, idempotency, tenancy.</summary>
public abstract class ClientsApiTests<TEngine>(TEngine engine) : IClassFixture<TEngine>, IAsyncLifetime
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
    public async Task A_client_created_over_the_api_reads_back_with_its_etag()
    {
        var api = await _app.NewOrganizationAsync();

        var created = await api.PostAsync("/api/v1/clients", new { name = "Globex", email = "ap@globex.test", address = "2 Main St" });
        var body = await Json.OkAsync(created);

        Assert.Equal(System.Net.HttpStatusCode.Created, created.StatusCode);
        Assert.Equal($"/api/v1/clients/{body.Str("id")}", created.Headers.Location?.ToString());
        var read = await api.GetAsync($"/api/v1/clients/{body.Str("id")}");
        Assert.Equal("Globex", (await Json.OkAsync(read)).Str("name"));
        Assert.Equal("W/\"1\"", read.Headers.ETag?.ToString());
    }

    [Fact]
    public async Task A_client_reads_in_english_until_given_a_language_and_a_language_cairn_lacks_is_refused()
    {
        var api = await _app.NewOrganizationAsync();

        var english = await Json.OkAsync(await api.PostAsync("/api/v1/clients", new { name = "Globex" }));
        var german = await Json.OkAsync(await api.PostAsync("/api/v1/clients", new { name = "Müller GmbH", language = "de" }));
        await Json.ProblemAsync(await api.PostAsync("/api/v1/clients", new { name = "Roma Srl", language = "it" }), 400, "invalid_value", "language");
        var french = await Json.OkAsync(await api.PatchAsync($"/api/v1/clients/{english.Str("id")}", new { language = "fr" }));

        Assert.Equal("en", english.Str("language"));
        Assert.Equal("de", (await api.GetOkAsync($"/api/v1/clients/{german.Str("id")}")).Str("language"));
        Assert.Equal("fr", french.Str("language"));
        Assert.Equal(2, (await api.GetOkAsync("/api/v1/clients"))["data"]!.AsArray().Count);
    }

    [Fact]
    public async Task Without_a_key_the_api_answers_401_and_with_a_revoked_or_forged_key_too()
    {
        var anonymous = new ApiClient(_app.CreateClient(), null, Guid.Empty);
        var forged = new ApiClient(_app.CreateClient(), "cairn_forgedforgedforgedforgedforgedforged", Guid.Empty);

        await Json.ProblemAsync(await anonymous.GetAsync("/api/v1/clients"), 401, "unauthenticated");
        await Json.ProblemAsync(await forged.PostAsync("/api/v1/clients", new { name = "X" }), 401, "unauthenticated");
    }

    [Fact]
    public async Task A_viewer_may_read_but_not_create()
    {
        var owner = await _app.NewOrganizationAsync();
        var viewer = await _app.WithRoleAsync(owner, Role.Viewer);

        await Json.OkAsync(await viewer.GetAsync("/api/v1/clients"));
        await Json.ProblemAsync(await viewer.PostAsync("/api/v1/clients", new { name = "Globex" }), 403, "forbidden");
        Assert.Empty((await owner.GetOkAsync("/api/v1/clients"))["data"]!.AsArray());
    }

    [Fact]
    public async Task Bad_input_gets_a_problem_naming_the_field_and_changes_nothing()
    {
        var api = await _app.NewOrganizationAsync();

        await Json.ProblemAsync(await api.PostAsync("/api/v1/clients", new { name = "" }), 400, "required", "name");
        await Json.ProblemAsync(await api.PostAsync("/api/v1/clients", new { name = "Globex", email = "not-an-email" }), 400, "invalid_email", "email");
        await Json.ProblemAsync(await api.PostAsync("/api/v1/clients", "{\"name\": 42}"), 400, "malformed_json", "name");
        await Json.ProblemAsync(await api.PostAsync("/api/v1/clients", "{\"name\": \"Glo"), 400, "malformed_json");

        Assert.Empty((await api.GetOkAsync("/api/v1/clients"))["data"]!.AsArray());
    }

    [Fact]
    public async Task A_post_replayed_with_its_idempotency_key_has_its_effect_once_and_the_same_answer()
    {
        var api = await _app.NewOrganizationAsync();
        var key = Guid.NewGuid().ToString();

        var first = await api.PostAsync("/api/v1/clients", new { name = "Globex" }, key);
        var second = await api.PostAsync("/api/v1/clients", new { name = "Globex" }, key);
        var changed = await api.PostAsync("/api/v1/clients", new { name = "Initech" }, key);

        Assert.Equal(System.Net.HttpStatusCode.Created, second.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        await Json.ProblemAsync(changed, 422, "idempotency_key_reused", "Idempotency-Key");
        Assert.Single((await api.GetOkAsync("/api/v1/clients"))["data"]!.AsArray());
    }

    [Fact]
    public async Task A_viewer_replaying_the_owners_idempotency_key_is_refused_403_instead_of_getting_the_owners_answer()
    {
        var owner = await _app.NewOrganizationAsync();
        var viewer = await _app.WithRoleAsync(owner, Role.Viewer);
        var body = new { name = "Initech" };
        var created = await owner.PostAsync("/api/v1/clients", body, "create-initech");
        Assert.Equal(System.Net.HttpStatusCode.Created, created.StatusCode);

        var replayed = await viewer.PostAsync("/api/v1/clients", body, "create-initech");

        await Json.ProblemAsync(replayed, 403, "forbidden");
        Assert.False(replayed.Headers.Contains("Idempotent-Replayed"));
    }

    [Fact]
    public async Task Another_caller_with_the_same_key_makes_its_own_request_and_each_caller_gets_its_own_answer_replayed()
    {
        var owner = await _app.NewOrganizationAsync();
        var integrator = await _app.WithRoleAsync(owner, Role.Owner);
        var body = new { name = "Initech" };

        var first = await Json.OkAsync(await owner.PostAsync("/api/v1/clients", body, "create-initech"));
        var second = await Json.OkAsync(await integrator.PostAsync("/api/v1/clients", body, "create-initech"));
        var ownerAgain = await owner.PostAsync("/api/v1/clients", body, "create-initech");
        var integratorAgain = await integrator.PostAsync("/api/v1/clients", body, "create-initech");

        Assert.NotEqual(first.Str("id"), second.Str("id"));
        Assert.Equal(first.Str("id"), (await Json.OkAsync(ownerAgain)).Str("id"));
        Assert.Equal(second.Str("id"), (await Json.OkAsync(integratorAgain)).Str("id"));
        Assert.True(ownerAgain.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(2, (await owner.GetOkAsync("/api/v1/clients"))["data"]!.AsArray().Count);
    }

    [Fact]
    public async Task A_stale_if_match_is_refused_with_412()
    {
        var api = await _app.NewOrganizationAsync();
        var id = (await api.PostOkAsync("/api/v1/clients", new { name = "Globex" })).Str("id");

        await Json.OkAsync(await api.PatchAsync($"/api/v1/clients/{id}", new { address = "3 Side St" }, "W/\"1\""));
        await Json.ProblemAsync(await api.PatchAsync($"/api/v1/clients/{id}", new { address = "4 Other St" }, "W/\"1\""), 412, "stale_version");

        Assert.Equal("3 Side St", (await api.GetOkAsync($"/api/v1/clients/{id}")).Str("address"));
    }

    [Fact]
    public async Task Another_organization_cannot_see_or_change_a_client()
    {
        var acme = await _app.NewOrganizationAsync("Acme");
        var other = await _app.NewOrganizationAsync("Other");
        var id = (await acme.PostOkAsync("/api/v1/clients", new { name = "Globex" })).Str("id");

        await Json.ProblemAsync(await other.GetAsync($"/api/v1/clients/{id}"), 404, "not_found");
        await Json.ProblemAsync(await other.PatchAsync($"/api/v1/clients/{id}", new { name = "Hacked" }), 404, "not_found");
        await Json.ProblemAsync(await other.PostAsync($"/api/v1/clients/{id}/contacts", new { name = "Eve", email = "eve@x.test" }), 404, "not_found");
        Assert.Empty((await other.GetOkAsync("/api/v1/clients"))["data"]!.AsArray());
    }
}

public sealed class SqliteClientsApi(SqliteEngine engine) : ClientsApiTests<SqliteEngine>(engine);

public sealed class PostgresClientsApi(PostgresEngine engine) : ClientsApiTests<PostgresEngine>(engine);
