using System.Net;
using System.Text.RegularExpressions;
using Cairn.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using OtpNet;

namespace Cairn.Server.Tests.Identity;

/// <summary>
/// The second factor (issue 11, finding 11; ASVS 5.0 V6.5): a staff member turns on TOTP with a
/// real code computed from the secret the page shows; sign-in then asks for a code, each code and
/// each recovery code works once, and the secret is stored encrypted.
/// </summary>
public abstract partial class TwoFactorTests<TEngine>(TEngine engine) : IClassFixture<TEngine>, IAsyncLifetime
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
    public async Task With_two_factor_on_sign_in_needs_a_current_code_each_code_works_once_and_recovery_codes_once()
    {
        var org = await _app.NewStaffOrganizationAsync(Staff.Email("ada"));
        var owner = new Browser(_app);
        await owner.SignInAsync(org.OwnerEmail, org.OwnerPassword);
        var page = await owner.GetAsync("/account/two-factor");
        var secret = Secret().Match(page.Html).Groups[1].Value;
        var totp = new Totp(Base32Encoding.ToBytes(secret));

        var wrong = await owner.PostFormAsync("/account/two-factor", new Dictionary<string, string> { ["Enrolment"] = Enrolment(page.Html), ["Code"] = Other(totp.ComputeTotp(Now())) });
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        var enrolled = await owner.PostFormAsync("/account/two-factor", new Dictionary<string, string> { ["Enrolment"] = Enrolment(page.Html), ["Code"] = totp.ComputeTotp(Now()) });
        var recovery = RecoveryCode().Matches(await enrolled.Content.ReadAsStringAsync()).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(10, recovery.Count);
        await using (var db = engine.NewDb(org.Api.OrganizationId))
        {
            var stored = await db.Users.SingleAsync(u => u.Id == org.OwnerId);
            Assert.NotNull(stored.TotpSecret);
            Assert.DoesNotContain(secret, stored.TotpSecret!, StringComparison.Ordinal);
        }

        Assert.False(await DatabaseScan.ContainsAsync(engine, secret));
        Assert.False(await DatabaseScan.ContainsAsync(engine, recovery[0]));

        // The password alone no longer signs in: the answer asks for a code and sets no session.
        var browser = new Browser(_app);
        var password = await browser.SignInAsync(org.OwnerEmail, org.OwnerPassword);
        Assert.Equal(HttpStatusCode.OK, password.StatusCode);
        Assert.DoesNotContain(password.Headers.TryGetValues("Set-Cookie", out var set) ? set : [], c => c.StartsWith("cairn_staff=", StringComparison.Ordinal));
        var pending = Pending(await password.Content.ReadAsStringAsync());
        await browser.GetAsync("/signin");

        var badCode = await CodeAsync(browser, pending, Other(totp.ComputeTotp(Now())));
        Assert.Equal(HttpStatusCode.Unauthorized, badCode.StatusCode);
        _app.Clock.Advance(TimeSpan.FromSeconds(30));
        var code = totp.ComputeTotp(Now());
        Assert.Equal(HttpStatusCode.Redirect, (await CodeAsync(browser, pending, code)).StatusCode);
        await Json.OkAsync(await browser.Http.GetAsync("/api/v1/clients"));

        // The same code again (replayed within its 30 seconds) is refused; a recovery code works once.
        var again = new Browser(_app);
        var secondPending = Pending(await (await again.SignInAsync(org.OwnerEmail, org.OwnerPassword)).Content.ReadAsStringAsync());
        await again.GetAsync("/signin");
        Assert.Equal(HttpStatusCode.Unauthorized, (await CodeAsync(again, secondPending, code)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await CodeAsync(again, secondPending, recovery[3])).StatusCode);
        var third = new Browser(_app);
        var thirdPending = Pending(await (await third.SignInAsync(org.OwnerEmail, org.OwnerPassword)).Content.ReadAsStringAsync());
        await third.GetAsync("/signin");
        Assert.Equal(HttpStatusCode.Unauthorized, (await CodeAsync(third, thirdPending, recovery[3])).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await CodeAsync(third, "forged", totp.ComputeTotp(Now()))).StatusCode);
    }

    [Fact]
    public async Task When_an_owner_requires_two_factor_a_member_without_it_reaches_only_enrolment_and_api_keys_keep_working()
    {
        var org = await _app.NewStaffOrganizationAsync(Staff.Email("ada"));
        await org.Api.PostOkAsync("/api/v1/clients", new { name = "Globex" });
        var owner = new Browser(_app);
        await owner.SignInAsync(org.OwnerEmail, org.OwnerPassword);
        Assert.Contains("name=\"RequireTwoFactor\"", (await owner.GetAsync("/settings")).Html, StringComparison.Ordinal);

        var settings = await org.Api.PatchOkAsync("/api/v1/settings", new { requireTwoFactor = true });

        Assert.True((bool)settings["requireTwoFactor"]!);
        foreach (var path in new[] { "/", "/clients", "/invoices", "/settings" })
        {
            var (status, _, response) = await owner.GetAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, status);
            Assert.Equal("/account/two-factor", response.Headers.Location?.ToString());
        }

        await Json.ProblemAsync(await owner.Http.GetAsync("/api/v1/clients"), 403);
        var signedInAgain = new Browser(_app);
        Assert.Equal(HttpStatusCode.Redirect, (await signedInAgain.SignInAsync(org.OwnerEmail, org.OwnerPassword)).StatusCode);
        Assert.Equal("/account/two-factor", (await signedInAgain.GetAsync("/contracts")).Response.Headers.Location?.ToString());
        Assert.Equal("Globex", (await org.Api.GetOkAsync("/api/v1/clients")).Str("data.0.name"));

        var page = await owner.GetAsync("/account/two-factor");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains("data-two-factor-required", page.Html, StringComparison.Ordinal);
        var totp = new Totp(Base32Encoding.ToBytes(Secret().Match(page.Html).Groups[1].Value));
        var enrolled = await owner.PostFormAsync("/account/two-factor", new Dictionary<string, string> { ["Enrolment"] = Enrolment(page.Html), ["Code"] = totp.ComputeTotp(Now()) });
        Assert.Equal(HttpStatusCode.OK, enrolled.StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync("/clients")).Status);
        Assert.Equal("Globex", (await Json.OkAsync(await owner.Http.GetAsync("/api/v1/clients"))).Str("data.0.name"));
    }

    [Fact]
    public async Task Switching_to_an_organization_that_requires_two_factor_sends_a_member_without_it_to_enrol_first()
    {
        var acme = await _app.NewStaffOrganizationAsync(Staff.Email("ada"));
        var beta = await _app.NewStaffOrganizationAsync(Staff.Email("bob"), "Beta Works");
        await acme.Api.PatchOkAsync("/api/v1/settings", new { requireTwoFactor = true });
        await acme.Api.PostOkAsync("/api/v1/users/invitations", new { email = beta.OwnerEmail, role = "finance" });
        var bob = new Browser(_app);
        await bob.SignInAsync(beta.OwnerEmail, beta.OwnerPassword);
        Assert.Equal(HttpStatusCode.OK, (await bob.GetAsync("/")).Status);

        await bob.PostFormAsync("/account/organization", new Dictionary<string, string> { ["organizationId"] = acme.Api.OrganizationId.ToString() });

        Assert.Equal("/account/two-factor", (await bob.GetAsync("/")).Response.Headers.Location?.ToString());
        await Json.ProblemAsync(await bob.Http.GetAsync("/api/v1/invoices"), 403);
        await bob.GetAsync("/account/two-factor");
        var back = await bob.PostFormAsync("/account/organization", new Dictionary<string, string> { ["organizationId"] = beta.Api.OrganizationId.ToString() });
        Assert.Equal(HttpStatusCode.Redirect, back.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await bob.GetAsync("/")).Status);
    }

    private DateTime Now() => _app.Clock.GetUtcNow().UtcDateTime;

    private static string Other(string code) => ((int.Parse(code, System.Globalization.CultureInfo.InvariantCulture) + 1) % 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);

    private static Task<HttpResponseMessage> CodeAsync(Browser browser, string pending, string code) =>
        browser.PostFormAsync("/signin?handler=Code", new Dictionary<string, string> { ["Pending"] = pending, ["Code"] = code });

    private static string Enrolment(string html) => WebUtility.HtmlDecode(EnrolmentField().Match(html).Groups[1].Value);

    private static string Pending(string html) => WebUtility.HtmlDecode(PendingField().Match(html).Groups[1].Value);

    [GeneratedRegex("data-totp-secret>([A-Z2-7]+)<")]
    private static partial Regex Secret();

    [GeneratedRegex("name=\"Enrolment\" value=\"([^\"]+)\"")]
    private static partial Regex EnrolmentField();

    [GeneratedRegex("name=\"Pending\" value=\"([^\"]+)\"")]
    private static partial Regex PendingField();

    [GeneratedRegex("<li>([a-z2-7]{6}-[a-z2-7]{6}-[a-z2-7]{6}-[a-z2-7]{6})</li>")]
    private static partial Regex RecoveryCode();
}

public sealed class SqliteTwoFactor(SqliteEngine engine) : TwoFactorTests<SqliteEngine>(engine);

public sealed class PostgresTwoFactor(PostgresEngine engine) : TwoFactorTests<PostgresEngine>(engine);
