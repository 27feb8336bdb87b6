using System.Net;
using System.Net.Http.Json;
using Cairn.Domain;
using Cairn.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Tests.Calendar;

/// <summary>
/// The calendar feed (issue 14, item 6): <c>GET /calendar/{token}.ics</c> per staff user and per
/// client contact, read back with a strict RFC 5545 reader of our own (<see cref="IcsReader"/>).
/// </summary>
public abstract class CalendarFeedTests<TEngine>(TEngine engine) : IClassFixture<TEngine>, IAsyncLifetime
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
    public async Task A_staff_users_feed_shows_milestone_billing_and_invoice_due_dates_as_all_day_events_people_can_read()
    {
        var world = await WorldAsync();
        var url = await StaffFeedUrlAsync(world);
        await Plans.DeliverAsync(world.Api, world.Design.ToString());
        await world.Api.PostOkAsync($"/api/v1/milestones/{world.Design}/approve");
        var invoice = await InvoiceOfAsync(world.Api, world.Design);

        var answer = await _app.CreateClient().GetAsync(new Uri(url).PathAndQuery);

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("text/calendar", answer.Content.Headers.ContentType?.MediaType);
        Assert.Contains("no-store", answer.Headers.CacheControl?.ToString());
        var (calendar, events) = IcsReader.Read(await answer.Content.ReadAsStringAsync());
        Assert.Equal("Europe/Berlin", calendar["X-WR-TIMEZONE"].Single().Value);
        var design = events.Single(e => e.Uid == $"milestone-{world.Design}@localhost");
        Assert.Equal(new DateOnly(2026, 11, 20), design.Day);
        Assert.Equal(new DateOnly(2026, 11, 21), DateOnly.ParseExact(design.One("DTEND").Value, "yyyyMMdd"));
        Assert.Equal("Design due — Website for Globex", design.Summary);
        Assert.Equal(0, design.Sequence);
        Assert.Equal("CONFIRMED", design.Status);
        var instalment = events.Single(e => e.Uid == $"milestone-billing-{world.Instalment}@localhost");
        Assert.Equal(new DateOnly(2026, 12, 31), instalment.Day);
        Assert.Equal("Hosting, first year billed — Website for Globex", instalment.Summary);
        var bill = events.Single(e => e.Uid == $"invoice-{invoice.Str("id")}@localhost");
        Assert.Equal(DateOnly.Parse(invoice.Str("dueDate"), System.Globalization.CultureInfo.InvariantCulture), bill.Day);
        Assert.Equal($"{invoice.Str("number")} due — 3,600.00 EUR", bill.Summary);
        // The staff feed covers the whole organization: the other client's contract and the draft too.
        Assert.Contains(events, e => e.Summary == "Migration due — Servers for Initech");
        Assert.Contains(events, e => e.Summary == "Pitch due — Rebrand for Globex");

        // Read again: the same events under the same UIDs, so calendars update instead of duplicating.
        var again = IcsReader.Read(await _app.CreateClient().GetStringAsync(new Uri(url).PathAndQuery)).Events;
        Assert.Equal(events.Select(e => (e.Uid, e.Day, e.Summary)).Order(), again.Select(e => (e.Uid, e.Day, e.Summary)).Order());
    }

    [Fact]
    public async Task Moving_a_due_date_raises_the_sequence_and_cancelling_sends_a_cancelled_event()
    {
        var world = await WorldAsync();
        var url = await StaffFeedUrlAsync(world);
        var path = new Uri(url).PathAndQuery;

        await world.Api.PatchOkAsync($"/api/v1/milestones/{world.Pitch}", new { title = "Pitch, renamed" });
        var renamed = await EventAsync(path, $"milestone-{world.Pitch}@localhost");
        Assert.Equal(0, renamed.Sequence);

        await world.Api.PatchOkAsync($"/api/v1/milestones/{world.Pitch}", new { dueDate = "2026-12-04" });
        var moved = await EventAsync(path, $"milestone-{world.Pitch}@localhost");
        Assert.Equal(new DateOnly(2026, 12, 4), moved.Day);
        Assert.Equal(1, moved.Sequence);
        await world.Api.PatchOkAsync($"/api/v1/milestones/{world.Pitch}", new { dueDate = "2026-12-11" });
        Assert.Equal(2, (await EventAsync(path, $"milestone-{world.Pitch}@localhost")).Sequence);

        await world.Api.PostOkAsync($"/api/v1/contracts/{world.Rebrand}/cancel");
        var cancelled = await EventAsync(path, $"milestone-{world.Pitch}@localhost");
        Assert.Equal("CANCELLED", cancelled.Status);
        Assert.Equal(3, cancelled.Sequence);
    }

    [Fact]
    public async Task A_fully_credited_invoice_is_a_cancelled_event()
    {
        var world = await WorldAsync();
        var url = await StaffFeedUrlAsync(world);
        await Plans.DeliverAsync(world.Api, world.Design.ToString());
        await world.Api.PostOkAsync($"/api/v1/milestones/{world.Design}/approve");
        var invoice = await InvoiceOfAsync(world.Api, world.Design);

        await world.Api.PostOkAsync($"/api/v1/invoices/{invoice.Str("id")}/credit-notes", new { amount = new { amount = "3600.00", currency = "EUR" }, reason = "Cancelled by agreement" });

        var bill = await EventAsync(new Uri(url).PathAndQuery, $"invoice-{invoice.Str("id")}@localhost");
        Assert.Equal("CANCELLED", bill.Status);
        Assert.Equal(1, bill.Sequence);
    }

    [Fact]
    public async Task A_contacts_feed_shows_only_their_own_clients_contracts_and_no_drafts()
    {
        var world = await WorldAsync();
        var created = await Json.OkAsync(await world.Api.PostAsync($"/api/v1/clients/{world.Globex}/contacts/{world.GlobexContact}/calendar-feed", null));
        Assert.Equal(world.GlobexContact.ToString(), created.Str("feed.contactId"));

        var events = IcsReader.Read(await _app.CreateClient().GetStringAsync(new Uri(created.Str("url")).PathAndQuery)).Events;

        Assert.Equal(["Design due — Website for Globex", "Hosting, first year billed — Website for Globex", "Hosting, first year due — Website for Globex"], events.Select(e => e.Summary).Order().ToArray());
        Assert.Equal(HttpStatusCode.NotFound, (await world.Api.PostAsync($"/api/v1/clients/{world.Initech}/contacts/{world.GlobexContact}/calendar-feed", null)).StatusCode);
    }

    [Fact]
    public async Task A_contact_makes_their_own_feed_in_the_portal_and_sees_its_link_once()
    {
        var world = await WorldAsync();
        var link = await world.Api.PostOkAsync($"/api/v1/clients/{world.Globex}/contacts/{world.GlobexContact}/portal-links", new { sendEmail = false });
        var portal = new Browser(_app);
        await portal.GetAsync(new Uri(link.Str("url")).AbsolutePath);
        var page = await portal.GetAsync("/portal");
        Assert.Contains("Make a calendar link", page.Html);

        var made = await portal.PostFormAsync("/portal?handler=Calendar", new Dictionary<string, string>());
        var html = await made.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, made.StatusCode);
        var url = System.Text.RegularExpressions.Regex.Match(html, "data-calendar-url>([^<]+)<").Groups[1].Value;
        var events = IcsReader.Read(await _app.CreateClient().GetStringAsync(new Uri(url).PathAndQuery)).Events;
        Assert.Contains(events, e => e.Summary == "Design due — Website for Globex");
        var later = await portal.GetAsync("/portal");
        Assert.DoesNotContain(url, later.Html, StringComparison.Ordinal);
        Assert.Contains("Make a new calendar link", later.Html);
    }

    [Fact]
    public async Task A_rotated_or_revoked_feed_answers_404_and_so_does_a_forged_one()
    {
        var world = await WorldAsync();
        var first = await StaffFeedUrlAsync(world);
        var feeds = _app.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await feeds.GetAsync(new Uri(first).PathAndQuery)).StatusCode);

        var second = await StaffFeedUrlAsync(world);
        Assert.Equal(HttpStatusCode.NotFound, (await feeds.GetAsync(new Uri(first).PathAndQuery)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await feeds.GetAsync(new Uri(second).PathAndQuery)).StatusCode);

        var revoked = await world.Owner.PostFormAsync("/account/calendar?handler=Revoke", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        Assert.Contains("You have no calendar link.", await revoked.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await feeds.GetAsync(new Uri(second).PathAndQuery)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await feeds.GetAsync("/calendar/Zm9yZ2VkLWNhbGVuZGFyLXRva2VuLTAxMjM0NTY3ODk.ics")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await feeds.GetAsync("/calendar/short.ics")).StatusCode);

        // The audit trail says who made, rotated and revoked the feed, never its token.
        await using var db = engine.NewDb(world.Api.OrganizationId);
        var actions = await db.AuditLog.Where(a => a.EntityType == "calendar_feed").Select(a => a.Action).ToListAsync();
        Assert.Equal(["created", "revoked", "revoked", "rotated"], actions.Order().ToArray());
    }

    [Fact]
    public async Task Staff_manage_their_feed_over_the_api_and_an_api_key_has_none()
    {
        var world = await WorldAsync();
        var owner = world.Owner;
        await owner.GetAsync("/");

        var created = await SendAsync(owner, HttpMethod.Post, "/api/v1/me/calendar-feed");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var feed = await Json.OkAsync(created);
        Assert.Equal(world.OwnerId.ToString(), feed.Str("feed.userId"));
        var shown = await Json.OkAsync(await SendAsync(owner, HttpMethod.Get, "/api/v1/me/calendar-feed"));
        Assert.Null(shown["url"]);
        Assert.Equal(feed.Str("feed.id"), shown.Str("id"));
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(owner, HttpMethod.Post, "/api/v1/me/calendar-feed/revoke")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _app.CreateClient().GetAsync(new Uri(feed.Str("url")).PathAndQuery)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(owner, HttpMethod.Post, "/api/v1/me/calendar-feed/revoke")).StatusCode);

        await Json.ProblemAsync(await world.Api.PostAsync("/api/v1/me/calendar-feed", null), 409, "not_a_user");
        await Json.ProblemAsync(await world.Api.GetAsync("/api/v1/me/calendar-feed"), 404);
    }

    private async Task<IcsReader.Event> EventAsync(string path, string uid) =>
        IcsReader.Read(await _app.CreateClient().GetStringAsync(path)).Events.Single(e => e.Uid == uid);

    private static async Task<HttpResponseMessage> SendAsync(Browser browser, HttpMethod method, string path)
    {
        using var request = new HttpRequestMessage(method, path) { Content = method == HttpMethod.Get ? null : JsonContent.Create(new { }) };
        request.Headers.Add("X-CSRF-TOKEN", browser.Token);
        request.Headers.Accept.ParseAdd("application/json");
        return await browser.Http.SendAsync(request);
    }

    private static async Task<System.Text.Json.Nodes.JsonNode> InvoiceOfAsync(ApiClient api, Guid milestoneId)
    {
        var list = await api.GetOkAsync("/api/v1/invoices?limit=100");
        return list["data"]!.AsArray().Single(i => i!["milestoneId"]?.ToString() == milestoneId.ToString())!;
    }

    /// <summary>Signs the owner in on the account page and makes their feed there; returns the URL shown once.</summary>
    private static async Task<string> StaffFeedUrlAsync(World world)
    {
        var page = await world.Owner.GetAsync("/account/calendar");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        var made = await world.Owner.PostFormAsync("/account/calendar?handler=Create", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.OK, made.StatusCode);
        var html = await made.Content.ReadAsStringAsync();
        var url = System.Text.RegularExpressions.Regex.Match(html, "data-calendar-url>([^<]+)<").Groups[1].Value;
        Assert.StartsWith("http://localhost/calendar/", url, StringComparison.Ordinal);
        Assert.DoesNotContain(url, (await world.Owner.GetAsync("/account/calendar")).Html, StringComparison.Ordinal);
        return url;
    }

    /// <summary>
    /// An organization in Berlin with a signed-in owner; Globex has an active "Website" (Design due 2026-11-20,
    /// a dated hosting instalment billed 2026-12-31) and a draft "Rebrand" (Pitch due 2026-11-27); Initech an active "Servers".
    /// </summary>
    private sealed record World(ApiClient Api, Browser Owner, Guid OwnerId, Guid Globex, Guid GlobexContact, Guid Initech, Guid Design, Guid Instalment, Guid Rebrand, Guid Pitch);

    private async Task<World> WorldAsync()
    {
        var email = Staff.Email("owner");
        var staff = await _app.NewStaffOrganizationAsync(email);
        var api = staff.Api;
        await using (var db = engine.NewDb(api.OrganizationId))
        {
            (await db.Organizations.SingleAsync()).ChangeTimeZone("Europe/Berlin");
            await db.SaveChangesAsync();
        }

        var globex = Guid.Parse((await api.PostOkAsync("/api/v1/clients", new { name = "Globex", email = "ap@globex.test", address = "2 Main St" })).Str("id"));
        var initech = Guid.Parse((await api.PostOkAsync("/api/v1/clients", new { name = "Initech", email = "ap@initech.test", address = "3 Main St" })).Str("id"));
        var contact = Guid.Parse((await api.PostOkAsync($"/api/v1/clients/{globex}/contacts", new { name = "Gina", email = Staff.Email("gina") })).Str("id"));

        Guid design, instalment, rebrand, pitch;
        await using (var db = engine.NewDb(api.OrganizationId))
        {
            var website = new Contract(Guid.CreateVersion7(), api.OrganizationId, globex, "Website", new Money(500_000, Currency.EUR), Percentage.FromBasisPoints(2000), 30, Seed.Now);
            design = website.AddMilestone(Guid.CreateVersion7(), new MilestoneTerms("Design", "Mockups", "Approved by the client", new DateOnly(2026, 11, 20), new Money(300_000, Currency.EUR), null)).Id;
            instalment = website.AddMilestone(Guid.CreateVersion7(), new MilestoneTerms("Hosting, first year", "Hosting", "Site online", new DateOnly(2027, 1, 15), new Money(200_000, Currency.EUR), null, BillingTrigger.OnDate, new DateOnly(2026, 12, 31))).Id;
            website.Activate(Seed.Now);
            var draft = new Contract(Guid.CreateVersion7(), api.OrganizationId, globex, "Rebrand", new Money(100_000, Currency.EUR), Percentage.FromBasisPoints(2000), 30, Seed.Now);
            pitch = draft.AddMilestone(Guid.CreateVersion7(), new MilestoneTerms("Pitch", "Deck", "Agreed", new DateOnly(2026, 11, 27), new Money(100_000, Currency.EUR), null)).Id;
            rebrand = draft.Id;
            var servers = new Contract(Guid.CreateVersion7(), api.OrganizationId, initech, "Servers", new Money(100_000, Currency.EUR), Percentage.FromBasisPoints(2000), 30, Seed.Now);
            servers.AddMilestone(Guid.CreateVersion7(), new MilestoneTerms("Migration", "Servers moved", "Running", new DateOnly(2026, 11, 25), new Money(100_000, Currency.EUR), null));
            servers.Activate(Seed.Now);
            db.Contracts.AddRange(website, draft, servers);
            await db.SaveChangesAsync();
        }

        var owner = new Browser(_app);
        Assert.Equal(HttpStatusCode.Redirect, (await owner.SignInAsync(email, staff.OwnerPassword)).StatusCode);
        return new World(api, owner, staff.OwnerId, globex, contact, initech, design, instalment, rebrand, pitch);
    }
}

public sealed class SqliteCalendarFeeds(SqliteEngine engine) : CalendarFeedTests<SqliteEngine>(engine);

public sealed class PostgresCalendarFeeds(PostgresEngine engine) : CalendarFeedTests<PostgresEngine>(engine);
