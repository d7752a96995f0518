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

    [Fact]
    public async Task Standalone_RootAnswers_WithTheMode()
    {
        await using var app = new EngagementApp();
        var root = await Problem.JsonAsync(await app.CreateClient().GetAsync("/"));
        Assert.Equal("standalone", root.GetProperty("mode").GetString());
    }
}
