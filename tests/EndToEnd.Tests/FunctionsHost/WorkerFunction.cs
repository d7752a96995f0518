using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Azure.WebJobs.Script.Grpc.Messages;

namespace Engagement.EndToEnd.Tests.FunctionsHost;

/// <summary>Who may call an HTTP function (the binding's <c>authLevel</c>).</summary>
internal enum FunctionAuthLevel
{
    Anonymous,
    User,
    Function,
    System,
    Admin,
}

/// <summary>One binding of a function as the worker declared it (a <c>raw_bindings</c> JSON object).</summary>
internal sealed class FunctionBinding
{
    private readonly Dictionary<string, JsonElement> _properties;

    internal FunctionBinding(string json)
    {
        Json = json;
        using var document = JsonDocument.Parse(json);
        _properties = document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.OrdinalIgnoreCase);
        Name = Text("name") ?? string.Empty;
        Type = Text("type") ?? string.Empty;
        Direction = Text("direction") ?? string.Empty;
    }

    public string Name { get; }

    /// <summary><c>httpTrigger</c>, <c>timerTrigger</c>, <c>http</c>, …</summary>
    public string Type { get; }

    /// <summary><c>In</c>, <c>Out</c> or <c>InOut</c> (as written; the host reads it case-insensitively).</summary>
    public string Direction { get; }

    /// <summary>The binding's JSON as the worker sent it.</summary>
    public string Json { get; }

    public bool IsTrigger => Type.EndsWith("Trigger", StringComparison.OrdinalIgnoreCase) && Direction.Equals("In", StringComparison.OrdinalIgnoreCase);

    /// <summary>An HTTP trigger's <c>authLevel</c> (the host's default is <c>function</c>), else null.</summary>
    public FunctionAuthLevel? AuthLevel => Type.Equals("httpTrigger", StringComparison.OrdinalIgnoreCase)
        ? Enum.Parse<FunctionAuthLevel>(Text("authLevel") ?? nameof(FunctionAuthLevel.Function), ignoreCase: true)
        : null;

    /// <summary>An HTTP trigger's <c>methods</c> (lower case), or null: every method.</summary>
    public IReadOnlyList<string>? Methods => _properties.TryGetValue("methods", out var methods) && methods.ValueKind == JsonValueKind.Array
        ? methods.EnumerateArray().Select(m => (m.GetString() ?? string.Empty).ToLowerInvariant()).ToList()
        : null;

    /// <summary>An HTTP trigger's <c>route</c> as declared (null: the host uses the function name).</summary>
    public string? Route => Text("route");

    /// <summary>A timer trigger's <c>schedule</c> as declared (may be a <c>%Setting%</c> expression).</summary>
    public string? Schedule => Text("schedule");

    /// <summary>A queue trigger's <c>queueName</c> as declared.</summary>
    public string? QueueName => Text("queueName");

    /// <summary>A queue trigger's <c>connection</c>: the name of the setting, <c>AzureWebJobsStorage</c> when absent.</summary>
    public string Connection => Text("connection") is { Length: > 0 } connection ? connection : "AzureWebJobsStorage";

    /// <summary>A property as text (strings unquoted, anything else as raw JSON), or null when absent.</summary>
    public string? Text(string name) => _properties.TryGetValue(name, out var value)
        ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Null => null,
            _ => value.GetRawText(),
        }
        : null;

    public override string ToString() => Json;
}

/// <summary>A function as the worker indexed it and the host validated it.</summary>
internal sealed partial class WorkerFunction
{
    private WorkerFunction(RpcFunctionMetadata metadata, IReadOnlyList<FunctionBinding> bindings)
    {
        Metadata = metadata;
        Bindings = bindings;
        Trigger = bindings.FirstOrDefault(b => b.IsTrigger)
            ?? throw new InvalidOperationException($"The '{metadata.Name}' function is in error: No trigger binding specified. A function must have a trigger input binding.");
    }

    public string Name => Metadata.Name;

    public string FunctionId => Metadata.FunctionId;

    public string EntryPoint => Metadata.EntryPoint;

    public IReadOnlyList<FunctionBinding> Bindings { get; }

    public FunctionBinding Trigger { get; }

    public bool IsHttp => Trigger.Type.Equals("httpTrigger", StringComparison.OrdinalIgnoreCase);

    public bool IsTimer => Trigger.Type.Equals("timerTrigger", StringComparison.OrdinalIgnoreCase);

    public bool IsQueue => Trigger.Type.Equals("queueTrigger", StringComparison.OrdinalIgnoreCase);

    /// <summary>True when the app setting <c>AzureWebJobs.{Name}.Disabled</c> is true: loaded last, never triggered.</summary>
    public bool IsDisabled { get; private set; }

    /// <summary>The metadata as the worker sent it (raw_bindings, bindings map, properties, retry options…).</summary>
    public RpcFunctionMetadata Metadata { get; }

    public override string ToString() => $"{Name} ({Trigger.Type})";

    /// <summary>
    /// Reads a <c>FunctionMetadataResponse</c> and validates it as the host does (WorkerFunctionMetadataProvider,
    /// ScriptHost.ValidateFunction). Where the host would put one function "in error" and run the others, this
    /// throws, naming the function: a test should not pass on an app the real host would half-start.
    /// </summary>
    internal static IReadOnlyList<WorkerFunction> Read(FunctionMetadataResponse response, IReadOnlyDictionary<string, string> settings)
    {
        if (response.Result?.Status == StatusResult.Types.Status.Failure)
        {
            throw new InvalidOperationException($"Worker failed to index functions: {response.Result.Exception?.Message}\n{response.Result.Exception?.StackTrace}");
        }

        if (response.UseDefaultMetadataIndexing)
        {
            throw new NotSupportedException("The worker asked for host indexing (function.json files); the emulator supports worker indexing only.");
        }

        var functions = new List<WorkerFunction>();
        foreach (var metadata in response.FunctionMetadataResults.Where(m => m is not null))
        {
            if (metadata.Status?.Status == StatusResult.Types.Status.Failure)
            {
                throw new InvalidOperationException($"Worker failed to index function {metadata.FunctionId} ({metadata.Name}): {metadata.Status.Exception?.Message}");
            }

            if (!FunctionName().IsMatch(metadata.Name))
            {
                throw new InvalidOperationException($"The '{metadata.Name}' function is in error: '{metadata.Name}' is not a valid function name.");
            }

            var bindings = metadata.RawBindings.Select(json => new FunctionBinding(json)).ToList();
            foreach (var binding in bindings)
            {
                if (!BindingName().IsMatch(binding.Name))
                {
                    throw new InvalidOperationException($"The '{metadata.Name}' function is in error: The binding name {binding.Name} is invalid. Please assign a valid name to the binding.");
                }
            }

            var duplicate = bindings.GroupBy(b => b.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
            if (duplicate is not null)
            {
                throw new InvalidOperationException($"The '{metadata.Name}' function is in error: Multiple bindings with name '{duplicate.Key}' discovered. Binding names must be unique.");
            }

            var function = new WorkerFunction(metadata, bindings)
            {
                IsDisabled = settings.TryGetValue($"AzureWebJobs.{metadata.Name}.Disabled", out var disabled) && (disabled == "1" || bool.TryParse(disabled, out var value) && value),
            };
            functions.Add(function);
        }

        // FunctionMetadataManager orders functions by name; HTTP routes are registered, and matched, in this order.
        functions.Sort((a, b) => StringComparer.OrdinalIgnoreCase.Compare(a.Name, b.Name));
        ValidateHttpRoutes(functions);
        return functions;
    }

    /// <summary>The <c>FunctionLoadRequest</c> the host sends (GrpcWorkerChannel.GetFunctionLoadRequest).</summary>
    internal FunctionLoadRequest ToLoadRequest()
    {
        var request = new FunctionLoadRequest
        {
            FunctionId = FunctionId,
            Metadata = new RpcFunctionMetadata
            {
                Name = Name,
                Directory = Metadata.Directory ?? string.Empty,
                EntryPoint = Metadata.EntryPoint ?? string.Empty,
                ScriptFile = Metadata.ScriptFile ?? string.Empty,
                IsProxy = false,
            },
        };
        foreach (var binding in Bindings)
        {
            var info = new BindingInfo
            {
                Type = binding.Type,
                Direction = Enum.Parse<BindingInfo.Types.Direction>(binding.Direction, ignoreCase: true),
            };
            if (binding.Text("dataType") is { } dataType)
            {
                info.DataType = Enum.Parse<BindingInfo.Types.DataType>(dataType, ignoreCase: true);
            }

            request.Metadata.Bindings.Add(binding.Name, info);
        }

        // The host keeps the id among the properties, then adds the worker's (first one wins).
        request.Metadata.Properties.Add("FunctionId", FunctionId);
        foreach (var (key, value) in Metadata.Properties)
        {
            request.Metadata.Properties.TryAdd(key, value);
        }

        return request;
    }

    private static void ValidateHttpRoutes(List<WorkerFunction> functions)
    {
        var seen = new List<WorkerFunction>();
        foreach (var function in functions.Where(f => f.IsHttp))
        {
            var route = (string.IsNullOrWhiteSpace(function.Trigger.Route) ? function.Name : function.Trigger.Route).Trim('/');
            if (route.StartsWith("admin", StringComparison.OrdinalIgnoreCase) || route.StartsWith("runtime", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"The '{function.Name}' function is in error: The specified route conflicts with one or more built in routes.");
            }

            foreach (var other in seen)
            {
                var otherRoute = (string.IsNullOrWhiteSpace(other.Trigger.Route) ? other.Name : other.Trigger.Route).Trim('/');
                var methods = function.Trigger.Methods;
                var otherMethods = other.Trigger.Methods;
                if (string.Equals(route, otherRoute, StringComparison.OrdinalIgnoreCase)
                    && (methods is null or [] || otherMethods is null or [] || methods.Intersect(otherMethods).Any()))
                {
                    throw new InvalidOperationException($"The '{function.Name}' function is in error: The route specified conflicts with the route defined by function '{other.Name}'.");
                }
            }

            seen.Add(function);
        }
    }

    [GeneratedRegex(@"^[a-z][a-z0-9_\-]{0,127}$(?<!^host$)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex FunctionName();

    [GeneratedRegex(@"^([a-zA-Z][a-zA-Z0-9]{0,127}|\$return)$")]
    private static partial Regex BindingName();
}
