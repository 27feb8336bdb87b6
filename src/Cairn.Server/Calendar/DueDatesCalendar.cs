using Cairn.Domain;
using Cairn.Server.Data;
using Cairn.Server.Localization;
using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Calendar;

/// <summary>
/// The dates a feed carries, as all-day iCalendar events (RFC 5545): each milestone's due date,
/// the billing date of a dated instalment, and each issued invoice's due date (EN 16931 BT-9).
/// A staff user's feed shows their organization; a contact's feed only their own client's contracts
/// that are no longer drafts. Events cover a year back from the organization's business day onward.
/// </summary>
public static class DueDatesCalendar
{
    /// <summary>How far back a feed reaches: older dates are history, not a calendar.</summary>
    public const int DaysBack = 366;

    /// <summary>One all-day event: a stable UID, its SEQUENCE (raised on every date change) and whether it is cancelled.</summary>
    public sealed record Entry(string Uid, DateOnly Day, string Summary, int Sequence, bool Cancelled);

    /// <summary>The entries of a feed, in date order; <see cref="CairnDb.TenantId"/> must be the feed's organization.</summary>
    public static async Task<List<Entry>> EntriesAsync(CairnDb db, CalendarFeed feed, DateOnly today, string host, CancellationToken ct)
    {
        var since = today.AddDays(-DaysBack);
        var contracts = db.Contracts.AsQueryable();
        if (feed.ClientId is { } clientId)
            contracts = contracts.Where(c => c.ClientId == clientId && c.Status != ContractStatus.Draft);

        var milestones = await (
            from m in db.Milestones
            join c in contracts on m.ContractId equals c.Id
            join client in db.Clients on c.ClientId equals client.Id
            where m.DueDate >= since || m.BillingDate >= since
            select new { m.Id, m.Title, m.DueDate, m.BillingDate, m.Trigger, m.Status, m.DateRevision, Contract = c.Title, ContractStatus = c.Status, Client = client.Name })
            .AsNoTracking().ToListAsync(ct);

        var invoices = db.Invoices.Where(i => i.Status != InvoiceStatus.Draft && i.DueDate >= since);
        if (feed.ClientId is { } owner)
            invoices = invoices.Where(i => i.ClientId == owner);
        var issued = await invoices.Select(i => new { i.Id, i.Number, i.GrossMinor, i.Currency, i.DueDate, i.Status }).AsNoTracking().ToListAsync(ct);

        var entries = new List<Entry>();
        foreach (var m in milestones)
        {
            // A cancellation is a change of the event too: calendars apply it only with a higher SEQUENCE.
            var cancelled = m.Status == MilestoneStatus.Cancelled || m.ContractStatus == ContractStatus.Cancelled;
            var sequence = m.DateRevision + (cancelled ? 1 : 0);
            var where = $"{m.Contract} for {m.Client}";
            if (m.DueDate is { } due && due >= since)
                entries.Add(new Entry($"milestone-{m.Id}@{host}", due, $"{m.Title} due — {where}", sequence, cancelled));
            if (m.Trigger == BillingTrigger.OnDate && m.BillingDate is { } billed && billed >= since)
                entries.Add(new Entry($"milestone-billing-{m.Id}@{host}", billed, $"{m.Title} billed — {where}", sequence, cancelled));
        }

        foreach (var i in issued)
        {
            // An issued invoice never changes its due date; only a full credit (Void) cancels the event.
            var cancelled = i.Status == InvoiceStatus.Void;
            var gross = new Money(i.GrossMinor, i.Currency);
            entries.Add(new Entry($"invoice-{i.Id}@{host}", i.DueDate!.Value, $"{i.Number} due — {Formats.Amount(gross)}", cancelled ? 1 : 0, cancelled));
        }

        return entries.OrderBy(e => e.Day).ThenBy(e => e.Uid, StringComparer.Ordinal).ToList();
    }

    /// <summary>Writes the entries as an iCalendar stream (text/calendar), stamped at <paramref name="now"/>.</summary>
    public static string Write(IEnumerable<Entry> entries, string calendarName, string timeZoneId, DateTimeOffset now)
    {
        var calendar = new Ical.Net.Calendar { ProductId = "-//Cairn//Milestone billing//EN" };
        calendar.AddProperty("X-WR-CALNAME", calendarName);
        calendar.AddProperty("X-WR-TIMEZONE", timeZoneId);
        var stamp = new CalDateTime(now.UtcDateTime);
        foreach (var entry in entries)
        {
            calendar.Events.Add(new CalendarEvent
            {
                Uid = entry.Uid,
                DtStamp = stamp,
                // All-day: a DATE start and the next day as the exclusive end (RFC 5545 §3.6.1).
                DtStart = new CalDateTime(entry.Day),
                DtEnd = new CalDateTime(entry.Day.AddDays(1)),
                Summary = entry.Summary,
                Sequence = entry.Sequence,
                Status = entry.Cancelled ? EventStatus.Cancelled : EventStatus.Confirmed,
                Transparency = TransparencyType.Transparent,
            });
        }

        return new CalendarSerializer().SerializeToString(calendar) ?? "";
    }
}
