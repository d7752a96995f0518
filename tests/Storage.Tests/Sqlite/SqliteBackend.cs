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

    /// <summary>A file at the schema version before <c>alert_emails</c>, holding the partnership; the stores migrate it on first use.</summary>
    public async Task WriteLegacyPartnershipAsync(string id, string name)
    {
        // The version before the step that added the column, whatever steps come after it.
        var previous = Array.FindIndex(SqliteSchema.Migrations, m => m.Contains("ADD COLUMN alert_emails", StringComparison.Ordinal));
        Assert.True(previous > 0);
        Assert.Equal(0, await Database.GetSchemaVersionAsync());
        await using var connection = new SqliteConnection($"Data Source={DatabasePath}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = string.Concat(SqliteSchema.Migrations[..previous])
            + $"PRAGMA user_version = {previous};"
            + "INSERT INTO partnerships (id, name, language, coordinator_emails, updated_at) VALUES ($id, $name, 'fr', '[\"coord@example.org\"]', '2026-01-01T00:00:00.0000000Z');";
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$name", name);
        await command.ExecuteNonQueryAsync();
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
