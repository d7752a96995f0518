using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Constraints;
using Microsoft.AspNetCore.Routing.Template;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Primitives;

namespace Engagement.EndToEnd.Tests.FunctionsHost;

/// <summary>A request matched to an HTTP function, with its route values (strings; an unused optional one is null).</summary>
internal sealed record HttpRouteMatch(WorkerFunction Function, IReadOnlyDictionary<string, string?> RouteValues);

/// <summary>
/// The host's HTTP routing (WebScriptHostHttpRoutesManager): one ASP.NET Core <see cref="Route"/> per HTTP function,
/// template <c>{routePrefix}/{route}</c> (route = function name when empty), an <see cref="HttpMethodRouteConstraint"/>
/// when methods are declared, registered in the order of the function names and matched first-come: a route that
/// matches wins even when a later one is more specific. A wrong method is no match (404, not 405).
/// </summary>
internal sealed class HttpFunctionRouter : IAsyncDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddLogging().AddRouting().BuildServiceProvider();
    private readonly List<(WorkerFunction Function, Route Route, RouteTemplate Template)> _routes = [];
    private readonly List<string> _orderDecided = [];
    private readonly Lock _gate = new();

    public HttpFunctionRouter(IEnumerable<WorkerFunction> functions, string routePrefix)
    {
        RoutePrefix = routePrefix;
        var resolver = _services.GetRequiredService<IInlineConstraintResolver>();
        foreach (var function in functions.Where(f => f.IsHttp))
        {
            var route = string.IsNullOrEmpty(function.Trigger.Route) ? function.Name : function.Trigger.Route;
            var template = string.IsNullOrEmpty(routePrefix) ? route : $"{routePrefix}/{route}";
            var constraints = new Dictionary<string, object>();
            if (function.Trigger.Methods is { } methods)
            {
                constraints.Add("httpMethod", new HttpMethodRouteConstraint([.. methods]));
            }

            var handler = new RouteHandler(_ => Task.CompletedTask);
            _routes.Add((function, new Route(handler, function.Name, template, null, constraints, null, resolver), TemplateParser.Parse(template)));
        }
    }

    public string RoutePrefix { get; }

    /// <summary>
    /// Requests where the host's first-come order picked a route that ASP.NET Core's precedence (literal before
    /// parameter before catch-all) would not have: the app relies on luck of naming there.
    /// </summary>
    public IReadOnlyList<string> OrderDecidedMatches
    {
        get
        {
            lock (_gate)
            {
                return [.. _orderDecided];
            }
        }
    }

    /// <summary>The host's prefix: host.json <c>extensions.http.routePrefix</c>, "api" when absent.</summary>
    public static string ReadRoutePrefix(string appFolder)
    {
        var path = Path.Combine(appFolder, "host.json");
        if (!File.Exists(path))
        {
            return "api";
        }

        using var hostJson = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        return hostJson.RootElement.TryGetProperty("extensions", out var extensions)
            && extensions.TryGetProperty("http", out var http)
            && http.TryGetProperty("routePrefix", out var prefix)
            && prefix.ValueKind == JsonValueKind.String
            ? prefix.GetString()!.Trim('/')
            : "api";
    }

    public async Task<HttpRouteMatch?> MatchAsync(string method, PathString path)
    {
        HttpRouteMatch? first = null;
        var firstPrecedence = 0m;
        var best = (Name: (string?)null, Precedence: decimal.MaxValue);
        foreach (var (function, route, template) in _routes)
        {
            var context = new DefaultHttpContext { RequestServices = _services };
            context.Request.Method = method;
            context.Request.Path = path;
            var routeContext = new RouteContext(context);
            await route.RouteAsync(routeContext);
            if (routeContext.Handler is null)
            {
                continue;
            }

            var precedence = RoutePrecedence.ComputeInbound(template);
            if (precedence < best.Precedence)
            {
                best = (function.Name, precedence);
            }

            if (first is null)
            {
                first = new HttpRouteMatch(function, Values(routeContext.RouteData.Values, template));
                firstPrecedence = precedence;
            }
        }

        if (first is not null && best.Name != first.Function.Name && best.Precedence < firstPrecedence)
        {
            lock (_gate)
            {
                _orderDecided.Add($"{method} {path}: the host runs '{first.Function.Name}' (registered first), ASP.NET Core precedence would pick '{best.Name}'");
            }
        }

        return first;
    }

    /// <summary>
    /// The host's key check (AuthenticationLevelHandler, FunctionInvocationMiddleware.RequiresAuthz): the key comes
    /// from <c>x-functions-key</c>, else <c>?code=</c>; a function key gives level Function, the master key Admin.
    /// Anonymous functions always pass; User and System levels need what the emulator has not (App Service
    /// authentication, system keys) and fail.
    /// </summary>
    public static bool IsAuthorized(FunctionAuthLevel required, HttpRequestMessage request, IReadOnlyDictionary<string, StringValues> query, FunctionsHostOptions options)
    {
        if (required == FunctionAuthLevel.Anonymous)
        {
            return true;
        }

        var granted = KeyLevel(request, query, options);
        return required switch
        {
            FunctionAuthLevel.Function => granted is FunctionAuthLevel.Function or FunctionAuthLevel.Admin,
            FunctionAuthLevel.Admin => granted is FunctionAuthLevel.Admin,
            _ => false,
        };
    }

    public static FunctionAuthLevel KeyLevel(HttpRequestMessage request, IReadOnlyDictionary<string, StringValues> query, FunctionsHostOptions options)
    {
        var key = request.Headers.TryGetValues("x-functions-key", out var values) ? values.FirstOrDefault()
            : query.TryGetValue("code", out var code) ? code.FirstOrDefault()
            : null;
        return key == options.MasterKey ? FunctionAuthLevel.Admin
            : key == options.FunctionKey ? FunctionAuthLevel.Function
            : FunctionAuthLevel.Anonymous;
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();

    // FunctionInvocationMiddleware.PopulateRouteData: the matched values, plus optional parameters left unused (null).
    private static Dictionary<string, string?> Values(RouteValueDictionary values, RouteTemplate template)
    {
        var result = values.ToDictionary(v => v.Key, v => v.Value?.ToString(), StringComparer.OrdinalIgnoreCase);
        foreach (var parameter in template.Parameters.Where(p => p.IsOptional && p.DefaultValue is null))
        {
            result.TryAdd(parameter.Name!, null);
        }

        return result;
    }
}
