using System.Text.Json;
using Engagement.EndToEnd.Tests.FunctionsHost;
using Engagement.Tests;
using Microsoft.Azure.WebJobs.Script.Grpc.Messages;

namespace Engagement.EndToEnd.Tests;

/// <summary>
/// The host rules the emulator reproduces without a worker: metadata validation, HTTP routing in the host's order,
/// timer schedules and the TimerInfo payload. Metadata is built the way the worker sends it.
/// </summary>
public sealed class FunctionsHostEmulatorRulesTests
{
    [Fact]
    public async Task Router_OverlappingRoutes_FirstFunctionByNameWinsAndTheMismatchWithPrecedenceIsReported()
    {
        await using var router = new HttpFunctionRouter(Read(("ItemById", Http("items/{id}")), ("ItemsExport", Http("items/export"))), "api");

        var export = await router.MatchAsync("GET", "/api/items/export");
        var byId = await router.MatchAsync("GET", "/api/items/42");

        Assert.Equal(("ItemById", "export"), (export!.Function.Name, export.RouteValues["id"]));
        Assert.Equal(("ItemById", "42"), (byId!.Function.Name, byId.RouteValues["id"]));
        var reported = Assert.Single(router.OrderDecidedMatches);
        Assert.Contains("'ItemsExport'", reported, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Router_MethodsConstraintsAndOptionalParameters_AsTheHost()
    {
        var functions = Read(
            ("AnyMethod", Http("any", methods: null)),
            ("Counter", Http("counters/{id:int}/{part?}", methods: "[\"get\",\"post\"]")),
            ("Health", Http(route: null)));
        await using var router = new HttpFunctionRouter(functions, "api");

        Assert.Equal("AnyMethod", (await router.MatchAsync("DELETE", "/api/any"))?.Function.Name);
        Assert.Null(await router.MatchAsync("PUT", "/api/counters/1"));
        Assert.Null(await router.MatchAsync("GET", "/api/counters/one"));
        var counter = await router.MatchAsync("POST", "/api/counters/7");
        Assert.Equal(("Counter", "7", null), (counter!.Function.Name, counter.RouteValues["id"], counter.RouteValues["part"]));
        Assert.Equal("Health", (await router.MatchAsync("GET", "/API/health"))?.Function.Name);
        Assert.Null(await router.MatchAsync("GET", "/health"));
    }

    [Fact]
    public async Task Router_EmptyPrefix_RoutesFromTheRoot()
    {
        await using var router = new HttpFunctionRouter(Read(("Ping", Http("ping"))), string.Empty);

        Assert.Equal("Ping", (await router.MatchAsync("GET", "/ping"))?.Function.Name);
        Assert.Null(await router.MatchAsync("GET", "/api/ping"));
    }

    [Theory]
    [InlineData("items", "[\"get\"]", "items/", "[\"GET\",\"post\"]", "conflicts with the route defined by function 'A'")]
    [InlineData("items", null, "items", "[\"delete\"]", "conflicts with the route defined by function 'A'")]
    [InlineData("admin/stats", "[\"get\"]", "ok", "[\"get\"]", "conflicts with one or more built in routes")]
    public void Read_RoutesTheHostRefuses_FailNamingTheFunction(string routeA, string? methodsA, string routeB, string methodsB, string expected)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Read(("A", Http(routeA, methodsA)), ("B", Http(routeB, methodsB))));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_SameRouteDifferentMethods_IsAllowed() =>
        Assert.Equal(2, Read(("A", Http("items", "[\"get\"]")), ("B", Http("items", "[\"post\"]"))).Count);

    [Fact]
    public void Read_NoTriggerOrBadName_Fails()
    {
        Assert.Contains("No trigger binding specified", Assert.Throws<InvalidOperationException>(() => Read(("A", """{"name":"$return","type":"http","direction":"Out"}"""))).Message, StringComparison.Ordinal);
        Assert.Contains("is not a valid function name", Assert.Throws<InvalidOperationException>(() => Read(("host", Http("x")))).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0 */5 * * *")]
    [InlineData("00:05:00")]
    [InlineData("not a schedule at all")]
    public void TimerSchedule_NotSixFieldNcrontab_IsRefused(string schedule)
    {
        var tick = Read(("Tick", Timer("%Schedules:Tick%"))).Single();

        var error = Assert.Throws<InvalidOperationException>(() => TimerSchedule.Create(tick, new Dictionary<string, string> { ["Schedules:Tick"] = schedule }, TimeProvider.System));

        Assert.Contains("is not a 6-field NCRONTAB expression", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TimerSchedule_Payload_IsTheHostsTimerInfoAndMovesOnAfterARun()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 11, 30, 20, 17, 3, TimeSpan.Zero));
        var schedule = TimerSchedule.Create(Read(("Tick", Timer("%Schedules:Tick%"))).Single(), new Dictionary<string, string> { ["Schedules:Tick"] = "0 */5 * * * *" }, clock);

        var first = JsonDocument.Parse(schedule.NextPayload(pastDue: false)).RootElement;
        schedule.Completed(clock.GetLocalNow());
        var second = JsonDocument.Parse(schedule.NextPayload(pastDue: true)).RootElement;

        Assert.True(first.GetProperty("Schedule").GetProperty("AdjustForDST").GetBoolean());
        Assert.Equal(("0001-01-01T00:00:00+00:00", "2026-11-30T20:20:00+00:00"), (first.GetProperty("ScheduleStatus").GetProperty("Last").GetString(), first.GetProperty("ScheduleStatus").GetProperty("Next").GetString()));
        Assert.False(first.GetProperty("IsPastDue").GetBoolean());
        Assert.Equal(("2026-11-30T20:17:03+00:00", "2026-11-30T20:20:00+00:00"), (second.GetProperty("ScheduleStatus").GetProperty("Last").GetString(), second.GetProperty("ScheduleStatus").GetProperty("Next").GetString()));
        Assert.True(second.GetProperty("IsPastDue").GetBoolean());
        Assert.Equal("11/30/2026 20:17:03", schedule.BindingDataNow());
    }

    [Theory]
    [InlineData("*/10 * * * * *", true, false)]
    [InlineData("0 * * * * *", true, true)]
    [InlineData("0 0 * * * *", false, false)]
    public void TimerSchedule_WithoutMonitor_SendsNoScheduleStatus(string expression, bool useMonitor, bool expectStatus)
    {
        var timer = Read(("Tick", Timer(expression, useMonitor))).Single();

        var payload = JsonDocument.Parse(TimerSchedule.Create(timer, new Dictionary<string, string>(), TimeProvider.System).NextPayload(pastDue: false)).RootElement;

        Assert.Equal(expectStatus, payload.GetProperty("ScheduleStatus").ValueKind == JsonValueKind.Object);
    }

    private static List<WorkerFunction> Read(params (string Name, string Binding)[] functions)
    {
        var response = new FunctionMetadataResponse { Result = new StatusResult { Status = StatusResult.Types.Status.Success } };
        foreach (var (name, binding) in functions)
        {
            var metadata = new RpcFunctionMetadata { Name = name, FunctionId = Guid.NewGuid().ToString(), EntryPoint = $"App.{name}", ScriptFile = "App.dll" };
            metadata.RawBindings.Add(binding);
            response.FunctionMetadataResults.Add(metadata);
        }

        return [.. WorkerFunction.Read(response, new Dictionary<string, string>())];
    }

    private static string Http(string? route, string? methods = "[\"get\"]")
    {
        var binding = new Dictionary<string, object?> { ["name"] = "req", ["type"] = "httpTrigger", ["direction"] = "In", ["authLevel"] = "Function", ["route"] = route };
        if (methods is not null)
        {
            binding["methods"] = JsonDocument.Parse(methods).RootElement;
        }

        return JsonSerializer.Serialize(binding);
    }

    private static string Timer(string schedule, bool useMonitor = true) =>
        JsonSerializer.Serialize(new { name = "timer", type = "timerTrigger", direction = "In", schedule, useMonitor });
}
