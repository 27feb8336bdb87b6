using System.Net;
using Cairn.Domain;
using Cairn.Server.Identity;
using Cairn.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Tests.Identity;

/// <summary>Client contacts enter the portal by link: hashed, expiring, revocable, rate-limited, and scoped to their own client.</summary>
public abstract class PortalLinkTests<TEngine>(TEngine engine) : IClassFixture<TEngine>, IAsyncLifetime
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
    public async Task The_emailed_link_opens_a_portal_that_shows_only_the_contacts_own_client()
    {
        var world = await TwoClientsAsync();

        var created = await Json.OkAsync(await world.Api.PostAsync(world.LinksOfX, new { }));

        Assert.True((bool)created["emailed"]!);
        var mail = Mailbox.LastTo(_app, world.XContactEmail);
        var link = Mailbox.LinkIn(mail, "/portal/");
        Assert.Equal(created.Str("url"), link);
        var browser = new Browser(_app);
        var opened = await browser.GetAsync(new Uri(link).PathAndQuery);
        Assert.Equal(HttpStatusCode.Redirect, opened.Status);
        Assert.Equal("/portal", opened.Response.Headers.Location?.ToString());
        var portal = await browser.GetAsync("/portal");
        Assert.Equal(HttpStatusCode.OK, portal.Status);
        Assert.Contains("Globex rebuild", portal.Html);
        Assert.DoesNotContain("Initech migration", portal.Html);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync($"/portal/contracts/{world.XContractId}")).Status);
    }

    [Fact]
    public async Task A_contact_of_one_client_gets_404_for_another_clients_contract_and_milestones()
    {
        var world = await TwoClientsAsync();
        var browser = await OpenPortalAsync(world);

        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync($"/portal/contracts/{world.YContractId}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync($"/portal/contracts/{Guid.NewGuid()}")).Status);

        var contact = new Caller(world.Api.OrganizationId, new Actor(ActorKind.Contact, world.XContactId, "Xena"), null, world.XClientId);
        await using var db = engine.NewDb();
        Assert.NotNull(await PortalAccess.MilestoneForContactAsync(db, contact, world.XMilestoneId));
        Assert.Null(await PortalAccess.MilestoneForContactAsync(db, contact, world.YMilestoneId));
        var stranger = contact with { OrganizationId = Guid.NewGuid() };
        Assert.Null(await PortalAccess.MilestoneForContactAsync(db, stranger, world.XMilestoneId));
    }

    [Fact]
    public async Task A_contact_of_one_client_cannot_approve_request_changes_or_dispute_another_clients_milestones()
    {
        var world = await TwoClientsAsync();
        await using (var db = engine.NewDb(world.Api.OrganizationId))
        {
            // X's own milestone waits for the contact, so the page carries real forms and their antiforgery token.
            var own = await db.Milestones.SingleAsync(m => m.Id == world.XMilestoneId);
            own.Start(Seed.Client, Seed.Now);
            own.Submit("Mockups delivered", ["https://files.example.test/mockups.pdf"], Seed.Client, Seed.Now);
            await db.SaveChangesAsync();
        }

        var browser = await OpenPortalAsync(world);
        Assert.Contains("__RequestVerificationToken", (await browser.GetAsync($"/portal/contracts/{world.XContractId}")).Html, StringComparison.Ordinal);
        var before = await SnapshotAsync(world.Api.OrganizationId);

        foreach (var handler in new[] { "Approve", "Changes", "Dispute" })
        {
            var fields = new Dictionary<string, string> { ["milestoneId"] = world.YMilestoneId.ToString(), ["Reason"] = "Not ours to decide" };
            var throughOwnContract = await browser.PostFormAsync($"/portal/contracts/{world.XContractId}?handler={handler}", fields);
            var throughTheirContract = await browser.PostFormAsync($"/portal/contracts/{world.YContractId}?handler={handler}", fields);

            Assert.True(throughOwnContract.StatusCode == HttpStatusCode.NotFound, $"{handler} through own contract: {(int)throughOwnContract.StatusCode} {await throughOwnContract.Content.ReadAsStringAsync()}");
            Assert.Equal(HttpStatusCode.NotFound, throughTheirContract.StatusCode);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync($"/portal/invoices/{Guid.NewGuid()}/pdf")).Status);
        Assert.Equal(before, await SnapshotAsync(world.Api.OrganizationId));
    }

    [Fact]
    public async Task A_contact_downloads_their_own_invoices_as_UBL_and_CII_e_invoices_and_nobody_elses()
    {
        var world = await TwoClientsAsync();
        var invoices = new List<string>();
        foreach (var milestone in new[] { world.XMilestoneId, world.YMilestoneId })
        {
            await Plans.DeliverAsync(world.Api, milestone.ToString());
            invoices.Add((await world.Api.PostOkAsync($"/api/v1/milestones/{milestone}/approve")).Str("invoice.id"));
        }

        var browser = await OpenPortalAsync(world);
        Assert.Contains($"/portal/invoices/{invoices[0]}/ubl", (await browser.GetAsync("/portal")).Html, StringComparison.Ordinal);
        var own = await browser.GetAsync($"/portal/invoices/{invoices[0]}/ubl");

        Assert.Equal(HttpStatusCode.OK, own.Status);
        Assert.Equal("application/xml", own.Response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<cbc:ID>INV-2026-000001</cbc:ID>", own.Html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync($"/portal/invoices/{invoices[1]}/ubl")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync($"/portal/invoices/{Guid.NewGuid()}/ubl")).Status);

        Assert.Contains($"/portal/invoices/{invoices[0]}/cii", (await browser.GetAsync("/portal")).Html, StringComparison.Ordinal);
        var cii = await browser.GetAsync($"/portal/invoices/{invoices[0]}/cii");
        Assert.Equal(HttpStatusCode.OK, cii.Status);
        Assert.Contains("<ram:ID>INV-2026-000001</ram:ID>", cii.Html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync($"/portal/invoices/{invoices[1]}/cii")).Status);
    }

    [Fact]
    public async Task A_contact_sees_their_own_credit_notes_on_the_portal_home_downloads_them_and_gets_404_for_another_clients()
    {
        var world = await TwoClientsAsync();
        var notes = new List<string>();
        foreach (var milestone in new[] { world.XMilestoneId, world.YMilestoneId })
        {
            await Plans.DeliverAsync(world.Api, milestone.ToString());
            var invoice = (await world.Api.PostOkAsync($"/api/v1/milestones/{milestone}/approve")).Str("invoice.id");
            notes.Add((await world.Api.PostOkAsync($"/api/v1/invoices/{invoice}/credit-notes", new { amount = new { amount = "360.00", currency = "EUR" }, reason = "Billed in error" })).Str("id"));
        }

        var browser = await OpenPortalAsync(world);
        var home = (await browser.GetAsync("/portal")).Html;
        var row = System.Text.RegularExpressions.Regex.Match(home, $"<tr data-credit-note=\"{notes[0]}\">(.*?)</tr>", System.Text.RegularExpressions.RegexOptions.Singleline);
        Assert.True(row.Success, "the portal home lists the client's credit note");
        var cells = System.Text.RegularExpressions.Regex.Matches(row.Groups[1].Value, "<td[^>]* data-label=\"([^\"]*)\"[^>]*>(.*?)</td>", System.Text.RegularExpressions.RegexOptions.Singleline)
            .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
        Assert.Equal("CN-2026-000001", cells["Credit note"]);
        Assert.Equal("INV-2026-000001", cells["Credits invoice"]);
        Assert.Equal("360.00 EUR", cells["Total"]);
        Assert.DoesNotContain(notes[1], home, StringComparison.Ordinal);

        var pdf = await browser.Http.GetAsync($"/portal/credit-notes/{notes[0]}/pdf");
        Assert.Equal(HttpStatusCode.OK, pdf.StatusCode);
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("%PDF", System.Text.Encoding.ASCII.GetString(await pdf.Content.ReadAsByteArrayAsync())[..4], StringComparison.Ordinal);
        var ubl = await browser.GetAsync($"/portal/credit-notes/{notes[0]}/ubl");
        Assert.Equal(HttpStatusCode.OK, ubl.Status);
        Assert.Contains("<cbc:ID>CN-2026-000001</cbc:ID>", ubl.Html, StringComparison.Ordinal);
        var cii = await browser.GetAsync($"/portal/credit-notes/{notes[0]}/cii");
        Assert.Equal(HttpStatusCode.OK, cii.Status);
        Assert.Contains("<ram:ID>CN-2026-000001</ram:ID>", cii.Html, StringComparison.Ordinal);
        // A re-trial saved both as CN-2026-000001.xml, the second download replacing the first: each has its own name.
        string? SavedAs(HttpResponseMessage response) => response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName?.Trim('"');
        Assert.Equal(
            ("CN-2026-000001.pdf", "CN-2026-000001.xml", "CN-2026-000001-cii.xml"),
            (SavedAs(pdf), SavedAs(await browser.Http.GetAsync($"/portal/credit-notes/{notes[0]}/ubl")), SavedAs(await browser.Http.GetAsync($"/portal/credit-notes/{notes[0]}/cii"))));
        foreach (var link in new[] { "pdf", "ubl", "cii" })
        {
            Assert.Contains($"/portal/credit-notes/{notes[0]}/{link}", home, StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync($"/portal/credit-notes/{notes[1]}/{link}")).Status);
            Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync($"/portal/credit-notes/{Guid.NewGuid()}/{link}")).Status);
        }
    }

    [Fact]
    public async Task An_expired_link_opens_nothing()
    {
        var world = await TwoClientsAsync();
        var shortLived = await Json.OkAsync(await world.Api.PostAsync(world.LinksOfX, new { expiresInDays = 1, sendEmail = false }));
        var standard = await Json.OkAsync(await world.Api.PostAsync(world.LinksOfX, new { sendEmail = false }));
        Assert.False((bool)standard["emailed"]!);
        Assert.Equal(Seed.Now.AddDays(14), DateTimeOffset.Parse(standard.Str("link.expiresAt"), System.Globalization.CultureInfo.InvariantCulture));

        _app.Clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(HttpStatusCode.NotFound, (await new Browser(_app).GetAsync(PathOf(shortLived))).Status);
        Assert.Equal(HttpStatusCode.Redirect, (await new Browser(_app).GetAsync(PathOf(standard))).Status);
        _app.Clock.Advance(TimeSpan.FromDays(13));
        var expired = await new Browser(_app).GetAsync(PathOf(standard));
        Assert.Equal(HttpStatusCode.NotFound, expired.Status);
        Assert.Contains("This link is not valid", expired.Html);
    }

    [Fact]
    public async Task A_revoked_link_opens_nothing_when_replayed_and_ends_the_session_it_started()
    {
        var world = await TwoClientsAsync();
        var created = await Json.OkAsync(await world.Api.PostAsync(world.LinksOfX, new { sendEmail = false }));
        var browser = new Browser(_app);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync(PathOf(created))).Status);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/portal")).Status);

        var revoked = await Json.OkAsync(await world.Api.PostAsync($"/api/v1/portal-links/{created.Str("link.id")}/revoke", null));

        Assert.NotNull(revoked["revokedAt"]);
        Assert.Equal(HttpStatusCode.NotFound, (await new Browser(_app).GetAsync(PathOf(created))).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync(PathOf(created))).Status);
        var after = await browser.GetAsync("/portal");
        Assert.Equal(HttpStatusCode.Unauthorized, after.Status);
        Assert.DoesNotContain("Globex rebuild", after.Html);
        Assert.Contains("Your portal session has ended", after.Html);

        // With the session gone, nothing names the client any more: the page speaks the browser's language.
        var german = new Browser(_app);
        german.Http.DefaultRequestHeaders.AcceptLanguage.ParseAdd("de-AT, en;q=0.5");
        var ended = await german.GetAsync("/portal");
        Assert.Equal(HttpStatusCode.Unauthorized, ended.Status);
        Assert.Contains("Ihre Portalsitzung ist beendet", ended.Html);
        Assert.Contains("lang=\"de\"", ended.Html);
        var unknown = new Browser(_app);
        unknown.Http.DefaultRequestHeaders.AcceptLanguage.ParseAdd("ja, fr;q=0.1");
        Assert.Contains("Votre session est terminée", System.Net.WebUtility.HtmlDecode((await unknown.GetAsync("/portal")).Html));
    }

    [Fact]
    public async Task A_contact_signs_out_in_their_language_and_the_link_from_their_email_opens_the_portal_again()
    {
        var world = await TwoClientsAsync();
        await world.Api.PatchOkAsync($"/api/v1/clients/{world.XClientId}", new { language = "de" });
        var created = await Json.OkAsync(await world.Api.PostAsync(world.LinksOfX, new { sendEmail = false }));
        var browser = new Browser(_app);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync(PathOf(created))).Status);
        Assert.Contains("<button type=\"submit\">Abmelden</button>", (await browser.GetAsync("/portal")).Html);

        // Another site cannot sign the contact out: without the page's antiforgery token the session stays.
        Assert.Equal(HttpStatusCode.BadRequest, (await browser.PostFormAsync("/portal?handler=SignOut", new Dictionary<string, string>(), withToken: false)).StatusCode);
        Assert.Contains("Globex rebuild", (await browser.GetAsync("/portal")).Html);

        var signedOut = await browser.PostFormAsync("/portal?handler=SignOut", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
        var after = await browser.GetAsync(signedOut.Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.OK, after.Status);
        Assert.Contains("Sie haben sich abgemeldet", after.Html);
        Assert.Contains("lang=\"de\"", after.Html);
        Assert.DoesNotContain("Globex rebuild", after.Html);
        Assert.DoesNotContain("Abmelden</button>", after.Html);
        Assert.DoesNotContain("Globex rebuild", (await browser.GetAsync($"/portal/contracts/{world.XContractId}")).Html);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/portal")).Status);

        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync(PathOf(created))).Status);
        Assert.Contains("Globex rebuild", (await browser.GetAsync("/portal")).Html);
    }

    [Fact]
    public async Task Forged_tokens_open_nothing()
    {
        var world = await TwoClientsAsync();
        var created = await Json.OkAsync(await world.Api.PostAsync(world.LinksOfX, new { sendEmail = false }));
        var path = PathOf(created);
        var tampered = path[..^1] + (path[^1] == 'A' ? 'B' : 'A');

        foreach (var forged in new[] { tampered, "/portal/" + new string('A', 43), "/portal/abc", "/portal/" + created.Str("link.id") })
        {
            var answer = await new Browser(_app).GetAsync(forged);
            Assert.Equal(HttpStatusCode.NotFound, answer.Status);
            Assert.Null(answer.Response.Headers.Location);
        }
    }

    [Fact]
    public async Task Opening_links_is_rate_limited_per_address()
    {
        var world = await TwoClientsAsync();
        var created = await Json.OkAsync(await world.Api.PostAsync(world.LinksOfX, new { sendEmail = false }));
        var browser = new Browser(_app);

        for (var i = 0; i < 9; i++)
            Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync($"/portal/guess{i}")).Status);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync(PathOf(created))).Status);

        Assert.Equal(HttpStatusCode.TooManyRequests, (await browser.GetAsync(PathOf(created))).Status);
    }

    [Fact]
    public async Task Opening_a_link_changes_no_business_state()
    {
        var world = await TwoClientsAsync();
        var created = await Json.OkAsync(await world.Api.PostAsync(world.LinksOfX, new { sendEmail = false }));
        var before = await SnapshotAsync(world.Api.OrganizationId);

        var browser = new Browser(_app);
        await browser.GetAsync(PathOf(created));
        await browser.GetAsync("/portal");
        await browser.GetAsync($"/portal/contracts/{world.XContractId}");

        Assert.Equal(before, await SnapshotAsync(world.Api.OrganizationId));
    }

    [Fact]
    public async Task Portal_tokens_are_stored_only_as_hashes()
    {
        var world = await TwoClientsAsync();
        var created = await Json.OkAsync(await world.Api.PostAsync(world.LinksOfX, new { sendEmail = false }));
        var token = PathOf(created)["/portal/".Length..];

        Assert.Equal(43, token.Length);
        Assert.False(await DatabaseScan.ContainsAsync(engine, token));
        Assert.True(await DatabaseScan.ContainsAsync(engine, Tokens.Hash(token)));
        await Json.ProblemAsync(await world.Api.PostAsync(world.LinksOfX, new { }, idempotencyKey: "once"), 400, "idempotency_key_not_supported");
    }

    [Fact]
    public async Task A_portal_session_opens_no_api_and_another_organization_cannot_touch_the_links()
    {
        var world = await TwoClientsAsync();
        var created = await Json.OkAsync(await world.Api.PostAsync(world.LinksOfX, new { sendEmail = false }));
        var browser = await OpenPortalAsync(world);
        var other = await _app.NewOrganizationAsync("Other");

        await Json.ProblemAsync(await browser.Http.GetAsync("/api/v1/clients"), 401, "unauthenticated");
        await Json.ProblemAsync(await other.PostAsync(world.LinksOfX, new { }), 404, "not_found");
        await Json.ProblemAsync(await other.GetAsync(world.LinksOfX), 404, "not_found");
        await Json.ProblemAsync(await other.PostAsync($"/api/v1/portal-links/{created.Str("link.id")}/revoke", null), 404, "not_found");
        var viewer = await _app.WithRoleAsync(world.Api, Role.Viewer);
        await Json.ProblemAsync(await viewer.PostAsync(world.LinksOfX, new { }), 403, "forbidden");
        Assert.Equal(2, (await viewer.GetOkAsync(world.LinksOfX))["data"]!.AsArray().Count);
    }

    private static string PathOf(System.Text.Json.Nodes.JsonNode created) => new Uri(created.Str("url")).PathAndQuery;

    private async Task<Browser> OpenPortalAsync(World world)
    {
        var created = await Json.OkAsync(await world.Api.PostAsync(world.LinksOfX, new { sendEmail = false }));
        var browser = new Browser(_app);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync(PathOf(created))).Status);
        return browser;
    }

    private async Task<string> SnapshotAsync(Guid organizationId)
    {
        await using var db = engine.NewDb(organizationId);
        var milestones = await db.Milestones.AsNoTracking().OrderBy(m => m.Id).Select(m => m.Status.ToString() + m.Version).ToListAsync();
        var contracts = await db.Contracts.AsNoTracking().OrderBy(c => c.Id).Select(c => c.Status.ToString() + c.Version).ToListAsync();
        var audit = await db.AuditLog.CountAsync();
        var events = await db.MilestoneEvents.CountAsync();
        return string.Join(",", milestones.Concat(contracts).Append($"audit={audit}").Append($"events={events}"));
    }

    /// <summary>An organization with clients X (Globex) and Y (Initech), a contact and a contract each.</summary>
    private sealed record World(ApiClient Api, Guid XClientId, string XContactId, string XContactEmail, Guid XContractId, Guid XMilestoneId, Guid YContractId, Guid YMilestoneId)
    {
        public string LinksOfX => $"/api/v1/clients/{XClientId}/contacts/{XContactId}/portal-links";
    }

    private async Task<World> TwoClientsAsync()
    {
        var api = await _app.NewOrganizationAsync();
        var x = Guid.Parse((await api.PostOkAsync("/api/v1/clients", new { name = "Globex" })).Str("id"));
        var y = Guid.Parse((await api.PostOkAsync("/api/v1/clients", new { name = "Initech" })).Str("id"));
        var email = Staff.Email("xena");
        var xContact = (await api.PostOkAsync($"/api/v1/clients/{x}/contacts", new { name = "Xena", email })).Str("id");
        await api.PostOkAsync($"/api/v1/clients/{y}/contacts", new { name = "Yuri", email = Staff.Email("yuri") });
        var (xContract, xMilestone) = await ContractAsync(api.OrganizationId, x, "Globex rebuild");
        var (yContract, yMilestone) = await ContractAsync(api.OrganizationId, y, "Initech migration");
        return new World(api, x, xContact, email, xContract, xMilestone, yContract, yMilestone);
    }

    private async Task<(Guid Contract, Guid Milestone)> ContractAsync(Guid organizationId, Guid clientId, string title)
    {
        await using var db = engine.NewDb(organizationId);
        var contract = new Contract(Guid.CreateVersion7(), organizationId, clientId, title, new Money(300_000, Currency.EUR), Percentage.FromBasisPoints(2000), 30, Seed.Now);
        var milestone = contract.AddMilestone(Guid.CreateVersion7(), new MilestoneTerms("Design", "Mockups", "Approved by the client", null, new Money(300_000, Currency.EUR), null));
        contract.Activate(Seed.Now);
        db.Contracts.Add(contract);
        await db.SaveChangesAsync();
        return (contract.Id, milestone.Id);
    }
}

public sealed class SqlitePortalLinks(SqliteEngine engine) : PortalLinkTests<SqliteEngine>(engine);

public sealed class PostgresPortalLinks(PostgresEngine engine) : PortalLinkTests<PostgresEngine>(engine);
