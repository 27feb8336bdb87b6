using System.Net;
using System.Text;
using Cairn.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Server.Tests.Api;

/// <summary>
/// What every answer promises at the HTTP level (issue 11, findings 5, 6 and 9): the browser
/// security headers on every response, cookies Secure behind a trusted TLS proxy only, emailed
/// links never taken from a forged Host header, and every 4xx a problem document naming what is at fault.
/// </summary>
public abstract class HttpContractTests<TEngine>(TEngine engine) : IClassFixture<TEngine>, IAsyncLifetime
    where TEngine : Engine
{
    private const string TrustedProxy = "10.0.0.5";

    private CairnApp _app = null!;

    public Task InitializeAsync()
    {
        _app = new CairnApp(engine);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Every_answer_carries_the_security_headers_pages_static_files_errors_and_the_portal()
    {
        var owner = await _app.NewOrganizationAsync();
        using var anonymous = _app.CreateClient();
        foreach (var (path, client) in new[] { ("/signin", anonymous), ("/cairn.css", anonymous), ("/portal/not-a-link", anonymous), ("/api/v1/clients", anonymous), ("/api/v1/no-such-route", owner.Http), ("/api/v1/clients", owner.Http) })
        {
            using var response = await client.GetAsync(path);
            var csp = Header(response, "Content-Security-Policy");
            foreach (var directive in new[] { "default-src 'self'", "script-src 'self'", "style-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'" })
                Assert.Contains(directive, csp, StringComparison.Ordinal);
            Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
            Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
            Assert.Equal("no-referrer", Header(response, "Referrer-Policy"));
            Assert.Equal("DENY", Header(response, "X-Frame-Options"));
        }
    }

    [Fact]
    public async Task Cookies_are_secure_when_https_comes_from_a_configured_proxy_and_not_from_anyone_else()
    {
        await _app.NewStaffOrganizationAsync(Staff.Email("owner"));
        await using var behindProxy = _app.WithWebHostBuilder(b =>
        {
            b.UseSetting("Cairn:ForwardedHeaders:KnownProxies", TrustedProxy);
            b.ConfigureTestServices(s => s.AddSingleton<IStartupFilter>(new PeerAddressFromTestHeader()));
        });

        var viaProxy = await SignInPageAsync(behindProxy, TrustedProxy);
        var viaStranger = await SignInPageAsync(behindProxy, "203.0.113.9");
        var direct = await SignInPageAsync(_app, TrustedProxy);

        Assert.Contains("secure", viaProxy.Cookie, StringComparison.OrdinalIgnoreCase);
        Assert.StartsWith("max-age=", viaProxy.Hsts, StringComparison.Ordinal);
        Assert.DoesNotContain("secure", viaStranger.Cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("", viaStranger.Hsts);
        Assert.DoesNotContain("secure", direct.Cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_portal_link_or_invitation_asked_for_with_a_forged_host_is_refused_and_nothing_is_emailed()
    {
        var owner = await _app.NewOrganizationAsync();
        var client = (await owner.PostOkAsync("/api/v1/clients", new { name = "Globex" })).Str("id");
        var email = Staff.Email("xena");
        var contact = (await owner.PostOkAsync($"/api/v1/clients/{client}/contacts", new { name = "Xena", email })).Str("id");
        var links = $"/api/v1/clients/{client}/contacts/{contact}/portal-links";

        var forged = await owner.Http.SendAsync(Post($"http://evil.test{links}", "{}"));
        var invitation = await owner.Http.SendAsync(Post("http://evil.test/api/v1/users/invitations", $$"""{"email":"{{Staff.Email("eve")}}","role":"viewer"}"""));

        await Json.ProblemAsync(forged, 400, "untrusted_host", "Host");
        await Json.ProblemAsync(invitation, 400, "untrusted_host", "Host");
        Assert.Empty(Mailbox.All(_app));
        Assert.Empty((await owner.GetOkAsync(links))["data"]!.AsArray());

        var allowed = await owner.PostOkAsync(links, new { });
        Assert.StartsWith("http://localhost/portal/", allowed.Str("url"), StringComparison.Ordinal);
        Assert.StartsWith("http://localhost/portal/", Mailbox.LinkIn(Mailbox.LastTo(_app, email), "/portal/"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_configured_public_url_is_used_whatever_host_the_request_names()
    {
        var owner = await _app.NewOrganizationAsync();
        await using var configured = _app.WithWebHostBuilder(b => b.UseSetting("Cairn:PublicUrl", "https://billing.acme.test/"));
        using var http = configured.CreateClient();
        http.DefaultRequestHeaders.Authorization = owner.Http.DefaultRequestHeaders.Authorization;
        var client = Guid.Parse((await owner.PostOkAsync("/api/v1/clients", new { name = "Globex" })).Str("id"));
        var contact = (await owner.PostOkAsync($"/api/v1/clients/{client}/contacts", new { name = "Xena", email = Staff.Email("xena") })).Str("id");

        var link = await Json.OkAsync(await http.SendAsync(Post($"http://evil.test/api/v1/clients/{client}/contacts/{contact}/portal-links", "{}")));

        Assert.StartsWith("https://billing.acme.test/portal/", link.Str("url"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/v1/clients?limit=abc", "limit")]
    [InlineData("/api/v1/clients?limit=0", "limit")]
    [InlineData("/api/v1/invoices?limit=1e3", "limit")]
    [InlineData("/api/v1/contracts?clientId=not-an-id", "clientId")]
    [InlineData("/api/v1/clients?cursor=%%%", "cursor")]
    public async Task A_bad_query_parameter_is_a_problem_naming_it(string path, string field)
    {
        var owner = await _app.NewOrganizationAsync();

        await Json.ProblemAsync(await owner.GetAsync(path), 400, field: field);
    }

    [Theory]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("   ")]
    public async Task An_empty_or_null_body_is_a_problem_naming_the_body_without_framework_wording(string body)
    {
        var owner = await _app.NewOrganizationAsync();

        var problem = await Json.ProblemAsync(await owner.PostAsync("/api/v1/clients", body), 400, field: "body");

        Assert.DoesNotContain("inferred", problem.ToJsonString(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("parameter", problem.ToJsonString(), StringComparison.OrdinalIgnoreCase);
        Assert.Empty((await owner.GetOkAsync("/api/v1/clients"))["data"]!.AsArray());
    }

    [Fact]
    public async Task The_servers_own_refusals_are_problem_documents()
    {
        var owner = await _app.NewOrganizationAsync();

        using var plain = new HttpRequestMessage(HttpMethod.Post, "/api/v1/clients") { Content = new StringContent("name=Globex", Encoding.UTF8, "text/plain") };
        await Json.ProblemAsync(await owner.Http.SendAsync(plain), 415, "unsupported_media_type", "Content-Type");
        await Json.ProblemAsync(await owner.PostAsync("/api/v1/clients", "{\"name\":\"" + new string('a', 1_100_000) + "\"}"), 413, "payload_too_large");
        await Json.ProblemAsync(await owner.GetAsync("/api/v1/clients?filter=" + new string('a', 9_000)), 414, "uri_too_long");
        await Json.ProblemAsync(await owner.GetAsync("/api/v1/no-such-route"), 404, "no_such_route");
        await Json.ProblemAsync(await owner.SendAsync(HttpMethod.Delete, "/api/v1/clients", null), 405, "method_not_allowed");
        using var anonymous = _app.CreateClient();
        anonymous.DefaultRequestHeaders.Accept.ParseAdd("application/json");
        await Json.ProblemAsync(await anonymous.GetAsync("/no-such-page"), 404, "no_such_route");
    }

    [Fact]
    public async Task The_contract_check_reports_an_answer_the_document_does_not_describe_and_not_a_refused_idempotency_key()
    {
        var owner = await _app.NewOrganizationAsync();
        var mismatches = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var server = new Tamper(_app.Server.CreateHandler());
        using var http = new HttpClient(new ContractCheck(mismatches) { InnerHandler = server }) { BaseAddress = new Uri("http://localhost") };
        http.DefaultRequestHeaders.Authorization = owner.Http.DefaultRequestHeaders.Authorization;

        await http.GetAsync("/api/v1/clients");
        Assert.Empty(mismatches);
        server.Body = """{"data":[{"id":5}],"nextCursor":null}""";
        await http.GetAsync("/api/v1/clients");
        server.Body = null;
        using var keyed = Post("/api/v1/clients/" + Guid.NewGuid() + "/contacts/" + Guid.NewGuid() + "/portal-links", "{}");
        keyed.Headers.Add("Idempotency-Key", "k-1");
        await http.SendAsync(keyed);

        Assert.Contains(mismatches, m => m.StartsWith("GET /api/v1/clients → 200: the answer does not match its schema", StringComparison.Ordinal));
        // A route whose answer is a secret refuses Idempotency-Key, and the document no longer offers it there.
        Assert.DoesNotContain(mismatches, m => m.Contains("Idempotency-Key", StringComparison.Ordinal));
        Assert.Single(mismatches);
    }

    private static HttpRequestMessage Post(string url, string json) =>
        new(HttpMethod.Post, url) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    private static async Task<(string Cookie, string Hsts)> SignInPageAsync(WebApplicationFactory<Program> app, string peer)
    {
        using var http = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        // Not "localhost": browsers ignore HSTS there, and so does the header policy.
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://billing.acme.test/signin");
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-For", "198.51.100.7");
        request.Headers.Add(PeerAddressFromTestHeader.Header, peer);
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var cookie = response.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies.Single(c => c.StartsWith("cairn_antiforgery=", StringComparison.Ordinal)) : "";
        Assert.NotEqual("", cookie);
        return (cookie, Header(response, "Strict-Transport-Security"));
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values) ? string.Join(",", values) : "";

    /// <summary>The real server, except that a test can replace the body of its next answers.</summary>
    private sealed class Tamper(HttpMessageHandler server) : DelegatingHandler(server)
    {
        public string? Body { get; set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            if (Body is { } body && request.RequestUri!.AbsolutePath.StartsWith("/api/", StringComparison.Ordinal))
                response.Content = new StringContent(body, Encoding.UTF8, "application/json");
            return response;
        }
    }

    /// <summary>The test server has no TCP peer: this plays the connection's remote address, as Kestrel would set it.</summary>
    private sealed class PeerAddressFromTestHeader : IStartupFilter
    {
        public const string Header = "X-Test-Peer-Address";

        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                if (context.Request.Headers[Header].ToString() is { Length: > 0 } peer)
                    context.Connection.RemoteIpAddress = IPAddress.Parse(peer);
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}

public sealed class SqliteHttpContract(SqliteEngine engine) : HttpContractTests<SqliteEngine>(engine);

public sealed class PostgresHttpContract(PostgresEngine engine) : HttpContractTests<PostgresEngine>(engine);
