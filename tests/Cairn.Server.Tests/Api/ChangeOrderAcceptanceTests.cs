using System.Net;
using System.Security.Cryptography;
using Cairn.Server.Tests.Documents;
using Cairn.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Tests.Api;

/// <summary>
/// Issue 15: a client contact approves a change order in the portal with a typed name and "I agree",
/// and the same kind of immutable acceptance record as a proposal's is kept, bound to the SHA-256 of
/// the change-order PDF they were shown; staff approval is recorded as such.
/// </summary>
public abstract class ChangeOrderAcceptanceTests<TEngine>(TEngine engine) : IClassFixture<TEngine>, IAsyncLifetime
    where TEngine : Engine
{
    private const string UserAgent = "change-order-test/1.0";

    private CairnApp _app = null!;

    public Task InitializeAsync()
    {
        _app = new CairnApp(engine);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task A_change_order_named_with_an_ampersand_and_angle_brackets_has_well_formed_XMP()
    {
        const string name = "Smith & Sons <Ltd>";
        var change = await ProposedChangeAsync(name);

        var pdf = await (await change.Api.GetAsync($"/api/v1/change-orders/{change.OrderId}/pdf")).Content.ReadAsByteArrayAsync();

        var xmp = System.Xml.Linq.XDocument.Parse(Poppler.Run("pdfinfo", pdf, "-meta").Trim());
        Assert.Contains(name, xmp.Descendants((System.Xml.Linq.XNamespace)"http://purl.org/dc/elements/1.1/" + "title").Single().Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Approving_a_change_order_in_the_portal_records_the_typed_name_and_the_hash_of_the_change_order_PDF_shown()
    {
        var change = await ProposedChangeAsync();
        var (browser, linkId) = await Plans.OpenPortalAsync(_app, change.Api, change.ClientId, change.ContactId, UserAgent);
        var page = await browser.GetAsync($"/portal/contracts/{change.ContractId}");
        Assert.Contains("data-approve-change-form", page.Html, StringComparison.Ordinal);
        var shown = await (await browser.Http.GetAsync($"/portal/contracts/{change.ContractId}/change-orders/{change.OrderId}/pdf")).Content.ReadAsByteArrayAsync();
        var text = PdfText.Read(shown);
        text.Shows("CHANGE ORDER");
        text.Shows("Drop the launch");
        text.Shows("cancelled");
        Assert.Equal(shown, await (await change.Api.GetAsync($"/api/v1/change-orders/{change.OrderId}/pdf")).Content.ReadAsByteArrayAsync());

        var approved = await ApproveAsync(browser, change, "Xena Warrior");

        Assert.Equal(HttpStatusCode.Redirect, approved.StatusCode);
        Assert.Equal("approved", (await change.Api.GetOkAsync($"/api/v1/change-orders/{change.OrderId}")).Str("status"));
        var record = await change.Api.GetOkAsync($"/api/v1/change-orders/{change.OrderId}/acceptance");
        Assert.Equal("portal", record.Str("method"));
        Assert.Equal("Xena Warrior", record.Str("typedName"));
        Assert.Equal("Xena", record.Str("contactName"));
        Assert.Equal(change.ContactId, record.Str("contactId"));
        Assert.Equal(change.OrderId, record.Str("changeOrderId"));
        Assert.Equal(change.ContractId, record.Str("contractId"));
        Assert.Equal(linkId, record.Str("portalLinkId"));
        Assert.Equal(UserAgent, record.Str("userAgent"));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(shown)), record.Str("changeOrderPdfSha256"));
        Assert.Equal(Seed.Now, DateTimeOffset.Parse(record.Str("acceptedAt"), System.Globalization.CultureInfo.InvariantCulture));

        // The contract keeps its own acceptance record (activated by staff); the change order's is shown beside it.
        Assert.Equal("staff", (await change.Api.GetOkAsync($"/api/v1/contracts/{change.ContractId}/acceptance")).Str("method"));
        var portal = await browser.GetAsync($"/portal/contracts/{change.ContractId}");
        Assert.Contains($"data-change-order-acceptance=\"{change.OrderId}\"", portal.Html, StringComparison.Ordinal);
        Assert.Contains(record.Str("changeOrderPdfSha256"), portal.Html, StringComparison.Ordinal);
        var staff = new Browser(_app);
        await staff.SignInAsync(change.OwnerEmail, Infrastructure.Staff.Password);
        Assert.Contains(record.Str("changeOrderPdfSha256"), (await staff.GetAsync($"/contracts/{change.ContractId}")).Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_approval_without_a_typed_name_or_the_agreement_is_refused_naming_the_field_and_changes_nothing()
    {
        var change = await ProposedChangeAsync();
        var (browser, _) = await Plans.OpenPortalAsync(_app, change.Api, change.ClientId, change.ContactId, UserAgent);
        await browser.GetAsync($"/portal/contracts/{change.ContractId}");

        var nameless = await ApproveAsync(browser, change, " ");
        var unagreed = await browser.PostFormAsync($"/portal/contracts/{change.ContractId}?handler=ApproveChange", new Dictionary<string, string> { ["changeOrderId"] = change.OrderId, ["TypedName"] = "Xena Warrior" });

        Assert.Equal(HttpStatusCode.BadRequest, nameless.StatusCode);
        Assert.Contains($"id=\"co-{change.OrderId}-typed-name-error\"", await nameless.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, unagreed.StatusCode);
        Assert.Contains($"id=\"co-{change.OrderId}-agree-error\"", await unagreed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("proposed", (await change.Api.GetOkAsync($"/api/v1/change-orders/{change.OrderId}")).Str("status"));
        await Json.ProblemAsync(await change.Api.GetAsync($"/api/v1/change-orders/{change.OrderId}/acceptance"), 404, "not_found");
    }

    [Fact]
    public async Task Approving_twice_concurrently_applies_the_change_and_records_its_acceptance_once()
    {
        var change = await ProposedChangeAsync();
        var (first, _) = await Plans.OpenPortalAsync(_app, change.Api, change.ClientId, change.ContactId, UserAgent);
        var (second, _) = await Plans.OpenPortalAsync(_app, change.Api, change.ClientId, change.ContactId, UserAgent);
        await first.GetAsync($"/portal/contracts/{change.ContractId}");
        await second.GetAsync($"/portal/contracts/{change.ContractId}");
        int versionBefore;
        await using (var before = engine.NewDb(change.Api.OrganizationId))
            versionBefore = (await before.Contracts.SingleAsync()).Version;

        var answers = await Task.WhenAll(ApproveAsync(first, change, "Xena Warrior"), ApproveAsync(second, change, "Xena Warrior"));

        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.Redirect);
        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.Conflict);
        await using var db = engine.NewDb(change.Api.OrganizationId);
        Assert.Equal(versionBefore + 1, (await db.Contracts.SingleAsync()).Version);
        Assert.Equal(1, await db.Acceptances.CountAsync(a => a.Owner == Domain.AcceptanceOwner.ChangeOrder));
    }

    [Fact]
    public async Task Staff_approving_on_the_clients_behalf_is_recorded_as_such_and_the_record_cannot_be_changed()
    {
        var change = await ProposedChangeAsync();

        await change.Api.PostOkAsync($"/api/v1/change-orders/{change.OrderId}/approve");

        var record = await change.Api.GetOkAsync($"/api/v1/change-orders/{change.OrderId}/acceptance");
        Assert.Equal("staff", record.Str("method"));
        Assert.StartsWith("apikey:", record.Str("actor"), StringComparison.Ordinal);
        Assert.Null(record["typedName"]);
        await using var db = engine.NewDb(change.Api.OrganizationId);
        foreach (var sql in new[] { "UPDATE acceptances SET typed_name = 'Someone else'", "DELETE FROM acceptances", "UPDATE change_order_documents SET pdf_sha256 = '0000000000000000000000000000000000000000000000000000000000000000'", "DELETE FROM change_order_documents" })
        {
            var refused = await Assert.ThrowsAnyAsync<Exception>(() => db.Database.ExecuteSqlRawAsync(sql));
            Assert.Contains("immutable", refused.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Another_clients_contact_and_another_organization_get_404_for_the_change_order_PDF_acceptance_and_approval()
    {
        var change = await ProposedChangeAsync();
        var otherClient = await Plans.ClientAsync(change.Api, "Initech");
        var yuri = (await change.Api.PostOkAsync($"/api/v1/clients/{otherClient}/contacts", new { name = "Yuri", email = Infrastructure.Staff.Email("yuri") })).Str("id");
        var other = await _app.NewOrganizationAsync("Other");
        var (outsider, _) = await Plans.OpenPortalAsync(_app, change.Api, otherClient, yuri, UserAgent);

        // Yuri's own page carries a form, so his posts have an antiforgery token.
        await outsider.GetAsync("/portal");
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.GetAsync($"/portal/contracts/{change.ContractId}/change-orders/{change.OrderId}/pdf")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await ApproveAsync(outsider, change, "Yuri")).StatusCode);
        foreach (var path in new[] { "acceptance", "pdf" })
            await Json.ProblemAsync(await other.GetAsync($"/api/v1/change-orders/{change.OrderId}/{path}"), 404, "not_found");
        Assert.Equal("proposed", (await change.Api.GetOkAsync($"/api/v1/change-orders/{change.OrderId}")).Str("status"));
    }

    private static Task<HttpResponseMessage> ApproveAsync(Browser browser, Change change, string typedName) =>
        browser.PostFormAsync($"/portal/contracts/{change.ContractId}?handler=ApproveChange", new Dictionary<string, string>
        {
            ["changeOrderId"] = change.OrderId,
            ["TypedName"] = typedName,
            ["Agree"] = "true",
        });

    /// <summary>An active 10,000.00 EUR website contract of client Globex (contact Xena), with a proposed change order cancelling its last milestone.</summary>
    private async Task<Change> ProposedChangeAsync(string title = "Drop the launch")
    {
        var staff = await _app.NewStaffOrganizationAsync(Infrastructure.Staff.Email("owner"));
        var api = staff.Api;
        var contract = await Plans.ActiveWebsiteContractAsync(api);
        var clientId = contract.Str("clientId");
        var contactId = (await api.PostOkAsync($"/api/v1/clients/{clientId}/contacts", new { name = "Xena", email = Infrastructure.Staff.Email("xena") })).Str("id");
        var milestones = Plans.MilestoneIds(contract);
        var order = (await api.PostOkAsync($"/api/v1/contracts/{contract.Str("id")}/change-orders", new { title, reason = "Launch handled in-house.", items = new[] { new { kind = "cancel", milestoneId = milestones[2] } } })).Str("id");
        await api.PostOkAsync($"/api/v1/change-orders/{order}/propose");
        return new Change(api, staff.OwnerEmail, clientId, contactId, contract.Str("id"), order);
    }

    private sealed record Change(ApiClient Api, string OwnerEmail, string ClientId, string ContactId, string ContractId, string OrderId);
}

public sealed class SqliteChangeOrderAcceptance(SqliteEngine engine) : ChangeOrderAcceptanceTests<SqliteEngine>(engine);

public sealed class PostgresChangeOrderAcceptance(PostgresEngine engine) : ChangeOrderAcceptanceTests<PostgresEngine>(engine);
