using Microsoft.Azure.Functions.Worker;

namespace Engagement.Functions.Hosting;

/// <summary>
/// One timer invocation, in its own scope: when it started, what it did (lines also logged for Application Insights),
/// and a failure logged with its cause and rethrown so the host marks the invocation failed.
/// </summary>
internal sealed partial class TimerRun(TimeProvider time, ILogger<TimerRun> logger)
{
    public DateTimeOffset StartedAt { get; private set; }

    public IReadOnlyList<string> Lines { get; private set; } = [];

    public async Task RunAsync(string function, TimerInfo timer, Func<DateTimeOffset, Task<IReadOnlyList<string>>> body)
    {
        StartedAt = time.GetUtcNow();
        LogStarting(logger, function, timer.IsPastDue);
        try
        {
            Lines = await body(StartedAt);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFailed(logger, ex, function);
            throw;
        }

        foreach (var line in Lines)
        {
            LogLine(logger, function, line);
        }
    }

    public Task RunAsync(string function, TimerInfo timer, Func<Task<IReadOnlyList<string>>> body) =>
        RunAsync(function, timer, _ => body());

    [LoggerMessage(Level = LogLevel.Information, Message = "Timer function {Function} starting (past due: {PastDue})")]
    private static partial void LogStarting(ILogger logger, string function, bool pastDue);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Function}: {Line}")]
    private static partial void LogLine(ILogger logger, string function, string line);

    [LoggerMessage(Level = LogLevel.Error, Message = "Timer function {Function} failed")]
    private static partial void LogFailed(ILogger logger, Exception exception, string function);
}
