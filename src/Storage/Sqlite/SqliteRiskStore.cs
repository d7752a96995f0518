using System.Text.Json;
using Engagement.Core.Domain;
using Engagement.Core.Storage;
using static Engagement.Storage.StoredValues;
using static Engagement.Storage.Sqlite.SqliteDatabase;

namespace Engagement.Storage.Sqlite;

/// <summary>Risk snapshots in SQLite.</summary>
public sealed class SqliteRiskStore(SqliteDatabase db) : IRiskStore
{
    public Task<WriteCounts> UpsertRiskSnapshotsAsync(string partnershipId, IReadOnlyList<RiskSnapshot> snapshots, CancellationToken cancellationToken = default) =>
        db.UpsertAsync(SqlTables.RiskSnapshots, snapshots.Select(r => new object?[]
        {
            Same(partnershipId, r.PartnershipId), Date(r.AsOfDate), r.OrganizationId ?? string.Empty, r.OrganizationId, Instant(r.ScoredAt), r.Probability, r.Band, r.ModelVersion, r.PriorModel ? 1 : 0,
            r.PreviousProbability, JsonSerializer.Serialize(r.Reasons, Json), JsonSerializer.Serialize(r.Features, Json),
        }), cancellationToken);

    public Task<IReadOnlyList<RiskSnapshot>> ListRiskSnapshotsAsync(string partnershipId, DateOnly from, DateOnly to, CancellationToken cancellationToken = default) =>
        db.QueryAsync(
            $"SELECT {SnapshotColumns} FROM risk_snapshots WHERE partnership_id = $p0 AND as_of_date >= $p1 AND as_of_date <= $p2 ORDER BY as_of_date, organization_key",
            [partnershipId, Date(from), Date(to)], ReadSnapshot, cancellationToken);

    public Task<IReadOnlyList<RiskSnapshot>> ListOrganizationSnapshotsAsync(string partnershipId, string organizationId, DateOnly from, DateOnly to, CancellationToken cancellationToken = default) =>
        db.QueryAsync(
            $"SELECT {SnapshotColumns} FROM risk_snapshots WHERE partnership_id = $p0 AND as_of_date >= $p1 AND as_of_date <= $p2 AND organization_key = $p3 ORDER BY as_of_date",
            [partnershipId, Date(from), Date(to), organizationId], ReadSnapshot, cancellationToken);

    public Task<IReadOnlyList<RiskPoint>> ListRiskPointsAsync(string partnershipId, DateOnly from, DateOnly to, CancellationToken cancellationToken = default) =>
        db.QueryAsync(
            "SELECT organization_id, as_of_date, scored_at, probability, band FROM risk_snapshots WHERE partnership_id = $p0 AND as_of_date >= $p1 AND as_of_date <= $p2 ORDER BY as_of_date, organization_key",
            [partnershipId, Date(from), Date(to)],
            r => new RiskPoint(r.IsDBNull(0) ? null : r.GetString(0), ParseDate(r.GetString(1)), ParseInstant(r.GetString(2)), r.GetDouble(3), r.GetString(4)),
            cancellationToken);

    private const string SnapshotColumns = "partnership_id, organization_id, as_of_date, scored_at, probability, band, model_version, prior_model, previous_probability, reasons, features";

    private static RiskSnapshot ReadSnapshot(Microsoft.Data.Sqlite.SqliteDataReader r) => new()
    {
        PartnershipId = r.GetString(0),
        OrganizationId = r.IsDBNull(1) ? null : r.GetString(1),
        AsOfDate = ParseDate(r.GetString(2)),
        ScoredAt = ParseInstant(r.GetString(3)),
        Probability = r.GetDouble(4),
        Band = r.GetString(5),
        ModelVersion = r.GetString(6),
        PriorModel = r.GetInt64(7) != 0,
        PreviousProbability = r.IsDBNull(8) ? null : r.GetDouble(8),
        Reasons = JsonSerializer.Deserialize<List<SnapshotReason>>(r.GetString(9), Json) ?? [],
        Features = JsonSerializer.Deserialize<Dictionary<string, double>>(r.GetString(10), Json) ?? [],
    };
}
