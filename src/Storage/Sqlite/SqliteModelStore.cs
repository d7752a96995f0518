using Engagement.Core.Domain;
using Engagement.Core.Storage;
using static Engagement.Storage.StoredValues;
using Microsoft.Data.Sqlite;
using static Engagement.Storage.Sqlite.SqliteDatabase;

namespace Engagement.Storage.Sqlite;

/// <summary>Models, the champion and retraining decisions in SQLite (the artifact in the <c>models</c> table).</summary>
public sealed class SqliteModelStore(SqliteDatabase db) : IModelStore
{
    public async Task<WriteOutcome> SaveModelAsync(StoredModel model, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Outcome(await db.UpsertAsync(SqlTables.Models, [[model.Version, model.Kind, Instant(model.CreatedAt), model.Artifact]], cancellationToken));
    }

    public async Task<StoredModel?> GetModelAsync(string version, CancellationToken cancellationToken = default) =>
        (await db.QueryAsync("SELECT version, kind, created_at, artifact FROM models WHERE version = $p0", [version], ReadModel, cancellationToken)).FirstOrDefault();

    public Task SetChampionAsync(string version, CancellationToken cancellationToken = default) =>
        RunAsync(async () =>
        {
            await using var connection = await db.OpenAsync(cancellationToken);
            await using var command = Command(connection, "INSERT INTO champion (id, version, updated_at) VALUES (1, $p0, $p1) ON CONFLICT (id) DO UPDATE SET version = excluded.version, updated_at = excluded.updated_at", [version, Instant(db.Time.GetUtcNow())]);
            try
            {
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
            catch (SqliteException ex) when (ex.SqliteErrorCode == 19)
            {
                throw new ArgumentException($"Model '{version}' is not stored.", nameof(version), ex);
            }
        });

    public async Task<StoredModel?> GetChampionAsync(CancellationToken cancellationToken = default) =>
        (await db.QueryAsync("SELECT m.version, m.kind, m.created_at, m.artifact FROM champion c JOIN models m ON m.version = c.version WHERE c.id = 1", [], ReadModel, cancellationToken)).FirstOrDefault();

    public async Task SaveRetrainingAsync(RetrainingRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        await db.ExecuteAsync(
            "INSERT INTO retrainings (ran_at, challenger_version, champion_version, promoted, reason, challenger_evaluation, champion_evaluation) VALUES ($p0, $p1, $p2, $p3, $p4, $p5, $p6) ON CONFLICT DO NOTHING",
            [Utc(record.RanAt), record.ChallengerVersion, record.ChampionVersion, record.Promoted ? 1 : 0, record.Reason, record.ChallengerEvaluation, record.ChampionEvaluation],
            cancellationToken);
    }

    public Task<IReadOnlyList<RetrainingRecord>> ListRetrainingsAsync(CancellationToken cancellationToken = default) =>
        db.QueryAsync(
            "SELECT ran_at, challenger_version, champion_version, promoted, reason, challenger_evaluation, champion_evaluation FROM retrainings ORDER BY ran_at DESC, challenger_version",
            [],
            r => new RetrainingRecord
            {
                RanAt = ParseInstant(r.GetString(0)),
                ChallengerVersion = r.GetString(1),
                ChampionVersion = r.GetString(2),
                Promoted = r.GetInt64(3) != 0,
                Reason = r.GetString(4),
                ChallengerEvaluation = r.GetString(5),
                ChampionEvaluation = r.GetString(6),
            },
            cancellationToken);

    private static StoredModel ReadModel(SqliteDataReader r) => new()
    {
        Version = r.GetString(0),
        Kind = r.GetString(1),
        CreatedAt = ParseInstant(r.GetString(2)),
        Artifact = r.GetString(3),
    };
}
