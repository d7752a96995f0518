using System.Globalization;

namespace Engagement.Storage.Tables;

/// <summary>
/// Builds OData <c>$filter</c> expressions from an interpolated string whose holes are values, never text:
/// <c>TableFilter.Create($"PartitionKey eq {id} and Count ge {n}")</c>. Each value is written as a typed literal
/// (strings quoted with <c>'</c> doubled, <c>L</c> after Int64, <c>datetime'…'</c>, <c>guid'…'</c>,
/// <c>X'…'</c>), so user input can never change the expression.
/// </summary>
public static class TableFilter
{
    public static string Create(FormattableString filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var arguments = filter.GetArguments().Select(Literal).ToArray<object?>();
        return string.Format(CultureInfo.InvariantCulture, filter.Format, arguments);
    }

    /// <summary>The OData literal for one value.</summary>
    public static string Literal(object? value) => value switch
    {
        null => throw new ArgumentException("The Table service cannot compare with null."),
        string s => "'" + s.Replace("'", "''", StringComparison.Ordinal) + "'",
        bool b => b ? "true" : "false",
        int i => i.ToString(CultureInfo.InvariantCulture),
        long l => l.ToString(CultureInfo.InvariantCulture) + "L",
        double d => double.IsFinite(d) ? d.ToString("R", CultureInfo.InvariantCulture) is var r && (r.Contains('.', StringComparison.Ordinal) || r.Contains('E', StringComparison.Ordinal)) ? r : r + ".0" : throw new ArgumentException("Only finite doubles can be compared."),
        DateTimeOffset d => "datetime'" + d.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture) + "'",
        DateTime d => Literal(new DateTimeOffset(d.Kind == DateTimeKind.Unspecified ? throw new ArgumentException("A DateTime without a kind is ambiguous.") : d.ToUniversalTime(), TimeSpan.Zero)),
        Guid g => "guid'" + g.ToString("D") + "'",
        byte[] bytes => "X'" + Convert.ToHexStringLower(bytes) + "'",
        _ => throw new ArgumentException($"Values of type {value.GetType().Name} cannot be used in a filter."),
    };

    /// <summary>
    /// The entities of one partition whose RowKey was composed from <paramref name="leadingParts"/> followed by more
    /// parts: RowKey ≥ "parts|" and &lt; "parts}" ('}' follows the '|' separator).
    /// </summary>
    public static string RowKeyRange(string partitionKey, params string[] leadingParts)
    {
        var (prefix, upper) = Bounds(leadingParts);
        return Create($"PartitionKey eq {partitionKey} and RowKey ge {prefix} and RowKey lt {upper}");
    }

    /// <summary>The part of <see cref="RowKeyRange"/> that comes after the RowKey <paramref name="afterRowKey"/> (keyset resumption).</summary>
    public static string RowKeyRangeAfter(string partitionKey, string afterRowKey, params string[] leadingParts)
    {
        var (_, upper) = Bounds(leadingParts);
        return Create($"PartitionKey eq {partitionKey} and RowKey gt {afterRowKey} and RowKey lt {upper}");
    }

    private static (string Prefix, string Upper) Bounds(string[] leadingParts)
    {
        var prefix = TableKeys.Compose(leadingParts) + "|";
        return (prefix, prefix[..^1] + "}");
    }
}
