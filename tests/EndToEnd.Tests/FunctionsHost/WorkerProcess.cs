using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Engagement.EndToEnd.Tests.FunctionsHost;

/// <summary>
/// The worker process, started as the Functions host starts an RPC worker whose <c>worker.config.json</c> lies in the
/// app folder (host: <c>RpcWorkerConfigFactory.AddProvider</c>, <c>RpcWorkerDescription.ApplyDefaultsAndValidate</c>,
/// <c>RpcWorkerProcess.CreateWorkerProcess</c>, <c>DefaultWorkerProcessFactory</c>, <c>RpcWorkerContext</c>). Its
/// stdout and stderr are kept, like the host's console log, for failure messages.
/// </summary>
internal sealed partial class WorkerProcess : IAsyncDisposable
{
    private const int MaxMessageLength = int.MaxValue; // RpcWorkerConstants.DefaultMaxMessageLengthBytes

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Lock _outputGate = new();

    private WorkerProcess(Process process, string commandLine)
    {
        _process = process;
        CommandLine = commandLine;
    }

    /// <summary>Executable and arguments as started (for failure messages and the report).</summary>
    public string CommandLine { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Completes with the exit code when the process exits (set once started).</summary>
    public Task<int> Exited { get; private set; } = Task.FromResult(-1);

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

    /// <summary>
    /// Starts the worker described by <c>{appFolder}/worker.config.json</c> with working directory = the app folder,
    /// the host's argument list and environment: this process's environment (the host passes its own on, and on
    /// Azure the app settings are part of it) with <paramref name="settings"/> as variables (<c>:</c> → <c>__</c>),
    /// <c>FUNCTIONS_WORKER_DIRECTORY</c> and <c>FUNCTIONS_APPLICATION_DIRECTORY</c>.
    /// </summary>
    public static WorkerProcess Start(string appFolder, IReadOnlyDictionary<string, string> settings, Uri hostUri, string workerId, FunctionsHostTimings timings)
    {
        var config = ReadConfig(appFolder);
        var environment = Environment(appFolder, settings);

        // DefaultWorkerProcessFactory.GetArguments: each configured argument (environment variables expanded), the
        // quoted worker path, then RpcWorkerContext.GetFormattedArguments; the whole line is then parsed like any
        // command line, which ProcessStartInfo.Arguments does here as well.
        var arguments = new StringBuilder();
        foreach (var argument in config.Arguments)
        {
            arguments.Append(' ').Append(System.Environment.ExpandEnvironmentVariables(argument.Replace("{workerDirectoryPath}", appFolder, StringComparison.Ordinal)));
        }

        arguments.Append(CultureInfo.InvariantCulture, $" \"{config.WorkerPath}\"");
        var requestId = Guid.NewGuid().ToString();
        arguments.Append(CultureInfo.InvariantCulture, $" --host {hostUri.Host} --port {hostUri.Port} --workerId {workerId} --requestId {requestId} --grpcMaxMessageLength {MaxMessageLength} --functions-uri {hostUri.AbsoluteUri} --functions-worker-id {workerId} --functions-request-id {requestId} --functions-grpc-max-message-length {MaxMessageLength}");

        var line = arguments.ToString();
        var executable = config.ExecutablePath;
        foreach (var (key, value) in environment)
        {
            // The host substitutes %NAME% of the variables it adds, then drops any %...% left.
            line = line.Replace($"%{key}%", value, StringComparison.Ordinal);
            executable = executable.Replace($"%{key}%", value, StringComparison.Ordinal);
        }

        line = UnresolvedVariable().Replace(line, string.Empty);
        var info = new ProcessStartInfo(executable, line)
        {
            WorkingDirectory = appFolder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            CreateNoWindow = true,
        };

        // What the test runner adds for itself would change the worker's environment name; on Azure it is unset.
        foreach (var name in info.Environment.Keys.Where(k => k.StartsWith("ASPNETCORE_", StringComparison.Ordinal) || k is "DOTNET_ENVIRONMENT" or "AZURE_FUNCTIONS_ENVIRONMENT").ToList())
        {
            info.Environment.Remove(name);
        }

        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var worker = new WorkerProcess(new Process { StartInfo = info, EnableRaisingEvents = true }, $"{executable}{line}");
        worker._process.OutputDataReceived += (_, e) => worker.Append("out", e.Data);
        worker._process.ErrorDataReceived += (_, e) => worker.Append("err", e.Data);
        timings.MarkProcessStart();
        worker._process.Start();
        worker._process.BeginOutputReadLine();
        worker._process.BeginErrorReadLine();
        worker.Exited = worker.ExitCodeAsync();
        return worker;
    }

    /// <summary>Waits for the process to exit and returns its exit code, or null when <paramref name="timeout"/> passed.</summary>
    public async Task<int?> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
            return _process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    private async Task<int> ExitCodeAsync()
    {
        await _process.WaitForExitAsync();
        return _process.ExitCode;
    }

    /// <summary>Kills the process tree (the host's last resort) and returns the exit code.</summary>
    public async Task<int> KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await KillAsync();
        }
        catch (InvalidOperationException)
        {
            // Never started (Start threw): nothing to stop.
        }

        _process.Dispose();
    }

    private static Dictionary<string, string> Environment(string appFolder, IReadOnlyDictionary<string, string> settings)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            // An app setting on Azure; the emulator defaults it so callers need not.
            ["FUNCTIONS_WORKER_RUNTIME"] = "dotnet-isolated",
        };
        foreach (var (key, value) in settings)
        {
            environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        // RpcWorkerProcess.CreateWorkerProcess adds these after the host's own environment; the worker directory is
        // where worker.config.json was found (the app root, set by the Worker SDK's FunctionMetadataLoader startup in
        // extensions.json), the application directory the script root: both the app folder.
        environment["FUNCTIONS_WORKER_DIRECTORY"] = appFolder;
        environment["FUNCTIONS_APPLICATION_DIRECTORY"] = appFolder;
        return environment;
    }

    internal static WorkerConfig ReadConfig(string appFolder)
    {
        var path = Path.Combine(appFolder, "worker.config.json");
        if (!File.Exists(path))
        {
            throw new FileNotFoundException("The app folder has no worker.config.json: publish an isolated-worker app (Worker SDK) into it.", path);
        }

        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var description = document.RootElement.GetProperty("description");
        var executable = Text(description, "defaultExecutablePath") ?? throw new InvalidDataException($"{path}: description.defaultExecutablePath is missing.");
        var workerPath = Text(description, "defaultWorkerPath") ?? throw new InvalidDataException($"{path}: description.defaultWorkerPath is missing.");
        if (Strings(description, "workerArguments").Count > 0)
        {
            // DefaultWorkerProcessFactory would place them after the worker path, but RpcWorkerConfigFactory never
            // copies them for an RPC worker: the real host would start the app without them.
            throw new NotSupportedException($"{path}: description.workerArguments is not passed to an RPC worker by the Functions host; use 'arguments'.");
        }

        workerPath = System.Environment.ExpandEnvironmentVariables(Path.IsPathRooted(workerPath) ? workerPath : Path.Combine(appFolder, workerPath));
        if (!File.Exists(workerPath))
        {
            throw new FileNotFoundException($"File defaultWorkerPath: {workerPath} does not exist.", workerPath);
        }

        return new WorkerConfig(System.Environment.ExpandEnvironmentVariables(executable), workerPath, Strings(description, "arguments"), string.Equals(Text(description, "workerIndexing"), "true", StringComparison.OrdinalIgnoreCase));
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText() : null;

    private static List<string> Strings(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array ? value.EnumerateArray().Select(v => v.GetString() ?? string.Empty).ToList() : [];

    private void Append(string stream, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_outputGate)
        {
            _output.Append(stream).Append(": ").AppendLine(line);
        }
    }

    [GeneratedRegex("%(.+?)%")]
    private static partial Regex UnresolvedVariable();
}

/// <summary>The parts of <c>worker.config.json</c>'s <c>description</c> the host uses to start the worker.</summary>
internal sealed record WorkerConfig(string ExecutablePath, string WorkerPath, IReadOnlyList<string> Arguments, bool WorkerIndexing);
