using System.Globalization;
using System.Text.RegularExpressions;
using Engagement.Core.Validation;
using Microsoft.OData.Edm;

namespace Engagement.Functions.Exports;

/// <summary>
/// A deliberately small <c>$filter</c>: comparisons <c>column op literal</c> joined by <c>and</c>, ops eq ne gt ge lt le,
/// literals 'text' (quotes doubled), numbers, true/false, null, dates and date-times. It is parsed into a predicate
/// over the rows already read; anything outside the grammar, or a column the set does not have, is refused.
/// </summary>
internal static partial class ODataFilter
{
    private const int MaxComparisons = 20;

    public static IComparer<object?> Comparer { get; } = Comparer<object?>.Create(Compare);

    public static Func<object?[], Dictionary<string, int>, bool> Parse(string? text, List<string> columns, ValidationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return (_, _) => true;
        }

        var tokens = Token().Matches(text).Select(m => m.Value).ToList();
        if (string.Concat(tokens).Length != text.Replace(" ", string.Empty, StringComparison.Ordinal).Length && !text.Contains('\'', StringComparison.Ordinal))
        {
            errors.Add("$filter", "The filter holds characters outside the supported grammar (column op literal [and …]).");
            return (_, _) => false;
        }

        var comparisons = new List<(string Column, string Op, object? Value)>();
        for (var i = 0; i < tokens.Count; i += 4)
        {
            if (i + 2 >= tokens.Count)
            {
                errors.Add("$filter", "A comparison is incomplete; write column op literal, e.g. date_key ge 20260101.");
                break;
            }

            var (column, op, literal) = (tokens[i], tokens[i + 1], tokens[i + 2]);
            if (!columns.Contains(column))
            {
                errors.Add("$filter", $"'{Check.Shorten(column)}' is not a column of this set.");
            }
            else if (op is not ("eq" or "ne" or "gt" or "ge" or "lt" or "le"))
            {
                errors.Add("$filter", $"'{Check.Shorten(op)}' is not a supported operator (eq ne gt ge lt le).");
            }
            else if (!TryLiteral(literal, column, out var value))
            {
                errors.Add("$filter", $"'{Check.Shorten(literal)}' is not a literal of {column}'s type.");
            }
            else
            {
                comparisons.Add((column, op, value));
            }

            if (i + 3 < tokens.Count && tokens[i + 3] != "and")
            {
                errors.Add("$filter", $"Only 'and' joins comparisons (found '{Check.Shorten(tokens[i + 3])}').");
                break;
            }
        }

        if (comparisons.Count > MaxComparisons)
        {
            errors.Add("$filter", $"At most {MaxComparisons} comparisons.");
        }

        return (row, index) => comparisons.All(c =>
        {
            var actual = row[index[c.Column]];
            if (c.Value is null || actual is null)
            {
                return c.Op switch { "eq" => actual is null && c.Value is null, "ne" => (actual is null) != (c.Value is null), _ => false };
            }

            var comparison = Compare(actual, c.Value);
            return c.Op switch
            {
                "eq" => comparison == 0,
                "ne" => comparison != 0,
                "gt" => comparison > 0,
                "ge" => comparison >= 0,
                "lt" => comparison < 0,
                _ => comparison <= 0,
            };
        });
    }

    private static bool TryLiteral(string text, string column, out object? value)
    {
        value = null;
        if (text == "null")
        {
            return true;
        }

        switch (column == "id" ? EdmPrimitiveTypeKind.String : ODataFeed.TypeOf(column))
        {
            case EdmPrimitiveTypeKind.String when text.Length >= 2 && text[0] == '\'' && text[^1] == '\'':
                value = text[1..^1].Replace("''", "'", StringComparison.Ordinal);
                return true;
            case EdmPrimitiveTypeKind.Int32 when int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i):
                value = i;
                return true;
            case EdmPrimitiveTypeKind.Double when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d):
                value = d;
                return true;
            case EdmPrimitiveTypeKind.Boolean when text is "true" or "false":
                value = text == "true";
                return true;
            case EdmPrimitiveTypeKind.Date when DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day):
                value = day;
                return true;
            case EdmPrimitiveTypeKind.DateTimeOffset when DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant) && text.Contains('T', StringComparison.Ordinal):
                value = instant;
                return true;
            default:
                return false;
        }
    }

    private static int Compare(object? a, object? b) => (a, b) switch
    {
        (null, null) => 0,
        (null, _) => -1,
        (_, null) => 1,
        (int x, int y) => x.CompareTo(y),
        (double x, double y) => x.CompareTo(y),
        (int x, double y) => ((double)x).CompareTo(y),
        (double x, int y) => x.CompareTo(y),
        (bool x, bool y) => x.CompareTo(y),
        (DateOnly x, DateOnly y) => x.CompareTo(y),
        (DateTimeOffset x, DateTimeOffset y) => x.CompareTo(y),
        _ => string.CompareOrdinal(Convert.ToString(a, CultureInfo.InvariantCulture), Convert.ToString(b, CultureInfo.InvariantCulture)),
    };

    [GeneratedRegex(@"'(?:[^']|'')*'|[A-Za-z_][A-Za-z0-9_]*|-?\d{4}-\d{2}-\d{2}(?:T[0-9:.]+(?:Z|[+-]\d{2}:\d{2}))?|-?\d+(?:\.\d+)?|\S")]
    private static partial Regex Token();
}
