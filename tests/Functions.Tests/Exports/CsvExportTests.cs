using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using CsvHelper;
using Engagement.Analytics.Synthetic;
using Engagement.Core.Storage;
using Engagement.Functions.Exports;
using Engagement.Functions.Security;
using Microsoft.Extensions.DependencyInjection;

namespace Engagement.Functions.Tests.Exports;

/// <summary>The star schema as CSV, on a synthetic dataset.</summary>
public sealed class CsvExportTests : IAsyncLifetime
{
    private const string PiiKey = "test-key-analyst-pii";
    private EngagementApp _app = null!;

    public async Task InitializeAsync()
    {
        _app = new EngagementApp(settings: new()
        {
            ["Exports:PersonKeySecret"] = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray()),
            ["Auth:ApiKeys:6:Name"] = "analyst-pii",
            ["Auth:ApiKeys:6:Hash"] = KeyHasher.Hash(PiiKey),
            ["Auth:ApiKeys:6:Roles:0"] = "analyst",
            ["Auth:ApiKeys:6:Roles:1"] = "pii",
        });
        _app.Clock.UtcNow = new DateTimeOffset(2026, 3, 2, 12, 0, 0, TimeSpan.Zero);
        var dataset = SyntheticGenerator.Generate(new SyntheticOptions { Seed = 9, Partnerships = 2, Months = 18, Start = new DateOnly(2024, 9, 1) });
        await _app.Services.GetRequiredService<EngagementStores>().LoadAsync(dataset);
        await ActionPlanSeed.SeedAsync(_app.Services.GetRequiredService<EngagementStores>(), "syn-p01", lead: "syn-p01-org01", partner: "syn-p01-org02", person: "syn-p01-org01-rep1");

        (await _app.Admin().PostAsJsonAsync("/api/partnerships/syn-p01/people", new[] { new { id = "formula", displayName = "=HYPERLINK(\"http://evil.example\")" } })).EnsureSuccessStatusCode();
        (await _app.Admin().PostAsJsonAsync("/api/partnerships/syn-p01/organizations", new[] { new { id = "semicolon", name = "Normal;=HYPERLINK(\"http://evil.example\")", sector = "community" } })).EnsureSuccessStatusCode();
        (await _app.Admin().PostAsync("/ScoreRisk", new StringContent("{}", Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private async Task<(List<Dictionary<string, string>> Rows, byte[] Bytes)> ExportAsync(string table, string key = EngagementApp.Keys.Analyst, string query = "")
    {
        using var response = await _app.ClientWithKey(key).GetAsync($"/api/exports/{table}.csv{query}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        using var csv = new CsvReader(new StringReader(Encoding.UTF8.GetString(bytes).TrimStart('\uFEFF')), CultureInfo.InvariantCulture);
        var rows = new List<Dictionary<string, string>>();
        await csv.ReadAsync();
        csv.ReadHeader();
        while (await csv.ReadAsync())
        {
            rows.Add(csv.HeaderRecord!.ToDictionary(h => h, h => csv.GetField(h) ?? string.Empty));
        }

        return (rows, bytes);
    }

    [Fact]
    public async Task EveryTable_RowCountsMatchTheStore_AndKeysJoin()
    {
        var store = _app.Services.GetRequiredService<EngagementStores>();
        int partnerships = 0, organizations = 0, people = 0, meetings = 0, attendance = 0, answers = 0, snapshots = 0, alerts = 0, objectives = 0, actions = 0, updates = 0;
        var days = new HashSet<DateOnly>();
        foreach (var p in await store.Partnerships.ListPartnershipsAsync())
        {
            partnerships++;
            var roster = await store.Roster.GetRosterAsync(p.Id);
            organizations += roster.Organizations.Count;
            people += roster.People.Count;
            var list = await store.Attendance.ListMeetingsAsync(p.Id);
            meetings += list.Count;
            days.UnionWith(list.Select(m => DateOnly.FromDateTime(m.Meeting.Start.DateTime)));
            attendance += (await store.Attendance.ListAttendanceAsync(p.Id)).Count;
            answers += (await store.Forms.ListFormSubmissionsAsync(p.Id)).Sum(s => s.Answers.Sum(a => a.Value.Count));
            snapshots += (await store.Risk.ListRiskSnapshotsAsync(p.Id, DateOnly.MinValue, DateOnly.MaxValue)).Count;
            alerts += (await store.Alerts.ListAlertsAsync(p.Id)).Count;
            var plan = await store.ActionPlans.GetPlanAsync(p.Id);
            (objectives, actions, updates) = (objectives + plan.Objectives.Count, actions + plan.Actions.Count, updates + plan.Updates.Count);
            days.UnionWith(plan.Updates.Select(u => DateOnly.FromDateTime(u.At.DateTime)));
        }

        var expected = new Dictionary<string, int>
        {
            ["dim_partnership"] = partnerships, ["dim_organization"] = organizations, ["dim_person"] = people, ["dim_meeting"] = meetings,
            ["dim_date"] = days.Count, ["fact_attendance"] = attendance, ["fact_form_answer"] = answers, ["fact_risk_snapshot"] = snapshots, ["fact_alert"] = alerts,
            ["dim_objective"] = objectives, ["dim_action"] = actions, ["fact_action_status"] = updates,
        };
        Assert.Equal(StarSchema.Tables.Keys.Order(StringComparer.Ordinal), expected.Keys.Order(StringComparer.Ordinal));
        foreach (var (table, count) in expected)
        {
            var (rows, bytes) = await ExportAsync(table);
            Assert.True(count == rows.Count, $"{table}: {rows.Count} rows, the store holds {count}");
            Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        }

        Assert.True(answers > 0 && alerts > 0 && snapshots > 0 && updates > 0);
        var personKeys = (await ExportAsync("dim_person")).Rows.Select(r => r["person_key"]).ToHashSet();
        Assert.All((await ExportAsync("fact_attendance")).Rows, r => Assert.Contains(r["person_key"], personKeys));
        var dateKeys = (await ExportAsync("dim_date")).Rows.Select(r => r["date_key"]).ToHashSet();
        Assert.All((await ExportAsync("dim_meeting")).Rows, r => Assert.Contains(r["date_key"], dateKeys));
        Assert.All((await ExportAsync("fact_action_status")).Rows, r => Assert.Contains(r["date_key"], dateKeys));
        var actionKeys = (await ExportAsync("dim_action")).Rows.Select(r => r["action_key"]).ToHashSet();
        Assert.All((await ExportAsync("fact_action_status")).Rows, r => Assert.Contains(r["action_key"], actionKeys));
    }

    [Fact]
    public async Task PersonalData_OnlyWithThePiiRole_AndFormulasNeutralised()
    {
        var (plain, plainBytes) = await ExportAsync("dim_person");
        Assert.All(plain, r => Assert.Equal(string.Empty, r["display_name"]));
        Assert.All(plain, r => Assert.Equal(string.Empty, r["email"]));
        Assert.DoesNotContain("@synthetique.example", Encoding.UTF8.GetString(plainBytes), StringComparison.Ordinal);
        Assert.DoesNotContain("@", Encoding.UTF8.GetString((await ExportAsync("fact_attendance")).Bytes), StringComparison.Ordinal);

        var (named, _) = await ExportAsync("dim_person", PiiKey);
        Assert.Contains(named, r => r["email"].EndsWith("@synthetique.example", StringComparison.Ordinal));
        Assert.Contains(named, r => r["display_name"] == "'=HYPERLINK(\"http://evil.example\")");

        // Issue 15, item 5: French-Canadian Excel splits on ';' — the cell is quoted and the formula after it neutralised.
        var (organizations, organizationBytes) = await ExportAsync("dim_organization");
        Assert.Contains(organizations, r => r["name"] == "Normal;'=HYPERLINK(\"http://evil.example\")");
        Assert.Contains("\"Normal;'=HYPERLINK(\"\"http://evil.example\"\")\"", Encoding.UTF8.GetString(organizationBytes), StringComparison.Ordinal);
        Assert.Equal(plain.Select(r => r["person_key"]).Order(), named.Select(r => r["person_key"]).Order());

        // Both exports are in the audit log: who, what, when, how many rows, with or without personal data.
        var audit = await _app.Services.GetRequiredService<EngagementStores>().ExportAudit.ListExportsAsync(DateTimeOffset.UnixEpoch);
        Assert.Contains(audit, a => a.Caller == "analyst-pii" && a.What == "dim_person.csv" && a.PersonalData && a.Rows == named.Count);
        Assert.Contains(audit, a => a.Caller == "analyst" && a.What == "dim_person.csv" && !a.PersonalData && a.Rows == plain.Count);
    }

    [Fact]
    public async Task DateRange_FiltersFacts_AndBadOptionsAreNamed()
    {
        var all = (await ExportAsync("fact_attendance")).Rows;
        var winter = (await ExportAsync("fact_attendance", query: "?from=2025-01-01&to=2025-03-31")).Rows;
        Assert.NotEmpty(winter);
        Assert.True(winter.Count < all.Count);
        Assert.All(winter, r => Assert.InRange(int.Parse(r["date_key"], CultureInfo.InvariantCulture), 20250101, 20250331));

        var client = _app.ClientWithKey(EngagementApp.Keys.Analyst);
        await Problem.AssertAsync(await client.GetAsync("/api/exports/fact_attendance.csv?from=01/02/2025"), HttpStatusCode.BadRequest, "from");
        await Problem.AssertAsync(await client.GetAsync("/api/exports/fact_salaries.csv"), HttpStatusCode.NotFound, "table");
        Assert.Equal(HttpStatusCode.Forbidden, (await _app.ClientWithKey(EngagementApp.Keys.Ingest).GetAsync("/api/exports/dim_person.csv")).StatusCode);
    }

    [Theory]
    [InlineData("", "is required outside Development")]
    [InlineData("c2hvcnQ=", "32 bytes or more")]
    [InlineData("not base64!", "32 bytes or more")]
    public async Task OutsideDevelopment_AMissingOrBadPersonKeySecret_StopsTheAppAtStart_NamingIt(string secret, string expected)
    {
        await using var app = new EngagementApp(settings: new() { ["Exports:PersonKeySecret"] = secret });

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());
        Assert.Contains("Exports:PersonKeySecret", error.ToString(), StringComparison.Ordinal);
        Assert.Contains(expected, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task InDevelopment_WithoutAPersonKeySecret_OneIsKeptBesideTheData_AndPersonKeysStayTheSameAcrossRuns()
    {
        var folder = Directory.CreateTempSubdirectory("engagement-dev-");
        try
        {
            var settings = new Dictionary<string, string> { ["Exports:PersonKeySecret"] = "", ["Storage:Sqlite:Path"] = Path.Combine(folder.FullName, "engagement.db") };
            string first;
            await using (var app = new EngagementApp(settings: settings, environment: "Development"))
            {
                await app.SeedAsync();
                first = await app.ClientWithKey(EngagementApp.Keys.Analyst).GetStringAsync("/api/exports/dim_person.csv");
            }

            var file = Path.Combine(folder.FullName, "person-key-secret");
            Assert.Equal(32, Convert.FromBase64String(File.ReadAllText(file).Trim()).Length);
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            }

            await using (var again = new EngagementApp(settings: settings, environment: "Development"))
            {
                Assert.Equal(first, await again.ClientWithKey(EngagementApp.Keys.Analyst).GetStringAsync("/api/exports/dim_person.csv"));
            }

            Assert.Contains(Engagement.Functions.Exports.ExportContext.Of(Convert.FromBase64String(File.ReadAllText(file).Trim()), "p1", "marie"), first, StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
