using System.Net;
using Cairn.Server.Tests.Infrastructure;

namespace Cairn.Server.Tests.FirstHour;

/// <summary>
/// Issue 12, stumble 4: activating a contract, cancelling it and the client's approval each go
/// through a confirmation step that shows the consequence, and nothing happens until it is confirmed.
/// </summary>
public abstract class ConfirmationTests<TEngine>(TEngine engine) : IClassFixture<TEngine>, IAsyncLifetime
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
    public async Task Activating_shows_the_deposit_invoice_and_cancelling_shows_what_stops_before_anything_happens()
    {
        var email = Staff.Email("owner");
        var org = await _app.NewStaffOrganizationAsync(email);
        var contract = await Plans.ContractAsync(org.Api, "9000.00", Plans.FixedFeeTemplate);
        var id = contract.Str("id");
        var browser = new Browser(_app);
        await browser.SignInAsync(email, Staff.Password);

        var page = await browser.GetAsync($"/contracts/{id}");
        Assert.Contains($"href=\"/contracts/{id}/confirm/activate\">Activate contract</a>", page.Html);
        Assert.DoesNotContain("handler=Activate", page.Html);

        var confirm = await browser.GetAsync($"/contracts/{id}/confirm/activate");
        Assert.Equal(HttpStatusCode.OK, confirm.Status);
        Assert.Contains("These invoices are issued at once", confirm.Html);
        Assert.Contains("<td class=\"num\" data-net>3,600.00 EUR</td>", confirm.Html);
        Assert.Contains("<td class=\"num\" data-vat>720.00 EUR</td>", confirm.Html);
        Assert.Contains("<td class=\"num\" data-gross>4,320.00 EUR</td>", confirm.Html);
        Assert.Equal("draft", (await org.Api.GetOkAsync($"/api/v1/contracts/{id}")).Str("status"));

        var activated = await browser.PostFormAsync($"/contracts/{id}?handler=Activate", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Redirect, activated.StatusCode);
        Assert.Equal("active", (await org.Api.GetOkAsync($"/api/v1/contracts/{id}")).Str("status"));
        var invoice = (await org.Api.GetOkAsync($"/api/v1/invoices?contractId={id}")).Str("data.0.number");

        var cancel = await browser.GetAsync($"/contracts/{id}/confirm/cancel");
        Assert.Contains("2 milestones not yet billed, 5,400.00 EUR net, will never be billed", cancel.Html);
        Assert.Contains($"1 issued invoice ({invoice}) stay payable", cancel.Html);
        Assert.Equal("active", (await org.Api.GetOkAsync($"/api/v1/contracts/{id}")).Str("status"));
        Assert.Equal(HttpStatusCode.Redirect, (await browser.PostFormAsync($"/contracts/{id}?handler=Cancel", new Dictionary<string, string>())).StatusCode);
        Assert.Equal("cancelled", (await org.Api.GetOkAsync($"/api/v1/contracts/{id}")).Str("status"));

        // Once cancelled there is nothing to confirm: the step leads back to the contract.
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync($"/contracts/{id}/confirm/activate")).Status);
    }

    [Fact]
    public async Task The_client_sees_what_was_delivered_and_the_invoice_approval_issues_before_approving()
    {
        var org = await _app.NewStaffOrganizationAsync(Staff.Email("owner"));
        var contract = await Plans.ActiveWebsiteContractAsync(org.Api, "10000.00");
        var id = contract.Str("id");
        var milestone = Plans.MilestoneIds(contract)[0];
        await Plans.DeliverAsync(org.Api, milestone);
        var clientId = contract.Str("clientId");
        var contact = (await org.Api.PostOkAsync($"/api/v1/clients/{clientId}/contacts", new { name = "Gina", email = Staff.Email("gina") })).Str("id");
        var link = await org.Api.PostOkAsync($"/api/v1/clients/{clientId}/contacts/{contact}/portal-links", new { sendEmail = false });
        var client = new Browser(_app);
        await client.GetAsync(new Uri(link.Str("url")).PathAndQuery);

        var portal = await client.GetAsync($"/portal/contracts/{id}");
        var approvePath = $"/portal/contracts/{id}/milestones/{milestone}/approve";
        Assert.Contains($"href=\"{approvePath}\"", portal.Html);
        Assert.DoesNotContain("handler=Approve", portal.Html);

        var confirm = await client.GetAsync(approvePath);
        Assert.Equal(HttpStatusCode.OK, confirm.Status);
        Assert.Contains("Delivered as agreed.", confirm.Html);
        Assert.Contains("https://files.example.test/delivery.zip", confirm.Html);
        Assert.Contains("<td class=\"num\" data-net>3,000.00 EUR</td>", confirm.Html);
        Assert.Contains("<td class=\"num\" data-gross>3,600.00 EUR</td>", confirm.Html);
        Assert.Contains("Approve and receive the invoice of 3,600.00 EUR", confirm.Html);
        Assert.Equal("submitted", (await org.Api.GetOkAsync($"/api/v1/milestones/{milestone}")).Str("status"));

        Assert.Equal(HttpStatusCode.Redirect, (await client.PostFormAsync($"/portal/contracts/{id}?handler=Approve", new Dictionary<string, string> { ["milestoneId"] = milestone })).StatusCode);
        Assert.Equal("approved", (await org.Api.GetOkAsync($"/api/v1/milestones/{milestone}")).Str("status"));
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync(approvePath)).Status);

        var stranger = new Browser(_app);
        Assert.NotEqual(HttpStatusCode.OK, (await stranger.GetAsync(approvePath)).Status);
    }
}

public sealed class SqliteConfirmation(SqliteEngine engine) : ConfirmationTests<SqliteEngine>(engine);

public sealed class PostgresConfirmation(PostgresEngine engine) : ConfirmationTests<PostgresEngine>(engine);
