using Cairn.Domain;
using Cairn.Server.Billing;
using Cairn.Server.Data;
using Cairn.Server.Outbox;
using Cairn.Server.Reminders;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cairn.Server.Jobs;

/// <summary>What one pass of the dunning job did.</summary>
/// <param name="RemindersSent">Reminder emails queued.</param>
/// <param name="StepsSkipped">Steps recorded as skipped because a later one had come.</param>
/// <param name="BecameOverdue">Invoices for which <c>invoice.overdue</c> was emitted.</param>
public sealed record DunningReport(int RemindersSent, int StepsSkipped, int BecameOverdue);

/// <summary>
/// Chases open invoices, for every organization, on its own business day: emits <c>invoice.overdue</c>
/// once per invoice the day after its due date, and sends the reminder step that has come
/// (<see cref="ReminderSchedule.PlanFor"/>). Each invoice is handled in its own transaction that
/// writes its unique (invoice, step) rows together with the queued email, so with any interval and
/// any number of instances a step goes out once: an instance that loses the race rolls back.
/// </summary>
public sealed class Dunning(IServiceScopeFactory scopes, TimeProvider clock, IOptions<CairnOptions> options, StartupModels models, ILogger<Dunning> logger) : BackgroundService
{
    /// <summary>The pause between passes: <c>Cairn:Jobs:IntervalSeconds</c>, like scheduled billing.</summary>
    public TimeSpan Interval { get; } = TimeSpan.FromSeconds(options.Value.Jobs.IntervalSeconds);

    /// <summary>One pass over every organization's open invoices whose day has come.</summary>
    public async Task<DunningReport> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        // No zone is more than a day ahead of UTC; each invoice is judged again on its organization's day.
        var latestToday = DateOnly.FromDateTime(now.UtcDateTime).AddDays(1);
        var candidates = new List<(Guid OrganizationId, Guid InvoiceId)>();
        var settled = new List<(Guid InvoiceId, DateOnly? Was, DateOnly? Next)>();
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CairnDb>();
            // Each organization's today, as the invoice's own transaction judges it (BusinessDays).
            var todays = (await db.Organizations.IgnoreQueryFilters().AsNoTracking().Select(o => new { o.Id, o.TimeZone }).ToListAsync(cancellationToken))
                .ToDictionary(o => o.Id, o => BusinessCalendar.Of(o.TimeZone).DayOf(now));
            var settings = await db.ReminderSettings.IgnoreQueryFilters().AsNoTracking().ToListAsync(cancellationToken);
            var ofOrganization = settings.Where(s => s.ClientId is null).ToDictionary(s => s.OrganizationId);
            var ofClient = settings.Where(s => s.ClientId is not null).ToDictionary(s => (s.OrganizationId, s.ClientId!.Value));
            // Issue 16: only the open invoices whose next day (Invoice.NextChaseOn: their overdue day or next step,
            // kept by this job) has come are read, by index, with what was recorded for them, in this one statement;
            // only those with something to do on their organization's today get a transaction of their own. Books
            // whose reminders are up to date cost a read of the few invoices whose day it is, however large they grow
            // (reading every open invoice due within 60 days took 3-8 s of PostgreSQL CPU a pass at 1,000,000).
            var open = db.Invoices.IgnoreQueryFilters().Open()
                .Where(i => i.NextChaseOn <= latestToday)
                .OrderBy(i => i.NextChaseOn)
                .Select(i => new
                {
                    i.OrganizationId,
                    i.Id,
                    i.ClientId,
                    i.IssueDate,
                    i.DueDate,
                    i.Disputed,
                    i.NextChaseOn,
                    Marked = db.InvoiceOverdueMarks.Any(m => m.InvoiceId == i.Id),
                    Recorded = db.InvoiceReminders.Count(r => r.InvoiceId == i.Id),
                    Latest = db.InvoiceReminders.Where(r => r.InvoiceId == i.Id).Max(r => (int?)r.OffsetDays),
                })
                .AsNoTracking().AsAsyncEnumerable();
            await foreach (var i in open.WithCancellation(cancellationToken))
            {
                if (i.IssueDate is not { } issueDate || i.DueDate is not { } dueDate)
                    continue;
                var (schedule, paused) = ReminderRules.Resolve(ofOrganization.GetValueOrDefault(i.OrganizationId), ofClient.GetValueOrDefault((i.OrganizationId, i.ClientId)));
                var today = todays.GetValueOrDefault(i.OrganizationId, latestToday);
                var chased = !paused && !i.Disputed;
                if ((!i.Marked && dueDate < today) || (chased && schedule.MayPlanFor(issueDate, dueDate, today, i.Recorded, i.Latest)))
                    candidates.Add((i.OrganizationId, i.Id));
                else if (schedule.NextDayAfter(issueDate, dueDate, today, i.Marked) is var next && next != i.NextChaseOn)
                    settled.Add((i.Id, i.NextChaseOn, next));
            }

            await SettleAsync(db, settled, cancellationToken);
        }

        var report = new DunningReport(0, 0, 0);
        foreach (var (organizationId, invoiceId) in candidates)
        {
            var done = await RunItemAsync(organizationId, invoiceId, cancellationToken);
            report = new DunningReport(report.RemindersSent + done.RemindersSent, report.StepsSkipped + done.StepsSkipped, report.BecameOverdue + done.BecameOverdue);
        }

        if (report != new DunningReport(0, 0, 0))
            logger.LogInformation("Dunning: {Sent} reminder(s) sent, {Skipped} step(s) skipped, {Overdue} invoice(s) became overdue", report.RemindersSent, report.StepsSkipped, report.BecameOverdue);
        return report;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Passes.RunEveryAsync(Interval, clock, logger, "Dunning", RunOnceAsync, models, stoppingToken);

    /// <summary>One invoice, in its own scope and transaction, as its organization; a lost race is a quiet no-op.</summary>
    private async Task<DunningReport> RunItemAsync(Guid organizationId, Guid invoiceId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CairnDb>();
        db.TenantId = organizationId;
        try
        {
            var done = new DunningReport(0, 0, 0);
            await Transactions.RunAsync(db, async () =>
            {
                done = await ChaseAsync(scope.ServiceProvider, db, invoiceId, cancellationToken);
                return true;
            }, cancellationToken);
            return done;
        }
        catch (Exception e) when (DatabaseFailures.IsUniqueViolation(e))
        {
            logger.LogDebug("Invoice {Invoice}: another instance recorded its reminder first", invoiceId);
            return new DunningReport(0, 0, 0);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Could not chase invoice {Invoice} of organization {Organization}; it is tried again on the next pass", invoiceId, organizationId);
            return new DunningReport(0, 0, 0);
        }
    }

    private static async Task<DunningReport> ChaseAsync(IServiceProvider services, CairnDb db, Guid invoiceId, CancellationToken ct)
    {
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var today = await services.GetRequiredService<BusinessDays>().TodayAsync(ct);
        var invoice = await db.Invoices.AsNoTracking().SingleAsync(i => i.Id == invoiceId, ct);
        if (invoice.DueDate is not { } dueDate || invoice.IssueDate is not { } issueDate)
            return new DunningReport(0, 0, 0);

        var overdue = 0;
        var marked = await db.InvoiceOverdueMarks.AnyAsync(m => m.InvoiceId == invoiceId, ct);
        if (invoice.IsOverdue(today) && !marked)
        {
            db.InvoiceOverdueMarks.Add(new InvoiceOverdueMark(invoice, dueDate.AddDays(1), now));
            Events.Invoice(db, EventTypes.InvoiceOverdue, invoice, now);
            overdue = 1;
            marked = true;
        }

        var (schedule, paused) = await services.GetRequiredService<ReminderRules>().ForClientAsync(invoice.ClientId, ct);
        var plan = ReminderPlan.Nothing;
        if (ReminderSchedule.IsChased(invoice, paused))
        {
            var recorded = await db.InvoiceReminders.Where(r => r.InvoiceId == invoiceId).Select(r => r.OffsetDays).ToListAsync(ct);
            plan = schedule.PlanFor(issueDate, dueDate, today, recorded);
        }

        foreach (var step in plan.Skip)
        {
            db.InvoiceReminders.Add(new InvoiceReminder(Audit.NextId(), invoice, step, InvoiceReminder.Skipped, now, null));
            Audit.Record(db, invoice.OrganizationId, "invoice", invoice.Id, "reminder_skipped", Actor.System, now, after: new { step.OffsetDays, Day = step.DayFor(dueDate) });
        }

        var sent = 0;
        if (plan.Send is { } send)
        {
            var client = await db.Clients.AsNoTracking().SingleAsync(c => c.Id == invoice.ClientId, ct);
            var organization = await db.Organizations.AsNoTracking().SingleAsync(ct);
            var to = !string.IsNullOrWhiteSpace(client.Email)
                ? client.Email
                : await db.Contacts.AsNoTracking().Where(c => c.ClientId == client.Id && c.Email != "").OrderBy(c => c.CreatedAt).Select(c => c.Email).FirstOrDefaultAsync(ct);
            Guid? messageId = null;
            if (to is not null)
            {
                var mail = ReminderEmail.Compose(send, invoice, client, organization, today, to);
                messageId = services.GetRequiredService<MailQueue>().Add(db, invoice.OrganizationId, "reminder", now, mail,
                    $"reminder_{invoice.Id:N}_{send.OffsetDays}", [new AttachmentRef("invoice_pdf", invoice.Id)]).Id;
                sent = 1;
            }

            db.InvoiceReminders.Add(new InvoiceReminder(Audit.NextId(), invoice, send, to is null ? InvoiceReminder.NoRecipient : InvoiceReminder.Sent, now, messageId));
            Audit.Record(db, invoice.OrganizationId, "invoice", invoice.Id, to is null ? "reminder_without_recipient" : "reminder_sent", Actor.System, now,
                after: new { send.OffsetDays, Day = send.DayFor(dueDate), BalanceDue = invoice.Balance.ToDecimalString(), To = to });
        }

        // The next day this invoice has something to do, unless something changed it since it was read here
        // (a schedule changed, a dispute resolved: then the next pass looks again).
        var next = schedule.NextDayAfter(issueDate, dueDate, today, marked);
        if (next != invoice.NextChaseOn)
            await db.Invoices.Where(i => i.Id == invoiceId && i.NextChaseOn == invoice.NextChaseOn).ExecuteUpdateAsync(u => u.SetProperty(i => i.NextChaseOn, next), ct);

        await db.SaveChangesAsync(ct);
        return new DunningReport(sent, plan.Skip.Count, overdue);
    }

    /// <summary>
    /// Records the next day of the invoices that had nothing to do today, in one statement per (day it was, day it
    /// becomes): each row changes only if its day is still the one read, so a schedule or pause changed, a dispute
    /// resolved or an invoice reopened since (<see cref="Invoice.ChaseAtNextPass"/>) is not overwritten.
    /// </summary>
    private static async Task SettleAsync(CairnDb db, List<(Guid InvoiceId, DateOnly? Was, DateOnly? Next)> settled, CancellationToken ct)
    {
        const int Chunk = 1000;
        foreach (var group in settled.GroupBy(s => (s.Was, s.Next)))
        {
            var (was, next) = group.Key;
            foreach (var ids in group.Select(s => s.InvoiceId).Chunk(Chunk))
            {
                await db.Invoices.IgnoreQueryFilters()
                    .Where(i => ids.Contains(i.Id) && i.NextChaseOn == was)
                    .ExecuteUpdateAsync(u => u.SetProperty(i => i.NextChaseOn, next), ct);
            }
        }
    }
}
