using System.Text.Json;
using System.Text.Json.Serialization;

namespace Engagement.Storage.Tables.Rows;

/// <summary>How rows hold structured values as JSON text (the same options the store has always used).</summary>
internal static class RowJson
{
    public static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    /// <summary>Alerts keep their enums as names.</summary>
    public static readonly JsonSerializerOptions Alerts = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };
}
