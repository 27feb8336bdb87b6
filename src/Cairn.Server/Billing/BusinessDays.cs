using Cairn.Domain;
using Cairn.Server.Data;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Billing;

/// <summary>
/// "Today" for the organization a request or job acts for: the day in its time zone by the
/// injected clock (see <see cref="BusinessCalendar"/>). Every business date a service, endpoint,
/// page or job needs comes from here or from <see cref="Organization.Calendar"/>, never from the UTC day.
/// </summary>
public sealed class BusinessDays(CairnDb db, TimeProvider clock)
{
    private BusinessCalendar? _calendar;

    /// <summary>The calendar of the current organization (read once per unit of work).</summary>
    public async Task<BusinessCalendar> CalendarAsync(CancellationToken cancellationToken = default) =>
        _calendar ??= BusinessCalendar.Of(await db.Organizations.AsNoTracking().Select(o => o.TimeZone).SingleAsync(cancellationToken));

    /// <summary>Today in the current organization's time zone.</summary>
    public async Task<DateOnly> TodayAsync(CancellationToken cancellationToken = default) => (await CalendarAsync(cancellationToken)).Today(clock);
}
