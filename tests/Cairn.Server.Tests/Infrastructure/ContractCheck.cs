extern alias jsonschema;

using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using JsonSchema = jsonschema::Json.Schema.JsonSchema;
using EvaluationOptions = jsonschema::Json.Schema.EvaluationOptions;
using OutputFormat = jsonschema::Json.Schema.OutputFormat;
using EvaluationResults = jsonschema::Json.Schema.EvaluationResults;

namespace Cairn.Server.Tests.Infrastructure;

/// <summary>
/// Checks every API request and answer of a test against the OpenAPI document the server serves
/// (<c>/openapi/v1.json</c>), so the document cannot drift from the server: an answer whose status,
/// media type or body the document does not describe, or a request the server accepted (2xx) that
/// the document's request schema or headers forbid, is a mismatch. <see cref="CairnApp"/> puts this
/// handler in front of every API client it creates and fails the test when it is disposed with mismatches.
/// </summary>
public sealed class ContractCheck : DelegatingHandler
{
    private static readonly ConcurrentDictionary<string, JsonSchema?> Schemas = new();
    private static readonly EvaluationOptions Evaluation = new() { OutputFormat = OutputFormat.Hierarchical };
    private static JsonObject? _document;
    private static readonly SemaphoreSlim DocumentLock = new(1, 1);

    private readonly ConcurrentQueue<string> _mismatches;

    public ContractCheck(ConcurrentQueue<string> mismatches) => _mismatches = mismatches;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var requestBody = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        var response = await base.SendAsync(request, cancellationToken);
        var path = request.RequestUri!.IsAbsoluteUri ? request.RequestUri.AbsolutePath : request.RequestUri.OriginalString.Split('?')[0];
        if (!path.StartsWith("/api/v1/", StringComparison.Ordinal) && path != "/api/v1")
            return response;

        await response.Content.LoadIntoBufferAsync(cancellationToken);
        var responseBody = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        var document = await DocumentAsync(cancellationToken);
        foreach (var mismatch in Check(document, request, requestBody, response, responseBody, path))
            _mismatches.Enqueue(mismatch);
        return response;
    }

    private async Task<JsonObject> DocumentAsync(CancellationToken cancellationToken)
    {
        if (_document is { } cached)
            return cached;
        await DocumentLock.WaitAsync(cancellationToken);
        try
        {
            if (_document is null)
            {
                using var get = new HttpRequestMessage(HttpMethod.Get, "http://localhost/openapi/v1.json");
                using var answer = await base.SendAsync(get, cancellationToken);
                answer.EnsureSuccessStatusCode();
                _document = JsonNode.Parse(await answer.Content.ReadAsStringAsync(cancellationToken))!.AsObject();
            }

            return _document;
        }
        finally
        {
            DocumentLock.Release();
        }
    }

    private static IEnumerable<string> Check(JsonObject document, HttpRequestMessage request, string? requestBody, HttpResponseMessage response, byte[] responseBody, string path)
    {
        var status = (int)response.StatusCode;
        var method = request.Method.Method.ToLowerInvariant();
        var said = $"{request.Method} {path} → {status}";
        var template = Match(document, path);
        if (template is null)
        {
            if (status is not (404 or 405))
                yield return $"{said}: the path is not in the document";
            yield break;
        }

        var operation = document["paths"]![template]![method == "head" ? "get" : method] as JsonObject;
        if (operation is null)
        {
            if (status != 405)
                yield return $"{said}: {template} documents no {request.Method}";
            yield break;
        }

        var where = $"{request.Method} {template} → {status}";
        var responses = operation["responses"] as JsonObject;
        var documented = responses?[status.ToString(System.Globalization.CultureInfo.InvariantCulture)] ?? responses?[$"{status / 100}XX"] ?? responses?["default"];
        if (documented is null)
        {
            yield return $"{where}: the status is not documented ({Snippet(responseBody)})";
            yield break;
        }

        documented = Resolve(document, documented);
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        if (responseBody.Length > 0 && method != "head")
        {
            var content = documented["content"] as JsonObject;
            if (content is null || mediaType is null || content[mediaType] is not JsonObject media)
            {
                yield return $"{where}: a {mediaType} body is not documented (documented: {string.Join(", ", content?.Select(c => c.Key) ?? [])})";
            }
            else if (media["schema"] is JsonNode schema && IsJson(mediaType))
            {
                foreach (var error in Validate(document, $"{template} {method} {status} {mediaType}", schema, Encoding.UTF8.GetString(responseBody)))
                    yield return $"{where}: the answer does not match its schema: {error}";
            }
        }

        if (status == 400 && mediaType == "application/problem+json" && Encoding.UTF8.GetString(responseBody).Contains("\"idempotency_key_not_supported\"", StringComparison.Ordinal)
            && operation["parameters"]?.AsArray().Any(p => Resolve(document, p!)["name"]?.GetValue<string>() == "Idempotency-Key") == true)
            yield return $"{where}: the document lists Idempotency-Key on an operation that refuses it";

        if (status is < 200 or >= 300)
            yield break;

        // The optional headers Cairn defines must be documented where the server honours them.
        foreach (var header in new[] { "Idempotency-Key", "If-Match" })
        {
            if (request.Headers.Contains(header) && operation["parameters"]?.AsArray().Any(p => Resolve(document, p!)["name"]?.GetValue<string>() == header) != true)
                yield return $"{where}: the server honoured a {header} header the document does not list for this operation";
        }

        // An empty object sent to an action without a body is ignored by the server, as the document implies.
        if (requestBody is { Length: > 0 } && requestBody.Trim() != "{}" && IsJson(request.Content?.Headers.ContentType?.MediaType))
        {
            var schema = operation["requestBody"] is JsonNode body ? Resolve(document, body)["content"]?["application/json"]?["schema"] : null;
            if (schema is null)
                yield return $"{where}: the server accepted a JSON body the document does not describe";
            else
            {
                foreach (var error in Validate(document, $"{template} {method} request", schema, requestBody))
                    yield return $"{where}: the server accepted a request its schema forbids: {error}";
            }
        }
    }

    /// <summary>The document's path template that matches a request path, preferring literal segments.</summary>
    private static string? Match(JsonObject document, string path)
    {
        var segments = path.TrimEnd('/').Split('/');
        string? best = null;
        var bestLiterals = -1;
        foreach (var (template, _) in document["paths"]!.AsObject())
        {
            var parts = template.TrimEnd('/').Split('/');
            if (parts.Length != segments.Length)
                continue;
            var literals = 0;
            var matches = true;
            for (var i = 0; i < parts.Length && matches; i++)
            {
                if (parts[i].StartsWith('{'))
                    matches = segments[i].Length > 0;
                else if (string.Equals(parts[i], Uri.UnescapeDataString(segments[i]), StringComparison.Ordinal))
                    literals++;
                else
                    matches = false;
            }

            if (matches && literals > bestLiterals)
                (best, bestLiterals) = (template, literals);
        }

        return best;
    }

    private static JsonNode Resolve(JsonObject document, JsonNode node)
    {
        while (node is JsonObject o && o["$ref"]?.GetValue<string>() is { } reference && reference.StartsWith("#/", StringComparison.Ordinal))
            node = reference[2..].Split('/').Aggregate((JsonNode?)document, (n, part) => n?[part.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)])!;
        return node;
    }

    private static IEnumerable<string> Validate(JsonObject document, string key, JsonNode schema, string instance)
    {
        JsonElement parsed;
        try
        {
            parsed = JsonDocument.Parse(instance).RootElement;
        }
        catch (JsonException)
        {
            return ["the body is not JSON"];
        }

        var built = Schemas.GetOrAdd(key, _ => Build(document, schema));
        if (built is null)
            return [];
        var results = built.Evaluate(parsed, Evaluation);
        return results.IsValid ? [] : [string.Join("; ", Errors(results).Distinct().Take(4)) + $" in {Snippet(Encoding.UTF8.GetBytes(instance))}"];
    }

    /// <summary>The errors of the failing branches only (a branch of an <c>anyOf</c> that another branch satisfied is not an error).</summary>
    private static IEnumerable<string> Errors(EvaluationResults results)
    {
        if (results.IsValid)
            yield break;
        foreach (var error in results.Errors ?? new Dictionary<string, string>())
            yield return $"{results.InstanceLocation} {error.Value}";
        foreach (var detail in results.Details ?? [])
        {
            foreach (var error in Errors(detail))
                yield return error;
        }
    }

    /// <summary>A JSON Schema 2020-12 document for one schema of the OpenAPI document, with every component schema as a <c>$defs</c> entry.</summary>
    private static JsonSchema? Build(JsonObject document, JsonNode schema)
    {
        var definitions = document["components"]?["schemas"]?.DeepClone() as JsonObject ?? [];
        var root = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$defs"] = definitions,
            ["$ref"] = "#/$defs/__root",
        };
        definitions["__root"] = schema.DeepClone();
        var text = root.ToJsonString().Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal);
        return JsonSchema.FromText(text, baseUri: new Uri($"https://cairn.test/contract/{Guid.NewGuid():N}"));
    }

    private static bool IsJson(string? mediaType) => mediaType is not null && (mediaType == "application/json" || mediaType.EndsWith("+json", StringComparison.Ordinal));

    private static string Snippet(byte[] body)
    {
        var text = Encoding.UTF8.GetString(body);
        return text.Length > 300 ? text[..300] + "…" : text;
    }
}
