using Azure.Storage.Blobs;
using Engagement.Tests;

namespace Engagement.Storage.Tests.Blobs;

/// <summary>Azurite's Blob service for a test class; each test takes a container of its own.</summary>
public sealed class AzuriteBlobsFixture() : AzuriteServiceFixture(Azurite.StartBlobsAsync)
{
    /// <summary>A container no other test uses (not created: the store creates it on first use).</summary>
    public BlobContainerClient NewContainer() => new(Azurite.ConnectionString, "models-" + Guid.NewGuid().ToString("N")[..20]);
}
