using Engagement.Core.Domain;
using Engagement.Storage.Sqlite;
using Engagement.Storage.Tests.Contract;
using Engagement.Tests;
using Microsoft.Data.Sqlite;

namespace Engagement.Storage.Tests.Sqlite;

/// <summary>What only SQLite has: the schema and its migrations, WAL, several instances on one file.</summary>
public sealed class SqliteDatabaseTests : StoreContract
{
    private readonly SqliteBackend _backend;

    public SqliteDatabaseTests()
        : this(new SqliteBackend())
    {
    }

    private SqliteDatabaseTests(SqliteBackend backend)
        : base(backend) => _backend = backend;

    private SqliteDatabase Sqlite => _backend.Database;

    private string DatabasePath => _backend.DatabasePath;

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
        await Stores.Partnerships.UpsertPartnershipAsync(NewPartnership(P));
        await Sqlite.MigrateAsync();

        var second = new SqliteDatabase(DatabasePath, Time);
        await second.MigrateAsync();

        Assert.Equal(SqliteSchema.LatestVersion, await second.GetSchemaVersionAsync());
        Assert.NotNull(await new SqlitePartnershipStore(second).GetPartnershipAsync(P));
    }

    [Fact]
    public async Task MigrateAsync_ConcurrentInstancesOnOneFile_MigrateOnce()
    {
        var stores = Enumerable.Range(0, 4).Select(_ => new SqliteDatabase(DatabasePath, Time)).ToList();

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
        var path = Path.Combine(_backend.Folder, "not-a-file.db");
        Directory.CreateDirectory(path);
        var database = new SqliteDatabase(path, Time);

        var health = await database.CheckHealthAsync();

        Assert.False(health.Healthy);
    }

    [Fact]
    public async Task Ports_FileCannotBeOpened_FailAsStoreUnavailable_NotAsSqliteException()
    {
        var path = Path.Combine(_backend.Folder, "a-folder.db");
        Directory.CreateDirectory(path);
        var stores = new SqliteDatabase(path, Time).CreateStores();

        var read = await Assert.ThrowsAsync<StoreUnavailableException>(() => stores.Partnerships.ListPartnershipsAsync());
        await Assert.ThrowsAsync<StoreUnavailableException>(() => stores.Roster.GetKeysAsync(P));
        await Assert.ThrowsAsync<StoreUnavailableException>(async () => await stores.Attendance.StreamMeetingsAsync(P).ToListAsync());

        Assert.IsType<SqliteException>(read.InnerException);
    }

    [Fact]
    public async Task UpsertAttendanceAsync_TwoInstancesOnOneFileInParallel_AllLand()
    {
        await SeedPartnershipAsync();
        var other = new SqliteAttendanceStore(new SqliteDatabase(DatabasePath, Time));
        var stores = new[] { Stores.Attendance, other, Stores.Attendance, other };

        var results = await Task.WhenAll(stores.Select((store, i) => Task.Run(() => store.UpsertAttendanceAsync(P,
            [.. Enumerable.Range(0, 200).Select(p => NewAttendance($"m{i}", $"person-{p:000}", AttendanceStatus.Present))]))));

        Assert.All(results, r => Assert.Equal(new WriteCounts(200, 0, 0), r));
        for (var i = 0; i < stores.Length; i++)
        {
            Assert.Equal(200, (await Stores.Attendance.GetAttendanceAsync(P, $"m{i}")).Count);
        }
    }

    [Fact]
    public async Task Store_NewInstanceOnTheSameFile_SeesEarlierWrites()
    {
        await SeedWithMeetingsAsync();

        var reopened = new SqliteDatabase(DatabasePath, new ManualTimeProvider(T0)).CreateStores();

        Assert.Equal(3, (await reopened.Attendance.ListMeetingsAsync(P)).Count);
        Assert.Equal(2, (await reopened.Roster.GetRosterAsync(P)).People.Count);
    }

    [Fact]
    public async Task UpsertPeopleAsync_EmailTakenByAnotherPerson_IsRefusedByTheSchema()
    {
        await SeedPartnershipAsync();
        await Stores.Roster.UpsertPeopleAsync(P, [NewPerson("marie", "Marie", "marie@example.org")]);

        // Ingestion checks this before writing; the unique index closes the gap between two concurrent requests.
        var error = await Assert.ThrowsAsync<StoreConflictException>(() => Stores.Roster.UpsertPeopleAsync(P, [NewPerson("other", "Other", "marie@example.org")]));

        Assert.Equal(19, Assert.IsType<SqliteException>(error.InnerException).SqliteErrorCode);
        Assert.Equal(["marie"], (await Stores.Roster.GetRosterAsync(P)).People.Select(p => p.Id));
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

        var database = new SqliteDatabase(DatabasePath, Time);
        Assert.Equal("Table", (await new SqlitePartnershipStore(database).GetPartnershipAsync("old"))!.Name);
        Assert.Equal(SqliteSchema.LatestVersion, await database.GetSchemaVersionAsync());
        Assert.Empty(await new SqliteRiskStore(database).ListRiskSnapshotsAsync("old", DateOnly.MinValue, DateOnly.MaxValue));
    }
}
