using Engagement.Core.Domain;
using Engagement.Core.Storage;
using Engagement.Storage.Sqlite;
using Engagement.Storage.Tests.Contract;
using Engagement.Tests;
using Microsoft.Data.Sqlite;

namespace Engagement.Storage.Tests.Sqlite;

/// <summary>The store contract on SQLite, one fresh file per test, plus what only SQLite has (schema, WAL).</summary>
public sealed class SqliteEngagementStoreTests : EngagementStoreContractTests
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"engagement-storage-tests-{Guid.NewGuid():N}");
    private SqliteEngagementStore? _sqlite;

    private SqliteEngagementStore Sqlite => _sqlite ?? throw new InvalidOperationException("The store is created in InitializeAsync.");

    private string DatabasePath => Path.Combine(_directory, "engagement.db");

    protected override Task<IEngagementStore> CreateStoreAsync(TimeProvider time)
    {
        _sqlite = new SqliteEngagementStore(DatabasePath, time);
        return Task.FromResult<IEngagementStore>(_sqlite);
    }

    protected override Task DeleteStoreAsync()
    {
        // Pooled connections keep the file open (which matters on Windows); release them before deleting.
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Another test's pool may still hold a handle for a moment; the temp folder is cleaned eventually.
        }

        return Task.CompletedTask;
    }

    [Fact]
    public async Task MigrateAsync_FreshFile_SetsTheLatestSchemaVersion()
    {
        Assert.Equal(0, await Sqlite.GetSchemaVersionAsync());

        await Sqlite.MigrateAsync();

        Assert.Equal(SqliteSchema.LatestVersion, await Sqlite.GetSchemaVersionAsync());
    }

    [Fact]
    public async Task MigrateAsync_TwiceAndFromASecondInstance_IsHarmless()
    {
        await Sqlite.MigrateAsync();
        await Sqlite.UpsertPartnershipAsync(NewPartnership(P));
        await Sqlite.MigrateAsync();

        var second = new SqliteEngagementStore(DatabasePath, Time);
        await second.MigrateAsync();

        Assert.Equal(SqliteSchema.LatestVersion, await second.GetSchemaVersionAsync());
        Assert.NotNull(await second.GetPartnershipAsync(P));
    }

    [Fact]
    public async Task MigrateAsync_ConcurrentInstancesOnOneFile_MigrateOnce()
    {
        var stores = Enumerable.Range(0, 4).Select(_ => new SqliteEngagementStore(DatabasePath, Time)).ToList();

        await Task.WhenAll(stores.Select(s => Task.Run(() => s.MigrateAsync())));

        Assert.Equal(SqliteSchema.LatestVersion, await Sqlite.GetSchemaVersionAsync());
    }

    [Fact]
    public async Task MigrateAsync_FreshFile_SetsJournalModeWal()
    {
        await Sqlite.MigrateAsync();

        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Sqlite.Path, Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";

        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task CheckHealthAsync_AfterFirstUse_NamesTheSchemaVersion()
    {
        var health = await Sqlite.CheckHealthAsync();

        Assert.Equal("sqlite", health.Provider);
        Assert.Contains($"schema version {SqliteSchema.LatestVersion}", health.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckHealthAsync_PathIsADirectory_ReportsUnhealthyWithoutThrowing()
    {
        var path = Path.Combine(_directory, "not-a-file.db");
        Directory.CreateDirectory(path);
        var store = new SqliteEngagementStore(path, Time);

        var health = await store.CheckHealthAsync();

        Assert.False(health.Healthy);
    }

    [Fact]
    public async Task UpsertAttendanceAsync_TwoInstancesOnOneFileInParallel_AllLand()
    {
        await SeedPartnershipAsync();
        var other = new SqliteEngagementStore(DatabasePath, Time);
        var stores = new[] { Sqlite, other, Sqlite, other };

        var results = await Task.WhenAll(stores.Select((store, i) => Task.Run(() => store.UpsertAttendanceAsync(P,
            [.. Enumerable.Range(0, 200).Select(p => NewAttendance($"m{i}", $"person-{p:000}", AttendanceStatus.Present))]))));

        Assert.All(results, r => Assert.Equal(new WriteCounts(200, 0, 0), r));
        for (var i = 0; i < stores.Length; i++)
        {
            Assert.Equal(200, (await Sqlite.GetAttendanceAsync(P, $"m{i}")).Count);
        }
    }

    [Fact]
    public async Task Store_NewInstanceOnTheSameFile_SeesEarlierWrites()
    {
        await SeedWithMeetingsAsync();

        var reopened = new SqliteEngagementStore(DatabasePath, new ManualTimeProvider(T0));

        Assert.Equal(3, (await reopened.ListMeetingsAsync(P)).Count);
        Assert.Equal(2, (await reopened.GetRosterAsync(P)).People.Count);
    }

    [Fact]
    public async Task UpsertPeopleAsync_EmailTakenByAnotherPerson_IsRefusedByTheSchema()
    {
        await SeedPartnershipAsync();
        await Store.UpsertPeopleAsync(P, [NewPerson("marie", "Marie", "marie@example.org")]);

        // Ingestion checks this before writing; the unique index closes the gap between two concurrent requests.
        var error = await Assert.ThrowsAsync<SqliteException>(() => Store.UpsertPeopleAsync(P, [NewPerson("other", "Other", "marie@example.org")]));

        Assert.Equal(19, error.SqliteErrorCode);
        Assert.Equal(["marie"], (await Store.GetRosterAsync(P)).People.Select(p => p.Id));
    }

    [Fact]
    public async Task MigrateAsync_FileAtVersionOne_AddsTheRiskTablesAndKeepsTheData()
    {
        // A file as the first release left it: only the first migration applied.
        Directory.CreateDirectory(Path.GetDirectoryName(DatabasePath)!);
        await using (var connection = new SqliteConnection($"Data Source={DatabasePath}"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = SqliteSchema.Migrations[0] + "PRAGMA user_version = 1; INSERT INTO partnerships (id, name, language, coordinator_emails, updated_at) VALUES ('old', 'Table', 'fr', '[]', '2026-01-01T00:00:00.0000000+00:00');";
            await command.ExecuteNonQueryAsync();
        }

        var store = new SqliteEngagementStore(DatabasePath, Time);
        Assert.Equal("Table", (await store.GetPartnershipAsync("old"))!.Name);
        Assert.Equal(SqliteSchema.LatestVersion, await store.GetSchemaVersionAsync());
        Assert.Empty(await store.ListRiskSnapshotsAsync("old", DateOnly.MinValue, DateOnly.MaxValue));
    }
}
