using System.Net;
using Cairn.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Server.Tests.Api;

/// <summary>
/// Issue 10, fault 11: every GET route also answers HEAD, and every PATCH route honours If-Match
/// (a stale ETag is refused with 412 and changes nothing; the current one is accepted).
/// </summary>
public abstract class ConditionalRequestsTests<TEngine>(TEngine engine) : IClassFixture<TEngine>, IAsyncLifetime
    where TEngine : Engine
{
    private const string Stale = "W/\"999\"";
    private CairnApp _app = null!;

    public Task InitializeAsync()
    {
        // Webhook endpoints on loopback (a closed port: nothing is ever delivered outside the machine).
        _app = new CairnApp(engine) { Settings = new Dictionary<string, string?> { ["Cairn:Webhooks:AllowedHosts"] = "127.0.0.1" } };
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Every_GET_route_also_answers_HEAD_with_the_same_status_and_headers()
    {
        var owner = await _app.NewOrganizationAsync();
        var clientId = await Plans.ClientAsync(owner);
        // Not reads: /portal/{token} opens a portal link (records it and signs the contact in), which a
        // HEAD from a mail scanner must not do, so it stays GET only; /docs is the third-party API browser.
        var routes = Routes(HttpMethods.Get).Where(r => r != "/portal/{token}" && !r.StartsWith("/docs", StringComparison.Ordinal)).ToList();
        Assert.Contains("/api/v1/clients", routes);
        Assert.Contains("/api/v1/settings", routes);

        foreach (var route in routes)
        {
            var path = route.Replace("{documentName}", "v1", StringComparison.Ordinal);
            path = System.Text.RegularExpressions.Regex.Replace(path, "\\{[^}]+\\}", clientId);
            using var get = await owner.SendAsync(HttpMethod.Get, path, null);
            using var head = await owner.SendAsync(HttpMethod.Head, path, null);

            Assert.True(get.StatusCode == head.StatusCode, $"HEAD {path}: {(int)head.StatusCode}, GET: {(int)get.StatusCode}");
            Assert.Equal(get.Headers.ETag, head.Headers.ETag);
            Assert.Equal(get.Content.Headers.ContentType?.MediaType, head.Content.Headers.ContentType?.MediaType);
        }

        using var clients = await owner.SendAsync(HttpMethod.Head, "/api/v1/clients", null);
        Assert.Equal(HttpStatusCode.OK, clients.StatusCode);
        using var settings = await owner.SendAsync(HttpMethod.Head, "/api/v1/settings", null);
        Assert.Equal(HttpStatusCode.OK, settings.StatusCode);
        Assert.NotNull(settings.Headers.ETag);
        using var page = await new Browser(_app).Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/signin"));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }

    [Fact]
    public async Task Every_PATCH_route_refuses_a_stale_If_Match_and_accepts_the_current_ETag()
    {
        var owner = await _app.NewOrganizationAsync();
        var contract = await Plans.ContractAsync(owner, templateId: Plans.WebsiteTemplate);
        var template = await owner.PostOkAsync("/api/v1/templates", new { name = "Our plan", copyFrom = Plans.WebsiteTemplate });
        var user = await owner.PostOkAsync("/api/v1/users/invitations", new { email = Staff.Email("viewer"), role = "viewer" });
        var milestone = Plans.MilestoneIds(contract)[0];
        var milestoneComment = await owner.PostOkAsync($"/api/v1/milestones/{milestone}/comments", new { body = "First thoughts" });
        var active = await Plans.ActiveWebsiteContractAsync(owner);
        var changeOrder = await owner.PostOkAsync($"/api/v1/contracts/{active.Str("id")}/change-orders", new { title = "Extra page", items = new[] { new { kind = "add", terms = new { title = "Extra page", amount = new { amount = "100.00", currency = "EUR" } } } } });
        var changeOrderComment = await owner.PostOkAsync($"/api/v1/change-orders/{changeOrder.Str("id")}/comments", new { body = "About the extra page" });
        var webhook = await owner.PostOkAsync("/api/v1/webhook-endpoints", new { url = "http://127.0.0.1:9/hooks", eventTypes = new[] { "invoice.issued" }, description = "ERP" });
        var cases = new Dictionary<string, (string Path, object Body)>(StringComparer.Ordinal)
        {
            ["/api/v1/clients/{id:guid}"] = ($"/api/v1/clients/{contract.Str("clientId")}", new { name = "Globex Ltd" }),
            ["/api/v1/templates/{id:guid}"] = ($"/api/v1/templates/{template.Str("id")}", new { name = "Our plan, revised" }),
            ["/api/v1/users/{id:guid}"] = ($"/api/v1/users/{user.Str("user.id")}", new { displayName = "Vera Viewer" }),
            ["/api/v1/contracts/{id:guid}"] = ($"/api/v1/contracts/{contract.Str("id")}", new { title = "Website, phase one" }),
            ["/api/v1/milestones/{id:guid}"] = ($"/api/v1/milestones/{Plans.MilestoneIds(contract)[0]}", new { title = "Discovery workshop" }),
            ["/api/v1/settings"] = ("/api/v1/settings", new { name = "Acme Studio GmbH" }),
            ["/api/v1/milestones/{id:guid}/comments/{commentId:guid}"] = ($"/api/v1/milestones/{milestone}/comments/{milestoneComment.Str("id")}", new { body = "Second thoughts" }),
            ["/api/v1/change-orders/{id:guid}/comments/{commentId:guid}"] = ($"/api/v1/change-orders/{changeOrder.Str("id")}/comments/{changeOrderComment.Str("id")}", new { body = "About the extra page, again" }),
            ["/api/v1/webhook-endpoints/{id:guid}"] = ($"/api/v1/webhook-endpoints/{webhook.Str("endpoint.id")}", new { description = "ERP, production" }),
        };
        Assert.Equal(cases.Keys.Order(StringComparer.Ordinal), Routes(HttpMethods.Patch).Order(StringComparer.Ordinal));

        foreach (var (route, (path, body)) in cases)
        {
            using var read = await owner.GetAsync(path);
            var etag = read.Headers.ETag?.ToString();
            Assert.True(etag is not null, $"GET {path} sends no ETag");
            var before = await read.Content.ReadAsStringAsync();

            await Json.ProblemAsync(await owner.PatchAsync(path, body, Stale), 412, "stale_version", "If-Match");
            using var unchanged = await owner.GetAsync(path);
            Assert.True(before == await unchanged.Content.ReadAsStringAsync(), $"PATCH {route} with a stale If-Match changed the resource");

            using var changed = await owner.PatchAsync(path, body, etag);
            Assert.True(changed.StatusCode == HttpStatusCode.OK, $"PATCH {route} with the current ETag: {(int)changed.StatusCode} {await changed.Content.ReadAsStringAsync()}");
            Assert.NotEqual(etag, changed.Headers.ETag?.ToString());
            await Json.ProblemAsync(await owner.PatchAsync(path, body, etag), 412, "stale_version", "If-Match");
        }
    }

    private List<string> Routes(string method) =>
        _app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.Contains(method) == true && e.RoutePattern.RawText is not null)
            .Select(e => "/" + e.RoutePattern.RawText!.Trim('/'))
            .Where(r => method != HttpMethods.Patch || r.StartsWith("/api/v1", StringComparison.Ordinal))
            .Distinct()
            .ToList();
}

public sealed class SqliteConditionalRequests(SqliteEngine engine) : ConditionalRequestsTests<SqliteEngine>(engine);

public sealed class PostgresConditionalRequests(PostgresEngine engine) : ConditionalRequestsTests<PostgresEngine>(engine);
