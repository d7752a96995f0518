using System.Text.Json.Serialization;
using Engagement.Functions.Exports;

namespace Engagement.Functions.Datasets;

/// <summary>
/// <c>_manifest.json</c>, written last: the snapshot is complete when it exists, and it names exactly the snapshot's
/// files (paths relative to the snapshot's folder) with their rows, bytes and SHA-256, and each table's columns.
/// </summary>
internal sealed record DatasetManifest
{
    /// <summary>The manifest's own format; raised when a field changes meaning.</summary>
    public int Version { get; init; } = 1;

    /// <summary>The snapshot's date (UTC), the name of its folder.</summary>
    public required string Snapshot { get; init; }

    public required DateTimeOffset GeneratedAt { get; init; }

    /// <summary>Person keys are HMAC-SHA256 pseudonyms; no name or e-mail is published.</summary>
    public bool PersonalData { get; init; }

    public required IReadOnlyDictionary<string, ManifestTable> Tables { get; init; }
}

internal sealed record ManifestTable
{
    public required long Rows { get; init; }

    public required IReadOnlyList<ManifestColumn> Columns { get; init; }

    public required IReadOnlyList<ManifestFile> Files { get; init; }
}

/// <summary>A column: <c>string</c>, <c>int32</c>, <c>double</c>, <c>boolean</c>, <c>date</c> or <c>timestamp</c> (UTC, milliseconds, in Parquet).</summary>
internal sealed record ManifestColumn(string Name, string Type, bool Nullable)
{
    public static ManifestColumn Of(StarColumn column) => new(column.Name, column.Type switch
    {
        ColumnType.Integer => "int32",
        ColumnType.Double => "double",
        ColumnType.Boolean => "boolean",
        ColumnType.Date => "date",
        ColumnType.Timestamp => "timestamp",
        _ => "string",
    }, column.Nullable);
}

internal sealed record ManifestFile
{
    /// <summary>Relative to the snapshot's folder, e.g. <c>fact_attendance/parquet/p1.parquet</c>.</summary>
    public required string Path { get; init; }

    /// <summary><c>parquet</c> or <c>csv</c>.</summary>
    public required string Format { get; init; }

    /// <summary>For a table split by partnership: the partnership of the file.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Partnership { get; init; }

    public required long Rows { get; init; }

    public required long Bytes { get; init; }

    /// <summary>Lower-case hex SHA-256 of the file's bytes.</summary>
    public required string Sha256 { get; init; }
}

[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web, WriteIndented = true)]
[JsonSerializable(typeof(DatasetManifest))]
internal sealed partial class DatasetManifestJson : JsonSerializerContext;
