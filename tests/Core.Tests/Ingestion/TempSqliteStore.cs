using Engagement.Core.Ingestion;
using Engagement.Core.Storage;
using Engagement.Storage.Sqlite;
using Engagement.Tests;
using Microsoft.Data.Sqlite;

namespace Engagement.Core.Tests.Ingestion;

/// <summary>A fresh SQLite file for one test, deleted afterwards; the real store, no mocks.</summary>
internal sealed class TempSqliteStore : IDisposable
{
    public TempSqliteStore()
    {
        FilePath = Path.Combine(Path.GetTempPath(), $"engagement-core-tests-{Guid.NewGuid():N}.db");
        Time = new ManualTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        Store = new SqliteDatabase(FilePath, Time).CreateStores();
    }

    public string FilePath { get; }

    public ManualTimeProvider Time { get; }

    public EngagementStores Store { get; }

    /// <summary>The ingestion service on this store.</summary>
    public IngestionService Ingestion() => new(Store.Partnerships, Store.Roster, Store.Attendance, Store.Forms);

    public void Dispose()
    {
        // Pooled connections keep the file open (which matters on Windows); release them before deleting.
        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { FilePath, FilePath + "-wal", FilePath + "-shm" })
        {
            try
            {
                File.Delete(file);
            }
            catch (IOException)
            {
                // Another test's pool may still hold it for a moment; the temp folder is cleaned eventually.
            }
        }
    }
}
