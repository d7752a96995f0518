using System.Reflection;
using Engagement.Functions.Problems;
using Engagement.Functions.Security;
using Engagement.Functions.Telemetry;
using Microsoft.Azure.Functions.Worker;

namespace Engagement.Functions.Hosting;

/// <summary>
/// Standalone hosting (<c>dotnet run</c>, small installs): no Functions host, so this adapter serves the same
/// <c>[Function]</c> declarations itself — every HTTP function as an endpoint under <c>/api</c> behind the same
/// authoriser and problem details, every timer on the in-process scheduler — on http://localhost:7071 unless URLs
/// are configured.
/// </summary>
internal static class StandaloneHost
{
    public const string DefaultUrl = "http://localhost:7071";

    public static WebApplicationBuilder AddStandaloneHost(this WebApplicationBuilder builder)
    {
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]) && string.IsNullOrEmpty(builder.Configuration["HTTP_PORTS"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        builder.Services.AddSingleton<TimerRunner>();
        builder.Services.AddOptions<SchedulerOptions>().BindConfiguration(SchedulerOptions.Section);
        if (builder.Configuration.GetValue(SchedulerOptions.Section + ":Enabled", true))
        {
            builder.Services.AddHostedService<TimerScheduler>();
        }

        return builder;
    }

    public static WebApplication MapFunctions(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        var catalog = app.Services.GetRequiredService<FunctionCatalog>();
        app.MapGet("/", () => TypedResults.Ok(new
        {
            service = "EngagementFunctions",
            mode = "standalone",
            health = "/api/health",
            openApi = "/api/openapi/v1.json",
        }));

        foreach (var function in catalog.Http)
        {
            RequestDelegate handler = context => InvokeHttpAsync(function, context);
            app.MapMethods(function.Pattern.RawText!, function.Methods, handler).WithDisplayName(function.Name);
            if (function.Method.GetCustomAttribute<AlsoWithoutPrefixAttribute>() is not null)
            {
                app.MapMethods(function.Route, function.Methods, handler).WithDisplayName(function.Name);
            }
        }

        // Standalone, an admin runs a timer by hand; under the host that is the host's own admin API.
        var administer = new AccessAttribute(AccessPolicy.Administer);
        foreach (var timer in catalog.Timers)
        {
            app.MapPost("/" + timer.Name, async context =>
            {
                if (context.RequestServices.GetRequiredService<FunctionAuthorizer>().Authorize(context, administer) is { } refused)
                {
                    await refused.ExecuteAsync(context);
                    return;
                }

                var runner = context.RequestServices.GetRequiredService<TimerRunner>();
                var run = await runner.RunAsync(timer, pastDue: false, context.RequestAborted);
                await TypedResults.Ok(new TimerRunView(timer.Name, run.StartedAt, run.Lines)).ExecuteAsync(context);
            }).WithDisplayName(timer.Name);
        }

        return app;
    }

    private static async Task InvokeHttpAsync(HttpFunction function, HttpContext context)
    {
        var services = context.RequestServices;
        if (services.GetRequiredService<FunctionAuthorizer>().Authorize(context, function.Access) is { } refused)
        {
            await refused.ExecuteAsync(context);
            return;
        }

        object? result;
        try
        {
            result = await FunctionInvoker.InvokeAsync(function.Method, services, parameter =>
                parameter.ParameterType == typeof(HttpRequest) ? context.Request
                : parameter.ParameterType == typeof(CancellationToken) ? context.RequestAborted
                : context.Request.RouteValues[parameter.Name!]?.ToString());
        }
        catch (Exception ex) when (!context.Response.HasStarted)
        {
            result = services.GetRequiredService<ProblemMapper>().ToResult(context, ex);
        }

        if (result is IResult answer)
        {
            await answer.ExecuteAsync(context);
        }
    }
}

/// <summary>What a timer run by hand did.</summary>
internal sealed record TimerRunView(string Function, DateTimeOffset StartedAt, IReadOnlyList<string> Logs);

/// <summary>
/// Standalone only: the function is also served without the <c>/api</c> prefix (the host forwards nothing outside
/// its route prefix), for clients configured before the prefix existed.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
internal sealed class AlsoWithoutPrefixAttribute : Attribute;

internal sealed class SchedulerOptions
{
    public const string Section = "Scheduler";

    /// <summary>Standalone only: run the timer functions in-process on their schedules.</summary>
    public bool Enabled { get; set; } = true;
}

/// <summary>Standalone: runs timer functions one at a time per function, each in its own scope, as the host would.</summary>
internal sealed class TimerRunner(FunctionCatalog catalog, IServiceScopeFactory scopes)
{
    private readonly Dictionary<string, SemaphoreSlim> _locks = catalog.Timers.ToDictionary(t => t.Name, _ => new SemaphoreSlim(1, 1), StringComparer.Ordinal);

    public async Task<TimerRun> RunAsync(TimerFunction timer, bool pastDue, CancellationToken cancellationToken)
    {
        var gate = _locks[timer.Name];
        await gate.WaitAsync(cancellationToken);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var info = new TimerInfo { IsPastDue = pastDue };
            using var activity = EngagementActivities.StartTimer(timer.Name);
            try
            {
                await FunctionInvoker.InvokeAsync(timer.Method, scope.ServiceProvider, parameter =>
                    parameter.ParameterType == typeof(TimerInfo) ? info : cancellationToken);
            }
            catch (Exception ex)
            {
                activity.Failed(ex);
                throw;
            }

            return scope.ServiceProvider.GetRequiredService<TimerRun>();
        }
        finally
        {
            gate.Release();
        }
    }
}
