using System.Net;
using System.Net.Http.Json;
using System.Text;

namespace Engagement.Functions.Tests.Api;

public sealed class PartnershipsApiTests : IAsyncLifetime
{
    private readonly EngagementApp _app = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task PutPartnership_NewThenSameThenChanged_ReportsCreatedUnchangedUpdated()
    {
        var client = _app.Admin();
        var body = new { name = "Comité MADA de Rimouski", territory = "Rimouski", language = "fr", coordinatorEmails = new[] { "Coord@Example.org" } };

        var created = await client.PutAsJsonAsync("/api/partnerships/mada-rimouski", body);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("/api/partnerships/mada-rimouski", created.Headers.Location?.OriginalString);
        Problem.AssertCounts(await Problem.JsonAsync(created, HttpStatusCode.Created), 1, 0, 0);
        Problem.AssertCounts(await Problem.JsonAsync(await client.PutAsJsonAsync("/api/partnerships/mada-rimouski", body)), 0, 0, 1);
        Problem.AssertCounts(await Problem.JsonAsync(await client.PutAsJsonAsync("/api/partnerships/mada-rimouski", body with { language = "en" })), 0, 1, 0);

        var list = await Problem.JsonAsync(await client.GetAsync("/api/partnerships"));
        var item = Assert.Single(list.EnumerateArray());
        Assert.Equal("mada-rimouski", item.GetProperty("id").GetString());
        Assert.Equal("en", item.GetProperty("language").GetString());
        Assert.Equal("coord@example.org", item.GetProperty("coordinatorEmails")[0].GetString());
    }

    [Fact]
    public async Task PutPartnership_InvalidFields_NamesEachFieldAndStoresNothing()
    {
        var client = _app.Admin();
        var response = await client.PutAsJsonAsync("/api/partnerships/p1", new { name = "", language = "de", coordinatorEmails = new[] { "not-an-email" } });

        await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "name", "language", "coordinatorEmails[0]");
        Assert.Empty((await Problem.JsonAsync(await client.GetAsync("/api/partnerships"))).EnumerateArray());
    }

    [Fact]
    public async Task PutPartnership_AlertEmails_NewStartsQuiet_AnUpdateWithoutItKeepsIt_ReadsShowIt()
    {
        var client = _app.Admin();
        const string Route = "/api/partnerships/mada-rimouski";
        async Task<bool> ReadAsync() => (await Problem.JsonAsync(await client.GetAsync(Route))).GetProperty("partnership").GetProperty("alertEmails").GetBoolean();
        async Task<bool> ListedAsync() => Assert.Single((await Problem.JsonAsync(await client.GetAsync("/api/partnerships"))).EnumerateArray()).GetProperty("alertEmails").GetBoolean();

        Problem.AssertCounts(await Problem.JsonAsync(await client.PutAsync(Route, Json("""{"name":"Comité MADA","coordinatorEmails":["coord@example.org"]}""")), HttpStatusCode.Created), 1, 0, 0);
        Assert.False(await ReadAsync());
        Assert.False(await ListedAsync());

        Problem.AssertCounts(await Problem.JsonAsync(await client.PutAsync(Route, Json("""{"name":"Comité MADA","coordinatorEmails":["coord@example.org"],"alertEmails":true}"""))), 0, 1, 0);
        Assert.True(await ReadAsync());

        // A PUT that only renames leaves the coordinators' e-mails as they are.
        Problem.AssertCounts(await Problem.JsonAsync(await client.PutAsync(Route, Json("""{"name":"Comité MADA de Rimouski","coordinatorEmails":["coord@example.org"]}"""))), 0, 1, 0);
        Assert.True(await ReadAsync());
        Assert.True(await ListedAsync());

        Problem.AssertCounts(await Problem.JsonAsync(await client.PutAsync(Route, Json("""{"name":"Comité MADA de Rimouski","coordinatorEmails":["coord@example.org"],"alertEmails":false}"""))), 0, 1, 0);
        Assert.False(await ReadAsync());
    }

    [Theory]
    [InlineData("\"yes\"")]
    [InlineData("1")]
    [InlineData("[true]")]
    public async Task PutPartnership_AlertEmailsNotABoolean_NamesTheFieldAndStoresNothing(string value)
    {
        var client = _app.Admin();
        var response = await client.PutAsync("/api/partnerships/p1", Json($$"""{"name":"Table p1","alertEmails":{{value}}}"""));

        await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "alertEmails");
        Assert.Empty((await Problem.JsonAsync(await client.GetAsync("/api/partnerships"))).EnumerateArray());
    }

    [Theory]
    [InlineData("bad%23id")]
    [InlineData("bad%3Fid")]
    [InlineData("bad%5Cid")]
    public async Task PutPartnership_IdNotAValidTableKey_IsRefused(string id)
    {
        var response = await _app.Admin().PutAsJsonAsync($"/api/partnerships/{id}", new { name = "x" });
        await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "id");
    }

    [Fact]
    public async Task GetPartnership_AfterSeeding_ReturnsRosterWithActiveRepresentations()
    {
        await _app.SeedAsync();
        var detail = await Problem.JsonAsync(await _app.Admin().GetAsync("/api/partnerships/p1"));

        Assert.Equal("Table p1", detail.GetProperty("partnership").GetProperty("name").GetString());
        Assert.Equal(["cdc", "ville"], detail.GetProperty("organizations").EnumerateArray().Select(o => o.GetProperty("id").GetString()));
        Assert.Equal("community", detail.GetProperty("organizations")[0].GetProperty("sector").GetString());
        Assert.Equal(3, detail.GetProperty("people").GetArrayLength());
        var representation = detail.GetProperty("representations")[0];
        Assert.Equal("cdc.marie.20250101", representation.GetProperty("id").GetString());
        Assert.True(representation.GetProperty("active").GetBoolean());
    }

    [Fact]
    public async Task GetPartnership_Unknown_Answers404NamingThePartnership()
    {
        var response = await _app.Admin().GetAsync("/api/partnerships/nowhere");
        await Problem.AssertAsync(response, HttpStatusCode.NotFound, "partnershipId");
    }

    [Fact]
    public async Task PostPeople_UnknownPartnership_Answers404()
    {
        var response = await _app.Admin().PostAsJsonAsync("/api/partnerships/nowhere/people", new[] { new { id = "a" } });
        await Problem.AssertAsync(response, HttpStatusCode.NotFound, "partnershipId");
    }

    [Fact]
    public async Task EndRepresentation_ThenStartSuccessor_RecordsTurnover()
    {
        await _app.SeedAsync();
        var client = _app.Admin();

        var ended = await client.PostAsJsonAsync("/api/partnerships/p1/representations/cdc.marie.20250101/end", new { to = "2026-03-31" });
        Problem.AssertCounts(await Problem.JsonAsync(ended), 0, 1, 0);
        var again = await client.PostAsJsonAsync("/api/partnerships/p1/representations/cdc.marie.20250101/end", new { to = "2026-03-31" });
        Problem.AssertCounts(await Problem.JsonAsync(again), 0, 0, 1);
        var successor = await client.PostAsJsonAsync("/api/partnerships/p1/representations", new[] { new { organizationId = "cdc", personId = "luc", from = "2026-04-01" } });
        Problem.AssertCounts(await Problem.JsonAsync(successor), 1, 0, 0);

        var detail = await Problem.JsonAsync(await client.GetAsync("/api/partnerships/p1"));
        var cdc = detail.GetProperty("representations").EnumerateArray().Where(r => r.GetProperty("organizationId").GetString() == "cdc").ToList();
        Assert.Equal("2026-03-31", cdc.Single(r => r.GetProperty("personId").GetString() == "marie").GetProperty("to").GetString());
        Assert.False(cdc.Single(r => r.GetProperty("personId").GetString() == "marie").GetProperty("active").GetBoolean());
        Assert.True(cdc.Single(r => r.GetProperty("personId").GetString() == "luc").GetProperty("active").GetBoolean());
    }

    [Fact]
    public async Task RosterSentAgainWithoutTheEnd_KeepsTheTurnover_AndReopeningIsExplicit()
    {
        // Issue 15, item 13: a spreadsheet that does not know about a departure re-sent the roster and reopened it.
        await _app.SeedAsync();
        var client = _app.Admin();
        (await client.PostAsJsonAsync("/api/partnerships/p1/representations/cdc.marie.20250101/end", new { to = "2026-03-31" })).EnsureSuccessStatusCode();
        var roster = new[] { new { organizationId = "cdc", personId = "marie", role = "representative", from = "2025-01-01" } };

        var resent = await client.PostAsJsonAsync("/api/partnerships/p1/representations", roster);

        Problem.AssertCounts(await Problem.JsonAsync(resent), 0, 0, 1);
        Assert.Equal("2026-03-31", await MariesEndAsync());

        var conflicting = await client.PostAsJsonAsync("/api/partnerships/p1/representations", new[] { new { organizationId = "cdc", personId = "marie", from = "2025-01-01", to = "2026-06-30", reopen = true } });
        await Problem.AssertAsync(conflicting, HttpStatusCode.BadRequest, "[0].reopen");

        var reopened = await client.PostAsJsonAsync("/api/partnerships/p1/representations", new[] { new { organizationId = "cdc", personId = "marie", from = "2025-01-01", reopen = true } });
        Problem.AssertCounts(await Problem.JsonAsync(reopened), 0, 1, 0);
        Assert.Null(await MariesEndAsync());

        async Task<string?> MariesEndAsync()
        {
            var detail = await Problem.JsonAsync(await client.GetAsync("/api/partnerships/p1"));
            var marie = detail.GetProperty("representations").EnumerateArray().Single(r => r.GetProperty("id").GetString() == "cdc.marie.20250101");
            return marie.TryGetProperty("to", out var to) ? to.GetString() : null;
        }
    }

    [Fact]
    public async Task EndRepresentation_BeforeItsStart_IsRefused()
    {
        await _app.SeedAsync();
        var response = await _app.Admin().PostAsJsonAsync("/api/partnerships/p1/representations/cdc.marie.20250101/end", new { to = "2024-12-31" });
        await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "to");
    }

    [Fact]
    public async Task EndRepresentation_Unknown_Answers404()
    {
        await _app.SeedAsync();
        var response = await _app.Admin().PostAsJsonAsync("/api/partnerships/p1/representations/nobody/end", new { to = "2026-01-01" });
        await Problem.AssertAsync(response, HttpStatusCode.NotFound, "representationId");
    }

    [Fact]
    public async Task PostRepresentations_UnknownOrganizationAndPerson_NamesBothFields()
    {
        await _app.SeedAsync();
        var response = await _app.Admin().PostAsJsonAsync("/api/partnerships/p1/representations", new[] { new { organizationId = "ghost", personId = "nobody", from = "2026-01-01" } });
        await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "[0].organizationId", "[0].personId");
    }

    [Fact]
    public async Task PostMeetings_OneInvalidAmongMany_StoresNoneAndNamesIndexAndField()
    {
        await _app.SeedAsync();
        var client = _app.Admin();
        var response = await client.PostAsJsonAsync("/api/partnerships/p1/meetings", new object[]
        {
            new { id = "m3", start = "2026-03-19T13:30:00-04:00", end = "2026-03-19T16:00:00-04:00" },
            new { id = "m4", start = "2026-04-16T13:30:00", end = "2026-04-16T16:00:00-04:00" },
            new { id = "m3", start = "2026-05-21T13:30:00-04:00", end = "2026-05-21T12:00:00-04:00" },
        });

        await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "[1].start", "[2].id", "[2].end");
        var meetings = await Problem.JsonAsync(await client.GetAsync("/api/partnerships/p1/meetings"));
        Assert.Equal(["m1", "m2"], meetings.EnumerateArray().Select(m => m.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task GetMeetings_OrdersByInstantAndKeepsOffsets()
    {
        await _app.SeedAsync();
        var client = _app.Admin();
        // 10:00 in Montréal (15:00 UTC) comes before 08:00 in Vancouver (16:00 UTC), which comes before m1 (18:30 UTC),
        // although the local clock texts sort the other way.
        await client.PostAsJsonAsync("/api/partnerships/p1/meetings", new object[]
        {
            new { id = "west", start = "2026-01-15T08:00:00-08:00", end = "2026-01-15T09:00:00-08:00" },
            new { id = "east", start = "2026-01-15T10:00:00-05:00", end = "2026-01-15T11:00:00-05:00" },
        });

        var meetings = await Problem.JsonAsync(await client.GetAsync("/api/partnerships/p1/meetings"));
        Assert.Equal(["east", "west", "m1", "m2"], meetings.EnumerateArray().Select(m => m.GetProperty("id").GetString()));
        Assert.Equal("2026-01-15T08:00:00-08:00", meetings[1].GetProperty("start").GetString());
        Assert.Equal("teams", meetings[3].GetProperty("source").GetString());
    }

    [Fact]
    public async Task PostOrganizations_UnknownField_IsNamed()
    {
        await _app.SeedAsync();
        var response = await _app.Admin().PostAsync("/api/partnerships/p1/organizations", new StringContent("""[{"id":"x","name":"X","secteur":"community"}]""", Encoding.UTF8, "application/json"));
        await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "[0].secteur");
    }

    [Fact]
    public async Task PostOrganizations_MalformedJson_Answers400()
    {
        await _app.SeedAsync();
        var response = await _app.Admin().PostAsync("/api/partnerships/p1/organizations", new StringContent("""[{"id":"x",""", Encoding.UTF8, "application/json"));
        await Problem.AssertAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task PostOrganizations_WrongContentType_Answers415()
    {
        await _app.SeedAsync();
        var response = await _app.Admin().PostAsync("/api/partnerships/p1/organizations", new StringContent("id,name\nx,X", Encoding.UTF8, "text/csv"));
        await Problem.AssertAsync(response, HttpStatusCode.UnsupportedMediaType, "Content-Type");
    }

    [Fact]
    public async Task PostPeople_EmailAlreadyUsedByAnotherPerson_IsRefused()
    {
        await _app.SeedAsync();
        var response = await _app.Admin().PostAsJsonAsync("/api/partnerships/p1/people", new[] { new { id = "imposter", email = "MARIE@example.org" } });
        await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "[0].email");
    }

    [Fact]
    public async Task UnknownRoute_AnswersProblem404()
    {
        var response = await _app.Admin().GetAsync("/api/nothing-here");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Health_WithoutKey_Answers200WithStoreStatus()
    {
        var health = await Problem.JsonAsync(await _app.ClientWithKey(null).GetAsync("/api/health"));
        Assert.Equal("healthy", health.GetProperty("status").GetString());
        Assert.Equal("sqlite", health.GetProperty("store").GetString());
    }

    [Fact]
    public async Task OpenApiDocument_ListsTheRoutes()
    {
        // Served without a key (issue 15, item 11): documentation holds no data.
        var document = await Problem.JsonAsync(await _app.CreateClient().GetAsync("/api/openapi/v1.json"));
        var paths = document.GetProperty("paths");
        foreach (var path in new[] { "/api/attendance", "/api/forms/submissions", "/api/partnerships/{partnershipId}/meetings" })
        {
            Assert.True(paths.TryGetProperty(path, out _), path);
        }

        // Complete: one operation per HTTP function of the API (pages and the e-mail link aside), named after it,
        // with its route parameters, its typed answers and, for writes, its request body.
        var described = Engagement.Functions.Hosting.FunctionCatalog.App.Http
            .Where(f => f.Method.GetCustomAttributes(typeof(Microsoft.AspNetCore.Routing.ExcludeFromDescriptionAttribute), false).Length == 0).ToList();
        var operations = paths.EnumerateObject().SelectMany(p => p.Value.EnumerateObject().Select(o => (Path: p.Name, Method: o.Name, Operation: o.Value))).ToList();
        Assert.Equal(described.Select(f => f.Name).Order(StringComparer.Ordinal), operations.Select(o => o.Operation.GetProperty("operationId").GetString()!).Order(StringComparer.Ordinal));
        var put = operations.Single(o => o.Operation.GetProperty("operationId").GetString() == "PutPartnership");
        Assert.Equal(("/api/partnerships/{partnershipId}", "put"), (put.Path, put.Method));
        Assert.Equal("partnershipId", put.Operation.GetProperty("parameters")[0].GetProperty("name").GetString());
        Assert.True(put.Operation.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out _));
        Assert.True(put.Operation.GetProperty("responses").TryGetProperty("201", out _));
        Assert.True(put.Operation.GetProperty("responses").TryGetProperty("403", out _));
        var view = document.GetProperty("components").GetProperty("schemas").GetProperty("PartnershipDetailView");
        Assert.True(view.GetProperty("properties").TryGetProperty("organizations", out _));
        var input = put.Operation.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema");
        var inputSchema = document.GetProperty("components").GetProperty("schemas").GetProperty(input.GetProperty("$ref").GetString()!.Split('/')[^1]);
        Assert.True(inputSchema.GetProperty("properties").TryGetProperty("alertEmails", out _), inputSchema.ToString());
        Assert.Contains("starts quiet", put.Operation.GetProperty("description").GetString(), StringComparison.Ordinal);

        // The admin's reads: the models and retraining decisions, the export audit log — beside the CSV route, not under it.
        Assert.Equal(("/api/risk/models", "get"), operations.Where(o => o.Operation.GetProperty("operationId").GetString() == "ListModels").Select(o => (o.Path, o.Method)).Single());
        Assert.Equal(("/api/audit/exports", "get"), operations.Where(o => o.Operation.GetProperty("operationId").GetString() == "ListExportAudit").Select(o => (o.Path, o.Method)).Single());
        Assert.Equal(("/api/exports/{file}", "get"), operations.Where(o => o.Operation.GetProperty("operationId").GetString() == "ExportCsv").Select(o => (o.Path, o.Method)).Single());
        var schemas = document.GetProperty("components").GetProperty("schemas");
        var retraining = schemas.GetProperty("ModelsView").GetProperty("properties").GetProperty("retrainings").GetProperty("items").GetProperty("properties");
        Assert.True(retraining.TryGetProperty("challengerEvaluation", out _), retraining.ToString());
        Assert.True(schemas.GetProperty("ExportAuditLog").GetProperty("properties").GetProperty("exports").GetProperty("items").GetProperty("properties").TryGetProperty("personalData", out _));
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
