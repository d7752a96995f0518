using Azure.Storage.Blobs;
using Engagement.Core.Domain;
using Engagement.Storage.Blobs;
using Engagement.Storage.Sqlite;
using Engagement.Storage.Tests.Sqlite;
using Engagement.Tests;

namespace Engagement.Storage.Tests.Blobs;

/// <summary>What only the blob model store has: files an operator can read, integrity, and the move from the old store.</summary>
public sealed class BlobModelStoreTests(AzuriteBlobsFixture azurite) : IClassFixture<AzuriteBlobsFixture>, IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 3, 0, 0, TimeSpan.Zero);
    private readonly SqliteBackend _sqlite = new();
    private readonly BlobContainerClient _container = azurite.NewContainer();

    private static StoredModel Model(string version) => new() { Version = version, Kind = "trained", CreatedAt = T0, Artifact = $"{{\"version\":\"{version}\",\"weights\":[0.5,-1.25]}}" };

    private static RetrainingRecord Retraining(int day, string challenger) => new()
    {
        RanAt = T0.AddDays(day),
        ChallengerVersion = challenger,
        ChampionVersion = "prior-1",
        Promoted = true,
        Reason = "challenger Brier lower",
        ChallengerEvaluation = "{\"brier\":0.1}",
        ChampionEvaluation = "{\"brier\":0.2}",
    };

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _container.DeleteIfExistsAsync();
        await _sqlite.DisposeAsync();
    }

    [Fact]
    public async Task SavedModel_IsAnArtifactAndItsMetadata_AndTheChampionAPointer()
    {
        var store = new BlobModelStore(_container, createContainer: true);
        await store.SaveModelAsync(Model("trained-2026-11-01T03:00:00Z"));
        await store.SetChampionAsync("trained-2026-11-01T03:00:00Z");
        await store.SaveRetrainingAsync(Retraining(0, "trained-2026-11-01T03:00:00Z"));

        var names = new List<string>();
        await foreach (var blob in _container.GetBlobsAsync())
        {
            names.Add(blob.Name);
        }

        Assert.Equal(
            ["champion.json", "models/trained-2026-11-01T03%3A00%3A00Z/artifact.json", "models/trained-2026-11-01T03%3A00%3A00Z/model.json", "retrainings/20261101T030000.0000000Z-trained-2026-11-01T03%3A00%3A00Z.json"],
            names.Order(StringComparer.Ordinal));
        var artifact = (await _container.GetBlobClient("models/trained-2026-11-01T03%3A00%3A00Z/artifact.json").DownloadContentAsync()).Value.Content.ToString();
        Assert.Equal(Model("trained-2026-11-01T03:00:00Z").Artifact, artifact);
        var metadata = (await _container.GetBlobClient("models/trained-2026-11-01T03%3A00%3A00Z/model.json").DownloadContentAsync()).Value.Content.ToObjectFromJson<Dictionary<string, System.Text.Json.JsonElement>>()!;
        Assert.Equal("trained", metadata["kind"].GetString());
        Assert.Equal(artifact.Length, metadata["size"].GetInt64());
        Assert.Equal(64, metadata["sha256"].GetString()!.Length);
    }

    [Fact]
    public async Task ArtifactChangedBehindTheStore_IsRefusedNotScored()
    {
        var store = new BlobModelStore(_container, createContainer: true);
        await store.SaveModelAsync(Model("trained-1"));
        await _container.GetBlobClient("models/trained-1/artifact.json").UploadAsync(BinaryData.FromString("{\"version\":\"trained-1\",\"weights\":[9]}"), overwrite: true);

        var error = await Assert.ThrowsAsync<StoreException>(() => store.GetModelAsync("trained-1"));

        Assert.Contains("trained-1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChampionKeptInTheEarlierStore_IsMovedOnFirstRead_AndItsDecisionsStayListed()
    {
        var earlier = new SqliteModelStore(new SqliteDatabase(_sqlite.DatabasePath, new ManualTimeProvider(T0)));
        await earlier.SaveModelAsync(Model("trained-old"));
        await earlier.SetChampionAsync("trained-old");
        await earlier.SaveRetrainingAsync(Retraining(0, "trained-old"));
        var store = new BlobModelStore(_container, createContainer: true, earlier);
        await store.SaveRetrainingAsync(Retraining(7, "trained-new"));

        Assert.Equal(Model("trained-old"), await store.GetChampionAsync());

        // Now in blobs: a store without the earlier one finds the same champion.
        Assert.Equal(Model("trained-old"), await new BlobModelStore(_container, createContainer: false).GetChampionAsync());
        Assert.Equal(["trained-new", "trained-old"], (await store.ListRetrainingsAsync()).Select(r => r.ChallengerVersion));
        Assert.Equal(Model("trained-old"), await store.GetModelAsync("trained-old"));
    }

    [Fact]
    public async Task BlobServiceDown_FailsAsTheProductsOwnException()
    {
        var down = new BlobContainerClient(
            $"DefaultEndpointsProtocol=http;AccountName={Azurite.AccountName};AccountKey={Azurite.AccountKey};BlobEndpoint=http://127.0.0.1:{Azurite.FreePort()}/{Azurite.AccountName}",
            "models",
            new BlobClientOptions { Retry = { MaxRetries = 0 } });
        var store = new BlobModelStore(down, createContainer: true);

        await Assert.ThrowsAsync<StoreUnavailableException>(() => store.GetChampionAsync());
    }
}
