using Azure.Storage.Blobs;
using Engagement.Core.Storage;
using Engagement.Storage.Blobs;
using Engagement.Tests;
using Microsoft.Extensions.DependencyInjection;

namespace Engagement.Functions.Tests.Storage;

/// <summary>Storage:Models on a real Azurite blob service: the app trains, promotes and scores with models kept as files.</summary>
public sealed class ModelsInBlobsTests : IAsyncLifetime
{
    private Azurite _azurite = null!;

    public async Task InitializeAsync() => _azurite = await Azurite.StartBlobsAsync();

    public async Task DisposeAsync() => await _azurite.DisposeAsync();

    [Fact]
    public async Task Demo_WithModelsInBlobs_TrainsPromotesAndScores_FromTheContainer()
    {
        var container = "models-" + Guid.NewGuid().ToString("N")[..12];
        await using var app = new EngagementApp(settings: new()
        {
            ["Demo:Enabled"] = "true",
            ["Demo:Partnerships"] = "3",
            ["Storage:Models:BlobConnectionString"] = _azurite.ConnectionString,
            ["Storage:Models:Container"] = container,
        });

        var list = await Problem.JsonAsync(await app.ClientWithKey(EngagementApp.Keys.Analyst).GetAsync("/api/risk"));

        Assert.IsType<BlobModelStore>(app.Services.GetRequiredService<IModelStore>());
        var champion = await new BlobModelStore(new BlobContainerClient(_azurite.ConnectionString, container), createContainer: false).GetChampionAsync();
        Assert.NotNull(champion);
        Assert.Equal(champion.Version, list[0].GetProperty("modelVersion").GetString());

        // Nothing of the models went to the store itself.
        Assert.Null(await app.Services.GetRequiredService<EngagementStores>().Models.GetChampionAsync());
        Assert.Empty(await app.Services.GetRequiredService<EngagementStores>().Models.ListRetrainingsAsync());
    }
}
