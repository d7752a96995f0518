namespace Engagement.EndToEnd.Tests.FunctionsHost;

/// <summary>What the emulator plays that Azure would configure: keys, versions, time limits, the clock.</summary>
internal sealed class FunctionsHostOptions
{
    /// <summary>A function key: satisfies <c>authLevel: function</c> (sent as <c>x-functions-key</c> or <c>?code=</c>).</summary>
    public string FunctionKey { get; init; } = "emulator-function-key-0123456789";

    /// <summary>The master key: satisfies <c>function</c> and <c>admin</c> and calls disabled functions.</summary>
    public string MasterKey { get; init; } = "emulator-master-key-0123456789";

    /// <summary>What the host reports as <c>WorkerInitRequest.host_version</c>.</summary>
    public string HostVersion { get; init; } = "4.1044.0.0";

    /// <summary>Process start to all functions loaded (the host's default init and load timeouts are longer).</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long one invocation (and its proxied HTTP answer) may take.</summary>
    public TimeSpan InvocationTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Sent in <c>WorkerTerminate</c>; the host's is 5 s (<c>WorkerConstants.WorkerTerminateGracePeriodInSeconds</c>).</summary>
    public TimeSpan TerminateGracePeriod { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How often a queue trigger looks for messages (the host backs off from 100 ms up to <c>maxPollingInterval</c>,
    /// 1 min by default, while the queue is empty; here a fixed interval).
    /// </summary>
    public TimeSpan QueuePollingInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The clock behind TimerInfo, the TimerTrigger binding data and the schedule's next occurrences.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
