using Engagement.Core.Storage;
using Engagement.Storage.Tables;

namespace Engagement.Storage.Tests.Tables;

/// <summary>The store contract, unchanged, against Azure Table Storage as Azurite serves it; each test has tables of its own.</summary>
public sealed class TableEngagementStoreTests(AzuriteFixture azurite) : Contract.EngagementStoreContractTests, IClassFixture<AzuriteFixture>
{
    private TableEngagementStore? _store;

    protected override Task<IEngagementStore> CreateStoreAsync(TimeProvider time)
    {
        _store = new TableEngagementStore(azurite.Service(), AzuriteFixture.UniqueTableName("c"), time);
        return Task.FromResult<IEngagementStore>(_store);
    }

    protected override async Task DeleteStoreAsync()
    {
        if (_store is null)
        {
            return;
        }

        var service = azurite.Service();
        foreach (var table in _store.TableNames)
        {
            await service.DeleteTableAsync(table);
        }
    }
}
