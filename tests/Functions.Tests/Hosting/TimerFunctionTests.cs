using System.Net;
using System.Text;
using Engagement.Functions.Hosting;

namespace Engagement.Functions.Tests.Hosting;

public sealed class TimerFunctionTests
{
    // The payload the Functions host sends to a custom handler for a timer (reference/azure-functions-custom-handler.md §1.5).
    private const string HostPayload = """
        {"Data":{"timer":{"Schedule":{"AdjustForDST":true},"ScheduleStatus":{"Last":"2026-10-31T03:30:00+00:00","Next":"2026-11-01T03:30:00+00:00","LastUpdated":"2026-10-31T03:30:00+00:00"},"IsPastDue":false}},
         "Metadata":{"sys":{"MethodName":"PurgeExpiredData","UtcNow":"2026-11-01T03:30:00.0105419Z","RandGuid":"35e6e68c-5583-436c-a277-5aec2b416ba8"}}}
        """;

    private static HttpRequestMessage HostInvocation(string body = HostPayload)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/PurgeExpiredData") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Azure-Functions-InvocationId", Guid.NewGuid().ToString());
        request.Headers.Add("X-Azure-Functions-HostVersion", "4.1040.0");
        request.Headers.UserAgent.ParseAdd("Azure-Functions-Host/4.1040.0");
        return request;
    }

    [Fact]
    public async Task UnderFunctionsHost_TimerInvocation_AnswersTheDocumentedShape()
    {
        await using var app = new EngagementApp(underFunctionsHost: true);
        using var response = await app.CreateClient().SendAsync(HostInvocation());

        var body = await Problem.JsonAsync(response);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Empty(body.GetProperty("Outputs").EnumerateObject());
        Assert.NotEmpty(body.GetProperty("Logs").EnumerateArray());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, body.GetProperty("ReturnValue").ValueKind);
    }

    [Fact]
    public async Task Standalone_TimerRoute_NeedsAnAdminKey()
    {
        await using var app = new EngagementApp();
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().SendAsync(HostInvocation())).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.ClientWithKey(EngagementApp.Keys.Coordinator).SendAsync(HostInvocation())).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.Admin().SendAsync(HostInvocation())).StatusCode);
    }

    [Fact]
    public async Task UnderFunctionsHost_ApiRoutes_StillNeedKeys()
    {
        await using var app = new EngagementApp(underFunctionsHost: true);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().GetAsync("/api/partnerships")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.Admin().GetAsync("/api/partnerships")).StatusCode);
    }

    [Fact]
    public async Task UnderFunctionsHost_RootAnswers_ForTheReadinessProbe()
    {
        await using var app = new EngagementApp(underFunctionsHost: true);
        var root = await Problem.JsonAsync(await app.CreateClient().GetAsync("/"));
        Assert.Equal("custom-handler", root.GetProperty("mode").GetString());
    }

    [Theory]
    [InlineData("""{"Data":{"timer":{"IsPastDue":true}}}""", true)]
    [InlineData("""{"Data":{"timer":"{\"Schedule\":{},\"IsPastDue\":true}"}}""", true)]
    [InlineData("""{"Data":{"timer":{"IsPastDue":false}}}""", false)]
    [InlineData("""{"Data":{}}""", false)]
    [InlineData("not json", false)]
    public void ReadIsPastDue_ReadsNestedOrStringEncodedTimer(string payload, bool expected)
    {
        Assert.Equal(expected, TimerFunctionsExtensions.ReadIsPastDue(Encoding.UTF8.GetBytes(payload)));
    }
}
