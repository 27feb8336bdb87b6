using System.Net;
using System.Text;
using Cairn.Domain;
using Cairn.Server.Data;
using Cairn.Server.Localization;
using Cairn.Server.Mail;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Reminders;

/// <summary>
/// Reads and changes the reminder settings of the current organization and its clients, for the API
/// and the web pages; and answers which schedule and pause apply to a client (the client's override,
/// else the organization's schedule, else <see cref="ReminderSchedule.Default"/>).
/// </summary>
public sealed class ReminderRules(CairnDb db)
{
    /// <summary>The organization's settings row, or a new unsaved one with the defaults.</summary>
    public async Task<ReminderSettings> OfOrganizationAsync(CancellationToken ct) =>
        await db.ReminderSettings.SingleOrDefaultAsync(s => s.ClientId == null, ct)
        ?? new ReminderSettings(Billing.Audit.NextId(), db.TenantId, null);

    /// <summary>A client's settings row, or a new unsaved one that inherits everything.</summary>
    public async Task<ReminderSettings> OfClientAsync(Guid clientId, CancellationToken ct) =>
        await db.ReminderSettings.SingleOrDefaultAsync(s => s.ClientId == clientId, ct)
        ?? new ReminderSettings(Billing.Audit.NextId(), db.TenantId, clientId);

    /// <summary>Adds a settings row to the unit of work if it is new, else raises its version.</summary>
    public void Save(ReminderSettings settings)
    {
        if (db.Entry(settings).State == EntityState.Detached)
            db.ReminderSettings.Add(settings);
        else
            settings.Version++;
    }

    /// <summary>
    /// Replaces the organization's schedule (null: Cairn's default) and whether it charges late-payment
    /// interest, audited as <c>reminders_updated</c> on the organization; the caller's transaction saves.
    /// When the steps change, every open invoice is looked at again by the next dunning pass
    /// (<see cref="Invoice.ChaseAtNextPass"/>). The API's <c>PUT /settings/reminders</c> and Settings → Reminders both change it here.
    /// </summary>
    public async Task ReplaceForOrganizationAsync(ReminderSettings row, ReminderSchedule? schedule, bool chargeLateInterest, Actor actor, DateTimeOffset now, CancellationToken ct)
    {
        var before = Snapshot(row, null);
        var stepsBefore = Offsets(row.Schedule);
        row.Schedule = schedule;
        row.ChargeLateInterest = chargeLateInterest;
        Save(row);
        Billing.Audit.Record(db, row.OrganizationId, "organization", row.OrganizationId, "reminders_updated", actor, now, before, Snapshot(row, null));
        if (!stepsBefore.SequenceEqual(Offsets(schedule)))
            await ChaseAgainAsync(null, ct);
    }

    /// <summary>
    /// Replaces a client's override: its own schedule (null: the organization's) and its pause, audited as
    /// <c>reminders_updated</c> on the client; the caller's transaction saves. When the steps or the pause change,
    /// the client's open invoices are looked at again by the next dunning pass. The API's
    /// <c>PUT /clients/{id}/reminders</c> and the client's Reminders page both change it here.
    /// </summary>
    public async Task ReplaceForClientAsync(ReminderSettings row, ReminderSchedule? schedule, bool paused, Actor actor, DateTimeOffset now, CancellationToken ct)
    {
        var organization = (await OfOrganizationAsync(ct)).Schedule ?? ReminderSchedule.Default;
        var before = Snapshot(row, organization);
        var (stepsBefore, pausedBefore) = (Offsets(row.Schedule ?? organization), row.Paused);
        row.Schedule = schedule;
        row.Paused = paused;
        Save(row);
        Billing.Audit.Record(db, row.OrganizationId, "client", row.ClientId!.Value, "reminders_updated", actor, now, before, Snapshot(row, organization));
        if (pausedBefore != paused || !stepsBefore.SequenceEqual(Offsets(schedule ?? organization)))
            await ChaseAgainAsync(row.ClientId, ct);
    }

    // The step days of a schedule (null: Cairn's default): what decides when an invoice is chased.
    private static IEnumerable<int> Offsets(ReminderSchedule? schedule) => (schedule ?? ReminderSchedule.Default).Steps.Select(s => s.OffsetDays);

    // The open invoices of the organization (or of one client) are looked at again by the next dunning pass, in the
    // caller's transaction: the day each was to be chased next was worked out under the schedule or pause just replaced.
    private Task<int> ChaseAgainAsync(Guid? clientId, CancellationToken ct) =>
        db.Invoices.Where(i => i.Status == InvoiceStatus.Issued && (clientId == null || i.ClientId == clientId))
            .ExecuteUpdateAsync(u => u.SetProperty(i => i.NextChaseOn, Invoice.ChaseAtNextPass), ct);

    // The audit trail's before/after: the schedule in force (a client's inherited one spelled out) and the switches.
    private static object Snapshot(ReminderSettings row, ReminderSchedule? inherited) => new
    {
        steps = (row.Schedule ?? inherited ?? ReminderSchedule.Default).Steps.Select(ReminderStepJson.Of).ToList(),
        inherited = row.Schedule is null,
        paused = row.Paused,
        chargeLateInterest = row.ChargeLateInterest,
    };

    /// <summary>The schedule that applies to a client and whether the client is paused.</summary>
    public async Task<(ReminderSchedule Schedule, bool Paused)> ForClientAsync(Guid clientId, CancellationToken ct)
    {
        var rows = await db.ReminderSettings.AsNoTracking().Where(s => s.ClientId == null || s.ClientId == clientId).ToListAsync(ct);
        return Resolve(rows.SingleOrDefault(r => r.ClientId == null), rows.SingleOrDefault(r => r.ClientId == clientId));
    }

    /// <summary>The schedule and pause that apply, from the organization's settings row and the client's own (either may be missing).</summary>
    public static (ReminderSchedule Schedule, bool Paused) Resolve(ReminderSettings? organization, ReminderSettings? own) =>
        (own?.Schedule ?? organization?.Schedule ?? ReminderSchedule.Default, own?.Paused ?? false);
}

/// <summary>Writes one reminder email: the step's text in the client's language with the invoice's figures of today, as plain text and HTML.</summary>
public static class ReminderEmail
{
    /// <summary>The values of the placeholders (<see cref="ReminderText.Placeholders"/>) for an invoice on a day, amounts and dates in the client's language.</summary>
    public static IReadOnlyDictionary<string, string> Values(Invoice invoice, Client client, Organization organization, DateOnly today)
    {
        var language = client.Language;
        var due = invoice.DueDate!.Value;
        return new Dictionary<string, string>
        {
            ["client"] = client.Name,
            ["organization"] = organization.Name,
            ["invoiceNumber"] = invoice.Number ?? "",
            ["issueDate"] = Formats.Date(invoice.IssueDate, language),
            ["dueDate"] = Formats.Date(due, language),
            ["gross"] = Formats.Amount(invoice.Gross, language),
            ["paid"] = Formats.Amount(invoice.Paid, language),
            ["balanceDue"] = Formats.Amount(invoice.Balance, language),
            ["daysOverdue"] = Math.Max(0, today.DayNumber - due.DayNumber).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["daysUntilDue"] = Math.Max(0, due.DayNumber - today.DayNumber).ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    /// <summary>The email of <paramref name="step"/> for an invoice, to <paramref name="to"/>.</summary>
    public static OutgoingMail Compose(ReminderStep step, Invoice invoice, Client client, Organization organization, DateOnly today, string to)
    {
        var text = step.TextIn(client.Language).Render(Values(invoice, client, organization, today));
        var html = new StringBuilder("<!DOCTYPE html><html lang=\"").Append(client.Language.ToString().ToLowerInvariant()).Append("\"><body>")
            .Append(Outbox.EmailLook.Of(organization).Header());
        foreach (var paragraph in text.Body.Split("\n\n"))
            html.Append("<p>").Append(WebUtility.HtmlEncode(paragraph).Replace("\n", "<br>", StringComparison.Ordinal)).Append("</p>");
        html.Append("</body></html>");
        return new OutgoingMail(to, client.Name, text.Subject, text.Body, html.ToString());
    }
}
