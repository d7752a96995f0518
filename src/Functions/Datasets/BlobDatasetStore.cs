using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace Engagement.Functions.Datasets;

/// <summary>
/// Snapshots in a blob container (Azure.Storage.Blobs). An upload becomes visible when its blocks are committed, as a
/// whole: readers never see part of a file. With a connection string (Azurite, an account key) the container is created
/// on first use; in Azure the deployment template creates it and the app's identity may only read and write blobs in it.
/// </summary>
internal sealed class BlobDatasetStore(BlobContainerClient container, bool createContainer) : IDatasetStore
{
    private volatile bool _containerExists = !createContainer;

    public BlobContainerClient Container { get; } = container;

    public string Location => Container.Uri.ToString();

    public async Task PutAsync(string path, string localFile, CancellationToken cancellationToken)
    {
        await EnsureContainerAsync(cancellationToken);
        var options = new BlobUploadOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentType = DatasetPaths.ContentType(path) },
        };
        await Container.GetBlobClient(path).UploadAsync(localFile, options, cancellationToken);
        File.Delete(localFile);
    }

    public async Task<IReadOnlyList<StoredSnapshot>> ListSnapshotsAsync(CancellationToken cancellationToken)
    {
        await EnsureContainerAsync(cancellationToken);
        var snapshots = new List<StoredSnapshot>();
        await foreach (var item in Container.GetBlobsByHierarchyAsync(new GetBlobsByHierarchyOptions { Delimiter = "/" }, cancellationToken))
        {
            if (item.IsPrefix)
            {
                var name = item.Prefix.TrimEnd('/');
                var manifest = await Container.GetBlobClient($"{name}/{DatasetPaths.Manifest}").ExistsAsync(cancellationToken);
                snapshots.Add(new StoredSnapshot(name, manifest.Value));
            }
        }

        return snapshots;
    }

    private async Task EnsureContainerAsync(CancellationToken cancellationToken)
    {
        if (!_containerExists)
        {
            await Container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            _containerExists = true;
        }
    }

    public async Task DeleteSnapshotAsync(string snapshot, CancellationToken cancellationToken)
    {
        await EnsureContainerAsync(cancellationToken);
        await Container.DeleteBlobIfExistsAsync($"{snapshot}/{DatasetPaths.Manifest}", cancellationToken: cancellationToken);
        await foreach (var blob in Container.GetBlobsAsync(new GetBlobsOptions { Prefix = snapshot + "/" }, cancellationToken))
        {
            await Container.DeleteBlobIfExistsAsync(blob.Name, cancellationToken: cancellationToken);
        }
    }
}
