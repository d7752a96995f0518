using Azure.Data.Tables;
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

    /// <summary>A raw entity with the properties earlier versions wrote, written with the SDK's own client.</summary>
    public async Task WriteLegacyPartnershipAsync(string id, string name)
    {
        var storage = _storage ?? throw new InvalidOperationException("The stores are created first.");
        await storage.EnsureTablesAsync();
        var table = azurite.Service().GetTableClient(storage.Partnerships.Name);
        await table.AddEntityAsync(new TableEntity("partnership", id)
        {
            ["Name"] = name,
            ["Language"] = "fr",
            ["CoordinatorEmails"] = "[\"coord@example.org\"]",
            ["UpdatedAt"] = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero),
        });
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
