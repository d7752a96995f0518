using System.Net;
using System.Net.Http.Json;
using System.Text;
using Engagement.Core.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Engagement.Functions.Tests.Api;

public sealed class FormsApiTests : IAsyncLifetime
{
    private readonly EngagementApp _app = new();

    public async Task InitializeAsync() => await _app.SeedAsync();

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task PostSubmission_PowerAutomateShape_IsMappedToPersonAndStoredOnce()
    {
        var client = _app.ClientWithKey(EngagementApp.Keys.Ingest);
        const string body = """
            {"responder":"Marie@Example.org","submitDate":"3/14/2026 3:23:34 PM",
             "r5caae6a11afb406a8e77e0b242fb4cab":"Très utile",
             "r8718cecca56b4ed692e9042452d04195":"[\"Logement\",\"Sécurité alimentaire\"]",
             "r0000000000000000000000000000000a":""}
            """;
        var url = "/api/forms/submissions?partnershipId=p1&formId=feedback-2026&responseId=17";

        Problem.AssertCounts(await Problem.JsonAsync(await client.PostAsync(url, Json(body))), 1, 0, 0);
        Problem.AssertCounts(await Problem.JsonAsync(await client.PostAsync(url, Json(body))), 0, 0, 1);

        var store = _app.Services.GetRequiredService<EngagementStores>();
        var submission = Assert.Single(await store.Forms.ListFormSubmissionsAsync("p1"));
        Assert.Equal("marie", submission.RespondentPersonId);
        Assert.Null(submission.RespondentEmail);
        Assert.Equal(new DateTimeOffset(2026, 3, 14, 15, 23, 34, TimeSpan.Zero), submission.SubmittedAt);
        Assert.Equal(["Logement", "Sécurité alimentaire"], submission.Answers["r8718cecca56b4ed692e9042452d04195"]);
        Assert.False(submission.Answers.ContainsKey("r0000000000000000000000000000000a"));
        Assert.False(submission.Answers.ContainsKey("responder"));
    }

    [Fact]
    public async Task PostSubmission_OurShapeWithoutOffset_NamesSubmittedAt()
    {
        var response = await _app.Admin().PostAsync("/api/forms/submissions", Json("""
            {"partnershipId":"p1","formId":"f1","responseId":"1","submittedAt":"2026-03-14T15:23:34","answers":{"q1":"Oui"}}
            """));
        await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "submittedAt");
    }

    [Fact]
    public async Task PostSubmission_UnregisteredFormWithoutPartnership_NamesPartnershipId()
    {
        var response = await _app.Admin().PostAsync("/api/forms/submissions", Json("""
            {"formId":"f1","responseId":"1","submittedAt":"2026-03-14T15:23:34Z","answers":{"q1":"Oui"}}
            """));
        await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "partnershipId");
    }

    [Fact]
    public async Task Diagnostic_RegisteredMapping_MapsLabelsToItems()
    {
        var admin = _app.Admin();
        var registered = await admin.PutAsJsonAsync("/api/forms/cacis-2026", new
        {
            partnershipId = "p1",
            kind = "diagnostic",
            title = "Outil diagnostique 2026",
            items = new Dictionary<string, int> { ["rq1"] = 1, ["rq5"] = 5, ["rq12"] = 12 },
            answerLabels = new Dictionary<string, string[]> { ["A"] = ["Tout à fait"], ["C"] = ["Pas du tout"] },
        });
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);

        var ingest = _app.ClientWithKey(EngagementApp.Keys.Ingest);
        var stored = await ingest.PostAsync("/api/forms/submissions", Json("""
            {"formId":"cacis-2026","responseId":"3","respondent":"jean@example.org","submittedAt":"2026-05-01T10:00:00-04:00",
             "answers":{"rq1":"tout a fait","rq5":"B) En partie","rq12":"Pas du tout","comment":"Merci"}}
            """));
        Problem.AssertCounts(await Problem.JsonAsync(stored), 1, 0, 0);

        var submission = Assert.Single(await _app.Services.GetRequiredService<EngagementStores>().Forms.ListFormSubmissionsAsync("p1"));
        Assert.Equal("jean", submission.RespondentPersonId);
        Assert.Equal(Core.Domain.DiagnosticAnswer.A, submission.DiagnosticItems![1]);
        Assert.Equal(Core.Domain.DiagnosticAnswer.B, submission.DiagnosticItems[5]);
        Assert.Equal(Core.Domain.DiagnosticAnswer.C, submission.DiagnosticItems[12]);

        var bad = await ingest.PostAsync("/api/forms/submissions", Json("""
            {"formId":"cacis-2026","responseId":"4","submittedAt":"2026-05-01T10:00:00-04:00","answers":{"rq1":"Peut-être"}}
            """));
        await Problem.AssertAsync(bad, HttpStatusCode.BadRequest, "answers.rq1");

        var form = await Problem.JsonAsync(await admin.GetAsync("/api/forms/cacis-2026"));
        Assert.Equal(5, form.GetProperty("items").GetProperty("rq5").GetInt32());
    }

    [Fact]
    public async Task RegisterDiagnostic_ItemOutOfRangeAndDuplicate_NamesEachQuestion()
    {
        var response = await _app.Admin().PutAsJsonAsync("/api/forms/cacis", new
        {
            partnershipId = "p1",
            kind = "diagnostic",
            items = new Dictionary<string, int> { ["a"] = 19, ["b"] = 2, ["c"] = 2 },
        });
        await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "items.a", "items.c");
    }

    [Fact]
    public async Task PostSubmission_UnregisteredDiagnostic_IsRefused()
    {
        var response = await _app.Admin().PostAsync("/api/forms/submissions", Json("""
            {"partnershipId":"p1","formId":"cacis-x","kind":"diagnostic","responseId":"1","submittedAt":"2026-03-14T15:23:34Z","answers":{"q1":"A"}}
            """));
        await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "formId");
    }

    [Fact]
    public async Task PostSubmissions_ArrayWithDuplicateResponse_StoresNothing()
    {
        var response = await _app.Admin().PostAsync("/api/forms/submissions", Json("""
            [{"partnershipId":"p1","formId":"f1","responseId":"1","submittedAt":"2026-03-14T15:23:34Z","answers":{"q1":"Oui"}},
             {"partnershipId":"p1","formId":"f1","responseId":"1","submittedAt":"2026-03-14T15:23:34Z","answers":{"q1":"Non"}}]
            """));
        await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "[1].responseId");
        Assert.Empty(await _app.Services.GetRequiredService<EngagementStores>().Forms.ListFormSubmissionsAsync("p1"));
    }

    [Fact]
    public async Task PostSubmission_UnknownRespondentEmail_IsKeptApartFromPeople()
    {
        var response = await _app.Admin().PostAsync("/api/forms/submissions", Json("""
            {"partnershipId":"p1","formId":"f1","responseId":"9","respondent":"visitor@example.org","submittedAt":"2026-03-14T15:23:34Z","answers":{"q1":"Oui"}}
            """));
        Problem.AssertCounts(await Problem.JsonAsync(response), 1, 0, 0);
        var submission = Assert.Single(await _app.Services.GetRequiredService<EngagementStores>().Forms.ListFormSubmissionsAsync("p1"));
        Assert.Null(submission.RespondentPersonId);
        Assert.Equal("visitor@example.org", submission.RespondentEmail);
    }

    /// <summary>
    /// A key limited to p1 cannot reach p2's form by blanking the body's formId or partnershipId so that ingestion
    /// falls back to the query string: the scope is checked against the value ingestion uses.
    /// </summary>
    [Theory]
    [InlineData("?formId=f2", """{"formId":"","responseId":"r1","submittedAt":"2026-03-15T10:00:00Z","answers":{"q":"Remplacé"}}""")]
    [InlineData("?formId=f2", """{"formId":" ","responseId":"r1","submittedAt":"2026-03-15T10:00:00Z","answers":{"q":"Remplacé"}}""")]
    [InlineData("?formId=f2", """{"formId":null,"responseId":"r1","submittedAt":"2026-03-15T10:00:00Z","answers":{"q":"Remplacé"}}""")]
    [InlineData("?formId=f2", """{"responseId":"r1","submittedAt":"2026-03-15T10:00:00Z","answers":{"q":"Remplacé"}}""")]
    [InlineData("?partnershipId=p2&formId=unregistered", """{"partnershipId":"","responseId":"r2","submittedAt":"2026-03-15T10:00:00Z","answers":{"q":"Ajouté"}}""")]
    public async Task PostSubmission_KeyOfAnotherPartnership_CannotWriteThroughABlankedBodyValue(string query, string body)
    {
        await _app.SeedAsync("p2");
        var admin = _app.Admin();
        (await admin.PutAsJsonAsync("/api/forms/f2", new { partnershipId = "p2", kind = "feedback" })).EnsureSuccessStatusCode();
        (await admin.PostAsync("/api/forms/submissions", Json("""
            {"formId":"f2","responseId":"r1","submittedAt":"2026-03-14T10:00:00Z","answers":{"q":"Original"}}
            """))).EnsureSuccessStatusCode();
        var store = _app.Services.GetRequiredService<EngagementStores>();
        var before = await store.Forms.ListFormSubmissionsAsync("p2");

        var response = await _app.ClientWithKey(EngagementApp.Keys.IngestOfP1).PostAsync("/api/forms/submissions" + query, Json(body));

        await Problem.AssertAsync(response, HttpStatusCode.Forbidden, "partnershipId");
        var after = await store.Forms.ListFormSubmissionsAsync("p2");
        Assert.Equal(before.Count, after.Count);
        var original = Assert.Single(after);
        Assert.Equal("Original", Assert.Single(original.Answers["q"]));
    }
}
