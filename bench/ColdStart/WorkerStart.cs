using System.Diagnostics;
using System.Net;
using Engagement.EndToEnd.Tests.FunctionsHost;
using Microsoft.Azure.WebJobs.Script.Grpc.Messages;
using Engagement.Bench.Ingestion;

namespace Engagement.Bench.ColdStart;

/// <summary>
/// The milestones of one start through the emulated Functions host, each since the worker process was started.
/// <see cref="Http"/> and <see cref="Timer"/> are both "first" of their kind; <see cref="HttpFirst"/> says which of
/// the two was asked for first (the other ran once that one was done).
/// </summary>
internal sealed record StartSample(Variant Variant, bool HttpFirst, TimeSpan StartStream, TimeSpan WorkerInit, TimeSpan Loaded, TimeSpan Http, TimeSpan Timer, TimeSpan WorkerCpu);

/// <summary>One cold start of a published variant as the Functions host does it, timed by the emulator.</summary>
internal static class WorkerStart
{
    private static readonly FunctionsHostOptions HostOptions = new() { StartTimeout = TimeSpan.FromSeconds(60), InvocationTimeout = TimeSpan.FromSeconds(30) };

    /// <summary>
    /// Starts the worker in <paramref name="folder"/> (init, metadata, load of every function), asks for the first HTTP
    /// answer and runs the timer once, in the order <paramref name="httpFirst"/> says, reads the worker's CPU time and
    /// stops it with <c>WorkerTerminate</c>. Any failed answer or an unclean exit is a <see cref="BenchFailureException"/>.
    /// </summary>
    public static async Task<StartSample> RunAsync(Variant variant, string folder, IReadOnlyDictionary<string, string> settings, bool httpFirst, CancellationToken cancellationToken)
    {
        FunctionsHostEmulator host;
        try
        {
            host = await FunctionsHostEmulator.StartAsync(folder, settings, HostOptions, cancellationToken);
        }
        catch (InvalidOperationException ex)
        {
            throw new BenchFailureException($"'{variant.Name}' did not start: {ex.Message}");
        }

        await using (host)
        {
            try
            {
                if (httpFirst)
                {
                    await FirstHttpAsync(host, variant, cancellationToken);
                    await FirstTimerAsync(host, variant, cancellationToken);
                }
                else
                {
                    await FirstTimerAsync(host, variant, cancellationToken);
                    await FirstHttpAsync(host, variant, cancellationToken);
                }
            }
            catch (Exception ex) when (ex is TimeoutException or InvalidOperationException or HttpRequestException)
            {
                throw new BenchFailureException($"'{variant.Name}': {ex.Message}{Environment.NewLine}{host.Diagnostics()}");
            }

            var cpu = CpuTime(host.WorkerProcessId);
            var exitCode = await host.StopAsync();
            if (exitCode != 0)
            {
                throw new BenchFailureException($"'{variant.Name}' exited with code {exitCode} after WorkerTerminate.{Environment.NewLine}{host.Diagnostics()}");
            }

            var timings = host.Timings;
            return new StartSample(variant, httpFirst, Reached(timings.StartStream), Reached(timings.WorkerInitResponse), Reached(timings.FunctionsLoaded),
                Reached(timings.FirstHttpResponse), Reached(timings.FirstTimerDone), cpu);
        }
    }

    private static async Task FirstHttpAsync(FunctionsHostEmulator host, Variant variant, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, variant.HttpPath);
        var result = await host.SendAsync(request, cancellationToken);
        using var response = result.Response;
        if (response.StatusCode != HttpStatusCode.OK || result.Invocation?.Result.Status != StatusResult.Types.Status.Success)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new BenchFailureException($"'{variant.Name}': GET {variant.HttpPath} answered {(int)response.StatusCode} {body}{Environment.NewLine}{host.Diagnostics()}");
        }
    }

    private static async Task FirstTimerAsync(FunctionsHostEmulator host, Variant variant, CancellationToken cancellationToken)
    {
        var response = await host.InvokeTimerAsync(variant.Timer, cancellationToken: cancellationToken);
        if (response.Result.Status != StatusResult.Types.Status.Success)
        {
            throw new BenchFailureException($"'{variant.Name}': timer {variant.Timer} failed: {response.Result.Exception?.Message}{Environment.NewLine}{host.Diagnostics()}");
        }
    }

    /// <summary>User + system CPU time of the worker so far, all threads (steadier than seconds on a busy machine).</summary>
    private static TimeSpan CpuTime(int? processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId ?? throw new BenchFailureException("The emulator has no worker process."));
            return process.TotalProcessorTime;
        }
        catch (ArgumentException)
        {
            throw new BenchFailureException($"The worker process {processId} exited before it was told to stop.");
        }
    }

    private static TimeSpan Reached(TimeSpan? milestone) => milestone ?? throw new BenchFailureException("A milestone was not recorded.");
}
