using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace Engagement.Storage.Tables;

/// <summary>The Table service's JSON entity format, with <c>@odata.type</c> annotations for types JSON cannot carry.</summary>
internal static class TableEntityJson
{
    public static byte[] Serialize(TableEntity entity)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, entity);
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static void Write(Utf8JsonWriter writer, TableEntity entity)
    {
        writer.WriteStartObject();
        writer.WriteString("PartitionKey", entity.PartitionKey);
        writer.WriteString("RowKey", entity.RowKey);
        foreach (var (name, value) in entity.Properties)
        {
            switch (value)
            {
                case null:
                    break;
                case string s:
                    writer.WriteString(name, s);
                    break;
                case bool b:
                    writer.WriteBoolean(name, b);
                    break;
                case int i:
                    writer.WriteNumber(name, i);
                    break;
                case long l:
                    writer.WriteString(name + "@odata.type", "Edm.Int64");
                    writer.WriteString(name, l.ToString(CultureInfo.InvariantCulture));
                    break;
                case double d:
                    // A whole double would be read back as Int32 without its type.
                    writer.WriteString(name + "@odata.type", "Edm.Double");
                    writer.WriteNumber(name, d);
                    break;
                case DateTimeOffset d:
                    writer.WriteString(name + "@odata.type", "Edm.DateTime");
                    writer.WriteString(name, d.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture));
                    break;
                case Guid g:
                    writer.WriteString(name + "@odata.type", "Edm.Guid");
                    writer.WriteString(name, g.ToString("D"));
                    break;
                case byte[] bytes:
                    writer.WriteString(name + "@odata.type", "Edm.Binary");
                    writer.WriteBase64String(name, bytes);
                    break;
                default:
                    throw new InvalidOperationException($"Unsupported property type {value.GetType().Name}.");
            }
        }

        writer.WriteEndObject();
    }

    public static TableEntity Read(JsonElement element)
    {
        var entity = new TableEntity(element.GetProperty("PartitionKey").GetString()!, element.GetProperty("RowKey").GetString()!);
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (property.Name.EndsWith("@odata.type", StringComparison.Ordinal))
            {
                types[property.Name[..^"@odata.type".Length]] = property.Value.GetString()!;
            }
        }

        foreach (var property in element.EnumerateObject())
        {
            var name = property.Name;
            if (name.Contains('@', StringComparison.Ordinal) || name.StartsWith("odata.", StringComparison.Ordinal))
            {
                if (name == "odata.etag")
                {
                    entity.ETag = property.Value.GetString();
                }

                continue;
            }

            if (name is "PartitionKey" or "RowKey")
            {
                continue;
            }

            var value = property.Value;
            if (name == "Timestamp")
            {
                entity.Timestamp = DateTimeOffset.Parse(value.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
                continue;
            }

            entity[name] = types.TryGetValue(name, out var type)
                ? type switch
                {
                    "Edm.Int64" => long.Parse(value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText(), CultureInfo.InvariantCulture),
                    "Edm.Double" => value.ValueKind == JsonValueKind.String ? double.Parse(value.GetString()!, CultureInfo.InvariantCulture) : value.GetDouble(),
                    "Edm.DateTime" => DateTimeOffset.Parse(value.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal),
                    "Edm.Guid" => Guid.Parse(value.GetString()!),
                    "Edm.Binary" => value.GetBytesFromBase64(),
                    "Edm.Int32" => value.GetInt32(),
                    "Edm.Boolean" => value.GetBoolean(),
                    _ => value.GetString(),
                }
                : value.ValueKind switch
                {
                    JsonValueKind.String => value.GetString(),
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    JsonValueKind.Number when value.TryGetInt32(out var i) => i,
                    JsonValueKind.Number => value.GetDouble(),
                    _ => null,
                };
        }

        return entity;
    }

    /// <summary>The service's error code and message from an error body (<c>odata.error</c>) or header.</summary>
    public static (string? Code, string Message) ReadError(string? body, string? headerCode)
    {
        if (!string.IsNullOrWhiteSpace(body))
        {
            try
            {
                using var document = JsonDocument.Parse(body);
                if (document.RootElement.TryGetProperty("odata.error", out var error))
                {
                    var code = error.TryGetProperty("code", out var c) ? c.GetString() : headerCode;
                    var message = error.TryGetProperty("message", out var m) && m.TryGetProperty("value", out var v) ? v.GetString() ?? string.Empty : string.Empty;
                    return (code, message);
                }
            }
            catch (JsonException)
            {
                // Not JSON: fall back to the header.
            }
        }

        return (headerCode, body ?? string.Empty);
    }
}
