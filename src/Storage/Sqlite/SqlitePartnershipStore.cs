using System.Text.Json;
using Engagement.Core.Domain;
using Engagement.Core.Storage;
using static Engagement.Storage.StoredValues;
using Microsoft.Data.Sqlite;
using static Engagement.Storage.Sqlite.SqliteDatabase;

namespace Engagement.Storage.Sqlite;

/// <summary>Partnerships in SQLite.</summary>
public sealed class SqlitePartnershipStore(SqliteDatabase db) : IPartnershipStore
{
    public async Task<WriteOutcome> UpsertPartnershipAsync(Partnership partnership, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(partnership);
        var counts = await db.UpsertAsync(SqlTables.Partnerships, [[partnership.Id, partnership.Name, partnership.Territory, WireNames.Format(partnership.Language), JsonSerializer.Serialize(partnership.CoordinatorEmails, Json), partnership.AlertEmails ? 1 : 0]], cancellationToken);
        return Outcome(counts);
    }

    public async Task<Partnership?> GetPartnershipAsync(string partnershipId, CancellationToken cancellationToken = default)
    {
        var list = await db.QueryAsync("SELECT id, name, territory, language, coordinator_emails, alert_emails FROM partnerships WHERE id = $p0", [partnershipId], ReadPartnership, cancellationToken);
        return list.Count == 0 ? null : list[0];
    }

    public Task<IReadOnlyList<Partnership>> ListPartnershipsAsync(CancellationToken cancellationToken = default) =>
        db.QueryAsync("SELECT id, name, territory, language, coordinator_emails, alert_emails FROM partnerships ORDER BY id", [], ReadPartnership, cancellationToken);

    private static Partnership ReadPartnership(SqliteDataReader r) => new()
    {
        Id = r.GetString(0),
        Name = r.GetString(1),
        Territory = r.IsDBNull(2) ? null : r.GetString(2),
        Language = Parse<PartnershipLanguage>(r.GetString(3)),
        CoordinatorEmails = JsonSerializer.Deserialize<List<string>>(r.GetString(4), Json) ?? [],
        AlertEmails = r.GetInt64(5) != 0,
    };
}
