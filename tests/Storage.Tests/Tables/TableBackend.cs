using Engagement.Core.Storage;
using Engagement.Storage.Tables;
using Engagement.Storage.Tests.Contract;

namespace Engagement.Storage.Tests.Tables;

/// <summary>Tables of its own per test on the fixture's Azurite, deleted afterwards.</summary>
internal sealed class TableBackend(AzuriteFixture azurite) : IStoreBackend
{
    private TableStorage? _storage;

    public Task<EngagementStores> CreateAsync(TimeProvider time)
    {
        _storage = new TableStorage(azurite.Service(), AzuriteFixture.UniqueTableName("c"), time);
        return Task.FromResult(_storage.CreateStores());
    }

    public async ValueTask DisposeAsync()
    {
        if (_storage is null)
        {
            return;
        }

        var service = azurite.Service();
        foreach (var table in _storage.TableNames)
        {
            await service.DeleteTableAsync(table);
        }
    }
}
