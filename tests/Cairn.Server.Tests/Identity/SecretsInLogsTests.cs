using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Cairn.Server.Tests.Infrastructure;

namespace Cairn.Server.Tests.Identity;

/// <summary>
/// Secrets in logs (issue 11, finding 2): the log of a whole story, captured at every level with
/// ASP.NET Core and EF Core at Trace, holds none of the passwords, invitation, portal and calendar-feed tokens,
/// API keys, second-factor secrets and recovery codes or session cookies the story handled.
/// </summary>
public abstract class SecretsInLogsTests<TEngine>(TEngine engine) : IClassFixture<TEngine>, IAsyncLifetime
    where TEngine : Engine
{
    private readonly LogCapture _logs = new();
    private CairnApp _app = null!;

    public Task InitializeAsync()
    {
        _app = new CairnApp(engine) { Logs = _logs };
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task No_password_token_key_link_or_cookie_of_a_whole_story_reaches_the_log()
    {
        const string OwnerPassword = "walnut ledger kettle orbit";
        const string ColleaguePassword = "granite meadow violin parcel";
        const string Mistyped = "granite meadow violin parsel";
        var secrets = new List<string> { OwnerPassword, ColleaguePassword, Mistyped };

        // Setup: the first owner.
        var owner = new Browser(_app);
        await owner.GetAsync("/setup");
        var setUp = await owner.PostFormAsync("/setup", new Dictionary<string, string>
        {
            ["Name"] = "Acme Studio", ["DefaultCurrency"] = "EUR", ["PaymentTermsDays"] = "30",
            ["OwnerName"] = "Ada Owner", ["OwnerEmail"] = "ada@acme.test", ["Password"] = OwnerPassword, ["ConfirmPassword"] = OwnerPassword,
        });
        Assert.Equal(HttpStatusCode.Redirect, setUp.StatusCode);
        secrets.AddRange(CookieValues(setUp));
        await owner.GetAsync("/");

        // Invitation, opened and accepted (once with a refused password); a forged one opened too.
        var invited = await Json.OkAsync(await SendAsync(owner, HttpMethod.Post, "/api/v1/users/invitations", new { email = "bob@acme.test", role = "finance" }));
        var invitePath = new Uri(invited.Str("inviteUrl")).AbsolutePath;
        secrets.Add(invitePath["/invite/".Length..]);
        var colleague = new Browser(_app);
        await colleague.GetAsync(invitePath);
        await colleague.PostFormAsync(invitePath, new Dictionary<string, string> { ["DisplayName"] = "Bob", ["Password"] = "aaaaaaaaaaaa", ["ConfirmPassword"] = "aaaaaaaaaaaa" });
        var accepted = await colleague.PostFormAsync(invitePath, new Dictionary<string, string> { ["DisplayName"] = "Bob", ["Password"] = ColleaguePassword, ["ConfirmPassword"] = ColleaguePassword });
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        secrets.AddRange(CookieValues(accepted));
        const string ForgedInvite = "Zm9yZ2VkLWludml0YXRpb24tdG9rZW4tMDEyMzQ1Njc";
        secrets.Add(ForgedInvite);
        await new Browser(_app).GetAsync("/invite/" + ForgedInvite);

        // An API key, created by the owner's session and used; a wrong key tried.
        var created = await Json.OkAsync(await SendAsync(owner, HttpMethod.Post, "/api/v1/api-keys", new { name = "books", role = "owner" }));
        var key = created.Str("secret");
        secrets.Add(key);
        var api = new ApiClient(_app.CreateClient(), key, Guid.Empty);
        var client = await api.PostOkAsync("/api/v1/clients", new { name = "Globex", email = "ap@globex.test" });
        var contact = await api.PostOkAsync($"/api/v1/clients/{client.Str("id")}/contacts", new { name = "Gina", email = "gina@globex.test" });
        const string WrongKey = "cairn_this-is-not-a-real-key-but-still-a-secret";
        secrets.Add(WrongKey);
        Assert.Equal(HttpStatusCode.Unauthorized, (await new ApiClient(_app.CreateClient(), WrongKey, Guid.Empty).GetAsync("/api/v1/clients")).StatusCode);

        // A portal link, created and opened by the contact.
        var link = await api.PostOkAsync($"/api/v1/clients/{client.Str("id")}/contacts/{contact.Str("id")}/portal-links", new { sendEmail = true });
        var portalPath = new Uri(link.Str("url")).AbsolutePath;
        secrets.Add(portalPath["/portal/".Length..]);
        var portal = new Browser(_app);
        var opened = await portal.GetAsync(portalPath);
        secrets.AddRange(CookieValues(opened.Response));
        Assert.Equal(HttpStatusCode.OK, (await portal.GetAsync("/portal")).Status);

        // Calendar feeds: the owner's made on the account page, the contact's over the API; both read, one forged.
        await owner.GetAsync("/account/calendar");
        var feedPage = await (await owner.PostFormAsync("/account/calendar?handler=Create", new Dictionary<string, string>())).Content.ReadAsStringAsync();
        var ownerFeed = new Uri(System.Text.RegularExpressions.Regex.Match(feedPage, "data-calendar-url>([^<]+)<").Groups[1].Value).AbsolutePath;
        var contactFeed = new Uri((await api.PostOkAsync($"/api/v1/clients/{client.Str("id")}/contacts/{contact.Str("id")}/calendar-feed")).Str("url")).AbsolutePath;
        const string ForgedFeed = "/calendar/Zm9yZ2VkLWNhbGVuZGFyLXRva2VuLTAxMjM0NTY3ODk.ics";
        foreach (var feed in new[] { ownerFeed, contactFeed, ForgedFeed })
        {
            secrets.Add(feed["/calendar/".Length..^".ics".Length]);
            await _app.CreateClient().GetAsync(feed);
        }

        Assert.Equal(HttpStatusCode.OK, (await _app.CreateClient().GetAsync(ownerFeed)).StatusCode);

        // The second factor: set up (its secret and recovery codes), then used at sign-in.
        var enrolment = await colleague.GetAsync("/account/two-factor");
        var totpSecret = System.Text.RegularExpressions.Regex.Match(enrolment.Html, "data-totp-secret>([A-Z2-7]+)<").Groups[1].Value;
        secrets.Add(totpSecret);
        var totp = new OtpNet.Totp(OtpNet.Base32Encoding.ToBytes(totpSecret));
        var enrolled = await colleague.PostFormAsync("/account/two-factor", new Dictionary<string, string>
        {
            ["Enrolment"] = WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Match(enrolment.Html, "name=\"Enrolment\" value=\"([^\"]+)\"").Groups[1].Value),
            ["Code"] = totp.ComputeTotp(_app.Clock.GetUtcNow().UtcDateTime),
        });
        var recovery = System.Text.RegularExpressions.Regex.Matches(await enrolled.Content.ReadAsStringAsync(), "<li>([a-z2-7]{6}-[a-z2-7]{6}-[a-z2-7]{6}-[a-z2-7]{6})</li>").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(10, recovery.Count);
        secrets.AddRange(recovery);

        // Sign-ins: a mistyped password, then the right one.
        Assert.Equal(HttpStatusCode.Unauthorized, (await new Browser(_app).SignInAsync("bob@acme.test", Mistyped)).StatusCode);
        var second = new Browser(_app);
        var asked = await second.SignInAsync("bob@acme.test", ColleaguePassword);
        var pending = WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Match(await asked.Content.ReadAsStringAsync(), "name=\"Pending\" value=\"([^\"]+)\"").Groups[1].Value);
        await second.GetAsync("/signin");
        _app.Clock.Advance(TimeSpan.FromSeconds(30));
        var signedIn = await second.PostFormAsync("/signin?handler=Code", new Dictionary<string, string> { ["Pending"] = pending, ["Code"] = totp.ComputeTotp(_app.Clock.GetUtcNow().UtcDateTime) });
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        secrets.AddRange(CookieValues(signedIn));

        Assert.Contains(_logs.Lines, line => line.Contains("Microsoft.AspNetCore", StringComparison.Ordinal));
        Assert.Contains(_logs.Lines, line => line.Contains("Microsoft.EntityFrameworkCore", StringComparison.Ordinal));
        var leaks = secrets.Where(s => s.Length >= 10)
            .SelectMany(secret => _logs.Lines.Where(line => line.Contains(secret, StringComparison.Ordinal) || line.Contains(Uri.EscapeDataString(secret), StringComparison.Ordinal)))
            .Distinct().ToList();
        Assert.True(leaks.Count == 0, "secrets in the log:\n" + string.Join("\n", leaks.Select(l => l.Length > 240 ? l[..240] : l)));
    }

    private static async Task<HttpResponseMessage> SendAsync(Browser browser, HttpMethod method, string path, object body)
    {
        using var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) };
        request.Headers.Add("X-CSRF-TOKEN", browser.Token);
        return await browser.Http.SendAsync(request);
    }

    private static IEnumerable<string> CookieValues(HttpResponseMessage response) =>
        (response.Headers.TryGetValues("Set-Cookie", out var values) ? values : [])
        .Where(c => c.StartsWith("cairn_staff=", StringComparison.Ordinal) || c.StartsWith("cairn_portal=", StringComparison.Ordinal))
        .Select(c => c[(c.IndexOf('=', StringComparison.Ordinal) + 1)..c.IndexOf(';', StringComparison.Ordinal)])
        .Select(v => v.Length > 40 ? v[..40] : v);
}

public sealed class SqliteSecretsInLogs(SqliteEngine engine) : SecretsInLogsTests<SqliteEngine>(engine);

public sealed class PostgresSecretsInLogs(PostgresEngine engine) : SecretsInLogsTests<PostgresEngine>(engine);
