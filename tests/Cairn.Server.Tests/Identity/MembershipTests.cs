using System.Net;
using System.Text.Json.Nodes;
using Cairn.Server.Tests.Infrastructure;

namespace Cairn.Server.Tests.Identity;

/// <summary>
/// One person, several organizations (issue 11, finding 3): an invitation to an address that has an
/// account elsewhere answers exactly like one to a new address and adds a membership; the person
/// signs in once and switches; role, deactivation and the last-owner rule are per organization, and
/// another organization's data stays out of reach after a switch.
/// </summary>
public abstract class MembershipTests<TEngine>(TEngine engine) : IClassFixture<TEngine>, IAsyncLifetime
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
    public async Task Inviting_an_address_known_only_in_another_organization_answers_like_a_new_address_and_names_nothing_of_it()
    {
        var acme = await _app.NewStaffOrganizationAsync(Staff.Email("ada"));
        var beta = await _app.NewStaffOrganizationAsync(Staff.Email("bob"), "Beta Works");
        var stranger = Staff.Email("carl");

        var known = await acme.Api.PostAsync("/api/v1/users/invitations", new { email = beta.OwnerEmail, role = "viewer" });
        var unknown = await acme.Api.PostAsync("/api/v1/users/invitations", new { email = stranger, role = "viewer" });

        Assert.Equal(HttpStatusCode.Created, known.StatusCode);
        Assert.Equal(HttpStatusCode.Created, unknown.StatusCode);
        var (knownBody, unknownBody) = (await known.Content.ReadAsStringAsync(), await unknown.Content.ReadAsStringAsync());
        var (knownJson, unknownJson) = (JsonNode.Parse(knownBody)!, JsonNode.Parse(unknownBody)!);
        Assert.Equal(Shape(unknownJson), Shape(knownJson));
        foreach (var field in new[] { "user.status", "user.role", "user.lastSignInAt", "user.deactivatedAt", "emailed" })
            Assert.Equal(Json.Walk(unknownJson, field)?.ToJsonString(), Json.Walk(knownJson, field)?.ToJsonString());
        Assert.Equal("invited", knownJson.Str("user.status"));
        Assert.Equal(beta.OwnerEmail[..beta.OwnerEmail.IndexOf('@', StringComparison.Ordinal)], knownJson.Str("user.displayName"));
        Assert.Equal(new Uri(unknownJson.Str("inviteUrl")).GetLeftPart(UriPartial.Authority) + "/invite/", new Uri(knownJson.Str("inviteUrl")).GetLeftPart(UriPartial.Authority) + "/invite/");
        Assert.StartsWith("/invite/", new Uri(knownJson.Str("inviteUrl")).AbsolutePath, StringComparison.Ordinal);
        Assert.DoesNotContain("Beta Works", knownBody, StringComparison.Ordinal);
        Assert.DoesNotContain(beta.Api.OrganizationId.ToString(), knownBody, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Ada Owner", knownBody, StringComparison.Ordinal);
        var listed = await acme.Api.GetOkAsync("/api/v1/users");
        Assert.DoesNotContain("Beta Works", listed.ToJsonString(), StringComparison.Ordinal);

        // Bob is told he was added, signs in with his existing password: nothing was reset.
        var mail = Mailbox.LastTo(_app, beta.OwnerEmail);
        Assert.Contains("added to Acme Studio", mail.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("Beta Works", mail.TextBody, StringComparison.Ordinal);
        var link = new Uri(Mailbox.LinkIn(mail, "/invite/")).PathAndQuery;
        var page = await new Browser(_app).GetAsync(link);
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.DoesNotContain("name=\"Password\"", page.Html, StringComparison.Ordinal);
        var bob = new Browser(_app);
        Assert.Equal(HttpStatusCode.Redirect, (await bob.SignInAsync(beta.OwnerEmail, beta.OwnerPassword)).StatusCode);
    }

    [Fact]
    public async Task A_person_signs_in_once_switches_between_organizations_and_each_keeps_its_own_role_and_data()
    {
        var acme = await _app.NewStaffOrganizationAsync(Staff.Email("ada"));
        var beta = await _app.NewStaffOrganizationAsync(Staff.Email("bob"), "Beta Works");
        var acmeClient = await acme.Api.PostOkAsync("/api/v1/clients", new { name = "Acme's client" });
        var betaClient = await beta.Api.PostOkAsync("/api/v1/clients", new { name = "Beta's client" });
        var invited = await Json.OkAsync(await acme.Api.PostAsync("/api/v1/users/invitations", new { email = beta.OwnerEmail, role = "viewer" }));
        var bobId = invited.Str("user.id");

        var bob = new Browser(_app);
        await bob.SignInAsync(beta.OwnerEmail, beta.OwnerPassword);
        var home = await bob.GetAsync("/");
        Assert.Contains("data-organization-switcher", home.Html, StringComparison.Ordinal);
        Assert.Contains("Acme Studio", home.Html, StringComparison.Ordinal);
        Assert.Equal("Beta's client", (await Json.OkAsync(await bob.Http.GetAsync("/api/v1/clients"))).Str("data.0.name"));
        Assert.Equal(HttpStatusCode.Created, (await ApiPostAsync(bob, "/api/v1/clients", """{"name":"Made in Beta"}""")).StatusCode);

        var switched = await bob.PostFormAsync("/account/organization", new Dictionary<string, string> { ["organizationId"] = acme.Api.OrganizationId.ToString() });

        Assert.Equal(HttpStatusCode.Redirect, switched.StatusCode);
        var clients = await Json.OkAsync(await bob.Http.GetAsync("/api/v1/clients"));
        Assert.Equal("Acme's client", Assert.Single(clients["data"]!.AsArray())!.Str("name"));
        await Json.ProblemAsync(await bob.Http.GetAsync($"/api/v1/clients/{betaClient.Str("id")}"), 404);
        await bob.GetAsync("/");
        await Json.ProblemAsync(await ApiPostAsync(bob, "/api/v1/clients", """{"name":"Viewer tries"}"""), 403);
        Assert.Equal("active", (await acme.Api.GetOkAsync($"/api/v1/users/{bobId}")).Str("status"));

        // Back in Beta he is owner again and sees Beta's data only.
        await bob.PostFormAsync("/account/organization", new Dictionary<string, string> { ["organizationId"] = beta.Api.OrganizationId.ToString() });
        await Json.ProblemAsync(await bob.Http.GetAsync($"/api/v1/clients/{acmeClient.Str("id")}"), 404);
        await bob.GetAsync("/");
        Assert.Equal(HttpStatusCode.Created, (await ApiPostAsync(bob, "/api/v1/clients", """{"name":"Owner again"}""")).StatusCode);

        // An organization he does not belong to cannot be switched to.
        var gamma = await _app.NewStaffOrganizationAsync(Staff.Email("gil"), "Gamma");
        var refused = await bob.PostFormAsync("/account/organization", new Dictionary<string, string> { ["organizationId"] = gamma.Api.OrganizationId.ToString() });
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        Assert.Contains("Owner again", (await Json.OkAsync(await bob.Http.GetAsync("/api/v1/clients")))["data"]!.AsArray().Select(c => c!.Str("name")));
    }

    [Fact]
    public async Task Deactivation_in_one_organization_ends_that_session_only_and_a_new_invitation_brings_the_person_back()
    {
        var acme = await _app.NewStaffOrganizationAsync(Staff.Email("ada"));
        var beta = await _app.NewStaffOrganizationAsync(Staff.Email("bob"), "Beta Works");
        var bobId = (await Json.OkAsync(await acme.Api.PostAsync("/api/v1/users/invitations", new { email = beta.OwnerEmail, role = "finance" }))).Str("user.id");
        var bob = new Browser(_app);
        await bob.SignInAsync(beta.OwnerEmail, beta.OwnerPassword);
        await bob.GetAsync("/");
        await bob.PostFormAsync("/account/organization", new Dictionary<string, string> { ["organizationId"] = acme.Api.OrganizationId.ToString() });
        await Json.OkAsync(await bob.Http.GetAsync("/api/v1/clients"));

        Assert.Equal("deactivated", (await acme.Api.PostOkAsync($"/api/v1/users/{bobId}/deactivate")).Str("status"));

        await Json.ProblemAsync(await bob.Http.GetAsync("/api/v1/clients"), 401);
        var again = new Browser(_app);
        Assert.Equal(HttpStatusCode.Redirect, (await again.SignInAsync(beta.OwnerEmail, beta.OwnerPassword)).StatusCode);
        await Json.OkAsync(await again.Http.GetAsync("/api/v1/clients"));
        Assert.Equal("active", (await beta.Api.GetOkAsync($"/api/v1/users/{bobId}")).Str("status"));
        var home = await again.GetAsync("/");
        Assert.DoesNotContain("data-organization-switcher", home.Html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await again.PostFormAsync("/account/organization", new Dictionary<string, string> { ["organizationId"] = acme.Api.OrganizationId.ToString() })).StatusCode);

        // Invited again (not a 409): the membership returns, waiting for him, with the new role.
        var reinvited = await Json.OkAsync(await acme.Api.PostAsync("/api/v1/users/invitations", new { email = beta.OwnerEmail, role = "viewer" }));
        Assert.Equal(("invited", "viewer"), (reinvited.Str("user.status"), reinvited.Str("user.role")));
        Assert.Equal(HttpStatusCode.Redirect, (await again.PostFormAsync("/account/organization", new Dictionary<string, string> { ["organizationId"] = acme.Api.OrganizationId.ToString() })).StatusCode);
        Assert.Equal("active", (await acme.Api.GetOkAsync($"/api/v1/users/{bobId}")).Str("status"));

        // Inviting an active member of this organization says so; that reveals nothing new.
        await Json.ProblemAsync(await acme.Api.PostAsync("/api/v1/users/invitations", new { email = beta.OwnerEmail, role = "viewer" }), 409, "already_member", "email");
    }

    [Fact]
    public async Task The_last_owner_rule_counts_the_owners_of_each_organization_on_its_own()
    {
        var acme = await _app.NewStaffOrganizationAsync(Staff.Email("ada"));
        var beta = await _app.NewStaffOrganizationAsync(Staff.Email("bob"), "Beta Works");
        await acme.Api.PostOkAsync("/api/v1/users/invitations", new { email = beta.OwnerEmail, role = "owner" });

        // Bob owns Beta, but in Acme he has not come yet: Ada is still Acme's last owner.
        await Json.ProblemAsync(await acme.Api.PatchAsync($"/api/v1/users/{acme.OwnerId}", new { role = "viewer" }), 409, "last_owner", "role");

        var bob = new Browser(_app);
        await bob.SignInAsync(beta.OwnerEmail, beta.OwnerPassword);
        await bob.GetAsync("/");
        await bob.PostFormAsync("/account/organization", new Dictionary<string, string> { ["organizationId"] = acme.Api.OrganizationId.ToString() });

        Assert.Equal("viewer", (await acme.Api.PatchOkAsync($"/api/v1/users/{acme.OwnerId}", new { role = "viewer" })).Str("role"));
        await Json.ProblemAsync(await beta.Api.PatchAsync($"/api/v1/users/{beta.OwnerId}", new { role = "viewer" }), 409, "last_owner", "role");
        await Json.ProblemAsync(await beta.Api.PostAsync($"/api/v1/users/{beta.OwnerId}/deactivate", new { }), 409, "last_owner");
        await Json.ProblemAsync(await beta.Api.GetAsync($"/api/v1/users/{acme.OwnerId}"), 404);
    }

    private static async Task<HttpResponseMessage> ApiPostAsync(Browser browser, string path, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Add("X-CSRF-TOKEN", browser.Token);
        return await browser.Http.SendAsync(request);
    }

    /// <summary>The property paths of a JSON document and the kind of each value: what two answers must share to look alike.</summary>
    private static List<string> Shape(JsonNode node, string path = "") => node switch
    {
        JsonObject o => o.SelectMany(p => p.Value is null ? [$"{path}.{p.Key}:null"] : Shape(p.Value, $"{path}.{p.Key}")).Order(StringComparer.Ordinal).ToList(),
        JsonArray a => a.SelectMany((v, i) => v is null ? [$"{path}[{i}]:null"] : Shape(v, $"{path}[{i}]")).ToList(),
        _ => [$"{path}:{node.GetValueKind()}"],
    };
}

public sealed class SqliteMemberships(SqliteEngine engine) : MembershipTests<SqliteEngine>(engine);

public sealed class PostgresMemberships(PostgresEngine engine) : MembershipTests<PostgresEngine>(engine);
