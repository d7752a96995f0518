using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Engagement.Core.Domain;
using Engagement.Core.Storage;

namespace Engagement.Storage.Blobs;

/// <summary>
/// Models in a blob container (Azure.Storage.Blobs), where an operator finds them as files:
/// <c>models/{version}/artifact.json</c> (the trained model as the trainer wrote it), then
/// <c>models/{version}/model.json</c> (its metadata: version, kind, when, the artifact's size and SHA-256), written
/// last, so a model exists only once both are whole; <c>champion.json</c> names the model that scores; each retraining
/// decision is one blob under <c>retrainings/</c>.
/// </summary>
/// <remarks>
/// <paramref name="earlier"/> is where models were kept before (the Table or SQLite store): a champion found only there
/// is copied here on first read, so moving to blobs never drops back to the prior model; its decisions stay listed.
/// With a connection string (Azurite, an account key) the container is created on first use; in Azure the deployment
/// template creates it and the app's identity may only read and write blobs in it. Failures leave as the product's
/// exceptions (<see cref="StoreUnavailableException"/> and the like).
/// </remarks>
public sealed class BlobModelStore(BlobContainerClient container, bool createContainer, IModelStore? earlier = null) : IModelStore
{
    private const string Champion = "champion.json";
    private const string RetrainingsFolder = "retrainings/";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private volatile bool _containerExists = !createContainer;

    /// <summary>Where the models are.</summary>
    public Uri Location => container.Uri;

    public Task<WriteOutcome> SaveModelAsync(StoredModel model, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        return GuardAsync($"writing model '{model.Version}'", async () =>
        {
            await EnsureContainerAsync(cancellationToken);
            var artifact = Encoding.UTF8.GetBytes(model.Artifact);
            var metadata = new ModelMetadata(model.Version, model.Kind, model.CreatedAt, artifact.Length, Convert.ToHexStringLower(SHA256.HashData(artifact)));
            var stored = await ReadJsonAsync<ModelMetadata>(MetadataPath(model.Version), cancellationToken);
            if (stored == metadata)
            {
                return WriteOutcome.Unchanged;
            }

            await UploadAsync(ArtifactPath(model.Version), artifact, overwrite: true, cancellationToken);
            await UploadAsync(MetadataPath(model.Version), JsonSerializer.SerializeToUtf8Bytes(metadata, Json), overwrite: true, cancellationToken);
            return stored is null ? WriteOutcome.Created : WriteOutcome.Updated;
        });
    }

    public Task<StoredModel?> GetModelAsync(string version, CancellationToken cancellationToken = default) =>
        GuardAsync($"reading model '{version}'", async () =>
            await ReadModelAsync(version, cancellationToken) ?? (earlier is null ? null : await earlier.GetModelAsync(version, cancellationToken)));

    public Task SetChampionAsync(string version, CancellationToken cancellationToken = default) =>
        GuardAsync($"promoting model '{version}'", async () =>
        {
            if (await ReadJsonAsync<ModelMetadata>(MetadataPath(version), cancellationToken) is null)
            {
                throw new ArgumentException($"Model '{version}' is not stored.", nameof(version));
            }

            await UploadAsync(Champion, JsonSerializer.SerializeToUtf8Bytes(new ChampionPointer(version), Json), overwrite: true, cancellationToken);
            return true;
        });

    public Task<StoredModel?> GetChampionAsync(CancellationToken cancellationToken = default) =>
        GuardAsync("reading the champion", async () =>
        {
            if (await ReadJsonAsync<ChampionPointer>(Champion, cancellationToken) is { } pointer)
            {
                return await ReadModelAsync(pointer.Version, cancellationToken);
            }

            if (earlier is not null && await earlier.GetChampionAsync(cancellationToken) is { } kept)
            {
                await SaveModelAsync(kept, cancellationToken);
                await SetChampionAsync(kept.Version, cancellationToken);
                return kept;
            }

            return null;
        });

    public Task SaveRetrainingAsync(RetrainingRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        return GuardAsync("recording a retraining", async () =>
        {
            await EnsureContainerAsync(cancellationToken);

            // The same run recorded again (a retried timer) finds its blob there and leaves it.
            await UploadAsync(RetrainingPath(record), JsonSerializer.SerializeToUtf8Bytes(record, Json), overwrite: false, cancellationToken);
            return true;
        });
    }

    public Task<IReadOnlyList<RetrainingRecord>> ListRetrainingsAsync(CancellationToken cancellationToken = default) =>
        GuardAsync<IReadOnlyList<RetrainingRecord>>("listing retrainings", async () =>
        {
            await EnsureContainerAsync(cancellationToken);
            var records = new List<RetrainingRecord>();
            await foreach (var item in container.GetBlobsAsync(new GetBlobsOptions { Prefix = RetrainingsFolder }, cancellationToken))
            {
                if (await ReadJsonAsync<RetrainingRecord>(item.Name, cancellationToken) is { } record)
                {
                    records.Add(record);
                }
            }

            if (earlier is not null)
            {
                var here = records.Select(r => (r.RanAt, r.ChallengerVersion)).ToHashSet();
                records.AddRange((await earlier.ListRetrainingsAsync(cancellationToken)).Where(r => !here.Contains((r.RanAt, r.ChallengerVersion))));
            }

            return [.. records.OrderByDescending(r => r.RanAt).ThenBy(r => r.ChallengerVersion, StringComparer.Ordinal)];
        });

    private async Task<StoredModel?> ReadModelAsync(string version, CancellationToken cancellationToken)
    {
        if (await ReadJsonAsync<ModelMetadata>(MetadataPath(version), cancellationToken) is not { } metadata
            || await ReadBytesAsync(ArtifactPath(version), cancellationToken) is not { } artifact)
        {
            return null;
        }

        // A model whose file does not match its metadata was damaged or half replaced: refuse it rather than score with it.
        if (Convert.ToHexStringLower(SHA256.HashData(artifact)) != metadata.Sha256)
        {
            throw new StoreException($"Model '{version}' in {container.Uri} does not match its metadata (SHA-256); save it again.");
        }

        return new StoredModel { Version = metadata.Version, Kind = metadata.Kind, CreatedAt = metadata.CreatedAt, Artifact = Encoding.UTF8.GetString(artifact) };
    }

    private async Task<T?> ReadJsonAsync<T>(string path, CancellationToken cancellationToken)
        where T : class =>
        await ReadBytesAsync(path, cancellationToken) is { } bytes ? JsonSerializer.Deserialize<T>(bytes, Json) : null;

    private async Task<byte[]?> ReadBytesAsync(string path, CancellationToken cancellationToken)
    {
        await EnsureContainerAsync(cancellationToken);
        try
        {
            var content = await container.GetBlobClient(path).DownloadContentAsync(cancellationToken);
            return content.Value.Content.ToArray();
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    private async Task UploadAsync(string path, byte[] content, bool overwrite, CancellationToken cancellationToken)
    {
        var options = new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" } };
        if (!overwrite)
        {
            options.Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All };
        }

        try
        {
            await container.GetBlobClient(path).UploadAsync(new BinaryData(content), options, cancellationToken);
        }
        catch (RequestFailedException ex) when (!overwrite && ex.Status is 409 or 412)
        {
            // Already there: written once, never replaced.
        }
    }

    private async Task EnsureContainerAsync(CancellationToken cancellationToken)
    {
        if (!_containerExists)
        {
            await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            _containerExists = true;
        }
    }

    private async Task<T> GuardAsync<T>(string what, Func<Task<T>> action)
    {
        try
        {
            return await action();
        }
        catch (Exception ex) when (AzureStorageErrors.Translate(ex, "Blob", $"{what} in {container.Name}", CancellationToken.None) is { } translated)
        {
            throw translated;
        }
    }

    private static string ArtifactPath(string version) => $"models/{Segment(version)}/artifact.json";

    private static string MetadataPath(string version) => $"models/{Segment(version)}/model.json";

    // Sortable by name: the time first, to the tick.
    private static string RetrainingPath(RetrainingRecord record) =>
        $"{RetrainingsFolder}{record.RanAt.UtcDateTime.ToString("yyyyMMdd'T'HHmmss.fffffff'Z'", CultureInfo.InvariantCulture)}-{Segment(record.ChallengerVersion)}.json";

    // A version is the app's own text (trained-2026-11-30T03:00:00Z), escaped so that it stays one path segment.
    private static string Segment(string value) => Uri.EscapeDataString(value);

    private sealed record ModelMetadata(string Version, string Kind, DateTimeOffset CreatedAt, long Size, string Sha256);

    private sealed record ChampionPointer(string Version);
}
