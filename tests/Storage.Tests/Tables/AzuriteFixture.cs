using Azure.Data.Tables;
using Engagement.Storage.Tables;
using Engagement.Tests;

namespace Engagement.Storage.Tests.Tables;

/// <summary>One Azurite per test class; each test works in tables of its own.</summary>
public sealed class AzuriteFixture() : AzuriteServiceFixture(() => Azurite.StartAsync(port: null, location: null))
{
    /// <summary>A client of this Azurite, with the store's retry options unless others are given.</summary>
    public TableServiceClient Service(TableClientOptions? options = null) =>
        TableStoreClients.FromConnectionString(Azurite.ConnectionString, options ?? TableStoreClients.Options(3, TimeSpan.FromMilliseconds(100)));

    /// <summary>A table name no other test uses.</summary>
    public static string UniqueTableName(string prefix = "t") => prefix + Guid.NewGuid().ToString("N")[..20];
}
