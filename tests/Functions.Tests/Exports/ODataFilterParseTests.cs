using Engagement.Core.Validation;
using Engagement.Functions.Exports;

namespace Engagement.Functions.Tests.Exports;

/// <summary>The filter on rows made here: OData's nulls, and any text answered with rows or an error, never an exception.</summary>
public sealed class ODataFilterParseTests
{
    private static readonly object?[] NoTerritory = ["p1", "p1", "Table 1", null, "fr"], InLaval = ["p2", "p2", "Table 2", "Laval", "fr"];

    /// <summary>
    /// On a partnership without a territory and one in Laval: eq/ne treat null as a value, gt/lt with a null are false
    /// and ge/le true only for two nulls, a function of null is unknown, and/or/not follow three-valued logic.
    /// </summary>
    [Theory]
    [InlineData("territory eq null", true, false)]
    [InlineData("territory ne null", false, true)]
    [InlineData("null eq territory", true, false)]
    [InlineData("territory ge null", true, false)]
    [InlineData("territory le null", true, false)]
    [InlineData("territory gt null", false, false)]
    [InlineData("territory lt null", false, false)]
    [InlineData("territory lt 'Montréal'", false, true)]
    [InlineData("not (territory lt 'Montréal')", true, false)]
    [InlineData("territory in ('Laval', null)", true, true)]
    [InlineData("territory in ('Laval')", false, true)]
    [InlineData("contains(territory, 'av')", false, true)]
    [InlineData("not contains(territory, 'av')", false, false)]
    [InlineData("contains(territory, 'av') and false", false, false)]
    [InlineData("not (contains(territory, 'av') and false)", true, true)]
    [InlineData("contains(territory, 'av') and true", false, true)]
    [InlineData("not (contains(territory, 'av') and true)", false, false)]
    [InlineData("contains(territory, 'av') or true", true, true)]
    [InlineData("contains(territory, 'av') or false", false, true)]
    [InlineData("not (contains(territory, 'av') or false)", false, false)]
    [InlineData("startswith(name, territory)", false, false)]
    public void Filter_OnANullAndAValue_KeepsWhatODataSays(string filter, bool keepsNoTerritory, bool keepsLaval)
    {
        var columns = new[] { "id", "partnership_key", "name", "territory", "language" }.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i);
        var errors = new ValidationErrors();

        var keeps = ODataFilter.Parse(filter, "dim_partnership", columns, errors);

        Assert.True(errors.IsValid, string.Join("; ", errors.ToDictionary().SelectMany(e => e.Value)));
        Assert.Equal(keepsNoTerritory, keeps(NoTerritory));
        Assert.Equal(keepsLaval, keeps(InLaval));
    }

    [Fact]
    public void AnyText_IsRowsOrAnErrorUnderFilter_NeverAnException()
    {
        // Pieces of filters, well-formed and not, joined at random (seeded): what a 500 would be made of.
        string[] pieces = ["status", "date_key", "seconds_attended", "organization_key", "id", " eq ", " ne ", " gt ", " le ", " and ", " or ", "not ",
            "(", ")", ",", "'a'", "'", "''", "null", "true", "1", "-1", "2.5", "1e400", "2025-01-01", "2025-13-45", "2025-01-01T00:00:00Z",
            "contains(", "startswith(", "year(", "day(", " in ", "[", "]", "@p", "$it", "/", "any(x:x eq 1)", " add ", " has ", "cast(",
            "Edm.String", "duration'P1D'", "guid'x'", "geography'POINT(1 2)'", "{", "\"", "$", "*", "99999999999999999999999999999", "tolower(", "now()", "%", "\u0000", "é"];
        var columns = new[] { "id", "partnership_key", "meeting_key", "person_key", "organization_key", "date_key", "status", "present", "seconds_attended" }
            .Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i);
        object?[] row = ["x", "p1", "p1:m1", "k", null, 20250101, "present", 1, null];
        var random = new Random(11);
        for (var n = 0; n < 5000; n++)
        {
            var text = string.Concat(Enumerable.Range(0, random.Next(1, 12)).Select(_ => pieces[random.Next(pieces.Length)]));
            var errors = new ValidationErrors();

            var keeps = ODataFilter.Parse(text, "fact_attendance", columns, errors);

            Assert.True(errors.IsValid || errors.ToDictionary().Keys.Single() == "$filter", text);
            Assert.True(errors.IsValid || !keeps(row), text);
            Assert.DoesNotContain(errors.ToDictionary().Values.SelectMany(m => m), m => m.Contains("internal error", StringComparison.Ordinal));
        }
    }
}
