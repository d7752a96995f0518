using NCrontab;

namespace Engagement.Functions.Hosting;

/// <summary>
/// Standalone only: runs each timer function on its schedule (the setting <c>Schedules:{Name}</c>, NCRONTAB with
/// seconds, UTC), as the Functions host would. Waits on the injected <see cref="TimeProvider"/>, so tests drive it
/// with a manual clock. A failed run is logged and the next occurrence still comes.
/// </summary>
internal sealed partial class TimerScheduler(FunctionCatalog catalog, IConfiguration configuration, TimerRunner runner, TimeProvider time, ILogger<TimerScheduler> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(catalog.Timers.Select(t => RunScheduleAsync(t, Parse(t.ScheduleFrom(configuration)), stoppingToken)));

    /// <summary>Parses a six-field NCRONTAB schedule (seconds first).</summary>
    public static CrontabSchedule Parse(string schedule) =>
        CrontabSchedule.Parse(schedule, new CrontabSchedule.ParseOptions { IncludingSeconds = true });

    private async Task RunScheduleAsync(TimerFunction timer, CrontabSchedule schedule, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = time.GetUtcNow();
            var next = new DateTimeOffset(schedule.GetNextOccurrence(now.UtcDateTime), TimeSpan.Zero);
            LogNext(logger, timer.Name, next);
            try
            {
                await Task.Delay(next - now, time, stoppingToken);
                await runner.RunAsync(timer, time.GetUtcNow() - next > TimeSpan.FromMinutes(1), stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // Already logged by the run with its cause; the schedule goes on.
                LogContinuing(logger, ex, timer.Name);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Timer function {Function} next runs at {Next:o}")]
    private static partial void LogNext(ILogger logger, string function, DateTimeOffset next);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Timer function {Function} failed; waiting for its next occurrence")]
    private static partial void LogContinuing(ILogger logger, Exception exception, string function);
}
