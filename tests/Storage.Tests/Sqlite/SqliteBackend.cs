using Engagement.Core.Storage;
using Engagement.Storage.Sqlite;
using Engagement.Storage.Tests.Contract;
using Microsoft.Data.Sqlite;

namespace Engagement.Storage.Tests.Sqlite;

/// <summary>One fresh SQLite file per test, in a folder of its own that is deleted afterwards.</summary>
internal sealed class SqliteBackend : IStoreBackend
{
    public string Folder { get; } = Path.Combine(Path.GetTempPath(), $"engagement-storage-tests-{Guid.NewGuid():N}");

    public string DatabasePath => Path.Combine(Folder, "engagement.db");

    public SqliteDatabase Database { get; private set; } = null!;

    public Task<EngagementStores> CreateAsync(TimeProvider time)
    {
        Database = new SqliteDatabase(DatabasePath, time);
        return Task.FromResult(Database.CreateStores());
    }

    public ValueTask DisposeAsync()
    {
        // Pooled connections keep the file open (which matters on Windows); release them before deleting.
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // Another test's pool may still hold a handle for a moment; the temp folder is cleaned eventually.
        }

        return ValueTask.CompletedTask;
    }
}
