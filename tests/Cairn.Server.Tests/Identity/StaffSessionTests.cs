using System.Net;
using System.Net.Http.Json;
using Cairn.Server.Api;
using Cairn.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Tests.Identity;

/// <summary>Staff sign in with email and password; the cookie opens the API; lockout, antiforgery, invitations, roles.</summary>
public abstract class StaffSessionTests<TEngine>(TEngine engine) : IClassFixture<TEngine>, IAsyncLifetime
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
    public async Task Signing_in_gives_a_cookie_that_reads_the_api_and_signing_out_ends_it()
    {
        var org = await _app.NewStaffOrganizationAsync(Staff.Email("ada"));
        await org.Api.PostOkAsync("/api/v1/clients", new { name = "Globex" });
        var browser = new Browser(_app);

        var signIn = await browser.SignInAsync(org.OwnerEmail.ToUpperInvariant(), org.OwnerPassword);

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        var cookie = Assert.Single(signIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith("cairn_staff=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        var clients = await Json.OkAsync(await browser.Http.GetAsync("/api/v1/clients"));
        Assert.Equal("Globex", clients.Str("data.0.name"));

        await browser.GetAsync("/");
        var signOut = await browser.PostFormAsync("/signout", new Dictionary<string, string>());
        Assert.Equal("/signin", signOut.Headers.Location?.ToString());
        await Json.ProblemAsync(await browser.Http.GetAsync("/api/v1/clients"), 401, "unauthenticated");
    }

    [Fact]
    public async Task A_wrong_password_is_refused_and_five_failures_lock_the_account_for_fifteen_minutes()
    {
        var org = await _app.NewStaffOrganizationAsync(Staff.Email("ada"));
        var browser = new Browser(_app);

        for (var i = 0; i < 4; i++)
        {
            var wrong = await browser.SignInAsync(org.OwnerEmail, "not the password");
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
            Assert.Contains("The email or password is incorrect.", await wrong.Content.ReadAsStringAsync());
        }

        var fifth = await browser.SignInAsync(org.OwnerEmail, "not the password");
        Assert.Contains("locked for 15 minutes", await fifth.Content.ReadAsStringAsync());
        var rightButLocked = await browser.SignInAsync(org.OwnerEmail, org.OwnerPassword);
        Assert.Equal(HttpStatusCode.TooManyRequests, rightButLocked.StatusCode);
        Assert.DoesNotContain(rightButLocked.Headers.TryGetValues("Set-Cookie", out var set) ? set : [], c => c.StartsWith("cairn_staff=", StringComparison.Ordinal));

        _app.Clock.Advance(TimeSpan.FromMinutes(14));
        Assert.Equal(HttpStatusCode.TooManyRequests, (await browser.SignInAsync(org.OwnerEmail, org.OwnerPassword)).StatusCode);
        _app.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SignInAsync(org.OwnerEmail, org.OwnerPassword)).StatusCode);
    }

    [Fact]
    public async Task A_cross_site_form_post_without_the_antiforgery_token_is_rejected()
    {
        var org = await _app.NewStaffOrganizationAsync(Staff.Email("ada"));
        var browser = new Browser(_app);
        await browser.SignInAsync(org.OwnerEmail, org.OwnerPassword);

        var forgedSignIn = await new Browser(_app).PostFormAsync("/signin", new Dictionary<string, string> { ["Email"] = org.OwnerEmail, ["Password"] = org.OwnerPassword }, withToken: false);
        var forgedSignOut = await browser.PostFormAsync("/signout", new Dictionary<string, string>(), withToken: false);

        Assert.Equal(HttpStatusCode.BadRequest, forgedSignIn.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, forgedSignOut.StatusCode);
        await Json.OkAsync(await browser.Http.GetAsync("/api/v1/clients"));
    }

    [Fact]
    public async Task A_change_through_the_api_with_a_staff_cookie_needs_the_antiforgery_header_and_is_recorded_as_the_user()
    {
        var org = await _app.NewStaffOrganizationAsync(Staff.Email("ada"));
        var browser = new Browser(_app);
        await browser.SignInAsync(org.OwnerEmail, org.OwnerPassword);

        await Json.ProblemAsync(await browser.Http.PostAsJsonAsync("/api/v1/clients", new { name = "Globex" }), 400, "antiforgery_token_invalid", "X-CSRF-TOKEN");
        await browser.GetAsync("/");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/clients") { Content = JsonContent.Create(new { name = "Globex" }) };
        request.Headers.Add("X-CSRF-TOKEN", browser.Token);
        var created = await Json.OkAsync(await browser.Http.SendAsync(request));

        await using var db = engine.NewDb(org.Api.OrganizationId);
        var entry = await db.AuditLog.SingleAsync(e => e.EntityType == "client" && e.Action == "created");
        Assert.Equal($"user:{org.OwnerId}", entry.Actor);
        Assert.Equal(created.Str("id"), entry.EntityId.ToString());
    }

    [Fact]
    public async Task Api_routes_answer_problems_and_never_redirect_to_the_sign_in_page()
    {
        var browser = new Browser(_app);

        var anonymous = await browser.Http.GetAsync("/api/v1/users");

        await Json.ProblemAsync(anonymous, 401, "unauthenticated");
        Assert.Null(anonymous.Headers.Location);
    }

    [Fact]
    public async Task An_invitation_arrives_as_an_email_whose_link_lets_the_new_user_choose_a_password_once()
    {
        var org = await _app.NewStaffOrganizationAsync(Staff.Email("ada"));
        var email = Staff.Email("bob");

        var invited = await Json.OkAsync(await org.Api.PostAsync("/api/v1/users/invitations", new { email, role = "project_manager" }));

        Assert.True((bool)invited["emailed"]!);
        Assert.Equal("invited", invited.Str("user.status"));
        var mail = Mailbox.LastTo(_app, email);
        Assert.Equal("Your invitation to Acme Studio on Cairn", mail.Subject);
        var link = Mailbox.LinkIn(mail, "/invite/");
        Assert.Equal(invited.Str("inviteUrl"), link);
        Assert.Equal(HttpStatusCode.Unauthorized, (await new Browser(_app).SignInAsync(email, "anything at all")).StatusCode);

        var browser = new Browser(_app);
        var page = await browser.GetAsync(new Uri(link).PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains(email, page.Html);
        var accepted = await browser.PostFormAsync(new Uri(link).PathAndQuery, new Dictionary<string, string> { ["DisplayName"] = "Bob Builder", ["Password"] = "a long enough password", ["ConfirmPassword"] = "a long enough password" });

        Assert.Equal("/", accepted.Headers.Location?.ToString());
        var me = await Json.OkAsync(await browser.Http.GetAsync($"/api/v1/users/{invited.Str("user.id")}"));
        Assert.Equal("Bob Builder", me.Str("displayName"));
        Assert.Equal("active", me.Str("status"));
        Assert.Equal("project_manager", me.Str("role"));
        Assert.Equal(HttpStatusCode.NotFound, (await new Browser(_app).GetAsync(new Uri(link).PathAndQuery)).Status);
        Assert.Equal(HttpStatusCode.Redirect, (await new Browser(_app).SignInAsync(email, "a long enough password")).StatusCode);
    }

    [Fact]
    public async Task An_invitation_expires_after_seven_days_and_a_forged_one_never_opens()
    {
        var org = await _app.NewStaffOrganizationAsync(Staff.Email("ada"));
        var invited = await Json.OkAsync(await org.Api.PostAsync("/api/v1/users/invitations", new { email = Staff.Email("bob"), role = "viewer" }));
        var path = new Uri(invited.Str("inviteUrl")).PathAndQuery;

        _app.Clock.Advance(TimeSpan.FromDays(7));

        Assert.Equal(HttpStatusCode.NotFound, (await new Browser(_app).GetAsync(path)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await new Browser(_app).GetAsync("/invite/" + new string('A', 43))).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await new Browser(_app).GetAsync("/invite/short")).Status);
    }

    [Fact]
    public async Task A_role_change_applies_to_a_running_session_and_deactivation_ends_it()
    {
        var org = await _app.NewStaffOrganizationAsync(Staff.Email("ada"));
        var email = Staff.Email("vic");
        var invited = await Json.OkAsync(await org.Api.PostAsync("/api/v1/users/invitations", new { email, role = "viewer", displayName = "Vic" }));
        var id = invited.Str("user.id");
        var browser = await AcceptAsync(invited, "Vic");
        await browser.GetAsync("/");

        Assert.Equal(HttpStatusCode.Forbidden, (await PostClientAsync(browser)).StatusCode);
        await Json.OkAsync(await org.Api.PatchAsync($"/api/v1/users/{id}", new { role = "project_manager" }));
        Assert.Equal(HttpStatusCode.Created, (await PostClientAsync(browser)).StatusCode);

        await Json.OkAsync(await org.Api.PostAsync($"/api/v1/users/{id}/deactivate", null));
        await Json.ProblemAsync(await browser.Http.GetAsync("/api/v1/clients"), 401, "unauthenticated");
        Assert.Equal(HttpStatusCode.Unauthorized, (await new Browser(_app).SignInAsync(email, "a long enough password")).StatusCode);
    }

    [Fact]
    public async Task A_deactivated_user_is_reactivated_with_their_role_and_nobody_deactivates_themselves()
    {
        var org = await _app.NewStaffOrganizationAsync(Staff.Email("ada"));
        var email = Staff.Email("olga");
        var invited = await Json.OkAsync(await org.Api.PostAsync("/api/v1/users/invitations", new { email, role = "owner", displayName = "Olga" }));
        var id = invited.Str("user.id");
        await AcceptAsync(invited, "Olga");

        Assert.Equal("deactivated", (await Json.OkAsync(await org.Api.PostAsync($"/api/v1/users/{id}/deactivate", null))).Str("status"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await new Browser(_app).SignInAsync(email, "a long enough password")).StatusCode);
        var back = await Json.OkAsync(await org.Api.PostAsync($"/api/v1/users/{id}/reactivate", null));
        Assert.Equal(("active", "owner"), (back.Str("status"), back.Str("role")));

        // Olga signs in again; even with Ada as another owner, she cannot deactivate herself in the settings.
        var olga = new Browser(_app);
        Assert.Equal(HttpStatusCode.Redirect, (await olga.SignInAsync(email, "a long enough password")).StatusCode);
        await olga.GetAsync("/settings");
        var refused = await olga.PostFormAsync("/settings?handler=Deactivate", new Dictionary<string, string> { ["userId"] = id });
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("You cannot deactivate yourself", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("active", (await org.Api.GetOkAsync($"/api/v1/users/{id}")).Str("status"));
        await Json.ProblemAsync(await org.Api.PostAsync($"/api/v1/users/{Guid.NewGuid()}/reactivate", null), 404, "not_found");
    }

    [Fact]
    public async Task The_last_owner_can_be_neither_demoted_nor_deactivated_and_roles_are_checked()
    {
        var org = await _app.NewStaffOrganizationAsync(Staff.Email("ada"));

        await Json.ProblemAsync(await org.Api.PatchAsync($"/api/v1/users/{org.OwnerId}", new { role = "viewer" }), 409, "last_owner");
        await Json.ProblemAsync(await org.Api.PostAsync($"/api/v1/users/{org.OwnerId}/deactivate", null), 409, "last_owner");
        await Json.ProblemAsync(await org.Api.PatchAsync($"/api/v1/users/{org.OwnerId}", new { role = "emperor" }), 400, "invalid_role", "role");
        await Json.ProblemAsync(await org.Api.PostAsync("/api/v1/users/invitations", new { email = org.OwnerEmail.ToUpperInvariant(), role = "viewer" }), 409, "already_member", "email");
        var finance = await _app.WithRoleAsync(org.Api, Cairn.Server.Identity.Role.Finance);
        await Json.ProblemAsync(await finance.PostAsync("/api/v1/users/invitations", new { email = Staff.Email(), role = "owner" }), 403, "forbidden");
        await Json.OkAsync(await finance.GetAsync("/api/v1/users"));
    }

    [Fact]
    public async Task Another_organization_cannot_see_or_change_users()
    {
        var acme = await _app.NewStaffOrganizationAsync(Staff.Email("ada"));
        var other = await _app.NewStaffOrganizationAsync(Staff.Email("eve"), "Other");

        await Json.ProblemAsync(await other.Api.GetAsync($"/api/v1/users/{acme.OwnerId}"), 404, "not_found");
        await Json.ProblemAsync(await other.Api.PatchAsync($"/api/v1/users/{acme.OwnerId}", new { role = "viewer" }), 404, "not_found");
        await Json.ProblemAsync(await other.Api.PostAsync($"/api/v1/users/{acme.OwnerId}/deactivate", null), 404, "not_found");
        var users = await other.Api.GetOkAsync("/api/v1/users");
        Assert.Equal(other.OwnerEmail, Assert.Single(users["data"]!.AsArray())!.Str("email"));
    }

    // Accepts an invitation in a new browser with the password "a long enough password"; the browser is signed in.
    private async Task<Browser> AcceptAsync(System.Text.Json.Nodes.JsonNode invited, string name)
    {
        var browser = new Browser(_app);
        var path = new Uri(invited.Str("inviteUrl")).PathAndQuery;
        await browser.GetAsync(path);
        await browser.PostFormAsync(path, new Dictionary<string, string> { ["DisplayName"] = name, ["Password"] = "a long enough password", ["ConfirmPassword"] = "a long enough password" });
        return browser;
    }

    private static async Task<HttpResponseMessage> PostClientAsync(Browser browser)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/clients") { Content = JsonContent.Create(new { name = "Globex" }, options: ApiJson.Options) };
        request.Headers.Add("X-CSRF-TOKEN", browser.Token);
        return await browser.Http.SendAsync(request);
    }
}

public sealed class SqliteStaffSessions(SqliteEngine engine) : StaffSessionTests<SqliteEngine>(engine);

public sealed class PostgresStaffSessions(PostgresEngine engine) : StaffSessionTests<PostgresEngine>(engine);
