using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Engagement.EndToEnd.Tests.FunctionsHost;
using Microsoft.Azure.WebJobs.Script.Grpc.Messages;

namespace Engagement.EndToEnd.Tests;

/// <summary>
/// The published app driven as the Azure Functions host drives it, over the host's real gRPC protocol
/// (<see cref="FunctionsHostEmulator"/>): started like the host starts a worker, its metadata checked function by
/// function, every timer invoked with the host's TimerInfo, every HTTP function called through the host's routing,
/// key check and proxy, and a clean terminate. Each test runs its own worker process on its own store.
/// </summary>
[Collection(PublishedAppCollection.Name)]
public sealed class PublishedAppOverHostProtocolTests(PublishedFunctionApp published) : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), $"engagement-host-{Guid.NewGuid():N}");

    /// <summary>Every function the app declares, as the host must see it: HTTP (methods, route, auth level) or timer (schedule).</summary>
    private static readonly Dictionary<string, (string Methods, string Route, FunctionAuthLevel Level)> HttpFunctions = new()
    {
        ["Health"] = ("get", "health", FunctionAuthLevel.Anonymous),
        ["ListPartnerships"] = ("get", "partnerships", FunctionAuthLevel.Function),
        ["GetPartnership"] = ("get", "partnerships/{partnershipId}", FunctionAuthLevel.Function),
        ["PutPartnership"] = ("put", "partnerships/{partnershipId}", FunctionAuthLevel.Function),
        ["PostOrganizations"] = ("post", "partnerships/{partnershipId}/organizations", FunctionAuthLevel.Function),
        ["PostPeople"] = ("post", "partnerships/{partnershipId}/people", FunctionAuthLevel.Function),
        ["PostRepresentations"] = ("post", "partnerships/{partnershipId}/representations", FunctionAuthLevel.Function),
        ["EndRepresentation"] = ("post", "partnerships/{partnershipId}/representations/{representationId}/end", FunctionAuthLevel.Function),
        ["PostMeetings"] = ("post", "partnerships/{partnershipId}/meetings", FunctionAuthLevel.Function),
        ["ListMeetings"] = ("get", "partnerships/{partnershipId}/meetings", FunctionAuthLevel.Function),
        ["GetMeetingAttendance"] = ("get", "partnerships/{partnershipId}/meetings/{meetingId}/attendance", FunctionAuthLevel.Function),
        ["PostAttendance"] = ("post", "attendance", FunctionAuthLevel.Function),
        ["PostFormSubmissions"] = ("post", "forms/submissions", FunctionAuthLevel.Function),
        ["PutForm"] = ("put", "forms/{formId}", FunctionAuthLevel.Function),
        ["GetForm"] = ("get", "forms/{formId}", FunctionAuthLevel.Function),
        ["OpenApi"] = ("get", "openapi/v1.json", FunctionAuthLevel.Anonymous),
        ["ListRisk"] = ("get", "risk", FunctionAuthLevel.Function),
        ["GetPartnershipRisk"] = ("get", "partnerships/{partnershipId}/risk", FunctionAuthLevel.Function),
        ["ListIntegrations"] = ("get", "partnerships/{partnershipId}/integrations", FunctionAuthLevel.Function),
        ["PutIntegration"] = ("put", "partnerships/{partnershipId}/integrations/{kind}/{id}", FunctionAuthLevel.Function),
        ["DeleteIntegration"] = ("delete", "partnerships/{partnershipId}/integrations/{kind}/{id}", FunctionAuthLevel.Function),
        ["ListAlerts"] = ("get", "alerts", FunctionAuthLevel.Function),
        ["AcknowledgeAlert"] = ("post", "alerts/{partnershipId}/{alertId}/acknowledge", FunctionAuthLevel.Function),
        ["ResolveAlert"] = ("post", "alerts/{partnershipId}/{alertId}/resolve", FunctionAuthLevel.Function),
        ["AcknowledgeLinkPage"] = ("get", "acknowledge", FunctionAuthLevel.Anonymous),
        ["AcknowledgeByLink"] = ("post", "acknowledge", FunctionAuthLevel.Anonymous),
        ["ListModels"] = ("get", "risk/models", FunctionAuthLevel.Function),
        ["ExportCsv"] = ("get", "exports/{file}", FunctionAuthLevel.Function),
        ["ListExportAudit"] = ("get", "audit/exports", FunctionAuthLevel.Function),
        ["ODataServiceDocument"] = ("get", "odata", FunctionAuthLevel.Function),
        ["ODataMetadata"] = ("get", "odata/$metadata", FunctionAuthLevel.Function),
        ["ODataEntitySet"] = ("get", "odata/{set:regex(^[a-z][a-z_]*$)}", FunctionAuthLevel.Function),
        ["DashboardLoginPage"] = ("get", "dashboard/login", FunctionAuthLevel.Anonymous),
        ["DashboardLogin"] = ("post", "dashboard/login", FunctionAuthLevel.Anonymous),
        ["DashboardOverview"] = ("get", "dashboard", FunctionAuthLevel.Anonymous),
        ["DashboardPartnership"] = ("get", "dashboard/partnerships/{partnershipId}", FunctionAuthLevel.Anonymous),
        ["DashboardOrganization"] = ("get", "dashboard/partnerships/{partnershipId}/organizations/{organizationId}", FunctionAuthLevel.Anonymous),
        ["DashboardAcknowledgeAlert"] = ("post", "dashboard/partnerships/{partnershipId}/alerts/{alertId}/acknowledge", FunctionAuthLevel.Anonymous),
        ["DashboardResolveAlert"] = ("post", "dashboard/partnerships/{partnershipId}/alerts/{alertId}/resolve", FunctionAuthLevel.Anonymous),
        ["DashboardAlertEmails"] = ("post", "dashboard/partnerships/{partnershipId}/alert-emails", FunctionAuthLevel.Anonymous),
        ["DashboardReport"] = ("get", "dashboard/partnerships/{partnershipId}/report", FunctionAuthLevel.Anonymous),
        ["DashboardReportDocx"] = ("get", "dashboard/partnerships/{partnershipId}/report.docx", FunctionAuthLevel.Anonymous),
        ["DashboardNarrativePage"] = ("get", "dashboard/partnerships/{partnershipId}/report/objectives/{objectiveId}", FunctionAuthLevel.Anonymous),
        ["DashboardNarrative"] = ("post", "dashboard/partnerships/{partnershipId}/report/objectives/{objectiveId}", FunctionAuthLevel.Anonymous),
        ["DashboardPlan"] = ("get", "dashboard/partnerships/{partnershipId}/plan", FunctionAuthLevel.Anonymous),
        ["DashboardTrackerTemplate"] = ("get", "dashboard/partnerships/{partnershipId}/plan/template.xlsx", FunctionAuthLevel.Anonymous),
        ["DashboardImportTracker"] = ("post", "dashboard/partnerships/{partnershipId}/plan/import", FunctionAuthLevel.Anonymous),
        ["ParticipantSignInPage"] = ("get", "sign-in", FunctionAuthLevel.Anonymous),
        ["ParticipantSignIn"] = ("post", "sign-in", FunctionAuthLevel.Anonymous),
        ["ParticipantFeedbackPage"] = ("get", "feedback", FunctionAuthLevel.Anonymous),
        ["ParticipantFeedback"] = ("post", "feedback", FunctionAuthLevel.Anonymous),
        ["ParticipantDiagnosticPage"] = ("get", "diagnostic", FunctionAuthLevel.Anonymous),
        ["ParticipantDiagnostic"] = ("post", "diagnostic", FunctionAuthLevel.Anonymous),
        ["ParticipantPrivacy"] = ("get", "participants/privacy", FunctionAuthLevel.Anonymous),
        ["ParticipantFollowUpPage"] = ("get", "follow-up", FunctionAuthLevel.Anonymous),
        ["ParticipantFollowUp"] = ("post", "follow-up", FunctionAuthLevel.Anonymous),
        ["GetSignInLink"] = ("get", "partnerships/{partnershipId}/meetings/{meetingId}/sign-in", FunctionAuthLevel.Function),
        ["GetSignInSheet"] = ("get", "partnerships/{partnershipId}/meetings/{meetingId}/sign-ins", FunctionAuthLevel.Function),
        ["CloseSignIn"] = ("post", "partnerships/{partnershipId}/meetings/{meetingId}/sign-in/close", FunctionAuthLevel.Function),
        ["ConfirmSignIn"] = ("post", "partnerships/{partnershipId}/meetings/{meetingId}/sign-ins/{personId}/confirm", FunctionAuthLevel.Function),
        ["GetFeedbackLink"] = ("get", "partnerships/{partnershipId}/meetings/{meetingId}/feedback-link", FunctionAuthLevel.Function),
        ["OpenDiagnostic"] = ("post", "partnerships/{partnershipId}/diagnostics", FunctionAuthLevel.Function),
        ["DashboardMeetingSignIn"] = ("get", "dashboard/partnerships/{partnershipId}/meetings/{meetingId}/sign-in", FunctionAuthLevel.Anonymous),
        ["DashboardCloseSignInPage"] = ("get", "dashboard/partnerships/{partnershipId}/meetings/{meetingId}/sign-in/close", FunctionAuthLevel.Anonymous),
        ["DashboardCloseSignIn"] = ("post", "dashboard/partnerships/{partnershipId}/meetings/{meetingId}/sign-in/close", FunctionAuthLevel.Anonymous),
        ["DashboardConfirmSignIn"] = ("post", "dashboard/partnerships/{partnershipId}/meetings/{meetingId}/sign-ins/{personId}/confirm", FunctionAuthLevel.Anonymous),
        ["DashboardDiagnostic"] = ("get", "dashboard/partnerships/{partnershipId}/diagnostic", FunctionAuthLevel.Anonymous),
        ["DashboardOpenDiagnostic"] = ("post", "dashboard/partnerships/{partnershipId}/diagnostic", FunctionAuthLevel.Anonymous),
        ["GetActionPlan"] = ("get", "partnerships/{partnershipId}/plan", FunctionAuthLevel.Function),
        ["PutActionPlan"] = ("put", "partnerships/{partnershipId}/plan", FunctionAuthLevel.Function),
        ["PostActionUpdate"] = ("post", "partnerships/{partnershipId}/plan/actions/{actionId}/updates", FunctionAuthLevel.Function),
        ["PutFollowUpSchedule"] = ("put", "partnerships/{partnershipId}/plan/schedule", FunctionAuthLevel.Function),
        ["ImportTracker"] = ("post", "partnerships/{partnershipId}/plan/import", FunctionAuthLevel.Function),
        ["GetTrackerTemplate"] = ("get", "partnerships/{partnershipId}/plan/template.xlsx", FunctionAuthLevel.Function),
    };

    /// <summary>A request with the host's function key but no API key of the app.</summary>
    private const string NoApiKey = "";

    public void Dispose()
    {
        if (Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }
    }

    private Task<FunctionsHostEmulator> StartAsync(IReadOnlyDictionary<string, string>? extra = null) =>
        FunctionsHostEmulator.StartAsync(published.Root, HostProtocolSettings.For(_data, extra));

    [Fact]
    public async Task Metadata_ListsEveryFunction_WithItsTriggerAsDeclared()
    {
        await using var host = await StartAsync();

        Assert.Equal(HttpFunctions.Keys.Concat(HostProtocolSettings.Schedules.Keys).Append("ScorePartnership").Order(StringComparer.Ordinal), host.Functions.Select(f => f.Name).Order(StringComparer.Ordinal));
        foreach (var (name, (methods, route, level)) in HttpFunctions)
        {
            var trigger = host.Function(name).Trigger;
            Assert.Equal("httpTrigger", trigger.Type);
            Assert.Equal(route, trigger.Route);
            Assert.Equal(methods, string.Join(',', trigger.Methods!));
            Assert.True(level == trigger.AuthLevel, $"{name}: {trigger.AuthLevel}");
            Assert.Contains(host.Function(name).Bindings, b => b.Type == "http" && b.Direction == "Out");
        }

        foreach (var name in HostProtocolSettings.Schedules.Keys)
        {
            var trigger = host.Function(name).Trigger;
            Assert.Equal("timerTrigger", trigger.Type);
            Assert.Equal($"%Schedules:{name}%", trigger.Schedule);
            Assert.Single(host.Function(name).Bindings);
        }

        var scoring = host.Function("ScorePartnership");
        Assert.Equal("queueTrigger", scoring.Trigger.Type);
        Assert.Equal("partnership-scoring", scoring.Trigger.QueueName);
        Assert.Equal("AzureWebJobsStorage", scoring.Trigger.Connection);
        Assert.True(scoring.IsDisabled, "off in these settings, with Scoring:Enabled");

        Assert.Empty(host.ProtocolProblems);
        await StopsCleanlyAsync(host);
    }

    [Fact]
    public async Task Start_WithoutAScheduleSetting_PutsThatTimerInError()
    {
        var settings = HostProtocolSettings.For(_data);
        settings.Remove("Schedules__RetrainModel");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => FunctionsHostEmulator.StartAsync(published.Root, settings));

        Assert.Contains("'RetrainModel' function is in error", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryTimer_RunsThroughTheProtocol_AndAFailedRunIsAFailedInvocation()
    {
        await using var host = await StartAsync();
        using var client = Client(host, HostProtocolSettings.Admin);
        await SeedAsync(client);

        foreach (var name in HostProtocolSettings.Schedules.Keys)
        {
            var response = await host.InvokeTimerAsync(name);
            Assert.True(response.Result.Status == StatusResult.Types.Status.Success, $"{name}: {response.Result.Exception?.Message}\n{host.Diagnostics()}");
            Assert.True(host.Logs.Any(l => l.Message.Contains($"Timer function {name} starting", StringComparison.Ordinal)), host.Diagnostics());
        }

        // PublishDatasets wrote a complete snapshot beside the SQLite file (its default folder standalone and here).
        var snapshots = Directory.GetDirectories(Path.Combine(_data, "datasets"));
        Assert.True(snapshots.Length == 1 && File.Exists(Path.Combine(snapshots[0], "_manifest.json")), host.Diagnostics());

        // The worker's logs reach the host as RpcLog (and Application Insights through OpenTelemetry when configured).
        var scored = await host.InvokeTimerAsync("ScoreRisk", pastDue: true);
        Assert.Equal(StatusResult.Types.Status.Success, scored.Result.Status);
        Assert.Contains(host.Logs, l => l.Message.Contains("ScoreRisk starting (past due: True)", StringComparison.Ordinal));
        Assert.Contains(host.Logs, l => l.Message.Contains("scored 1 partnerships", StringComparison.Ordinal));

        var malformed = await host.InvokeTimerWithPayloadAsync("PurgeExpiredData", "{\"Schedule\":");
        Assert.Equal(StatusResult.Types.Status.Failure, malformed.Result.Status);

        // Half a surrogate pair in the TimerInfo the host sends: the invocation is answered (the worker's own binding
        // decides how), and the worker goes on serving the next one.
        var odd = await host.InvokeTimerWithPayloadAsync("PurgeExpiredData", "{\"Schedule\":{\"AdjustForDST\":true},\"ScheduleStatus\":null,\"IsPastDue\":false,\"t\":\"\\ud800\"}");
        Assert.NotEqual(StatusResult.Types.Status.Cancelled, odd.Result.Status);
        Assert.Equal(StatusResult.Types.Status.Success, (await host.InvokeTimerAsync("PurgeExpiredData")).Result.Status);
        await StopsCleanlyAsync(host);
    }

    [Fact]
    public async Task EveryHttpFunction_AnswersThroughTheHost_WithTheSameAuthorisationAndProblems()
    {
        await using var host = await StartAsync();
        using var admin = Client(host, HostProtocolSettings.Admin);
        var called = new HashSet<string>(StringComparer.Ordinal);

        async Task<HttpResponseMessage> Call(string function, HttpStatusCode expected, HttpRequestMessage request)
        {
            var result = await host.SendAsync(request);
            var body = await result.Response.Content.ReadAsStringAsync();
            Assert.True(expected == result.Response.StatusCode, $"{function} {request.Method} {request.RequestUri}: {(int)result.Response.StatusCode} {body}\n{host.Diagnostics()}");
            Assert.Equal(function, result.Function?.Name);
            Assert.Equal(StatusResult.Types.Status.Success, result.Invocation!.Result.Status);
            called.Add(function);
            return result.Response;
        }

        // A browser or an e-mail link sends no function key to anonymous functions; an API client sends both keys.
        HttpRequestMessage Request(HttpMethod method, string path, string? json = null, string? key = HostProtocolSettings.Admin)
        {
            var request = new HttpRequestMessage(method, "http://localhost" + path);
            if (key is not null)
            {
                request.Headers.Add("x-functions-key", host.Options.FunctionKey);
            }

            if (key is not null && key != NoApiKey)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            }

            if (json is not null)
            {
                request.Content = new StringContent(json, Encoding.UTF8, "application/json");
            }

            return request;
        }

        // The roster, meetings and attendance; each call is one function.
        await Call("PutPartnership", HttpStatusCode.Created, Request(HttpMethod.Put, "/api/partnerships/hq", """{"name":"Table de quartier","language":"fr","coordinatorEmails":["coord@example.org"]}"""));
        await Call("PostOrganizations", HttpStatusCode.OK, Request(HttpMethod.Post, "/api/partnerships/hq/organizations", """[{"id":"cdc","name":"CDC","sector":"community"},{"id":"ville","name":"Ville","sector":"municipal"}]"""));
        await Call("PostPeople", HttpStatusCode.OK, Request(HttpMethod.Post, "/api/partnerships/hq/people", """[{"id":"ana","displayName":"Ana"},{"id":"bo","displayName":"Bo"},{"id":"cy","displayName":"Cy"}]"""));
        await Call("PostRepresentations", HttpStatusCode.OK, Request(HttpMethod.Post, "/api/partnerships/hq/representations", """[{"organizationId":"cdc","personId":"ana","from":"2025-01-01"},{"organizationId":"ville","personId":"bo","from":"2025-01-01"},{"organizationId":"ville","personId":"cy","from":"2025-01-01"}]"""));
        await Call("EndRepresentation", HttpStatusCode.OK, Request(HttpMethod.Post, "/api/partnerships/hq/representations/ville.cy.20250101/end", """{"to":"2025-06-30"}"""));
        var meetings = string.Join(',', Enumerable.Range(1, 8).Select(m => $$"""{"id":"m{{m}}","title":"Rencontre {{m}}","start":"2026-{{m + 1:00}}-10T18:00:00-04:00","end":"2026-{{m + 1:00}}-10T20:00:00-04:00"}"""));
        await Call("PostMeetings", HttpStatusCode.OK, Request(HttpMethod.Post, "/api/partnerships/hq/meetings", $"[{meetings},{{\"id\":\"teams-1\",\"start\":\"2026-10-20T18:00:00-04:00\",\"end\":\"2026-10-20T20:00:00-04:00\",\"teamsJoinUrl\":\"https://teams.microsoft.com/l/meetup-join/abc\"}}]"));
        var records = string.Join(',', Enumerable.Range(1, 8).SelectMany(m => new[] { ("ana", "present"), ("bo", m > 2 ? "absent" : "present") }.Select(r => $$"""{"meetingId":"m{{m}}","personId":"{{r.Item1}}","status":"{{r.Item2}}"}""")));
        var attendance = JsonDocument.Parse(await (await Call("PostAttendance", HttpStatusCode.OK, Request(HttpMethod.Post, "/api/attendance", $$"""{"partnershipId":"hq","records":[{{records}}]}"""))).Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(16, attendance.GetProperty("created").GetInt32());
        await Call("PutForm", HttpStatusCode.Created, Request(HttpMethod.Put, "/api/forms/retour", """{"partnershipId":"hq","kind":"feedback","title":"Retour"}"""));
        await Call("PostFormSubmissions", HttpStatusCode.OK, Request(HttpMethod.Post, "/api/forms/submissions", """{"formId":"retour","responseId":"1","submittedAt":"2026-03-01T10:00:00Z","answers":{"q":"Oui"}}"""));
        await Call("GetForm", HttpStatusCode.OK, Request(HttpMethod.Get, "/api/forms/retour"));
        await Call("ListPartnerships", HttpStatusCode.OK, Request(HttpMethod.Get, "/api/partnerships"));
        await Call("GetPartnership", HttpStatusCode.OK, Request(HttpMethod.Get, "/api/partnerships/hq"));
        var listed = JsonDocument.Parse(await (await Call("ListMeetings", HttpStatusCode.OK, Request(HttpMethod.Get, "/api/partnerships/hq/meetings"))).Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(9, listed.GetArrayLength());
        await Call("GetMeetingAttendance", HttpStatusCode.OK, Request(HttpMethod.Get, "/api/partnerships/hq/meetings/m3/attendance"));
        await Call("PutIntegration", HttpStatusCode.Created, Request(HttpMethod.Put, "/api/partnerships/hq/integrations/teams-meeting/teams-1", """{"organizerUserId":"dc17674c","joinUrl":"https://teams.microsoft.com/l/meetup-join/abc"}"""));
        await Call("ListIntegrations", HttpStatusCode.OK, Request(HttpMethod.Get, "/api/partnerships/hq/integrations"));
        await Call("DeleteIntegration", HttpStatusCode.NoContent, Request(HttpMethod.Delete, "/api/partnerships/hq/integrations/teams-meeting/teams-1"));

        // Scores and alerts, after the timer ran through the protocol.
        Assert.Equal(StatusResult.Types.Status.Success, (await host.InvokeTimerAsync("ScoreRisk")).Result.Status);
        await Call("ListRisk", HttpStatusCode.OK, Request(HttpMethod.Get, "/api/risk"));
        await Call("GetPartnershipRisk", HttpStatusCode.OK, Request(HttpMethod.Get, "/api/partnerships/hq/risk"));
        var alerts = JsonDocument.Parse(await (await Call("ListAlerts", HttpStatusCode.OK, Request(HttpMethod.Get, "/api/alerts?partnershipId=hq"))).Content.ReadAsStringAsync()).RootElement;
        var alertIds = alerts.EnumerateArray().Select(a => a.GetProperty("id").GetString()!).ToList();
        Assert.True(alertIds.Count >= 1, $"no alert after scoring an organisation absent from 6 meetings:\n{alerts}\n{host.Diagnostics()}");
        var linkQuery = HostProtocolSettings.AcknowledgeQuery("hq", alertIds[0], 4102444800);
        Assert.Contains("<form method=\"post\"", await (await Call("AcknowledgeLinkPage", HttpStatusCode.OK, Request(HttpMethod.Get, "/api/acknowledge?" + linkQuery, key: null))).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await Call("AcknowledgeByLink", HttpStatusCode.OK, Request(HttpMethod.Post, "/api/acknowledge?" + linkQuery, key: null));
        await Call("AcknowledgeAlert", HttpStatusCode.OK, Request(HttpMethod.Post, $"/api/alerts/hq/{Uri.EscapeDataString(alertIds[0])}/acknowledge"));
        await Call("ResolveAlert", HttpStatusCode.OK, Request(HttpMethod.Post, $"/api/alerts/hq/{Uri.EscapeDataString(alertIds[0])}/resolve"));

        // The analysts' exports and the documents.
        var csv = await Call("ExportCsv", HttpStatusCode.OK, Request(HttpMethod.Get, "/api/exports/fact_attendance.csv", key: HostProtocolSettings.Analyst));
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        Assert.Equal(1 + 16, (await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
        await Call("ODataServiceDocument", HttpStatusCode.OK, Request(HttpMethod.Get, "/api/odata", key: HostProtocolSettings.Analyst));
        Assert.Contains("EntitySet Name=\"fact_attendance\"", await (await Call("ODataMetadata", HttpStatusCode.OK, Request(HttpMethod.Get, "/api/odata/$metadata", key: HostProtocolSettings.Analyst))).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var feed = JsonDocument.Parse(await (await Call("ODataEntitySet", HttpStatusCode.OK, Request(HttpMethod.Get, "/api/odata/fact_attendance?$count=true", key: HostProtocolSettings.Analyst))).Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(16, feed.GetProperty("@odata.count").GetInt32());
        // The admin's reads: the export audit log (the two exports above, newest first) and the models.
        var audit = JsonDocument.Parse(await (await Call("ListExportAudit", HttpStatusCode.OK, Request(HttpMethod.Get, "/api/audit/exports"))).Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(["odata/fact_attendance", "fact_attendance.csv"], audit.GetProperty("exports").EnumerateArray().Select(e => e.GetProperty("what").GetString()));
        Assert.All(audit.GetProperty("exports").EnumerateArray(), e => Assert.Equal("analyst", e.GetProperty("caller").GetString()));
        var models = JsonDocument.Parse(await (await Call("ListModels", HttpStatusCode.OK, Request(HttpMethod.Get, "/api/risk/models?top=10"))).Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(JsonValueKind.Null, models.GetProperty("champion").ValueKind);
        var openApi = JsonDocument.Parse(await (await Call("OpenApi", HttpStatusCode.OK, Request(HttpMethod.Get, "/api/openapi/v1.json", key: HostProtocolSettings.Ingest))).Content.ReadAsStringAsync()).RootElement;
        Assert.True(openApi.GetProperty("paths").TryGetProperty("/api/partnerships/{partnershipId}/meetings", out _));
        Assert.True(openApi.GetProperty("paths").TryGetProperty("/api/odata/{set}", out _));
        await Call("Health", HttpStatusCode.OK, new HttpRequestMessage(HttpMethod.Get, "http://localhost/api/health"));

        // The dashboard: anonymous at the host, signed in by its cookie.
        await Call("DashboardLoginPage", HttpStatusCode.OK, Request(HttpMethod.Get, "/api/dashboard/login", key: null));
        var login = Request(HttpMethod.Post, "/api/dashboard/login", key: null);
        login.Content = new FormUrlEncodedContent([new("key", HostProtocolSettings.Coordinator)]);
        var signedIn = await Call("DashboardLogin", HttpStatusCode.Redirect, login);
        var cookie = Assert.Single(signedIn.Headers.GetValues("Set-Cookie")).Split(';')[0];
        var pages = new List<HttpResponseMessage>();
        foreach (var (function, path) in new[] { ("DashboardOverview", "/api/dashboard"), ("DashboardOrganization", "/api/dashboard/partnerships/hq/organizations/cdc"), ("DashboardReport", "/api/dashboard/partnerships/hq/report"), ("DashboardPlan", "/api/dashboard/partnerships/hq/plan"), ("DashboardPartnership", "/api/dashboard/partnerships/hq") })
        {
            var page = Request(HttpMethod.Get, path, key: null);
            page.Headers.Add("Cookie", cookie);
            pages.Add(await Call(function, HttpStatusCode.OK, page));
            Assert.Contains("Table de quartier", await pages[^1].Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var docx = Request(HttpMethod.Get, "/api/dashboard/partnerships/hq/report.docx?lang=en", key: null);
        docx.Headers.Add("Cookie", cookie);
        var document = await Call("DashboardReportDocx", HttpStatusCode.OK, docx);
        Assert.Equal("application/vnd.openxmlformats-officedocument.wordprocessingml.document", document.Content.Headers.ContentType?.MediaType);
        Assert.Equal("PK"u8.ToArray(), (await document.Content.ReadAsByteArrayAsync())[..2]);

        // Its forms: posted with the session and the antiforgery field the page (Razor components) carries.
        var html = await pages[^1].Content.ReadAsStringAsync();
        var token = System.Text.RegularExpressions.Regex.Match(html, "name=\"ef_token\" value=\"([^\"]+)\"").Groups[1].Value;
        Assert.NotEmpty(token);
        var formCookie = Assert.Single(pages[^1].Headers.GetValues("Set-Cookie"), c => c.StartsWith("ef_form=", StringComparison.Ordinal)).Split(';')[0];
        HttpRequestMessage Form(string path, params (string Name, string Value)[] fields)
        {
            var post = Request(HttpMethod.Post, path, key: null);
            post.Headers.Add("Cookie", $"{cookie}; {formCookie}");
            post.Content = new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));
            return post;
        }

        await Call("DashboardAlertEmails", HttpStatusCode.Redirect, Form("/api/dashboard/partnerships/hq/alert-emails", ("ef_token", token), ("on", "true")));
        await Call("DashboardAcknowledgeAlert", HttpStatusCode.NotFound, Form("/api/dashboard/partnerships/hq/alerts/none/acknowledge", ("ef_token", token)));
        await Call("DashboardResolveAlert", HttpStatusCode.BadRequest, Form("/api/dashboard/partnerships/hq/alerts/none/resolve", ("on", "true"))); // no antiforgery field
        var narrative = Request(HttpMethod.Get, "/api/dashboard/partnerships/hq/report/objectives/none", key: null);
        narrative.Headers.Add("Cookie", cookie);
        await Call("DashboardNarrativePage", HttpStatusCode.NotFound, narrative); // hq has no plan yet
        await Call("DashboardNarrative", HttpStatusCode.NotFound, Form("/api/dashboard/partnerships/hq/report/objectives/none", ("ef_token", token), ("results", "Fait.")));
        var dashboardTemplate = Request(HttpMethod.Get, "/api/dashboard/partnerships/hq/plan/template.xlsx", key: null);
        dashboardTemplate.Headers.Add("Cookie", cookie);
        var templateBytes = await (await Call("DashboardTrackerTemplate", HttpStatusCode.OK, dashboardTemplate)).Content.ReadAsByteArrayAsync();
        var dashboardUpload = Request(HttpMethod.Post, "/api/dashboard/partnerships/hq/plan/import", key: null);
        dashboardUpload.Headers.Add("Cookie", $"{cookie}; {formCookie}");
        dashboardUpload.Content = new MultipartFormDataContent { { new StringContent(token), "ef_token" }, { new ByteArrayContent(templateBytes), "tracker", "plan.xlsx" } };
        await Call("DashboardImportTracker", HttpStatusCode.BadRequest, dashboardUpload); // the empty template has no action: a page lists the problem

        // The participants' pages: a meeting starting now, its signed sign-in link, a phone (no key) signing in, the
        // feedback and the CACIS diagnostic answered, and the coordinator's pages and API around them.
        var door = TimeProvider.System.GetUtcNow().AddMinutes(30);
        await Call("PostMeetings", HttpStatusCode.OK, Request(HttpMethod.Post, "/api/partnerships/hq/meetings", $$"""[{"id":"door","title":"À la porte","start":"{{door:O}}","end":"{{door.AddHours(2):O}}"}]"""));
        static async Task<string> PathOfAsync(Task<HttpResponseMessage> call) =>
            new Uri(JsonDocument.Parse(await (await call).Content.ReadAsStringAsync()).RootElement.GetProperty("url").GetString()!).PathAndQuery;
        HttpRequestMessage Posted(string path, params (string Name, string Value)[] fields)
        {
            var post = Request(HttpMethod.Post, path, key: null);
            post.Content = new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));
            return post;
        }

        var signIn = await PathOfAsync(Call("GetSignInLink", HttpStatusCode.OK, Request(HttpMethod.Get, "/api/partnerships/hq/meetings/door/sign-in")));
        Assert.Contains("CDC", await (await Call("ParticipantSignInPage", HttpStatusCode.OK, Request(HttpMethod.Get, signIn, key: null))).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await Call("ParticipantSignIn", HttpStatusCode.OK, Posted(signIn + "&o=cdc", ("o", "cdc"), ("person", "ana")));
        await Call("ParticipantSignIn", HttpStatusCode.OK, Posted(signIn + "&o=ville", ("o", "ville"), ("name", "Dora Exemple")));
        await Call("ParticipantSignIn", HttpStatusCode.Forbidden, Posted(signIn.Replace("m=door", "m=m1", StringComparison.Ordinal) + "&o=cdc", ("o", "cdc"), ("person", "ana")));
        var sheet = JsonDocument.Parse(await (await Call("GetSignInSheet", HttpStatusCode.OK, Request(HttpMethod.Get, "/api/partnerships/hq/meetings/door/sign-ins"))).Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(2, sheet.GetProperty("signIns").GetArrayLength());
        var dora = sheet.GetProperty("signIns").EnumerateArray().Single(l => l.GetProperty("toConfirm").GetBoolean()).GetProperty("personId").GetString()!;
        await Call("ConfirmSignIn", HttpStatusCode.OK, Request(HttpMethod.Post, $"/api/partnerships/hq/meetings/door/sign-ins/{dora}/confirm"));
        await Call("PutForm", HttpStatusCode.Created, Request(HttpMethod.Put, "/api/forms/avis", """{"partnershipId":"hq","kind":"feedback","questions":[{"key":"utile","kind":"scale","text":"Utile ?","required":true}]}"""));
        var feedback = await PathOfAsync(Call("GetFeedbackLink", HttpStatusCode.OK, Request(HttpMethod.Get, "/api/partnerships/hq/meetings/door/feedback-link?formId=avis")));
        await Call("ParticipantFeedbackPage", HttpStatusCode.OK, Request(HttpMethod.Get, feedback + "&o=cdc", key: null));
        await Call("ParticipantFeedback", HttpStatusCode.OK, Posted(feedback + "&o=cdc", ("o", "cdc"), ("person", "ana"), ("q.utile", "4")));
        var until = TimeProvider.System.GetUtcNow().AddDays(7).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var diagnostic = await PathOfAsync(Call("OpenDiagnostic", HttpStatusCode.OK, Request(HttpMethod.Post, "/api/partnerships/hq/diagnostics", $$"""{"formId":"cacis-hq","until":"{{until}}"}""")));
        Assert.Equal(18, System.Text.RegularExpressions.Regex.Matches(await (await Call("ParticipantDiagnosticPage", HttpStatusCode.OK, Request(HttpMethod.Get, diagnostic + "&o=cdc", key: null))).Content.ReadAsStringAsync(), "<fieldset class=\"question item\"").Count);
        await Call("ParticipantDiagnostic", HttpStatusCode.OK, Posted(diagnostic + "&o=cdc", [("o", "cdc"), ("person", "ana"), .. Enumerable.Range(1, 18).Select(i => ($"item{i}", "B"))]));
        await Call("ParticipantPrivacy", HttpStatusCode.OK, Request(HttpMethod.Get, "/api/participants/privacy?lang=en", key: null));
        // A follow-up sheet's link, signed as the app signs it, for a request the partnership does not have: the page
        // says so; the same link with another person's id is refused as tampered with.
        var followUp = "/api/follow-up?" + HostProtocolSettings.FollowUpQuery("hq", "a1.cdc.20260101", "ana", 4102444800);
        Assert.Contains("<h1>Page introuvable</h1>", await (await Call("ParticipantFollowUpPage", HttpStatusCode.NotFound, Request(HttpMethod.Get, followUp, key: null))).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await Call("ParticipantFollowUp", HttpStatusCode.Forbidden, Posted(followUp.Replace("w=ana", "w=bo", StringComparison.Ordinal), ("status", "done")));
        foreach (var (function, path) in new[] { ("DashboardMeetingSignIn", "/api/dashboard/partnerships/hq/meetings/door/sign-in"), ("DashboardCloseSignInPage", "/api/dashboard/partnerships/hq/meetings/door/sign-in/close"), ("DashboardDiagnostic", "/api/dashboard/partnerships/hq/diagnostic") })
        {
            var page = Request(HttpMethod.Get, path, key: null);
            page.Headers.Add("Cookie", cookie);
            Assert.DoesNotContain(" style=", await (await Call(function, HttpStatusCode.OK, page)).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        await Call("DashboardConfirmSignIn", HttpStatusCode.NotFound, Form($"/api/dashboard/partnerships/hq/meetings/door/sign-ins/{dora}-none/confirm", ("ef_token", token)));
        await Call("DashboardCloseSignIn", HttpStatusCode.Redirect, Form("/api/dashboard/partnerships/hq/meetings/door/sign-in/close", ("ef_token", token), ("excused", "bo")));
        await Call("DashboardOpenDiagnostic", HttpStatusCode.Redirect, Form("/api/dashboard/partnerships/hq/diagnostic", ("ef_token", token), ("until", until)));
        var closed = JsonDocument.Parse(await (await Call("CloseSignIn", HttpStatusCode.OK, Request(HttpMethod.Post, "/api/partnerships/hq/meetings/door/sign-in/close"))).Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(0, closed.GetProperty("absent").GetInt32()); // the dashboard closed it first: nobody left without a record

        // The action plan: by API, the coordinator's word, the schedule; the template downloaded and sent back as it is
        // (an .xlsx body through the host: read, and refused for having no action).
        await Call("PutActionPlan", HttpStatusCode.OK, Request(HttpMethod.Put, "/api/partnerships/hq/plan", """{"objectives":[{"id":"O1","title":"Briser l’isolement"}],"actions":[{"id":"O1.1","objectiveId":"O1","title":"Répertoire","leadOrganizationId":"cdc","partnerOrganizationIds":["ville"],"dueOn":"2026-03-31"}]}"""));
        await Call("PostActionUpdate", HttpStatusCode.Created, Request(HttpMethod.Post, "/api/partnerships/hq/plan/actions/O1.1/updates", """{"status":"en retard","obstacles":"Salle fermée"}"""));
        await Call("PutFollowUpSchedule", HttpStatusCode.OK, Request(HttpMethod.Put, "/api/partnerships/hq/plan/schedule", """{"everyDays":30,"startOn":"2026-12-01"}"""));
        var actionPlan = JsonDocument.Parse(await (await Call("GetActionPlan", HttpStatusCode.OK, Request(HttpMethod.Get, "/api/partnerships/hq/plan", key: HostProtocolSettings.Analyst))).Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(("late", "Ville"), (actionPlan.GetProperty("objectives")[0].GetProperty("actions")[0].GetProperty("status").GetString(), actionPlan.GetProperty("objectives")[0].GetProperty("actions")[0].GetProperty("partners")[0].GetProperty("name").GetString()));
        var template = await Call("GetTrackerTemplate", HttpStatusCode.OK, Request(HttpMethod.Get, "/api/partnerships/hq/plan/template.xlsx?lang=en"));
        const string Xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
        Assert.Equal(Xlsx, template.Content.Headers.ContentType?.MediaType);
        var upload = Request(HttpMethod.Post, "/api/partnerships/hq/plan/import");
        upload.Content = new ByteArrayContent(await template.Content.ReadAsByteArrayAsync());
        upload.Content.Headers.ContentType = new MediaTypeHeaderValue(Xlsx);
        var refused = JsonDocument.Parse(await (await Call("ImportTracker", HttpStatusCode.BadRequest, upload)).Content.ReadAsStringAsync()).RootElement;
        Assert.StartsWith("aucune action sous la ligne d’en-tête 2", refused.GetProperty("errors").GetProperty("file")[0].GetString(), StringComparison.Ordinal);

        Assert.Equal(HttpFunctions.Keys.Order(StringComparer.Ordinal), called.Order(StringComparer.Ordinal));
        Assert.Empty(host.OrderDecidedMatches);

        // Refusals, as problem details from the same authoriser and mapping as standalone.
        await ExpectProblemAsync(host, Request(HttpMethod.Get, "/api/partnerships/hq", key: NoApiKey), HttpStatusCode.Unauthorized, "Unauthorized");
        await ExpectProblemAsync(host, Request(HttpMethod.Get, "/api/partnerships/hq", key: "not-a-key"), HttpStatusCode.Unauthorized, "Unauthorized");
        await ExpectProblemAsync(host, Request(HttpMethod.Get, "/api/partnerships/hq", key: HostProtocolSettings.Ingest), HttpStatusCode.Forbidden, "Forbidden");
        var scoped = await ExpectProblemAsync(host, Request(HttpMethod.Get, "/api/partnerships/hq/meetings", key: HostProtocolSettings.CoordinatorOfOther), HttpStatusCode.Forbidden, "Forbidden");
        Assert.True(scoped.GetProperty("errors").TryGetProperty("partnershipId", out _));
        var invalid = await ExpectProblemAsync(host, Request(HttpMethod.Post, "/api/partnerships/hq/people", """[{"id":"dan","displayName":"Dan","email":"not an e-mail"}]"""), HttpStatusCode.BadRequest, null);
        Assert.Contains(invalid.GetProperty("errors").EnumerateObject(), e => e.Name.EndsWith("email", StringComparison.Ordinal));
        var malformed = await ExpectProblemAsync(host, Request(HttpMethod.Put, "/api/partnerships/hq", "{\"name\":"), HttpStatusCode.BadRequest, null);
        Assert.True(malformed.TryGetProperty("errors", out _));
        await ExpectProblemAsync(host, Request(HttpMethod.Get, "/api/partnerships/nowhere"), HttpStatusCode.NotFound, "Not found");
        Assert.True((await ExpectProblemAsync(host, Request(HttpMethod.Get, "/api/audit/exports?since=yesterday"), HttpStatusCode.BadRequest, null)).GetProperty("errors").TryGetProperty("since", out _));
        Assert.True((await ExpectProblemAsync(host, Request(HttpMethod.Get, "/api/risk/models?top=501"), HttpStatusCode.BadRequest, null)).GetProperty("errors").TryGetProperty("top", out _));
        await ExpectProblemAsync(host, Request(HttpMethod.Get, "/api/audit/exports", key: HostProtocolSettings.Analyst), HttpStatusCode.Forbidden, "Forbidden");

        // The host's own key check: no function key, no invocation.
        var invocations = host.Invocations.Count;
        using var withoutFunctionKey = new HttpRequestMessage(HttpMethod.Get, "http://localhost/api/partnerships");
        withoutFunctionKey.Headers.Authorization = new AuthenticationHeaderValue("Bearer", HostProtocolSettings.Admin);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.SendAsync(withoutFunctionKey)).Response.StatusCode);
        Assert.Equal(invocations, host.Invocations.Count);

        await StopsCleanlyAsync(host);
    }

    private static async Task<JsonElement> ExpectProblemAsync(FunctionsHostEmulator host, HttpRequestMessage request, HttpStatusCode status, string? title)
    {
        var result = await host.SendAsync(request);
        var body = await result.Response.Content.ReadAsStringAsync();
        Assert.True(status == result.Response.StatusCode, $"{request.Method} {request.RequestUri}: {(int)result.Response.StatusCode} {body}\n{host.Diagnostics()}");
        Assert.Equal("application/problem+json", result.Response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement.Clone();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        if (title is not null)
        {
            Assert.Equal(title, problem.GetProperty("title").GetString());
        }

        return problem;
    }

    /// <summary>WorkerTerminate, then the worker exits by itself with 0.</summary>
    private static async Task StopsCleanlyAsync(FunctionsHostEmulator host)
    {
        var exitCode = await host.StopAsync();
        Assert.True(exitCode == 0, $"exit code {exitCode}\n{host.Diagnostics()}");
    }

    private static HttpClient Client(FunctionsHostEmulator host, string apiKey)
    {
        var client = host.CreateHttpClient();
        client.DefaultRequestHeaders.Add("x-functions-key", host.Options.FunctionKey);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return client;
    }

    private static async Task SeedAsync(HttpClient client)
    {
        foreach (var (method, path, json) in new (HttpMethod, string, string)[]
        {
            (HttpMethod.Put, "/api/partnerships/hq", """{"name":"Table de quartier","language":"fr","coordinatorEmails":["coord@example.org"]}"""),
            (HttpMethod.Post, "/api/partnerships/hq/people", """[{"id":"ana","displayName":"Ana"}]"""),
        })
        {
            using var response = await client.SendAsync(new HttpRequestMessage(method, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") });
            Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }
}
