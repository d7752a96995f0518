using System.Text.Json;
using System.Text.Json.Nodes;

namespace Engagement.Functions.Hosting;

/// <summary>
/// Writes the files the Azure Functions host reads to run this app as a custom handler: <c>host.json</c> and one
/// <c>{Name}/function.json</c> per function in <see cref="FunctionRegistry"/>.
/// </summary>
internal static class FunctionMetadataWriter
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static JsonObject HostJson(string executable, IReadOnlyList<string> arguments) => new()
    {
        ["version"] = "2.0",
        ["logging"] = new JsonObject
        {
            ["applicationInsights"] = new JsonObject
            {
                ["samplingSettings"] = new JsonObject { ["isEnabled"] = true, ["excludedTypes"] = "Request" },
            },
        },
        ["extensionBundle"] = new JsonObject
        {
            ["id"] = "Microsoft.Azure.Functions.ExtensionBundle",
            ["version"] = "[4.*, 5.0.0)",
        },
        ["extensions"] = new JsonObject
        {
            ["http"] = new JsonObject { ["routePrefix"] = FunctionRegistry.RoutePrefix },
        },
        ["customHandler"] = new JsonObject
        {
            ["description"] = new JsonObject
            {
                ["defaultExecutablePath"] = executable,
                ["arguments"] = new JsonArray([.. arguments.Select(a => (JsonNode)JsonValue.Create(a))]),
            },
            ["enableForwardingHttpRequest"] = true,
        },
    };

    public static JsonObject FunctionJson(HttpFunction function) => new()
    {
        ["bindings"] = new JsonArray(
            new JsonObject
            {
                ["type"] = "httpTrigger",
                ["direction"] = "in",
                ["name"] = "req",
                ["authLevel"] = function.AuthLevel.ToString().ToLowerInvariant(),
                ["methods"] = new JsonArray([.. function.Methods.Select(m => (JsonNode)JsonValue.Create(m))]),
                ["route"] = function.Route,
            },
            new JsonObject { ["type"] = "http", ["direction"] = "out", ["name"] = "res" }),
    };

    public static JsonObject FunctionJson(TimerFunction function, IConfiguration configuration) => new()
    {
        ["bindings"] = new JsonArray(
            new JsonObject
            {
                ["type"] = "timerTrigger",
                ["direction"] = "in",
                ["name"] = "timer",
                ["schedule"] = function.ScheduleFrom(configuration),
                ["runOnStartup"] = false,
                ["useMonitor"] = true,
            }),
    };

    /// <summary>Writes host.json and the function folders into <paramref name="directory"/>; returns the files written.</summary>
    public static IReadOnlyList<string> Write(string directory, IConfiguration configuration, string executable = "dotnet", IReadOnlyList<string>? arguments = null)
    {
        Directory.CreateDirectory(directory);
        var written = new List<string>();
        void Save(string path, JsonNode node)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, node.ToJsonString(Indented) + "\n");
            written.Add(path);
        }

        Save(Path.Combine(directory, "host.json"), HostJson(executable, arguments ?? ["Engagement.Functions.dll"]));
        foreach (var function in FunctionRegistry.Http)
        {
            Save(Path.Combine(directory, function.Name, "function.json"), FunctionJson(function));
        }

        foreach (var function in FunctionRegistry.Timers)
        {
            Save(Path.Combine(directory, function.Name, "function.json"), FunctionJson(function, configuration));
        }

        return written;
    }
}
