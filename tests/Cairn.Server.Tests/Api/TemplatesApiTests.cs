using System.Net;
using Cairn.Server.Identity;
using Cairn.Server.Tests.Infrastructure;

namespace Cairn.Server.Tests.Api;

/// <summary>Templates: the built-in starters everyone can use and copy, and an organization's own.</summary>
public abstract class TemplatesApiTests<TEngine>(TEngine engine) : IClassFixture<TEngine>, IAsyncLifetime
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
    public async Task Every_organization_sees_the_five_built_in_templates_with_their_percentages()
    {
        var api = await _app.NewOrganizationAsync();

        var templates = (await api.GetOkAsync("/api/v1/templates"))["data"]!.AsArray();

        Assert.Equal(5, templates.Count);
        Assert.All(templates, t => Assert.True((bool)t!["builtIn"]!));
        var website = await api.GetOkAsync($"/api/v1/templates/{Plans.WebsiteTemplate}");
        Assert.Equal("Website 30/40/30", website.Str("name"));
        Assert.Equal(["30", "40", "30"], website["milestones"]!.AsArray().Select(m => m!.Str("percentage")));
        var fixedFee = await api.GetOkAsync($"/api/v1/templates/{Plans.FixedFeeTemplate}");
        Assert.Equal("on_start", fixedFee.Str("milestones.0.trigger"));
    }

    [Fact]
    public async Task An_organization_creates_its_own_template_and_changes_it_with_its_etag()
    {
        var api = await _app.NewOrganizationAsync();

        var created = await api.PostAsync("/api/v1/templates", new
        {
            name = "Retainer thirds",
            description = "Three equal parts",
            milestones = new[]
            {
                new { title = "First", percentage = "33.33" },
                new { title = "Second", percentage = "33.33" },
                new { title = "Third", percentage = "33.34" },
            },
        });
        var body = await Json.OkAsync(created);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.False((bool)body["builtIn"]!);
        Assert.Equal("33.34", body.Str("milestones.2.percentage"));
        var id = body.Str("id");
        var etag = created.Headers.ETag!.ToString();

        var changed = await api.PatchAsync($"/api/v1/templates/{id}", new { name = "Retainer in thirds" }, etag);
        Assert.Equal("Retainer in thirds", (await Json.OkAsync(changed)).Str("name"));
        await Json.ProblemAsync(await api.PatchAsync($"/api/v1/templates/{id}", new { name = "Stale" }, etag), 412, "stale_version");

        var list = (await api.GetOkAsync("/api/v1/templates"))["data"]!.AsArray();
        Assert.Equal(6, list.Count);
        Assert.Equal("Retainer in thirds", list[5]!.Str("name"));
    }

    [Fact]
    public async Task A_built_in_template_is_read_only_but_can_be_copied_and_the_copy_changed()
    {
        var api = await _app.NewOrganizationAsync();

        await Json.ProblemAsync(await api.PatchAsync($"/api/v1/templates/{Plans.WebsiteTemplate}", new { name = "Mine now" }), 409, "built_in_template_read_only");

        var copy = await api.PostOkAsync("/api/v1/templates", new { copyFrom = Plans.WebsiteTemplate });
        Assert.Equal("Website 30/40/30 (copy)", copy.Str("name"));
        Assert.False((bool)copy["builtIn"]!);
        Assert.Equal(["30", "40", "30"], copy["milestones"]!.AsArray().Select(m => m!.Str("percentage")));

        var changed = await api.PatchOkAsync($"/api/v1/templates/{copy.Str("id")}", new
        {
            milestones = new[] { new { title = "Design", percentage = "50" }, new { title = "Launch", percentage = "50" } },
        });
        Assert.Equal(2, changed["milestones"]!.AsArray().Count);
        Assert.Equal("Website 30/40/30", (await api.GetOkAsync($"/api/v1/templates/{Plans.WebsiteTemplate}")).Str("name"));
    }

    [Fact]
    public async Task A_template_whose_percentages_do_not_add_up_to_100_is_refused_naming_the_field()
    {
        var api = await _app.NewOrganizationAsync();

        var problem = await Json.ProblemAsync(
            await api.PostAsync("/api/v1/templates", new { name = "Short", milestones = new[] { new { title = "A", percentage = "30" }, new { title = "B", percentage = "60" } } }),
            400,
            "percentages_do_not_add_up",
            "milestones");
        Assert.Contains("90%", problem.Str("detail"), StringComparison.Ordinal);
        await Json.ProblemAsync(await api.PostAsync("/api/v1/templates", new { name = "Bad", milestones = new[] { new { title = "A", percentage = "100%" } } }), 400, "invalid_percentage", "milestones[0].percentage");
        await Json.ProblemAsync(await api.PostAsync("/api/v1/templates", new { copyFrom = Guid.NewGuid() }), 400, "unknown_template", "copyFrom");
        Assert.Equal(5, (await api.GetOkAsync("/api/v1/templates"))["data"]!.AsArray().Count);
    }

    [Fact]
    public async Task Another_organizations_template_is_not_found_and_a_viewer_cannot_create_one()
    {
        var owner = await _app.NewOrganizationAsync();
        var other = await _app.NewOrganizationAsync("Other Ltd");
        var viewer = await _app.WithRoleAsync(owner, Role.Viewer);
        var own = await owner.PostOkAsync("/api/v1/templates", new { copyFrom = Plans.WebsiteTemplate });

        await Json.ProblemAsync(await other.GetAsync($"/api/v1/templates/{own.Str("id")}"), 404, "not_found");
        await Json.ProblemAsync(await other.PatchAsync($"/api/v1/templates/{own.Str("id")}", new { name = "Taken" }), 404, "not_found");
        Assert.Equal(5, (await other.GetOkAsync("/api/v1/templates"))["data"]!.AsArray().Count);
        await Json.ProblemAsync(await viewer.PostAsync("/api/v1/templates", new { copyFrom = Plans.WebsiteTemplate }), 403, "forbidden");
    }
}

public sealed class SqliteTemplatesApi(SqliteEngine engine) : TemplatesApiTests<SqliteEngine>(engine);

public sealed class PostgresTemplatesApi(PostgresEngine engine) : TemplatesApiTests<PostgresEngine>(engine);
