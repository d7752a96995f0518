using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Engagement.EndToEnd.Tests;

/// <summary>The built app, driven exactly as the Azure Functions host drives a custom handler.</summary>
public sealed class CustomHandlerTests
{
    private const string Key = "e2e-admin-key-0123456789";

    private static Dictionary<string, string> HostEnvironment(int port) => new()
    {
        ["FUNCTIONS_CUSTOMHANDLER_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["FUNCTIONS_CUSTOMHANDLER_WORKER_ID"] = Guid.NewGuid().ToString(),
        ["FUNCTIONS_HTTPWORKER_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["FUNCTIONS_WORKER_RUNTIME"] = "custom",
        ["Auth__ApiKeys__0__Name"] = "e2e",
        ["Auth__ApiKeys__0__Hash"] = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Key))),
        ["Auth__ApiKeys__0__Roles__0"] = "admin",
    };

    /// <summary>A request as the host forwards it with enableForwardingHttpRequest: original path and headers, plus its own.</summary>
    private static HttpRequestMessage Forwarded(HttpMethod method, string path, string? json = null)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("X-Azure-Functions-InvocationId", Guid.NewGuid().ToString());
        request.Headers.Add("X-Azure-Functions-HostVersion", "4.1040.0");
        request.Headers.UserAgent.ParseAdd("Azure-Functions-Host/4.1040.0");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        return request;
    }

    private static async Task<JsonElement> ExpectAsync(AppProcess app, HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"{(int)response.StatusCode} {text}\n--- app output ---\n{app.Output}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    [Fact]
    public async Task UnderTheHost_ReadinessForwardedRequestsAndTimerInvocation_Work()
    {
        var port = AppProcess.FreePort();
        await using var app = AppProcess.Start(HostEnvironment(port));

        var root = await ExpectAsync(app, await app.WaitUntilReadyAsync(), HttpStatusCode.OK);
        Assert.Equal("custom-handler", root.GetProperty("mode").GetString());
        Assert.Contains($"http://127.0.0.1:{port}", app.Output, StringComparison.Ordinal);

        await ExpectAsync(app, await app.Client.SendAsync(Forwarded(HttpMethod.Put, "/api/partnerships/e2e", """{"name":"Réseau de proximité","language":"fr"}""")), HttpStatusCode.Created);
        await ExpectAsync(app, await app.Client.SendAsync(Forwarded(HttpMethod.Post, "/api/partnerships/e2e/people", """[{"id":"ana","displayName":"Ana"},{"id":"bo","displayName":"Bo"}]""")), HttpStatusCode.OK);
        await ExpectAsync(app, await app.Client.SendAsync(Forwarded(HttpMethod.Post, "/api/partnerships/e2e/meetings", """[{"id":"m1","start":"2026-09-10T18:00:00-04:00","end":"2026-09-10T20:00:00-04:00"}]""")), HttpStatusCode.OK);
        var batch = """{"partnershipId":"e2e","records":[{"meetingId":"m1","personId":"ana","status":"present"},{"meetingId":"m1","personId":"bo","status":"absent"}]}""";
        var first = await ExpectAsync(app, await app.Client.SendAsync(Forwarded(HttpMethod.Post, "/api/attendance", batch)), HttpStatusCode.OK);
        Assert.Equal(2, first.GetProperty("created").GetInt32());
        var second = await ExpectAsync(app, await app.Client.SendAsync(Forwarded(HttpMethod.Post, "/api/attendance", batch)), HttpStatusCode.OK);
        Assert.Equal(2, second.GetProperty("unchanged").GetInt32());

        var meetings = await ExpectAsync(app, await app.Client.SendAsync(Forwarded(HttpMethod.Get, "/api/partnerships/e2e/meetings")), HttpStatusCode.OK);
        Assert.Equal(1, meetings[0].GetProperty("attendance").GetProperty("present").GetInt32());

        using var noKey = new HttpRequestMessage(HttpMethod.Get, "/api/partnerships");
        var unauthorized = await app.Client.SendAsync(noKey);
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
        Assert.Equal("application/problem+json", unauthorized.Content.Headers.ContentType?.MediaType);

        using var timer = new HttpRequestMessage(HttpMethod.Post, "/PurgeExpiredData")
        {
            Content = new StringContent(
                """{"Data":{"timer":{"Schedule":{"AdjustForDST":true},"ScheduleStatus":null,"IsPastDue":false}},"Metadata":{"sys":{"MethodName":"PurgeExpiredData","UtcNow":"2026-11-22T03:30:00.004275Z","RandGuid":"35e6e68c-5583-436c-a277-5aec2b416ba8"}}}""",
                Encoding.UTF8,
                "application/json"),
        };
        timer.Headers.Add("X-Azure-Functions-InvocationId", Guid.NewGuid().ToString());
        timer.Headers.UserAgent.ParseAdd("Azure-Functions-Host/4.1040.0");
        var invocation = await app.Client.SendAsync(timer);
        var result = await ExpectAsync(app, invocation, HttpStatusCode.OK);
        Assert.Equal("application/json", invocation.Content.Headers.ContentType?.MediaType);
        Assert.Equal(JsonValueKind.Object, result.GetProperty("Outputs").ValueKind);
        Assert.Contains(result.GetProperty("Logs").EnumerateArray(), l => l.GetString()!.Contains("retention 24 months", StringComparison.Ordinal));
        Assert.Equal(JsonValueKind.Null, result.GetProperty("ReturnValue").ValueKind);
    }

    [Fact]
    public async Task Standalone_DevelopmentWithoutKeys_PrintsAOneRunAdminKeyThatWorks()
    {
        await using var app = AppProcess.Start(new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Development" });
        var root = await ExpectAsync(app, await app.WaitUntilReadyAsync(), HttpStatusCode.OK);
        Assert.Equal("standalone", root.GetProperty("mode").GetString());

        var line = await app.WaitForOutputAsync("development admin key");
        var key = line.Split(' ').Single(w => w.StartsWith("efk_", StringComparison.Ordinal));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/partnerships");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        await ExpectAsync(app, await app.Client.SendAsync(request), HttpStatusCode.OK);
    }

    [Fact]
    public async Task Standalone_ProductionWithoutKeys_GeneratesNoKey()
    {
        await using var app = AppProcess.Start(new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Production" });
        await app.WaitUntilReadyAsync();
        await app.WaitForOutputAsync("No API key is configured");
        Assert.DoesNotContain("efk_", app.Output, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Client.GetAsync("/api/partnerships")).StatusCode);
    }

    [Fact]
    public async Task InvalidKeySetting_StopsTheAppAtStartWithTheSettingPath()
    {
        await using var app = AppProcess.Start(new Dictionary<string, string>
        {
            ["Auth__ApiKeys__0__Name"] = "broken",
            ["Auth__ApiKeys__0__Hash"] = "plaintext-key",
            ["Auth__ApiKeys__0__Roles__0"] = "superuser",
        });
        Assert.NotEqual(0, await app.WaitForExitAsync());
        Assert.Contains("Auth:ApiKeys:0:Hash", app.Output, StringComparison.Ordinal);
        Assert.Contains("Auth:ApiKeys:0:Roles:0", app.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EmitFunctions_WritesHostJsonAndOneFolderPerFunction()
    {
        var output = Path.Combine(Path.GetTempPath(), $"emit-{Guid.NewGuid():N}");
        try
        {
            await using var app = AppProcess.Start(new Dictionary<string, string>(), "emit-functions", output);
            Assert.Equal(0, await app.WaitForExitAsync());
            Assert.True(File.Exists(Path.Combine(output, "host.json")), app.Output);
            foreach (var name in new[] { "Health", "Partnerships", "Attendance", "Forms", "OpenApi", "Risk", "PurgeExpiredData", "ScoreRisk", "RetrainModel", "SyncTeamsAttendance", "SyncGroupMembership", "SyncFormsWorkbook", "Alerts", "SendAlerts", "SendDigest", "Acknowledge", "Exports", "Dashboard" })
            {
                Assert.True(File.Exists(Path.Combine(output, name, "function.json")), name);
            }
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }
}
