using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Engagement.Bench.Ingestion;

/// <summary>
/// The app under test, run as <c>dotnet Engagement.Functions.dll --urls http://127.0.0.1:PORT</c> in the
/// Production environment with a fresh SQLite file, one admin API key and the in-process scheduler off.
/// Disposing it kills the whole process tree.
/// </summary>
internal sealed class AppProcess : IAsyncDisposable
{
    private const int HealthTries = 300;
    private static readonly TimeSpan HealthPause = TimeSpan.FromMilliseconds(100);
    private const int KeptLogLines = 200;

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _log = new();

    private AppProcess(Process process, Uri baseAddress, string databasePath)
    {
        _process = process;
        BaseAddress = baseAddress;
        DatabasePath = databasePath;
    }

    public Uri BaseAddress { get; }

    public string DatabasePath { get; }

    public int ProcessId => _process.Id;

    /// <summary>CPU time (user + system) the app has used so far, all threads.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <summary>The last lines the app wrote to stdout and stderr.</summary>
    public string LogTail => string.Join(Environment.NewLine, _log);

    public static async Task<AppProcess> StartAsync(string dllPath, string databasePath, string keyHash, IReadOnlyDictionary<string, string> extraEnvironment, CancellationToken cancellationToken)
    {
        var port = FreeLoopbackPort();
        var start = new ProcessStartInfo("dotnet")
        {
            // The app's own directory, as in a deployment, so that its appsettings.json is the one read.
            WorkingDirectory = Path.GetDirectoryName(dllPath)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dllPath);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        foreach (var inherited in new[] { "Functions__Worker__HostEndpoint", "ASPNETCORE_URLS", "ASPNETCORE_HTTP_PORTS", "DOTNET_URLS" })
        {
            start.Environment.Remove(inherited);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["Exports__PersonKeySecret"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        start.Environment["Participants__SigningKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        start.Environment["Storage__Sqlite__Path"] = databasePath;
        start.Environment["Scheduler__Enabled"] = "false";
        start.Environment["Auth__ApiKeys__0__Name"] = "bench";
        start.Environment["Auth__ApiKeys__0__Hash"] = keyHash;
        start.Environment["Auth__ApiKeys__0__Roles__0"] = "admin";
        foreach (var (name, value) in extraEnvironment)
        {
            start.Environment[name] = value;
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        if (!process.Start())
        {
            throw new BenchFailureException("Could not start 'dotnet'.");
        }

        var app = new AppProcess(process, new Uri($"http://127.0.0.1:{port}/"), databasePath);
        process.OutputDataReceived += (_, e) => app.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => app.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await app.WaitUntilHealthyAsync(cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return app;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        catch (OperationCanceledException)
        {
            await Console.Error.WriteLineAsync($"warning: app process {_process.Id} did not exit within 10 s of being killed.");
        }
        finally
        {
            _process.Dispose();
        }
    }

    private async Task WaitUntilHealthyAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        for (var attempt = 1; attempt <= HealthTries; attempt++)
        {
            if (_process.HasExited)
            {
                throw new BenchFailureException($"The app exited with code {_process.ExitCode} before answering /api/health. Its output:{Environment.NewLine}{LogTail}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri("api/health", UriKind.Relative), cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // That try timed out.
            }

            await Task.Delay(HealthPause, cancellationToken);
        }

        throw new BenchFailureException($"GET /api/health did not answer 200 after {HealthTries} tries. The app's output:{Environment.NewLine}{LogTail}");
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _log.Enqueue(line);
        while (_log.Count > KeptLogLines && _log.TryDequeue(out _))
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
