using Engagement.Functions.Hosting;
using Engagement.Tests;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Engagement.Functions.Tests.Hosting;

/// <summary>A timer function declared like the app's, recording when the scheduler invokes it.</summary>
public sealed class RecordingTimer(TimeProvider time, TimerRecord record)
{
    [Function("PurgeExpiredData")]
    public Task Run([TimerTrigger("%Schedules:PurgeExpiredData%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        record.Runs.Add((time.GetUtcNow(), timer.IsPastDue));
        record.NextRun.TrySetResult(time.GetUtcNow());
        return record.Fail ? throw new InvalidOperationException("boom") : Task.CompletedTask;
    }
}

public sealed class TimerRecord
{
    public List<(DateTimeOffset At, bool PastDue)> Runs { get; } = [];
    public TaskCompletionSource<DateTimeOffset> NextRun { get; set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public bool Fail { get; set; }
}

public sealed class TimerSchedulerTests
{
    private static (TimerScheduler Scheduler, TimerRecord Record) Build(ManualTimeProvider clock)
    {
        var catalog = FunctionCatalog.Read([typeof(RecordingTimer)]);
        var record = new TimerRecord();
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<TimeProvider>(clock)
            .AddSingleton(record)
            .BuildServiceProvider();
        var runner = new TimerRunner(catalog, services.GetRequiredService<IServiceScopeFactory>());
        var scheduler = new TimerScheduler(catalog, new ConfigurationBuilder().Build(), runner, clock, NullLogger<TimerScheduler>.Instance);
        return (scheduler, record);
    }

    [Fact]
    public async Task Scheduler_RunsAtEachOccurrenceOfTheDefaultSchedule_AndNotBefore()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero));
        var (scheduler, record) = Build(clock);
        var armed = clock.WaitForTimerAsync();
        await scheduler.StartAsync(CancellationToken.None);
        await armed.WaitAsync(TimeSpan.FromSeconds(10));

        clock.Advance(TimeSpan.FromHours(3) + TimeSpan.FromMinutes(29));
        Assert.Empty(record.Runs);

        armed = clock.WaitForTimerAsync();
        clock.Advance(TimeSpan.FromMinutes(1));
        var first = await record.NextRun.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 3, 30, 0, TimeSpan.Zero), first);
        Assert.False(record.Runs[0].PastDue);
        await armed.WaitAsync(TimeSpan.FromSeconds(10));

        record.NextRun = new(TaskCreationOptions.RunContinuationsAsynchronously);
        clock.Advance(TimeSpan.FromDays(1));
        var second = await record.NextRun.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(new DateTimeOffset(2026, 11, 2, 3, 30, 0, TimeSpan.Zero), second);

        await scheduler.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Scheduler_AfterAFailedRun_StillRunsTheNextOccurrence()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 11, 1, 3, 0, 0, TimeSpan.Zero));
        var (scheduler, record) = Build(clock);
        record.Fail = true;
        var armed = clock.WaitForTimerAsync();
        await scheduler.StartAsync(CancellationToken.None);
        await armed.WaitAsync(TimeSpan.FromSeconds(10));

        armed = clock.WaitForTimerAsync();
        clock.Advance(TimeSpan.FromMinutes(30));
        await record.NextRun.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await armed.WaitAsync(TimeSpan.FromSeconds(10));

        record.Fail = false;
        record.NextRun = new(TaskCreationOptions.RunContinuationsAsynchronously);
        clock.Advance(TimeSpan.FromDays(1));
        await record.NextRun.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2, record.Runs.Count);

        await scheduler.StopAsync(CancellationToken.None);
    }
}
