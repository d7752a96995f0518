using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using static Engagement.Functions.Tests.ActionPlans.PlanScenario;

namespace Engagement.Functions.Tests.ActionPlans;

/// <summary>
/// The tracker a committee already keeps, imported: a realistic French workbook stored as the plan it describes; the
/// same file twice stores nothing more; an edited file updates in place; the clock is the test app's (2026-11-01).
/// </summary>
public sealed class TrackerImportTests
{
    [Fact]
    public async Task RealisticFrenchTracker_IsStoredAsThePlanItDescribes()
    {
        await using var app = new EngagementApp();
        await SeedAsync(app);
        var coordinator = app.ClientWithKey(EngagementApp.Keys.Coordinator);

        var answer = await ImportOkAsync(coordinator, "p1", MadaTracker());

        Assert.Equal("Plan 2025-2027", answer.GetProperty("sheet").GetString());
        Assert.Equal(4, answer.GetProperty("headerRow").GetInt32());
        Assert.Equal(5, answer.GetProperty("actionsRead").GetInt32());
        Assert.Equal((2, 0, 0), Counts(answer, "objectives"));
        Assert.Equal((5, 0, 0), Counts(answer, "actions"));
        Assert.Equal((4, 0, 0), Counts(answer, "updates")); // every status but « À venir », which a new action already is

        var plan = await PlanAsync(coordinator);
        var objectives = plan.GetProperty("objectives").EnumerateArray().ToList();
        Assert.Equal(["O1", "O2"], objectives.Select(o => o.GetProperty("id").GetString()));
        Assert.Equal(["Briser l’isolement des aînés", "Favoriser la participation citoyenne"], objectives.Select(o => o.GetProperty("title").GetString()));
        Assert.Equal([["O1.1", "O1.2", "O1.3"], ["O2.1", "O2.2"]], objectives.Select(o => o.GetProperty("actions").EnumerateArray().Select(a => a.GetProperty("id").GetString()).ToArray()));

        var directory = Action(plan, "O1.1");
        Assert.Equal("Créer un répertoire des ressources pour aînés", directory.GetProperty("title").GetString());
        Assert.Equal(("cdc", "CDC Centre-Sud"), (directory.GetProperty("lead").GetProperty("id").GetString(), directory.GetProperty("lead").GetProperty("name").GetString()));
        Assert.Equal(["ville", "biblio"], directory.GetProperty("partners").EnumerateArray().Select(p => p.GetProperty("id").GetString()));
        Assert.Equal(("2026-01-15", "2026-03-31"), (directory.GetProperty("startOn").GetString(), directory.GetProperty("dueOn").GetString()));
        Assert.Equal("Répertoire imprimé et en ligne", directory.GetProperty("deliverables").GetString());
        Assert.Equal("Agente de milieu (2 j/sem.)", directory.GetProperty("resources").GetString());
        Assert.Equal(("done", false), (directory.GetProperty("status").GetString(), directory.GetProperty("late").GetBoolean()));
        var latest = directory.GetProperty("latestUpdate");
        Assert.Equal(("import", "done", "Lancé au salon des aînés"), (latest.GetProperty("source").GetString(), latest.GetProperty("status").GetString(), latest.GetProperty("done").GetString()));

        var cafes = Action(plan, "O1.2");
        Assert.Equal("popote", cafes.GetProperty("lead").GetProperty("id").GetString()); // by name, whatever the case and accents
        Assert.Equal(["fadoq", "biblio"], cafes.GetProperty("partners").EnumerateArray().Select(p => p.GetProperty("id").GetString())); // ids on two lines
        Assert.Equal(("2026-02-01", "2026-12-31", "on-track"), (cafes.GetProperty("startOn").GetString(), cafes.GetProperty("dueOn").GetString(), cafes.GetProperty("status").GetString()));

        // "mars 2026" is due on its last day; late since the day after, 214 days ago on 2026-11-01.
        var sentinels = Action(plan, "O1.3");
        Assert.Equal(("ciusss", "2026-03-31", "late"), (sentinels.GetProperty("lead").GetProperty("id").GetString(), sentinels.GetProperty("dueOn").GetString(), sentinels.GetProperty("status").GetString()));
        Assert.Equal(["cdc", "fadoq"], sentinels.GetProperty("partners").EnumerateArray().Select(p => p.GetProperty("id").GetString()));
        Assert.Equal((true, "2026-04-01", 214), (sentinels.GetProperty("late").GetBoolean(), sentinels.GetProperty("lateSince").GetString(), sentinels.GetProperty("daysLate").GetInt32()));
        Assert.Equal(JsonValueKind.Null, sentinels.GetProperty("startOn").ValueKind);

        var forum = Action(plan, "O2.1");
        Assert.Equal(["cdc", "ciusss"], forum.GetProperty("partners").EnumerateArray().Select(p => p.GetProperty("id").GetString()));
        Assert.Equal(("2026-09-01", "2027-05-31", "not-started"), (forum.GetProperty("startOn").GetString(), forum.GetProperty("dueOn").GetString(), forum.GetProperty("status").GetString()));
        Assert.Equal(JsonValueKind.Null, forum.GetProperty("latestUpdate").ValueKind);

        var bulletin = Action(plan, "O2.2");
        Assert.Equal(("ville", "2026-01-01", "on-track"), (bulletin.GetProperty("lead").GetProperty("id").GetString(), bulletin.GetProperty("startOn").GetString(), bulletin.GetProperty("status").GetString()));
        Assert.Equal(JsonValueKind.Null, bulletin.GetProperty("dueOn").ValueKind); // « En continu »

        var summary = plan.GetProperty("summary");
        Assert.Equal((2, 5, 1, 1), (summary.GetProperty("objectives").GetInt32(), summary.GetProperty("actions").GetInt32(), summary.GetProperty("late").GetInt32(), summary.GetProperty("done").GetInt32()));
    }

    [Fact]
    public async Task SameFileTwice_StoresEverythingOnce()
    {
        await using var app = new EngagementApp();
        await SeedAsync(app);
        var coordinator = app.ClientWithKey(EngagementApp.Keys.Coordinator);
        await ImportOkAsync(coordinator, "p1", MadaTracker());
        var before = await PlanAsync(coordinator);

        var again = await ImportOkAsync(coordinator, "p1", MadaTracker());

        Assert.Equal((0, 0, 2), Counts(again, "objectives"));
        Assert.Equal((0, 0, 5), Counts(again, "actions"));
        Assert.Equal((0, 0, 0), Counts(again, "updates")); // the statuses are the actions' own already
        Assert.Equal(before.ToString(), (await PlanAsync(coordinator)).ToString());
    }

    [Fact]
    public async Task EditedFile_UpdatesInPlace()
    {
        await using var app = new EngagementApp();
        await SeedAsync(app);
        var coordinator = app.ClientWithKey(EngagementApp.Keys.Coordinator);
        await ImportOkAsync(coordinator, "p1", MadaTracker());
        app.Clock.Advance(TimeSpan.FromDays(2));

        var edited = await ImportOkAsync(coordinator, "p1", MadaTracker(sheet => sheet
            .Set(6, 3, "Organiser dix cafés-rencontres")     // a numbered action renamed
            .Set(9, 7, "2027-06-30")                           // a new due day
            .Set(7, 10, "En cours")                            // back on track
            .Row(11, "2.3", null, "Créer un comité de citoyens aînés", "FADOQ")));

        Assert.Equal((0, 0, 2), Counts(edited, "objectives"));
        Assert.Equal((1, 2, 3), Counts(edited, "actions"));
        Assert.Equal((1, 0, 0), Counts(edited, "updates"));
        var plan = await PlanAsync(coordinator);
        Assert.Equal(6, Actions(plan).Count());
        Assert.Equal("Organiser dix cafés-rencontres", Action(plan, "O1.2").GetProperty("title").GetString());
        Assert.Equal("2027-06-30", Action(plan, "O2.1").GetProperty("dueOn").GetString());
        var sentinels = Action(plan, "O1.3");
        Assert.Equal("on-track", sentinels.GetProperty("status").GetString());
        Assert.True(sentinels.GetProperty("late").GetBoolean()); // said on track, but still past its due day
        Assert.Equal("O2", Action(plan, "O2.3").GetProperty("objectiveId").GetString()); // the objective's merged cell ends on row 10, its last action carries on below
    }

    [Fact]
    public async Task FirstImport_KeepsTheObjectivesNarrative_WrittenForTheReport()
    {
        await using var app = new EngagementApp();
        await SeedAsync(app);
        var coordinator = app.ClientWithKey(EngagementApp.Keys.Coordinator);
        await ImportOkAsync(coordinator, "p1", MadaTracker());
        using var put = await coordinator.PutAsync("/api/partnerships/p1/plan", Json("""{"objectives":[{"id":"O1","title":"Briser l’isolement des aînés","results":"140 aînés rejoints"}]}"""));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        await ImportOkAsync(coordinator, "p1", MadaTracker());

        var objective = (await PlanAsync(coordinator)).GetProperty("objectives")[0];
        Assert.Equal("140 aînés rejoints", objective.GetProperty("results").GetString());
    }

    [Fact]
    public async Task EnglishTracker_OnOneHeaderRow_WithoutNumbers_GetsStableIds()
    {
        await using var app = new EngagementApp();
        await SeedAsync(app, language: "en");
        var coordinator = app.ClientWithKey(EngagementApp.Keys.Coordinator);
        // Objectives written once and left empty below (no merge), no No column, a status in English.
        var tracker = new TrackerWorkbook()
            .Sheet("Instructions", s => s.Row(1, "Fill in the next tab."))
            .Sheet("Action Plan", s => s
                .Row(1, "Objective", "Action", "Lead organisation", "Partners", "Start date", "Due date", "Expected results", "Status", "Notes")
                .Row(2, "Reduce seniors’ isolation", "Map local resources", "CDC Centre-Sud", "Ville de Montréal", "2026-01-15", "2026-06-30", "A printed map", "Done")
                .Row(3, null, "Weekly phone calls", "Popote roulante Centre-Sud", null, null, "Q4 2026", null, "in progress")
                .Row(4, "Civic participation", "Citizens’ forum", "ville", "cdc", null, "December 2026"))
            .Build();

        var first = await ImportOkAsync(coordinator, "p1", tracker);
        var second = await ImportOkAsync(coordinator, "p1", tracker);

        Assert.Equal("Action Plan", first.GetProperty("sheet").GetString()); // the first sheet has no header
        Assert.Equal((3, 0, 0), Counts(first, "actions"));
        Assert.Equal((0, 0, 3), Counts(second, "actions"));
        var plan = await PlanAsync(coordinator);
        Assert.Equal(["O-reduce-seniors-isolation", "O-civic-participation"], plan.GetProperty("objectives").EnumerateArray().Select(o => o.GetProperty("id").GetString()));
        var calls = Actions(plan).Single(a => a.GetProperty("title").GetString() == "Weekly phone calls");
        Assert.StartsWith("O-reduce-seniors-isolation.", calls.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal(("2026-12-31", "on-track"), (calls.GetProperty("dueOn").GetString(), calls.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task TwoRowHeader_WithoutMergesDown_AndObjectivesOnTheirOwnRows_IsRead()
    {
        await using var app = new EngagementApp();
        await SeedAsync(app);
        var coordinator = app.ClientWithKey(EngagementApp.Keys.Coordinator);
        var tracker = new TrackerWorkbook().Sheet("Suivi", s => s
            .Row(1, "N°", "Objectifs spécifiques", "Moyens", "Responsable", "Collaborateurs", "Échéancier", null, "État d’avancement")
            .Merge("F1:G1")
            .Row(2, null, null, null, null, null, "Début", "Date de fin")
            .Row(3, "1", "Soutenir les proches aidants")
            .Row(4, "1.1", null, "Groupe de soutien", "CDC Centre-Sud", null, "mars 2026", "31 décembre 2026", "Réalisé")
            .Row(5, "1.2", null, "Répit à domicile", "CIUSSS du Centre-Sud-de-l'Ile-de-Montreal", null, "2026", "2027", "À venir"))
            .Build();

        var answer = await ImportOkAsync(coordinator, "p1", tracker);

        Assert.Equal(2, answer.GetProperty("headerRow").GetInt32());
        var plan = await PlanAsync(coordinator);
        Assert.Equal("O1", plan.GetProperty("objectives")[0].GetProperty("id").GetString()); // its number from the No column of its own row
        var group = Action(plan, "O1.1");
        Assert.Equal(("2026-03-01", "2026-12-31", "done"), (group.GetProperty("startOn").GetString(), group.GetProperty("dueOn").GetString(), group.GetProperty("status").GetString()));
        var respite = Action(plan, "O1.2");
        Assert.Equal(("ciusss", "2026-01-01", "2027-12-31"), (respite.GetProperty("lead").GetProperty("id").GetString(), respite.GetProperty("startOn").GetString(), respite.GetProperty("dueOn").GetString()));
    }

    [Fact]
    public async Task SubHeaderOfItsOwn_UnderAGroup_IsLeftOut()
    {
        await using var app = new EngagementApp();
        await SeedAsync(app);
        var coordinator = app.ClientWithKey(EngagementApp.Keys.Coordinator);
        var tracker = new TrackerWorkbook().Sheet("Plan", s => s
            .Row(1, "Objectif", "Action", "Porteur", "Échéancier", null, "Statut").Merge("D1:E1")
            .Row(2, null, null, null, "Début", "Durée")
            .Row(3, "1. Participation", "Forum citoyen", "cdc", "2026-05-01", "3 mois", "En cours"))
            .Build();

        var answer = await ImportOkAsync(coordinator, "p1", tracker);

        Assert.Equal(2, answer.GetProperty("headerRow").GetInt32());
        Assert.Equal(["Durée"], answer.GetProperty("ignoredColumns").EnumerateArray().Select(c => c.GetString()));
        var forum = Actions(await PlanAsync(coordinator)).Single();
        Assert.Equal("2026-05-01", forum.GetProperty("startOn").GetString());
        Assert.Equal(JsonValueKind.Null, forum.GetProperty("dueOn").ValueKind);
    }

    [Fact]
    public async Task MultipartUpload_WithTheFileInTracker_IsImported()
    {
        await using var app = new EngagementApp();
        await SeedAsync(app);
        var coordinator = app.ClientWithKey(EngagementApp.Keys.Coordinator);
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(MadaTracker());
        file.Headers.ContentType = new MediaTypeHeaderValue(XlsxType);
        form.Add(new StringContent("ignored"), "note");
        form.Add(file, "tracker", "plan-mada.xlsx");

        using var response = await coordinator.PostAsync("/api/partnerships/p1/plan/import", form);

        var answer = await Problem.JsonAsync(response);
        Assert.Equal((5, 0, 0), Counts(answer, "actions"));
    }

    private static StringContent Json(string json) => new(json, System.Text.Encoding.UTF8, "application/json");
}
