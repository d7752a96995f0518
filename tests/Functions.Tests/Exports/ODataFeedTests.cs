using System.Net;
using System.Text;
using System.Xml;
using Engagement.Analytics.Synthetic;
using Engagement.Core.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OData;
using Microsoft.OData.Edm;
using Microsoft.OData.Edm.Csdl;

namespace Engagement.Functions.Tests.Exports;

/// <summary>The OData feed read by a real OData client: Microsoft.OData.Core's reader, following nextLink to the end.</summary>
public sealed class ODataFeedTests : IAsyncLifetime
{
    private EngagementApp _app = null!;

    public async Task InitializeAsync()
    {
        _app = new EngagementApp(settings: new()
        {
            ["Exports:PersonKeySecret"] = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray()),
            ["Exports:ODataPageSize"] = "400",
        });
        var dataset = SyntheticGenerator.Generate(new SyntheticOptions { Seed = 3, Partnerships = 2, Months = 18, Start = new DateOnly(2024, 9, 1) });
        await _app.Services.GetRequiredService<EngagementStores>().LoadAsync(dataset);
        await ActionPlanSeed.SeedAsync(_app.Services.GetRequiredService<EngagementStores>(), "syn-p01", lead: "syn-p01-org01", partner: "syn-p01-org02", person: "syn-p01-org01-rep1");

        (await _app.Admin().PostAsync("/ScoreRisk", new StringContent("{}", Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private sealed class ResponseMessage(Stream body, string contentType) : IODataResponseMessage
    {
        private readonly Dictionary<string, string> _headers = new(StringComparer.OrdinalIgnoreCase) { ["Content-Type"] = contentType, ["OData-Version"] = "4.0" };

        public IEnumerable<KeyValuePair<string, string>> Headers => _headers;

        public int StatusCode { get; set; } = 200;

        public string? GetHeader(string headerName) => _headers.TryGetValue(headerName, out var value) ? value : null;

        public void SetHeader(string headerName, string headerValue) => _headers[headerName] = headerValue;

        public Stream GetStream() => body;
    }

    private async Task<IEdmModel> MetadataAsync(HttpClient client)
    {
        // From the bytes, as a strict client reads them: the XML declaration's encoding must match the bytes.
        var bytes = await client.GetByteArrayAsync("/api/odata/$metadata");
        Assert.True(CsdlReader.TryParse(XmlReader.Create(new MemoryStream(bytes)), out var model, out var errors), string.Join("; ", errors ?? []));
        Assert.StartsWith("<?xml version=\"1.0\" encoding=\"utf-8\"?>", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
        return model;
    }

    /// <summary>Reads every page of an entity set with the OData library's reader; returns the resources and the pages read.</summary>
    private async Task<(List<ODataResource> Rows, int Pages)> ReadAllAsync(HttpClient client, IEdmModel model, string url)
    {
        var set = model.EntityContainer.FindEntitySet(url.Split('?')[0].Split('/')[^1]);
        var rows = new List<ODataResource>();
        var pages = 0;
        string? next = url;
        while (next is not null)
        {
            using var response = await client.GetAsync(next);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            pages++;
            var message = new ResponseMessage(await response.Content.ReadAsStreamAsync(), response.Content.Headers.ContentType!.ToString());
            using var reader = new ODataMessageReader(message, new ODataMessageReaderSettings { BaseUri = client.BaseAddress }, model);
            var resources = reader.CreateODataResourceSetReader(set, set.EntityType);
            next = null;
            while (resources.Read())
            {
                if (resources.State == ODataReaderState.ResourceEnd)
                {
                    rows.Add((ODataResource)resources.Item);
                }
                else if (resources.State == ODataReaderState.ResourceSetEnd)
                {
                    next = ((ODataResourceSet)resources.Item).NextPageLink?.ToString();
                }
            }
        }

        return (rows, pages);
    }

    private static object? Value(ODataResource resource, string name) => ((ODataProperty)resource.Properties.Single(p => p.Name == name)).Value;

    [Fact]
    public async Task Feed_MetadataAndEveryEntitySet_ReadByTheODataLibrary_MatchTheStore()
    {
        var client = _app.ClientWithKey(EngagementApp.Keys.Analyst);
        var model = await MetadataAsync(client);
        Assert.Equal(12, model.EntityContainer.EntitySets().Count());
        var store = _app.Services.GetRequiredService<EngagementStores>();
        int attendance = 0, people = 0, snapshots = 0;
        foreach (var p in await store.Partnerships.ListPartnershipsAsync())
        {
            attendance += (await store.Attendance.ListAttendanceAsync(p.Id)).Count;
            people += (await store.Roster.GetRosterAsync(p.Id)).People.Count;
            snapshots += (await store.Risk.ListRiskSnapshotsAsync(p.Id, DateOnly.MinValue, DateOnly.MaxValue)).Count;
        }

        var (facts, pages) = await ReadAllAsync(client, model, "/api/odata/fact_attendance");
        Assert.Equal(attendance, facts.Count);
        Assert.Equal((attendance + 399) / 400, pages);
        Assert.Equal(attendance, facts.Select(f => Value(f, "id")).Distinct().Count());

        var (persons, _) = await ReadAllAsync(client, model, "/api/odata/dim_person");
        Assert.Equal(people, persons.Count);
        Assert.All(persons, p => Assert.Null(Value(p, "email")));
        var keys = persons.Select(p => (string)Value(p, "person_key")!).ToHashSet();
        Assert.All(facts, f => Assert.Contains((string)Value(f, "person_key")!, keys));

        Assert.Equal(snapshots, (await ReadAllAsync(client, model, "/api/odata/fact_risk_snapshot")).Rows.Count);
        foreach (var set in new[] { "dim_partnership", "dim_organization", "dim_meeting", "dim_date", "fact_form_answer", "fact_alert" })
        {
            await ReadAllAsync(client, model, "/api/odata/" + set);
        }

        var plan = await store.ActionPlans.GetPlanAsync("syn-p01");
        Assert.Equal(plan.Objectives.Count, (await ReadAllAsync(client, model, "/api/odata/dim_objective")).Rows.Count);
        Assert.Equal(plan.Actions.Count, (await ReadAllAsync(client, model, "/api/odata/dim_action")).Rows.Count);
        var (statuses, _) = await ReadAllAsync(client, model, "/api/odata/fact_action_status");
        Assert.Equal(plan.Updates.Select(u => u.Id), statuses.Select(s => (string)Value(s, "update_id")!));
        Assert.All(statuses.Where(s => Value(s, "person_key") is not null), s => Assert.Contains((string)Value(s, "person_key")!, keys));
    }

    [Fact]
    public async Task Query_SelectFilterOrderByTopCount_DoWhatTheySay()
    {
        var client = _app.ClientWithKey(EngagementApp.Keys.Analyst);
        var body = await Problem.JsonAsync(await client.GetAsync("/api/odata/fact_attendance?$select=person_key,date_key,status&$filter=status eq 'present' and date_key ge 20250101 and date_key le 20250331&$orderby=date_key desc,person_key&$top=5&$count=true"));
        var rows = body.GetProperty("value").EnumerateArray().ToList();
        Assert.Equal(5, rows.Count);
        Assert.True(body.GetProperty("@odata.count").GetInt32() > 5);
        Assert.All(rows, r => Assert.Equal(["person_key", "date_key", "status"], r.EnumerateObject().Select(p => p.Name)));
        Assert.All(rows, r => Assert.Equal("present", r.GetProperty("status").GetString()));
        var dates = rows.Select(r => r.GetProperty("date_key").GetInt32()).ToList();
        Assert.Equal(dates.OrderDescending(), dates);
        Assert.All(dates, d => Assert.InRange(d, 20250101, 20250331));
        Assert.False(body.TryGetProperty("@odata.nextLink", out _));
    }

    [Theory]
    [InlineData("$filter=salary gt 0", "$filter")]
    [InlineData("$filter=tolower(status) eq 'present'", "$filter")]
    [InlineData("$filter=date_key ge 'x'", "$filter")]
    [InlineData("$top=-1", "$top")]
    [InlineData("$skip=abc", "$skip")]
    [InlineData("$select=person_key,password", "$select")]
    [InlineData("$orderby=date_key sideways", "$orderby")]
    [InlineData("$expand=meeting", "$expand")]
    public async Task Query_BadOptions_Answer400NamingTheOption(string query, string field)
    {
        var response = await _app.ClientWithKey(EngagementApp.Keys.Analyst).GetAsync("/api/odata/fact_attendance?" + query);
        var problem = await Problem.AssertAsync(response, HttpStatusCode.BadRequest, field);
        Assert.DoesNotContain("person_key\":\"", problem.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Query_HostileStringLiteral_IsJustAValue()
    {
        var body = await Problem.JsonAsync(await _app.ClientWithKey(EngagementApp.Keys.Analyst).GetAsync("/api/odata/fact_attendance?$filter=status eq 'x'' or ''1''=''1'"));
        Assert.Empty(body.GetProperty("value").EnumerateArray());
    }

    [Fact]
    public async Task ServiceDocument_ListsTheSets_AndNeedsAKey()
    {
        var document = await Problem.JsonAsync(await _app.ClientWithKey(EngagementApp.Keys.Analyst).GetAsync("/api/odata"));
        Assert.Equal(12, document.GetProperty("value").GetArrayLength());
        Assert.Equal(HttpStatusCode.Unauthorized, (await _app.CreateClient().GetAsync("/api/odata/dim_person")).StatusCode);
    }

    [Fact]
    public async Task Standalone_AlsoServesTheFeedWithoutTheApiPrefix_WithLinksUnderIt()
    {
        var client = _app.ClientWithKey(EngagementApp.Keys.Analyst);
        var document = await Problem.JsonAsync(await client.GetAsync("/odata"));
        Assert.EndsWith("/odata/$metadata", document.GetProperty("@odata.context").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/odata/$metadata")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/odata/dim_partnership")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _app.CreateClient().GetAsync("/odata/dim_partnership")).StatusCode);
    }
}
