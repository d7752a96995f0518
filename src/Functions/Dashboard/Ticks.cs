namespace Engagement.Functions.Dashboard;

/// <summary>Time axis ticks: first days of months, every 1, 2, 3, 6 or 12 months, at most about <c>count</c> of them.</summary>
internal static class Ticks
{
    public static IEnumerable<DateOnly> Of(DateOnly start, DateOnly end, int count)
    {
        var months = ((end.Year - start.Year) * 12) + end.Month - start.Month;
        var step = new[] { 1, 2, 3, 6, 12, 24, 48 }.FirstOrDefault(s => months / s <= count, 48);
        var tick = new DateOnly(start.Year, start.Month, 1).AddMonths(1);
        while ((tick.Month - 1) % step != 0)
        {
            tick = tick.AddMonths(1);
        }

        for (; tick <= end; tick = tick.AddMonths(step))
        {
            yield return tick;
        }
    }
}

/// <summary>Long series drawn small: at most <c>max</c> points, evenly spaced, the first and the last always kept.</summary>
internal static class Series
{
    public static IReadOnlyList<T> Thin<T>(IReadOnlyList<T> points, int max)
    {
        if (points.Count <= max)
        {
            return points;
        }

        return [.. Enumerable.Range(0, max).Select(i => (int)Math.Round(i * (points.Count - 1) / (double)(max - 1))).Distinct().Select(i => points[i])];
    }
}
