using Engagement.Storage.Tables;
using Engagement.Tests;

namespace Engagement.Storage.Tests.Tables;

/// <summary>One Azurite per test class; each test works in tables of its own.</summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private Azurite? _azurite;

    public Azurite Azurite => _azurite ?? throw new InvalidOperationException("Azurite is not started.");

    public TableServiceClient Service(TableClientOptions? options = null) =>
        new(TableConnection.Parse(Azurite.ConnectionString), options ?? new TableClientOptions());

    /// <summary>A table name no other test uses.</summary>
    public static string UniqueTableName(string prefix = "t") => prefix + Guid.NewGuid().ToString("N")[..20];

    public async Task InitializeAsync() => _azurite = await Azurite.StartAsync();

    public async Task DisposeAsync()
    {
        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }
    }
}
