using System.Text.RegularExpressions;

namespace Cairn.Domain;

/// <summary>
/// The organization's calendar: every business date (issue and due dates, the year in document
/// numbers, overdue, aging, "today" for scheduled billing, report months) is a day in the
/// organization's time zone, an IANA tz database id such as <c>Europe/Paris</c>. So an approval at
/// 17:30 on 31 December in Los Angeles is dated 31 December, although it is 1 January in UTC.
/// </summary>
public sealed partial class BusinessCalendar
{
    /// <summary>The field that carries the time zone in the API and the forms.</summary>
    public const string Field = "timeZone";

    private BusinessCalendar(TimeZoneInfo zone) => Zone = zone;

    /// <summary>The calendar of UTC days.</summary>
    public static BusinessCalendar Utc { get; } = new(TimeZoneInfo.Utc);

    /// <summary>The time zone whose days are the business days.</summary>
    public TimeZoneInfo Zone { get; }

    /// <summary>The IANA id of the time zone, e.g. <c>America/Los_Angeles</c>.</summary>
    public string TimeZoneId => Zone.Id;

    /// <summary>
    /// The calendar of an IANA time zone id. Throws a <see cref="DomainException"/>
    /// (<c>invalid_time_zone</c>, naming <paramref name="field"/>) for anything that is not an IANA
    /// id known to the server's tz database.
    /// </summary>
    public static BusinessCalendar Of(string? timeZoneId, string field = Field)
    {
        var id = timeZoneId?.Trim();
        if (string.IsNullOrEmpty(id))
            throw new DomainException(new DomainError("time_zone_required", $"{field} is required: an IANA time zone such as Europe/Paris.", field));
        if (id.Length > 64 || !IanaId().IsMatch(id) || !TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) || !zone.HasIanaId)
            throw new DomainException(new DomainError("invalid_time_zone", $"{field} is not an IANA time zone this server knows (e.g. Europe/Paris, America/Los_Angeles, UTC).", field));
        return zone.Id == TimeZoneInfo.Utc.Id ? Utc : new BusinessCalendar(zone);
    }

    /// <summary>The IANA id of the server's own time zone, the default for a new organization; UTC when it has none.</summary>
    public static string ServerTimeZoneId() =>
        TimeZoneInfo.Local.HasIanaId && TimeZoneInfo.TryFindSystemTimeZoneById(TimeZoneInfo.Local.Id, out _) ? TimeZoneInfo.Local.Id : TimeZoneInfo.Utc.Id;

    /// <summary>The business day an instant falls on.</summary>
    public DateOnly DayOf(DateTimeOffset instant) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, Zone).DateTime);

    /// <summary>Today, in the organization's time zone, by the given clock.</summary>
    public DateOnly Today(TimeProvider clock) => DayOf(clock.GetUtcNow());

    /// <summary>The time of day an instant is in the organization's time zone (e.g. whether 08:00 has come for the daily digest).</summary>
    public TimeOnly TimeOf(DateTimeOffset instant) => TimeOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, Zone).DateTime);

    // Area/Location names of the tz database: letters, digits, '_', '-', '+', separated by '/'; no "..".
    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9_+\-]*(/[A-Za-z0-9_+\-]+)*$")]
    private static partial Regex IanaId();
}
