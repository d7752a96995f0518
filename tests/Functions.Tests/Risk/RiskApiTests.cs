using System.Net;
using System.Net.Http.Json;
using System.Text;
using Engagement.Core.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Engagement.Functions.Tests.Risk;

public sealed class RiskApiTests : IAsyncLifetime
{
    private readonly EngagementApp _app = new();

    public async Task InitializeAsync()
    {
        await _app.SeedAsync();
        var admin = _app.Admin();
        // Five more monthly meetings; Jean (the city) stops coming, Marie (the CDC) keeps coming.
        var meetings = Enumerable.Range(3, 5).Select(i => new { id = $"m{i}", start = $"2026-{i:D2}-19T13:30:00-04:00", end = $"2026-{i:D2}-19T16:00:00-04:00" }).ToArray();
        (await admin.PostAsJsonAsync("/api/partnerships/p1/meetings", meetings)).EnsureSuccessStatusCode();
        var records = Enumerable.Range(1, 7).SelectMany(i => new[]
        {
            new { meetingId = $"m{i}", personId = "marie", status = "present" },
            new { meetingId = $"m{i}", personId = "jean", status = i <= 3 ? "present" : "absent" },
        }).ToArray();
        (await admin.PostAsJsonAsync("/api/attendance", new { partnershipId = "p1", records })).EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private async Task<System.Text.Json.JsonElement> RunTimerAsync(string name)
    {
        using var response = await _app.Admin().PostAsync($"/{name}", new StringContent("""{"Data":{"timer":{"IsPastDue":false}},"Metadata":{}}""", Encoding.UTF8, "application/json"));
        return await Problem.JsonAsync(response);
    }

    [Fact]
    public async Task ScoreRisk_ThenRiskRoutes_ShowTheAbsentOrganisationFirstWithReasons()
    {
        var logs = await RunTimerAsync("ScoreRisk");
        Assert.Contains(logs.GetProperty("logs").EnumerateArray(), l => l.GetString()!.Contains("prior-2", StringComparison.Ordinal));

        var detail = await Problem.JsonAsync(await _app.ClientWithKey(EngagementApp.Keys.Coordinator).GetAsync("/api/partnerships/p1/risk"));
        Assert.Equal("prior-2", detail.GetProperty("modelVersion").GetString());
        Assert.True(detail.GetProperty("priorModel").GetBoolean());
        var organizations = detail.GetProperty("organizations");
        Assert.Equal("ville", organizations[0].GetProperty("id").GetString());
        Assert.Equal("Ville de Montréal", organizations[0].GetProperty("name").GetString());
        Assert.Equal("high", organizations[0].GetProperty("band").GetString());
        Assert.Contains(organizations[0].GetProperty("reasons").EnumerateArray(), r => r.GetProperty("text").GetString() == "absente aux 4 dernières rencontres d’affilée");
        Assert.Equal("low", organizations[1].GetProperty("band").GetString());
        Assert.Equal("new", organizations[0].GetProperty("trend").GetString());

        var list = await Problem.JsonAsync(await _app.ClientWithKey(EngagementApp.Keys.Analyst).GetAsync("/api/risk"));
        var summary = Assert.Single(list.EnumerateArray());
        Assert.Equal("p1", summary.GetProperty("id").GetString());
        Assert.Equal(1, summary.GetProperty("organizationsHigh").GetInt32());
    }

    [Fact]
    public async Task ScoreRisk_TwiceTheSameDay_KeepsOneSnapshotPerOrganisation_AndTheNextDayShowsATrend()
    {
        await RunTimerAsync("ScoreRisk");
        await RunTimerAsync("ScoreRisk");
        var store = _app.Services.GetRequiredService<EngagementStores>();
        var day = DateOnly.FromDateTime(EngagementApp.Start.UtcDateTime);
        Assert.Equal(3, (await store.Risk.ListRiskSnapshotsAsync("p1", day, day)).Count);

        _app.Clock.Advance(TimeSpan.FromDays(1));
        await RunTimerAsync("ScoreRisk");
        var detail = await Problem.JsonAsync(await _app.Admin().GetAsync("/api/partnerships/p1/risk"));
        Assert.Equal("stable", detail.GetProperty("organizations")[0].GetProperty("trend").GetString());
        Assert.Equal(2, detail.GetProperty("history").GetArrayLength());
    }

    [Fact]
    public async Task RetrainModel_TooLittleHistory_KeepsThePriorAndSaysWhy()
    {
        var logs = await RunTimerAsync("RetrainModel");
        Assert.Contains(logs.GetProperty("logs").EnumerateArray(), l => l.GetString()!.Contains("too little history to train", StringComparison.Ordinal));
        Assert.Null(await _app.Services.GetRequiredService<EngagementStores>().Models.GetChampionAsync());
    }

    [Fact]
    public async Task PartnershipRisk_BeforeAnyScoring_Answers404WithAHint()
    {
        var problem = await Problem.AssertAsync(await _app.Admin().GetAsync("/api/partnerships/p1/risk"), HttpStatusCode.NotFound, "partnershipId");
        Assert.Contains("ScoreRisk", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
