using System.Net;
using System.Text;
using System.Text.Json;
using static Engagement.Functions.Tests.ActionPlans.PlanScenario;

namespace Engagement.Functions.Tests.ActionPlans;

/// <summary>The plan by API: idempotent upserts, every field checked by name, the coordinator's updates, the schedule, the key's scope.</summary>
public sealed class PlanApiTests
{
    private const string ValidPlan = """
        {
          "objectives": [
            { "id": "O1", "title": "Briser l’isolement des aînés", "order": 1 },
            { "id": "O2", "title": "Favoriser la participation citoyenne", "order": 2, "description": "Axe 2 de la politique" }
          ],
          "actions": [
            { "id": "O1.1", "objectiveId": "O1", "title": "Répertoire des ressources", "leadOrganizationId": "cdc", "partnerOrganizationIds": ["ville", "biblio"],
              "startOn": "2026-01-15", "dueOn": "2026-03-31", "deliverables": "Répertoire imprimé\nRépertoire en ligne", "resources": "Agente de milieu" },
            { "id": "O1.2", "objectiveId": "O1", "title": "Cafés-rencontres", "leadOrganizationId": "popote", "dueOn": "2026-12-31" },
            { "id": "O2.1", "objectiveId": "O2", "title": "Forum citoyen", "leadOrganizationId": "ville", "partnerOrganizationIds": ["cdc"] }
          ]
        }
        """;

    [Fact]
    public async Task PutPlan_IsAnIdempotentUpsert_AndGetPlanShowsIt()
    {
        await using var app = new EngagementApp();
        await SeedAsync(app);
        var coordinator = app.ClientWithKey(EngagementApp.Keys.Coordinator);

        var first = await Problem.JsonAsync(await coordinator.PutAsync("/api/partnerships/p1/plan", Json(ValidPlan)));
        var second = await Problem.JsonAsync(await coordinator.PutAsync("/api/partnerships/p1/plan", Json(ValidPlan)));
        var renamed = await Problem.JsonAsync(await coordinator.PutAsync("/api/partnerships/p1/plan", Json("""{"actions":[{"id":"O2.1","objectiveId":"O2","title":"Forum citoyen annuel","leadOrganizationId":"ville"}]}""")));

        Assert.Equal(((2, 0, 0), (3, 0, 0)), (Counts(first, "objectives"), Counts(first, "actions")));
        Assert.Equal(((0, 0, 2), (0, 0, 3)), (Counts(second, "objectives"), Counts(second, "actions")));
        Assert.Equal((0, 1, 0), Counts(renamed, "actions"));
        var plan = await PlanAsync(app.ClientWithKey(EngagementApp.Keys.Analyst));
        Assert.Equal(("p1", "2026-11-01"), (plan.GetProperty("partnershipId").GetString(), plan.GetProperty("day").GetString()));
        Assert.Equal("Axe 2 de la politique", plan.GetProperty("objectives")[1].GetProperty("description").GetString());
        var directory = Action(plan, "O1.1");
        Assert.Equal("Répertoire imprimé\nRépertoire en ligne", directory.GetProperty("deliverables").GetString());
        Assert.Equal([("ville", "Ville de Montréal"), ("biblio", "Bibliothèque Frontenac")], directory.GetProperty("partners").EnumerateArray().Select(p => (p.GetProperty("id").GetString(), p.GetProperty("name").GetString())));
        // Due on 2026-03-31 and never said done: late from the next day (ActionProgress), 214 days on 2026-11-01.
        Assert.Equal(("not-started", true, "2026-04-01", 214), (directory.GetProperty("status").GetString(), directory.GetProperty("late").GetBoolean(), directory.GetProperty("lateSince").GetString(), directory.GetProperty("daysLate").GetInt32()));
        Assert.Equal("Forum citoyen annuel", Action(plan, "O2.1").GetProperty("title").GetString());
        Assert.False(plan.GetProperty("schedule").GetProperty("on").GetBoolean());
    }

    [Fact]
    public async Task PutPlan_NamesEveryBadField_AndWritesNothing()
    {
        await using var app = new EngagementApp();
        await SeedAsync(app);
        var coordinator = app.ClientWithKey(EngagementApp.Keys.Coordinator);
        var body = """
            {
              "objectives": [ { "id": "O/1", "title": "" }, { "id": "O2", "title": "Participation", "order": -1 } ],
              "actions": [
                { "id": "A1", "objectiveId": "O9", "title": "Forum", "leadOrganizationId": "cdc" },
                { "id": "A2", "objectiveId": "O2", "title": "", "leadOrganizationId": "cdc", "startOn": "2026-05-01", "dueOn": "2026-04-30" },
                { "id": "A3", "objectiveId": "O2", "title": "Bulletin", "leadOrganizationId": "nobody", "partnerOrganizationIds": ["ville", "ville", "nobody"] },
                { "id": "A4", "objectiveId": "O2", "title": "Répit", "leadOrganizationId": "cdc", "partnerOrganizationIds": ["cdc"], "dueOn": "31/12/2026" },
                { "id": "A1", "objectiveId": "O2", "title": "Doublon", "leadOrganizationId": "cdc" },
                null
              ]
            }
            """;

        using var response = await coordinator.PutAsync("/api/partnerships/p1/plan", Json(body));

        var problem = await Problem.AssertAsync(response, HttpStatusCode.BadRequest,
            "objectives[0].id", "objectives[0].title", "objectives[1].order", "actions[0].objectiveId", "actions[1].title", "actions[1].dueOn",
            "actions[2].leadOrganizationId", "actions[2].partnerOrganizationIds[1]", "actions[2].partnerOrganizationIds[2]", "actions[3].partnerOrganizationIds[0]",
            "actions[3].dueOn", "actions[4].id", "actions[5]");
        Assert.Contains("Nothing was stored", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("'nobody' is not registered", problem.GetProperty("errors").GetProperty("actions[2].leadOrganizationId")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("is the action's lead", problem.GetProperty("errors").GetProperty("actions[3].partnerOrganizationIds[0]")[0].GetString(), StringComparison.Ordinal);
        Assert.Empty((await PlanAsync(coordinator)).GetProperty("objectives").EnumerateArray());
    }

    [Theory]
    [InlineData("null", "body")]
    [InlineData("{}", "body")]
    [InlineData("""{"objectives":[],"actions":[]}""", "body")]
    [InlineData("""{"objectives":[{"id":"O1","title":"T","colour":"red"}]}""", "objectives[0].colour")]
    [InlineData("""{"actions":"O1"}""", "actions")]
    public async Task PutPlan_WithAMalformedBody_Is400(string body, string field)
    {
        await using var app = new EngagementApp();
        await SeedAsync(app);

        using var response = await app.ClientWithKey(EngagementApp.Keys.Coordinator).PutAsync("/api/partnerships/p1/plan", Json(body));

        await Problem.AssertAsync(response, HttpStatusCode.BadRequest, field);
    }

    [Fact]
    public async Task PlanOfAPartnershipThatDoesNotExist_Is404()
    {
        await using var app = new EngagementApp();
        await SeedAsync(app);
        var admin = app.Admin();

        await Problem.AssertAsync(await admin.GetAsync("/api/partnerships/nowhere/plan"), HttpStatusCode.NotFound, "partnershipId");
        await Problem.AssertAsync(await admin.PutAsync("/api/partnerships/nowhere/plan", Json(ValidPlan)), HttpStatusCode.NotFound, "partnershipId");
        await Problem.AssertAsync(await admin.PutAsync("/api/partnerships/nowhere/plan/schedule", Json("""{"everyDays":0}""")), HttpStatusCode.NotFound, "partnershipId");
        await Problem.AssertAsync(await admin.GetAsync("/api/partnerships/nowhere/plan/template.xlsx"), HttpStatusCode.NotFound, "partnershipId");
        await Problem.AssertAsync(await admin.PostAsync("/api/partnerships/p1/plan/actions/none/updates", Json("""{"status":"done"}""")), HttpStatusCode.NotFound, "actionId");
    }

    [Fact]
    public async Task CoordinatorsWord_IsStoredOnce_WhateverTheRetries()
    {
        await using var app = new EngagementApp();
        await SeedAsync(app);
        var coordinator = app.ClientWithKey(EngagementApp.Keys.Coordinator);
        await Problem.JsonAsync(await coordinator.PutAsync("/api/partnerships/p1/plan", Json(ValidPlan)));
        const string Word = """{"status":"en retard","done":"Deux cafés sur dix","obstacles":"Salle fermée","helpNeeded":"Une salle"}""";

        using var first = await coordinator.PostAsync("/api/partnerships/p1/plan/actions/O1.2/updates", Json(Word));
        app.Clock.Advance(TimeSpan.FromMinutes(3));
        using var retry = await coordinator.PostAsync("/api/partnerships/p1/plan/actions/O1.2/updates", Json(Word));
        using var withId = await coordinator.PostAsync("/api/partnerships/p1/plan/actions/O1.2/updates", Json("""{"id":"c-42","status":"on-track"}"""));
        using var withIdAgain = await coordinator.PostAsync("/api/partnerships/p1/plan/actions/O1.2/updates", Json("""{"id":"c-42","status":"on-track"}"""));
        using var dated = await coordinator.PostAsync("/api/partnerships/p1/plan/actions/O1.1/updates", Json("""{"status":"done","at":"2026-03-20T10:00:00-04:00"}"""));
        using var datedAgain = await coordinator.PostAsync("/api/partnerships/p1/plan/actions/O1.1/updates", Json("""{"status":"done","at":"2026-03-20T10:00:00-04:00"}"""));

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.OK), (first.StatusCode, retry.StatusCode));
        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.OK), (withId.StatusCode, withIdAgain.StatusCode));
        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.OK), (dated.StatusCode, datedAgain.StatusCode));
        var stored = await Problem.JsonAsync(first, HttpStatusCode.Created);
        Assert.Equal(stored.GetProperty("id").GetString(), (await Problem.JsonAsync(retry)).GetProperty("id").GetString());
        Assert.Equal(("late", "coordinator", "Salle fermée"), (stored.GetProperty("status").GetString(), stored.GetProperty("source").GetString(), stored.GetProperty("obstacles").GetString()));

        var plan = await PlanAsync(coordinator);
        var cafes = Action(plan, "O1.2");
        Assert.Equal(("on-track", "coordinator"), (cafes.GetProperty("status").GetString(), cafes.GetProperty("latestUpdate").GetProperty("source").GetString()));
        var directory = Action(plan, "O1.1");
        Assert.Equal(("done", false), (directory.GetProperty("status").GetString(), directory.GetProperty("late").GetBoolean()));
    }

    [Theory]
    [InlineData("""{}""", "status")]
    [InlineData("""{"status":"bientôt"}""", "status")]
    [InlineData("""{"status":"done","at":"2026-11-02T10:00:00Z"}""", "at")]
    [InlineData("""{"status":"done","at":"2026-10-02T10:00:00"}""", "at")]
    [InlineData("""{"status":"done","id":"a/b"}""", "id")]
    [InlineData("""{"status":"done","obstacles":"bell\u0007"}""", "obstacles")]
    public async Task CoordinatorsWord_WithABadField_Is400NamingIt(string body, string field)
    {
        await using var app = new EngagementApp();
        await SeedAsync(app);
        var coordinator = app.ClientWithKey(EngagementApp.Keys.Coordinator);
        await Problem.JsonAsync(await coordinator.PutAsync("/api/partnerships/p1/plan", Json(ValidPlan)));

        using var response = await coordinator.PostAsync("/api/partnerships/p1/plan/actions/O1.1/updates", Json(body));

        await Problem.AssertAsync(response, HttpStatusCode.BadRequest, field);
        Assert.Equal(JsonValueKind.Null, Action(await PlanAsync(coordinator), "O1.1").GetProperty("latestUpdate").ValueKind);
    }

    [Fact]
    public async Task Schedule_IsSetAndShown()
    {
        await using var app = new EngagementApp();
        await SeedAsync(app);
        var coordinator = app.ClientWithKey(EngagementApp.Keys.Coordinator);

        var set = await Problem.JsonAsync(await coordinator.PutAsync("/api/partnerships/p1/plan/schedule", Json("""{"everyDays":30,"startOn":"2026-11-15"}""")));
        var schedule = (await PlanAsync(coordinator)).GetProperty("schedule");
        var off = await Problem.JsonAsync(await coordinator.PutAsync("/api/partnerships/p1/plan/schedule", Json("""{"everyDays":0}""")));

        Assert.Equal((true, 30, 7, "2026-11-15"), (set.GetProperty("on").GetBoolean(), set.GetProperty("everyDays").GetInt32(), set.GetProperty("reminderAfterDays").GetInt32(), set.GetProperty("startOn").GetString()));
        Assert.Equal((true, 30, 7, "2026-11-15"), (schedule.GetProperty("on").GetBoolean(), schedule.GetProperty("everyDays").GetInt32(), schedule.GetProperty("reminderAfterDays").GetInt32(), schedule.GetProperty("startOn").GetString()));
        Assert.Equal((false, 0, 0), (off.GetProperty("on").GetBoolean(), off.GetProperty("everyDays").GetInt32(), off.GetProperty("reminderAfterDays").GetInt32()));
        Assert.False((await PlanAsync(coordinator)).GetProperty("schedule").GetProperty("on").GetBoolean());
    }

    [Theory]
    [InlineData("""{}""", "everyDays")]
    [InlineData("""{"everyDays":3,"startOn":"2026-11-15"}""", "everyDays")]
    [InlineData("""{"everyDays":400,"startOn":"2026-11-15"}""", "everyDays")]
    [InlineData("""{"everyDays":14}""", "startOn")]
    [InlineData("""{"everyDays":14,"reminderAfterDays":14,"startOn":"2026-11-15"}""", "reminderAfterDays")]
    [InlineData("""{"everyDays":0,"reminderAfterDays":3}""", "reminderAfterDays")]
    [InlineData("""{"everyDays":14,"startOn":"15/11/2026"}""", "startOn")]
    public async Task Schedule_WithABadField_Is400NamingIt(string body, string field)
    {
        await using var app = new EngagementApp();
        await SeedAsync(app);

        using var response = await app.ClientWithKey(EngagementApp.Keys.Coordinator).PutAsync("/api/partnerships/p1/plan/schedule", Json(body));

        await Problem.AssertAsync(response, HttpStatusCode.BadRequest, field);
    }

    public static TheoryData<string, string, string?> P2Routes() => new()
    {
        { "GET", "/api/partnerships/p2/plan", null },
        { "PUT", "/api/partnerships/p2/plan", ValidPlan },
        { "POST", "/api/partnerships/p2/plan/actions/O1.1/updates", """{"status":"done"}""" },
        { "PUT", "/api/partnerships/p2/plan/schedule", """{"everyDays":30,"startOn":"2026-11-15"}""" },
        { "POST", "/api/partnerships/p2/plan/import", "tracker" },
        { "GET", "/api/partnerships/p2/plan/template.xlsx", null },
    };

    [Theory]
    [MemberData(nameof(P2Routes))]
    public async Task KeyScopedToP1_IsForbiddenOnP2_AndWritesNothing(string method, string path, string? body)
    {
        await using var app = new EngagementApp();
        await SeedAsync(app, "p1");
        await SeedAsync(app, "p2");
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Content = body switch
        {
            null => null,
            "tracker" => new ByteArrayContent(MadaTracker()) { Headers = { ContentType = new(XlsxType) } },
            _ => Json(body),
        };

        using var response = await app.ClientWithKey(EngagementApp.Keys.CoordinatorOfP1).SendAsync(request);

        var problem = await Problem.AssertAsync(response, HttpStatusCode.Forbidden, "partnershipId");
        Assert.Contains("p2", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var plan = await PlanAsync(app.Admin(), "p2");
        Assert.Empty(plan.GetProperty("objectives").EnumerateArray());
        Assert.False(plan.GetProperty("schedule").GetProperty("on").GetBoolean());
    }

    [Fact]
    public async Task AnalystReads_ButDoesNotWrite()
    {
        await using var app = new EngagementApp();
        await SeedAsync(app);
        var analyst = app.ClientWithKey(EngagementApp.Keys.Analyst);

        using var read = await analyst.GetAsync("/api/partnerships/p1/plan");
        using var write = await analyst.PutAsync("/api/partnerships/p1/plan", Json(ValidPlan));
        using var ingest = await app.ClientWithKey(EngagementApp.Keys.Ingest).GetAsync("/api/partnerships/p1/plan");

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        await Problem.AssertAsync(write, HttpStatusCode.Forbidden);
        await Problem.AssertAsync(ingest, HttpStatusCode.Forbidden);
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
