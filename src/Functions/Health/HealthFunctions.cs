using Engagement.Core.Storage;
using Engagement.Functions.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;

namespace Engagement.Functions.Health;

internal sealed record HealthResponse(string Status, string Store, string Detail);

/// <summary>Whether the app and its store answer; anonymous, for probes and monitors.</summary>
[Tags("Health")]
internal sealed class HealthFunctions(IStoreHealth storeHealth)
{
    [Function("Health")]
    [Access(AccessPolicy.Anonymous)]
    [EndpointSummary("200 when the store answers, 503 when it does not.")]
    public async Task<Results<Ok<HealthResponse>, JsonHttpResult<HealthResponse>>> Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request, CancellationToken cancellationToken)
    {
        var health = await storeHealth.CheckHealthAsync(cancellationToken);
        var body = new HealthResponse(health.Healthy ? "healthy" : "unhealthy", health.Provider, health.Healthy ? "store answers" : "store does not answer");
        return health.Healthy ? TypedResults.Ok(body) : TypedResults.Json(body, statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}
