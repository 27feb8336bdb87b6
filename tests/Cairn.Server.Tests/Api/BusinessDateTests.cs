using System.Text.Json.Nodes;
using Cairn.Server.Jobs;
using Cairn.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Server.Tests.Api;

/// <summary>
/// Business dates are days in the organization's time zone, not UTC days: issue and due dates, the
/// year in document numbers, overdue, aging, "today" of the reports and of scheduled billing, both
/// west of UTC (Los Angeles, still the old year) and east of it (Auckland, already the new one).
/// </summary>
public abstract class BusinessDateTests<TEngine>(TEngine engine) : IClassFixture<TEngine>, IAsyncLifetime
    where TEngine : Engine
{
    private static readonly DateTimeOffset HalfPastFiveOnNewYearsEveInLosAngeles = new(2027, 1, 1, 1, 30, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset HalfPastMidnightOnNewYearsDayInAuckland = new(2026, 12, 31, 11, 30, 0, TimeSpan.Zero);

    private CairnApp _app = null!;

    public Task InitializeAsync()
    {
        _app = new CairnApp(engine);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task An_approval_at_17_30_on_31_December_in_Los_Angeles_is_invoiced_and_credited_on_31_December_of_the_old_year()
    {
        var api = await OrganizationInAsync("America/Los_Angeles");
        var milestone = await DeliveredMilestoneAsync(api);

        _app.Clock.SetUtcNow(HalfPastFiveOnNewYearsEveInLosAngeles);
        var invoice = await ApproveAsync(api, milestone);

        Assert.Equal("INV-2026-000001", invoice.Str("number"));
        Assert.Equal("2026-12-31", invoice.Str("issueDate"));
        Assert.Equal("2027-01-30", invoice.Str("dueDate"));
        var note = await api.PostOkAsync($"/api/v1/invoices/{invoice.Str("id")}/credit-notes", new { amount = new { amount = "100.00", currency = "EUR" }, reason = "Goodwill" });
        Assert.Equal("CN-2026-000001", note.Str("number"));
        Assert.Equal("2026-12-31", note.Str("issueDate"));
        Assert.Equal("2026-12-31", (await api.GetOkAsync("/api/v1/reports/dashboard")).Str("today"));
        Assert.Equal("2026-12-31", (await api.GetOkAsync("/api/v1/reports/aging")).Str("today"));
    }

    [Fact]
    public async Task An_approval_at_00_30_on_1_January_in_Auckland_is_invoiced_on_1_January_of_the_new_year()
    {
        var api = await OrganizationInAsync("Pacific/Auckland");
        var milestone = await DeliveredMilestoneAsync(api);

        _app.Clock.SetUtcNow(HalfPastMidnightOnNewYearsDayInAuckland);
        var invoice = await ApproveAsync(api, milestone);

        Assert.Equal("INV-2027-000001", invoice.Str("number"));
        Assert.Equal("2027-01-01", invoice.Str("issueDate"));
        Assert.Equal("2027-01-31", invoice.Str("dueDate"));
        Assert.Equal("2027-01-01", (await api.GetOkAsync("/api/v1/reports/cash-forecast")).Str("today"));
    }

    [Fact]
    public async Task An_invoice_is_overdue_from_the_day_after_its_due_date_in_the_organizations_time_zone()
    {
        var api = await OrganizationInAsync("America/Los_Angeles");
        var milestone = await DeliveredMilestoneAsync(api);
        _app.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 2, 18, 0, 0, TimeSpan.Zero));
        var invoice = await ApproveAsync(api, milestone);
        Assert.Equal("2026-12-02", invoice.Str("dueDate"));

        // 01:30 UTC on 3 December is still the due day (17:30 on 2 December) in Los Angeles.
        _app.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 3, 1, 30, 0, TimeSpan.Zero));
        Assert.False((bool)(await api.GetOkAsync($"/api/v1/invoices/{invoice.Str("id")}"))["overdue"]!);
        Assert.Empty((await api.GetOkAsync("/api/v1/invoices?overdue=true"))["data"]!.AsArray());
        Assert.Equal("0.00", (await api.GetOkAsync("/api/v1/reports/aging")).Str("currencies.0.clients.0.buckets.days1To30.amount"));

        // 08:30 UTC is 00:30 on 3 December there: one day late.
        _app.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 3, 8, 30, 0, TimeSpan.Zero));
        Assert.True((bool)(await api.GetOkAsync($"/api/v1/invoices/{invoice.Str("id")}"))["overdue"]!);
        Assert.Single((await api.GetOkAsync("/api/v1/invoices?overdue=true"))["data"]!.AsArray());
        Assert.Equal(invoice.Str("gross.amount"), (await api.GetOkAsync("/api/v1/reports/aging")).Str("currencies.0.clients.0.buckets.days1To30.amount"));
    }

    [Fact]
    public async Task An_instalment_dated_1_January_is_billed_when_it_is_1_January_where_the_organization_is()
    {
        var auckland = await OrganizationInAsync("Pacific/Auckland");
        var losAngeles = await OrganizationInAsync("America/Los_Angeles");
        var inAuckland = await InstalmentContractAsync(auckland, "2027-01-01");
        var inLosAngeles = await InstalmentContractAsync(losAngeles, "2027-01-01");
        var scheduler = _app.Services.GetRequiredService<ScheduledBilling>();

        _app.Clock.SetUtcNow(HalfPastMidnightOnNewYearsDayInAuckland);
        await scheduler.RunOnceAsync();
        Assert.Equal("invoiced", await BillingStatusAsync(auckland, inAuckland));
        Assert.Equal("unbilled", await BillingStatusAsync(losAngeles, inLosAngeles));
        var invoices = (await auckland.GetOkAsync("/api/v1/invoices"))["data"]!.AsArray();
        Assert.Equal("INV-2027-000001", Assert.Single(invoices)!.Str("number"));
        Assert.Equal("2027-01-01", invoices[0]!.Str("issueDate"));

        _app.Clock.SetUtcNow(HalfPastFiveOnNewYearsEveInLosAngeles);
        await scheduler.RunOnceAsync();
        Assert.Equal("unbilled", await BillingStatusAsync(losAngeles, inLosAngeles));

        _app.Clock.SetUtcNow(new DateTimeOffset(2027, 1, 1, 8, 0, 0, TimeSpan.Zero));
        await scheduler.RunOnceAsync();
        Assert.Equal("invoiced", await BillingStatusAsync(losAngeles, inLosAngeles));
        Assert.Equal("2027-01-01", (await losAngeles.GetOkAsync("/api/v1/invoices"))["data"]![0]!.Str("issueDate"));
    }

    [Theory]
    [InlineData("Mars/Olympus_Mons")]
    [InlineData("../../../etc/passwd")]
    [InlineData("Pacific Standard Time")]
    [InlineData("")]
    public async Task A_time_zone_that_is_not_an_iana_id_is_refused_naming_the_field_and_changes_nothing(string zone)
    {
        var api = await OrganizationInAsync("Europe/Paris");

        var refused = await api.PatchAsync("/api/v1/settings", new { name = "Renamed", timeZone = zone });

        await Json.ProblemAsync(refused, 400, zone.Length == 0 ? "time_zone_required" : "invalid_time_zone", "timeZone");
        var settings = await api.GetOkAsync("/api/v1/settings");
        Assert.Equal("Europe/Paris", settings.Str("timeZone"));
        Assert.Equal("Acme Studio", settings.Str("name"));
    }

    [Fact]
    public async Task The_settings_page_sets_the_time_zone_and_shows_an_unknown_one_next_to_the_field()
    {
        var staff = await _app.NewStaffOrganizationAsync(Staff.Email("owner"));
        var browser = new Browser(_app);
        await browser.SignInAsync(staff.OwnerEmail, staff.OwnerPassword);
        Assert.Contains("id=\"org-zone\"", (await browser.GetAsync("/settings")).Html, StringComparison.Ordinal);
        var form = new Dictionary<string, string>
        {
            ["Name"] = "Acme Studio", ["IssueMode"] = "immediately", ["PaymentTermsDays"] = "30",
            ["InvoiceSeriesFormat"] = "INV-{yyyy}-{seq:000000}", ["CreditNoteSeriesFormat"] = "CN-{yyyy}-{seq:000000}",
        };

        var refused = await browser.PostFormAsync("/settings?handler=Organization", new Dictionary<string, string>(form) { ["TimeZone"] = "Pacific/Atlantis" });
        var html = await refused.Content.ReadAsStringAsync();
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("id=\"org-zone-error\"", html, StringComparison.Ordinal);
        Assert.Contains("value=\"Pacific/Atlantis\"", html, StringComparison.Ordinal);

        var saved = await browser.PostFormAsync("/settings?handler=Organization", new Dictionary<string, string>(form) { ["TimeZone"] = "Asia/Tokyo" });
        Assert.Equal(System.Net.HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal("Asia/Tokyo", (await staff.Api.GetOkAsync("/api/v1/settings")).Str("timeZone"));
    }

    [Fact]
    public async Task Times_on_the_staff_pages_in_the_portal_and_in_the_portal_link_are_told_on_the_organizations_clock()
    {
        // 10:00 UTC is 15:30 in Kolkata (UTC+05:30, no daylight saving time).
        var staff = await _app.NewStaffOrganizationAsync(Staff.Email("owner"));
        Assert.Equal("Asia/Kolkata", (await staff.Api.PatchOkAsync("/api/v1/settings", new { timeZone = "Asia/Kolkata" })).Str("timeZone"));
        _app.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 10, 8, 0, 0, TimeSpan.Zero));
        var contract = await Plans.ActiveWebsiteContractAsync(staff.Api);
        _app.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 11, 10, 0, 0, TimeSpan.Zero));
        await Plans.DeliverAsync(staff.Api, Plans.MilestoneIds(contract)[0]);

        var browser = new Browser(_app);
        await browser.SignInAsync(staff.OwnerEmail, staff.OwnerPassword);
        var page = (await browser.GetAsync($"/contracts/{contract.Str("id")}")).Html;
        Assert.Contains("Submitted 2026-11-11 15:30", page, StringComparison.Ordinal);
        Assert.DoesNotContain("2026-11-11 10:00", page, StringComparison.Ordinal);

        var clientId = contract.Str("clientId");
        var contactId = (await staff.Api.PostOkAsync($"/api/v1/clients/{clientId}/contacts", new { name = "Xena", email = Staff.Email("xena") })).Str("id");
        var (portal, _) = await Plans.OpenPortalAsync(_app, staff.Api, clientId, contactId, "business-dates-test/1.0");
        var portalPage = (await portal.GetAsync($"/portal/contracts/{contract.Str("id")}")).Html;
        Assert.Contains("2026-11-11 15:30", portalPage, StringComparison.Ordinal);
        Assert.DoesNotContain("2026-11-11 10:00", portalPage, StringComparison.Ordinal);
        // The record of how the contract became binding is evidence: it keeps UTC and says so, beside the organization's clock.
        Assert.Contains("2026-11-10 13:30 (Asia/Kolkata), <time datetime=\"2026-11-10T08:00:00.0000000+00:00\">2026-11-10 08:00</time> UTC (", portalPage, StringComparison.Ordinal);
        Assert.Contains("2026-11-10 13:30 (Asia/Kolkata), <time datetime=\"2026-11-10T08:00:00.0000000+00:00\">2026-11-10 08:00</time> UTC (", page, StringComparison.Ordinal);

        // The flash of an emailed portal link names the zone its time is told in.
        await browser.GetAsync($"/clients/{clientId}");
        var emailed = await browser.PostFormAsync($"/clients/{clientId}?handler=PortalLink", new Dictionary<string, string> { ["ContactId"] = contactId });
        Assert.Equal(System.Net.HttpStatusCode.Redirect, emailed.StatusCode);
        var flash = (await browser.GetAsync(emailed.Headers.Location!.ToString())).Html;
        Assert.Contains("(Asia/Kolkata)", flash, StringComparison.Ordinal);
    }

    private async Task<ApiClient> OrganizationInAsync(string zone)
    {
        var api = await _app.NewOrganizationAsync();
        Assert.Equal(zone, (await api.PatchOkAsync("/api/v1/settings", new { timeZone = zone })).Str("timeZone"));
        return api;
    }

    private static async Task<string> DeliveredMilestoneAsync(ApiClient api)
    {
        var first = Plans.MilestoneIds(await Plans.ActiveWebsiteContractAsync(api))[0];
        await Plans.DeliverAsync(api, first);
        return first;
    }

    private static async Task<JsonNode> ApproveAsync(ApiClient api, string milestone)
    {
        var approved = await api.PostOkAsync($"/api/v1/milestones/{milestone}/approve");
        return await api.GetOkAsync($"/api/v1/invoices/{approved.Str("invoice.id")}");
    }

    private static async Task<string> InstalmentContractAsync(ApiClient api, string billingDate)
    {
        var id = (await Plans.ContractAsync(api, "1000.00")).Str("id");
        await api.PostOkAsync($"/api/v1/contracts/{id}/milestones", new { title = "New year instalment", percentage = "100", trigger = "on_date", billingDate });
        await api.PostOkAsync($"/api/v1/contracts/{id}/activate");
        return id;
    }

    private static async Task<string> BillingStatusAsync(ApiClient api, string contractId) =>
        (await api.GetOkAsync($"/api/v1/contracts/{contractId}"))["milestones"]![0]!.Str("billingStatus");
}

public sealed class SqliteBusinessDates(SqliteEngine engine) : BusinessDateTests<SqliteEngine>(engine);

public sealed class PostgresBusinessDates(PostgresEngine engine) : BusinessDateTests<PostgresEngine>(engine);
