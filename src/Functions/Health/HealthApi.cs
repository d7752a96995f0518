using Engagement.Core.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Engagement.Functions.Health;

internal static class HealthApi
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/health", GetHealthAsync).AllowAnonymous().WithName("GetHealth").WithTags("Health");
        return app;
    }

    internal sealed record HealthResponse(string Status, string Store, string Detail);

    private static async Task<Results<Ok<HealthResponse>, JsonHttpResult<HealthResponse>>> GetHealthAsync(IEngagementStore store, CancellationToken cancellationToken)
    {
        var health = await store.CheckHealthAsync(cancellationToken);
        var body = new HealthResponse(health.Healthy ? "healthy" : "unhealthy", health.Provider, health.Healthy ? "store answers" : "store does not answer");
        return health.Healthy ? TypedResults.Ok(body) : TypedResults.Json(body, statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}
