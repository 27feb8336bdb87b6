using Cairn.Domain;

namespace Cairn.Domain.Tests.Organizations;

/// <summary>A business day is the day in the organization's time zone, whichever side of UTC it is on.</summary>
public sealed class BusinessCalendarTests
{
    [Theory]
    [InlineData("America/Los_Angeles", "2027-01-01T01:30:00Z", "2026-12-31")]
    [InlineData("Pacific/Auckland", "2026-12-31T11:30:00Z", "2027-01-01")]
    [InlineData("UTC", "2026-12-31T23:59:59Z", "2026-12-31")]
    [InlineData("Pacific/Kiritimati", "2026-12-31T10:00:00Z", "2027-01-01")]
    [InlineData("Europe/Paris", "2027-03-28T00:59:59Z", "2027-03-28")]
    public void The_day_of_an_instant_is_the_day_in_the_organizations_zone(string zone, string instant, string day)
    {
        var calendar = BusinessCalendar.Of(zone);

        Assert.Equal(DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture), calendar.DayOf(DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Theory]
    [InlineData("Mars/Olympus_Mons", "invalid_time_zone")]
    [InlineData("../../etc/passwd", "invalid_time_zone")]
    [InlineData("/etc/localtime", "invalid_time_zone")]
    [InlineData("Pacific Standard Time", "invalid_time_zone")]
    [InlineData("   ", "time_zone_required")]
    [InlineData(null, "time_zone_required")]
    public void Anything_but_a_known_iana_id_is_refused_naming_the_field(string? zone, string code)
    {
        var error = Assert.Throws<DomainException>(() => BusinessCalendar.Of(zone, "timeZone")).Error;

        Assert.Equal(code, error.Code);
        Assert.Equal("timeZone", error.Field);
    }

    [Fact]
    public void An_organization_keeps_the_zone_it_was_moved_to_and_refuses_an_unknown_one_unchanged()
    {
        var organization = new Organization(Guid.NewGuid(), "Acme", Currency.EUR, DateTimeOffset.UnixEpoch);
        organization.ChangeTimeZone("Asia/Tokyo");

        Assert.Throws<DomainException>(() => organization.ChangeTimeZone("Asia/Atlantis"));
        Assert.Equal("Asia/Tokyo", organization.TimeZone);
        Assert.Equal("Asia/Tokyo", organization.Calendar.TimeZoneId);
    }
}
