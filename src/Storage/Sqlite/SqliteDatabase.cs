using System.Globalization;
using System.Text.Json;
using Engagement.Core.Domain;
using Engagement.Core.Storage;
using static Engagement.Storage.StoredValues;
using Microsoft.Data.Sqlite;

namespace Engagement.Storage.Sqlite;

/// <summary>
/// The embedded default store's file: one SQLite database in WAL mode. Each write method is one transaction
/// (<c>BEGIN IMMEDIATE</c>), so a batch is stored whole or not at all. Upserts count what they did by trying an
/// insert, then an update guarded by "some value differs". Writers of one store instance take turns on an async
/// lock before they begin: SQLite admits one writer at a time anyway, and a writer that finds the file busy is
/// retried by Microsoft.Data.Sqlite only after a blocking 150 ms sleep. Other processes still meet that retry.
/// </summary>
/// <remarks>The ports (<see cref="SqlitePartnershipStore"/> and the others) share one instance: its writer turns and migration.</remarks>
public sealed class SqliteDatabase : IStoreHealth
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly string _connectionString;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _migrationLock = new(1, 1);
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private volatile bool _migrated;

    public SqliteDatabase(string path, TimeProvider time)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var fullPath = System.IO.Path.GetFullPath(path);
        if (System.IO.Path.GetDirectoryName(fullPath) is { } directory)
        {
            Directory.CreateDirectory(directory);
        }

        Path = fullPath;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = fullPath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        _time = time;
    }

    /// <summary>The clock of the times the store records.</summary>
    internal TimeProvider Time => _time;

    /// <summary>The ports of this backend, sharing this instance.</summary>
    public EngagementStores CreateStores() => new()
    {
        Health = this,
        Partnerships = new SqlitePartnershipStore(this),
        Roster = new SqliteRosterStore(this),
        Attendance = new SqliteAttendanceStore(this),
        Forms = new SqliteFormStore(this),
        Risk = new SqliteRiskStore(this),
        Models = new SqliteModelStore(this),
        Alerts = new SqliteAlertStore(this),
        ExportAudit = new SqliteExportAuditStore(this),
        Integrations = new SqliteIntegrationStore(this),
        Privacy = new SqlitePrivacyStore(this),
        SignIns = new SqliteSignInStore(this),
        ActionPlans = new SqliteActionPlanStore(this),
    };

    /// <summary>Full path of the database file.</summary>
    public string Path { get; }

    /// <summary>The schema version of the file (0 before the first migration).</summary>
    public async Task<int> GetSchemaVersionAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenRawAsync(cancellationToken);
        return await UserVersionAsync(connection, cancellationToken);
    }

    /// <summary>Brings the file to the latest schema; safe to call any number of times, from several processes.</summary>
    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        if (_migrated)
        {
            return;
        }

        await _migrationLock.WaitAsync(cancellationToken);
        try
        {
            if (_migrated)
            {
                return;
            }

            await using var connection = await OpenRawAsync(cancellationToken);
            await ExecuteAsync(connection, "PRAGMA journal_mode=WAL;", cancellationToken);
            while (true)
            {
                await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
                var version = await UserVersionAsync(connection, cancellationToken, transaction);
                if (version >= SqliteSchema.LatestVersion)
                {
                    break;
                }

                await ExecuteAsync(connection, SqliteSchema.Migrations[version], cancellationToken, transaction);
                await ExecuteAsync(connection, $"PRAGMA user_version = {(version + 1).ToString(CultureInfo.InvariantCulture)};", cancellationToken, transaction);
                await transaction.CommitAsync(cancellationToken);
            }

            _migrated = true;
        }
        finally
        {
            _migrationLock.Release();
        }
    }

    public async Task<StoreHealth> CheckHealthAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await OpenAsync(cancellationToken);
            var version = await UserVersionAsync(connection, cancellationToken);
            return new StoreHealth("sqlite", true, $"schema version {version} at {Path}");
        }
        catch (SqliteException ex)
        {
            return new StoreHealth("sqlite", false, ex.Message);
        }
    }

    internal Task<WriteCounts> UpsertAsync(TableSpec table, IEnumerable<object?[]> rows, CancellationToken cancellationToken) =>
        RunAsync(() => UpsertCoreAsync(table, rows, cancellationToken));

    private Task<WriteCounts> UpsertCoreAsync(TableSpec table, IEnumerable<object?[]> rows, CancellationToken cancellationToken) =>
        InTransactionAsync((connection, transaction) => UpsertRowsAsync(connection, transaction, table, rows, cancellationToken), cancellationToken);

    /// <summary>Runs writes in one transaction, in the writers' turn: all of them are stored, or none.</summary>
    internal async Task<T> InTransactionAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> write, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        using var turn = await WriterTurnAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var result = await write(connection, transaction);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    /// <summary>
    /// Upserts rows inside a transaction and counts what it did. A row holds the keys, the values, then the
    /// <see cref="TableSpec.InsertOnly"/> columns (written by the insert, never compared or replaced). A table without
    /// values keeps every row as first written.
    /// </summary>
    internal async Task<WriteCounts> UpsertRowsAsync(SqliteConnection connection, SqliteTransaction transaction, TableSpec table, IEnumerable<object?[]> rows, CancellationToken cancellationToken)
    {
        var now = Instant(_time.GetUtcNow());
        var columns = table.Keys.Concat(table.Values).Concat(table.InsertOnly ?? []).ToArray();
        var parameters = columns.Select((_, i) => $"$p{i}").ToArray();
        var insertSql = $"INSERT INTO {table.Name} ({string.Join(", ", columns.Select(Quote))}, updated_at) VALUES ({string.Join(", ", parameters)}, $now) ON CONFLICT ({string.Join(", ", table.Keys.Select(Quote))}) DO NOTHING";
        var keyMatch = string.Join(" AND ", table.Keys.Select((k, i) => $"{Quote(k)} = $p{i}"));
        var same = string.Join(" AND ", table.Values.Select((v, i) => $"{Quote(v)} IS $p{i + table.Keys.Length}"));
        var set = string.Join(", ", table.Values.Select((v, i) => $"{Quote(v)} = $p{i + table.Keys.Length}")) + (table.ExtraSet is null ? string.Empty : ", " + table.ExtraSet);
        var updateSql = table.Values.Length == 0 ? null : $"UPDATE {table.Name} SET {set}, updated_at = $now WHERE {keyMatch} AND NOT ({same})";

        await using var insert = Command(connection, insertSql, new object?[columns.Length], transaction);
        await using var update = updateSql is null ? null : Command(connection, updateSql, new object?[columns.Length], transaction);
        insert.Parameters.AddWithValue("$now", now);
        update?.Parameters.AddWithValue("$now", now);
        insert.Prepare();
        update?.Prepare();
        var counts = default(WriteCounts);
        foreach (var row in rows)
        {
            for (var i = 0; i < columns.Length; i++)
            {
                var value = row[i] ?? DBNull.Value;
                insert.Parameters[i].Value = value;
                if (update is not null)
                {
                    update.Parameters[i].Value = value;
                }
            }

            if (await insert.ExecuteNonQueryAsync(cancellationToken) == 1)
            {
                counts = counts.With(WriteOutcome.Created);
            }
            else
            {
                counts = counts.With(update is not null && await update.ExecuteNonQueryAsync(cancellationToken) == 1 ? WriteOutcome.Updated : WriteOutcome.Unchanged);
            }
        }

        return counts;
    }

    internal Task<IReadOnlyList<T>> QueryAsync<T>(string sql, object?[] parameters, Func<SqliteDataReader, T> read, CancellationToken cancellationToken) =>
        RunAsync(() => QueryCoreAsync(sql, parameters, read, cancellationToken));

    private async Task<IReadOnlyList<T>> QueryCoreAsync<T>(string sql, object?[] parameters, Func<SqliteDataReader, T> read, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var list = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(read(reader));
        }

        return list;
    }

    /// <summary>Waits for this instance's other writers; disposing the turn lets the next one in.</summary>
    internal async Task<WriterTurn> WriterTurnAsync(CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        return new WriterTurn(_writeLock);
    }

    internal sealed class WriterTurn(SemaphoreSlim writeLock) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                writeLock.Release();
            }
        }
    }

    internal async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        await MigrateAsync(cancellationToken);
        return await OpenRawAsync(cancellationToken);
    }

    private async Task<SqliteConnection> OpenRawAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    internal static SqliteCommand Command(SqliteConnection connection, string sql, object?[] parameters, SqliteTransaction? transaction = null)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        for (var i = 0; i < parameters.Length; i++)
        {
            command.Parameters.AddWithValue($"$p{i}", parameters[i] ?? DBNull.Value);
        }

        return command;
    }

    /// <summary>One statement on its own connection; answers the rows it changed.</summary>
    internal Task<int> ExecuteAsync(string sql, object?[] parameters, CancellationToken cancellationToken) =>
        RunAsync(async () =>
        {
            await using var connection = await OpenAsync(cancellationToken);
            await using var command = Command(connection, sql, parameters);
            return await command.ExecuteNonQueryAsync(cancellationToken);
        });

    /// <summary>Runs one store operation; SQLite's failures leave it as the product's exceptions (<see cref="Translate"/>).</summary>
    internal static async Task<T> RunAsync<T>(Func<Task<T>> operation)
    {
        try
        {
            return await operation();
        }
        catch (SqliteException ex) when (Translate(ex) is { } translated)
        {
            throw translated;
        }
    }

    /// <summary>Runs one store operation that answers nothing; see <see cref="RunAsync{T}(Func{Task{T}})"/>.</summary>
    internal static Task RunAsync(Func<Task> operation) => RunAsync(async () =>
    {
        await operation();
        return true;
    });

    /// <summary>The records of <paramref name="source"/> as they are read; SQLite's failures leave as the product's exceptions.</summary>
    internal static async IAsyncEnumerable<T> Translated<T>(IAsyncEnumerable<T> source, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var records = source.GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            bool more;
            try
            {
                more = await records.MoveNextAsync();
            }
            catch (SqliteException ex) when (Translate(ex) is { } translated)
            {
                throw translated;
            }

            if (!more)
            {
                yield break;
            }

            yield return records.Current;
        }
    }

    /// <summary>
    /// The product's exception for a SQLite failure the caller can act on, or null to let it through (a programming
    /// error: the log will say). Microsoft.Data.Sqlite's own type never reaches the HTTP layer.
    /// </summary>
    internal static StoreException? Translate(SqliteException exception) => exception.SqliteErrorCode switch
    {
        5 or 6 => new StoreUnavailableException("The SQLite file stayed busy with another writer (another process on the same file); nothing was stored.", exception),
        8 or 10 or 13 or 14 => new StoreUnavailableException($"The SQLite file could not be read or written ({exception.Message.Split('\n')[0]}); nothing was stored.", exception),
        19 => new StoreConflictException("Another request changed the same records at the same time (for instance gave the same e-mail to another person); nothing of this request was stored. Read the current state and send it again.", exception),
        _ => null,
    };

    internal static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken, SqliteTransaction? transaction = null)
    {
        await using var command = Command(connection, sql, [], transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<int> UserVersionAsync(SqliteConnection connection, CancellationToken cancellationToken, SqliteTransaction? transaction = null)
    {
        await using var command = Command(connection, "PRAGMA user_version;", [], transaction);
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    private static string Quote(string column) => column == "end" ? "\"end\"" : column;

    internal static string Utc(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    internal sealed record TableSpec(string Name, string[] Keys, string[] Values, string? ExtraSet = null, string[]? InsertOnly = null);

    internal static class SqlTables
    {
        public static readonly TableSpec Partnerships = new("partnerships", ["id"], ["name", "territory", "language", "coordinator_emails", "alert_emails"]);
        public static readonly TableSpec Organizations = new("organizations", ["partnership_id", "id"], ["name", "sector"]);

        // Giving a name or e-mail again to an erased person makes them a known person again.
        public static readonly TableSpec People = new("people", ["partnership_id", "id"], ["display_name", "email"], "erased_at = CASE WHEN $p2 IS NULL AND $p3 IS NULL THEN erased_at ELSE NULL END");
        public static readonly TableSpec Representations = new("representations", ["partnership_id", "id"], ["organization_id", "person_id", "role", "from_date", "to_date"]);
        public static readonly TableSpec Meetings = new("meetings", ["partnership_id", "id"], ["title", "start", "start_utc", "end", "kind", "source", "teams_join_url", "cancelled"]);
        public static readonly TableSpec Attendance = new("attendance", ["partnership_id", "meeting_id", "person_id"], ["status", "seconds_attended", "intervals"]);
        public static readonly TableSpec Integrations = new("integrations", ["partnership_id", "kind", "id"], ["settings"]);
        public static readonly TableSpec Forms = new("forms", ["id"], ["partnership_id", "kind", "title", "diagnostic", "questions"]);
        public static readonly TableSpec RiskSnapshots = new("risk_snapshots", ["partnership_id", "as_of_date", "organization_key"], ["organization_id", "scored_at", "probability", "band", "model_version", "prior_model", "previous_probability", "reasons", "features"]);
        public static readonly TableSpec Models = new("models", ["version"], ["kind", "created_at", "artifact"]);
        public static readonly TableSpec Objectives = new("objectives", ["partnership_id", "id"], ["title", "description", "sort_order", "results", "means", "adjustments", "learnings"]);
        public static readonly TableSpec PlanActions = new("plan_actions", ["partnership_id", "id"], ["objective_id", "title", "lead_organization_id", "partner_organization_ids", "start_on", "due_on", "deliverables", "resources"], InsertOnly: ["recorded_at"]);
        public static readonly TableSpec ActionUpdates = new("action_updates", ["partnership_id", "id"], [], InsertOnly: ["action_id", "at", "at_utc", "status", "source", "organization_id", "person_id", "done", "obstacles", "help_needed"]);
        public static readonly TableSpec FormSubmissions = new("form_submissions", ["partnership_id", "form_id", "response_id"], ["kind", "respondent_person_id", "respondent_email", "submitted_at", "submitted_at_utc", "answers", "diagnostic_items"]);
    }
}
