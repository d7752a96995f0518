using Azure.Storage.Blobs;
using Engagement.Tests;

namespace Engagement.Storage.Tests.Blobs;

/// <summary>Azurite's Blob service for a test class; each test takes a container of its own.</summary>
public sealed class AzuriteBlobsFixture : IAsyncLifetime
{
    private Azurite? _azurite;

    public Azurite Azurite => _azurite ?? throw new InvalidOperationException("Azurite is not started.");

    /// <summary>A container no other test uses (not created: the store creates it on first use).</summary>
    public BlobContainerClient NewContainer() => new(Azurite.ConnectionString, "models-" + Guid.NewGuid().ToString("N")[..20]);

    public async Task InitializeAsync() => _azurite = await Azurite.StartBlobsAsync();

    public async Task DisposeAsync()
    {
        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }
    }
}
