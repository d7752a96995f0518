using System.Net;

namespace Engagement.Functions.Tests.Hosting;

public sealed class TimerFunctionTests
{
    [Fact]
    public async Task Standalone_RunningATimerByHand_NeedsAnAdminKey_AndAnswersWhatItDid()
    {
        await using var app = new EngagementApp();
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().PostAsync("/PurgeExpiredData", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.ClientWithKey(EngagementApp.Keys.Coordinator).PostAsync("/PurgeExpiredData", null)).StatusCode);

        var body = await Problem.JsonAsync(await app.Admin().PostAsync("/PurgeExpiredData", null));
        Assert.Equal("PurgeExpiredData", body.GetProperty("function").GetString());
        Assert.Equal(EngagementApp.Start, body.GetProperty("startedAt").GetDateTimeOffset());
        Assert.Contains(body.GetProperty("logs").EnumerateArray(), l => l.GetString()!.Contains("retention 24 months", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("{\"Data\":{\"t\":\"\\ud800\"}}")]
    [InlineData("{\"Data\":")]
    [InlineData("\u00ff\u00fe not json")]
    public async Task Standalone_RunningATimerByHand_IgnoresWhatever(string body)
    {
        // A timer takes no input: whatever is posted (half a surrogate pair, broken JSON) is not read, never a 500.
        await using var app = new EngagementApp();

        using var response = await app.Admin().PostAsync("/PurgeExpiredData", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal("PurgeExpiredData", (await Problem.JsonAsync(response)).GetProperty("function").GetString());
    }

    [Fact]
    public async Task Standalone_RootAnswers_WithTheMode()
    {
        await using var app = new EngagementApp();
        var root = await Problem.JsonAsync(await app.CreateClient().GetAsync("/"));
        Assert.Equal("standalone", root.GetProperty("mode").GetString());
    }
}
