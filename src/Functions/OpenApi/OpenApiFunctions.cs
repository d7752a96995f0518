using Engagement.Functions.Hosting;
using Engagement.Functions.Security;
using Microsoft.Azure.Functions.Worker;

namespace Engagement.Functions.OpenApi;

/// <summary>Serves the OpenAPI document, built once from the function declarations.</summary>
internal sealed class OpenApiFunctions
{
    private static readonly Lazy<string> Document = new(() => OpenApiDocument.Build(FunctionCatalog.App));

    [Function("OpenApi")]
    [Access(AccessPolicy.AnyKey)]
    [ExcludeFromDescription]
    public IResult Get([HttpTrigger(AuthorizationLevel.Function, "get", Route = "openapi/v1.json")] HttpRequest request) =>
        Results.Text(Document.Value, "application/json; charset=utf-8");
}
