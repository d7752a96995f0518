using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Engagement.Bench.Ingestion;

namespace Engagement.Bench.ColdStart;

/// <summary>
/// One standalone start, <c>dotnet Engagement.Functions.dll --urls http://127.0.0.1:PORT</c> in the app's folder and
/// the Production environment, timed from process start to the first <c>GET /api/health</c> that answers 200. The
/// harness asks every <see cref="PollPause"/> until then (a refused connection costs microseconds), then kills the
/// process tree: nothing is being written by then.
/// </summary>
internal static class StandaloneStart
{
    private static readonly TimeSpan PollPause = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    // One client for every start: the harness's own HTTP stack is warm after the first, so it costs each start alike.
    private static readonly HttpClient Client = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero, UseProxy = false })
    {
        Timeout = TimeSpan.FromSeconds(5),
    };

    public static async Task<TimeSpan> RunAsync(string dll, IReadOnlyDictionary<string, string> settings, CancellationToken cancellationToken)
    {
        var port = FreeLoopbackPort();
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            // The app's own folder, as in a deployment, so that its appsettings.json is the one read.
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add($"http://127.0.0.1:{port}");
        foreach (var name in info.Environment.Keys.Where(Inherited).ToList())
        {
            info.Environment.Remove(name);
        }

        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in settings)
        {
            info.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var output = new ConcurrentQueue<string>();
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Keep(output, e.Data);
        process.ErrorDataReceived += (_, e) => Keep(output, e.Data);
        var started = Stopwatch.GetTimestamp();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var health = new Uri($"http://127.0.0.1:{port}/api/health");
            while (Stopwatch.GetElapsedTime(started) < Deadline)
            {
                if (process.HasExited)
                {
                    throw new BenchFailureException($"The standalone app exited with code {process.ExitCode} before answering /api/health:{Environment.NewLine}{string.Join(Environment.NewLine, output)}");
                }

                if (await AnswersAsync(health, cancellationToken) is { } status)
                {
                    var elapsed = Stopwatch.GetElapsedTime(started);
                    return status == HttpStatusCode.OK
                        ? elapsed
                        : throw new BenchFailureException($"The standalone app answered GET /api/health with {(int)status}:{Environment.NewLine}{string.Join(Environment.NewLine, output)}");
                }

                await Task.Delay(PollPause, cancellationToken);
            }

            throw new BenchFailureException($"The standalone app did not answer /api/health within {Deadline.TotalSeconds:F0} s:{Environment.NewLine}{string.Join(Environment.NewLine, output)}");
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync(CancellationToken.None);
        }
    }

    /// <summary>The status of <paramref name="uri"/>, or null while nothing listens there yet.</summary>
    private static async Task<HttpStatusCode?> AnswersAsync(Uri uri, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await Client.GetAsync(uri, cancellationToken);
            return response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    // What the harness's own environment may carry that would change how the app starts (URLs, environment name, the
    // Functions host's endpoint).
    private static bool Inherited(string name) =>
        name.StartsWith("ASPNETCORE_", StringComparison.Ordinal) || name.StartsWith("FUNCTIONS_", StringComparison.Ordinal)
        || name is "DOTNET_ENVIRONMENT" or "DOTNET_URLS" or "AZURE_FUNCTIONS_ENVIRONMENT" or "Functions__Worker__HostEndpoint";

    private static void Keep(ConcurrentQueue<string> output, string? line)
    {
        if (line is null)
        {
            return;
        }

        output.Enqueue(line);
        while (output.Count > 100 && output.TryDequeue(out _))
        {
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
