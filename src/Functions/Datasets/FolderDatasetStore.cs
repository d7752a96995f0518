namespace Engagement.Functions.Datasets;

/// <summary>Snapshots in a local folder (standalone). A file is moved in under a temporary name, then renamed: readers never see part of it.</summary>
internal sealed class FolderDatasetStore(string root) : IDatasetStore
{
    public string Root { get; } = Path.GetFullPath(root);

    public string Location => Root;

    public Task PutAsync(string path, string localFile, CancellationToken cancellationToken)
    {
        var target = FullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);

        // The staging file may be on another volume (a copy); the rename within the target's folder is atomic.
        var partial = target + ".partial";
        File.Move(localFile, partial, overwrite: true);
        File.Move(partial, target, overwrite: true);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<StoredSnapshot>> ListSnapshotsAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<StoredSnapshot> snapshots = !Directory.Exists(Root) ? [] :
            [.. new DirectoryInfo(Root).EnumerateDirectories()
                .Where(d => !d.Name.StartsWith('.'))
                .Select(d => new StoredSnapshot(d.Name, File.Exists(Path.Combine(d.FullName, DatasetPaths.Manifest))))
                .OrderBy(s => s.Name, StringComparer.Ordinal)];
        return Task.FromResult(snapshots);
    }

    public Task DeleteSnapshotAsync(string snapshot, CancellationToken cancellationToken)
    {
        var folder = FullPath(snapshot);
        File.Delete(Path.Combine(folder, DatasetPaths.Manifest));
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        return Task.CompletedTask;
    }

    private string FullPath(string path)
    {
        var full = Path.GetFullPath(Path.Combine(Root, path.Replace('/', Path.DirectorySeparatorChar)));
        return full.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? full
            : throw new ArgumentException($"'{path}' is outside the datasets folder.", nameof(path));
    }
}
