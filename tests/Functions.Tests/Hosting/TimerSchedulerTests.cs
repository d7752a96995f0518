using Engagement.Functions.Hosting;
using Engagement.Tests;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Engagement.Functions.Tests.Hosting;

public sealed class TimerSchedulerTests
{
    private sealed class RecordingFunction : ITimerFunction
    {
        public List<TimerInvocation> Runs { get; } = [];
        public TaskCompletionSource<TimerInvocation> NextRun { get; set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public bool Fail { get; set; }

        public Task<IReadOnlyList<string>> RunAsync(TimerInvocation invocation, CancellationToken cancellationToken)
        {
            Runs.Add(invocation);
            NextRun.TrySetResult(invocation);
            return Fail ? throw new InvalidOperationException("boom") : Task.FromResult<IReadOnlyList<string>>(["ran"]);
        }
    }

    private static (TimerScheduler Scheduler, RecordingFunction Function) Build(ManualTimeProvider clock)
    {
        var function = new RecordingFunction();
        var services = new ServiceCollection()
            .AddLogging()
            .AddKeyedSingleton<ITimerFunction>("PurgeExpiredData", function)
            .BuildServiceProvider();
        var runner = new TimerRunner(services.GetRequiredService<IServiceScopeFactory>(), NullLogger<TimerRunner>.Instance);
        var scheduler = new TimerScheduler([new ScheduledTimer("PurgeExpiredData", "0 30 3 * * *")], runner, clock, NullLogger<TimerScheduler>.Instance);
        return (scheduler, function);
    }

    [Fact]
    public async Task Scheduler_RunsAtEachOccurrence_AndNotBefore()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero));
        var (scheduler, function) = Build(clock);
        var armed = clock.WaitForTimerAsync();
        await scheduler.StartAsync(CancellationToken.None);
        await armed.WaitAsync(TimeSpan.FromSeconds(10));

        clock.Advance(TimeSpan.FromHours(3) + TimeSpan.FromMinutes(29));
        Assert.Empty(function.Runs);

        armed = clock.WaitForTimerAsync();
        clock.Advance(TimeSpan.FromMinutes(1));
        var first = await function.NextRun.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 3, 30, 0, TimeSpan.Zero), first.StartedAt);
        Assert.False(first.IsPastDue);
        await armed.WaitAsync(TimeSpan.FromSeconds(10));

        function.NextRun = new(TaskCreationOptions.RunContinuationsAsynchronously);
        clock.Advance(TimeSpan.FromDays(1));
        var second = await function.NextRun.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(new DateTimeOffset(2026, 11, 2, 3, 30, 0, TimeSpan.Zero), second.StartedAt);

        await scheduler.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Scheduler_AfterAFailedRun_StillRunsTheNextOccurrence()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 11, 1, 3, 0, 0, TimeSpan.Zero));
        var (scheduler, function) = Build(clock);
        function.Fail = true;
        var armed = clock.WaitForTimerAsync();
        await scheduler.StartAsync(CancellationToken.None);
        await armed.WaitAsync(TimeSpan.FromSeconds(10));

        armed = clock.WaitForTimerAsync();
        clock.Advance(TimeSpan.FromMinutes(30));
        await function.NextRun.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await armed.WaitAsync(TimeSpan.FromSeconds(10));

        function.Fail = false;
        function.NextRun = new(TaskCreationOptions.RunContinuationsAsynchronously);
        clock.Advance(TimeSpan.FromDays(1));
        await function.NextRun.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2, function.Runs.Count);

        await scheduler.StopAsync(CancellationToken.None);
    }
}
