using System.Globalization;
using Microsoft.OData.Edm;
using Microsoft.OData.UriParser;

namespace Engagement.Functions.Exports;

/// <summary>
/// Compiles a <c>$filter</c> expression the OData library has parsed and bound against the feed's model into delegates
/// over a row (its values in the set's column order, <c>id</c> first). It honours what Power BI's OData connector folds
/// — eq ne gt ge lt le, and or not, in, contains/startswith/endswith on text, year/month/day on dates, null — and names
/// everything else in <see cref="Unsupported"/> rather than guessing at it.
/// </summary>
/// <remarks>
/// Nulls follow OData: eq/ne treat null as a value equal only to itself, gt/lt with a null operand are false, ge/le
/// are true only for two nulls; a function of null is null (unknown), and/or/not are three-valued (Kleene), and a row
/// is kept only where the whole expression is true.
/// </remarks>
internal sealed class ODataFilterCompiler(IReadOnlyDictionary<string, int> columns)
{
    private static readonly object True = true, False = false;

    /// <summary>The constructs met that the filter does not evaluate, each named as the caller wrote it.</summary>
    public List<string> Unsupported { get; } = [];

    /// <summary>A boolean expression as a three-valued test: null when it is unknown (a null met where a value was needed).</summary>
    public Func<object?[], bool?> Condition(SingleValueNode node) => node switch
    {
        BinaryOperatorNode { OperatorKind: BinaryOperatorKind.And or BinaryOperatorKind.Or } logical => Logical(logical),
        BinaryOperatorNode comparison when IsComparison(comparison.OperatorKind) => Comparison(comparison),
        UnaryOperatorNode { OperatorKind: UnaryOperatorKind.Not } not => Not(Condition(not.Operand)),
        InNode membership => In(membership),
        SingleValueFunctionCallNode { Name: "contains" or "startswith" or "endswith" } call => TextTest(call),
        _ => AsCondition(Value(node)),
    };

    /// <summary>A value: a property of the row, a literal, a conversion the library inserted, a date part, or a condition's outcome.</summary>
    public Func<object?[], object?> Value(SingleValueNode node)
    {
        switch (node)
        {
            case var _ when IsCondition(node):
                var condition = Condition(node);
                return row => condition(row) switch { true => True, false => False, null => null };
            case ConstantNode constant:
                var value = Literal(constant);
                return _ => value;
            case SingleValuePropertyAccessNode { Source: ResourceRangeVariableReferenceNode } property when columns.TryGetValue(property.Property.Name, out var i):
                return row => row[i];
            case ConvertNode convert:
                return Conversion(convert);
            case SingleValueFunctionCallNode { Name: "year" or "month" or "day" } call:
                return DatePart(call);
            default:
                Unsupported.Add(Describe(node));
                return static _ => null;
        }
    }

    private static bool IsCondition(SingleValueNode node) => node switch
    {
        BinaryOperatorNode binary => binary.OperatorKind is BinaryOperatorKind.And or BinaryOperatorKind.Or || IsComparison(binary.OperatorKind),
        UnaryOperatorNode unary => unary.OperatorKind == UnaryOperatorKind.Not,
        InNode => true,
        SingleValueFunctionCallNode call => call.Name is "contains" or "startswith" or "endswith",
        _ => false,
    };

    private static Func<object?[], bool?> AsCondition(Func<object?[], object?> value) => row => value(row) as bool?;

    private static Func<object?[], bool?> Not(Func<object?[], bool?> operand) => row => !operand(row);

    /// <summary>
    /// A chain of <c>and</c> (or of <c>or</c>) as one list, walked without recursion: the library binds a long list of
    /// or-ed comparisons as a tree as deep as the list is long, and evaluating it row by row need not be as deep.
    /// </summary>
    private Func<object?[], bool?> Logical(BinaryOperatorNode node)
    {
        var kind = node.OperatorKind;
        var operands = new List<SingleValueNode>();
        var pending = new Stack<SingleValueNode>();
        pending.Push(node);
        while (pending.TryPop(out var next))
        {
            if (next is BinaryOperatorNode chained && chained.OperatorKind == kind)
            {
                pending.Push(chained.Right);
                pending.Push(chained.Left);
            }
            else
            {
                operands.Add(next);
            }
        }

        var parts = operands.Select(Condition).ToArray();
        // A decisive operand (false for and, true for or) settles it; otherwise any unknown leaves the whole unknown.
        var decisive = kind == BinaryOperatorKind.Or;
        return row =>
        {
            bool? outcome = !decisive;
            foreach (var part in parts)
            {
                var value = part(row);
                if (value == decisive)
                {
                    return decisive;
                }

                if (value is null)
                {
                    outcome = null;
                }
            }

            return outcome;
        };
    }

    private static bool IsComparison(BinaryOperatorKind kind) => kind is BinaryOperatorKind.Equal or BinaryOperatorKind.NotEqual
        or BinaryOperatorKind.GreaterThan or BinaryOperatorKind.GreaterThanOrEqual or BinaryOperatorKind.LessThan or BinaryOperatorKind.LessThanOrEqual;

    private Func<object?[], bool?> Comparison(BinaryOperatorNode node)
    {
        var left = Value(node.Left);
        var right = Value(node.Right);
        RequireComparable(node.Left, node.Right);
        var kind = node.OperatorKind;
        return row => Compare(kind, left(row), right(row));
    }

    /// <summary>An OData comparison of two values, null included (see the remarks on the class).</summary>
    internal static bool Compare(BinaryOperatorKind kind, object? left, object? right)
    {
        if (left is null || right is null)
        {
            var bothNull = left is null && right is null;
            return kind switch
            {
                BinaryOperatorKind.Equal or BinaryOperatorKind.GreaterThanOrEqual or BinaryOperatorKind.LessThanOrEqual => bothNull,
                BinaryOperatorKind.NotEqual => !bothNull,
                _ => false,
            };
        }

        var order = ODataFilter.Compare(left, right);
        return kind switch
        {
            BinaryOperatorKind.Equal => order == 0,
            BinaryOperatorKind.NotEqual => order != 0,
            BinaryOperatorKind.GreaterThan => order > 0,
            BinaryOperatorKind.GreaterThanOrEqual => order >= 0,
            BinaryOperatorKind.LessThan => order < 0,
            _ => order <= 0,
        };
    }

    private Func<object?[], bool?> In(InNode node)
    {
        var left = Value(node.Left);
        if (node.Right is not CollectionConstantNode list)
        {
            Unsupported.Add("'in' on anything but a list of literals");
            return static _ => null;
        }

        foreach (var item in list.Collection)
        {
            RequireComparable(node.Left, item);
        }

        var items = list.Collection.Select(Literal).ToArray();
        return row =>
        {
            var value = left(row);
            foreach (var item in items)
            {
                if (Compare(BinaryOperatorKind.Equal, value, item))
                {
                    return true;
                }
            }

            return false;
        };
    }

    private Func<object?[], bool?> TextTest(SingleValueFunctionCallNode call)
    {
        var arguments = Arguments(call, 2);
        if (arguments is null)
        {
            return static _ => null;
        }

        var (text, part) = (arguments[0], arguments[1]);
        // Ordinal, as eq compares text: the same case, the same accents.
        Func<string, string, bool> test = call.Name switch
        {
            "contains" => static (s, p) => s.Contains(p, StringComparison.Ordinal),
            "startswith" => static (s, p) => s.StartsWith(p, StringComparison.Ordinal),
            _ => static (s, p) => s.EndsWith(p, StringComparison.Ordinal),
        };
        return row => text(row) is string s && part(row) is string p ? test(s, p) : null;
    }

    private Func<object?[], object?> DatePart(SingleValueFunctionCallNode call)
    {
        var arguments = Arguments(call, 1);
        if (arguments is null)
        {
            return static _ => null;
        }

        var date = arguments[0];
        // A timestamp's parts are read in its own offset, as it is written in the feed.
        Func<DateOnly, int> ofDay = call.Name switch { "year" => static d => d.Year, "month" => static d => d.Month, _ => static d => d.Day };
        Func<DateTimeOffset, int> ofInstant = call.Name switch { "year" => static t => t.Year, "month" => static t => t.Month, _ => static t => t.Day };
        return row => date(row) switch
        {
            DateOnly d => ofDay(d),
            DateTimeOffset t => ofInstant(t),
            _ => null,
        };
    }

    private Func<object?[], object?>[]? Arguments(SingleValueFunctionCallNode call, int count)
    {
        var parameters = call.Parameters.ToList();
        if (parameters.Count != count || parameters.Any(p => p is not SingleValueNode))
        {
            Unsupported.Add($"'{call.Name}' with {parameters.Count} argument(s)");
            return null;
        }

        return [.. parameters.Cast<SingleValueNode>().Select(Value)];
    }

    /// <summary>A conversion the library inserted to make two operands comparable: numbers compare as numbers anyway; a date becomes its midnight UTC.</summary>
    private Func<object?[], object?> Conversion(ConvertNode convert)
    {
        var source = Value(convert.Source);
        var from = Category(convert.Source.TypeReference);
        var to = Category(convert.TypeReference);
        if (from == to || from == ValueCategory.Null)
        {
            return source;
        }

        if (from == ValueCategory.Date && to == ValueCategory.Instant)
        {
            return row => source(row) is DateOnly d ? new DateTimeOffset(d, TimeOnly.MinValue, TimeSpan.Zero) : null;
        }

        Unsupported.Add($"the conversion of {Name(convert.Source.TypeReference)} to {Name(convert.TypeReference)}");
        return static _ => null;
    }

    private object? Literal(ConstantNode constant)
    {
        switch (constant.Value)
        {
            // The library types a literal such as 20250101.5 compared with an integer column as Edm.Single, which
            // cannot hold it; the literal as written, read as a double, can.
            case float single:
                return double.TryParse(constant.LiteralText?.TrimEnd('f', 'F'), NumberStyles.Float, CultureInfo.InvariantCulture, out var written) ? written : single;
            case null or string or bool or int or long or short or byte or sbyte or decimal or double or DateTimeOffset:
                return constant.Value;
            // ODL 8 hands a date literal over as its own Date type, obsolete only because ODL 9 will use DateOnly instead.
#pragma warning disable CS0618
            case Date date:
                return new DateOnly(date.Year, date.Month, date.Day);
#pragma warning restore CS0618
            default:
                Unsupported.Add($"the literal {constant.LiteralText ?? Name(constant.TypeReference)}");
                return null;
        }
    }

    private void RequireComparable(SingleValueNode left, SingleValueNode right)
    {
        var (a, b) = (Category(left.TypeReference), Category(right.TypeReference));
        // Operands of another type are already named where they occur (a literal, a whole row).
        if (a != b && a is not (ValueCategory.Null or ValueCategory.Other) && b is not (ValueCategory.Null or ValueCategory.Other))
        {
            Unsupported.Add($"comparing {Name(left.TypeReference)} with {Name(right.TypeReference)}");
        }
    }

    private enum ValueCategory
    {
        Null,
        Number,
        Text,
        Boolean,
        Date,
        Instant,
        Other,
    }

    private static ValueCategory Category(IEdmTypeReference? type) => type is null ? ValueCategory.Null : type.PrimitiveKind() switch
    {
        EdmPrimitiveTypeKind.Byte or EdmPrimitiveTypeKind.SByte or EdmPrimitiveTypeKind.Int16 or EdmPrimitiveTypeKind.Int32 or EdmPrimitiveTypeKind.Int64
            or EdmPrimitiveTypeKind.Single or EdmPrimitiveTypeKind.Double or EdmPrimitiveTypeKind.Decimal => ValueCategory.Number,
        EdmPrimitiveTypeKind.String => ValueCategory.Text,
        EdmPrimitiveTypeKind.Boolean => ValueCategory.Boolean,
        EdmPrimitiveTypeKind.Date => ValueCategory.Date,
        EdmPrimitiveTypeKind.DateTimeOffset => ValueCategory.Instant,
        _ => ValueCategory.Other,
    };

    private static string Name(IEdmTypeReference? type) => type?.FullName() ?? "null";

    /// <summary>How the caller wrote a construct the filter does not evaluate.</summary>
    private static string Describe(SingleValueNode node) => node switch
    {
        BinaryOperatorNode { OperatorKind: BinaryOperatorKind.Has } => "the operator 'has'",
        BinaryOperatorNode binary => $"the arithmetic operator '{binary.OperatorKind switch
        {
            BinaryOperatorKind.Add => "add",
            BinaryOperatorKind.Subtract => "sub",
            BinaryOperatorKind.Multiply => "mul",
            BinaryOperatorKind.Divide => "div",
            BinaryOperatorKind.Modulo => "mod",
            var other => other.ToString().ToLowerInvariant(),
        }}'",
        UnaryOperatorNode { OperatorKind: UnaryOperatorKind.Negate } => "the negation '-'",
        SingleValueFunctionCallNode call => $"the function '{call.Name}'",
        AnyNode => "the lambda operator 'any'",
        AllNode => "the lambda operator 'all'",
        ParameterAliasNode alias => $"the parameter alias '{alias.Alias}'",
        SingleValueCastNode or SingleResourceCastNode => "a type cast",
        SingleValuePropertyAccessNode property => $"the path to '{property.Property.Name}' (navigation)",
        SingleValueOpenPropertyAccessNode open => $"'{open.Name}' (not a column of this set)",
        CountNode => "'$count'",
        ResourceRangeVariableReferenceNode or NonResourceRangeVariableReferenceNode => "'$it' (a whole row)",
        _ => $"the construct {node.Kind}",
    };
}
