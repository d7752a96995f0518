using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Engagement.EndToEnd.Tests;

/// <summary>
/// The built app started standalone as its own process: `dotnet Engagement.Functions.dll` in a folder of its own,
/// with settings in environment variables. Output is kept for
/// failure messages; the process and its data are removed on dispose.
/// </summary>
internal sealed class AppProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Lock _outputGate = new();

    private AppProcess(Process process, string? root, int port)
    {
        _process = process;
        Root = root;
        Port = port;
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>The app's own temporary folder (deleted on dispose), or null when the caller owns the folder.</summary>
    public string? Root { get; }

    public int Port { get; }

    public HttpClient Client { get; }

    public string Output
    {
        get
        {
            lock (_outputGate)
            {
                return _output.ToString();
            }
        }
    }

    public static string AppDll
    {
        get
        {
            // tests/EndToEnd.Tests/bin/<Configuration>/net10.0/ → src/Functions/bin/<Configuration>/net10.0/
            var baseDirectory = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var configuration = baseDirectory.Parent!.Name;
            var repo = baseDirectory;
            while (repo is not null && !File.Exists(Path.Combine(repo.FullName, "EngagementFunctions.sln")))
            {
                repo = repo.Parent;
            }

            var dll = Path.Combine(repo?.FullName ?? throw new InvalidOperationException("Repository root not found."), "src", "Functions", "bin", configuration, baseDirectory.Name, "Engagement.Functions.dll");
            return File.Exists(dll) ? dll : throw new FileNotFoundException("Build src/Functions first.", dll);
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static AppProcess Start(IDictionary<string, string> environment, params string[] arguments)
    {
        var root = Path.Combine(Path.GetTempPath(), $"engagement-e2e-{Guid.NewGuid():N}");
        Directory.CreateDirectory(root);
        var port = FreePort();
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(AppDll);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        // The person key secret and the participants' link key are required outside Development (the app's default environment is Production): one per
        // run unless the test gives its own, or removes it with an empty value to see the app refuse to start.
        var settings = new Dictionary<string, string>(environment) { ["Storage__Sqlite__Path"] = environment.TryGetValue("Storage__Sqlite__Path", out var path) ? path : Path.Combine(root, "data", "engagement.db") };
        settings.TryAdd("Exports__PersonKeySecret", Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
        settings.TryAdd("Participants__SigningKey", Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
        SetEnvironment(info, settings);

        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add($"http://127.0.0.1:{port}");

        return Launch(info, port, root);
    }

    /// <summary>
    /// The app's environment: the test run's own, without its ASP.NET Core environment name (the app decides it, or
    /// <paramref name="environment"/> does), plus <paramref name="environment"/>.
    /// </summary>
    public static void SetEnvironment(ProcessStartInfo info, IReadOnlyDictionary<string, string> environment)
    {
        foreach (var name in info.Environment.Keys.Where(k => k.StartsWith("ASPNETCORE_", StringComparison.Ordinal) || k.StartsWith("DOTNET_ENVIRONMENT", StringComparison.Ordinal)).ToList())
        {
            info.Environment.Remove(name);
        }

        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }
    }

    /// <summary>
    /// Starts a process prepared by the caller (executable, arguments, working directory, environment) whose app
    /// answers on <paramref name="port"/>; <paramref name="ownedRoot"/>, when given, is deleted on dispose.
    /// </summary>
    public static AppProcess Launch(ProcessStartInfo info, int port, string? ownedRoot)
    {
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;
        var process = new Process { StartInfo = info };
        var app = new AppProcess(process, ownedRoot, port);
        process.OutputDataReceived += (_, e) => app.Append(e.Data);
        process.ErrorDataReceived += (_, e) => app.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return app;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_outputGate)
        {
            _output.AppendLine(line);
        }
    }

    /// <summary>Polls GET / (every 25 ms, any answer counts) for up to 30 s.</summary>
    public async Task<HttpResponseMessage> WaitUntilReadyAsync()
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The app exited with code {_process.ExitCode}:\n{Output}");
            }

            try
            {
                return await Client.GetAsync("/");
            }
            catch (HttpRequestException)
            {
                await Task.Delay(25);
            }
        }

        throw new TimeoutException($"The app did not answer GET / within 30 s:\n{Output}");
    }

    /// <summary>Waits until a line containing <paramref name="text"/> was printed.</summary>
    public async Task<string> WaitForOutputAsync(string text)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            var line = Output.Split('\n').FirstOrDefault(l => l.Contains(text, StringComparison.Ordinal));
            if (line is not null)
            {
                return line;
            }

            await Task.Delay(25);
        }

        throw new TimeoutException($"'{text}' was not printed:\n{Output}");
    }

    /// <summary>Ends the app at once, as a power cut or <c>kill -9</c> would (SIGKILL: no shutdown, no flush).</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async Task<int> WaitForExitAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        if (Root is null)
        {
            return;
        }

        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a dying process; the temp folder is cleaned by the OS.
        }
    }
}
