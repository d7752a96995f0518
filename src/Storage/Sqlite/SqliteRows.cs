using Engagement.Core.Domain;
using static Engagement.Storage.StoredValues;
using Microsoft.Data.Sqlite;

namespace Engagement.Storage.Sqlite;

/// <summary>Readers shared by several ports.</summary>
internal static class SqliteRows
{
    internal static Person ReadPerson(SqliteDataReader r) => new()
    {
        PartnershipId = r.GetString(0),
        Id = r.GetString(1),
        DisplayName = r.IsDBNull(2) ? null : r.GetString(2),
        Email = r.IsDBNull(3) ? null : r.GetString(3),
        ErasedAt = r.IsDBNull(4) ? null : ParseInstant(r.GetString(4)),
    };
}
