using System.Net;
using Cairn.Server.Api;
using Cairn.Server.Identity;
using Cairn.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Server.Tests.Identity;

/// <summary>docs/permissions.md shows exactly the table in code.</summary>
public sealed class PermissionsDocTests
{
    private static readonly string[] Columns = ["Owner", "Finance", "Project manager", "Viewer"];

    [Fact]
    public void Every_cell_of_the_documented_table_matches_the_code()
    {
        var rows = File.ReadAllLines(Path.Combine(Repository.Root, "docs", "permissions.md"))
            .Where(l => l.StartsWith("| `", StringComparison.Ordinal))
            .Select(l => l.Trim('|').Split('|').Select(c => c.Trim()).ToArray())
            .ToList();
        var header = File.ReadAllLines(Path.Combine(Repository.Root, "docs", "permissions.md")).First(l => l.StartsWith("| Permission", StringComparison.Ordinal));
        Assert.Equal(["Permission", "What it allows", .. Columns], header.Trim('|').Split('|').Select(c => c.Trim()));
        Assert.Equal(Enum.GetValues<Permission>().Select(p => $"`{p}`"), rows.Select(r => r[0]));

        foreach (var row in rows)
        {
            var permission = Enum.Parse<Permission>(row[0].Trim('`'));
            var roles = new[] { Role.Owner, Role.Finance, Role.ProjectManager, Role.Viewer };
            for (var i = 0; i < roles.Length; i++)
                Assert.True(row[2 + i] == (Permissions.Allows(roles[i], permission) ? "yes" : "no"), $"docs/permissions.md says {row[2 + i]} for {roles[i]} × {permission}");
        }
    }
}

/// <summary>Every route of the API, called with every role: 403 exactly where the role lacks the route's permission.</summary>
public abstract class RoleMatrixTests<TEngine>(TEngine engine) : IClassFixture<TEngine>, IAsyncLifetime
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
    public async Task Each_role_is_forbidden_exactly_the_routes_its_permissions_do_not_cover()
    {
        var owner = await _app.NewOrganizationAsync();
        var routes = _app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/v1", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []).Select(m => (Method: m, Endpoint: e)))
            .ToList();
        Assert.NotEmpty(routes);

        foreach (var role in Enum.GetValues<Role>())
        {
            var api = await _app.WithRoleAsync(owner, role);
            foreach (var (method, endpoint) in routes)
            {
                var permission = endpoint.Metadata.GetMetadata<RequiredPermission>();
                Assert.True(permission is not null, $"{method} {endpoint.RoutePattern.RawText} has no .Requires(permission)");
                var path = string.Join("/", endpoint.RoutePattern.PathSegments.Select(s => s.IsSimple && s.Parts[0] is Microsoft.AspNetCore.Routing.Patterns.RoutePatternLiteralPart literal ? literal.Content : Guid.NewGuid().ToString()));
                var answer = await api.SendAsync(new HttpMethod(method), "/" + path, method is "GET" or "DELETE" ? null : "{}");
                var forbidden = answer.StatusCode == HttpStatusCode.Forbidden;
                Assert.True(forbidden == !Permissions.Allows(role, permission.Permission), $"{role} {method} /{path}: {(int)answer.StatusCode}");
                Assert.NotEqual(HttpStatusCode.Unauthorized, answer.StatusCode);
                Assert.NotEqual(HttpStatusCode.InternalServerError, answer.StatusCode);
            }
        }
    }
}

public sealed class SqliteRoleMatrix(SqliteEngine engine) : RoleMatrixTests<SqliteEngine>(engine);

public sealed class PostgresRoleMatrix(PostgresEngine engine) : RoleMatrixTests<PostgresEngine>(engine);
