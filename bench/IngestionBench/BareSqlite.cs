using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;

namespace Engagement.Bench.Ingestion;

/// <summary>The figures of one bare SQLite run.</summary>
internal sealed record BareRunResult(int Records, TimeSpan Elapsed, TimeSpan Cpu, string JournalMode, string Synchronous);

/// <summary>
/// The floor the app is compared with: the same rows inserted straight into a fresh SQLite file with the same
/// attendance table, one transaction per batch, one prepared <c>INSERT</c>, no HTTP, no validation, no upsert logic.
/// </summary>
internal static partial class BareSqlite
{
    /// <summary>Copied from the attendance table and its index in src/Storage/Sqlite/SqliteSchema.cs (checked against the app's file by <see cref="CheckSameShape"/>).</summary>
    public const string AttendanceDdl = """
        CREATE TABLE attendance (
            partnership_id TEXT NOT NULL,
            meeting_id TEXT NOT NULL,
            person_id TEXT NOT NULL,
            status TEXT NOT NULL,
            seconds_attended INTEGER,
            updated_at TEXT NOT NULL,
            intervals TEXT,
            PRIMARY KEY (partnership_id, meeting_id, person_id)
        ) WITHOUT ROWID;
        CREATE INDEX attendance_person ON attendance (partnership_id, person_id);
        """;

    private static readonly string[] SynchronousNames = ["OFF", "NORMAL", "FULL", "EXTRA"];

    /// <summary>Inserts the rows into a new file at <paramref name="path"/>; <paramref name="synchronous"/> null keeps SQLite's default.</summary>
    public static BareRunResult Run(string path, string partnershipId, IReadOnlyList<AttendanceRow> rows, int batchSize, string? synchronous)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        }.ToString());
        connection.Open();

        // The app's store puts its file in WAL mode; so does the floor.
        var journal = Scalar(connection, "PRAGMA journal_mode=WAL;");
        if (synchronous is not null)
        {
            Execute(connection, $"PRAGMA synchronous={synchronous};");
        }

        var synchronousLevel = Convert.ToInt32(Scalar(connection, "PRAGMA synchronous;"), CultureInfo.InvariantCulture);
        Execute(connection, AttendanceDdl);

        using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO attendance (partnership_id, meeting_id, person_id, status, seconds_attended, updated_at) VALUES ($p, $m, $person, $s, $sec, $now)";
        var p = insert.Parameters.Add("$p", SqliteType.Text);
        var m = insert.Parameters.Add("$m", SqliteType.Text);
        var person = insert.Parameters.Add("$person", SqliteType.Text);
        var s = insert.Parameters.Add("$s", SqliteType.Text);
        var sec = insert.Parameters.Add("$sec", SqliteType.Integer);
        var now = insert.Parameters.Add("$now", SqliteType.Text);
        p.Value = partnershipId;
        now.Value = "2026-01-10T00:00:00.0000000+00:00";

        using var self = Process.GetCurrentProcess();
        var cpuBefore = self.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        for (var first = 0; first < rows.Count; first += batchSize)
        {
            using var transaction = connection.BeginTransaction();
            insert.Transaction = transaction;
            if (first == 0)
            {
                insert.Prepare();
            }

            var end = Math.Min(first + batchSize, rows.Count);
            for (var i = first; i < end; i++)
            {
                var row = rows[i];
                m.Value = row.MeetingId;
                person.Value = row.PersonId;
                s.Value = row.Status;
                sec.Value = row.SecondsAttended is { } seconds ? seconds : DBNull.Value;
                if (insert.ExecuteNonQuery() != 1)
                {
                    throw new BenchFailureException($"Bare SQLite: row {i} was not inserted.");
                }
            }

            transaction.Commit();
        }

        watch.Stop();
        self.Refresh();
        var cpu = self.TotalProcessorTime - cpuBefore;
        var count = Convert.ToInt64(Scalar(connection, "SELECT COUNT(*) FROM attendance;"), CultureInfo.InvariantCulture);
        if (count != rows.Count)
        {
            throw new BenchFailureException($"Bare SQLite: the table holds {count} rows, expected {rows.Count}.");
        }

        return new BareRunResult(rows.Count, watch.Elapsed, cpu, journal?.ToString() ?? "?", SynchronousNames.ElementAtOrDefault(synchronousLevel) ?? synchronousLevel.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// Opens the app's file after its run and checks that the attendance table and index have the shape this
    /// harness copied, and that it holds <paramref name="expectedRows"/> rows of the partnership.
    /// </summary>
    public static void CheckSameShape(string appDatabasePath, string partnershipId, int expectedRows)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = appDatabasePath,
            Mode = SqliteOpenMode.ReadWrite,
            Pooling = false,
        }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT sql FROM sqlite_master WHERE tbl_name = 'attendance' AND sql IS NOT NULL ORDER BY type DESC, name";
        var statements = new List<string>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                statements.Add(reader.GetString(0));
            }
        }

        var appShape = Normalize(string.Join(";", statements) + ";");
        var ours = Normalize(AttendanceDdl);
        if (appShape != ours)
        {
            throw new BenchFailureException($"The app's attendance table differs from the harness's copy; update BareSqlite.AttendanceDdl.{Environment.NewLine}app:     {appShape}{Environment.NewLine}harness: {ours}");
        }

        command.CommandText = "SELECT COUNT(*) FROM attendance WHERE partnership_id = $p";
        command.Parameters.AddWithValue("$p", partnershipId);
        var count = Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        if (count != expectedRows)
        {
            throw new BenchFailureException($"The app's file holds {count} attendance rows of '{partnershipId}', expected {expectedRows}.");
        }
    }

    private static string Normalize(string sql) => Spaces().Replace(sql, " ").Replace("( ", "(", StringComparison.Ordinal).Replace(" )", ")", StringComparison.Ordinal).Replace(" ;", ";", StringComparison.Ordinal).Replace("; ", ";", StringComparison.Ordinal).Trim();

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
