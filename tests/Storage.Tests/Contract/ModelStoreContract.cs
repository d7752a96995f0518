using Engagement.Core.Domain;
using Engagement.Core.Storage;

namespace Engagement.Storage.Tests.Contract;

/// <summary>The behaviour every <see cref="IModelStore"/> must have.</summary>
public abstract class ModelStoreContract(IStoreBackend backend) : StoreContract(backend)
{
    [Fact]
    public async Task Models_SaveChampionAndSwitch_TheChampionScores()
    {
        Assert.Null(await Stores.Models.GetChampionAsync());
        var first = new StoredModel { Version = "trained-1", Kind = "trained", CreatedAt = T0, Artifact = "{\"version\":\"trained-1\"}" };
        var second = first with { Version = "trained-2", Artifact = "{\"version\":\"trained-2\"," + new string(' ', 40_000) + "\"weights\":[1]}" };

        Assert.Equal(WriteOutcome.Created, await Stores.Models.SaveModelAsync(first));
        Assert.Equal(WriteOutcome.Unchanged, await Stores.Models.SaveModelAsync(first));
        await Stores.Models.SaveModelAsync(second);
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Stores.Models.SetChampionAsync("missing"));
        await Stores.Models.SetChampionAsync("trained-1");
        Assert.Equal("trained-1", (await Stores.Models.GetChampionAsync())!.Version);
        await Stores.Models.SetChampionAsync("trained-2");

        var champion = await Stores.Models.GetChampionAsync();
        Assert.Equal(second, champion);
        Assert.Null(await Stores.Models.GetModelAsync("missing"));
    }

    [Fact]
    public async Task Retrainings_SavedTwice_ListedOnceNewestFirst()
    {
        RetrainingRecord Record(int day, bool promoted) => new()
        {
            RanAt = T0.AddDays(day),
            ChallengerVersion = $"trained-{day}",
            ChampionVersion = "prior-1",
            Promoted = promoted,
            Reason = promoted ? "challenger Brier lower" : "challenger Brier not lower",
            ChallengerEvaluation = "{\"brier\":0.1}",
            ChampionEvaluation = "{\"brier\":0.2}",
        };

        await Stores.Models.SaveRetrainingAsync(Record(1, false));
        await Stores.Models.SaveRetrainingAsync(Record(8, true));
        await Stores.Models.SaveRetrainingAsync(Record(8, true));

        var list = await Stores.Models.ListRetrainingsAsync();

        Assert.Equal([Record(8, true), Record(1, false)], list);
    }
}
