using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Xml;
using CsvHelper;
using Engagement.Core.Storage;
using Engagement.Functions.Exports;
using Engagement.Functions.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OData.Edm;
using Microsoft.OData.Edm.Csdl;

namespace Engagement.Functions.Tests.Exports;

/// <summary>dim_objective, dim_action and fact_action_status for a seeded plan, as CSV and through the OData feed.</summary>
public sealed class ActionPlanExportTests : IAsyncLifetime
{
    private const string PiiKey = "test-key-analyst-pii";
    private static readonly byte[] Secret = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];
    private EngagementApp _app = null!;

    public async Task InitializeAsync()
    {
        _app = new EngagementApp(settings: new()
        {
            ["Exports:PersonKeySecret"] = Convert.ToBase64String(Secret),
            ["Exports:ODataPageSize"] = "3",
            ["Auth:ApiKeys:6:Name"] = "analyst-pii",
            ["Auth:ApiKeys:6:Hash"] = KeyHasher.Hash(PiiKey),
            ["Auth:ApiKeys:6:Roles:0"] = "analyst",
            ["Auth:ApiKeys:6:Roles:1"] = "pii",
        });
        var store = _app.Services.GetRequiredService<EngagementStores>();
        foreach (var id in new[] { "p1", "p2" })
        {
            await _app.SeedAsync(id);
            await ActionPlanSeed.SeedAsync(store, id);
        }
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private async Task<List<Dictionary<string, string>>> CsvAsync(string table, string key = EngagementApp.Keys.Analyst, string query = "")
    {
        using var response = await _app.ClientWithKey(key).GetAsync($"/api/exports/{table}.csv{query}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var csv = new CsvReader(new StringReader((await response.Content.ReadAsStringAsync()).TrimStart('\uFEFF')), CultureInfo.InvariantCulture);
        var rows = new List<Dictionary<string, string>>();
        await csv.ReadAsync();
        csv.ReadHeader();
        while (await csv.ReadAsync())
        {
            rows.Add(csv.HeaderRecord!.ToDictionary(h => h, h => csv.GetField(h) ?? string.Empty));
        }

        return rows;
    }

    /// <summary>Every page of an OData read, following <c>@odata.nextLink</c>.</summary>
    private async Task<(List<JsonElement> Rows, int Pages)> ODataAsync(string url, string key = EngagementApp.Keys.Analyst)
    {
        var client = _app.ClientWithKey(key);
        var rows = new List<JsonElement>();
        var pages = 0;
        string? next = url;
        while (next is not null)
        {
            var body = await Problem.JsonAsync(await client.GetAsync(next));
            rows.AddRange(body.GetProperty("value").EnumerateArray());
            pages++;
            next = body.TryGetProperty("@odata.nextLink", out var link) ? link.GetString() : null;
        }

        return (rows, pages);
    }

    private static string PersonKey(string partnershipId, string personId) => ExportContext.Of(Secret, partnershipId, personId);

    [Fact]
    public async Task Csv_DimObjectiveAndDimAction_HoldEachPartnershipsPlan_InPlanOrder()
    {
        var objectives = await CsvAsync("dim_objective");
        var actions = await CsvAsync("dim_action");

        Assert.Equal(["p1:O2", "p1:O1", "p2:O2", "p2:O1"], objectives.Select(o => o["objective_key"]));
        Assert.Equal(
            new Dictionary<string, string> { ["objective_key"] = "p1:O2", ["partnership_key"] = "p1", ["objective_id"] = "O2", ["title"] = "Mieux faire connaître les services", ["sort_order"] = "1" },
            objectives.First(o => o["partnership_key"] == "p1"));
        Assert.Equal(["p1:O1.A1", "p1:O1.A2", "p1:O2.A1"], actions.Where(a => a["partnership_key"] == "p1").Select(a => a["action_key"]));
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["action_key"] = "p1:O1.A1", ["partnership_key"] = "p1", ["action_id"] = "O1.A1", ["objective_key"] = "p1:O1", ["title"] = "Répertoire des ressources",
                ["lead_organization_key"] = "p1:cdc", ["partner_organization_keys"] = "p1:ville", ["start_date"] = "2026-01-10", ["due_date"] = "2026-02-28",
                ["deliverables"] = "Un répertoire imprimé", ["recorded_at"] = "2026-01-05T09:00:00-05:00",
            },
            actions[0]);
        var bare = actions.Single(a => a["action_key"] == "p1:O1.A2");
        Assert.Equal(("p1:ville", "", "", "", ""), (bare["lead_organization_key"], bare["partner_organization_keys"], bare["start_date"], bare["due_date"], bare["deliverables"]));

        // Every key joins: objectives to dim_objective, organisations to dim_organization.
        var organizations = (await CsvAsync("dim_organization")).Select(o => o["organization_key"]).ToHashSet();
        Assert.All(actions, a => Assert.Contains(a["objective_key"], objectives.Select(o => o["objective_key"])));
        Assert.All(actions, a => Assert.Contains(a["lead_organization_key"], organizations));
        Assert.All(actions.Where(a => a["partner_organization_keys"].Length > 0).SelectMany(a => a["partner_organization_keys"].Split(';')), k => Assert.Contains(k, organizations));
    }

    [Fact]
    public async Task Csv_FactActionStatus_OneRowPerUpdate_WithLatenessAtThatTime_AndPseudonymousPeople()
    {
        var rows = (await CsvAsync("fact_action_status")).Where(r => r["partnership_key"] == "p1").ToList();

        Assert.Equal(["u1", "u3", "u4", "u5", "u2"], rows.Select(r => r["update_id"]));
        string Row(Dictionary<string, string> r) => string.Join(",", r["action_key"], r["organization_key"], r["date_key"], r["at"], r["status"], r["source"], r["is_late"], r["days_late"]);
        Assert.Equal(
            [
                "p1:O1.A1,p1:cdc,20260120,2026-01-20T10:00:00-05:00,on-track,sheet,false,0",
                "p1:O2.A1,,20260125,2026-01-25T09:00:00-05:00,late,coordinator,true,0",
                "p1:O2.A1,,20260205,2026-02-05T09:00:00-05:00,late,coordinator,true,11",
                "p1:O1.A2,,20260210,2026-02-10T16:00:00-05:00,done,import,false,0",
                "p1:O1.A1,p1:cdc,20260310,2026-03-10T10:00:00-04:00,on-track,sheet,true,9",
            ],
            rows.Select(Row));
        Assert.Equal([PersonKey("p1", "marie"), "", "", "", PersonKey("p1", "marie")], rows.Select(r => r["person_key"]));
        Assert.Contains(rows[0]["person_key"], (await CsvAsync("dim_person")).Select(p => p["person_key"]));

        // The fact's days are in dim_date.
        var dates = (await CsvAsync("dim_date")).Select(d => d["date_key"]).ToHashSet();
        Assert.All(rows, r => Assert.Contains(r["date_key"], dates));
    }

    [Fact]
    public async Task Csv_SheetTexts_OnlyWithThePiiRole_AndBothExportsAreAudited()
    {
        var plain = await CsvAsync("fact_action_status");
        var named = await CsvAsync("fact_action_status", PiiKey);

        Assert.All(plain, r => Assert.Equal(("", "", ""), (r["done"], r["obstacles"], r["help_needed"])));
        var u2 = named.First(r => r["update_id"] == "u2");
        Assert.Equal(("", ActionPlanSeed.Obstacles, "Une personne pour la mise en page"), (u2["done"], u2["obstacles"], u2["help_needed"]));
        Assert.Equal("Liste des organismes dressée", named.First(r => r["update_id"] == "u1")["done"]);
        Assert.Equal(plain.Select(r => r["person_key"]), named.Select(r => r["person_key"]));

        var audit = await _app.Services.GetRequiredService<EngagementStores>().ExportAudit.ListExportsAsync(DateTimeOffset.UnixEpoch);
        Assert.Contains(audit, a => a.Caller == "analyst" && a.What == "fact_action_status.csv" && !a.PersonalData && a.Rows == plain.Count);
        Assert.Contains(audit, a => a.Caller == "analyst-pii" && a.What == "fact_action_status.csv" && a.PersonalData && a.Rows == 10);
    }

    [Fact]
    public async Task Csv_DateRange_KeepsTheUpdatesOfThoseDays_WithLatenessFromTheEarlierOnes()
    {
        var february = await CsvAsync("fact_action_status", query: "?from=2026-02-01&to=2026-02-28");

        Assert.Equal(["p1:u4", "p1:u5", "p2:u4", "p2:u5"], february.Select(r => r["partnership_key"] + ":" + r["update_id"]).Order(StringComparer.Ordinal));
        Assert.All(february.Where(r => r["update_id"] == "u4"), r => Assert.Equal("11", r["days_late"]));
    }

    [Fact]
    public async Task Csv_AKeyScopedToOnePartnership_ReadsOnlyItsPlan()
    {
        foreach (var table in new[] { "dim_objective", "dim_action", "fact_action_status" })
        {
            var rows = await CsvAsync(table, EngagementApp.Keys.CoordinatorOfP1);
            Assert.NotEmpty(rows);
            Assert.All(rows, r => Assert.Equal("p1", r["partnership_key"]));
        }
    }

    [Fact]
    public async Task OData_Metadata_DeclaresTheThreeSets_Typed()
    {
        var bytes = await _app.ClientWithKey(EngagementApp.Keys.Analyst).GetByteArrayAsync("/api/odata/$metadata");
        Assert.True(CsdlReader.TryParse(XmlReader.Create(new MemoryStream(bytes)), out var model, out var errors), string.Join("; ", errors ?? []));

        EdmPrimitiveTypeKind Kind(string set, string property) =>
            model.EntityContainer.FindEntitySet(set).EntityType.FindProperty(property).Type.AsPrimitive().PrimitiveKind();
        Assert.Equal(EdmPrimitiveTypeKind.Int32, Kind("dim_objective", "sort_order"));
        Assert.Equal(EdmPrimitiveTypeKind.Date, Kind("dim_action", "due_date"));
        Assert.Equal(EdmPrimitiveTypeKind.DateTimeOffset, Kind("dim_action", "recorded_at"));
        Assert.Equal(EdmPrimitiveTypeKind.DateTimeOffset, Kind("fact_action_status", "at"));
        Assert.Equal(EdmPrimitiveTypeKind.Boolean, Kind("fact_action_status", "is_late"));
        Assert.Equal(EdmPrimitiveTypeKind.Int32, Kind("fact_action_status", "days_late"));
        Assert.Equal(EdmPrimitiveTypeKind.String, Kind("fact_action_status", "obstacles"));
        var document = await Problem.JsonAsync(await _app.ClientWithKey(EngagementApp.Keys.Analyst).GetAsync("/api/odata"));
        Assert.Contains("fact_action_status", document.GetProperty("value").EnumerateArray().Select(s => s.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task OData_EveryPage_HoldsTheRowsOfTheCsvExport()
    {
        foreach (var (set, key) in new[] { ("dim_objective", "objective_key"), ("dim_action", "action_key"), ("fact_action_status", "update_id") })
        {
            var csv = await CsvAsync(set);
            var (rows, pages) = await ODataAsync("/api/odata/" + set);

            Assert.Equal((csv.Count + 2) / 3, pages);
            Assert.Equal(csv.Select(r => r["partnership_key"] + "|" + r[key]).Order(StringComparer.Ordinal), rows.Select(r => r.GetProperty("partnership_key").GetString() + "|" + r.GetProperty(key).GetString()).Order(StringComparer.Ordinal));
            Assert.Equal(rows.Count, rows.Select(r => r.GetProperty("id").GetString()).Distinct().Count());
        }

        var (facts, _) = await ODataAsync("/api/odata/fact_action_status");
        Assert.Equal("p1|u1", facts[0].GetProperty("id").GetString());
        Assert.All(facts, f => Assert.Equal(JsonValueKind.Null, f.GetProperty("obstacles").ValueKind));
        Assert.Contains(facts, f => f.GetProperty("is_late").GetBoolean() && f.GetProperty("days_late").GetInt32() == 9);
    }

    [Fact]
    public async Task OData_SelectAndFilter_OnKeysAndDates()
    {
        var (late, _) = await ODataAsync("/api/odata/fact_action_status?$select=update_id,days_late,at&$filter=action_key eq 'p1:O2.A1' and date_key ge 20260201");
        var row = Assert.Single(late);
        Assert.Equal(["update_id", "days_late", "at"], row.EnumerateObject().Select(p => p.Name));
        Assert.Equal(("u4", 11, "2026-02-05T09:00:00-05:00"), (row.GetProperty("update_id").GetString(), row.GetProperty("days_late").GetInt32(), row.GetProperty("at").GetString()));

        var (due, _) = await ODataAsync("/api/odata/dim_action?$select=action_key&$filter=due_date lt 2026-02-15 and partnership_key eq 'p2'");
        Assert.Equal(["p2:O2.A1"], due.Select(r => r.GetProperty("action_key").GetString()));

        var (lateNow, _) = await ODataAsync("/api/odata/fact_action_status?$filter=is_late and at ge 2026-03-01T00:00:00Z&$select=partnership_key,update_id");
        Assert.Equal(["p1|u2", "p2|u2"], lateNow.Select(r => r.GetProperty("partnership_key").GetString() + "|" + r.GetProperty("update_id").GetString()));

        var (texts, _) = await ODataAsync("/api/odata/fact_action_status?$filter=update_id eq 'u2'&$select=obstacles", PiiKey);
        Assert.All(texts, t => Assert.Equal(ActionPlanSeed.Obstacles, t.GetProperty("obstacles").GetString()));
        Assert.Equal(2, texts.Count);
    }

    [Fact]
    public async Task OData_AKeyScopedToOnePartnership_ReadsOnlyItsPlan_WhateverTheFilter()
    {
        var (rows, _) = await ODataAsync("/api/odata/fact_action_status?$filter=partnership_key eq 'p2' or partnership_key eq 'p1'", EngagementApp.Keys.CoordinatorOfP1);

        Assert.Equal(5, rows.Count);
        Assert.All(rows, r => Assert.Equal("p1", r.GetProperty("partnership_key").GetString()));
    }

    [Fact]
    public async Task Csv_BodyIsUtf8WithBom_AndAccentsSurvive()
    {
        var bytes = await _app.ClientWithKey(EngagementApp.Keys.Analyst).GetByteArrayAsync("/api/exports/dim_objective.csv");

        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        Assert.Contains("Mieux faire connaître les services", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
        Assert.StartsWith("objective_key,partnership_key,objective_id,title,sort_order\r\n", Encoding.UTF8.GetString(bytes[3..]), StringComparison.Ordinal);
    }
}
