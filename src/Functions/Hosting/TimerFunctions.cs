using System.Text.Json;
using System.Text.Json.Serialization;
using Engagement.Functions.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using NCrontab;

namespace Engagement.Functions.Hosting;

/// <summary>A timer function's body. It throws when it fails, so the failure reaches the host.</summary>
internal interface ITimerFunction
{
    Task<IReadOnlyList<string>> RunAsync(TimerInvocation invocation, CancellationToken cancellationToken);
}

/// <summary>What the host (or the scheduler) says about one invocation.</summary>
internal sealed record TimerInvocation(string FunctionName, DateTimeOffset StartedAt, bool IsPastDue, string? InvocationId);

/// <summary>The answer the Functions host expects from a non-HTTP invocation.</summary>
internal sealed record InvocationResult(
    [property: JsonPropertyName("Outputs")] IReadOnlyDictionary<string, object?> Outputs,
    [property: JsonPropertyName("Logs")] IReadOnlyList<string> Logs,
    [property: JsonPropertyName("ReturnValue")] object? ReturnValue);

/// <summary>Runs timer functions one at a time per function, in their own DI scope, with logs.</summary>
internal sealed partial class TimerRunner(IServiceScopeFactory scopes, ILogger<TimerRunner> logger)
{
    private readonly Dictionary<string, SemaphoreSlim> _locks = FunctionRegistry.Timers.ToDictionary(t => t.Name, _ => new SemaphoreSlim(1, 1), StringComparer.Ordinal);

    public async Task<IReadOnlyList<string>> RunAsync(TimerInvocation invocation, CancellationToken cancellationToken)
    {
        var gate = _locks.TryGetValue(invocation.FunctionName, out var found) ? found : throw new InvalidOperationException($"Unknown timer function {invocation.FunctionName}.");
        await gate.WaitAsync(cancellationToken);
        try
        {
            LogStarting(logger, invocation.FunctionName, invocation.IsPastDue);
            await using var scope = scopes.CreateAsyncScope();
            var function = scope.ServiceProvider.GetRequiredKeyedService<ITimerFunction>(invocation.FunctionName);
            var logs = await function.RunAsync(invocation, cancellationToken);
            foreach (var line in logs)
            {
                LogLine(logger, invocation.FunctionName, line);
            }

            return logs;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFailed(logger, ex, invocation.FunctionName);
            throw;
        }
        finally
        {
            gate.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Timer function {Function} starting (past due: {PastDue})")]
    private static partial void LogStarting(ILogger logger, string function, bool pastDue);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Function}: {Line}")]
    private static partial void LogLine(ILogger logger, string function, string line);

    [LoggerMessage(Level = LogLevel.Error, Message = "Timer function {Function} failed")]
    private static partial void LogFailed(ILogger logger, Exception exception, string function);
}

internal sealed class SchedulerOptions
{
    public const string Section = "Scheduler";

    /// <summary>Standalone only: run the timer functions in-process on their schedules.</summary>
    public bool Enabled { get; set; } = true;
}

internal static class TimerFunctionsExtensions
{
    public static WebApplicationBuilder AddTimerFunctions(this WebApplicationBuilder builder)
    {
        foreach (var timer in FunctionRegistry.Timers)
        {
            builder.Services.AddKeyedScoped(typeof(ITimerFunction), timer.Name, timer.Implementation);
        }

        builder.Services.AddSingleton<TimerRunner>();
        builder.Services.AddOptions<SchedulerOptions>().BindConfiguration(SchedulerOptions.Section);
        var underHost = HostingMode.Detect(builder.Configuration).UnderFunctionsHost;
        if (!underHost && builder.Configuration.GetValue(SchedulerOptions.Section + ":Enabled", true))
        {
            builder.Services.AddSingleton<IReadOnlyList<ScheduledTimer>>(sp =>
                [.. FunctionRegistry.Timers.Select(t => new ScheduledTimer(t.Name, t.ScheduleFrom(sp.GetRequiredService<IConfiguration>())))]);
            builder.Services.AddHostedService<TimerScheduler>();
        }

        return builder;
    }

    /// <summary>
    /// <c>POST /{FunctionName}</c>, as the Functions host invokes a timer. Under the host the route is anonymous:
    /// the app listens on 127.0.0.1 only and the host forwards nothing outside <c>/api</c> to it. Standalone, it
    /// lets an admin run a timer by hand.
    /// </summary>
    public static IEndpointRouteBuilder MapTimerFunctions(this IEndpointRouteBuilder app)
    {
        var underHost = app.ServiceProvider.GetRequiredService<HostingMode>().UnderFunctionsHost;
        foreach (var timer in FunctionRegistry.Timers)
        {
            var endpoint = app.MapPost("/" + timer.Name, (HttpRequest request, TimerRunner runner, TimeProvider time, CancellationToken ct) =>
                    InvokeAsync(timer.Name, request, runner, time, ct))
                .WithTags("Timers").WithSummary(timer.Description).ExcludeFromDescription();
            if (underHost)
            {
                endpoint.AllowAnonymous();
            }
            else
            {
                endpoint.RequireAuthorization(SecurityExtensions.Administer);
            }
        }

        return app;
    }

    private static async Task<Ok<InvocationResult>> InvokeAsync(string name, HttpRequest request, TimerRunner runner, TimeProvider time, CancellationToken cancellationToken)
    {
        var pastDue = false;
        if (request.ContentLength is null or > 0)
        {
            var bytes = await RequestBody.ReadLimitedAsync(request, RequestBody.SmallLimit, cancellationToken);
            pastDue = bytes.Length > 0 && ReadIsPastDue(bytes.Span);
        }

        var invocationId = request.Headers["X-Azure-Functions-InvocationId"].FirstOrDefault();
        var logs = await runner.RunAsync(new TimerInvocation(name, time.GetUtcNow(), pastDue, invocationId), cancellationToken);
        return TypedResults.Ok(new InvocationResult(new Dictionary<string, object?>(), logs, null));
    }

    /// <summary>
    /// Reads <c>Data.{binding}.IsPastDue</c> from the host's payload. The host may send the timer object as
    /// nested JSON or as JSON serialised in a string; anything unreadable counts as not past due.
    /// </summary>
    internal static bool ReadIsPastDue(ReadOnlySpan<byte> payload)
    {
        try
        {
            var reader = new Utf8JsonReader(payload);
            using var document = JsonDocument.ParseValue(ref reader);
            if (!document.RootElement.TryGetProperty("Data", out var data) || data.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            foreach (var binding in data.EnumerateObject())
            {
                var timer = binding.Value;
                if (timer.ValueKind == JsonValueKind.String)
                {
                    using var inner = JsonDocument.Parse(timer.GetString()!);
                    if (inner.RootElement.TryGetProperty("IsPastDue", out var innerPastDue))
                    {
                        return innerPastDue.ValueKind == JsonValueKind.True;
                    }
                }
                else if (timer.ValueKind == JsonValueKind.Object && timer.TryGetProperty("IsPastDue", out var pastDue))
                {
                    return pastDue.ValueKind == JsonValueKind.True;
                }
            }
        }
        catch (JsonException)
        {
        }

        return false;
    }
}

/// <summary>A timer to run in-process, with its NCRONTAB schedule (six fields, seconds first, UTC).</summary>
internal sealed record ScheduledTimer(string Name, string Schedule)
{
    public CrontabSchedule Parse() => CrontabSchedule.Parse(Schedule, new CrontabSchedule.ParseOptions { IncludingSeconds = true });
}

/// <summary>
/// Standalone only: runs each timer function on its schedule, as the Functions host would. Waits on the injected
/// <see cref="TimeProvider"/>, so tests drive it with a manual clock. A failed run is logged and the next
/// occurrence still comes.
/// </summary>
internal sealed partial class TimerScheduler(IReadOnlyList<ScheduledTimer> timers, TimerRunner runner, TimeProvider time, ILogger<TimerScheduler> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(timers.Select(t => RunScheduleAsync(t, stoppingToken)));

    private async Task RunScheduleAsync(ScheduledTimer timer, CancellationToken stoppingToken)
    {
        var schedule = timer.Parse();
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = time.GetUtcNow();
            var next = new DateTimeOffset(schedule.GetNextOccurrence(now.UtcDateTime), TimeSpan.Zero);
            LogNext(logger, timer.Name, next);
            try
            {
                await Task.Delay(next - now, time, stoppingToken);
                await runner.RunAsync(new TimerInvocation(timer.Name, time.GetUtcNow(), time.GetUtcNow() - next > TimeSpan.FromMinutes(1), null), stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // Already logged by the runner with its cause; the schedule goes on.
                LogContinuing(logger, ex, timer.Name);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Timer function {Function} next runs at {Next:o}")]
    private static partial void LogNext(ILogger logger, string function, DateTimeOffset next);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Timer function {Function} failed; waiting for its next occurrence")]
    private static partial void LogContinuing(ILogger logger, Exception exception, string function);
}
