using System.Text.Json;
using Engagement.Functions.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NCrontab;

namespace Engagement.Functions.Tests.Hosting;

public sealed class FunctionRegistryTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"functions-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static readonly IConfiguration NoSettings = new ConfigurationBuilder().Build();

    private JsonElement Read(params string[] path) => JsonDocument.Parse(File.ReadAllText(Path.Combine([_directory, .. path]))).RootElement;

    [Fact]
    public void Write_HostJson_DeclaresCustomHandlerWithForwarding()
    {
        FunctionMetadataWriter.Write(_directory, NoSettings);
        var host = Read("host.json");

        Assert.Equal("2.0", host.GetProperty("version").GetString());
        var handler = host.GetProperty("customHandler");
        Assert.True(handler.GetProperty("enableForwardingHttpRequest").GetBoolean());
        Assert.Equal("dotnet", handler.GetProperty("description").GetProperty("defaultExecutablePath").GetString());
        Assert.Equal("Engagement.Functions.dll", handler.GetProperty("description").GetProperty("arguments")[0].GetString());
        Assert.Equal("api", host.GetProperty("extensions").GetProperty("http").GetProperty("routePrefix").GetString());
    }

    [Fact]
    public void Write_OneFolderPerRegisteredFunction_AndNothingElse()
    {
        FunctionMetadataWriter.Write(_directory, NoSettings);
        var folders = Directory.GetDirectories(_directory).Select(Path.GetFileName).Order(StringComparer.Ordinal);
        Assert.Equal(FunctionRegistry.Names.Order(StringComparer.Ordinal), folders);
        Assert.All(FunctionRegistry.Names, name => Assert.True(File.Exists(Path.Combine(_directory, name, "function.json")), name));
    }

    [Fact]
    public void Write_HttpFunctionJson_MatchesRegistryAndDocumentedSchema()
    {
        FunctionMetadataWriter.Write(_directory, NoSettings);
        foreach (var function in FunctionRegistry.Http)
        {
            var bindings = Read(function.Name, "function.json").GetProperty("bindings");
            Assert.Equal(2, bindings.GetArrayLength());
            var trigger = bindings[0];
            Assert.Equal("httpTrigger", trigger.GetProperty("type").GetString());
            Assert.Equal("in", trigger.GetProperty("direction").GetString());
            Assert.Equal("req", trigger.GetProperty("name").GetString());
            Assert.Contains(trigger.GetProperty("authLevel").GetString(), new[] { "anonymous", "function", "admin" });
            Assert.Equal(function.AuthLevel.ToString().ToLowerInvariant(), trigger.GetProperty("authLevel").GetString());
            Assert.Equal(function.Methods, trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()));
            Assert.Equal(function.Route, trigger.GetProperty("route").GetString());
            Assert.False(function.Route.StartsWith("api/", StringComparison.Ordinal), "the host adds the /api prefix itself");
            var output = bindings[1];
            Assert.Equal("http", output.GetProperty("type").GetString());
            Assert.Equal("out", output.GetProperty("direction").GetString());
            Assert.Equal("res", output.GetProperty("name").GetString());
        }
    }

    [Fact]
    public void Write_TimerFunctionJson_HasASixFieldSchedule()
    {
        FunctionMetadataWriter.Write(_directory, NoSettings);
        foreach (var timer in FunctionRegistry.Timers)
        {
            var binding = Assert.Single(Read(timer.Name, "function.json").GetProperty("bindings").EnumerateArray());
            Assert.Equal("timerTrigger", binding.GetProperty("type").GetString());
            Assert.Equal("in", binding.GetProperty("direction").GetString());
            Assert.False(binding.GetProperty("runOnStartup").GetBoolean());
            var schedule = binding.GetProperty("schedule").GetString()!;
            Assert.Equal(timer.Schedule, schedule);
            Assert.Equal(6, schedule.Split(' ').Length);
            Assert.NotNull(CrontabSchedule.TryParse(schedule, new CrontabSchedule.ParseOptions { IncludingSeconds = true }));
        }
    }

    [Fact]
    public void Write_ScheduleSetting_OverridesTheDefault()
    {
        var settings = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Functions:Schedules:PurgeExpiredData"] = "0 0 1 * * 0" }).Build();
        FunctionMetadataWriter.Write(_directory, settings);
        Assert.Equal("0 0 1 * * 0", Read("PurgeExpiredData", "function.json").GetProperty("bindings")[0].GetProperty("schedule").GetString());
    }

    [Fact]
    public async Task EveryApiEndpoint_IsServedByARegisteredHttpFunction()
    {
        await using var app = new EngagementApp();
        _ = app.CreateClient();
        var endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api", StringComparison.Ordinal) == true)
            .ToList();
        Assert.NotEmpty(endpoints);

        foreach (var endpoint in endpoints)
        {
            var path = endpoint.RoutePattern.RawText!.TrimStart('/')["api/".Length..];
            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? [];
            var function = FunctionRegistry.Http.FirstOrDefault(f => Covers(f.Route, path));
            Assert.True(function is not null, $"No HTTP function routes /api/{path}");
            Assert.All(methods, m => Assert.Contains(m.ToLowerInvariant(), function!.Methods));
        }
    }

    [Fact]
    public async Task TimerRoutes_ExistForEveryRegisteredTimer()
    {
        await using var app = new EngagementApp(underFunctionsHost: true);
        _ = app.CreateClient();
        var patterns = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().Select(e => e.RoutePattern.RawText).ToList();
        Assert.All(FunctionRegistry.Timers, t => Assert.Contains("/" + t.Name, patterns));
    }

    private static bool Covers(string functionRoute, string path)
    {
        var catchAll = functionRoute.IndexOf("/{*", StringComparison.Ordinal);
        if (catchAll < 0)
        {
            return string.Equals(functionRoute, path, StringComparison.Ordinal);
        }

        var prefix = functionRoute[..catchAll];
        return path == prefix || path.StartsWith(prefix + "/", StringComparison.Ordinal);
    }
}
