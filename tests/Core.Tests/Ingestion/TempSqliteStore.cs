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
        Store = new SqliteEngagementStore(FilePath, Time);
    }

    public string FilePath { get; }

    public ManualTimeProvider Time { get; }

    public SqliteEngagementStore Store { get; }

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
