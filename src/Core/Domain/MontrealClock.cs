namespace Engagement.Core.Domain;

/// <summary>
/// Montréal's UTC offset, computed from the rules in force since 2007 rather than from the machine's time-zone
/// database (which may be missing or differ between Linux and Windows hosts): Eastern Daylight Time (−04:00) from the
/// second Sunday of March at 02:00 to the first Sunday of November at 02:00 local time, Eastern Standard Time
/// (−05:00) otherwise.
/// </summary>
public static class MontrealClock
{
    /// <summary>Eastern Standard Time, −05:00.</summary>
    public static readonly TimeSpan Standard = TimeSpan.FromHours(-5);

    /// <summary>Eastern Daylight Time, −04:00.</summary>
    public static readonly TimeSpan Daylight = TimeSpan.FromHours(-4);

    private static readonly TimeOnly ChangeTime = new(2, 0);

    /// <summary>The offset of a local wall-clock time in Montréal.</summary>
    /// <remarks>
    /// 02:00–02:59 on the March change day does not exist and is read as daylight time; 01:00–01:59 on the November
    /// change day happens twice and is read as the first (daylight) one.
    /// </remarks>
    public static TimeSpan OffsetAt(DateOnly date, TimeOnly time)
    {
        var start = NthSunday(date.Year, 3, 2);
        var end = NthSunday(date.Year, 11, 1);
        if (date < start || date > end)
        {
            return Standard;
        }

        if (date == start)
        {
            return time < ChangeTime ? Standard : Daylight;
        }

        if (date == end)
        {
            return time < ChangeTime ? Daylight : Standard;
        }

        return Daylight;
    }

    /// <summary>A local wall-clock time in Montréal, with its offset.</summary>
    public static DateTimeOffset Local(DateOnly date, TimeOnly time) => new(date.ToDateTime(time), OffsetAt(date, time));

    /// <summary>The same instant, shown with Montréal's offset at that instant.</summary>
    public static DateTimeOffset ToLocal(DateTimeOffset instant)
    {
        var utc = instant.UtcDateTime;
        // 02:00 EST is 07:00 UTC; 02:00 EDT is 06:00 UTC.
        var startUtc = NthSunday(utc.Year, 3, 2).ToDateTime(new TimeOnly(7, 0));
        var endUtc = NthSunday(utc.Year, 11, 1).ToDateTime(new TimeOnly(6, 0));
        return instant.ToOffset(utc >= startUtc && utc < endUtc ? Daylight : Standard);
    }

    /// <summary>The n-th Sunday (1-based) of a month.</summary>
    public static DateOnly NthSunday(int year, int month, int n)
    {
        var first = new DateOnly(year, month, 1);
        var toSunday = ((int)DayOfWeek.Sunday - (int)first.DayOfWeek + 7) % 7;
        return first.AddDays(toSunday + (7 * (n - 1)));
    }
}
