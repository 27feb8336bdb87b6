using System.Text.Json.Nodes;
using Cairn.Server.Jobs;
using Cairn.Server.Outbox;
using Cairn.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace Cairn.Server.Tests.Reminders;

/// <summary>Issue 14 item 4: reminders of open invoices on the schedule's days, once per step, and <c>invoice.overdue</c> once.</summary>
public abstract class DunningTests<TEngine>(TEngine engine) : IClassFixture<TEngine>, IAsyncLifetime
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

    private Dunning Job => _app.Services.GetRequiredService<Dunning>();

    [Fact]
    public async Task Moving_the_clock_day_by_day_from_minus_5_to_plus_40_sends_the_four_steps_each_once_and_invoice_overdue_once()
    {
        var (api, invoice, _) = await IssuedInvoiceAsync(_app);

        var sentOn = new List<(string Subject, DateTimeOffset Day)>();
        for (var day = -5; day <= 40; day++)
        {
            MoveTo(_app, DueDay.AddDays(day));
            await Job.RunOnceAsync();
            foreach (var mail in Reminders(_app, invoice).Skip(sentOn.Count))
                sentOn.Add((mail.Subject ?? "", _app.Clock.GetUtcNow()));
        }

        Assert.Equal([DueDay.AddDays(-3), DueDay.AddDays(7), DueDay.AddDays(21), DueDay.AddDays(35)], sentOn.Select(s => s.Day));
        Assert.Equal(
            ["Invoice INV-2026-000001 is due on 2026-12-02", "Reminder: invoice INV-2026-000001 is overdue", "Second reminder: invoice INV-2026-000001 is 21 days overdue", "Final notice: invoice INV-2026-000001"],
            sentOn.Select(s => s.Subject));
        var trail = await api.GetOkAsync($"/api/v1/invoices/{invoice}/reminders");
        Assert.Equal(["sent", "sent", "sent", "sent"], trail.AsArray().Select(r => r!.Str("outcome")));
        var overdue = await EventsAsync(api, EventTypes.InvoiceOverdue);
        Assert.Equal(invoice, Assert.Single(overdue).GetProperty("invoiceId").GetString());
    }

    [Fact]
    public async Task One_jump_past_every_step_sends_only_the_final_notice_and_records_three_skipped_steps()
    {
        var (api, invoice, _) = await IssuedInvoiceAsync(_app);

        MoveTo(_app, DueDay.AddDays(40));
        await Job.RunOnceAsync();
        await Job.RunOnceAsync();

        var mail = Assert.Single(Reminders(_app, invoice));
        Assert.Equal("Final notice: invoice INV-2026-000001", mail.Subject);
        Assert.Contains("3,600.00 EUR is 40 days overdue", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("3,600.00 EUR is 40 days overdue", mail.HtmlBody, StringComparison.Ordinal);
        Assert.Equal("INV-2026-000001.pdf", Assert.Single(mail.Attachments.OfType<MimePart>()).FileName);
        var trail = await api.GetOkAsync($"/api/v1/invoices/{invoice}/reminders");
        Assert.Equal([(-3, "skipped"), (7, "skipped"), (21, "skipped"), (35, "sent")], trail.AsArray().Select(r => ((int)r!["offsetDays"]!, r.Str("outcome"))));
        var audit = await api.GetOkAsync($"/api/v1/audit?entity=invoice&id={invoice}");
        Assert.Equal(3, audit["data"]!.AsArray().Count(e => e!.Str("action") == "reminder_skipped"));
        Assert.Single(await EventsAsync(api, EventTypes.InvoiceOverdue));
    }

    [Fact]
    public async Task Two_instances_passing_at_once_send_each_step_once()
    {
        var (api, invoice, _) = await IssuedInvoiceAsync(_app);
        await using var second = new CairnApp(engine);
        _ = second.Services;

        foreach (var day in new[] { -3, 7, 21, 35 })
        {
            MoveTo(_app, DueDay.AddDays(day));
            MoveTo(second, DueDay.AddDays(day));
            var other = second.Services.GetRequiredService<Dunning>();
            await Task.WhenAll(Task.Run(() => Job.RunOnceAsync()), Task.Run(() => other.RunOnceAsync()), Task.Run(() => Job.RunOnceAsync()));
            await Mailbox.Deliver(_app);
            await Mailbox.Deliver(second);
        }

        // One queued email per step; the outbox delivers it at least once, a repeat carrying the same Message-ID.
        await using var db = engine.NewDb(api.OrganizationId);
        Assert.Equal(4, await db.OutboxMessages.CountAsync(m => m.Type == "reminder"));
        var all = Mailbox.All(_app).Concat(Mailbox.All(second)).Where(IsReminderOf(invoice)).ToList();
        Assert.Equal(4, all.Select(m => m.MessageId).Distinct().Count());
    }

    /// <summary>
    /// Issue 16: a pass reads the open invoices with what was recorded for them in one statement and gives a
    /// transaction only to those with something to do, so books whose reminders are up to date cost one read a
    /// pass, not a transaction per open invoice (at 1,000,000 invoices the job kept a core busy).
    /// </summary>
    [Fact]
    public async Task A_second_pass_on_the_same_day_finds_nothing_to_do_and_opens_no_transaction()
    {
        var statements = new Statements();
        await using var app = new CairnApp(engine) { TestServices = statements.AddTo };
        var (api, invoice, _) = await IssuedInvoiceAsync(app);
        var job = app.Services.GetRequiredService<Dunning>();
        MoveTo(app, DueDay.AddDays(8));
        await job.RunOnceAsync();
        await Mailbox.Deliver(app);

        statements.OutsideRequests = true;
        var again = await job.RunOnceAsync();
        statements.OutsideRequests = false;

        // An invoice's own transaction reads its marks and steps as its organization (the tenant filter); the pass's one read does not.
        Assert.Equal(new DunningReport(0, 0, 0), again);
        var perInvoice = statements.Sent.Where(s => s.Sql.Contains("ef_filter__", StringComparison.Ordinal)
            && (s.Sql.Contains("invoice_overdue_marks", StringComparison.Ordinal) || s.Sql.Contains("invoice_reminders", StringComparison.Ordinal))).ToList();
        Assert.True(perInvoice.Count == 0, $"the pass visited invoices with nothing to do:\n{string.Join("\n\n", perInvoice)}");
        Assert.Equal([(-3, "skipped"), (7, "sent")], await TrailAsync(api, invoice));

        // The next step still goes out on its day.
        MoveTo(app, DueDay.AddDays(21));
        await job.RunOnceAsync();
        Assert.Equal([(-3, "skipped"), (7, "sent"), (21, "sent")], await TrailAsync(api, invoice));
    }

    private static async Task<List<(int, string)>> TrailAsync(ApiClient api, string invoice) =>
        (await api.GetOkAsync($"/api/v1/invoices/{invoice}/reminders")).AsArray().Select(r => ((int)r!["offsetDays"]!, r.Str("outcome"))).ToList();

    [Fact]
    public async Task A_paid_a_disputed_or_a_paused_clients_invoice_is_not_reminded()
    {
        var (api, paidInvoice, clientId) = await IssuedInvoiceAsync(_app);
        await api.PostOkAsync("/api/v1/payments", new { clientId, amount = new { amount = "3600.00", currency = "EUR" }, receivedOn = "2026-11-20", method = "bank_transfer", reference = "PAID" });

        var (disputedApi, disputedInvoice, _) = await IssuedInvoiceAsync(_app, dispute: true);

        var (pausedApi, pausedInvoice, pausedClient) = await IssuedInvoiceAsync(_app);
        var paused = await Json.OkAsync(await pausedApi.SendAsync(HttpMethod.Put, $"/api/v1/clients/{pausedClient}/reminders", new { paused = true }));
        Assert.True((bool)paused["paused"]!);
        Assert.True((bool)paused["inherited"]!);

        MoveTo(_app, DueDay.AddDays(8));
        await Job.RunOnceAsync();

        Assert.Empty(Reminders(_app, paidInvoice).Concat(Reminders(_app, disputedInvoice)).Concat(Reminders(_app, pausedInvoice)));
        // The disputed and the paused invoice are still overdue: the event is about the invoice, not the chasing.
        Assert.Empty(await EventsAsync(api, EventTypes.InvoiceOverdue));
        Assert.Single(await EventsAsync(disputedApi, EventTypes.InvoiceOverdue));
        Assert.Single(await EventsAsync(pausedApi, EventTypes.InvoiceOverdue));

        // Unpaused, the client gets the step that has come, and only that one.
        await Json.OkAsync(await pausedApi.SendAsync(HttpMethod.Put, $"/api/v1/clients/{pausedClient}/reminders", new { paused = false }));
        await Job.RunOnceAsync();
        Assert.Equal(["Reminder: invoice INV-2026-000001 is overdue"], Reminders(_app, pausedInvoice).Select(m => m.Subject));
    }

    [Fact]
    public async Task A_partial_payment_shows_in_the_next_reminder_as_the_new_balance_due()
    {
        var (api, invoice, clientId) = await IssuedInvoiceAsync(_app);
        MoveTo(_app, DueDay.AddDays(7));
        await Job.RunOnceAsync();
        Assert.Contains("The balance due is 3,600.00 EUR (of 3,600.00 EUR; paid so far: 0.00 EUR)", Reminders(_app, invoice).Single().TextBody, StringComparison.Ordinal);

        await api.PostOkAsync("/api/v1/payments", new { clientId, amount = new { amount = "1000.00", currency = "EUR" }, receivedOn = "2026-12-15", method = "bank_transfer", reference = "PART" });
        MoveTo(_app, DueDay.AddDays(21));
        await Job.RunOnceAsync();

        var second = Reminders(_app, invoice).Last();
        Assert.Contains("The balance due is 2,600.00 EUR, now 21 days overdue.", second.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_clients_own_schedule_and_language_decide_its_reminders()
    {
        var (api, invoice, clientId) = await IssuedInvoiceAsync(_app);
        await api.PatchOkAsync($"/api/v1/clients/{clientId}", new { language = "de" });
        var own = await Json.OkAsync(await api.SendAsync(HttpMethod.Put, $"/api/v1/clients/{clientId}/reminders", new
        {
            steps = new[]
            {
                new { offsetDays = 3, texts = new Dictionary<string, object> { ["en"] = new { subject = "Overdue: {invoiceNumber}", body = "Please pay {balanceDue}." }, ["de"] = new { subject = "Überfällig: {invoiceNumber}", body = "Bitte zahlen Sie {balanceDue} bis {dueDate}." } } },
            },
        }));
        Assert.False((bool)own["inherited"]!);

        MoveTo(_app, DueDay.AddDays(3));
        await Job.RunOnceAsync();

        var mail = Assert.Single(Reminders(_app, invoice));
        Assert.Equal("Überfällig: INV-2026-000001", mail.Subject);
        Assert.Equal("Bitte zahlen Sie 3.600,00 EUR bis 02.12.2026.", mail.TextBody?.Trim());
    }

    [Fact]
    public async Task The_organizations_schedule_is_read_and_replaced_and_a_bad_step_changes_nothing()
    {
        var api = await _app.NewOrganizationAsync();
        var initial = await api.GetOkAsync("/api/v1/settings/reminders");
        Assert.True((bool)initial["isDefault"]!);
        Assert.Equal([-3, 7, 21, 35], initial["steps"]!.AsArray().Select(s => (int)s!["offsetDays"]!));
        Assert.Equal("Letzte Mahnung: Rechnung {invoiceNumber}", initial.Str("steps.3.texts.de.subject"));

        var bad = await api.SendAsync(HttpMethod.Put, "/api/v1/settings/reminders", new
        {
            steps = new object[]
            {
                new { offsetDays = 10, texts = new { en = new { subject = "Late", body = "Pay {amount}" } } },
            },
        });
        await Json.ProblemAsync(bad, 400, "invalid_reminder_text", "steps[0].texts.en.body");
        var duplicate = await api.SendAsync(HttpMethod.Put, "/api/v1/settings/reminders", new
        {
            steps = new object[]
            {
                new { offsetDays = 10, texts = new { en = new { subject = "Late", body = "Pay" } } },
                new { offsetDays = 10, texts = new { en = new { subject = "Late", body = "Pay" } } },
            },
        });
        await Json.ProblemAsync(duplicate, 400, "duplicate_reminder_offset", "steps[1].offsetDays");
        Assert.True((bool)(await api.GetOkAsync("/api/v1/settings/reminders"))["isDefault"]!);

        var replaced = await Json.OkAsync(await api.SendAsync(HttpMethod.Put, "/api/v1/settings/reminders", new
        {
            steps = new object[] { new { offsetDays = 14, texts = new { en = new { subject = "Late: {invoiceNumber}", body = "Please pay {balanceDue}." } } } },
            chargeLateInterest = true,
        }));
        Assert.False((bool)replaced["isDefault"]!);
        Assert.True((bool)replaced["chargeLateInterest"]!);
        Assert.Equal([14], replaced["steps"]!.AsArray().Select(s => (int)s!["offsetDays"]!));
    }

    /// <summary>
    /// Issue 16: a pass reads only the invoices whose next day has come (the day after the due date, or the next
    /// step), which each invoice carries; so a later step added to the schedule, or a dispute resolved, must make the
    /// next pass look at the invoice again, or the step that came meanwhile would never go out.
    /// </summary>
    [Fact]
    public async Task An_invoice_done_with_every_step_gets_a_step_added_later_and_a_resolved_dispute_gets_the_step_that_came_meanwhile()
    {
        var (api, invoice, _) = await IssuedInvoiceAsync(_app);
        var (disputedApi, disputedInvoice, _) = await IssuedInvoiceAsync(_app);
        var contract = (await disputedApi.GetOkAsync($"/api/v1/invoices/{disputedInvoice}")).Str("milestoneId");
        var dispute = await disputedApi.PostOkAsync($"/api/v1/milestones/{contract}/dispute", new { reason = "The launch page is missing." });

        MoveTo(_app, DueDay.AddDays(-3));
        await Job.RunOnceAsync();
        Assert.Equal(DateOnly.FromDateTime(DueDay.AddDays(1).UtcDateTime), await NextChaseOnAsync(api, invoice));
        MoveTo(_app, DueDay.AddDays(40));
        await Job.RunOnceAsync();
        Assert.Equal(["sent", "skipped", "skipped", "sent"], (await TrailAsync(api, invoice)).Select(t => t.Item2));
        Assert.Null(await NextChaseOnAsync(api, invoice));
        Assert.Empty(Reminders(_app, disputedInvoice));

        // The organization adds a step 60 days after the due date: it goes out on its day to the invoice that was done.
        var steps = (await api.GetOkAsync("/api/v1/settings/reminders"))["steps"]!.AsArray().Select(s => s!.DeepClone()).ToList();
        steps.Add(new JsonObject { ["offsetDays"] = 60, ["texts"] = new JsonObject { ["en"] = new JsonObject { ["subject"] = "Collection notice: {invoiceNumber}", ["body"] = "Pay {balanceDue} now." } } });
        await Json.OkAsync(await api.SendAsync(HttpMethod.Put, "/api/v1/settings/reminders", new { steps }));
        MoveTo(_app, DueDay.AddDays(60));
        await Job.RunOnceAsync();
        Assert.Equal("Collection notice: INV-2026-000001", Reminders(_app, invoice)[^1].Subject);

        // The dispute is resolved on day 60: the next pass sends the latest step that came meanwhile, once.
        await disputedApi.PostOkAsync($"/api/v1/disputes/{dispute.Str("openDispute.id")}/resolve", new { outcome = "accepted" });
        await Job.RunOnceAsync();
        await Job.RunOnceAsync();
        Assert.Equal(["Final notice: invoice INV-2026-000001"], Reminders(_app, disputedInvoice).Select(m => m.Subject));
    }

    private async Task<DateOnly?> NextChaseOnAsync(ApiClient api, string invoice)
    {
        await using var db = engine.NewDb(api.OrganizationId);
        return await db.Invoices.Where(i => i.Id == Guid.Parse(invoice)).Select(i => i.NextChaseOn).SingleAsync();
    }

    private static void MoveTo(CairnApp app, DateTimeOffset at)
    {
        if (at > app.Clock.GetUtcNow())
            app.Clock.SetUtcNow(at);
    }

    // The class's tests share one database, so another test's queued reminders may be delivered here: each test reads its invoice's own.
    private static Func<MimeMessage, bool> IsReminderOf(string invoiceId) =>
        m => m.MessageId?.StartsWith($"reminder_{Guid.Parse(invoiceId):N}_", StringComparison.Ordinal) == true;

    private static List<MimeMessage> Reminders(CairnApp app, string invoiceId) => Mailbox.All(app).Where(IsReminderOf(invoiceId)).ToList();

    /// <summary>An organization with one issued invoice of 3,600.00 EUR (issued 2026-11-02, due 2026-12-02), optionally disputed.</summary>
    private static async Task<(ApiClient Api, string InvoiceId, string ClientId)> IssuedInvoiceAsync(CairnApp app, bool dispute = false)
    {
        var api = await app.NewOrganizationAsync();
        var contract = await Plans.ActiveWebsiteContractAsync(api);
        var first = Plans.MilestoneIds(contract)[0];
        await Plans.DeliverAsync(api, first);
        var approved = await api.PostOkAsync($"/api/v1/milestones/{first}/approve");
        if (dispute)
            await api.PostOkAsync($"/api/v1/milestones/{first}/dispute", new { reason = "The launch page is missing." });
        return (api, approved.Str("invoice.id"), contract.Str("clientId"));
    }

    private async Task<List<System.Text.Json.JsonElement>> EventsAsync(ApiClient api, string type)
    {
        await using var db = engine.NewDb(api.OrganizationId);
        var rows = await db.OutboxMessages.Where(m => m.Kind == OutboxMessage.EventKind && m.Type == type).ToListAsync();
        return rows.Select(r => Cairn.Server.Outbox.Outbox.Read(r).Data).ToList();
    }
}

public sealed class SqliteDunning(SqliteEngine engine) : DunningTests<SqliteEngine>(engine);

public sealed class PostgresDunning(PostgresEngine engine) : DunningTests<PostgresEngine>(engine);
