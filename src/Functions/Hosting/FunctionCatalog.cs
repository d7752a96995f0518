using System.Reflection;
using System.Text.RegularExpressions;
using Engagement.Functions.Security;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Azure.Functions.Worker;

namespace Engagement.Functions.Hosting;

/// <summary>An HTTP function as its attributes declare it: the route under <c>/api</c>, its methods, who may call it.</summary>
internal sealed record HttpFunction(string Name, string Route, IReadOnlyList<string> Methods, AuthorizationLevel AuthLevel, AccessAttribute Access, MethodInfo Method)
{
    public RoutePattern Pattern { get; } = RoutePatternFactory.Parse(FunctionCatalog.RoutePrefix + "/" + Route);
}

/// <summary>A timer function as its attribute declares it: its schedule is the app setting <c>Schedules:{Name}</c>.</summary>
internal sealed record TimerFunction(string Name, string ScheduleSetting, MethodInfo Method)
{
    /// <summary>
    /// Standalone: the NCRONTAB schedule from the setting, else from the setting's former name
    /// (<c>Functions:Schedules:{Name}</c>, which small installs may still carry), else the default.
    /// </summary>
    public string ScheduleFrom(IConfiguration configuration) =>
        configuration[ScheduleSetting] is { Length: > 0 } custom ? custom
        : configuration[$"Functions:Schedules:{Name}"] is { Length: > 0 } former ? former
        : TimerSchedules.Defaults[Name];
}

/// <summary>
/// A queue-triggered function as its attribute declares it: the queue (a literal name) on the host's storage
/// connection (<c>AzureWebJobsStorage</c>). Standalone, an in-process queue delivers the same messages to it.
/// </summary>
internal sealed record QueueFunction(string Name, string QueueName, MethodInfo Method);

/// <summary>
/// The app's functions, read once from their <c>[Function]</c> declarations — the same declarations the Worker SDK
/// turns into the metadata the Functions host reads. Standalone, the adapter maps them to endpoints and the scheduler;
/// under the host, the worker middleware finds each invocation's access rule here. A declaration that cannot be served
/// the same way in both hosts stops the app at start with every problem listed.
/// </summary>
internal sealed partial class FunctionCatalog
{
    public const string RoutePrefix = "api";

    private readonly Dictionary<string, HttpFunction> _http;

    private FunctionCatalog(IReadOnlyList<HttpFunction> http, IReadOnlyList<TimerFunction> timers, IReadOnlyList<QueueFunction> queues)
    {
        Http = http;
        Timers = timers;
        Queues = queues;
        _http = http.ToDictionary(f => f.Name, StringComparer.Ordinal);
    }

    public static FunctionCatalog App { get; } = Read(typeof(FunctionCatalog).Assembly.GetTypes());

    public IReadOnlyList<HttpFunction> Http { get; }

    public IReadOnlyList<TimerFunction> Timers { get; }

    public IReadOnlyList<QueueFunction> Queues { get; }

    /// <summary>The function triggered by <paramref name="queueName"/>.</summary>
    public QueueFunction Queue(string queueName) =>
        Queues.FirstOrDefault(q => q.QueueName == queueName) ?? throw new InvalidOperationException($"No function is triggered by the queue '{queueName}'.");

    public HttpFunction? FindHttp(string name) => _http.GetValueOrDefault(name);

    [GeneratedRegex(@"^%Schedules:(?<name>[A-Za-z][A-Za-z0-9]*)%$")]
    private static partial Regex ScheduleExpression();

    /// <summary>Reads every <c>[Function]</c> method of <paramref name="types"/>; throws listing every declaration it cannot serve.</summary>
    public static FunctionCatalog Read(IEnumerable<Type> types)
    {
        var problems = new List<string>();
        var http = new List<HttpFunction>();
        var timers = new List<TimerFunction>();
        var queues = new List<QueueFunction>();
        var methods = types
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(m => m.GetCustomAttribute<FunctionAttribute>() is not null)
            .OrderBy(m => m.GetCustomAttribute<FunctionAttribute>()!.Name, StringComparer.Ordinal);
        foreach (var method in methods)
        {
            var name = method.GetCustomAttribute<FunctionAttribute>()!.Name;
            var where = $"{method.DeclaringType?.Name}.{method.Name} ([Function(\"{name}\")])";
            if (!method.IsPublic || method.IsStatic)
            {
                problems.Add($"{where}: a function is a public instance method.");
            }

            var httpTrigger = method.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).FirstOrDefault(a => a is not null);
            var timerTrigger = method.GetParameters().Select(p => p.GetCustomAttribute<TimerTriggerAttribute>()).FirstOrDefault(a => a is not null);
            var queueTrigger = method.GetParameters().Select(p => p.GetCustomAttribute<QueueTriggerAttribute>()).FirstOrDefault(a => a is not null);
            if (httpTrigger is not null)
            {
                ReadHttp(method, name, httpTrigger, where, http, problems);
            }
            else if (timerTrigger is not null)
            {
                ReadTimer(method, name, timerTrigger, where, timers, problems);
            }
            else if (queueTrigger is not null)
            {
                ReadQueue(method, name, queueTrigger, where, queues, problems);
            }
            else
            {
                problems.Add($"{where}: only HTTP, timer and queue triggers are served.");
            }
        }

        foreach (var duplicate in http.Select(f => f.Name).Concat(timers.Select(t => t.Name)).Concat(queues.Select(q => q.Name)).GroupBy(n => n, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            problems.Add($"Function name '{duplicate.Key}' is declared {duplicate.Count()} times.");
        }

        return problems.Count == 0
            ? new FunctionCatalog(http, timers, queues)
            : throw new InvalidOperationException("These functions cannot be served:" + Environment.NewLine + string.Join(Environment.NewLine, problems.Select(p => "- " + p)));
    }

    private static void ReadHttp(MethodInfo method, string name, HttpTriggerAttribute trigger, string where, List<HttpFunction> http, List<string> problems)
    {
        if (method.GetCustomAttribute<AccessAttribute>() is not { } access)
        {
            problems.Add($"{where}: an HTTP function declares who may call it with [Access].");
            return;
        }

        if (string.IsNullOrEmpty(trigger.Route) || trigger.Methods is not { Length: > 0 })
        {
            problems.Add($"{where}: an HTTP function declares its Route and its methods.");
            return;
        }

        RoutePattern pattern;
        try
        {
            pattern = RoutePatternFactory.Parse(RoutePrefix + "/" + trigger.Route);
        }
        catch (RoutePatternException ex)
        {
            problems.Add($"{where}: route '{trigger.Route}' is not a route template ({ex.Message}).");
            return;
        }

        var hasPartnership = pattern.GetParameter("partnershipId") is not null;
        if (access.Scope == PartnershipScope.Route ? !hasPartnership : hasPartnership && access.Scope != PartnershipScope.Request)
        {
            problems.Add($"{where}: a route with {{partnershipId}} is scoped by it (PartnershipScope.Route, or Request when the function checks it itself), and only such a route is scoped by Route.");
        }

        if (access.Policy == AccessPolicy.Anonymous && trigger.AuthLevel != AuthorizationLevel.Anonymous)
        {
            problems.Add($"{where}: an anonymous function is anonymous at the host too (AuthorizationLevel.Anonymous).");
        }

        foreach (var parameter in method.GetParameters())
        {
            var bindable = parameter.ParameterType == typeof(HttpRequest) || parameter.ParameterType == typeof(CancellationToken)
                || (parameter.ParameterType == typeof(string) && pattern.GetParameter(parameter.Name!) is not null);
            if (!bindable)
            {
                problems.Add($"{where}: parameter '{parameter.Name}' is neither the HttpRequest, a CancellationToken nor a route value of '{trigger.Route}'.");
            }
        }

        if (!typeof(Task).IsAssignableFrom(method.ReturnType) && !typeof(IResult).IsAssignableFrom(method.ReturnType))
        {
            problems.Add($"{where}: an HTTP function returns an IResult or a Task of one.");
        }

        http.Add(new HttpFunction(name, trigger.Route, [.. trigger.Methods.Select(m => m.ToLowerInvariant())], trigger.AuthLevel, access, method));
    }

    private static void ReadTimer(MethodInfo method, string name, TimerTriggerAttribute trigger, string where, List<TimerFunction> timers, List<string> problems)
    {
        var match = ScheduleExpression().Match(trigger.Schedule);
        if (!match.Success || match.Groups["name"].Value != name)
        {
            problems.Add($"{where}: the schedule is the app setting of the function's name, \"%Schedules:{name}%\".");
            return;
        }

        if (!TimerSchedules.Defaults.ContainsKey(name))
        {
            problems.Add($"{where}: TimerSchedules.Defaults has no default schedule for it.");
        }

        if (method.GetParameters().Any(p => p.ParameterType != typeof(TimerInfo) && p.ParameterType != typeof(CancellationToken)) || method.ReturnType != typeof(Task))
        {
            problems.Add($"{where}: a timer function takes its TimerInfo and a CancellationToken and returns a Task.");
        }

        timers.Add(new TimerFunction(name, $"{TimerSchedules.Section}:{name}", method));
    }

    private static void ReadQueue(MethodInfo method, string name, QueueTriggerAttribute trigger, string where, List<QueueFunction> queues, List<string> problems)
    {
        // Azure's queue naming rule: 3-63 lower-case letters, digits and single hyphens; a literal, so both hosts agree.
        if (!QueueName().IsMatch(trigger.QueueName ?? string.Empty))
        {
            problems.Add($"{where}: the queue is a literal queue name (3-63 lower-case letters, digits and single hyphens).");
            return;
        }

        if (!string.IsNullOrEmpty(trigger.Connection) && trigger.Connection != "AzureWebJobsStorage")
        {
            problems.Add($"{where}: the queue is on the host's storage (Connection unset or \"AzureWebJobsStorage\").");
        }

        var parameters = method.GetParameters();
        if (parameters.Length == 0 || parameters[0].ParameterType != typeof(string) || parameters.Skip(1).Any(p => p.ParameterType != typeof(CancellationToken)) || method.ReturnType != typeof(Task))
        {
            problems.Add($"{where}: a queue function takes the message as a string, then a CancellationToken, and returns a Task.");
        }

        if (queues.Any(q => q.QueueName == trigger.QueueName))
        {
            problems.Add($"{where}: the queue '{trigger.QueueName}' already triggers another function.");
        }

        queues.Add(new QueueFunction(name, trigger.QueueName!, method));
    }

    [GeneratedRegex("^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$")]
    private static partial Regex QueueName();
}
