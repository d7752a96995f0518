using Engagement.Functions.Problems;
using Engagement.Functions.Security;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;

namespace Engagement.Functions.Hosting;

/// <summary>
/// Under the Azure Functions host the app is a .NET isolated worker: the host starts it with <c>--functions-uri</c>
/// (its gRPC endpoint), reads the function metadata the Worker SDK generated from the <c>[Function]</c> declarations,
/// proxies HTTP requests to the worker's ASP.NET Core server and runs the timers as singletons.
/// </summary>
internal static class WorkerHost
{
    /// <summary>
    /// Starts the worker's connection to the host after the app's own start-up work (the SQLite schema migration, the
    /// development key): hosted services start in registration order, and the worker registers its own first, so the
    /// host could otherwise load functions and invoke them — or ask the worker to stop — while the store is migrating.
    /// </summary>
    public static void ConnectToTheHostLast(IServiceCollection services)
    {
        var worker = services.Where(d => d.ServiceType == typeof(IHostedService)
            && d.ImplementationType?.Assembly.GetName().Name?.StartsWith("Microsoft.Azure.Functions.Worker", StringComparison.Ordinal) == true).ToList();
        foreach (var descriptor in worker)
        {
            services.Remove(descriptor);
            services.Add(descriptor);
        }
    }

    /// <summary>Whether the Functions host started this process (it passes its endpoint on the command line).</summary>
    public static bool IsUnderFunctionsHost(string[] args) =>
        args.Any(a => a.Equals("--functions-uri", StringComparison.OrdinalIgnoreCase) || a.StartsWith("--functions-uri=", StringComparison.OrdinalIgnoreCase))
        || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("Functions__Worker__HostEndpoint"));
}

/// <summary>
/// Worker middleware around every HTTP function: the same authoriser and problem details as standalone. A refusal
/// or a failure becomes the invocation's result, which the ASP.NET Core integration writes to the proxied response.
/// </summary>
internal sealed class HttpFunctionMiddleware(FunctionCatalog catalog, FunctionAuthorizer authorizer, ProblemMapper problems) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        if (context.GetHttpContext() is not { } http || catalog.FindHttp(context.FunctionDefinition.Name) is not { } function)
        {
            await next(context);
            return;
        }

        if (authorizer.Authorize(http, function.Access) is { } refused)
        {
            context.GetInvocationResult().Value = refused;
            return;
        }

        try
        {
            await next(context);
        }
        catch (Exception ex) when (!http.Response.HasStarted)
        {
            context.GetInvocationResult().Value = problems.ToResult(http, Unwrap(ex));
        }
    }

    private static Exception Unwrap(Exception exception) =>
        exception is System.Reflection.TargetInvocationException or AggregateException && exception.InnerException is { } inner ? Unwrap(inner) : exception;
}
