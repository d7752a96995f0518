using System.Globalization;
using NCrontab;

namespace Engagement.EndToEnd.Tests.FunctionsHost;

/// <summary>
/// A timer function's schedule as the host resolves it (the WebJobs timer extension: <c>TimerSchedule.Create</c>,
/// <c>ResolveWholeString</c>), its schedule status (TimerListener) and the TimerInfo payload the host sends: the
/// Newtonsoft serialisation of TimerInfo, times in the machine's local time zone.
/// </summary>
internal sealed class TimerSchedule
{
    private readonly CrontabSchedule _schedule;
    private readonly TimeProvider _clock;
    private readonly Lock _gate = new();
    private DateTimeOffset _last;
    private DateTimeOffset _next;
    private DateTimeOffset _lastUpdated;

    private TimerSchedule(string functionName, string expression, CrontabSchedule schedule, bool useMonitor, TimeProvider clock)
    {
        FunctionName = functionName;
        Expression = expression;
        _schedule = schedule;
        _clock = clock;
        UseMonitor = useMonitor;

        // TimerListener.StartAsync without a stored status: Last and LastUpdated are default(DateTime) in local time.
        var now = clock.GetLocalNow();
        _last = _lastUpdated = new DateTimeOffset(DateTime.MinValue, TimeSpan.Zero);
        _next = NextAfter(now);
    }

    public string FunctionName { get; }

    /// <summary>The 6-field NCRONTAB expression after resolving <c>%Setting%</c>.</summary>
    public string Expression { get; }

    /// <summary>
    /// False when the host keeps no schedule status (binding <c>useMonitor: false</c>, or a schedule firing more than
    /// once a minute): TimerInfo then carries <c>"ScheduleStatus": null</c>.
    /// </summary>
    public bool UseMonitor { get; }

    /// <summary>
    /// Resolves and validates a timer trigger's schedule. A <c>%Setting%</c> expression is looked up in the app settings
    /// (<c>:</c> or <c>__</c> as separator); a missing one fails with the host's indexing message.
    /// </summary>
    public static TimerSchedule Create(WorkerFunction function, IReadOnlyDictionary<string, string> settings, TimeProvider clock)
    {
        var declared = function.Trigger.Schedule
            ?? throw new InvalidOperationException($"The '{function.Name}' function is in error: the timer trigger has no schedule.");
        var expression = declared;
        if (declared.Length > 2 && declared[0] == '%' && declared[^1] == '%' && declared.IndexOf('%', 1) == declared.Length - 1)
        {
            var key = declared[1..^1];
            expression = settings.TryGetValue(key.Replace("__", ":", StringComparison.Ordinal), out var value) && value is not null
                ? value
                : throw new InvalidOperationException($"The '{function.Name}' function is in error: '{declared}' does not resolve to a value.");
        }

        // The host also takes 5-field cron and TimeSpan strings ("00:05:00"); the product declares 6-field NCRONTAB
        // (seconds first) everywhere, so anything else is a mistake worth failing on.
        var fields = expression.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var schedule = fields.Length == 6 ? CrontabSchedule.TryParse(expression, new CrontabSchedule.ParseOptions { IncludingSeconds = true }) : null;
        if (schedule is null)
        {
            throw new InvalidOperationException($"The '{function.Name}' function is in error: the schedule '{expression}' (from '{declared}') is not a 6-field NCRONTAB expression ({{second}} {{minute}} {{hour}} {{day}} {{month}} {{day-of-week}}).");
        }

        var useMonitor = !bool.TryParse(function.Trigger.Text("useMonitor"), out var monitor) || monitor;
        return new TimerSchedule(function.Name, expression, schedule, useMonitor && !FiresMoreThanOncePerMinute(fields, schedule, clock), clock);
    }

    /// <summary>The TimerInfo JSON of the next invocation, and the status it will leave behind once done.</summary>
    public string NextPayload(bool pastDue)
    {
        lock (_gate)
        {
            var status = UseMonitor
                ? $"{{\"Last\":\"{Format(_last)}\",\"Next\":\"{Format(_next)}\",\"LastUpdated\":\"{Format(_lastUpdated)}\"}}"
                : "null";
            return $"{{\"Schedule\":{{\"AdjustForDST\":true}},\"ScheduleStatus\":{status},\"IsPastDue\":{(pastDue ? "true" : "false")}}}";
        }
    }

    /// <summary>After an invocation at <paramref name="invokedAt"/>: Last = LastUpdated = then, Next = the following occurrence.</summary>
    public void Completed(DateTimeOffset invokedAt)
    {
        lock (_gate)
        {
            _last = _lastUpdated = invokedAt;
            _next = NextAfter(invokedAt);
        }
    }

    /// <summary>The TimerTrigger binding data: <c>DateTime.Now.ToString()</c> on the host.</summary>
    public string BindingDataNow() => _clock.GetLocalNow().DateTime.ToString(CultureInfo.InvariantCulture);

    private DateTimeOffset NextAfter(DateTimeOffset localNow)
    {
        var next = _schedule.GetNextOccurrence(localNow.DateTime);
        return new DateTimeOffset(next, _clock.LocalTimeZone.GetUtcOffset(next));
    }

    // Newtonsoft's default for a local DateTime: ISO 8601 with up to 7 fraction digits and the offset.
    private static string Format(DateTimeOffset value) => value.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture);

    // TimerSchedule.ShouldDisableScheduleMonitor: "X * * * * *" firing more than once in the next minute.
    private static bool FiresMoreThanOncePerMinute(string[] fields, CrontabSchedule schedule, TimeProvider clock)
    {
        if (!fields.Skip(1).All(f => f == "*"))
        {
            return false;
        }

        var now = clock.GetLocalNow().DateTime;
        return schedule.GetNextOccurrences(now, now.AddMinutes(1)).Skip(1).Any();
    }
}
