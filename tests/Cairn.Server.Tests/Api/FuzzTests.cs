using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Cairn.Domain;
using Cairn.Server.Billing;
using Cairn.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Server.Tests.Api;

/// <summary>
/// Schema-driven fuzzing: every route of the served OpenAPI document receives malformed requests
/// (wrong types, missing fields, huge, negative and over-precise amounts, unknown currencies, bad
/// ids, junk and oversized bodies). No answer may be a 500, every error must be a problem
/// document, and the database must be exactly as before.
/// </summary>
public abstract class FuzzTests<TEngine>(TEngine engine) : IClassFixture<TEngine>, IAsyncLifetime
    where TEngine : Engine
{
    private const int MinimumRequests = 2000;
    private static readonly string[] Tables = ["organizations", "clients", "contacts", "templates", "contracts", "milestones", "milestone_events", "invoices", "invoice_lines", "credit_notes", "payments", "payment_applications", "change_orders", "change_order_items", "disputes", "document_counters", "audit_log", "idempotency_requests", "api_keys"];
    private static readonly string[] Versioned = ["clients", "contracts", "milestones", "templates"];

    private readonly Random _random = new(20261128);
    private CairnApp _app = null!;
    private ApiClient _api = null!;
    private readonly Dictionary<string, string> _realIds = new(StringComparer.Ordinal);

    public async Task InitializeAsync()
    {
        _app = new CairnApp(engine);
        _api = await _app.NewOrganizationAsync();
        await SeedAsync();
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Malformed_requests_to_every_route_get_problems_never_a_500_and_change_nothing()
    {
        var document = await _api.GetOkAsync("/openapi/v1.json");
        var operations = Operations(document).ToList();
        Assert.NotEmpty(operations);
        var before = await FingerprintAsync();
        var failures = new List<string>();
        var sent = 0;

        while (sent < MinimumRequests)
        {
            foreach (var (method, path, schema, bodyRequired) in operations)
            {
                foreach (var request in Mutations(method, path, schema, bodyRequired, document))
                {
                    sent++;
                    using var response = await _api.SendAsync(request.Method, request.Path, request.Body);
                    var text = await response.Content.ReadAsStringAsync();
                    var status = (int)response.StatusCode;
                    if (status >= 500)
                        failures.Add($"{status} on {request}: {text[..Math.Min(300, text.Length)]}");
                    else if (status >= 400 && response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                        failures.Add($"{status} without a problem document on {request}");
                    else if (status < 400 && request.Method != HttpMethod.Get)
                        failures.Add($"{status}: a malformed request was accepted: {request}");
                }
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {sent} requests failed:\n" + string.Join("\n", failures.Take(40)));
        Assert.Equal(before, await FingerprintAsync());
        Assert.True(sent >= MinimumRequests);
    }

    private sealed record Request(HttpMethod Method, string Path, object? Body)
    {
        public override string ToString() => $"{Method} {Path} {Describe(Body)}";

        private static string Describe(object? body) => body switch
        {
            null => "(no body)",
            string s => s.Length > 120 ? s[..120] + $"… ({s.Length} chars)" : s,
            _ => body.ToString() ?? "",
        };
    }

    private IEnumerable<(HttpMethod Method, string Path, JsonNode? BodySchema, bool BodyRequired)> Operations(JsonNode document)
    {
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            if (!path.StartsWith("/api/v1", StringComparison.Ordinal))
                continue;
            foreach (var (method, operation) in item!.AsObject())
            {
                if (method is not ("get" or "post" or "patch" or "put" or "delete"))
                    continue;
                var schema = operation?["requestBody"]?["content"]?["application/json"]?["schema"];
                var bodyRequired = operation?["requestBody"]?["required"]?.GetValue<bool>() ?? false;
                yield return (new HttpMethod(method.ToUpperInvariant()), path, schema, bodyRequired);
            }
        }
    }

    private IEnumerable<Request> Mutations(HttpMethod method, string path, JsonNode? schema, bool bodyRequired, JsonNode document)
    {
        var hasIds = path.Contains('{', StringComparison.Ordinal);

        // Bad ids: unknown, malformed, and (for routes without a body) nothing else is safe to send.
        if (hasIds)
        {
            yield return new Request(method, Fill(path, _ => Guid.NewGuid().ToString()), method == HttpMethod.Get ? null : "{}");
            yield return new Request(method, Fill(path, _ => "not-a-guid"), method == HttpMethod.Get ? null : "{}");
            yield return new Request(method, Fill(path, _ => "00000000-0000-0000-0000-000000000000"), method == HttpMethod.Get ? null : "{}");
        }

        if (method == HttpMethod.Get)
        {
            var target = Fill(path, Real);
            foreach (var query in new[] { "?limit=-1", "?limit=abc", "?limit=100000", "?cursor=%%%", "?cursor=bm90LWEtZ3VpZA==", "?status=bogus", "?clientId=not-a-guid", "?overdue=maybe", "?entity=%00&id=x" })
                yield return new Request(method, target + query, null);
            yield break;
        }

        if (schema is null)
            yield break;
        var real = Fill(path, Real);
        var properties = Properties(schema, document);

        // Whole bodies that are not the object the route wants.
 // A JSON null is a valid "no options" for a route whose body is optional.
        foreach (var junk in new[] { "not json", "[]", bodyRequired ? "null" : "[null]", "\"text\"", "42", "{\"a\":", new string('[', 200) + new string(']', 200), "{\"x\":" + new string('1', 5000) + "}" })
            yield return new Request(method, real, junk);
        yield return new Request(method, real, "{\"pad\":\"" + new string('x', 2 * 1024 * 1024) + "\"}");
        if (!hasIds && method != HttpMethod.Patch)
            yield return new Request(method, real, "{}");

        // One property at a time: the wrong JSON type, a huge string, and bad money.
        foreach (var (name, propertySchema) in properties)
        {
            foreach (var wrong in WrongValues(propertySchema, document))
                yield return new Request(method, real, new JsonObject { [name] = wrong?.DeepClone() }.ToJsonString());
        }
    }

    private IEnumerable<JsonNode?> WrongValues(JsonNode schema, JsonNode document)
    {
        var resolved = Resolve(schema, document);
        var types = TypesOf(resolved);
        var props = resolved["properties"]?.AsObject();
        if (props is not null && props.ContainsKey("amount") && props.ContainsKey("currency"))
        {
            foreach (var amount in new[] { "99999999999999999999", "-1.00", "1.001", "1e5", "", "1,000.00", " 10" })
                yield return new JsonObject { ["amount"] = amount, ["currency"] = "EUR" };
            yield return new JsonObject { ["amount"] = "10.00", ["currency"] = "XXX" };
            yield return new JsonObject { ["amount"] = "10.00", ["currency"] = "eur" };
            yield return new JsonObject { ["amount"] = 10, ["currency"] = "EUR" };
        }

        if (types.Contains("string"))
        {
            yield return JsonValue.Create(12345);
            yield return JsonValue.Create(true);
            yield return new JsonObject { ["nested"] = "x" };
            yield return JsonValue.Create(new string('a', 100_000));
            if (resolved["format"]?.ToString() is "uuid")
                yield return JsonValue.Create("not-a-guid");
            if (resolved["format"]?.ToString() is "date")
                yield return JsonValue.Create("2026-13-45");
        }
        else if (types.Contains("integer") || types.Contains("number"))
        {
            yield return JsonValue.Create("abc");
            yield return JsonValue.Create(1e30);
            yield return JsonValue.Create(-1.5);
        }
        else if (types.Contains("boolean"))
        {
            yield return JsonValue.Create("yes");
        }
        else if (types.Contains("array"))
        {
            yield return JsonValue.Create("not-an-array");
            yield return new JsonArray(Enumerable.Range(0, 500).Select(_ => (JsonNode?)JsonValue.Create(12345)).ToArray());
        }
        else
        {
            yield return JsonValue.Create("not-an-object");
            yield return new JsonArray();
        }
    }

    private static HashSet<string> TypesOf(JsonNode schema) => schema["type"] switch
    {
        JsonArray many => many.Select(t => t!.ToString()).ToHashSet(),
        JsonValue one => [one.ToString()],
        _ => schema["properties"] is not null ? ["object"] : ["string"],
    };

    private static List<(string Name, JsonNode Schema)> Properties(JsonNode schema, JsonNode document)
    {
        var resolved = Resolve(schema, document);
        return resolved["properties"]?.AsObject().Select(p => (p.Key, p.Value!)).ToList() ?? [];
    }

    private static JsonNode Resolve(JsonNode schema, JsonNode document)
    {
        var current = schema;
        for (var depth = 0; depth < 10 && current?["$ref"] is { } reference; depth++)
            current = reference.ToString().TrimStart('#', '/').Split('/').Aggregate(document, (node, part) => node[part]!);
        if (current?["anyOf"] is JsonArray anyOf)
            return Resolve(anyOf.First(s => s!["type"]?.ToString() != "null")!, document);
        return current!;
    }

    private string Fill(string path, Func<string, string> value)
    {
        var parts = path.Split('/');
        for (var i = 0; i < parts.Length; i++)
        {
            if (parts[i].StartsWith('{'))
                parts[i] = value(i > 0 ? parts[i - 1] : "");
        }

        return string.Join('/', parts);
    }

    private string Real(string collection) =>
        _realIds.TryGetValue(collection, out var id) ? id : _random.Next(2) == 0 ? Guid.NewGuid().ToString() : Guid.Empty.ToString();

    private async Task SeedAsync()
    {
        using var scope = _app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<Data.CairnDb>();
        db.TenantId = _api.OrganizationId;
        var organization = await db.Organizations.SingleAsync();
        var client = new Client(Guid.CreateVersion7(), organization.Id, "Globex", Seed.Now);
        db.Clients.Add(client);
        var contact = new Contact(Guid.CreateVersion7(), organization.Id, client.Id, "Grace", "grace@globex.test", Seed.Now);
        db.Contacts.Add(contact);
        var contract = new Contract(Guid.CreateVersion7(), organization.Id, client.Id, "Website", new Money(1_000_000, Currency.EUR), Percentage.FromBasisPoints(2000), 30, Seed.Now);
        foreach (var share in new[] { 3000, 4000, 3000 })
            contract.AddMilestone(Guid.CreateVersion7(), new MilestoneTerms($"Part {share}", null, null, null, null, Percentage.FromBasisPoints(share)));
        contract.Activate(Seed.Now);
        var first = contract.Milestones[0];
        first.Start(Seed.Client, Seed.Now);
        first.Submit("Done", [], Seed.Client, Seed.Now);
        first.Approve(Seed.Client, Seed.Now);
        contract.Milestones[1].Start(Seed.Client, Seed.Now);
        contract.Milestones[1].Submit("Done", [], Seed.Client, Seed.Now);
        db.Contracts.Add(contract);
        await db.SaveChangesAsync();
        await using var transaction = await db.Database.BeginTransactionAsync();
        var invoice = await new Invoicing(db, _app.Clock).BillMilestoneAsync(organization, contract, first, Actor.System);
        var payment = new Payment(Guid.CreateVersion7(), organization.Id, client.Id, new Money(100_000, Currency.EUR), DateOnly.FromDateTime(Seed.Now.UtcDateTime), "bank_transfer", null, Seed.Now);
        db.Payments.Add(payment);
        await db.SaveChangesAsync();
        await transaction.CommitAsync();

        _realIds["clients"] = client.Id.ToString();
        _realIds["contacts"] = contact.Id.ToString();
        _realIds["contracts"] = contract.Id.ToString();
        _realIds["milestones"] = contract.Milestones[1].Id.ToString();
        _realIds["invoices"] = invoice.Id.ToString();
        _realIds["payments"] = payment.Id.ToString();
        _realIds["templates"] = BuiltInTemplates.All[0].Id.ToString();
    }

    private async Task<string> FingerprintAsync()
    {
        await using var db = engine.NewDb();
        await db.Database.OpenConnectionAsync();
        var parts = new StringBuilder();
        foreach (var table in Tables)
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = Versioned.Contains(table)
                ? $"SELECT COUNT(*), COALESCE(SUM(version), 0) FROM {table}"
                : $"SELECT COUNT(*), 0 FROM {table}";
            await using var reader = await command.ExecuteReaderAsync();
            await reader.ReadAsync();
            parts.Append(System.Globalization.CultureInfo.InvariantCulture, $"{table}={reader.GetInt64(0)}/{reader.GetInt64(1)};");
        }

        return parts.ToString();
    }
}

public sealed class SqliteFuzz(SqliteEngine engine) : FuzzTests<SqliteEngine>(engine);

public sealed class PostgresFuzz(PostgresEngine engine) : FuzzTests<PostgresEngine>(engine);
