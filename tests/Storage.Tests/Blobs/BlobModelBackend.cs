using Azure.Storage.Blobs;
using Engagement.Core.Storage;
using Engagement.Storage.Blobs;
using Engagement.Storage.Tests.Contract;
using Engagement.Storage.Tests.Sqlite;

namespace Engagement.Storage.Tests.Blobs;

/// <summary>The SQLite ports, with the models in a blob container of their own on Azurite (as in Azure mode).</summary>
internal sealed class BlobModelBackend(AzuriteBlobsFixture azurite) : IStoreBackend
{
    private readonly SqliteBackend _sqlite = new();

    public BlobContainerClient Container { get; } = azurite.NewContainer();

    public async Task<EngagementStores> CreateAsync(TimeProvider time)
    {
        var stores = await _sqlite.CreateAsync(time);
        return stores with { Models = new BlobModelStore(Container, createContainer: true) };
    }

    public Task WriteLegacyPartnershipAsync(string id, string name) => _sqlite.WriteLegacyPartnershipAsync(id, name);

    public async ValueTask DisposeAsync()
    {
        await Container.DeleteIfExistsAsync();
        await _sqlite.DisposeAsync();
    }
}

/// <summary>The model port's contract, unchanged, on Azurite's Blob service.</summary>
public sealed class BlobModelStoreContractTests(AzuriteBlobsFixture azurite) : ModelStoreContract(new BlobModelBackend(azurite)), IClassFixture<AzuriteBlobsFixture>;
