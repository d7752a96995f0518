using System.Diagnostics;
using System.Text;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Azure.WebJobs.Script.Grpc.Messages;

namespace Engagement.EndToEnd.Tests.FunctionsHost;

/// <summary>An invocation the worker answered: which function, its id, and the worker's <c>InvocationResponse</c>.</summary>
internal sealed record CompletedInvocation(string FunctionName, string InvocationId, InvocationResponse Response);

/// <summary>
/// The Azure Functions host, as far as a published .NET isolated-worker app can tell: it starts the app like the host
/// (worker.config.json, arguments, environment, working directory), speaks the host's side of the gRPC protocol
/// (init, metadata, load, invocations, terminate), runs timers on demand with the host's TimerInfo, and serves HTTP by
/// the host's routing and key rules, proxying each request to the worker's ASP.NET Core server with the invocation id
/// while it sends the matching <c>InvocationRequest</c>, and listens to the Storage queues of queue triggers (see
/// <see cref="QueueListener"/>). Sources: Azure/azure-functions-host (Oct 2024), Azure/azure-webjobs-sdk-extensions
/// (HTTP and timer bindings), Azure/azure-sdk-for-net (the Storage queues extension 5.x), Azure/azure-functions-dotnet-worker 2.52.0.
/// </summary>
/// <remarks>
/// Where reality may differ from this emulator:
/// <list type="bullet">
/// <item>A function the host cannot index (bad name or binding, unresolved <c>%Setting%</c>, route clash, reserved
/// route) is "in error" on the host while the others run; here start fails, naming it.</item>
/// <item>Schedules: the host also takes 5-field cron and TimeSpan strings; here only 6-field NCRONTAB passes.
/// <c>%Setting%</c> resolves from the settings given to <see cref="StartAsync"/> only, not from this process's
/// environment as the host's configuration would.</item>
/// <item>Queue triggers: see <see cref="QueueListener"/> for what the listener does and does not do.</item>
/// <item>Timers never fire by themselves: no schedule listener, no singleton blob lease, no past-due detection, no
/// run-on-startup; the schedule status lives in memory for one run.</item>
/// <item>Keys: one function key and the master key. Host keys, named and per-function keys, system keys, App Service
/// authentication (<c>User</c> level, <c>x-ms-client-principal</c>) are not modelled. Core Tools does not check keys
/// locally; Azure does, and so does this.</item>
/// <item>HTTP: the request body is always buffered (the host buffers one of known length); the worker's response is
/// buffered before it is returned (no streaming to the caller); host limits (request size, the 230 s front-end
/// timeout, <c>functionTimeout</c>), the front end's headers (X-Forwarded-*, X-ARR-*, client certificates) and
/// proxies are absent. The host parses ISO dates in JSON bodies into its local date format for binding data; here
/// such strings pass unchanged.</item>
/// <item>Routing follows the host: routes are matched in function-name order, first match wins, no route
/// precedence; <see cref="OrderDecidedMatches"/> lists requests where that differed from ASP.NET Core's precedence.</item>
/// <item>Worker lifecycle: one stream (the host announces MultiStream), no restart after a crash, no placeholder
/// specialization (FunctionEnvironmentReloadRequest; Flex Consumption pre-warms through FunctionsNetHost), no
/// WorkerStatusRequest pings, no InvocationCancel, no shared-memory transfer, no FunctionLoadRequestCollection (the
/// .NET worker does not ask for it). The worker directory is the app folder: the Worker SDK's extensions.json
/// registers a host startup (FunctionMetadataLoader) that sets <c>languageWorkers:dotnet-isolated:workerDirectory</c> to
/// the app root, which is where the host then finds worker.config.json.</item>
/// <item>Environment: this process's variables (without ASPNETCORE_*, DOTNET_ENVIRONMENT, AZURE_FUNCTIONS_ENVIRONMENT)
/// plus the settings; Azure adds platform variables (WEBSITE_*, CONTAINER_NAME…). AZURE_FUNCTIONS_ENVIRONMENT stays
/// unset unless a setting gives it, as on Azure (Production); Core Tools sets Development.</item>
/// <item>Trace context: a W3C traceparent (the caller's trace when given), no Activity tags, no retry context; logs
/// stay in memory (<see cref="Logs"/>) instead of reaching Application Insights.</item>
/// </list>
/// </remarks>
internal sealed class FunctionsHostEmulator : IAsyncDisposable
{
    private readonly FunctionsHostOptions _options;
    private readonly IReadOnlyDictionary<string, string> _settings;
    private readonly Dictionary<string, string> _resolvable;
    private readonly List<CompletedInvocation> _invocations = [];
    private readonly Dictionary<string, TimerSchedule> _timers = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<QueueListener> _queues = [];
    private readonly Lock _gate = new();
    private WorkerChannel? _channel;
    private WorkerProcess? _worker;
    private HttpFunctionRouter? _router;
    private HttpInvoker? _http;
    private int? _exitCode;

    private FunctionsHostEmulator(string appFolder, IReadOnlyDictionary<string, string> settings, FunctionsHostOptions options)
    {
        AppFolder = appFolder;
        _settings = settings;
        _options = options;

        // The host reads settings through IConfiguration: case-insensitive, "__" in a variable name means ":".
        _resolvable = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in settings)
        {
            _resolvable[key.Replace("__", ":", StringComparison.Ordinal)] = value;
        }
    }

    public string AppFolder { get; }

    public FunctionsHostOptions Options => _options;

    public FunctionsHostTimings Timings { get; } = new();

    /// <summary>Every function the worker indexed, in the host's order (by name).</summary>
    public IReadOnlyList<WorkerFunction> Functions { get; private set; } = [];

    public WorkerInitResponse WorkerInit { get; private set; } = new();

    /// <summary>The worker's capabilities from <c>WorkerInitResponse</c> (HttpUri, RawHttpBodyBytes, WorkerStatus…).</summary>
    public IReadOnlyDictionary<string, string> WorkerCapabilities { get; private set; } = new Dictionary<string, string>();

    /// <summary>The worker's ASP.NET Core server (capability <c>HttpUri</c>); null without ASP.NET Core integration.</summary>
    public Uri? WorkerHttpUri { get; private set; }

    /// <summary>The route prefix from host.json (<c>extensions.http.routePrefix</c>, default <c>api</c>).</summary>
    public string RoutePrefix => _router?.RoutePrefix ?? "api";

    /// <summary>The worker's process id once started (the cold-start benchmark reads its CPU time).</summary>
    public int? WorkerProcessId => _worker?.Id;

    /// <summary>The executable and arguments the worker was started with.</summary>
    public string CommandLine => _worker?.CommandLine ?? string.Empty;

    /// <summary>The worker's <c>RpcLog</c> messages so far (its ILogger output, system and user categories).</summary>
    public IReadOnlyList<RpcLog> Logs => _channel?.Logs ?? [];

    /// <summary>The worker's <c>RpcLog</c> messages that belong to one invocation (its function's ILogger output).</summary>
    public IReadOnlyList<RpcLog> LogsOf(string invocationId) => [.. Logs.Where(l => l.InvocationId == invocationId)];

    /// <summary>The worker's stdout and stderr so far, each line prefixed with <c>out: </c> or <c>err: </c>.</summary>
    public string ProcessOutput => _worker?.Output ?? string.Empty;

    public IReadOnlyList<CompletedInvocation> Invocations
    {
        get
        {
            lock (_gate)
            {
                return [.. _invocations];
            }
        }
    }

    /// <summary>Requests routed by the host's name order against ASP.NET Core's precedence (see the remarks).</summary>
    public IReadOnlyList<string> OrderDecidedMatches => _router?.OrderDecidedMatches ?? [];

    /// <summary>Protocol oddities seen on the stream (unexpected messages, a second stream); empty when all is well.</summary>
    public IReadOnlyList<string> ProtocolProblems => _channel?.Problems ?? [];

    /// <summary>The worker's exit code once <see cref="StopAsync"/> ended it.</summary>
    public int? ExitCode => _exitCode;

    /// <summary>
    /// Starts the published app in <paramref name="appFolder"/> with <paramref name="settings"/> as its app settings,
    /// and returns once every function is loaded. Throws, with the worker's logs and output, when the app cannot
    /// start or a function would be in error on the host.
    /// </summary>
    public static async Task<FunctionsHostEmulator> StartAsync(string appFolder, IReadOnlyDictionary<string, string> settings, FunctionsHostOptions? options = null, CancellationToken cancellationToken = default)
    {
        var emulator = new FunctionsHostEmulator(Path.GetFullPath(appFolder), settings, options ?? new FunctionsHostOptions());
        try
        {
            await emulator.InitializeAsync(cancellationToken);
            return emulator;
        }
        catch (Exception e)
        {
            // Whatever failed, the worker must not outlive the attempt; its logs explain most failures.
            var diagnostics = emulator.Diagnostics();
            await emulator.DisposeAsync();
            throw new InvalidOperationException($"The Functions host emulator could not start {appFolder}: {e.Message}\n{diagnostics}", e);
        }
    }

    public WorkerFunction Function(string name) =>
        Functions.FirstOrDefault(f => f.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"No function '{name}'; the worker indexed: {string.Join(", ", Functions.Select(f => f.Name))}.", nameof(name));

    /// <summary>Runs a timer function once, as its schedule would, with the host's TimerInfo.</summary>
    public async Task<InvocationResponse> InvokeTimerAsync(string functionName, bool pastDue = false, CancellationToken cancellationToken = default)
    {
        var schedule = TimerOf(functionName);
        var invokedAt = _options.TimeProvider.GetLocalNow();
        var response = await InvokeTimerCoreAsync(Function(functionName), schedule.NextPayload(pastDue), schedule, cancellationToken);

        // TimerListener records the run whether the function succeeded or not.
        schedule.Completed(invokedAt);
        return response;
    }

    /// <summary>Runs a timer function with <paramref name="timerInfoJson"/> as its trigger input, whatever it holds.</summary>
    public Task<InvocationResponse> InvokeTimerWithPayloadAsync(string functionName, string timerInfoJson, CancellationToken cancellationToken = default) =>
        InvokeTimerCoreAsync(Function(functionName), timerInfoJson, TimerOf(functionName), cancellationToken);

    /// <summary>Serves one HTTP request as the host would (see <see cref="HttpInvoker"/>); the URI's path is matched.</summary>
    public Task<HttpInvocationResult> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken = default) =>
        (_http ?? throw new InvalidOperationException("The worker declared no HttpUri capability: it does not use ASP.NET Core integration.")).SendAsync(request, cancellationToken);

    /// <summary>An <see cref="HttpClient"/> whose requests go through <see cref="SendAsync"/>.</summary>
    public HttpClient CreateHttpClient() =>
        new(new EmulatorHandler(this)) { BaseAddress = new Uri("http://localhost/"), Timeout = _options.InvocationTimeout + TimeSpan.FromSeconds(5) };

    /// <summary>
    /// Stops the worker as the host does: <c>WorkerTerminate{grace_period}</c> (when the worker handles it), then
    /// waits the grace period and kills what is left. Returns the exit code (0 for a clean stop).
    /// </summary>
    public async Task<int> StopAsync()
    {
        if (_exitCode is { } done)
        {
            return done;
        }

        foreach (var listener in _queues)
        {
            await listener.StopAsync();
        }

        var worker = _worker ?? throw new InvalidOperationException("The worker was never started.");
        if (!worker.HasExited && WorkerCapabilities.ContainsKey("HandlesWorkerTerminateMessage"))
        {
            try
            {
                _channel!.Send(new StreamingMessage { WorkerTerminate = new WorkerTerminate { GracePeriod = Duration.FromTimeSpan(_options.TerminateGracePeriod) } });
            }
            catch (InvalidOperationException)
            {
                // The stream is already closed: the worker is on its way out.
            }
        }

        _exitCode = await worker.WaitForExitAsync(_options.TerminateGracePeriod) ?? await worker.KillAsync();
        return _exitCode.Value;
    }

    /// <summary>The worker's logs, output and protocol problems, for assertion messages.</summary>
    public string Diagnostics()
    {
        var text = new StringBuilder();
        text.AppendLine($"Command line: {CommandLine}").AppendLine($"Timings: {Timings}");
        foreach (var problem in ProtocolProblems)
        {
            text.AppendLine($"Protocol: {problem}");
        }

        text.AppendLine("Worker logs (RpcLog):");
        foreach (var log in Logs)
        {
            text.AppendLine($"  {log.Level} {log.Category}: {log.Message}{(log.Exception is { } e ? $" | {e.Message}" : string.Empty)}");
        }

        return text.AppendLine("Worker output:").Append(ProcessOutput).ToString();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var listener in _queues)
        {
            await listener.DisposeAsync();
        }

        if (_worker is not null)
        {
            await _worker.DisposeAsync();
        }

        if (_channel is not null)
        {
            await _channel.DisposeAsync();
        }

        if (_router is not null)
        {
            await _router.DisposeAsync();
        }

        _http?.Dispose();
    }

    private async Task InitializeAsync(CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.StartTimeout);
        _channel = await WorkerChannel.StartAsync(Timings);
        var workerId = Guid.NewGuid().ToString();
        _worker = WorkerProcess.Start(AppFolder, _settings, _channel.Address, workerId, Timings);

        var started = await WhileRunningAsync(_channel.Started, "StartStream", deadline.Token);
        if (started.WorkerId != workerId)
        {
            throw new InvalidOperationException($"StartStream came from worker '{started.WorkerId}', expected '{workerId}'.");
        }

        var init = new WorkerInitRequest { HostVersion = _options.HostVersion, WorkerDirectory = AppFolder, FunctionAppDirectory = AppFolder };
        init.Capabilities.Add("MultiStream", "10");
        WorkerInit = (await RequestAsync(new StreamingMessage { WorkerInitRequest = init }, "WorkerInitResponse", deadline.Token)).WorkerInitResponse;
        ThrowOnFailure(WorkerInit.Result, "WorkerInitRequest");
        WorkerCapabilities = WorkerInit.Capabilities.ToDictionary(c => c.Key, c => c.Value, StringComparer.Ordinal);
        if (WorkerCapabilities.TryGetValue("HttpUri", out var httpUri))
        {
            WorkerHttpUri = new Uri(httpUri);
        }

        var metadataRequest = new StreamingMessage { FunctionsMetadataRequest = new FunctionsMetadataRequest { FunctionAppDirectory = AppFolder } };
        Functions = WorkerFunction.Read((await RequestAsync(metadataRequest, "FunctionMetadataResponse", deadline.Token)).FunctionMetadataResponse, _resolvable);
        foreach (var timer in Functions.Where(f => f.IsTimer))
        {
            _timers[timer.Name] = TimerSchedule.Create(timer, _resolvable, _options.TimeProvider);
        }

        // A queue trigger needs its storage connection; the host puts the function in error without it.
        foreach (var queue in Functions.Where(f => f.IsQueue && !f.IsDisabled))
        {
            if (!_resolvable.TryGetValue(queue.Trigger.Connection, out var connection) || string.IsNullOrWhiteSpace(connection))
            {
                throw new InvalidOperationException($"The '{queue.Name}' function is in error: Storage account connection string '{queue.Trigger.Connection}' does not exist. Make sure that it is a defined App Setting.");
            }

            _queues.Add(new QueueListener(queue, connection, _options.QueuePollingInterval, InvokeQueueAsync));
        }

        _router = new HttpFunctionRouter(Functions, HttpFunctionRouter.ReadRoutePrefix(AppFolder));
        if (WorkerHttpUri is not null)
        {
            _http = new HttpInvoker(_channel, _router, WorkerCapabilities, WorkerHttpUri, _options, Timings, Record);
        }

        // Disabled functions are loaded too, last (GrpcWorkerChannel.SendFunctionLoadRequests).
        var loads = new List<Task<StreamingMessage>>();
        foreach (var function in Functions.OrderBy(f => f.IsDisabled))
        {
            loads.Add(_channel.Expect($"load:{function.FunctionId}"));
            _channel.Send(new StreamingMessage { FunctionLoadRequest = function.ToLoadRequest() });
        }

        foreach (var load in loads)
        {
            var response = (await WhileRunningAsync(load, "FunctionLoadResponse", deadline.Token)).FunctionLoadResponse;
            var name = Functions.First(f => f.FunctionId == response.FunctionId).Name;
            ThrowOnFailure(response.Result, $"FunctionLoadRequest for '{name}'");
        }

        Timings.MarkFunctionsLoaded();

        // Listeners start once the functions are loaded, as the host's do.
        foreach (var listener in _queues)
        {
            listener.Start();
        }
    }

    private async Task<InvocationResponse> InvokeQueueAsync(WorkerFunction function, Azure.Storage.Queues.Models.QueueMessage message, string text, CancellationToken cancellationToken)
    {
        var request = QueueListener.Request(function, message, text);
        var response = (await _channel!.RequestAsync(new StreamingMessage { InvocationRequest = request }, $"invoke:{request.InvocationId}", _options.InvocationTimeout, cancellationToken)).InvocationResponse;
        Record(new CompletedInvocation(function.Name, request.InvocationId, response));
        return response;
    }

    private async Task<InvocationResponse> InvokeTimerCoreAsync(WorkerFunction function, string timerInfoJson, TimerSchedule schedule, CancellationToken cancellationToken)
    {
        if (function.IsDisabled)
        {
            throw new InvalidOperationException($"The function '{function.Name}' is disabled (AzureWebJobs.{function.Name}.Disabled): the host does not run its timer.");
        }

        var invocationId = Guid.NewGuid().ToString();
        var request = new InvocationRequest
        {
            InvocationId = invocationId,
            FunctionId = function.FunctionId,
            TraceContext = new RpcTraceContext { TraceParent = $"00-{ActivityTraceId.CreateRandom()}-{ActivitySpanId.CreateRandom()}-00", TraceState = string.Empty },
        };
        request.InputData.Add(new ParameterBinding { Name = function.Trigger.Name, Data = new TypedData { Json = timerInfoJson } });
        request.TriggerMetadata.Add("TimerTrigger", new TypedData { String = schedule.BindingDataNow() });

        var response = (await _channel!.RequestAsync(new StreamingMessage { InvocationRequest = request }, $"invoke:{invocationId}", _options.InvocationTimeout, cancellationToken)).InvocationResponse;
        Timings.MarkTimerDone();
        Record(new CompletedInvocation(function.Name, invocationId, response));
        return response;
    }

    private TimerSchedule TimerOf(string functionName) =>
        _timers.TryGetValue(functionName, out var schedule) ? schedule : throw new ArgumentException($"'{functionName}' is not a timer function.", nameof(functionName));

    private void Record(CompletedInvocation invocation)
    {
        lock (_gate)
        {
            _invocations.Add(invocation);
        }
    }

    private Task<StreamingMessage> RequestAsync(StreamingMessage request, string responseKey, CancellationToken deadline)
    {
        var answer = _channel!.Expect(responseKey);
        _channel.Send(request);
        return WhileRunningAsync(answer, responseKey, deadline);
    }

    /// <summary>Awaits <paramref name="step"/>, failing at once if the worker exits first or the start deadline passes.</summary>
    private async Task<T> WhileRunningAsync<T>(Task<T> step, string what, CancellationToken deadline)
    {
        var finished = await Task.WhenAny(step, _worker!.Exited, Task.Delay(Timeout.Infinite, deadline));
        if (finished == step)
        {
            return await step;
        }

        throw finished == _worker.Exited
            ? new InvalidOperationException($"The worker exited with code {await _worker.Exited} while the host waited for {what}.")
            : new TimeoutException($"No {what} within the start timeout ({_options.StartTimeout.TotalSeconds:F0} s).");
    }

    private static void ThrowOnFailure(StatusResult? result, string what)
    {
        if (result?.Status == StatusResult.Types.Status.Failure)
        {
            throw new InvalidOperationException($"{what} failed: {result.Exception?.Message}\n{result.Exception?.StackTrace}");
        }
    }

    private sealed class EmulatorHandler(FunctionsHostEmulator emulator) : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            (await emulator.SendAsync(request, cancellationToken)).Response;
    }
}
