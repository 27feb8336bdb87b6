using System.Net;
using Cairn.Server.Tests.Infrastructure;

namespace Cairn.Server.Tests.FirstHour;

/// <summary>Issue 12, stumble 7: an unknown address, /setup after setup and an expired portal link are styled pages with a way on (the API keeps answering problems); Settings shows the roles' permissions itself.</summary>
public abstract class DeadEndTests<TEngine>(TEngine engine) : IClassFixture<TEngine>, IAsyncLifetime
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
    public async Task Unknown_ids_setup_after_setup_and_an_expired_portal_link_show_styled_pages_with_a_way_back()
    {
        var email = Staff.Email("owner");
        var org = await _app.NewStaffOrganizationAsync(email);
        var staff = new Browser(_app);
        await staff.SignInAsync(email, Staff.Password);

        foreach (var path in new[] { $"/contracts/{Guid.NewGuid()}", $"/invoices/{Guid.NewGuid()}", $"/clients/{Guid.NewGuid()}", "/no-such-page" })
        {
            var page = await staff.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, page.Status);
            Assert.Contains("<link rel=\"stylesheet\" href=\"/cairn.css", page.Html);
            Assert.Contains("<h1>Not found</h1>", page.Html);
            Assert.Contains("<a href=\"/\">Dashboard</a>", page.Html);
        }

        // Settings explains the roles in the app, not with a path in the source tree.
        var settings = (await staff.GetAsync("/settings")).Html;
        Assert.DoesNotContain("docs/permissions.md", settings);
        Assert.Contains("<summary>What each role may do</summary>", settings);
        Assert.Matches(@"manage credit notes</th>\s*<td[^>]*>yes</td>\s*<td[^>]*>yes</td>\s*<td[^>]*>—</td>\s*<td[^>]*>—</td>", System.Net.WebUtility.HtmlDecode(settings));

        var setup = await new Browser(_app).GetAsync("/setup");
        Assert.Equal(HttpStatusCode.NotFound, setup.Status);
        Assert.Contains("<h1>Cairn is already set up</h1>", setup.Html);
        Assert.Contains("<a href=\"/signin\">Sign in</a>", setup.Html);

        var clientId = await Plans.ClientAsync(org.Api);
        var contact = (await org.Api.PostOkAsync($"/api/v1/clients/{clientId}/contacts", new { name = "Gina", email = Staff.Email("gina") })).Str("id");
        var link = await org.Api.PostOkAsync($"/api/v1/clients/{clientId}/contacts/{contact}/portal-links", new { expiresInDays = 1, sendEmail = false });
        _app.Clock.Advance(TimeSpan.FromDays(2));
        var expired = await new Browser(_app).GetAsync(new Uri(link.Str("url")).PathAndQuery);
        Assert.Equal(HttpStatusCode.NotFound, expired.Status);
        Assert.Contains("<link rel=\"stylesheet\" href=\"/cairn.css", expired.Html);
        Assert.Contains("<h1>This link is not valid</h1>", expired.Html);
        Assert.Contains("Ask the person who sent it to you for a new link", expired.Html);
        Assert.True(expired.Response.Headers.CacheControl is { NoStore: true }, $"Cache-Control: {expired.Response.Headers.CacheControl}");
        Assert.DoesNotContain("Dashboard", expired.Html);

        await Json.ProblemAsync(await org.Api.GetAsync($"/api/v1/contracts/{Guid.NewGuid()}"), 404);
        await Json.ProblemAsync(await org.Api.GetAsync("/api/v1/no-such-route"), 404, "no_such_route");
    }

    [Fact]
    public async Task Pages_link_an_icon_that_answers_and_favicon_ico_answers_so_no_page_load_logs_a_404()
    {
        var email = Staff.Email("owner");
        await _app.NewStaffOrganizationAsync(email);
        var anonymous = new Browser(_app);
        var staff = new Browser(_app);
        await staff.SignInAsync(email, Staff.Password);

        foreach (var (browser, path) in new[] { (anonymous, "/signin"), (staff, "/"), (staff, "/no-such-page") })
        {
            var page = await browser.GetAsync(path);
            var icon = System.Text.RegularExpressions.Regex.Match(page.Html, "<link rel=\"icon\" href=\"([^\"]+)\" type=\"([^\"]+)\">");
            Assert.True(icon.Success, $"{path} links an icon");
            var answer = await anonymous.Http.GetAsync(icon.Groups[1].Value);
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            Assert.Equal(icon.Groups[2].Value, answer.Content.Headers.ContentType?.MediaType);
            Assert.Contains("<svg", await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // Browsers that ignore the link still ask for /favicon.ico: a real icon, not a 404.
        var ico = await anonymous.Http.GetAsync("/favicon.ico");
        Assert.Equal(HttpStatusCode.OK, ico.StatusCode);
        Assert.Equal("image/x-icon", ico.Content.Headers.ContentType?.MediaType);
        Assert.Equal(new byte[] { 0, 0, 1, 0 }, (await ico.Content.ReadAsByteArrayAsync())[..4]);
    }
}

public sealed class SqliteDeadEnds(SqliteEngine engine) : DeadEndTests<SqliteEngine>(engine);

public sealed class PostgresDeadEnds(PostgresEngine engine) : DeadEndTests<PostgresEngine>(engine);
