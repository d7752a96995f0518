using System.Net;
using Engagement.EndToEnd.Tests.FunctionsHost;
using Microsoft.Azure.WebJobs.Script.Grpc.Messages;

namespace Engagement.EndToEnd.Tests;

/// <summary>
/// The Functions host emulator proven on the published EmptyWorker (bench/ColdStart/EmptyWorker): start as the host
/// starts a worker, metadata and load, timers with the host's TimerInfo, HTTP by the host's routing and key rules
/// through ASP.NET Core integration, and a clean terminate. Each test runs its own worker process.
/// </summary>
public sealed class FunctionsHostEmulatorTests(PublishedEmptyWorker worker) : IClassFixture<PublishedEmptyWorker>
{
    private static readonly Dictionary<string, string> Settings = new() { ["Schedules:Tick"] = "0 */5 * * * *" };

    [Fact]
    public async Task StartAsync_PublishedWorker_StartsLikeTheHostAndListsEveryFunctionWithItsBindings()
    {
        await using var host = await FunctionsHostEmulator.StartAsync(worker.Folder, Settings);

        Assert.Contains($"Engagement.Bench.EmptyWorker.dll\" --host 127.0.0.1 --port ", host.CommandLine, StringComparison.Ordinal);
        Assert.Matches(@"--functions-uri http://127\.0\.0\.1:\d+/ --functions-worker-id [0-9a-f-]{36} --functions-request-id [0-9a-f-]{36} --functions-grpc-max-message-length 2147483647$", host.CommandLine);
        Assert.Equal(["Ping", "PingName", "Tick"], host.Functions.Select(f => f.Name));
        Assert.NotNull(host.WorkerHttpUri);
        Assert.NotNull(host.Timings.FunctionsLoaded);

        var ping = host.Function("Ping").Trigger;
        Assert.Equal(("httpTrigger", "In", "request"), (ping.Type, ping.Direction, ping.Name));
        Assert.Equal(FunctionAuthLevel.Anonymous, ping.AuthLevel);
        Assert.Equal(["get"], ping.Methods!);
        Assert.Equal("ping", ping.Route);
        Assert.Contains(host.Function("Ping").Bindings, b => b.Type == "http" && b.Direction == "Out" && b.Name == "$return");

        var pingName = host.Function("PingName").Trigger;
        Assert.Equal((FunctionAuthLevel.Function, "ping/{name}"), (pingName.AuthLevel, pingName.Route));

        var tick = host.Function("Tick");
        Assert.Equal(("timerTrigger", "timer", "%Schedules:Tick%"), (tick.Trigger.Type, tick.Trigger.Name, tick.Trigger.Schedule));
        Assert.Single(tick.Bindings);
        Assert.Empty(host.ProtocolProblems);
    }

    [Fact]
    public async Task StartAsync_ScheduleSettingMissing_FailsNamingTheFunctionAsTheHostDoes()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => FunctionsHostEmulator.StartAsync(worker.Folder, new Dictionary<string, string>()));

        Assert.Contains("The 'Tick' function is in error: '%Schedules:Tick%' does not resolve to a value.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvokeTimerAsync_HostTimerInfo_SucceedsAndTheFunctionSeesPastDue()
    {
        await using var host = await FunctionsHostEmulator.StartAsync(worker.Folder, Settings);

        var onTime = await host.InvokeTimerAsync("Tick");
        var late = await host.InvokeTimerAsync("Tick", pastDue: true);

        Assert.True(onTime.Result.Status == StatusResult.Types.Status.Success, host.Diagnostics());
        Assert.True(late.Result.Status == StatusResult.Types.Status.Success, host.Diagnostics());
        Assert.Contains(host.LogsOf(onTime.InvocationId), l => l.Message.StartsWith("Tick IsPastDue=False", StringComparison.Ordinal));
        Assert.Contains(host.LogsOf(late.InvocationId), l => l.Message.StartsWith("Tick IsPastDue=True", StringComparison.Ordinal));
        Assert.NotNull(host.Timings.FirstTimerDone);
    }

    [Fact]
    public async Task InvokeTimerWithPayloadAsync_MalformedTimerInfo_FailsTheInvocation()
    {
        await using var host = await FunctionsHostEmulator.StartAsync(worker.Folder, Settings);

        var response = await host.InvokeTimerWithPayloadAsync("Tick", "{\"Schedule\":");

        Assert.Equal(StatusResult.Types.Status.Failure, response.Result.Status);
        Assert.Contains("Cannot convert input parameter 'timer'", response.Result.Exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(host.Logs, l => l.Message.StartsWith("Tick IsPastDue", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SendAsync_AnonymousRoute_ProxiesToTheWorkerAndReturnsItsAnswer()
    {
        await using var host = await FunctionsHostEmulator.StartAsync(worker.Folder, Settings);

        var result = await host.SendAsync(new HttpRequestMessage(HttpMethod.Get, "http://localhost/api/ping"));

        Assert.True(result.Response.StatusCode == HttpStatusCode.OK, host.Diagnostics());
        Assert.Equal("pong", await result.Response.Content.ReadAsStringAsync());
        Assert.Equal(StatusResult.Types.Status.Success, result.Invocation!.Result.Status);
        Assert.Equal([result.InvocationId], host.Invocations.Select(i => i.InvocationId));
        Assert.NotNull(host.Timings.FirstHttpResponse);
    }

    [Fact]
    public async Task SendAsync_FunctionLevelRouteWithoutOrWithAWrongKey_Is401WithoutInvokingTheWorker()
    {
        await using var host = await FunctionsHostEmulator.StartAsync(worker.Folder, Settings);
        using var client = host.CreateHttpClient();
        using var wrongKey = new HttpRequestMessage(HttpMethod.Get, "/api/ping/alice");
        wrongKey.Headers.Add("x-functions-key", "not-the-key");

        var withoutKey = await client.GetAsync("/api/ping/alice");
        var withWrongKey = await client.SendAsync(wrongKey);
        var withWrongCode = await client.GetAsync("/api/ping/alice?code=not-the-key");

        Assert.Equal(HttpStatusCode.Unauthorized, withoutKey.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, withWrongKey.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, withWrongCode.StatusCode);
        Assert.Empty(host.Invocations);
    }

    [Fact]
    public async Task SendAsync_RouteParameter_ReachesTheFunctionThroughTriggerMetadata()
    {
        await using var host = await FunctionsHostEmulator.StartAsync(worker.Folder, Settings);
        using var client = host.CreateHttpClient();
        using var withHeader = new HttpRequestMessage(HttpMethod.Get, "/api/ping/alice");
        withHeader.Headers.Add("x-functions-key", host.Options.FunctionKey);

        var byHeader = await client.SendAsync(withHeader);
        var byCode = await client.GetAsync($"/api/ping/bob?code={host.Options.MasterKey}");
        var shadowedByQuery = await client.GetAsync($"/api/ping/carol?code={host.Options.FunctionKey}&name=mallory");

        Assert.True(byHeader.StatusCode == HttpStatusCode.OK, host.Diagnostics());
        Assert.Equal("pong alice", await byHeader.Content.ReadAsStringAsync());
        Assert.Equal("pong bob", await byCode.Content.ReadAsStringAsync());

        // Query parameters are binding data too; the route value is applied after them and wins, as on the host.
        Assert.Equal("pong carol", await shadowedByQuery.Content.ReadAsStringAsync());
        Assert.All(host.Invocations, i => Assert.Equal(("PingName", StatusResult.Types.Status.Success), (i.FunctionName, i.Response.Result.Status)));
    }

    [Fact]
    public async Task SendAsync_UnknownRouteOrMethod_Is404WithoutInvokingTheWorker()
    {
        await using var host = await FunctionsHostEmulator.StartAsync(worker.Folder, Settings);
        using var client = host.CreateHttpClient();

        var unknown = await client.GetAsync("/api/nothing-here");
        var withoutPrefix = await client.GetAsync("/ping");
        var wrongMethod = await client.PostAsync("/api/ping", new StringContent("{}"));

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, withoutPrefix.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, wrongMethod.StatusCode);
        Assert.Empty(host.Invocations);
    }

    [Fact]
    public async Task StopAsync_WorkerTerminate_WorkerExitsWithZero()
    {
        await using var host = await FunctionsHostEmulator.StartAsync(worker.Folder, Settings);
        Assert.Equal("pong", await (await host.CreateHttpClient().GetAsync("/api/ping")).Content.ReadAsStringAsync());

        var exitCode = await host.StopAsync();

        Assert.True(exitCode == 0, host.Diagnostics());
        Assert.True(host.WorkerCapabilities.ContainsKey("HandlesWorkerTerminateMessage"));
    }
}
