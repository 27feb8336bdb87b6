using System.Net;
using Cairn.Server.Tests.Infrastructure;

namespace Cairn.Server.Tests.FirstHour;

/// <summary>
/// Issue 12, stumble 7 (dead ends): a client's details and a draft contract's milestone titles,
/// deliverables and acceptance criteria are edited in the web app, as the API already allowed;
/// bad input is refused next to its field and changes nothing.
/// </summary>
public abstract class EditingTests<TEngine>(TEngine engine) : IClassFixture<TEngine>, IAsyncLifetime
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
    public async Task A_client_is_edited_on_its_page_and_an_emptied_name_is_refused_changing_nothing()
    {
        var email = Staff.Email("owner");
        var org = await _app.NewStaffOrganizationAsync(email);
        var clientId = await Plans.ClientAsync(org.Api);
        var browser = new Browser(_app);
        await browser.SignInAsync(email, Staff.Password);

        var page = await browser.GetAsync($"/clients/{clientId}");
        Assert.Contains("<summary>Edit Globex's details</summary>", System.Net.WebUtility.HtmlDecode(page.Html));
        Assert.Contains("value=\"ap@globex.test\"", page.Html);

        var refused = await browser.PostFormAsync($"/clients/{clientId}?handler=Edit", Form("", "billing@globex.test"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var html = await refused.Content.ReadAsStringAsync();
        Assert.Contains("id=\"name-error\"", html);
        Assert.Contains("value=\"billing@globex.test\"", html);
        Assert.Equal("ap@globex.test", (await org.Api.GetOkAsync($"/api/v1/clients/{clientId}")).Str("email"));

        var saved = await browser.PostFormAsync($"/clients/{clientId}?handler=Edit", Form("Globex Corporation", "billing@globex.test"));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var client = await org.Api.GetOkAsync($"/api/v1/clients/{clientId}");
        Assert.Equal("Globex Corporation", client.Str("name"));
        Assert.Equal("billing@globex.test", client.Str("email"));
        Assert.Equal("", client.Str("address"));
        Assert.Equal("Lyon", client.Str("party.address.city"));
        Assert.Equal("FR", client.Str("party.address.countryCode"));
        Assert.Equal("de", client.Str("language"));
        Assert.Contains("<h1>Globex Corporation</h1>", (await browser.GetAsync($"/clients/{clientId}")).Html);

        var audit = await org.Api.GetOkAsync($"/api/v1/audit?entity=client&id={clientId}");
        Assert.Contains("updated", audit.ToJsonString());
    }

    [Fact]
    public async Task A_draft_milestone_gets_a_new_title_deliverable_and_criteria_and_an_active_one_cannot()
    {
        var email = Staff.Email("owner");
        var org = await _app.NewStaffOrganizationAsync(email);
        var contract = await Plans.ContractAsync(org.Api, "9000.00", Plans.WebsiteTemplate);
        var id = contract.Str("id");
        var milestoneId = Plans.MilestoneIds(contract)[0];
        var browser = new Browser(_app);
        await browser.SignInAsync(email, Staff.Password);

        var page = await browser.GetAsync($"/contracts/{id}");
        Assert.Contains($"id=\"title-{milestoneId}\"", page.Html);
        Assert.Contains($"id=\"criteria-{milestoneId}\"", page.Html);

        var refused = await browser.PostFormAsync($"/contracts/{id}?handler=Milestone", MilestoneForm(milestoneId, "", "Wireframes"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains($"id=\"title-{milestoneId}-error\"", await refused.Content.ReadAsStringAsync());
        Assert.Equal("Design approved", (await org.Api.GetOkAsync($"/api/v1/milestones/{milestoneId}")).Str("title"));

        var saved = await browser.PostFormAsync($"/contracts/{id}?handler=Milestone", MilestoneForm(milestoneId, "Wireframes and visual design", "Figma file with 5 page designs"));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var milestone = await org.Api.GetOkAsync($"/api/v1/milestones/{milestoneId}");
        Assert.Equal("Wireframes and visual design", milestone.Str("title"));
        Assert.Equal("Figma file with 5 page designs", milestone.Str("deliverable"));
        Assert.Equal("The client signs off all five pages.", milestone.Str("acceptanceCriteria"));
        Assert.Equal("2026-03-31", milestone.Str("dueDate"));
        Assert.Contains("1. Wireframes and visual design</h3>", (await browser.GetAsync($"/contracts/{id}")).Html);

        // Once active, the plan changes only through a change order: no form, and a forged post is refused.
        await org.Api.PostOkAsync($"/api/v1/contracts/{id}/activate", new { });
        Assert.DoesNotContain($"id=\"title-{milestoneId}\"", (await browser.GetAsync($"/contracts/{id}")).Html);
        var late = await browser.PostFormAsync($"/contracts/{id}?handler=Milestone", MilestoneForm(milestoneId, "Renamed after activation", ""));
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Equal("Wireframes and visual design", (await org.Api.GetOkAsync($"/api/v1/milestones/{milestoneId}")).Str("title"));
    }

    private static Dictionary<string, string> Form(string name, string email) => new()
    {
        ["Name"] = name,
        ["Email"] = email,
        ["Address"] = "",
        ["TaxId"] = "",
        ["Party.City"] = "Lyon",
        ["Party.PostalCode"] = "69001",
        ["Party.CountryCode"] = "FR",
        ["EInvoiceProfile"] = "en16931",
        ["Language"] = "de",
    };

    private static Dictionary<string, string> MilestoneForm(string milestoneId, string title, string deliverable) => new()
    {
        ["milestoneId"] = milestoneId,
        ["MilestoneTitle"] = title,
        ["Deliverable"] = deliverable,
        ["AcceptanceCriteria"] = "The client signs off all five pages.",
        ["DueDate"] = "2026-03-31",
    };
}

public sealed class SqliteEditing(SqliteEngine engine) : EditingTests<SqliteEngine>(engine);

public sealed class PostgresEditing(PostgresEngine engine) : EditingTests<PostgresEngine>(engine);
