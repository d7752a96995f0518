using System.Net;
using System.Text.Json;
using Engagement.Functions.Security;

namespace Engagement.Functions.Tests.Exports;

/// <summary>The export audit log as an admin reads it, after real CSV and OData exports at known times.</summary>
public sealed class ExportAuditApiTests : IAsyncLifetime
{
    private const string PiiKey = "test-key-analyst-pii";
    private static readonly DateTimeOffset First = EngagementApp.Start;
    private static readonly DateTimeOffset Second = EngagementApp.Start.AddDays(20);
    private static readonly DateTimeOffset Third = EngagementApp.Start.AddDays(20).AddHours(2);

    private readonly EngagementApp _app = new(settings: new()
    {
        ["Exports:PersonKeySecret"] = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray()),
        ["Auth:ApiKeys:6:Name"] = "analyst-pii",
        ["Auth:ApiKeys:6:Hash"] = KeyHasher.Hash(PiiKey),
        ["Auth:ApiKeys:6:Roles:0"] = "analyst",
        ["Auth:ApiKeys:6:Roles:1"] = "pii",
    });

    public async Task InitializeAsync()
    {
        await _app.SeedAsync();
        await ExportAsync(EngagementApp.Keys.Analyst, "/api/exports/dim_partnership.csv");
        _app.Clock.UtcNow = Second;
        await ExportAsync(PiiKey, "/api/exports/dim_person.csv?from=2026-01-01&to=2026-06-30");
        _app.Clock.UtcNow = Third;
        await ExportAsync(EngagementApp.Keys.Coordinator, "/api/odata/dim_organization");
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private async Task ExportAsync(string key, string path)
    {
        using var response = await _app.ClientWithKey(key).GetAsync(path);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private async Task<JsonElement> AuditAsync(string query = "") =>
        await Problem.JsonAsync(await _app.Admin().GetAsync("/api/audit/exports" + query));

    private static List<string> What(JsonElement log) => [.. log.GetProperty("exports").EnumerateArray().Select(e => e.GetProperty("what").GetString()!)];

    [Fact]
    public async Task EveryExport_NewestFirst_WithWhoWhatWhenRowsPersonalDataAndFilter()
    {
        _app.Clock.UtcNow = Third.AddHours(1);
        var log = await AuditAsync("?since=2026-11-01");

        Assert.Equal(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), log.GetProperty("since").GetDateTimeOffset());
        var exports = log.GetProperty("exports");
        Assert.Equal(["odata/dim_organization", "dim_person.csv", "dim_partnership.csv"], What(log));

        var odata = exports[0];
        Assert.Equal(Third, odata.GetProperty("at").GetDateTimeOffset());
        Assert.Equal("coordinator", odata.GetProperty("caller").GetString());
        Assert.Equal(2, odata.GetProperty("rows").GetInt32());
        Assert.False(odata.GetProperty("personalData").GetBoolean());

        var people = exports[1];
        Assert.Equal(Second, people.GetProperty("at").GetDateTimeOffset());
        Assert.Equal("analyst-pii", people.GetProperty("caller").GetString());
        Assert.Equal(3, people.GetProperty("rows").GetInt32());
        Assert.True(people.GetProperty("personalData").GetBoolean());
        Assert.Equal("from=2026-01-01&to=2026-06-30", people.GetProperty("filter").GetString());

        var partnerships = exports[2];
        Assert.Equal(First, partnerships.GetProperty("at").GetDateTimeOffset());
        Assert.Equal("analyst", partnerships.GetProperty("caller").GetString());
        Assert.Equal(1, partnerships.GetProperty("rows").GetInt32());
        Assert.False(partnerships.GetProperty("personalData").GetBoolean());
        Assert.Equal(JsonValueKind.Null, partnerships.GetProperty("filter").ValueKind);
        Assert.Equal(["at", "caller", "what", "rows", "personalData", "filter"], partnerships.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task Since_ADateFromMidnightUtc_OrATimestampWithItsOffset()
    {
        Assert.Equal(["odata/dim_organization", "dim_person.csv"], What(await AuditAsync("?since=2026-11-21")));
        Assert.Empty(What(await AuditAsync("?since=2026-11-22")));

        // 2026-11-21T12:00:00Z, written in Montréal's winter offset: the CSV at noon is in, as the boundary is inclusive.
        var noon = await AuditAsync("?since=" + Uri.EscapeDataString("2026-11-21T07:00:00-05:00"));
        Assert.Equal(Second, noon.GetProperty("since").GetDateTimeOffset());
        Assert.Equal(["odata/dim_organization", "dim_person.csv"], What(noon));
        Assert.Equal(["odata/dim_organization"], What(await AuditAsync("?since=2026-11-21T12:00:01Z")));
    }

    [Fact]
    public async Task WithoutSince_TheLast30Days()
    {
        // 35 days after the first export, 15 after the other two.
        _app.Clock.UtcNow = First.AddDays(35);
        var log = await AuditAsync();
        Assert.Equal(First.AddDays(5), log.GetProperty("since").GetDateTimeOffset());
        Assert.Equal(["odata/dim_organization", "dim_person.csv"], What(log));

        _app.Clock.UtcNow = Third.AddDays(31);
        Assert.Empty(What(await AuditAsync()));
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("2026-13-01")]
    [InlineData("21/11/2026")]
    [InlineData("2026-11-21T07:00:00")]
    public async Task Since_NotADateNorATimestampWithOffset_Answers400NamingIt(string since)
    {
        await Problem.AssertAsync(await _app.Admin().GetAsync("/api/audit/exports?since=" + Uri.EscapeDataString(since)), HttpStatusCode.BadRequest, "since");
    }

    [Theory]
    [InlineData(EngagementApp.Keys.Analyst)]
    [InlineData(EngagementApp.Keys.Coordinator)]
    [InlineData(EngagementApp.Keys.Ingest)]
    [InlineData(PiiKey)]
    public async Task OtherRoles_AreForbidden_EvenThoseWhoExport(string key)
    {
        await Problem.AssertAsync(await _app.ClientWithKey(key).GetAsync("/api/audit/exports"), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task ReadingTheLog_IsNotAnExport_AndTheCsvRouteNamesUnknownTables()
    {
        await AuditAsync();
        await AuditAsync();
        Assert.Equal(3, (await AuditAsync("?since=2020-01-01")).GetProperty("exports").GetArrayLength());

        // The log is not a table of the star schema: exports/audit(.csv) names an unknown table.
        await Problem.AssertAsync(await _app.ClientWithKey(EngagementApp.Keys.Analyst).GetAsync("/api/exports/audit.csv"), HttpStatusCode.NotFound, "table");
        await Problem.AssertAsync(await _app.ClientWithKey(EngagementApp.Keys.Analyst).GetAsync("/api/exports/audit"), HttpStatusCode.NotFound, "table");
    }
}
