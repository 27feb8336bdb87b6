using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cairn.Bench;

/// <summary>An answer of the API: its status, its JSON body when it has one, and whether it was replayed from the idempotency store.</summary>
internal sealed record ApiAnswer(int Status, JsonNode? Body, bool Replayed)
{
    public bool IsSuccess => Status is >= 200 and < 300;

    /// <summary>A string at a dotted path of the body, e.g. <c>invoice.id</c>.</summary>
    public string? Str(string path)
    {
        var node = Body;
        foreach (var part in path.Split('.'))
            node = node?[part];
        return node?.GetValue<string>();
    }
}

/// <summary>A client of Cairn's REST API with an owner API key, over one pooled <see cref="HttpClient"/>.</summary>
internal sealed class CairnApi : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public CairnApi(Uri baseAddress, string apiKey, int connections, TimeSpan timeout)
    {
        Http = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = Math.Max(1, connections),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            ConnectTimeout = TimeSpan.FromSeconds(5),
        })
        {
            BaseAddress = baseAddress,
            Timeout = timeout,
        };
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
    }

    public HttpClient Http { get; }

    /// <summary>Sends a request; an answer with any status is returned, a transport failure (no answer) throws.</summary>
    public async Task<ApiAnswer> SendAsync(HttpMethod method, string path, object? body = null, string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
            request.Content = JsonContent.Create(body, options: Json);
        if (idempotencyKey is not null)
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        using var response = await Http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        var json = text.Length > 0 && (response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.Ordinal) ?? false) ? JsonNode.Parse(text) : null;
        return new ApiAnswer((int)response.StatusCode, json, response.Headers.Contains("Idempotent-Replayed"));
    }

    public Task<ApiAnswer> GetAsync(string path, CancellationToken cancellationToken = default) => SendAsync(HttpMethod.Get, path, null, null, cancellationToken);

    public Task<ApiAnswer> PostAsync(string path, object? body = null, string? idempotencyKey = null, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, path, body, idempotencyKey, cancellationToken);

    /// <summary>A request that must succeed (set-up and read-back); anything but 2xx throws with the problem document.</summary>
    public async Task<JsonNode> OkAsync(HttpMethod method, string path, object? body = null, CancellationToken cancellationToken = default)
    {
        var answer = await SendAsync(method, path, body, null, cancellationToken);
        if (!answer.IsSuccess)
            throw new InvalidOperationException($"{method} {path} answered {answer.Status}: {answer.Body?.ToJsonString()}");
        return answer.Body ?? new JsonObject();
    }

    /// <summary>Every item of a paged list, following <c>nextCursor</c>.</summary>
    public async Task<List<JsonNode>> ListAllAsync(string path, CancellationToken cancellationToken = default)
    {
        var items = new List<JsonNode>();
        string? cursor = null;
        for (var page = 0; page < 100_000; page++)
        {
            var separator = path.Contains('?', StringComparison.Ordinal) ? '&' : '?';
            var url = $"{path}{separator}limit=200" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}");
            var body = await OkAsync(HttpMethod.Get, url, null, cancellationToken);
            items.AddRange(body["data"]!.AsArray().Select(n => n!));
            cursor = body["nextCursor"]?.GetValue<string>();
            if (cursor is null)
                return items;
        }

        throw new InvalidOperationException($"{path} has more than 100000 pages");
    }

    public void Dispose() => Http.Dispose();
}
