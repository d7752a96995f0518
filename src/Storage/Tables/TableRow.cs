using System.Reflection;
using System.Runtime.Serialization;
using Azure;
using Azure.Data.Tables;

namespace Engagement.Storage.Tables;

/// <summary>
/// What every stored row shares. Each row kind is a typed class (see <c>Rows/</c>) whose public properties are the
/// entity's properties, under the names and Table types the store has always written, so rows written by earlier
/// versions of the app read unchanged. Azure.Data.Tables binds them by reflection: a public member that is not an
/// entity property must carry <see cref="IgnoreDataMemberAttribute"/>.
/// </summary>
internal abstract class TableRow : ITableEntity
{
    public string PartitionKey { get; set; } = string.Empty;

    public string RowKey { get; set; } = string.Empty;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    /// <summary>When the store last changed the row; not compared, so a write that changes nothing leaves the row alone.</summary>
    public DateTimeOffset? UpdatedAt { get; set; }

    /// <summary>A copy to adjust and send, leaving the original as it was asked for (a write may be attempted again).</summary>
    public TableRow Copy() => (TableRow)MemberwiseClone();
}

/// <summary>The Table service's limits, checked before sending.</summary>
internal static class TableLimits
{
    /// <summary>Longest string property the service accepts, in UTF-16 code units (64 KiB).</summary>
    public const int MaxStringLength = 32 * 1024;

    /// <summary>Largest entity (1 MiB), counted as the service documents it.</summary>
    public const int MaxEntitySize = 1024 * 1024;

    /// <summary>Most actions in one entity group transaction.</summary>
    public const int MaxTransactionActions = 100;

    /// <summary>
    /// Most bytes of entities in one transaction: the service takes 4 MiB of request body, which also holds each
    /// action's headers.
    /// </summary>
    public const int MaxTransactionBytes = 3 * 1024 * 1024;
}

/// <summary>
/// The properties of a row kind as the service will receive them: checked against the service's limits before
/// anything is sent (so a record too large answers 413 naming the property, and nothing is ever truncated), and
/// compared with what is stored to count created, updated and unchanged records.
/// </summary>
internal static class RowShape<TRow> where TRow : TableRow
{
    private static readonly Member[] Members = Read();

    private sealed record Member(string Name, Func<object?, object?> Get, bool Compared);

    /// <summary>Whether two rows hold the same values (keys, ETag, Timestamp and UpdatedAt aside).</summary>
    public static bool SameData(TRow a, TRow b)
    {
        foreach (var member in Members)
        {
            if (member.Compared && !Equals(member.Get(a), member.Get(b)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Throws <see cref="RecordTooLargeException"/> when the row is over a limit (64 KiB per property, 1 MiB per
    /// entity) and <see cref="ArgumentException"/> for a key the service refuses. Returns an upper bound of the row's
    /// size in a transaction body, to keep each transaction under the service's 4 MiB.
    /// </summary>
    public static int Check(TRow row)
    {
        TableKeys.Validate(row.PartitionKey, nameof(row.PartitionKey));
        TableKeys.Validate(row.RowKey, nameof(row.RowKey));
        // UpdatedAt is counted whether or not it is set yet: the writer sets it just before sending.
        var size = 4 + (row.PartitionKey.Length * 2) + (row.RowKey.Length * 2) + 8 + (nameof(TableRow.UpdatedAt).Length * 2) + 8;
        var body = 512 + JsonLength(row.PartitionKey) + JsonLength(row.RowKey) + 96;
        foreach (var member in Members)
        {
            var value = member.Get(row);
            if (value is null || member.Name == nameof(TableRow.UpdatedAt))
            {
                continue;
            }

            if (value is string s && s.Length > TableLimits.MaxStringLength)
            {
                throw new RecordTooLargeException($"Property '{member.Name}' of record ({row.PartitionKey}, {row.RowKey}) holds {s.Length} characters; the Table service accepts at most {TableLimits.MaxStringLength}.");
            }

            size += 8 + (member.Name.Length * 2) + value switch
            {
                string text => 4 + (text.Length * 2),
                bool => 1,
                int => 4,
                Guid => 16,
                _ => 8,
            };
            body += member.Name.Length + 48 + (value is string t ? JsonLength(t) : 40);
        }

        return size <= TableLimits.MaxEntitySize
            ? body
            : throw new RecordTooLargeException($"Record ({row.PartitionKey}, {row.RowKey}) is {size} bytes; the Table service accepts at most {TableLimits.MaxEntitySize}.");
    }

    /// <summary>An upper bound of a string's length in JSON: Azure.Core escapes every character outside printable ASCII as \uXXXX.</summary>
    private static int JsonLength(string value)
    {
        var length = 2;
        foreach (var c in value)
        {
            length += c is >= ' ' and < '\u007F' ? 1 : 6;
        }

        return length;
    }

    private static Member[] Read()
    {
        static bool Bound(MemberInfo m) => !m.IsDefined(typeof(IgnoreDataMemberAttribute)) && m.Name is not (nameof(TableRow.PartitionKey) or nameof(TableRow.RowKey) or nameof(TableRow.ETag) or nameof(TableRow.Timestamp));

        var properties = typeof(TRow).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetMethod?.IsPublic == true && p.GetIndexParameters().Length == 0 && Bound(p))
            .Select(p => new Member(p.Name, p.GetValue, p.Name != nameof(TableRow.UpdatedAt)));
        var fields = typeof(TRow).GetFields(BindingFlags.Public | BindingFlags.Instance)
            .Where(Bound)
            .Select(f => new Member(f.Name, f.GetValue, true));
        return [.. properties.Concat(fields)];
    }
}
