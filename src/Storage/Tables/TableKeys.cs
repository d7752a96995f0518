using System.Text;
using Azure.Data.Tables;

namespace Engagement.Storage.Tables;

/// <summary>The rules for PartitionKey and RowKey values, how RowKeys are composed, and the filters over their ranges.</summary>
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
    /// contiguous range (see <see cref="RowKeyRange"/>).
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

    /// <summary>
    /// The entities of one partition whose RowKey was composed from <paramref name="leadingParts"/> followed by more
    /// parts: RowKey ≥ "parts|" and &lt; "parts}" ('}' follows the '|' separator). Values are quoted by
    /// <see cref="TableClient.CreateQueryFilter(FormattableString)"/>, so no id can change the expression.
    /// </summary>
    public static string RowKeyRange(string partitionKey, params string[] leadingParts)
    {
        var (prefix, upper) = Bounds(leadingParts);
        return TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey} and RowKey ge {prefix} and RowKey lt {upper}");
    }

    /// <summary>The part of <see cref="RowKeyRange"/> that comes after the RowKey <paramref name="afterRowKey"/> (keyset resumption).</summary>
    public static string RowKeyRangeAfter(string partitionKey, string afterRowKey, params string[] leadingParts)
    {
        var (_, upper) = Bounds(leadingParts);
        return TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey} and RowKey gt {afterRowKey} and RowKey lt {upper}");
    }

    private static (string Prefix, string Upper) Bounds(string[] leadingParts)
    {
        var prefix = Compose(leadingParts) + "|";
        return (prefix, prefix[..^1] + "}");
    }
}
