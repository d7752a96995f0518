using System.Diagnostics;

namespace Engagement.EndToEnd.Tests.FunctionsHost;

/// <summary>
/// Milestones of one emulated host run, each as the time elapsed since the worker process was started (null until
/// reached). The cold-start benchmark reads them; they are taken with <see cref="Stopwatch"/>, not the wall clock.
/// </summary>
internal sealed class FunctionsHostTimings
{
    private long _processStart;
    // 0 = not reached; a Stopwatch timestamp otherwise (set once, from any thread).
    private long _startStream;
    private long _workerInitResponse;
    private long _functionsLoaded;
    private long _firstHttpResponse;
    private long _firstTimerDone;

    /// <summary>Worker → host <c>StartStream</c> arrived.</summary>
    public TimeSpan? StartStream => Since(Volatile.Read(ref _startStream));

    /// <summary><c>WorkerInitResponse</c> arrived.</summary>
    public TimeSpan? WorkerInitResponse => Since(Volatile.Read(ref _workerInitResponse));

    /// <summary>The last <c>FunctionLoadResponse</c> arrived.</summary>
    public TimeSpan? FunctionsLoaded => Since(Volatile.Read(ref _functionsLoaded));

    /// <summary>The first proxied HTTP answer was read completely (status, headers and body).</summary>
    public TimeSpan? FirstHttpResponse => Since(Volatile.Read(ref _firstHttpResponse));

    /// <summary>The first timer's <c>InvocationResponse</c> arrived.</summary>
    public TimeSpan? FirstTimerDone => Since(Volatile.Read(ref _firstTimerDone));

    public override string ToString() =>
        $"StartStream {Format(StartStream)}, WorkerInitResponse {Format(WorkerInitResponse)}, FunctionsLoaded {Format(FunctionsLoaded)}, " +
        $"FirstHttpResponse {Format(FirstHttpResponse)}, FirstTimerDone {Format(FirstTimerDone)}";

    internal void MarkProcessStart() => _processStart = Stopwatch.GetTimestamp();

    internal void MarkStartStream() => Mark(ref _startStream);

    internal void MarkWorkerInitResponse() => Mark(ref _workerInitResponse);

    internal void MarkFunctionsLoaded() => Mark(ref _functionsLoaded);

    internal void MarkHttpResponse() => Mark(ref _firstHttpResponse);

    internal void MarkTimerDone() => Mark(ref _firstTimerDone);

    private static void Mark(ref long field) => Interlocked.CompareExchange(ref field, Stopwatch.GetTimestamp(), 0);

    private TimeSpan? Since(long timestamp) => timestamp > 0 ? Stopwatch.GetElapsedTime(_processStart, timestamp) : null;

    private static string Format(TimeSpan? value) => value is { } v ? $"{v.TotalMilliseconds:F0} ms" : "-";
}
