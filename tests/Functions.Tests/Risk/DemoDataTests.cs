using Engagement.Core.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Engagement.Functions.Tests.Risk;

public sealed class DemoDataTests
{
    [Fact]
    public async Task Demo_EmptyStore_FillsLabelledSyntheticData_TrainsAndScores()
    {
        await using var app = new EngagementApp(settings: new() { ["Demo:Enabled"] = "true", ["Demo:Partnerships"] = "3" });

        var list = await Problem.JsonAsync(await app.ClientWithKey(EngagementApp.Keys.Analyst).GetAsync("/api/risk"));

        Assert.Equal(3, list.GetArrayLength());
        Assert.All(list.EnumerateArray(), p => Assert.StartsWith("[Synthétique]", p.GetProperty("name").GetString(), StringComparison.Ordinal));
        var store = app.Services.GetRequiredService<EngagementStores>();
        var champion = await store.Models.GetChampionAsync();
        Assert.NotNull(champion);
        Assert.Equal(champion.Version, list[0].GetProperty("modelVersion").GetString());
        Assert.Single(await store.Models.ListRetrainingsAsync());

        // Unlike a partnership created through the API, the demo's partnerships e-mail their alerts: the demo shows the whole path.
        Assert.All(await store.Partnerships.ListPartnershipsAsync(), p => Assert.True(p.AlertEmails, p.Id));
    }
}
