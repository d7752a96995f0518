using System.Globalization;
using System.Text.RegularExpressions;
using Engagement.Core.Validation;
using Microsoft.OData;
using Microsoft.OData.UriParser;

namespace Engagement.Functions.Exports;

/// <summary>
/// <c>$filter</c> on an entity set: parsed and bound by Microsoft.OData.Core's <see cref="ODataQueryOptionParser"/> over
/// the feed's own model (the one <c>$metadata</c> serves), then compiled by <see cref="ODataFilterCompiler"/> into a
/// predicate over the rows already read — never passed to a store query. A filter the library cannot parse, or one
/// using a construct the compiler does not evaluate, is reported under <c>$filter</c>.
/// </summary>
internal static partial class ODataFilter
{
    /// <summary>What the filter evaluates, for the messages that refuse the rest.</summary>
    public const string Grammar = "eq ne gt ge lt le, and or not, in (…), contains startswith endswith on text, year month day on dates, and null";

    // The library's messages quote the whole filter; past this the answer would mostly repeat the request.
    private const int MaxMessage = 400;

    /// <summary>Row order for <c>$orderby</c>: nulls first, then values as the filter compares them.</summary>
    public static IComparer<object?> Comparer { get; } = Comparer<object?>.Create((a, b) => (a, b) switch
    {
        (null, null) => 0,
        (null, _) => -1,
        (_, null) => 1,
        _ => Compare(a, b),
    });

    /// <summary>The rows <paramref name="text"/> keeps in <paramref name="set"/>; always false once an error is reported.</summary>
    public static Func<object?[], bool> Parse(string? text, string set, IReadOnlyDictionary<string, int> columns, ValidationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return static _ => true;
        }

        var entitySet = ODataFeed.Model.EntityContainer.FindEntitySet(set);
        FilterClause clause;
        try
        {
            clause = new ODataQueryOptionParser(ODataFeed.Model, entitySet.EntityType, entitySet, new Dictionary<string, string> { ["$filter"] = text }).ParseFilter();
        }
        catch (ODataException e)
        {
            // The library stops at 'has' (enumerations only; the feed has none) with an internal-error message that
            // names nothing: name the operator instead.
            var message = HasOperator().IsMatch(Literal().Replace(text, "''")) ? $"The operator 'has' is not supported in $filter; it supports {Grammar}."
                : "The filter is not valid OData: " + (e.Message.Length > MaxMessage ? e.Message[..MaxMessage] + "…" : e.Message);
            errors.Add("$filter", message);
            return static _ => false;
        }

        var compiler = new ODataFilterCompiler(columns);
        var condition = compiler.Condition(clause.Expression);
        foreach (var construct in compiler.Unsupported.Distinct(StringComparer.Ordinal))
        {
            errors.Add("$filter", $"{Capitalised(construct)} is not supported in $filter; it supports {Grammar}.");
        }

        return compiler.Unsupported.Count > 0 ? static _ => false : row => condition(row) == true;
    }

    private static string Capitalised(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    /// <summary>
    /// The order of two values that are not null: numbers by value whatever their width (as decimals, or as doubles
    /// when one is floating), text ordinally, dates and instants in time.
    /// </summary>
    internal static int Compare(object a, object b) => (a, b) switch
    {
        (string x, string y) => string.CompareOrdinal(x, y),
        (int x, int y) => x.CompareTo(y),
        (double x, double y) => x.CompareTo(y),
        (bool x, bool y) => x.CompareTo(y),
        (DateOnly x, DateOnly y) => x.CompareTo(y),
        (DateTimeOffset x, DateTimeOffset y) => x.CompareTo(y),
        _ when IsFloating(a) || IsFloating(b) => IsNumber(a) && IsNumber(b)
            ? Convert.ToDouble(a, CultureInfo.InvariantCulture).CompareTo(Convert.ToDouble(b, CultureInfo.InvariantCulture))
            : Fallback(a, b),
        _ when IsNumber(a) && IsNumber(b) => Convert.ToDecimal(a, CultureInfo.InvariantCulture).CompareTo(Convert.ToDecimal(b, CultureInfo.InvariantCulture)),
        _ => Fallback(a, b),
    };

    private static bool IsFloating(object value) => value is double or float;

    private static bool IsNumber(object value) => value is int or long or short or byte or sbyte or decimal or double or float;

    [GeneratedRegex("'(?:[^']|'')*'")]
    private static partial Regex Literal();

    [GeneratedRegex(@"(?<![\w$@.])has(?![\w(])")]
    private static partial Regex HasOperator();

    private static int Fallback(object a, object b) => string.CompareOrdinal(Convert.ToString(a, CultureInfo.InvariantCulture), Convert.ToString(b, CultureInfo.InvariantCulture));
}
