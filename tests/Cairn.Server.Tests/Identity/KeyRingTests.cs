using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Cairn.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Tests.Identity;

/// <summary>
/// Several instances behind a load balancer (issue 11, finding 12): the Data Protection key ring
/// lives in the database, so a staff cookie and a form token issued by one instance work on another.
/// </summary>
public abstract partial class KeyRingTests<TEngine>(TEngine engine) : IClassFixture<TEngine>, IAsyncLifetime
    where TEngine : Engine
{
    private CairnApp _first = null!;
    private CairnApp _second = null!;

    public Task InitializeAsync()
    {
        _first = new CairnApp(engine);
        _second = new CairnApp(engine);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _first.DisposeAsync();
        await _second.DisposeAsync();
    }

    [Fact]
    public async Task Signed_in_on_one_instance_a_colleague_acts_on_the_other_with_the_form_token_of_the_first()
    {
        var org = await _first.NewStaffOrganizationAsync(Staff.Email("ada"));
        var first = _first.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        var second = _second.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        var cookies = new Dictionary<string, string>();

        var signInPage = await SendAsync(first, HttpMethod.Get, "/signin", cookies);
        var signIn = await SendAsync(first, HttpMethod.Post, "/signin", cookies, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Email"] = org.OwnerEmail, ["Password"] = org.OwnerPassword, ["__RequestVerificationToken"] = FormToken().Match(await signInPage.Content.ReadAsStringAsync()).Groups[1].Value,
        }));
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        var dashboard = await SendAsync(first, HttpMethod.Get, "/", cookies);
        var token = WebUtility.HtmlDecode(MetaToken().Match(await dashboard.Content.ReadAsStringAsync()).Groups[1].Value);

        var onSecond = await SendAsync(second, HttpMethod.Get, "/clients", cookies);
        Assert.Equal(HttpStatusCode.OK, onSecond.StatusCode);
        var created = await SendAsync(second, HttpMethod.Post, "/api/v1/clients", cookies, JsonContent.Create(new { name = "Globex" }), token);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        await using var db = engine.NewDb(org.Api.OrganizationId);
        Assert.Equal("Globex", (await db.Clients.SingleAsync()).Name);
        await using var keys = engine.NewDb();
        Assert.True(await keys.Database.SqlQuery<int>($"SELECT COUNT(*) AS \"Value\" FROM data_protection_keys").SingleAsync() >= 1);
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, Dictionary<string, string> cookies, HttpContent? content = null, string? csrf = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        if (cookies.Count > 0)
            request.Headers.Add("Cookie", string.Join("; ", cookies.Select(c => $"{c.Key}={c.Value}")));
        if (csrf is not null)
            request.Headers.Add("X-CSRF-TOKEN", csrf);
        var response = await client.SendAsync(request);
        foreach (var set in response.Headers.TryGetValues("Set-Cookie", out var values) ? values : [])
        {
            var pair = set[..set.IndexOf(';', StringComparison.Ordinal)];
            cookies[pair[..pair.IndexOf('=', StringComparison.Ordinal)]] = pair[(pair.IndexOf('=', StringComparison.Ordinal) + 1)..];
        }

        return response;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex FormToken();

    [GeneratedRegex("<meta name=\"csrf-token\" content=\"([^\"]+)\"")]
    private static partial Regex MetaToken();
}

public sealed class SqliteKeyRing(SqliteEngine engine) : KeyRingTests<SqliteEngine>(engine);

public sealed class PostgresKeyRing(PostgresEngine engine) : KeyRingTests<PostgresEngine>(engine);
