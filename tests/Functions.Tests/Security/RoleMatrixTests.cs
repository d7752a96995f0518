using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Engagement.Functions.Tests.Security;

/// <summary>One app for the whole matrix: every call below is an idempotent upsert or a read, so order does not matter.</summary>
public sealed class SeededAppFixture : IAsyncLifetime
{
    public EngagementApp App { get; } = new();

    public async Task InitializeAsync()
    {
        await App.SeedAsync("p1");
        await App.SeedAsync("p2");
        var admin = App.Admin();
        (await admin.PutAsJsonAsync("/api/forms/f1", new { partnershipId = "p1", kind = "feedback" })).EnsureSuccessStatusCode();
        (await admin.PutAsJsonAsync("/api/forms/f2", new { partnershipId = "p2", kind = "feedback" })).EnsureSuccessStatusCode();
        (await admin.PostAsync("/ScoreRisk", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync() => await App.DisposeAsync();
}

public sealed class RoleMatrixTests(SeededAppFixture fixture) : IClassFixture<SeededAppFixture>
{
    private const string Admin = "admin", Coordinator = "coordinator", Ingest = "ingest", Analyst = "analyst";

    private static readonly Dictionary<string, string> KeysByRole = new()
    {
        [Admin] = EngagementApp.Keys.Admin,
        [Coordinator] = EngagementApp.Keys.Coordinator,
        [Ingest] = EngagementApp.Keys.Ingest,
        [Analyst] = EngagementApp.Keys.Analyst,
    };

    /// <summary>A route of the matrix; <paramref name="AllowedStatus"/> is what an allowed role gets when it is not a success (an id nobody has: 404).</summary>
    public sealed record Route(string Method, string Path, string? Body, string[] Allowed, HttpStatusCode? AllowedStatus = null)
    {
        public override string ToString() => $"{Method} {Path}";
    }

    private static readonly Route[] Routes =
    [
        new("GET", "/api/partnerships", null, [Coordinator, Analyst, Admin]),
        new("GET", "/api/partnerships/p1", null, [Coordinator, Admin]),
        new("PUT", "/api/partnerships/p1", """{"name":"Table p1","language":"fr","coordinatorEmails":["coord@example.org"]}""", [Coordinator, Admin]),
        new("POST", "/api/partnerships/p1/organizations", """[{"id":"cdc","name":"CDC Centre-Sud","sector":"community"}]""", [Ingest, Coordinator, Admin]),
        new("POST", "/api/partnerships/p1/people", """[{"id":"luc","displayName":"Luc Gagnon"}]""", [Ingest, Coordinator, Admin]),
        new("POST", "/api/partnerships/p1/representations", """[{"organizationId":"cdc","personId":"marie","from":"2025-01-01"}]""", [Ingest, Coordinator, Admin]),
        new("POST", "/api/partnerships/p1/representations/ville.jean.20250101/end", """{"to":"2026-06-30"}""", [Ingest, Coordinator, Admin]),
        new("POST", "/api/partnerships/p1/meetings", """[{"id":"m1","title":"Rencontre de janvier","start":"2026-01-15T13:30:00-05:00","end":"2026-01-15T16:00:00-05:00"}]""", [Ingest, Coordinator, Admin]),
        new("GET", "/api/partnerships/p1/meetings", null, [Coordinator, Analyst, Admin]),
        new("GET", "/api/partnerships/p1/meetings/m1/attendance", null, [Coordinator, Admin]),
        new("POST", "/api/attendance", """{"partnershipId":"p1","records":[{"meetingId":"m1","personId":"marie","status":"present"}]}""", [Ingest, Coordinator, Admin]),
        new("PUT", "/api/forms/f1", """{"partnershipId":"p1","kind":"feedback"}""", [Coordinator, Admin]),
        new("GET", "/api/forms/f1", null, [Coordinator, Admin]),
        new("POST", "/api/forms/submissions", """{"formId":"f1","responseId":"1","submittedAt":"2026-03-01T10:00:00Z","answers":{"q":"Oui"}}""", [Ingest, Coordinator, Admin]),
        new("GET", "/api/risk", null, [Coordinator, Analyst, Admin]),
        new("GET", "/api/partnerships/p1/risk", null, [Coordinator, Analyst, Admin]),
        new("GET", "/api/risk/models", null, [Admin]),
        new("GET", "/api/audit/exports", null, [Admin]),
        new("POST", "/ScoreRisk", "{}", [Admin]),
        new("POST", "/RetrainModel", "{}", [Admin]),
        new("POST", "/SyncTeamsAttendance", "{}", [Admin]),
        new("POST", "/SyncGroupMembership", "{}", [Admin]),
        new("POST", "/SyncFormsWorkbook", "{}", [Admin]),
        new("POST", "/SendAlerts", "{}", [Admin]),
        new("POST", "/SendDigest", "{}", [Admin]),
        new("POST", "/SendFollowUpSheets", "{}", [Admin]),
        new("GET", "/api/alerts", null, [Coordinator, Admin]),
        new("GET", "/api/partnerships/p1/integrations", null, [Coordinator, Admin]),
        new("PUT", "/api/partnerships/p1/integrations/teams-meeting/m2", """{"organizerUserId":"dc17674c","joinUrl":"https://teams.microsoft.com/l/meetup-join/abc"}""", [Coordinator, Admin]),
        new("POST", "/PurgeExpiredData", """{"Data":{"timer":{"Schedule":{"AdjustForDST":true},"ScheduleStatus":null,"IsPastDue":false}},"Metadata":{}}""", [Admin]),
        new("POST", "/PublishDatasets", "{}", [Admin]),
        new("DELETE", "/api/partnerships/p1/integrations/teams-meeting/m9", null, [Coordinator, Admin], HttpStatusCode.NotFound),
        new("POST", "/api/alerts/p1/no-such-alert/acknowledge", "{}", [Coordinator, Admin], HttpStatusCode.NotFound),
        new("POST", "/api/alerts/p1/no-such-alert/resolve", "{}", [Coordinator, Admin], HttpStatusCode.NotFound),
        new("GET", "/api/exports/dim_organization.csv", null, [Coordinator, Analyst, Admin]),
        new("GET", "/api/odata", null, [Coordinator, Analyst, Admin]),
        new("GET", "/api/odata/$metadata", null, [Coordinator, Analyst, Admin]),
        new("GET", "/api/odata/fact_attendance", null, [Coordinator, Analyst, Admin]),
        new("GET", "/api/partnerships/p1/meetings/m1/sign-in", null, [Coordinator, Admin]),
        new("GET", "/api/partnerships/p1/meetings/m1/sign-ins", null, [Coordinator, Admin]),
        new("POST", "/api/partnerships/p1/meetings/m9/sign-in/close", "{}", [Coordinator, Admin], HttpStatusCode.NotFound),
        new("POST", "/api/partnerships/p1/meetings/m1/sign-ins/nobody/confirm", "{}", [Coordinator, Admin], HttpStatusCode.NotFound),
        new("GET", "/api/partnerships/p1/meetings/m1/feedback-link?formId=none", null, [Coordinator, Admin], HttpStatusCode.NotFound),
        new("POST", "/api/partnerships/p1/diagnostics", """{"formId":"cacis-matrix-p1","until":"2026-11-20"}""", [Coordinator, Admin]),
        new("GET", "/api/partnerships/p1/plan", null, [Coordinator, Analyst, Admin]),
        new("PUT", "/api/partnerships/p1/plan", """{"objectives":[{"id":"O1","title":"Briser l’isolement"}],"actions":[{"id":"O1.1","objectiveId":"O1","title":"Répertoire","leadOrganizationId":"cdc"}]}""", [Coordinator, Admin]),
        new("POST", "/api/partnerships/p1/plan/actions/O9/updates", """{"status":"done"}""", [Coordinator, Admin], HttpStatusCode.NotFound),
        new("PUT", "/api/partnerships/p1/plan/schedule", """{"everyDays":0}""", [Coordinator, Admin]),
        new("POST", "/api/partnerships/p1/plan/import", "{}", [Coordinator, Admin], HttpStatusCode.UnsupportedMediaType), // past the authoriser, a JSON body is not a tracker
        new("GET", "/api/partnerships/p1/plan/template.xlsx", null, [Coordinator, Analyst, Admin]),
    ];

    /// <summary>
    /// The matrix covers the app: every HTTP function that needs a key has a route in it (matched by its template and
    /// method), and so does every timer (run by hand, admin only).
    /// </summary>
    [Fact]
    public void TheMatrix_CoversEveryFunctionThatNeedsAKey()
    {
        var catalog = Engagement.Functions.Hosting.FunctionCatalog.App;
        var missing = catalog.Http
            .Where(f => f.Access.Policy != Engagement.Functions.Security.AccessPolicy.Anonymous)
            .Where(f => !Routes.Any(r => f.Methods.Contains(r.Method.ToLowerInvariant()) && Matches(f.Pattern.RawText!, r.Path)))
            .Select(f => $"{string.Join(',', f.Methods)} {f.Route} ({f.Name})")
            .Concat(catalog.Timers.Where(t => !Routes.Any(r => r.Method == "POST" && r.Path == "/" + t.Name)).Select(t => $"timer {t.Name}"))
            .ToList();

        Assert.True(missing.Count == 0, "Not in the matrix: " + string.Join("; ", missing));
        Assert.True(Matches("api/partnerships/{partnershipId}/risk", "/api/partnerships/p1/risk"));
        Assert.False(Matches("api/partnerships/{partnershipId}/risk", "/api/partnerships/p1/meetings"));
    }

    private static bool Matches(string template, string path)
    {
        var matcher = new Microsoft.AspNetCore.Routing.Template.TemplateMatcher(
            Microsoft.AspNetCore.Routing.Template.TemplateParser.Parse(template), new Microsoft.AspNetCore.Routing.RouteValueDictionary());
        return matcher.TryMatch(path.Split('?')[0], new Microsoft.AspNetCore.Routing.RouteValueDictionary());
    }

    public static TheoryData<string, string, string> RouteAndRole()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var route in Routes)
        {
            foreach (var role in KeysByRole.Keys)
            {
                data.Add(route.Method, route.Path, role);
            }
        }

        return data;
    }

    public static TheoryData<string, string> AllRoutes()
    {
        var data = new TheoryData<string, string>();
        foreach (var route in Routes)
        {
            data.Add(route.Method, route.Path);
        }

        return data;
    }

    private static Route Find(string method, string path) => Routes.Single(r => r.Method == method && r.Path == path);

    private async Task<HttpResponseMessage> SendAsync(Route route, string? key, string? scheme = "Bearer")
    {
        var client = fixture.App.CreateClient();
        using var request = new HttpRequestMessage(new HttpMethod(route.Method), route.Path);
        if (route.Body is not null)
        {
            request.Content = new StringContent(route.Body, Encoding.UTF8, "application/json");
        }

        if (key is not null)
        {
            if (scheme is null)
            {
                request.Headers.Add("x-functions-key", key);
            }
            else
            {
                request.Headers.Add("Authorization", $"{scheme} {key}");
            }
        }

        return await client.SendAsync(request);
    }

    [Theory]
    [MemberData(nameof(RouteAndRole))]
    public async Task EachRoleOnEachRoute_IsAllowedOrForbiddenAsDesigned(string method, string path, string role)
    {
        var route = Find(method, path);
        using var response = await SendAsync(route, KeysByRole[role]);
        var text = await response.Content.ReadAsStringAsync();
        if (route.Allowed.Contains(role))
        {
            Assert.True(route.AllowedStatus is { } expected ? response.StatusCode == expected : response.IsSuccessStatusCode, $"{role} on {route}: {(int)response.StatusCode} {text}");
        }
        else
        {
            Assert.True(HttpStatusCode.Forbidden == response.StatusCode, $"{role} on {route}: {(int)response.StatusCode} {text}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Theory]
    [MemberData(nameof(AllRoutes))]
    public async Task EveryRoute_WithoutKey_Answers401WithChallenge(string method, string path)
    {
        using var response = await SendAsync(Find(method, path), null);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [MemberData(nameof(AllRoutes))]
    public async Task EveryRoute_WithUnknownKey_Answers401(string method, string path)
    {
        using var response = await SendAsync(Find(method, path), "efk_not-a-key");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task FunctionsKeyHeader_IsAcceptedLikeBearer()
    {
        using var response = await SendAsync(Routes[0], EngagementApp.Keys.Analyst, scheme: null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("/api/health")]
    [InlineData("/")]
    [InlineData("/api/participants/privacy")]
    public async Task PublicRoutes_AnswerWithoutKey(string path)
    {
        using var response = await fixture.App.CreateClient().GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task KeyLimitedToP1_SeesOnlyP1InTheList()
    {
        var list = await Problem.JsonAsync(await fixture.App.ClientWithKey(EngagementApp.Keys.CoordinatorOfP1).GetAsync("/api/partnerships"));
        Assert.Equal(["p1"], list.EnumerateArray().Select(p => p.GetProperty("id").GetString()));
    }

    [Theory]
    [InlineData("GET", "/api/partnerships/p2", null)]
    [InlineData("GET", "/api/partnerships/p2/meetings", null)]
    [InlineData("GET", "/api/partnerships/p2/risk", null)]
    [InlineData("GET", "/api/partnerships/p2/integrations", null)]
    [InlineData("GET", "/api/partnerships/p2/meetings/m1/sign-in", null)]
    [InlineData("POST", "/api/partnerships/p2/meetings/m1/sign-in/close", "{}")]
    [InlineData("POST", "/api/partnerships/p2/diagnostics", "{}")]
    [InlineData("GET", "/api/partnerships/p2/plan", null)]
    [InlineData("PUT", "/api/partnerships/p2/plan", """{"objectives":[{"id":"O1","title":"Briser l’isolement"}]}""")]
    [InlineData("PUT", "/api/partnerships/p2/plan/schedule", """{"everyDays":0}""")]
    [InlineData("PUT", "/api/partnerships/p2", """{"name":"Table p2"}""")]
    [InlineData("POST", "/api/partnerships/p2/people", """[{"id":"luc"}]""")]
    [InlineData("POST", "/api/attendance", """{"partnershipId":"p2","records":[{"meetingId":"m1","personId":"marie","status":"present"}]}""")]
    [InlineData("PUT", "/api/forms/f2", """{"partnershipId":"p2","kind":"feedback"}""")]
    [InlineData("GET", "/api/forms/f2", null)]
    [InlineData("POST", "/api/forms/submissions", """{"formId":"f2","responseId":"1","submittedAt":"2026-03-01T10:00:00Z","answers":{"q":"Oui"}}""")]
    [InlineData("POST", "/api/attendance?partnershipId=p2", """{"records":[{"meetingId":"m1","personId":"marie","status":"present"}]}""")]
    [InlineData("POST", "/api/forms/submissions?formId=f2", """{"responseId":"1","submittedAt":"2026-03-01T10:00:00Z","answers":{"q":"Oui"}}""")]
    [InlineData("POST", "/api/forms/submissions?formId=f2", """{"formId":" ","responseId":"1","submittedAt":"2026-03-01T10:00:00Z","answers":{"q":"Oui"}}""")]
    public async Task KeyLimitedToP1_IsForbiddenOnP2(string method, string path, string? body)
    {
        using var response = await SendAsync(new Route(method, path, body, []), EngagementApp.Keys.CoordinatorOfP1);
        var problem = await Problem.AssertAsync(response, HttpStatusCode.Forbidden);
        Assert.Contains("p2", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task IngestKeyLimitedToP1_CanWriteP1()
    {
        using var response = await SendAsync(new Route("POST", "/api/attendance", """{"partnershipId":"p1","records":[{"meetingId":"m2","personId":"jean","status":"absent"}]}""", []), EngagementApp.Keys.IngestOfP1);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(body.GetProperty("created").GetInt32() + body.GetProperty("unchanged").GetInt32() == 1);
    }
}
