using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Engagement.Analytics.Synthetic;
using Engagement.Core.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Engagement.Functions.Tests.Exports;

/// <summary>One app with a scored synthetic history for the filter cases below: they only read it.</summary>
public sealed class FilterFeedFixture : IAsyncLifetime
{
    private readonly Dictionary<string, List<JsonElement>> _unfiltered = new(StringComparer.Ordinal);

    public EngagementApp App { get; } = new(settings: new()
    {
        ["Exports:PersonKeySecret"] = Convert.ToBase64String(Enumerable.Range(40, 32).Select(i => (byte)i).ToArray()),
        ["Exports:ODataPageSize"] = "500",
    });

    public async Task InitializeAsync()
    {
        var dataset = SyntheticGenerator.Generate(new SyntheticOptions { Seed = 8, Partnerships = 2, Months = 14, MeetingsPerMonth = 2, Start = new DateOnly(2024, 11, 1) });
        await App.Services.GetRequiredService<EngagementStores>().LoadAsync(dataset);
        (await App.Admin().PostAsync("/ScoreRisk", new StringContent("{}", Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync() => await App.DisposeAsync();

    /// <summary>Every row of <paramref name="url"/>, following <c>@odata.nextLink</c> to the end.</summary>
    public async Task<List<JsonElement>> ReadAsync(string url)
    {
        var client = App.ClientWithKey(EngagementApp.Keys.Analyst);
        var rows = new List<JsonElement>();
        for (string? next = url; next is not null;)
        {
            var body = await Problem.JsonAsync(await client.GetAsync(next));
            rows.AddRange(body.GetProperty("value").EnumerateArray());
            next = body.TryGetProperty("@odata.nextLink", out var link) ? link.GetString() : null;
        }

        return rows;
    }

    /// <summary>The whole set without a filter, read once.</summary>
    public async Task<List<JsonElement>> UnfilteredAsync(string set)
    {
        if (!_unfiltered.TryGetValue(set, out var rows))
        {
            _unfiltered[set] = rows = await ReadAsync("/api/odata/" + set);
        }

        return rows;
    }
}

/// <summary>
/// <c>$filter</c> as Power BI folds it, on real rows through the feed: each filter keeps exactly the rows of the whole
/// set that the same condition, written here in C#, keeps; constructs the feed does not evaluate answer 400 naming them.
/// </summary>
public sealed class ODataFilterTests(FilterFeedFixture fixture) : IClassFixture<FilterFeedFixture>
{
    private static string? Text(JsonElement row, string column) => row.GetProperty(column).GetString();

    private static int? Number(JsonElement row, string column) => row.GetProperty(column).ValueKind == JsonValueKind.Null ? null : row.GetProperty(column).GetInt32();

    private static DateTimeOffset Instant(JsonElement row, string column) => DateTimeOffset.Parse(Text(row, column)!, CultureInfo.InvariantCulture);

    private static DateOnly Day(JsonElement row, string column) => DateOnly.ParseExact(Text(row, column)!, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static readonly DateTimeOffset March2025 = new(2025, 3, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Each filter, the set it reads, and which rows it must keep.</summary>
    private static readonly Dictionary<string, (string Set, Func<JsonElement, bool> Keeps)> Cases = new(StringComparer.Ordinal)
    {
        ["status eq 'present'"] = ("fact_attendance", r => Text(r, "status") == "present"),
        ["status ne 'present'"] = ("fact_attendance", r => Text(r, "status") != "present"),
        ["date_key gt 20250301"] = ("fact_attendance", r => Number(r, "date_key") > 20250301),
        ["date_key ge 20250101 and date_key lt 20250401"] = ("fact_attendance", r => Number(r, "date_key") is >= 20250101 and < 20250401),
        ["date_key le 20250115 or date_key gt 20251201"] = ("fact_attendance", r => Number(r, "date_key") is <= 20250115 or > 20251201),
        ["status eq 'present' and (date_key lt 20250201 or date_key ge 20251201)"] = ("fact_attendance", r => Text(r, "status") == "present" && Number(r, "date_key") is < 20250201 or >= 20251201),
        ["not (status eq 'present')"] = ("fact_attendance", r => Text(r, "status") != "present"),
        ["status in ('absent','excused')"] = ("fact_attendance", r => Text(r, "status") is "absent" or "excused"),
        ["present in (0)"] = ("fact_attendance", r => Number(r, "present") == 0),
        ["seconds_attended eq null"] = ("fact_attendance", r => Number(r, "seconds_attended") is null),
        ["seconds_attended ne null and date_key lt 20250601"] = ("fact_attendance", r => Number(r, "seconds_attended") is not null && Number(r, "date_key") < 20250601),
        // Comparisons with null are false, so 'not' of one keeps the nulls.
        ["seconds_attended gt 3600"] = ("fact_attendance", r => Number(r, "seconds_attended") > 3600),
        ["not (seconds_attended gt 3600)"] = ("fact_attendance", r => !(Number(r, "seconds_attended") > 3600)),
        // A function of null is unknown: 'not' of unknown is unknown, and unknown or true is true.
        // (The partnership's own scores have no organisation.)
        ["not endswith(organization_key, '-org01')"] = ("fact_risk_snapshot", r => Text(r, "organization_key") is { } o && !o.EndsWith("-org01", StringComparison.Ordinal)),
        ["endswith(organization_key, '-org01') or organization_key eq null"] = ("fact_risk_snapshot", r => Text(r, "organization_key") is not { } o || o.EndsWith("-org01", StringComparison.Ordinal)),
        ["contains(title, 'mars')"] = ("dim_meeting", r => Text(r, "title")!.Contains("mars", StringComparison.Ordinal)),
        ["contains(title, 'Mars')"] = ("dim_meeting", _ => false),
        ["startswith(title, 'Rencontre') and endswith(title, '(2)')"] = ("dim_meeting", r => Text(r, "title")!.StartsWith("Rencontre", StringComparison.Ordinal) && Text(r, "title")!.EndsWith("(2)", StringComparison.Ordinal)),
        ["year(start) eq 2025 and month(start) ge 10"] = ("dim_meeting", r => Instant(r, "start").Year == 2025 && Instant(r, "start").Month >= 10),
        ["day(start) le 10"] = ("dim_meeting", r => Instant(r, "start").Day <= 10),
        ["start ge 2025-03-01T00:00:00Z"] = ("dim_meeting", r => Instant(r, "start") >= March2025),
        // A date compared with a timestamp is that day's midnight UTC.
        ["start lt 2025-03-01"] = ("dim_meeting", r => Instant(r, "start") < March2025),
        ["year(date) eq 2025 and month(date) eq 3"] = ("dim_date", r => Day(r, "date") is { Year: 2025, Month: 3 }),
        ["date ge 2025-06-01 and day(date) gt 15"] = ("dim_date", r => Day(r, "date") >= new DateOnly(2025, 6, 1) && Day(r, "date").Day > 15),
        ["probability gt 0.1"] = ("fact_risk_snapshot", r => r.GetProperty("probability").GetDouble() > 0.1),
        ["organization_key eq null and date_key ge 20250601"] = ("fact_risk_snapshot", r => Text(r, "organization_key") is null && Number(r, "date_key") >= 20250601),
        ["startswith(meeting_id, 'syn-p01-')"] = ("dim_meeting", r => Text(r, "meeting_id")!.StartsWith("syn-p01-", StringComparison.Ordinal)),
        ["source eq 'teams' and not cancelled"] = ("dim_meeting", r => Text(r, "source") == "teams" && !r.GetProperty("cancelled").GetBoolean()),
    };

    public static TheoryData<string> Filters => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(Filters))]
    public async Task Filter_KeepsExactlyTheRowsTheConditionHolds(string filter)
    {
        var (set, keeps) = Cases[filter];
        var all = await fixture.UnfilteredAsync(set);
        var expected = all.Where(keeps).Select(r => Text(r, "id")).ToList();
        var actual = (await fixture.ReadAsync($"/api/odata/{set}?$filter={Uri.EscapeDataString(filter)}")).Select(r => Text(r, "id")).ToList();

        Assert.Equal(expected, actual);
        // A case that kept every row (or, but for the one meant to, none) would prove nothing about the filter.
        Assert.True(expected.Count < all.Count, $"'{filter}' keeps every row of {set}");
        Assert.True(expected.Count > 0 || filter == "contains(title, 'Mars')", $"'{filter}' keeps no row of {set}");
    }

    [Fact]
    public async Task Contains_AsPowerBIFoldsTextContains_NowAnswersTheRows()
    {
        // Before the filter was parsed by the OData library this answered 400: "'contains' is not a column … found ','".
        var response = await fixture.App.ClientWithKey(EngagementApp.Keys.Analyst).GetAsync("/api/odata/dim_meeting?$filter=contains(title,'Rencontre')&$select=title&$count=true");
        var body = await Problem.JsonAsync(response);

        var titles = body.GetProperty("value").EnumerateArray().Select(r => r.GetProperty("title").GetString()!).ToList();
        Assert.NotEmpty(titles);
        Assert.All(titles, t => Assert.Contains("Rencontre", t, StringComparison.Ordinal));
        Assert.Equal(titles.Count, body.GetProperty("@odata.count").GetInt32());
        Assert.True(titles.Count < (await fixture.UnfilteredAsync("dim_meeting")).Count, "the annual general assemblies are not 'Rencontre'");
    }

    [Fact]
    public async Task Filter_WithOrderByTopAndCount_CountsTheFilteredRows()
    {
        var all = await fixture.UnfilteredAsync("fact_attendance");
        var expected = all.Where(r => Text(r, "status") is "absent" or "excused").ToList();
        var body = await Problem.JsonAsync(await fixture.App.ClientWithKey(EngagementApp.Keys.Analyst)
            .GetAsync("/api/odata/fact_attendance?$filter=" + Uri.EscapeDataString("status in ('absent','excused')") + "&$orderby=date_key desc,id&$top=10&$count=true"));

        Assert.Equal(expected.Count, body.GetProperty("@odata.count").GetInt32());
        Assert.Equal(
            expected.OrderByDescending(r => Number(r, "date_key")).ThenBy(r => Text(r, "id"), StringComparer.Ordinal).Take(10).Select(r => Text(r, "id")),
            body.GetProperty("value").EnumerateArray().Select(r => Text(r, "id")));
    }

    [Theory]
    [InlineData("tolower(status) eq 'present'", "'tolower'")]
    [InlineData("length(title) gt 10", "'length'")]
    [InlineData("concat(status, 'x') eq 'presentx'", "'concat'")]
    [InlineData("hour(start) ge 18", "'hour'")]
    [InlineData("date(start) eq 2025-03-01", "'date'")]
    [InlineData("now() gt start", "'now'")]
    [InlineData("round(probability) eq 1", "'round'")]
    [InlineData("date_key add 1 gt 20250101", "'add'")]
    [InlineData("date_key sub 1 gt 20250101", "'sub'")]
    [InlineData("date_key mul 2 gt 20250101", "'mul'")]
    [InlineData("date_key div 10000 eq 2025", "'div'")]
    [InlineData("date_key mod 100 eq 1", "'mod'")]
    [InlineData("-date_key lt 0", "'-'")]
    [InlineData("cast(date_key, Edm.String) eq '20250101'", "'cast'")]
    [InlineData("isof(status, Edm.String)", "'isof'")]
    [InlineData("status has 'present'", "'has'")]
    [InlineData("status eq @status", "'@status'")]
    [InlineData("status/any(s: s eq 'present')", "Any/All")]
    [InlineData("meeting/title eq 'x'", "'meeting'")]
    [InlineData("duration'PT1H' eq duration'PT1H'", "duration'PT1H'")]
    public async Task UnsupportedConstruct_Answers400NamingItUnderFilter(string filter, string named)
    {
        var set = filter.Contains("title", StringComparison.Ordinal) || filter.Contains("start", StringComparison.Ordinal) ? "dim_meeting"
            : filter.Contains("probability", StringComparison.Ordinal) ? "fact_risk_snapshot" : "fact_attendance";
        var response = await fixture.App.ClientWithKey(EngagementApp.Keys.Analyst).GetAsync($"/api/odata/{set}?$filter={Uri.EscapeDataString(filter)}");

        var problem = await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "$filter");
        var messages = problem.GetProperty("errors").GetProperty("$filter").EnumerateArray().Select(m => m.GetString()!).ToList();
        Assert.Contains(messages, m => m.Contains(named, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("status eq")]
    [InlineData("status eq 'unterminated")]
    [InlineData("(status eq 'present'")]
    [InlineData("status EQ 'present'")]
    [InlineData("date_key ge 'x'")]
    [InlineData("salary gt 0")]
    [InlineData("date_key")]
    [InlineData("status eq 'a' and")]
    [InlineData(")")]
    public async Task MalformedFilter_Answers400SayingItIsNotValidOData(string filter)
    {
        var response = await fixture.App.ClientWithKey(EngagementApp.Keys.Analyst).GetAsync($"/api/odata/fact_attendance?$filter={Uri.EscapeDataString(filter)}");

        var problem = await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "$filter");
        Assert.StartsWith("The filter is not valid OData: ", problem.GetProperty("errors").GetProperty("$filter")[0].GetString(), StringComparison.Ordinal);
    }
}

/// <summary>A key scoped to one partnership reads only that partnership's rows, whatever the filter asks for.</summary>
public sealed class ODataFilterScopeTests : IAsyncLifetime
{
    private EngagementApp _app = null!;

    public async Task InitializeAsync()
    {
        _app = new EngagementApp(settings: new() { ["Exports:PersonKeySecret"] = Convert.ToBase64String(new byte[32]) });
        await _app.SeedAsync("p1");
        await _app.SeedAsync("p2");
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private async Task<List<string>> PartnershipsSeenAsync(string key, string set, string filter)
    {
        var body = await Problem.JsonAsync(await _app.ClientWithKey(key).GetAsync($"/api/odata/{set}?$filter={Uri.EscapeDataString(filter)}&$count=true"));
        var seen = body.GetProperty("value").EnumerateArray().Select(r => r.GetProperty("partnership_key").GetString()!).ToList();
        Assert.Equal(seen.Count, body.GetProperty("@odata.count").GetInt32());
        return seen;
    }

    [Theory]
    [InlineData("dim_meeting", "partnership_key ne 'x' or true")]
    [InlineData("dim_meeting", "partnership_key eq 'p2' or partnership_key eq 'p1'")]
    [InlineData("dim_organization", "partnership_key in ('p1','p2') or not (partnership_key in ('p1','p2'))")]
    [InlineData("dim_partnership", "true")]
    public async Task ScopedKey_FilterThatKeepsEveryRow_StillSeesOnlyItsPartnership(string set, string filter)
    {
        // The same filter read by an unscoped key shows both partnerships: only the scope keeps p2 out.
        Assert.Equal(["p1", "p2"], (await PartnershipsSeenAsync(EngagementApp.Keys.Analyst, set, filter)).Distinct().Order());
        var seen = await PartnershipsSeenAsync(EngagementApp.Keys.CoordinatorOfP1, set, filter);

        Assert.NotEmpty(seen);
        Assert.All(seen, p => Assert.Equal("p1", p));
    }

    [Fact]
    public async Task ScopedKey_FilterOnAnotherPartnership_FindsNothing()
    {
        Assert.Empty(await PartnershipsSeenAsync(EngagementApp.Keys.CoordinatorOfP1, "dim_meeting", "partnership_key eq 'p2'"));
        Assert.NotEmpty(await PartnershipsSeenAsync(EngagementApp.Keys.Analyst, "dim_meeting", "partnership_key eq 'p2'"));
    }
}
