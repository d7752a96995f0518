using Engagement.Core.Domain;

namespace Engagement.Core.Tests.Domain;

public class MontrealClockTests
{
    [Theory]
    [InlineData(2007, "2007-03-11", "2007-11-04")]
    [InlineData(2024, "2024-03-10", "2024-11-03")]
    [InlineData(2025, "2025-03-09", "2025-11-02")]
    [InlineData(2026, "2026-03-08", "2026-11-01")]
    public void NthSunday_KnownYears_GivesTheChangeDays(int year, string march, string november)
    {
        Assert.Equal(DateOnly.Parse(march, System.Globalization.CultureInfo.InvariantCulture), MontrealClock.NthSunday(year, 3, 2));
        Assert.Equal(DateOnly.Parse(november, System.Globalization.CultureInfo.InvariantCulture), MontrealClock.NthSunday(year, 11, 1));
    }

    [Theory]
    [InlineData("2024-01-15", "19:00", -5)]
    [InlineData("2024-07-15", "19:00", -4)]
    [InlineData("2024-03-09", "23:00", -5)]
    [InlineData("2024-03-10", "01:59", -5)]
    [InlineData("2024-03-10", "03:00", -4)]
    [InlineData("2024-11-02", "23:00", -4)]
    [InlineData("2024-11-03", "01:30", -4)]
    [InlineData("2024-11-03", "02:00", -5)]
    [InlineData("2024-12-31", "23:59", -5)]
    public void OffsetAt_LocalTime_FollowsMontrealRules(string date, string time, int hours)
    {
        var offset = MontrealClock.OffsetAt(
            DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture),
            TimeOnly.Parse(time, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(TimeSpan.FromHours(hours), offset);
    }

    [Theory]
    [InlineData("2024-03-10T06:59:00Z", "2024-03-10T01:59:00-05:00")]
    [InlineData("2024-03-10T07:00:00Z", "2024-03-10T03:00:00-04:00")]
    [InlineData("2024-11-03T05:59:00Z", "2024-11-03T01:59:00-04:00")]
    [InlineData("2024-11-03T06:00:00Z", "2024-11-03T01:00:00-05:00")]
    [InlineData("2025-01-01T03:00:00Z", "2024-12-31T22:00:00-05:00")]
    public void ToLocal_InstantsAroundTheChanges_ShowTheLocalTime(string instant, string local)
    {
        var result = MontrealClock.ToLocal(DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(local, result.ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture));
    }
}
