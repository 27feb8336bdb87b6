using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Cairn.Server.Jobs;
using Cairn.Server.Outbox;
using Cairn.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace Cairn.Server.Tests.Outbox;

/// <summary>
/// Issue 14 item 3: the emails the outbox fans events out into — to the client's people in their
/// language, to staff by their own choice or in a daily digest — and "Send invoice", read back from
/// the pickup folder with MimeKit.
/// </summary>
public abstract class NotificationTests<TEngine>(TEngine engine) : IClassFixture<TEngine>, IAsyncLifetime
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
    public async Task A_submitted_milestone_emails_each_contact_in_the_clients_language_with_what_approving_invoices_and_a_portal_link_that_opens()
    {
        var world = await WorldAsync(language: "de", timeZone: "Europe/Berlin");
        var second = Staff.Email("yann");
        await world.Api.PostOkAsync($"/api/v1/clients/{world.ClientId}/contacts", new { name = "Yann", email = second });

        await Plans.DeliverAsync(world.Api, world.Milestones[0]);

        var mail = Assert.Single(MailsTo(world.ContactEmail));
        Assert.Single(MailsTo(second));
        Assert.Equal("Acme Studio", mail.From.Mailboxes.Single().Name);
        Assert.Equal($"Bereit zur Abnahme: {world.Titles[0]} (Website relaunch)", mail.Subject);
        Assert.StartsWith("Guten Tag Xena,", mail.TextBody, StringComparison.Ordinal);
        // 30 % of 10,000.00 plus 20 % VAT, as the domain's Invoice.TotalsFor says, in German number format.
        Assert.Contains("Rechnung über 3.600,00 EUR gestellt (3.000,00 EUR netto zuzüglich 600,00 EUR Steuer)", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("Delivered as agreed.", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("https://files.example.test/delivery.zip", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("Abnahmekriterien", mail.TextBody, StringComparison.Ordinal);
        Assert.NotNull(mail.HtmlBody);
        Assert.Contains("3.600,00 EUR", mail.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://files.example.test/delivery.zip\">", mail.HtmlBody, StringComparison.Ordinal);
        // Its portal link says until when it works, on the organization's clock, naming the zone.
        Assert.Matches(@"Er gilt bis \d{2}\.\d{2}\.\d{4} \d{2}:\d{2} \(Europe/Berlin\)\.", mail.TextBody);

        var link = Mailbox.LinkIn(mail, "/portal/");
        Assert.NotEqual(link, Mailbox.LinkIn(Assert.Single(MailsTo(second)), "/portal/"));
        var browser = new Browser(_app);
        var opened = await browser.GetAsync(new Uri(link).PathAndQuery);
        Assert.Equal(HttpStatusCode.Redirect, opened.Status);
        var portal = await browser.GetAsync("/portal");
        Assert.Equal(HttpStatusCode.OK, portal.Status);
        Assert.Contains(world.Titles[0], portal.Html, StringComparison.Ordinal);
        Assert.Empty(MailsTo(world.OwnerEmail));
    }

    [Fact]
    public async Task An_issued_invoice_emails_the_billing_address_its_pdf_and_the_ubl_once_the_client_asks_for_it()
    {
        var world = await WorldAsync(language: "fr");
        await Plans.DeliverAsync(world.Api, world.Milestones[0]);
        var first = (await world.Api.PostOkAsync($"/api/v1/milestones/{world.Milestones[0]}/approve")).Str("invoice.id");

        var mail = Assert.Single(MailsTo("ap@globex.test"));
        var number = (await world.Api.GetOkAsync($"/api/v1/invoices/{first}")).Str("number");
        Assert.Equal($"Facture {number} de Acme Studio", mail.Subject);
        Assert.Contains("3 600,00 EUR", (mail.TextBody ?? "").Replace('\u00A0', ' '), StringComparison.Ordinal);
        var pdf = Assert.Single(mail.Attachments.OfType<MimePart>());
        Assert.Equal("application/pdf", pdf.ContentType.MimeType);
        Assert.Equal(await BytesAsync(world.Api, $"/api/v1/invoices/{first}/pdf"), Bytes(pdf));

        await world.Api.PatchOkAsync($"/api/v1/clients/{world.ClientId}", new { emailUbl = true });
        await Plans.DeliverAsync(world.Api, world.Milestones[1]);
        var second = (await world.Api.PostOkAsync($"/api/v1/milestones/{world.Milestones[1]}/approve")).Str("invoice.id");

        var secondNumber = (await world.Api.GetOkAsync($"/api/v1/invoices/{second}")).Str("number");
        var withUbl = Assert.Single(MailsTo("ap@globex.test"), m => m.Subject == $"Facture {secondNumber} de Acme Studio");
        var parts = withUbl.Attachments.OfType<MimePart>().ToList();
        Assert.Equal(["application/pdf", "application/xml"], parts.Select(p => p.ContentType.MimeType));
        Assert.Equal(await BytesAsync(world.Api, $"/api/v1/invoices/{second}/pdf"), Bytes(parts[0]));
        Assert.Equal(await BytesAsync(world.Api, $"/api/v1/invoices/{second}/ubl"), Bytes(parts[1]));
    }

    [Fact]
    public async Task Staff_are_emailed_the_events_they_chose_and_nothing_else()
    {
        var world = await WorldAsync();
        var owner = await SignedInAsync(world);

        await Plans.DeliverAsync(world.Api, world.Milestones[0]);
        await world.Api.PostOkAsync($"/api/v1/milestones/{world.Milestones[0]}/approve");

        var approved = Assert.Single(MailsTo(world.OwnerEmail));
        Assert.Equal($"Globex approved “{world.Titles[0]}” of “Website relaunch” (3,000.00 EUR).", approved.Subject);
        Assert.Contains("You receive this email because you asked to hear when a client approves a milestone (Notifications on your account page:", approved.TextBody, StringComparison.Ordinal);
        Assert.Equal("Acme Studio", approved.From.Mailboxes.Single().Name);
        Assert.Contains($"/contracts/{world.ContractId}#m-{world.Milestones[0]}", approved.TextBody, StringComparison.Ordinal);
        Assert.NotNull(approved.HtmlBody);

        var defaults = await Json.OkAsync(await SendAsync(owner, HttpMethod.Get, "/api/v1/users/me/notification-preferences"));
        Assert.Equal(NotificationPreference.StaffEvents, defaults["events"]!.AsArray().Select(e => (string)e!));
        Assert.False((bool)defaults["dailyDigest"]!);
        await Json.ProblemAsync(await SendAsync(owner, HttpMethod.Put, "/api/v1/users/me/notification-preferences", new { events = new[] { "invoice.paid" }, dailyDigest = false }), 400, "invalid_event_type", "events[0]");
        await Json.ProblemAsync(await SendAsync(owner, HttpMethod.Put, "/api/v1/users/me/notification-preferences", new { events = Array.Empty<string>() }), 400, "required", "dailyDigest");
        await Json.ProblemAsync(await world.Api.SendAsync(HttpMethod.Put, "/api/v1/users/me/notification-preferences", new { events = Array.Empty<string>(), dailyDigest = false }), 409, "not_a_user");
        var chosen = await Json.OkAsync(await SendAsync(owner, HttpMethod.Put, "/api/v1/users/me/notification-preferences", new { events = new[] { "payment.recorded", "milestone.disputed" }, dailyDigest = false }));
        Assert.Equal(["milestone.disputed", "payment.recorded"], chosen["events"]!.AsArray().Select(e => (string)e!));

        await Plans.DeliverAsync(world.Api, world.Milestones[1]);
        var invoice = (await world.Api.PostOkAsync($"/api/v1/milestones/{world.Milestones[1]}/approve")).Str("invoice.id");
        await world.Api.PostOkAsync("/api/v1/payments", new
        {
            clientId = world.ClientId, amount = new { amount = "4800.00", currency = "EUR" }, receivedOn = "2026-11-02", method = "bank transfer", reference = "SEPA-77", invoiceIds = new[] { invoice },
        });

        // The pickup folder's files are named by the (test's frozen) clock, so they are told apart by subject, not order.
        var mails = MailsTo(world.OwnerEmail);
        Assert.Equal(2, mails.Count);
        Assert.Single(mails, m => m.Subject == "Globex paid 4,800.00 EUR (bank transfer, reference SEPA-77); the payment is recorded.");
        Assert.Single(mails, m => m.Subject == approved.Subject);
        var page = await owner.GetAsync("/account/notifications");
        Assert.Contains("value=\"payment.recorded\" checked", page.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("value=\"milestone.approved\" checked", page.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Staff_emails_digests_and_mentions_come_in_the_language_the_user_chose_while_the_client_keeps_its_own()
    {
        var world = await WorldAsync();
        var owner = await SignedInAsync(world);
        const string preferences = "/api/v1/users/me/notification-preferences";
        Assert.Equal("en", (await Json.OkAsync(await SendAsync(owner, HttpMethod.Get, preferences)))["language"]!.GetValue<string>());

        // A language Cairn does not write is refused, naming the field, and changes nothing.
        await Json.ProblemAsync(await SendAsync(owner, HttpMethod.Put, preferences, new { events = NotificationPreference.StaffEvents, dailyDigest = false, language = "it" }), 400, "invalid_value", "language");
        Assert.Equal("en", (await Json.OkAsync(await SendAsync(owner, HttpMethod.Get, preferences)))["language"]!.GetValue<string>());
        var chosen = await Json.OkAsync(await SendAsync(owner, HttpMethod.Put, preferences, new { events = NotificationPreference.StaffEvents, dailyDigest = false, language = "de" }));
        Assert.Equal("de", chosen["language"]!.GetValue<string>());
        // Left out, the language stays as it is.
        var kept = await Json.OkAsync(await SendAsync(owner, HttpMethod.Get, preferences));
        Assert.Equal("de", kept["language"]!.GetValue<string>());

        await Plans.DeliverAsync(world.Api, world.Milestones[0]);
        await world.Api.PostOkAsync($"/api/v1/milestones/{world.Milestones[0]}/approve");

        var approved = Assert.Single(MailsTo(world.OwnerEmail));
        Assert.Equal($"Globex hat „{world.Titles[0]}“ von „Website relaunch“ abgenommen (3.000,00 EUR).", approved.Subject);
        Assert.StartsWith("Guten Tag ", approved.TextBody, StringComparison.Ordinal);
        Assert.Contains("In Cairn öffnen:", approved.TextBody, StringComparison.Ordinal);
        // Why it came, in words and in German: never the event's API name.
        Assert.Contains("weil Sie benachrichtigt werden möchten, wenn ein Kunde einen Meilenstein abnimmt (Benachrichtigungen auf Ihrer Kontoseite:", approved.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("milestone.approved", approved.TextBody + approved.HtmlBody, StringComparison.Ordinal);
        // The client's invoice email stays in the client's language.
        Assert.StartsWith("Invoice ", Assert.Single(MailsTo("ap@globex.test")).Subject, StringComparison.Ordinal);

        // A mention in a comment, in the same language.
        var handle = world.OwnerEmail.Split('@')[0];
        await world.Api.PostOkAsync($"/api/v1/milestones/{world.Milestones[0]}/comments", new { body = $"@{handle} please have a look" });
        await Mailbox.Deliver(_app);
        Assert.Single(MailsTo(world.OwnerEmail), m => (m.Subject ?? "").Contains("hat Sie erwähnt", StringComparison.Ordinal));

        // The account page shows the choice and changes it: the digest then comes in French.
        var page = await owner.GetAsync("/account/notifications");
        Assert.Contains("<option value=\"de\" selected=\"selected\">", page.Html, StringComparison.Ordinal);
        var form = new Dictionary<string, string> { ["Events"] = "milestone.approved", ["DailyDigest"] = "true", ["Language"] = "fr" };
        Assert.Equal(HttpStatusCode.Redirect, (await owner.PostFormAsync("/account/notifications", form)).StatusCode);
        Assert.Equal("fr", (await Json.OkAsync(await SendAsync(owner, HttpMethod.Get, preferences)))["language"]!.GetValue<string>());
        await Plans.DeliverAsync(world.Api, world.Milestones[1]);
        await world.Api.PostOkAsync($"/api/v1/milestones/{world.Milestones[1]}/approve");
        await Mailbox.Deliver(_app); // the event's fan-out writes the digest line, in French
        _app.Clock.Advance(TimeSpan.FromDays(1));
        await RunSchedulerAsync(_app);
        var digest = Assert.Single(MailsTo(world.OwnerEmail), m => (m.Subject ?? "").StartsWith("Votre récapitulatif Cairn du ", StringComparison.Ordinal));
        Assert.EndsWith(": 1 événement", digest.Subject, StringComparison.Ordinal);
        Assert.Contains($"Globex a validé « {world.Titles[1]} » de « Website relaunch » (4\u00A0000,00 EUR).", digest.TextBody, StringComparison.Ordinal);
        await using var db = engine.NewDb(world.Api.OrganizationId);
        Assert.Contains(await db.AuditLog.Where(a => a.EntityType == "notification_preferences").ToListAsync(), a => (a.After ?? "").Contains("\"fr\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_daily_digest_lists_the_waiting_events_once_a_day_from_eight_in_the_organizations_time_zone()
    {
        var world = await WorldAsync(timeZone: "America/New_York");
        var owner = await SignedInAsync(world);
        await Json.OkAsync(await SendAsync(owner, HttpMethod.Put, "/api/v1/users/me/notification-preferences", new { events = new[] { "milestone.approved" }, dailyDigest = true }));

        // 09:00 UTC is 04:00 in New York: the approvals wait for the digest, nothing is sent yet.
        await Plans.DeliverAsync(world.Api, world.Milestones[0]);
        await world.Api.PostOkAsync($"/api/v1/milestones/{world.Milestones[0]}/approve");
        await Plans.DeliverAsync(world.Api, world.Milestones[1]);
        await world.Api.PostOkAsync($"/api/v1/milestones/{world.Milestones[1]}/approve");
        await RunSchedulerAsync(_app);
        Assert.Empty(MailsTo(world.OwnerEmail));

        // The server's own scheduled pass may run at the same moment as this one: either sends it, once.
        _app.Clock.Advance(TimeSpan.FromHours(4)); // 08:00 in New York
        await RunSchedulerAsync(_app);
        var digest = Assert.Single(MailsTo(world.OwnerEmail));
        Assert.Equal("Your Cairn digest for 2026-11-02: 2 events", digest.Subject);
        Assert.Contains($"Globex approved “{world.Titles[0]}”", digest.TextBody, StringComparison.Ordinal);
        Assert.Contains($"Globex approved “{world.Titles[1]}”", digest.TextBody, StringComparison.Ordinal);
        Assert.NotNull(digest.HtmlBody);

        // A later event of the same day waits for tomorrow's digest.
        await Plans.DeliverAsync(world.Api, world.Milestones[2]);
        await world.Api.PostOkAsync($"/api/v1/milestones/{world.Milestones[2]}/approve");
        await RunSchedulerAsync(_app);
        _app.Clock.Advance(TimeSpan.FromHours(23));
        await RunSchedulerAsync(_app);
        Assert.Single(MailsTo(world.OwnerEmail));
        _app.Clock.Advance(TimeSpan.FromHours(1));
        await RunSchedulerAsync(_app);
        Assert.Equal(["Your Cairn digest for 2026-11-02: 2 events", "Your Cairn digest for 2026-11-03: 1 event"], MailsTo(world.OwnerEmail).Select(m => m.Subject));
    }

    [Fact]
    public async Task Two_instances_send_one_digest_per_user_and_day()
    {
        var world = await WorldAsync();
        var owner = await SignedInAsync(world);
        await Json.OkAsync(await SendAsync(owner, HttpMethod.Put, "/api/v1/users/me/notification-preferences", new { events = new[] { "milestone.approved" }, dailyDigest = true }));
        await Plans.DeliverAsync(world.Api, world.Milestones[0]);
        await world.Api.PostOkAsync($"/api/v1/milestones/{world.Milestones[0]}/approve");
        await Mailbox.Deliver(_app);
        await using var other = new CairnApp(engine);
        _ = other.Server;

        // Each server's own scheduled pass runs too (at start-up): four passes and two background ones race for one digest.
        await Task.WhenAll(RunSchedulerAsync(_app), RunSchedulerAsync(other), RunSchedulerAsync(_app), RunSchedulerAsync(other));

        await using (var db = engine.NewDb(world.Api.OrganizationId))
            Assert.Single(await db.Digests.ToListAsync());
        await Mailbox.Deliver(other);
        var digests = Mailbox.All(_app).Concat(Mailbox.All(other)).Where(m => (m.Subject ?? "").StartsWith("Your Cairn digest", StringComparison.Ordinal)).ToList();
        Assert.Single(digests);
    }

    [Fact]
    public async Task A_committed_approval_is_emailed_exactly_once_by_two_instances_on_one_database()
    {
        var world = await WorldAsync();
        await using var other = new CairnApp(engine);
        _ = other.Server;
        await Plans.DeliverAsync(world.Api, world.Milestones[0]);

        await world.Api.PostOkAsync($"/api/v1/milestones/{world.Milestones[0]}/approve");
        await Task.WhenAll(Mailbox.Deliver(_app), Mailbox.Deliver(other), Mailbox.Deliver(other), Mailbox.Deliver(_app));
        await Task.WhenAll(Mailbox.Deliver(_app), Mailbox.Deliver(other));

        var all = Mailbox.Read(_app.MailDirectory).Concat(Mailbox.Read(other.MailDirectory)).ToList();
        Assert.Single(all, m => m.To.Mailboxes.Single().Address == world.OwnerEmail && (m.Subject ?? "").Contains("approved", StringComparison.Ordinal));
        Assert.Single(all, m => m.To.Mailboxes.Single().Address == "ap@globex.test");
        Assert.Equal(all.Count, all.Select(m => m.MessageId).Distinct().Count());
    }

    [Fact]
    public async Task The_auto_approval_warning_is_emitted_once_two_days_before_the_window_runs_out_and_never_for_an_answered_milestone()
    {
        var world = await WorldAsync(approvalWindowDays: 5);
        await Plans.DeliverAsync(world.Api, world.Milestones[0]);
        await Plans.DeliverAsync(world.Api, world.Milestones[1]);
        await using var other = new CairnApp(engine);
        _ = other.Server;

        _app.Clock.Advance(TimeSpan.FromDays(3) - TimeSpan.FromMinutes(1));
        other.Clock.Advance(TimeSpan.FromDays(3) - TimeSpan.FromMinutes(1));
        await RunSchedulerAsync(_app);
        Assert.Empty(await WarningsAsync(world));
        await world.Api.PostOkAsync($"/api/v1/milestones/{world.Milestones[1]}/approve");

        _app.Clock.Advance(TimeSpan.FromMinutes(1));
        other.Clock.Advance(TimeSpan.FromMinutes(1));
        await Task.WhenAll(RunSchedulerAsync(_app), RunSchedulerAsync(other), RunSchedulerAsync(_app));
        Assert.Single(await WarningsAsync(world));
        await RunSchedulerAsync(other);

        var warning = Cairn.Server.Outbox.Outbox.Read(Assert.Single(await WarningsAsync(world)));
        Assert.Equal(world.Milestones[0], warning.Data.GetProperty("milestoneId").GetString());

        // Either instance may have fanned the warning out: its email is in one of the two pickup folders, once.
        await Mailbox.Deliver(other);
        var mail = Assert.Single(MailsTo(world.OwnerEmail).Concat(Mailbox.Read(other.MailDirectory)), m => (m.Subject ?? "").StartsWith("Cairn will approve", StringComparison.Ordinal));
        Assert.StartsWith($"Cairn will approve “{world.Titles[0]}” of “Website relaunch” on 2026-11-07 at 09:00 (", mail.Subject, StringComparison.Ordinal);
        Assert.EndsWith(") unless Globex answers first.", mail.Subject, StringComparison.Ordinal);

        _app.Clock.Advance(TimeSpan.FromDays(2));
        await RunSchedulerAsync(_app);
        Assert.Single(await WarningsAsync(world));
    }

    private async Task<List<OutboxMessage>> WarningsAsync(World world)
    {
        await using var db = engine.NewDb(world.Api.OrganizationId);
        return await db.OutboxMessages.Where(m => m.Type == EventTypes.MilestoneAutoApprovalDue && m.Kind == OutboxMessage.EventKind).ToListAsync();
    }

    [Fact]
    public async Task Sending_an_invoice_records_who_sent_it_to_whom_and_emails_the_same_pdf_and_a_void_one_cannot_be_sent()
    {
        var world = await WorldAsync();
        await Plans.DeliverAsync(world.Api, world.Milestones[0]);
        var invoice = (await world.Api.PostOkAsync($"/api/v1/milestones/{world.Milestones[0]}/approve")).Str("invoice.id");
        var issuedMails = Mailbox.All(_app).Count;

        var sent = await world.Api.PostOkAsync($"/api/v1/invoices/{invoice}/send");
        Assert.Equal("ap@globex.test", sent.Str("recipients.0.email"));
        Assert.Null(sent["recipients"]![0]!["contactId"]);
        var resent = await world.Api.PostOkAsync($"/api/v1/invoices/{invoice}/send", new { recipients = new[] { world.ContactId } });
        Assert.Equal(world.ContactEmail, resent.Str("recipients.0.email"));

        var detail = await world.Api.GetOkAsync($"/api/v1/invoices/{invoice}");
        Assert.Equal([sent.Str("id"), resent.Str("id")], detail["sends"]!.AsArray().Select(s => s!.Str("id")));
        Assert.StartsWith("apikey:", detail.Str("sends.0.sentBy"), StringComparison.Ordinal);
        var mails = Mailbox.All(_app);
        Assert.Equal(issuedMails + 2, mails.Count);
        var toContact = Assert.Single(MailsTo(world.ContactEmail), m => (m.Subject ?? "").StartsWith("Invoice", StringComparison.Ordinal));
        var pdf = Assert.Single(toContact.Attachments.OfType<MimePart>());
        Assert.Equal(await BytesAsync(world.Api, $"/api/v1/invoices/{invoice}/pdf"), Bytes(pdf));
        Assert.Equal(2, MailsTo("ap@globex.test").Count);
        await using (var db = engine.NewDb(world.Api.OrganizationId))
        {
            Assert.Equal(2, await db.AuditLog.CountAsync(a => a.EntityId == Guid.Parse(invoice) && a.Action == "sent"));
            Assert.Equal(2, await db.OutboxMessages.CountAsync(m => m.Type == EventTypes.InvoiceSent && m.Kind == OutboxMessage.EventKind));
        }

        var otherClient = await Plans.ClientAsync(world.Api, "Initech");
        var stranger = (await world.Api.PostOkAsync($"/api/v1/clients/{otherClient}/contacts", new { name = "Peter", email = Staff.Email("peter") })).Str("id");
        await Json.ProblemAsync(await world.Api.PostAsync($"/api/v1/invoices/{invoice}/send", new { recipients = new[] { stranger } }), 400, "unknown_contact", "recipients[0]");
        await Json.ProblemAsync(await world.Api.PostAsync($"/api/v1/invoices/{Guid.NewGuid()}/send", new { }), 404);

        await world.Api.PostOkAsync($"/api/v1/invoices/{invoice}/credit-notes", new { amount = new { amount = "3600.00", currency = "EUR" }, reason = "Cancelled by agreement" });
        await Json.ProblemAsync(await world.Api.PostAsync($"/api/v1/invoices/{invoice}/send", new { }), 409, "invalid_transition");
        Assert.Equal(2, (await world.Api.GetOkAsync($"/api/v1/invoices/{invoice}"))["sends"]!.AsArray().Count);
    }

    [Fact]
    public async Task An_emailed_portal_link_has_a_text_and_an_html_part_in_the_clients_language_and_says_until_when_it_works_in_the_organizations_zone()
    {
        var world = await WorldAsync(language: "fr", timeZone: "Europe/Paris");

        await world.Api.PostOkAsync($"/api/v1/clients/{world.ClientId}/contacts/{world.ContactId}/portal-links", new { sendEmail = true, expiresInDays = 7 });

        var mail = Assert.Single(MailsTo(world.ContactEmail));
        Assert.Equal("Acme Studio", mail.From.Mailboxes.Single().Name);
        var link = Mailbox.LinkIn(mail, "/portal/");
        Assert.NotNull(mail.HtmlBody);
        Assert.Contains($"<a href=\"{link}\">", mail.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("vous invite dans son espace client", mail.TextBody, StringComparison.Ordinal);
        Assert.Matches(@"Il est valable jusqu'au \d{2}/\d{2}/\d{4} \d{2}:\d{2} \(Europe/Paris\)\.", mail.TextBody);
        Assert.DoesNotContain("UTC", mail.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_invoice_page_sends_to_the_billing_address_after_showing_to_whom_and_lists_each_send()
    {
        var world = await WorldAsync();
        var owner = await SignedInAsync(world);
        await Plans.DeliverAsync(world.Api, world.Milestones[0]);
        var invoice = (await world.Api.PostOkAsync($"/api/v1/milestones/{world.Milestones[0]}/approve")).Str("invoice.id");

        var page = await owner.GetAsync($"/invoices/{invoice}");
        Assert.Contains("Send invoice&#x2026;", page.Html, StringComparison.Ordinal);
        Assert.Contains("Globex &lt;ap@globex.test&gt;", page.Html, StringComparison.Ordinal);
        // The email that went out on its own when the invoice was issued is not forgotten by the page.
        Assert.Contains("Emailed to the client&#x27;s billing recipients when it was issued. Not sent again by hand yet.", page.Html, StringComparison.Ordinal);

        var posted = await owner.PostFormAsync($"/invoices/{invoice}?handler=Send", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);

        var after = await owner.GetAsync($"/invoices/{invoice}");
        Assert.Contains("Resend invoice&#x2026;", after.Html, StringComparison.Ordinal);
        Assert.Contains("Ada Owner", after.Html, StringComparison.Ordinal);
        Assert.Equal(2, MailsTo("ap@globex.test").Count);
    }

    private List<MimeMessage> MailsTo(string address) =>
        Mailbox.All(_app).Where(m => m.To.Mailboxes.Any(b => string.Equals(b.Address, address, StringComparison.OrdinalIgnoreCase))).ToList();

    private static Task<ScheduledBillingReport> RunSchedulerAsync(CairnApp app) =>
        app.Services.GetRequiredService<ScheduledBilling>().RunOnceAsync();

    private static async Task<byte[]> BytesAsync(ApiClient api, string path)
    {
        var response = await api.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsByteArrayAsync();
    }

    private static byte[] Bytes(MimePart part)
    {
        using var stream = new MemoryStream();
        part.Content!.DecodeTo(stream);
        return stream.ToArray();
    }

    private async Task<Browser> SignedInAsync(World world)
    {
        var browser = new Browser(_app);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SignInAsync(world.OwnerEmail, Staff.Password)).StatusCode);
        await browser.GetAsync("/");
        return browser;
    }

    private static async Task<HttpResponseMessage> SendAsync(Browser browser, HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = method == HttpMethod.Get ? null : JsonContent.Create(body ?? new { }) };
        request.Headers.Add("X-CSRF-TOKEN", browser.Token);
        request.Headers.Accept.ParseAdd("application/json");
        return await browser.Http.SendAsync(request);
    }

    private sealed record World(ApiClient Api, string OwnerEmail, string ClientId, string ContactId, string ContactEmail, string ContractId, List<string> Milestones, List<string> Titles);

    /// <summary>A staff organization with an active Website 30/40/30 contract for Globex (billing email ap@globex.test) and its contact Xena.</summary>
    private async Task<World> WorldAsync(string language = "en", string? timeZone = null, int? approvalWindowDays = null)
    {
        var ownerEmail = Staff.Email("owner");
        var staff = await _app.NewStaffOrganizationAsync(ownerEmail);
        var api = staff.Api;
        if (timeZone is not null)
        {
            await using var db = engine.NewDb(api.OrganizationId);
            (await db.Organizations.SingleAsync()).ChangeTimeZone(timeZone);
            await db.SaveChangesAsync();
        }

        var draft = await Plans.ContractAsync(api, templateId: Plans.WebsiteTemplate, approvalWindowDays: approvalWindowDays);
        var clientId = draft.Str("clientId");
        await api.PatchOkAsync($"/api/v1/clients/{clientId}", new { language });
        var contactEmail = Staff.Email("xena");
        var contactId = (await api.PostOkAsync($"/api/v1/clients/{clientId}/contacts", new { name = "Xena", email = contactEmail })).Str("id");
        var contract = await api.PostOkAsync($"/api/v1/contracts/{draft.Str("id")}/activate");
        await Mailbox.Deliver(_app);
        var milestones = contract["milestones"]!.AsArray();
        return new World(api, ownerEmail, clientId, contactId, contactEmail, contract.Str("id"), Plans.MilestoneIds(contract), milestones.Select(m => m!.Str("title")).ToList());
    }
}

public sealed class SqliteNotifications(SqliteEngine engine) : NotificationTests<SqliteEngine>(engine);

public sealed class PostgresNotifications(PostgresEngine engine) : NotificationTests<PostgresEngine>(engine);
