namespace Engagement.Functions.Datasets;

/// <summary>
/// Where the published snapshots live: a folder (standalone) or a blob container (Azure). Paths are relative and
/// '/'-separated, <c>{snapshot}/{table}/{format}/{file}</c>, the snapshot's manifest at <c>{snapshot}/_manifest.json</c>.
/// </summary>
internal interface IDatasetStore
{
    /// <summary>Where the snapshots are, for logs: a folder path or a container URL.</summary>
    string Location { get; }

    /// <summary>Stores the finished local file at <paramref name="path"/>, replacing what was there: readers see the whole file or none of it.</summary>
    Task PutAsync(string path, string localFile, CancellationToken cancellationToken);

    /// <summary>The snapshots present (the first segment of the paths), each with whether its manifest exists.</summary>
    Task<IReadOnlyList<StoredSnapshot>> ListSnapshotsAsync(CancellationToken cancellationToken);

    /// <summary>Deletes a snapshot: its manifest first, so that it is no longer complete before any of its files goes.</summary>
    Task DeleteSnapshotAsync(string snapshot, CancellationToken cancellationToken);
}

/// <summary>A snapshot as stored: its name (the snapshot date, yyyy-MM-dd) and whether it is complete (has its manifest).</summary>
internal sealed record StoredSnapshot(string Name, bool HasManifest);
