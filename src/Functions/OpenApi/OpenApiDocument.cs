using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization.Metadata;
using Engagement.Functions.Hosting;
using Engagement.Functions.Security;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace Engagement.Functions.OpenApi;

/// <summary>Declares the bodies an HTTP function reads, for its OpenAPI description.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
internal sealed class AcceptsAttribute(Type type, params string[] contentTypes) : Attribute
{
    public Type Type { get; } = type;

    public IReadOnlyList<string> ContentTypes { get; } = contentTypes;
}

/// <summary>
/// The OpenAPI 3.1 document of the HTTP functions, built from their declarations (route, methods, access, summary,
/// tags, accepted bodies, typed results) — so it is the same, and complete, under the Functions host and standalone.
/// Schemas come from System.Text.Json's exporter with the web defaults the app serialises with.
/// </summary>
internal static class OpenApiDocument
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web) { TypeInfoResolver = new DefaultJsonTypeInfoResolver() };
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static string Build(FunctionCatalog catalog)
    {
        var schemas = new JsonObject();
        var paths = new JsonObject();
        foreach (var function in catalog.Http.Where(f => f.Method.GetCustomAttribute<ExcludeFromDescriptionAttribute>() is null))
        {
            var path = "/" + string.Join('/', function.Pattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
            {
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternLiteralPart literal => literal.Content,
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart parameter => "{" + parameter.Name + "}",
                _ => string.Empty,
            }))));
            var item = paths[path] as JsonObject ?? [];
            paths[path] = item;
            foreach (var method in function.Methods)
            {
                item[method] = Operation(function, schemas);
            }
        }

        var document = new JsonObject
        {
            ["openapi"] = "3.1.1",
            ["info"] = new JsonObject
            {
                ["title"] = "EngagementFunctions",
                ["version"] = "v1",
                ["description"] = "Attendance, rosters and forms of community partnerships in; disengagement risk, alerts and the analysts' star schema out. Send an API key as 'Authorization: Bearer <key>' (or 'x-functions-key').",
            },
            ["paths"] = paths,
            ["components"] = new JsonObject
            {
                ["schemas"] = schemas,
                ["securitySchemes"] = new JsonObject
                {
                    ["apiKey"] = new JsonObject { ["type"] = "http", ["scheme"] = "bearer", ["description"] = "An API key of the app (Auth:ApiKeys)." },
                    ["functionsKey"] = new JsonObject { ["type"] = "apiKey", ["in"] = "header", ["name"] = "x-functions-key", ["description"] = "The same API key, or under the Functions host its function key." },
                },
            },
        };
        return document.ToJsonString(Indented);
    }

    private static JsonObject Operation(HttpFunction function, JsonObject schemas)
    {
        var method = function.Method;
        var operation = new JsonObject { ["operationId"] = function.Name };
        if (method.GetCustomAttribute<EndpointSummaryAttribute>() is { } summary)
        {
            operation["summary"] = summary.Summary;
        }

        if (method.GetCustomAttribute<EndpointDescriptionAttribute>() is { } description)
        {
            operation["description"] = description.Description;
        }

        var tags = method.GetCustomAttribute<TagsAttribute>() ?? method.DeclaringType!.GetCustomAttribute<TagsAttribute>();
        operation["tags"] = new JsonArray([.. (tags?.Tags ?? [method.DeclaringType!.Name.Replace("Functions", string.Empty, StringComparison.Ordinal)]).Select(t => (JsonNode)t)]);
        var parameters = new JsonArray();
        foreach (var parameter in function.Pattern.Parameters)
        {
            parameters.Add(new JsonObject { ["name"] = parameter.Name, ["in"] = "path", ["required"] = true, ["schema"] = new JsonObject { ["type"] = "string" } });
        }

        if (parameters.Count > 0)
        {
            operation["parameters"] = parameters;
        }

        if (method.GetCustomAttribute<AcceptsAttribute>() is { } accepts)
        {
            var content = new JsonObject();
            foreach (var contentType in accepts.ContentTypes)
            {
                content[contentType] = new JsonObject { ["schema"] = contentType.EndsWith("json", StringComparison.Ordinal) ? SchemaRef(accepts.Type, schemas) : new JsonObject { ["type"] = "string" } };
            }

            operation["requestBody"] = new JsonObject { ["required"] = true, ["content"] = content };
        }

        operation["responses"] = Responses(function, schemas);
        if (function.Access.Policy != AccessPolicy.Anonymous)
        {
            operation["security"] = new JsonArray(new JsonObject { ["apiKey"] = new JsonArray() }, new JsonObject { ["functionsKey"] = new JsonArray() });
        }

        return operation;
    }

    private static JsonObject Responses(HttpFunction function, JsonObject schemas)
    {
        var responses = new JsonObject();
        foreach (var produced in Produced(function.Method))
        {
            var response = new JsonObject { ["description"] = Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(produced.StatusCode) };
            if (produced.Type is { } type && type != typeof(void))
            {
                var content = new JsonObject();
                foreach (var contentType in produced.ContentTypes.DefaultIfEmpty("application/json"))
                {
                    content[contentType] = new JsonObject { ["schema"] = SchemaRef(type, schemas) };
                }

                response["content"] = content;
            }

            responses[produced.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture)] = response;
        }

        void Problem(int status, string description)
        {
            if (!responses.ContainsKey(status.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            {
                responses[status.ToString(System.Globalization.CultureInfo.InvariantCulture)] = new JsonObject
                {
                    ["description"] = description,
                    ["content"] = new JsonObject { ["application/problem+json"] = new JsonObject { ["schema"] = SchemaRef(typeof(HttpValidationProblemDetails), schemas) } },
                };
            }
        }

        if (function.Method.GetCustomAttribute<AcceptsAttribute>() is not null || function.Pattern.Parameters.Count > 0)
        {
            Problem(StatusCodes.Status400BadRequest, "A field is missing or invalid; 'errors' names it. Nothing was stored.");
        }

        if (function.Access.Policy != AccessPolicy.Anonymous)
        {
            Problem(StatusCodes.Status401Unauthorized, "No API key, or an unknown one.");
            Problem(StatusCodes.Status403Forbidden, "The key's roles or partnerships do not allow this.");
        }

        if (function.Pattern.Parameters.Count > 0)
        {
            Problem(StatusCodes.Status404NotFound, "No such record.");
        }

        if (responses.Count == 0)
        {
            responses["200"] = new JsonObject { ["description"] = "OK" };
        }

        return responses;
    }

    /// <summary>The responses a function's typed result declares, as minimal APIs read them (IEndpointMetadataProvider).</summary>
    private static IEnumerable<(int StatusCode, Type? Type, IReadOnlyList<string> ContentTypes)> Produced(MethodInfo method)
    {
        if (method.GetCustomAttribute<ProducesAttribute>() is { } produces)
        {
            yield return (produces.StatusCode, typeof(string), [.. produces.ContentTypes]);
            yield break;
        }

        var type = method.ReturnType.IsGenericType && method.ReturnType.GetGenericTypeDefinition() == typeof(Task<>) ? method.ReturnType.GetGenericArguments()[0] : method.ReturnType;
        if (!typeof(IEndpointMetadataProvider).IsAssignableFrom(type))
        {
            yield break;
        }

        var builder = new RouteEndpointBuilder(_ => Task.CompletedTask, Microsoft.AspNetCore.Routing.Patterns.RoutePatternFactory.Parse("/"), 0);
        typeof(OpenApiDocument).GetMethod(nameof(Populate), BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(type).Invoke(null, [method, builder]);
        foreach (var metadata in builder.Metadata.OfType<IProducesResponseTypeMetadata>())
        {
            yield return (metadata.StatusCode, metadata.Type, [.. metadata.ContentTypes]);
        }
    }

    private static void Populate<T>(MethodInfo method, EndpointBuilder builder)
        where T : IEndpointMetadataProvider => T.PopulateMetadata(method, builder);

    private static JsonNode SchemaRef(Type type, JsonObject schemas)
    {
        if (type == typeof(JsonElement))
        {
            return new JsonObject();
        }

        var element = type.IsArray ? type.GetElementType()
            : type.IsGenericType && type.GetGenericArguments().Length == 1 && typeof(System.Collections.IEnumerable).IsAssignableFrom(type) ? type.GetGenericArguments()[0]
            : null;
        if (element is not null)
        {
            return new JsonObject { ["type"] = "array", ["items"] = SchemaRef(element, schemas) };
        }

        if (type == typeof(string) || type.IsPrimitive || (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>)))
        {
            return JsonSchemaExporter.GetJsonSchemaAsNode(Web, type);
        }

        var name = type.Name;
        if (!schemas.ContainsKey(name))
        {
            schemas[name] = JsonSchemaExporter.GetJsonSchemaAsNode(Web, type, new JsonSchemaExporterOptions { TreatNullObliviousAsNonNullable = true });
        }

        return new JsonObject { ["$ref"] = "#/components/schemas/" + name };
    }
}
