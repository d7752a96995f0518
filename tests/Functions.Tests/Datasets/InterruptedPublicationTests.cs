using Engagement.Functions.Datasets;
using Microsoft.Extensions.DependencyInjection;

namespace Engagement.Functions.Tests.Datasets;

/// <summary>A run that fails mid-publication: the previous snapshot stays whole, the broken one gets no manifest, a re-run replaces it.</summary>
public sealed class InterruptedPublicationTests : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"engagement-test-datasets-{Guid.NewGuid():N}");
    private readonly FailingDatasetStore _store;
    private readonly EngagementApp _app;

    public InterruptedPublicationTests()
    {
        _store = new FailingDatasetStore(new FolderDatasetStore(_folder));
        _app = new EngagementApp(
            settings: new() { ["Exports:PersonKeySecret"] = Convert.ToBase64String(new byte[32]), ["Datasets:Folder"] = _folder },
            services: s => s.AddSingleton<IDatasetStore>(_store));
    }

    public async Task InitializeAsync() => await _app.SeedAsync();

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private Task<HttpResponseMessage> PublishAsync() => _app.Admin().PostAsync("/PublishDatasets", null);

    private static void AssertComplete(string folder)
    {
        var manifest = DatasetFiles.Manifest(File.ReadAllBytes(Path.Combine(folder, DatasetPaths.Manifest)));
        var files = manifest.Tables.Values.SelectMany(t => t.Files).ToList();
        var onDisk = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(folder, f).Replace('\\', '/')).Where(f => f != DatasetPaths.Manifest);
        Assert.Equal(files.Select(f => f.Path).Order(StringComparer.Ordinal), onDisk.Order(StringComparer.Ordinal));
        Assert.All(files, f => Assert.Equal(f.Sha256, DatasetFiles.Sha256(File.ReadAllBytes(Path.Combine(folder, f.Path)))));
    }

    [Fact]
    public async Task AFailureAfterSomeFiles_LeavesThePreviousSnapshot_AndNoManifest_AndTheReRunReplacesIt()
    {
        _app.Clock.UtcNow = new DateTimeOffset(2026, 3, 1, 5, 30, 0, TimeSpan.Zero);
        (await PublishAsync()).EnsureSuccessStatusCode();
        var previous = Path.Combine(_folder, "2026-03-01");
        AssertComplete(previous);
        var previousFiles = Directory.EnumerateFiles(previous, "*", SearchOption.AllDirectories).ToDictionary(f => f, File.ReadAllBytes);

        // The next day, the storage fails after five files.
        _app.Clock.UtcNow = new DateTimeOffset(2026, 3, 2, 5, 30, 0, TimeSpan.Zero);
        _store.FailAfterPuts = 5;
        using (var failed = await PublishAsync())
        {
            Assert.False(failed.IsSuccessStatusCode);
        }

        var broken = Path.Combine(_folder, "2026-03-02");
        Assert.False(File.Exists(Path.Combine(broken, DatasetPaths.Manifest)));
        Assert.Equal(5, Directory.EnumerateFiles(broken, "*", SearchOption.AllDirectories).Count());
        Assert.All(previousFiles, f => Assert.Equal(f.Value, File.ReadAllBytes(f.Key)));
        AssertComplete(previous);

        // The re-run of the same day replaces the broken snapshot: its files are exactly the new manifest's.
        _store.FailAfterPuts = null;
        using (var rerun = await PublishAsync())
        {
            Assert.True(rerun.IsSuccessStatusCode, await rerun.Content.ReadAsStringAsync());
            Assert.Contains("replaced the earlier snapshot 2026-03-02", await rerun.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        AssertComplete(broken);
        AssertComplete(previous);
    }

    /// <summary>The folder store, failing (as a storage outage would) once a number of files have been put.</summary>
    private sealed class FailingDatasetStore(IDatasetStore inner) : IDatasetStore
    {
        private int _puts;

        public int? FailAfterPuts
        {
            get;
            set
            {
                field = value;
                _puts = 0;
            }
        }

        public string Location => inner.Location;

        public Task PutAsync(string path, string localFile, CancellationToken cancellationToken) =>
            FailAfterPuts is { } limit && _puts++ >= limit
                ? throw new IOException("Injected storage failure.")
                : inner.PutAsync(path, localFile, cancellationToken);

        public Task<IReadOnlyList<StoredSnapshot>> ListSnapshotsAsync(CancellationToken cancellationToken) => inner.ListSnapshotsAsync(cancellationToken);

        public Task DeleteSnapshotAsync(string snapshot, CancellationToken cancellationToken) => inner.DeleteSnapshotAsync(snapshot, cancellationToken);
    }
}
