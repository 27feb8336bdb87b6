using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cairn.Server.Api;
using Cairn.Server.Identity;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace Cairn.Server.Tests.Infrastructure;

/// <summary>The real Cairn server (the whole HTTP pipeline) on a real database, with a clock the test moves.</summary>
public sealed class CairnApp(Engine engine) : WebApplicationFactory<Program>
{
    /// <summary>The server's clock; tests advance it instead of sleeping.</summary>
    public FakeTimeProvider Clock { get; } = new(Seed.Now);

    public Engine Engine => engine;

    /// <summary>The pickup folder this server writes its emails to.</summary>
    public string MailDirectory { get; } = Path.Combine(Path.GetTempPath(), "cairn-tests", "mail-" + Guid.NewGuid().ToString("N"));

    /// <summary>Configuration settings (e.g. <c>Cairn:SignIn:AttemptsPerAddressPerMinute</c>) applied before the first request.</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; init; } = new Dictionary<string, string?>();

    /// <summary>When set before the first request, every log line of every level is captured here.</summary>
    public LogCapture? Logs { get; init; }

    /// <summary>With <see cref="Logs"/>: capture at the levels the server ships with (Information, ASP.NET Core left to the server) instead of everything at Trace.</summary>
    public bool LogsAtShippedLevels { get; init; }

    /// <summary>Where the API clients of this server disagreed with the served OpenAPI document (see <see cref="ContractCheck"/>).</summary>
    public ConcurrentQueue<string> ContractMismatches { get; } = new();

    /// <summary>
    /// A client as <see cref="WebApplicationFactory{TEntryPoint}.CreateClient()"/> makes it (following redirects, keeping
    /// cookies), whose every API request and answer is checked against the served OpenAPI document.
    /// </summary>
    public new HttpClient CreateClient() =>
        CreateDefaultClient(new RedirectHandler(), new CookieContainerHandler(), new ContractCheck(ContractMismatches));

    /// <summary>Stops the server, then fails the test if any API exchange disagreed with the OpenAPI document.</summary>
    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (!ContractMismatches.IsEmpty)
            throw new Xunit.Sdk.XunitException("The server and its OpenAPI document disagree:\n" + string.Join("\n", ContractMismatches.Distinct().Take(30)));
    }

    /// <summary>Services a test adds after the server's own (e.g. a shorter wait for database locks).</summary>
    public Action<IServiceCollection>? TestServices { get; init; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        if (engine.Settings.IsPostgres)
            builder.UseSetting("Cairn:Postgres", engine.Settings.ConnectionString);
        else
            builder.UseSetting("Cairn:DataDirectory", Path.GetDirectoryName(new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(engine.Settings.ConnectionString).DataSource));
        builder.UseSetting("Logging:LogLevel:Default", Logs is null ? "Warning" : LogsAtShippedLevels ? "Information" : "Trace");
        builder.UseSetting("Cairn:Mail:PickupDirectory", MailDirectory);
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
        foreach (var (key, value) in Settings)
            builder.UseSetting(key, value);
        if (TestServices is { } extra)
            builder.ConfigureTestServices(extra);
        if (Logs is { } logs)
        {
            if (!LogsAtShippedLevels)
            {
                builder.UseSetting("Logging:LogLevel:Microsoft.AspNetCore", "Trace");
                builder.UseSetting("Logging:LogLevel:Microsoft.EntityFrameworkCore", "Trace");
            }

            builder.ConfigureTestServices(services =>
            {
                services.RemoveAll<Microsoft.Extensions.Logging.ILoggerProvider>();
                services.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(logs);
            });
        }
    }

    /// <summary>
    /// PostgreSQL: waits (at most 15 s) until this server listens for API-key revocations, so that a known key
    /// costs no round trip from then on. SQLite: returns at once (it reads the revocation version per request).
    /// </summary>
    public async Task ListeningForRevocationsAsync()
    {
        if (!engine.Settings.IsPostgres)
            return;
        var keys = Services.GetRequiredService<Cairn.Server.Identity.ApiKeyCache>();
        for (var waited = System.Diagnostics.Stopwatch.StartNew(); !keys.IsListening; await Task.Delay(20))
        {
            if (waited.Elapsed > TimeSpan.FromSeconds(15))
                throw new TimeoutException("the server did not start listening for API-key revocations within 15 s");
        }
    }

    /// <summary>Provisions a new organization and returns an API client authenticated as its owner.</summary>
    public async Task<ApiClient> NewOrganizationAsync(string name = "Acme Studio", string currency = "EUR")
    {
        using var scope = Services.CreateScope();
        var provisioning = scope.ServiceProvider.GetRequiredService<Provisioning>();
        var (organization, key) = await provisioning.CreateOrganizationAsync(new OrganizationDetails(name, "1 Rue de la Paix, 75002 Paris", "FR40123456789", "billing@acme.test", currency), "tests");
        return new ApiClient(CreateClient(), key, organization.Id);
    }

    /// <summary>An API client with a key of the given role in the same organization as <paramref name="owner"/>.</summary>
    public async Task<ApiClient> WithRoleAsync(ApiClient owner, Role role)
    {
        using var scope = Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<Data.CairnDb>();
        db.TenantId = owner.OrganizationId;
        var (key, secret) = ApiKey.Create(owner.OrganizationId, role.ToString(), role, null, Clock.GetUtcNow());
        db.ApiKeys.Add(key);
        await db.SaveChangesAsync();
        return new ApiClient(CreateClient(), secret, owner.OrganizationId);
    }
}

/// <summary>A thin JSON client over the API with one key.</summary>
public sealed class ApiClient(HttpClient http, string? key, Guid organizationId)
{
    public HttpClient Http { get; } = Configure(http, key);

    public Guid OrganizationId { get; } = organizationId;

    public string? Key { get; } = key;

    public Task<HttpResponseMessage> GetAsync(string path) => Http.GetAsync(path);

    public Task<HttpResponseMessage> PostAsync(string path, object? body, string? idempotencyKey = null, string? ifMatch = null) =>
        SendAsync(HttpMethod.Post, path, body, idempotencyKey, ifMatch);

    public Task<HttpResponseMessage> PatchAsync(string path, object? body, string? ifMatch = null) =>
        SendAsync(HttpMethod.Patch, path, body, null, ifMatch);

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object? body, string? idempotencyKey = null, string? ifMatch = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is HttpContent content)
            request.Content = content;
        else if (body is string raw)
            request.Content = new StringContent(raw, System.Text.Encoding.UTF8, "application/json");
        else if (body is not null)
            request.Content = JsonContent.Create(body, options: ApiJson.Options);
        if (idempotencyKey is not null)
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        if (ifMatch is not null)
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return await Http.SendAsync(request);
    }

    /// <summary>POSTs one file as multipart/form-data (the part named <c>file</c>), as a browser or curl -F sends it.</summary>
    public Task<HttpResponseMessage> UploadAsync(string path, string fileName, byte[] content) =>
        SendAsync(HttpMethod.Post, path, Multipart.Of(fileName, content));

    /// <summary>POSTs and expects a 2xx; returns the JSON body.</summary>
    public async Task<JsonNode> PostOkAsync(string path, object? body = null)
    {
        var response = await PostAsync(path, body ?? new { });
        return await Json.OkAsync(response);
    }

    /// <summary>PATCHes and expects a 2xx; returns the JSON body.</summary>
    public async Task<JsonNode> PatchOkAsync(string path, object body, string? ifMatch = null) => await Json.OkAsync(await PatchAsync(path, body, ifMatch));

    /// <summary>GETs and expects a 2xx; returns the JSON body.</summary>
    public async Task<JsonNode> GetOkAsync(string path) => await Json.OkAsync(await GetAsync(path));

    private static HttpClient Configure(HttpClient http, string? key)
    {
        if (key is not null)
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return http;
    }
}

/// <summary>Reading answers in tests.</summary>
public static class Json
{
    public static async Task<JsonNode> OkAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {text}");
        return JsonNode.Parse(text)!;
    }

    /// <summary>Asserts a problem document with the status (and code/field when given); returns it.</summary>
    public static async Task<JsonNode> ProblemAsync(HttpResponseMessage response, int status, string? code = null, string? field = null)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(text)!;
        Assert.Equal(status, (int)problem["status"]!);
        Assert.False(string.IsNullOrWhiteSpace((string?)problem["detail"]));
        if (code is not null)
            Assert.Equal(code, (string?)problem["code"]);
        if (field is not null)
            Assert.Equal(field, (string?)problem["field"]);
        return problem;
    }

    public static string Str(this JsonNode node, string path) => (string)Walk(node, path)!;

    public static JsonNode? Walk(JsonNode node, string path) =>
        path.Split('.').Aggregate((JsonNode?)node, (n, part) => int.TryParse(part, out var i) ? n?[i] : n?[part]);

    public static JsonSerializerOptions Options => ApiJson.Options;
}

/// <summary>multipart/form-data bodies for uploads.</summary>
public static class Multipart
{
    /// <summary>A body with one file part named <paramref name="field"/>, and plain <paramref name="fields"/> beside it.</summary>
    public static MultipartFormDataContent Of(string fileName, byte[] content, string field = "file", IDictionary<string, string>? fields = null)
    {
        var form = new MultipartFormDataContent();
        foreach (var (name, value) in fields ?? new Dictionary<string, string>())
            form.Add(new StringContent(value), name);
        var part = new ByteArrayContent(content);
        part.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
        form.Add(part, field, fileName);
        return form;
    }
}
