using System.Collections;
using System.Text;

namespace Engagement.Storage.Tables;

/// <summary>
/// An entity: PartitionKey, RowKey, ETag, Timestamp, and typed properties (string, bool, int, long, double,
/// DateTimeOffset (UTC), Guid, byte[]). A null value means "no property": the service stores no nulls.
/// </summary>
public sealed class TableEntity : IEnumerable<KeyValuePair<string, object?>>
{
    /// <summary>Longest string property the service accepts, in UTF-16 code units (64 KiB).</summary>
    public const int MaxStringLength = 32 * 1024;

    /// <summary>Largest binary property (64 KiB).</summary>
    public const int MaxBinaryLength = 64 * 1024;

    /// <summary>Largest entity (1 MiB), counted as the service documents it.</summary>
    public const int MaxEntitySize = 1024 * 1024;

    /// <summary>Most custom properties (255 minus the three system properties).</summary>
    public const int MaxProperties = 252;

    private readonly Dictionary<string, object?> _properties = new(StringComparer.Ordinal);

    public TableEntity(string partitionKey, string rowKey)
    {
        PartitionKey = partitionKey;
        RowKey = rowKey;
    }

    public string PartitionKey { get; }

    public string RowKey { get; }

    /// <summary>The entity's version, as read; pass it back for a conditional update or delete.</summary>
    public string? ETag { get; set; }

    /// <summary>Server-managed last-modified time (ignored on write).</summary>
    public DateTimeOffset? Timestamp { get; set; }

    public IReadOnlyDictionary<string, object?> Properties => _properties;

    public object? this[string name]
    {
        get => _properties.TryGetValue(name, out var value) ? value : null;
        set => _properties[name] = Normalize(name, value);
    }

    /// <summary>Adds a property (collection-initializer friendly).</summary>
    public void Add(string name, object? value) => this[name] = value;

    public string? GetString(string name) => this[name] as string;

    public int? GetInt32(string name) => this[name] switch { int i => i, long l => checked((int)l), _ => null };

    public long? GetInt64(string name) => this[name] switch { long l => l, int i => i, _ => null };

    public bool? GetBoolean(string name) => this[name] as bool?;

    public double? GetDouble(string name) => this[name] switch { double d => d, int i => i, long l => l, _ => null };

    public DateTimeOffset? GetDateTimeOffset(string name) => this[name] as DateTimeOffset?;

    public Guid? GetGuid(string name) => this[name] as Guid?;

    public byte[]? GetBinary(string name) => this[name] as byte[];

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => _properties.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>
    /// Checks the limits the service enforces, before sending, so the caller gets a clear error naming the
    /// property rather than a bare 400 (and nothing is ever silently truncated).
    /// </summary>
    public void Validate()
    {
        TableKeys.Validate(PartitionKey, nameof(PartitionKey));
        TableKeys.Validate(RowKey, nameof(RowKey));
        var custom = _properties.Count(p => p.Value is not null);
        if (custom > MaxProperties)
        {
            throw new TableEntityTooLargeException($"Entity ({PartitionKey}, {RowKey}) has {custom} properties; the service accepts at most {MaxProperties}.");
        }

        var size = 4 + (PartitionKey.Length * 2) + (RowKey.Length * 2);
        foreach (var (name, value) in _properties)
        {
            if (value is null)
            {
                continue;
            }

            if (name.Length is 0 or > 255 || !IsValidPropertyName(name))
            {
                throw new ArgumentException($"'{name}' is not a valid property name (letters, digits and '_', not starting with a digit, at most 255 characters).", nameof(name));
            }

            var valueSize = value switch
            {
                string s when s.Length > MaxStringLength => throw new TableEntityTooLargeException($"Property '{name}' of entity ({PartitionKey}, {RowKey}) holds {s.Length} characters; the service accepts at most {MaxStringLength}."),
                byte[] b when b.Length > MaxBinaryLength => throw new TableEntityTooLargeException($"Property '{name}' of entity ({PartitionKey}, {RowKey}) holds {b.Length} bytes; the service accepts at most {MaxBinaryLength}."),
                string s => 4 + (s.Length * 2),
                byte[] b => 4 + b.Length,
                bool => 1,
                int => 4,
                long or double or DateTimeOffset => 8,
                Guid => 16,
                _ => 8,
            };
            size += 8 + (name.Length * 2) + valueSize;
        }

        if (size > MaxEntitySize)
        {
            throw new TableEntityTooLargeException($"Entity ({PartitionKey}, {RowKey}) is {size} bytes; the service accepts at most {MaxEntitySize}.");
        }
    }

    private static bool IsValidPropertyName(string name) =>
        (char.IsLetter(name[0]) || name[0] == '_') && name.All(c => char.IsLetterOrDigit(c) || c == '_');

    private static object? Normalize(string name, object? value) => value switch
    {
        null or string or bool or int or long or double or Guid or byte[] => value,
        DateTimeOffset d => d.ToUniversalTime(),
        DateTime d => d.Kind == DateTimeKind.Unspecified
            ? throw new ArgumentException($"Property '{name}': a DateTime without a kind is ambiguous; pass a DateTimeOffset.", nameof(value))
            : new DateTimeOffset(d.ToUniversalTime(), TimeSpan.Zero),
        float f => (double)f,
        short s => (int)s,
        byte b => (int)b,
        _ => throw new ArgumentException($"Property '{name}' has the unsupported type {value.GetType().Name}.", nameof(value)),
    };
}

/// <summary>An entity or property over the service's size limits; nothing was sent.</summary>
public sealed class TableEntityTooLargeException(string message) : Exception(message);

/// <summary>The rules for PartitionKey and RowKey values.</summary>
public static class TableKeys
{
    /// <summary>Longest key, in characters (1 KiB).</summary>
    public const int MaxLength = 1024;

    /// <summary>Throws when a key holds a character the service refuses or is too long.</summary>
    public static void Validate(string key, string name)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length > MaxLength)
        {
            throw new ArgumentException($"{name} is longer than {MaxLength} characters.", name);
        }

        foreach (var c in key)
        {
            if (c is '/' or '\\' or '#' or '?' || c <= '\u001F' || c is >= '\u007F' and <= '\u009F')
            {
                throw new ArgumentException($"{name} '{key}' holds a character the Table service refuses (/ \\ # ? or a control character).", name);
            }
        }
    }

    /// <summary>
    /// Joins parts into one key with a separator that cannot appear inside a part: each part's '|' and '!' are
    /// escaped, so ("a|b","c") and ("a","b|c") give different keys, and the keys that share leading parts form one
    /// contiguous range (see <see cref="TableFilter.RowKeyRange"/>).
    /// </summary>
    public static string Compose(params string[] parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var builder = new StringBuilder();
        for (var i = 0; i < parts.Length; i++)
        {
            if (i > 0)
            {
                builder.Append('|');
            }

            foreach (var c in parts[i])
            {
                _ = c switch
                {
                    '!' => builder.Append("!!"),
                    '|' => builder.Append("!."),
                    _ => builder.Append(c),
                };
            }
        }

        return builder.ToString();
    }

    /// <summary>Splits a key made by <see cref="Compose"/> back into its parts.</summary>
    public static IReadOnlyList<string> Decompose(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var parts = new List<string>();
        var current = new StringBuilder();
        for (var i = 0; i < key.Length; i++)
        {
            var c = key[i];
            if (c == '!' && i + 1 < key.Length)
            {
                current.Append(key[++i] == '.' ? '|' : key[i]);
            }
            else if (c == '|')
            {
                parts.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }

        parts.Add(current.ToString());
        return parts;
    }
}
