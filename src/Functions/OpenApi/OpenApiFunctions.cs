using Engagement.Functions.Hosting;
using Engagement.Functions.Security;
using Microsoft.Azure.Functions.Worker;

namespace Engagement.Functions.OpenApi;

/// <summary>Serves the OpenAPI document, built once from the function declarations.</summary>
internal sealed class OpenApiFunctions
{
    private static readonly Lazy<string> Document = new(() => OpenApiDocument.Build(FunctionCatalog.App));

    // Documentation holds no data: served without a key, so tools (and people) can read it before they have one.
    [Function("OpenApi")]
    [Access(AccessPolicy.Anonymous)]
    [ExcludeFromDescription]
    public IResult Get([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "openapi/v1.json")] HttpRequest request) =>
        Results.Text(Document.Value, "application/json; charset=utf-8");
}
