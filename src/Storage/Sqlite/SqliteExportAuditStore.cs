using Engagement.Core.Domain;
using Engagement.Core.Storage;
using static Engagement.Storage.StoredValues;
using static Engagement.Storage.Sqlite.SqliteDatabase;

namespace Engagement.Storage.Sqlite;

/// <summary>The export audit log in SQLite.</summary>
public sealed class SqliteExportAuditStore(SqliteDatabase db) : IExportAuditStore
{
    public async Task RecordExportAsync(ExportAudit audit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(audit);
        await db.ExecuteAsync(
            "INSERT INTO export_audit (at_utc, id, at, caller, what, rows, personal_data, filter) VALUES ($p0, $p1, $p2, $p3, $p4, $p5, $p6, $p7)",
            [Utc(audit.At), Guid.NewGuid().ToString("N"), Instant(audit.At), audit.Caller, audit.What, audit.Rows, audit.PersonalData ? 1 : 0, audit.Filter],
            cancellationToken);
    }

    public Task<IReadOnlyList<ExportAudit>> ListExportsAsync(DateTimeOffset since, CancellationToken cancellationToken = default) =>
        db.QueryAsync(
            "SELECT at, caller, what, rows, personal_data, filter FROM export_audit WHERE at_utc >= $p0 ORDER BY at_utc DESC",
            [Utc(since)],
            r => new ExportAudit { At = ParseInstant(r.GetString(0)), Caller = r.GetString(1), What = r.GetString(2), Rows = r.GetInt32(3), PersonalData = r.GetInt64(4) != 0, Filter = r.IsDBNull(5) ? null : r.GetString(5) },
            cancellationToken);
}
