using System.Text.Json;
using Engagement.Core.Domain;
using Engagement.Core.Storage;
using static Engagement.Storage.StoredValues;
using static Engagement.Storage.Sqlite.SqliteDatabase;

namespace Engagement.Storage.Sqlite;

/// <summary>Microsoft 365 source registrations and their checkpoints in SQLite.</summary>
public sealed class SqliteIntegrationStore(SqliteDatabase db) : IIntegrationStore
{
    public async Task<WriteOutcome> UpsertIntegrationAsync(IntegrationRegistration registration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registration);
        var settings = JsonSerializer.Serialize(new SortedDictionary<string, string>(registration.Settings.ToDictionary(), StringComparer.Ordinal), Json);
        return Outcome(await db.UpsertAsync(SqlTables.Integrations, [[registration.PartnershipId, WireNames.Format(registration.Kind), registration.Id, settings]], cancellationToken));
    }

    public Task<IReadOnlyList<IntegrationRegistration>> ListIntegrationsAsync(string partnershipId, CancellationToken cancellationToken = default) =>
        db.QueryAsync("SELECT partnership_id, kind, id, settings, checkpoint FROM integrations WHERE partnership_id = $p0 ORDER BY kind, id", [partnershipId], r => new IntegrationRegistration
        {
            PartnershipId = r.GetString(0),
            Kind = Parse<IntegrationKind>(r.GetString(1)),
            Id = r.GetString(2),
            Settings = JsonSerializer.Deserialize<Dictionary<string, string>>(r.GetString(3), Json) ?? [],
            Checkpoint = r.IsDBNull(4) ? null : r.GetString(4),
        }, cancellationToken);

    public async Task<bool> DeleteIntegrationAsync(string partnershipId, IntegrationKind kind, string id, CancellationToken cancellationToken = default) =>
        await db.ExecuteAsync("DELETE FROM integrations WHERE partnership_id = $p0 AND kind = $p1 AND id = $p2", [partnershipId, WireNames.Format(kind), id], cancellationToken) > 0;

    public async Task SetIntegrationCheckpointAsync(string partnershipId, IntegrationKind kind, string id, string? checkpoint, CancellationToken cancellationToken = default)
    {
        if (await db.ExecuteAsync("UPDATE integrations SET checkpoint = $p3, updated_at = $p4 WHERE partnership_id = $p0 AND kind = $p1 AND id = $p2", [partnershipId, WireNames.Format(kind), id, checkpoint, Instant(db.Time.GetUtcNow())], cancellationToken) == 0)
        {
            throw new ArgumentException($"No {WireNames.Format(kind)} '{id}' is registered for partnership '{partnershipId}'.", nameof(id));
        }
    }
}
