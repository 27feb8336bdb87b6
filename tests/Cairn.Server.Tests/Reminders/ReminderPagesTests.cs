using System.Net;
using Cairn.Server.Jobs;
using Cairn.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Server.Tests.Reminders;

/// <summary>Issue 14 item 4 in the web app: Settings → Reminders, a client's reminders, and an invoice's trail and late-payment interest.</summary>
public abstract class ReminderPagesTests<TEngine>(TEngine engine) : IClassFixture<TEngine>, IAsyncLifetime
    where TEngine : Engine
{
    // The invoice is issued on Seed.Now (2026-11-02) with 30 days' terms: due 2026-12-02.
    private static readonly DateTimeOffset DueDay = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);

    private CairnApp _app = null!;

    public Task InitializeAsync()
    {
        _app = new CairnApp(engine);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Settings_shows_the_default_schedule_refuses_a_bad_step_beside_its_field_and_saves_an_edited_one()
    {
        var (org, browser) = await OwnerAsync();
        var settings = await browser.GetAsync("/settings");
        Assert.Contains("href=\"/settings/reminders\"", settings.Html);

        var page = await browser.GetAsync("/settings/reminders");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains("Cairn's default schedule is in force", WebUtility.HtmlDecode(page.Html));
        var form = Browser.FieldsOf(page.Html, "data-reminder-settings");
        Assert.Equal(["-3", "7", "21", "35", ""], Enumerable.Range(0, 5).Select(i => form[$"Steps[{i}].OffsetDays"]));
        Assert.Equal("Final notice: invoice {invoiceNumber}", form["Steps[3].Subject[en]"]);
        Assert.Equal("Letzte Mahnung: Rechnung {invoiceNumber}", form["Steps[3].Subject[de]"]);
        Assert.False(form.ContainsKey("ChargeLateInterest"));
        Assert.Contains("40.00 EUR", page.Html);
        Assert.Contains("reference-rates.csv", page.Html);
        Assert.Contains("2.15% + 8 = 10.15% a year", WebUtility.HtmlDecode(page.Html));

        // An unknown placeholder: refused beside the body it is in, what was typed kept, nothing saved.
        var bad = new Dictionary<string, string>(form) { ["Steps[1].Body[en]"] = "Please pay {amount}." };
        var refused = await browser.PostFormAsync("/settings/reminders", bad);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var html = await refused.Content.ReadAsStringAsync();
        Assert.Matches("<p class=\"field-error\" id=\"step-1-en-body-error\">Unknown placeholder \\{amount\\}", html);
        Assert.Contains(">Please pay {amount}.</textarea>", html);
        Assert.True((bool)(await org.Api.GetOkAsync("/api/v1/settings/reminders"))["isDefault"]!);

        // Two steps on one day: the second is named.
        var duplicate = await browser.PostFormAsync("/settings/reminders", new Dictionary<string, string>(form) { ["Steps[2].OffsetDays"] = "7" });
        Assert.Equal(HttpStatusCode.BadRequest, duplicate.StatusCode);
        Assert.Contains("id=\"step-2-offset-error\">Two steps are 7 days from the due date", await duplicate.Content.ReadAsStringAsync());

        // Remove the friendly note, move +7 to +10, add +50, and charge interest.
        var edited = new Dictionary<string, string>(form)
        {
            ["Steps[0].Remove"] = "true", ["Steps[1].OffsetDays"] = "10",
            ["Steps[4].OffsetDays"] = "50", ["Steps[4].Subject[en]"] = "Collection: {invoiceNumber}", ["Steps[4].Body[en]"] = "We will pass {balanceDue} to collection.",
            ["ChargeLateInterest"] = "true",
        };
        var saved = await browser.PostFormAsync("/settings/reminders", edited);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);

        var api = await org.Api.GetOkAsync("/api/v1/settings/reminders");
        Assert.False((bool)api["isDefault"]!);
        Assert.True((bool)api["chargeLateInterest"]!);
        Assert.Equal([10, 21, 35, 50], api["steps"]!.AsArray().Select(s => (int)s!["offsetDays"]!));
        Assert.Equal("Collection: {invoiceNumber}", api.Str("steps.3.texts.en.subject"));
        // The steps not touched keep every language's text, paragraphs included.
        Assert.Equal("Zweite Mahnung: Rechnung {invoiceNumber} ist seit {daysOverdue} Tagen überfällig", api.Str("steps.1.texts.de.subject"));
        Assert.Equal(form["Steps[2].Body[de]"], api.Str("steps.1.texts.de.body"));
        Assert.Contains("\n\n", api.Str("steps.1.texts.de.body"));
        var again = await browser.GetAsync("/settings/reminders");
        Assert.Contains("Reminder settings saved.", again.Html);
        Assert.Contains("Your own schedule is in force.", again.Html);
        Assert.Equal("true", Browser.FieldsOf(again.Html, "data-reminder-settings")["ChargeLateInterest"]);
    }

    [Fact]
    public async Task A_viewer_reads_the_reminder_settings_but_cannot_change_them_nor_charge_interest()
    {
        var (org, _) = await OwnerAsync();
        var (invoice, _) = await IssuedInvoiceAsync(org.Api);
        await Json.OkAsync(await org.Api.SendAsync(HttpMethod.Put, "/api/v1/settings/reminders", new { steps = (object?)null, chargeLateInterest = true }));
        _app.Clock.SetUtcNow(DueDay.AddDays(20));
        var viewer = await _app.SignedInWithRoleAsync(org.Api, "viewer");

        var page = await viewer.GetAsync("/settings/reminders");
        Assert.Contains("Only an owner can change the reminder settings.", page.Html);
        Assert.DoesNotContain("Save reminder settings", page.Html);
        var posted = await viewer.PostFormAsync("/settings/reminders", new Dictionary<string, string> { ["UseDefault"] = "true", ["ChargeLateInterest"] = "false" });
        Assert.Equal(HttpStatusCode.Forbidden, posted.StatusCode);
        Assert.True((bool)(await org.Api.GetOkAsync("/api/v1/settings/reminders"))["chargeLateInterest"]!);

        Assert.DoesNotContain("data-charge-interest", (await viewer.GetAsync($"/invoices/{invoice}")).Html);
        await viewer.GetAsync($"/invoices/{invoice}/late-interest");
        var charge = await viewer.PostFormAsync($"/invoices/{invoice}/late-interest", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Forbidden, charge.StatusCode);
        Assert.Contains("Your role may not charge late-payment interest.", await charge.Content.ReadAsStringAsync());
        await using var db = engine.NewDb(org.Api.OrganizationId);
        Assert.False(await db.Invoices.AnyAsync(i => i.LateInterestFor != null));
    }

    [Fact]
    public async Task A_client_gets_its_own_schedule_or_a_pause_on_its_page_and_the_page_lists_what_was_sent_or_skipped()
    {
        var (org, browser) = await OwnerAsync();
        var (invoice, clientId) = await IssuedInvoiceAsync(org.Api);

        var client = await browser.GetAsync($"/clients/{clientId}");
        Assert.Contains("This client follows the organization's reminder schedule.", WebUtility.HtmlDecode(client.Html));
        Assert.Contains("No reminder sent or skipped yet.", client.Html);

        var page = await browser.GetAsync($"/clients/{clientId}/reminders");
        var form = Browser.FieldsOf(page.Html, "data-client-reminders-form");
        Assert.Equal("organization", form["Mode"]);
        Assert.Equal("-3", form["Steps[0].OffsetDays"]);

        var notANumber = await browser.PostFormAsync($"/clients/{clientId}/reminders", new Dictionary<string, string>(form) { ["Mode"] = "own", ["Steps[0].OffsetDays"] = "soon" });
        Assert.Equal(HttpStatusCode.BadRequest, notANumber.StatusCode);
        Assert.Contains("id=\"step-0-offset-error\">The day is a whole number of days from the due date", await notANumber.Content.ReadAsStringAsync());
        Assert.True((bool)(await org.Api.GetOkAsync($"/api/v1/clients/{clientId}/reminders"))["inherited"]!);

        // Its own schedule: one step, 5 days after the due date.
        var own = new Dictionary<string, string>(form)
        {
            ["Mode"] = "own", ["Steps[0].OffsetDays"] = "5", ["Steps[1].Remove"] = "true", ["Steps[2].Remove"] = "true", ["Steps[3].Remove"] = "true",
        };
        Assert.Equal(HttpStatusCode.Redirect, (await browser.PostFormAsync($"/clients/{clientId}/reminders", own)).StatusCode);
        var api = await org.Api.GetOkAsync($"/api/v1/clients/{clientId}/reminders");
        Assert.Equal((false, false), ((bool)api["inherited"]!, (bool)api["paused"]!));
        Assert.Equal([5], api["steps"]!.AsArray().Select(s => (int)s!["offsetDays"]!));

        // Paused: the own schedule is kept for later, and nothing is sent.
        await browser.GetAsync($"/clients/{clientId}/reminders");
        Assert.Equal(HttpStatusCode.Redirect, (await browser.PostFormAsync($"/clients/{clientId}/reminders", new Dictionary<string, string> { ["Mode"] = "paused" })).StatusCode);
        api = await org.Api.GetOkAsync($"/api/v1/clients/{clientId}/reminders");
        Assert.Equal((false, true), ((bool)api["inherited"]!, (bool)api["paused"]!));
        Assert.Contains("Reminders to this client are paused", (await browser.GetAsync($"/clients/{clientId}")).Html);
        _app.Clock.SetUtcNow(DueDay.AddDays(6));
        await Dunning.RunOnceAsync();
        await browser.SignInAsync(org.OwnerEmail, Staff.Password); // the session of a month ago has expired
        Assert.Contains("No reminder sent or skipped yet.", (await browser.GetAsync($"/clients/{clientId}")).Html);

        // Resumed on its own schedule: the +5 step goes out and the client page lists it.
        var resume = Browser.FieldsOf((await browser.GetAsync($"/clients/{clientId}/reminders")).Html, "data-client-reminders-form");
        Assert.Equal("paused", resume["Mode"]);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.PostFormAsync($"/clients/{clientId}/reminders", new Dictionary<string, string>(resume) { ["Mode"] = "own" })).StatusCode);
        await Dunning.RunOnceAsync();
        var listed = await browser.GetAsync($"/clients/{clientId}");
        Assert.Contains("This client has its own schedule: 5 days after the due date.", listed.Html);
        Assert.Matches($"<a href=\"/invoices/{invoice}\">INV-2026-000001</a></td>\\s*<td data-label=\"Step\">5 days after the due date</td>\\s*<td data-label=\"Day\">[^<]+</td>\\s*<td data-label=\"What happened\">sent</td>", listed.Html);
    }

    [Fact]
    public async Task The_invoice_page_shows_its_reminder_trail_and_charges_late_interest_on_a_new_invoice_after_confirmation()
    {
        var (org, browser) = await OwnerAsync();
        var (invoice, clientId) = await IssuedInvoiceAsync(org.Api);
        // Outside the scope of VAT an e-invoice names the seller by its legal registration id (BR-O-02).
        await org.Api.PatchOkAsync("/api/v1/settings", new { party = new { legalId = "12345678900012" } });

        // Cairn first looks on day +8: the +7 step is sent, the −3 one recorded as skipped.
        _app.Clock.SetUtcNow(DueDay.AddDays(8));
        await Dunning.RunOnceAsync();
        _app.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 22, 12, 0, 0, TimeSpan.Zero));
        await org.Api.PostOkAsync("/api/v1/payments", new { clientId, amount = new { amount = "1000.00", currency = "EUR" }, receivedOn = "2026-12-12", method = "bank_transfer", reference = "PART-1" });
        await org.Api.PostOkAsync("/api/v1/payments", new { clientId, amount = new { amount = "2600.00", currency = "EUR" }, receivedOn = "2026-12-22", method = "bank_transfer", reference = "PART-2" });
        await browser.SignInAsync(org.OwnerEmail, Staff.Password); // the session of a month ago has expired

        var detail = await browser.GetAsync($"/invoices/{invoice}");
        Assert.Matches("<td data-label=\"Step\">3 days before the due date</td>\\s*<td data-label=\"Day\">[^<]+</td>\\s*<td data-label=\"What happened\">skipped \\(a later step had come\\)</td>", detail.Html);
        Assert.Matches("<td data-label=\"Step\">7 days after the due date</td>\\s*<td data-label=\"Day\">[^<]+</td>\\s*<td data-label=\"What happened\">sent</td>\\s*<td class=\"num\" data-label=\"Balance due then\">3,600.00 EUR</td>", detail.Html);
        Assert.DoesNotContain("data-charge-interest", detail.Html);
        var off = await browser.GetAsync($"/invoices/{invoice}/late-interest");
        Assert.Contains("The organization does not charge late-payment interest", WebUtility.HtmlDecode(off.Html));
        Assert.DoesNotContain("Issue the interest invoice", off.Html);

        await Json.OkAsync(await org.Api.SendAsync(HttpMethod.Put, "/api/v1/settings/reminders", new { steps = (object?)null, chargeLateInterest = true }));
        Assert.Contains($"href=\"/invoices/{invoice}/late-interest\" data-charge-interest", (await browser.GetAsync($"/invoices/{invoice}")).Html);
        var confirm = WebUtility.HtmlDecode((await browser.GetAsync($"/invoices/{invoice}/late-interest")).Html);
        Assert.Contains("3,600.00 EUR × 10.15% × 10 / 365", confirm);
        Assert.Contains("2,600.00 EUR × 10.15% × 10 / 365", confirm);
        Assert.Contains("data-total=\"interest\">17.24 EUR", confirm);
        Assert.Contains("data-total=\"compensation\">40.00 EUR", confirm);
        Assert.Contains("data-total=\"total\">57.24 EUR", confirm);
        await using (var db = engine.NewDb(org.Api.OrganizationId))
            Assert.False(await db.Invoices.AnyAsync(i => i.LateInterestFor != null));

        var charged = await browser.PostFormAsync($"/invoices/{invoice}/late-interest", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Redirect, charged.StatusCode);
        var interestPage = WebUtility.HtmlDecode((await browser.GetAsync(charged.Headers.Location!.OriginalString)).Html);
        Assert.Contains("data-invoice-number>INV-2026-000002<", interestPage);
        Assert.Contains("Late-payment interest charged on this new invoice (57.24 EUR); invoice INV-2026-000001 is unchanged.", interestPage);
        Assert.Contains($"charges the late-payment interest of invoice <a href=\"/invoices/{invoice}\">INV-2026-000001</a>", interestPage);
        var interestId = charged.Headers.Location!.OriginalString.Split('/')[^1];
        var interestInvoice = await org.Api.GetOkAsync($"/api/v1/invoices/{interestId}");
        Assert.Equal(("issued", "57.24"), (interestInvoice.Str("status"), interestInvoice.Str("gross.amount")));

        var late = await browser.GetAsync($"/invoices/{invoice}");
        Assert.Contains($"is charged on invoice <a href=\"/invoices/{interestId}\">INV-2026-000002</a>", late.Html);
        Assert.DoesNotContain("data-charge-interest", late.Html);
        var twice = await browser.GetAsync($"/invoices/{invoice}/late-interest");
        Assert.Contains("Late-payment interest on invoice INV-2026-000001 is already charged", WebUtility.HtmlDecode(twice.Html));
        var again = await browser.PostFormAsync($"/invoices/{invoice}/late-interest", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        await using (var db = engine.NewDb(org.Api.OrganizationId))
            Assert.Equal(1, await db.Invoices.CountAsync(i => i.LateInterestFor != null));
    }

    [Fact]
    public async Task An_invoice_paid_on_time_offers_no_interest_and_its_confirmation_page_says_why()
    {
        var (org, browser) = await OwnerAsync();
        var (invoice, clientId) = await IssuedInvoiceAsync(org.Api);
        await Json.OkAsync(await org.Api.SendAsync(HttpMethod.Put, "/api/v1/settings/reminders", new { steps = (object?)null, chargeLateInterest = true }));
        await org.Api.PostOkAsync("/api/v1/payments", new { clientId, amount = new { amount = "3600.00", currency = "EUR" }, receivedOn = "2026-11-20", method = "bank_transfer", reference = "ON-TIME" });
        _app.Clock.SetUtcNow(DueDay.AddDays(30));
        await browser.SignInAsync(org.OwnerEmail, Staff.Password); // the session of a month ago has expired

        Assert.DoesNotContain("data-charge-interest", (await browser.GetAsync($"/invoices/{invoice}")).Html);
        var page = await browser.GetAsync($"/invoices/{invoice}/late-interest");
        Assert.Contains("Nothing of this invoice was paid late: there is no late-payment interest to charge.", WebUtility.HtmlDecode(page.Html));
        var posted = await browser.PostFormAsync($"/invoices/{invoice}/late-interest", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.BadRequest, posted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync($"/invoices/{Guid.CreateVersion7()}/late-interest")).Status);
    }

    private Dunning Dunning => _app.Services.GetRequiredService<Dunning>();

    private async Task<(StaffOrganization Org, Browser Browser)> OwnerAsync()
    {
        var email = Staff.Email("owner");
        var org = await _app.NewStaffOrganizationAsync(email);
        var browser = new Browser(_app);
        await browser.SignInAsync(email, Staff.Password);
        return (org, browser);
    }

    /// <summary>One issued invoice of 3,600.00 EUR (issued 2026-11-02, due 2026-12-02) and its client.</summary>
    private static async Task<(string InvoiceId, string ClientId)> IssuedInvoiceAsync(ApiClient api)
    {
        var contract = await Plans.ActiveWebsiteContractAsync(api);
        var first = Plans.MilestoneIds(contract)[0];
        await Plans.DeliverAsync(api, first);
        var approved = await api.PostOkAsync($"/api/v1/milestones/{first}/approve");
        return (approved.Str("invoice.id"), contract.Str("clientId"));
    }
}

public sealed class SqliteReminderPages(SqliteEngine engine) : ReminderPagesTests<SqliteEngine>(engine);

public sealed class PostgresReminderPages(PostgresEngine engine) : ReminderPagesTests<PostgresEngine>(engine);
