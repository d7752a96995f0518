namespace Engagement.Functions.Hosting;

/// <summary>
/// The two ways the app runs. Under the Azure Functions host (<c>FUNCTIONS_CUSTOMHANDLER_PORT</c> set) it listens
/// on 127.0.0.1 at that port and the host invokes the timers; standalone it listens on http://localhost:7071
/// (unless URLs are configured) and runs the timers itself.
/// </summary>
internal static class HostingExtensions
{
    public const string CustomHandlerPortVariable = "FUNCTIONS_CUSTOMHANDLER_PORT";
    public const string StandaloneUrl = "http://localhost:7071";

    public static WebApplicationBuilder AddHosting(this WebApplicationBuilder builder)
    {
        var mode = HostingMode.Detect(builder.Configuration);
        builder.Services.AddSingleton(mode);
        if (mode.UnderFunctionsHost)
        {
            builder.WebHost.UseUrls($"http://127.0.0.1:{mode.Port}");
        }
        else if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]) && string.IsNullOrEmpty(builder.Configuration["HTTP_PORTS"]))
        {
            builder.WebHost.UseUrls(StandaloneUrl);
        }

        return builder;
    }

    public static IEndpointRouteBuilder MapHosting(this IEndpointRouteBuilder app)
    {
        // The Functions host polls GET / until any answer comes back; standalone it tells a visitor where to go.
        app.MapGet("/", (HostingMode mode) => TypedResults.Ok(new
        {
            service = "EngagementFunctions",
            mode = mode.UnderFunctionsHost ? "custom-handler" : "standalone",
            health = "/api/health",
            openApi = "/api/openapi/v1.json",
        })).AllowAnonymous().ExcludeFromDescription();
        return app;
    }
}

/// <summary>Whether the app runs under the Functions host, and on which port.</summary>
internal sealed record HostingMode(bool UnderFunctionsHost, int? Port)
{
    public static HostingMode Detect(IConfiguration configuration)
    {
        var value = configuration[HostingExtensions.CustomHandlerPortVariable];
        if (string.IsNullOrWhiteSpace(value))
        {
            return new HostingMode(false, null);
        }

        return int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536
            ? new HostingMode(true, port)
            : throw new InvalidOperationException($"{HostingExtensions.CustomHandlerPortVariable} must be a TCP port number, not '{value}'.");
    }
}
