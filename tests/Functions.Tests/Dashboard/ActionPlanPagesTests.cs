using System.Net;
using System.Net.Http.Json;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using Engagement.Core.Domain;
using Engagement.Core.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Engagement.Functions.Tests.Dashboard;

/// <summary>The action plan on the dashboard, and the progress report (page and .docx) with figures recomputed from the store.</summary>
public sealed class ActionPlanPagesTests
{
    private static readonly TimeSpan Est = TimeSpan.FromHours(-5), Edt = TimeSpan.FromHours(-4);

    /// <summary>
    /// p1 (today 1 November 2026) with a plan: O1 has a late action (due 15 September, 47 days late on 1 November counting
    /// from the 16th… see the assertions) carried by the CDC with the city, and an action done by the city; O2 has an
    /// action not started. Three follow-up sheets asked in October, one answered.
    /// </summary>
    private static async Task<EngagementApp> StartAsync()
    {
        var app = new EngagementApp();
        await app.SeedAsync();
        (await app.Admin().PostAsJsonAsync("/api/attendance", new
        {
            partnershipId = "p1",
            records = new object[]
            {
                new { meetingId = "m1", personId = "marie", status = "present" },
                new { meetingId = "m1", personId = "jean", status = "present" },
                new { meetingId = "m2", personId = "marie", status = "excused" },
                new { meetingId = "m2", personId = "jean", status = "absent" },
            },
        })).EnsureSuccessStatusCode();
        var store = app.Services.GetRequiredService<IActionPlanStore>();
        var recorded = new DateTimeOffset(2026, 3, 2, 9, 0, 0, Est);
        await store.UpsertPlanAsync(
            "p1",
            [
                new Objective { PartnershipId = "p1", Id = "O1", Order = 1, Title = "Briser l’isolement des aînés", Results = "Deux cafés-rencontres par mois.\nUn bottin des ressources.", Means = "Une intervenante de milieu à mi-temps.", Adjustments = "Le départ de la chargée de projet a retardé le bottin de trois mois." },
                new Objective { PartnershipId = "p1", Id = "O2", Order = 2, Title = "Faire connaître la politique MADA" },
            ],
            [
                new PlanAction { PartnershipId = "p1", Id = "O1.A1", ObjectiveId = "O1", Title = "Bottin des ressources pour aînés", LeadOrganizationId = "cdc", PartnerOrganizationIds = ["ville"], DueOn = new DateOnly(2026, 9, 15), Deliverables = "Bottin imprimé" },
                new PlanAction { PartnershipId = "p1", Id = "O1.A2", ObjectiveId = "O1", Title = "Cafés-rencontres", LeadOrganizationId = "ville", DueOn = new DateOnly(2026, 12, 31) },
                new PlanAction { PartnershipId = "p1", Id = "O2.A1", ObjectiveId = "O2", Title = "Kiosque à la fête de quartier", LeadOrganizationId = "cdc" },
            ],
            [
                new ActionUpdate { PartnershipId = "p1", ActionId = "O1.A1", Id = "u1", At = new DateTimeOffset(2026, 6, 1, 10, 0, 0, Edt), Status = ActionStatus.OnTrack, Source = ActionUpdateSource.Coordinator },
            ],
            recorded);
        var sent = new DateTimeOffset(2026, 10, 5, 9, 0, 0, Edt);
        await store.AddRequestAsync(new FollowUpRequest { PartnershipId = "p1", ActionId = "O1.A1", OrganizationId = "cdc", Round = new DateOnly(2026, 10, 5), SentAt = sent, RemindedAt = sent.AddDays(7) });
        await store.AddRequestAsync(new FollowUpRequest { PartnershipId = "p1", ActionId = "O1.A2", OrganizationId = "ville", Round = new DateOnly(2026, 10, 5), SentAt = sent });
        await store.AddRequestAsync(new FollowUpRequest { PartnershipId = "p1", ActionId = "O2.A1", OrganizationId = "cdc", Round = new DateOnly(2026, 10, 5), SentAt = sent });
        await store.AnswerAsync(
            new ActionUpdate { PartnershipId = "p1", ActionId = "O1.A2", Id = "sheet1", At = sent.AddDays(2), Status = ActionStatus.Done, Source = ActionUpdateSource.Sheet, OrganizationId = "ville", PersonId = "jean", Done = "Huit cafés tenus, 63 participations.", Obstacles = "Salle indisponible en juillet." },
            FollowUpRequest.IdOf("O1.A2", "ville", new DateOnly(2026, 10, 5)));
        await store.SetScheduleAsync(new FollowUpSchedule { PartnershipId = "p1", EveryDays = 28, ReminderAfterDays = 7, StartOn = new DateOnly(2026, 10, 5) });
        return app;
    }

    [Fact]
    public async Task PartnershipPage_ShowsThePlansCardsAndLateActions_AndLinksToTheWholePlan()
    {
        await using var app = await StartAsync();
        var client = await app.DashboardClientAsync(EngagementApp.Keys.Coordinator);

        var html = await client.GetStringAsync("/api/dashboard/partnerships/p1?lang=fr");

        Assert.Contains("<h2 id=\"action-plan\">Plan d’action</h2>", html, StringComparison.Ordinal);
        Assert.Contains("<h3>Actions en retard</h3>", html, StringComparison.Ordinal);
        // Due on 15 September, late from the 16th: 46 days on 1 November.
        Assert.Matches(new System.Text.RegularExpressions.Regex("Bottin des ressources pour aînés.*?En retard<span> · 46 jours</span>", System.Text.RegularExpressions.RegexOptions.Singleline), html);
        Assert.DoesNotContain("Kiosque à la fête de quartier", html, StringComparison.Ordinal); // not late: on the plan's page
        Assert.Contains("href=\"/api/dashboard/partnerships/p1/plan?lang=fr\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/api/dashboard/partnerships/p1/report?lang=fr\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlanPage_ShowsObjectivesActionsLatenessCarriersAndUnansweredSheets()
    {
        await using var app = await StartAsync();
        var client = await app.DashboardClientAsync(EngagementApp.Keys.Coordinator);

        var html = await client.GetStringAsync("/api/dashboard/partnerships/p1/plan?lang=fr");

        Assert.Contains("<h1>Plan d’action — Table p1</h1>", html, StringComparison.Ordinal);
        Assert.Contains("<h3>Briser l’isolement des aînés</h3>", html, StringComparison.Ordinal);
        Assert.Matches(new System.Text.RegularExpressions.Regex("Bottin des ressources pour aînés.*?En retard<span> · 46 jours</span>", System.Text.RegularExpressions.RegexOptions.Singleline), html);
        Assert.Matches(new System.Text.RegularExpressions.Regex("Cafés-rencontres.*?Terminée", System.Text.RegularExpressions.RegexOptions.Singleline), html);
        Assert.Matches(new System.Text.RegularExpressions.Regex("Kiosque à la fête de quartier.*?Pas commencée", System.Text.RegularExpressions.RegexOptions.Singleline), html);
        Assert.Contains("avec Ville de Montréal", html, StringComparison.Ordinal);
        // Two sheets wait (the answered one and the done action's are not listed), the oldest first, with its reminder.
        Assert.Contains("CDC Centre-Sud pour « Bottin des ressources pour aînés » · demandée le", html, StringComparison.Ordinal);
        Assert.Contains("relancée le", html, StringComparison.Ordinal);
        Assert.Contains("CDC Centre-Sud pour « Kiosque à la fête de quartier »", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Ville de Montréal pour « Cafés-rencontres »", html, StringComparison.Ordinal);
        Assert.Contains("tous les 28 jours", html, StringComparison.Ordinal);
        Assert.Contains("action=\"/api/dashboard/partnerships/p1/plan/import?lang=fr\"", html, StringComparison.Ordinal);

        // An analyst reads it without the upload; another partnership's plan is not found for a scoped key.
        var analyst = await app.DashboardClientAsync(EngagementApp.Keys.Analyst);
        Assert.DoesNotContain("plan/import", await analyst.GetStringAsync("/api/dashboard/partnerships/p1/plan?lang=fr"), StringComparison.Ordinal);
        await app.SeedAsync("p2");
        var scoped = await app.DashboardClientAsync(EngagementApp.Keys.CoordinatorOfP1);
        Assert.Equal(HttpStatusCode.NotFound, (await scoped.GetAsync("/api/dashboard/partnerships/p2/plan")).StatusCode);
    }

    [Fact]
    public async Task OrganisationPage_ListsTheActionsItCarries_AsLeadOrPartner()
    {
        await using var app = await StartAsync();
        var client = await app.DashboardClientAsync(EngagementApp.Keys.Coordinator);

        var ville = await client.GetStringAsync("/api/dashboard/partnerships/p1/organizations/ville?lang=en");
        var cdc = await client.GetStringAsync("/api/dashboard/partnerships/p1/organizations/cdc?lang=en");

        Assert.Contains("Its actions in the plan", ville, StringComparison.Ordinal);
        Assert.Contains("Bottin des ressources pour aînés", ville, StringComparison.Ordinal); // a partner in it
        Assert.Contains("Cafés-rencontres", ville, StringComparison.Ordinal); // its lead
        Assert.DoesNotContain("Kiosque", ville, StringComparison.Ordinal);
        Assert.Contains("Late<span> · 46 days</span>", cdc, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PartnershipWithoutAPlan_SaysSo()
    {
        await using var app = new EngagementApp();
        await app.SeedAsync();
        var client = await app.DashboardClientAsync(EngagementApp.Keys.Coordinator);

        Assert.Contains("No action plan is recorded for this partnership.", await client.GetStringAsync("/api/dashboard/partnerships/p1?lang=en"), StringComparison.Ordinal);
        var report = await client.GetStringAsync("/api/dashboard/partnerships/p1/report?lang=en");
        Assert.Contains("No action plan is recorded for this partnership.", report, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReportPage_FiguresAreTheStoresOwn_AndTheNarrativeAndNotesAreThere()
    {
        await using var app = await StartAsync();
        var client = await app.DashboardClientAsync(EngagementApp.Keys.Analyst);

        var html = await client.GetStringAsync("/api/dashboard/partnerships/p1/report?from=2026-01-01&to=2026-10-31&lang=en");

        // The figures, recounted here from the store the report reads.
        var attendance = await app.Services.GetRequiredService<IAttendanceStore>().ListAttendanceAsync("p1");
        var present = attendance.Count(a => a.Status == AttendanceStatus.Present);
        Assert.Equal((2, 4), (present, attendance.Count));
        Assert.Contains("<th scope=\"row\">Meetings held</th><td class=\"num\">2</td>", html, StringComparison.Ordinal);
        Assert.Contains($"<th scope=\"row\">Attendance rate</th><td class=\"num\">50% ({present} of {attendance.Count})</td>", html, StringComparison.Ordinal);
        Assert.Contains("<th scope=\"row\">Organisations present at least once</th><td class=\"num\">2 of 2</td>", html, StringComparison.Ordinal);
        Assert.Contains("<th scope=\"row\">People present at least once</th><td class=\"num\">2</td>", html, StringComparison.Ordinal);
        Assert.Contains("<th scope=\"row\">Follow-up sheets received</th><td class=\"num\">33% (1 of 3)</td>", html, StringComparison.Ordinal);
        Assert.Contains("<th scope=\"row\">Actions of the plan</th><td class=\"num\">3</td>", html, StringComparison.Ordinal);
        Assert.Contains("<th scope=\"row\">Actions done</th><td class=\"num\">1</td>", html, StringComparison.Ordinal);
        Assert.Contains("<th scope=\"row\">Actions on track</th><td class=\"num\">0</td>", html, StringComparison.Ordinal);
        Assert.Contains("<th scope=\"row\">Actions late</th><td class=\"num\">1</td>", html, StringComparison.Ordinal);
        Assert.Contains("<th scope=\"row\">Actions not started</th><td class=\"num\">1</td>", html, StringComparison.Ordinal);
        Assert.Contains("<th scope=\"row\">Actions abandoned</th><td class=\"num\">0</td>", html, StringComparison.Ordinal);
        // Narrative and what the carriers said.
        Assert.Contains("<h2 id=\"objective-1\">Objective 1: Briser l’isolement des aînés</h2>", html, StringComparison.Ordinal);
        Assert.Contains("Le départ de la chargée de projet a retardé le bottin de trois mois.", html, StringComparison.Ordinal);
        Assert.Contains("To be written by the coordination.", html, StringComparison.Ordinal); // O1's learnings, O2's everything
        Assert.Contains("Huit cafés tenus, 63 participations.", html, StringComparison.Ordinal);
        Assert.Contains("Salle indisponible en juillet.", html, StringComparison.Ordinal);
        // The state at the end of the period: on 31 October the first action was 46 - 1 = 45 days late.
        Assert.Contains("Late<span> · 45 days</span>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReportPage_ForAnEarlierPeriod_CountsOnlyItsMeetingsAndTheStateThen()
    {
        await using var app = await StartAsync();
        var client = await app.DashboardClientAsync(EngagementApp.Keys.Coordinator);

        var html = await client.GetStringAsync("/api/dashboard/partnerships/p1/report?from=2026-02-01&to=2026-06-30&lang=en");

        Assert.Contains("<th scope=\"row\">Meetings held</th><td class=\"num\">1</td>", html, StringComparison.Ordinal);
        Assert.Contains("<th scope=\"row\">Attendance rate</th><td class=\"num\">0% (0 of 2)</td>", html, StringComparison.Ordinal);
        Assert.Contains("<th scope=\"row\">Follow-up sheets received</th><td class=\"num\">–</td>", html, StringComparison.Ordinal);
        // On 30 June nothing was late or done yet; the sheet answered in October is not in this period.
        Assert.Contains("<th scope=\"row\">Actions of the plan</th><td class=\"num\">3</td>", html, StringComparison.Ordinal);
        Assert.Contains("<th scope=\"row\">Actions done</th><td class=\"num\">0</td>", html, StringComparison.Ordinal);
        Assert.Contains("<th scope=\"row\">Actions on track</th><td class=\"num\">1</td>", html, StringComparison.Ordinal);
        Assert.Contains("<th scope=\"row\">Actions late</th><td class=\"num\">0</td>", html, StringComparison.Ordinal);
        Assert.Contains("<th scope=\"row\">Actions not started</th><td class=\"num\">2</td>", html, StringComparison.Ordinal);
        Assert.Contains("<th scope=\"row\">Actions abandoned</th><td class=\"num\">0</td>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Huit cafés tenus", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("from=2026-13-01", "from")]
    [InlineData("to=demain", "to")]
    [InlineData("from=2026-05-01&to=2026-04-01", "from")]
    [InlineData("from=2020-01-01&to=2026-01-01", "from")]
    public async Task Report_WithABadPeriod_IsAProblemNamingTheField(string query, string field)
    {
        await using var app = await StartAsync();
        var client = await app.DashboardClientAsync(EngagementApp.Keys.Coordinator);

        await Problem.AssertAsync(await client.GetAsync($"/api/dashboard/partnerships/p1/report?{query}"), HttpStatusCode.BadRequest, field);
        await Problem.AssertAsync(await client.GetAsync($"/api/dashboard/partnerships/p1/report.docx?{query}"), HttpStatusCode.BadRequest, field);
    }

    [Fact]
    public async Task Report_OfAnotherPartnership_IsNotFound_ForAScopedKey_AndWithoutASessionGoesToSignIn()
    {
        await using var app = await StartAsync();
        await app.SeedAsync("p2");
        var scoped = await app.DashboardClientAsync(EngagementApp.Keys.CoordinatorOfP1);
        var anonymous = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        Assert.Equal(HttpStatusCode.NotFound, (await scoped.GetAsync("/api/dashboard/partnerships/p2/report")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await scoped.GetAsync("/api/dashboard/partnerships/p2/report.docx")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await scoped.GetAsync("/api/dashboard/partnerships/p1/report.docx")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await anonymous.GetAsync("/api/dashboard/partnerships/p1/report.docx")).StatusCode);
    }

    [Fact]
    public async Task ReportDocx_OpensInOpenXml_WithTheHeadingsTablesAndFiguresOfThePage()
    {
        await using var app = await StartAsync();
        var client = app.ClientWithKey(EngagementApp.Keys.Coordinator); // the key in the header works too

        using var response = await client.GetAsync("/api/dashboard/partnerships/p1/report.docx?from=2026-01-01&to=2026-10-31&lang=fr");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.wordprocessingml.document", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("bilan-p1-2026-01-01-2026-10-31.docx", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        using var stream = new MemoryStream(await response.Content.ReadAsByteArrayAsync());
        using var document = WordprocessingDocument.Open(stream, isEditable: false);
        var body = document.MainDocumentPart!.Document.Body!;
        var paragraphs = body.Elements<Paragraph>().ToList();
        string[] Styled(string style) => [.. paragraphs.Where(p => p.ParagraphProperties?.ParagraphStyleId?.Val?.Value == style).Select(p => p.InnerText)];

        Assert.Equal(["Bilan — Table p1"], Styled("Title"));
        Assert.Equal(["La période en chiffres", "Objectif 1 : Briser l’isolement des aînés", "Objectif 2 : Faire connaître la politique MADA", "Participation des organisations"], Styled("Heading1"));
        Assert.Equal(
            ["Résultats obtenus", "Moyens utilisés", "Ajustements apportés", "Apprentissages", "État des actions au 31 octobre 2026", "Ce que les porteurs ont rapporté"],
            Styled("Heading2").Take(6));
        // The headings are real Word headings: styles with an outline level.
        var styles = document.MainDocumentPart.StyleDefinitionsPart!.Styles!.Elements<Style>().ToDictionary(s => s.StyleId!.Value!);
        Assert.Equal(0, styles["Heading1"].StyleParagraphProperties!.OutlineLevel!.Val!.Value);
        Assert.Equal(1, styles["Heading2"].StyleParagraphProperties!.OutlineLevel!.Val!.Value);

        var tables = body.Elements<Table>().ToList();
        Assert.Equal(4, tables.Count); // figures, O1's actions, O2's actions, participation
        string[][] Rows(Table table) => [.. table.Elements<TableRow>().Select(r => r.Elements<TableCell>().Select(c => c.InnerText).ToArray())];
        var figures = Rows(tables[0]).ToDictionary(r => r[0], r => r[1]);
        Assert.Equal("2", figures["Rencontres tenues"]);
        Assert.Equal("50\u00a0% (2 sur 4)", figures["Taux de présence"]);
        Assert.Equal("33\u00a0% (1 sur 3)", figures["Fiches de suivi reçues"]);
        var o1 = Rows(tables[1]);
        Assert.Equal(["Action", "Porteur", "Échéance", "Statut", "Fiches de suivi"], o1[0]);
        Assert.NotNull(tables[1].Elements<TableRow>().First().TableRowProperties?.GetFirstChild<TableHeader>());
        Assert.Equal("En retard · 45 jours", o1[1][3]);
        Assert.StartsWith("Bottin des ressources pour aînés", o1[1][0], StringComparison.Ordinal);
        Assert.Equal("Terminée", o1[2][3]);
        var participation = Rows(tables[3]);
        Assert.Equal(["CDC Centre-Sud", "1", "2", "0 sur 2"], participation[1]);
        Assert.Equal(["Ville de Montréal", "1", "2", "1 sur 1"], participation[2]);
        Assert.Contains(paragraphs, p => p.InnerText == "Réalisé : Huit cafés tenus, 63 participations.");
        Assert.Equal("fr-CA", document.PackageProperties.Language);
    }

    [Fact]
    public async Task Narrative_WrittenByTheCoordinator_IsStored_AndShowsInTheReport_WhileAnAnalystMayNotWriteIt()
    {
        await using var app = await StartAsync();
        var coordinator = await app.DashboardClientAsync(EngagementApp.Keys.Coordinator);
        var analyst = await app.DashboardClientAsync(EngagementApp.Keys.Analyst);
        var report = await coordinator.GetStringAsync("/api/dashboard/partnerships/p1/report?from=2026-01-01&to=2026-10-31&lang=fr");
        Assert.Contains("href=\"/api/dashboard/partnerships/p1/report/objectives/O2?from=2026-01-01&amp;to=2026-10-31&amp;lang=fr\"", report, StringComparison.Ordinal);
        Assert.DoesNotContain("/report/objectives/", await analyst.GetStringAsync("/api/dashboard/partnerships/p1/report?lang=fr"), StringComparison.Ordinal);

        using var page = await coordinator.GetAsync("/api/dashboard/partnerships/p1/report/objectives/O2?from=2026-01-01&to=2026-10-31&lang=fr");
        var html = await page.Content.ReadAsStringAsync();
        var token = System.Text.RegularExpressions.Regex.Match(html, "name=\"ef_token\" value=\"([^\"]+)\"").Groups[1].Value;
        var formCookie = page.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("ef_form=", StringComparison.Ordinal)).Split(';')[0];
        Assert.Contains("<label for=\"results\">Résultats obtenus</label>", html, StringComparison.Ordinal);
        using var post = new HttpRequestMessage(HttpMethod.Post, "/api/dashboard/partnerships/p1/report/objectives/O2?from=2026-01-01&to=2026-10-31&lang=fr")
        {
            Content = new FormUrlEncodedContent([new("ef_token", token), new("results", "Trois kiosques tenus.\r\n200 personnes rencontrées."), new("means", "  "), new("adjustments", ""), new("learnings", "Les fêtes de quartier rejoignent les aînés isolés.")]),
        };
        var session = coordinator.DefaultRequestHeaders.GetValues("Cookie").Single();
        coordinator.DefaultRequestHeaders.Remove("Cookie");
        coordinator.DefaultRequestHeaders.Add("Cookie", $"{session}; {formCookie}");

        using var saved = await coordinator.SendAsync(post);

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal("/api/dashboard/partnerships/p1/report?from=2026-01-01&to=2026-10-31&lang=fr", saved.Headers.Location?.OriginalString);
        var objective = (await app.Services.GetRequiredService<IActionPlanStore>().GetPlanAsync("p1")).Objectives.Single(o => o.Id == "O2");
        Assert.Equal(("Trois kiosques tenus.\n200 personnes rencontrées.", (string?)null, (string?)null, "Les fêtes de quartier rejoignent les aînés isolés."), (objective.Results, objective.Means, objective.Adjustments, objective.Learnings));
        Assert.Equal("Faire connaître la politique MADA", objective.Title);
        Assert.Contains("Les fêtes de quartier rejoignent les aînés isolés.", await coordinator.GetStringAsync("/api/dashboard/partnerships/p1/report?lang=fr"), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Forbidden, (await analyst.GetAsync("/api/dashboard/partnerships/p1/report/objectives/O2")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await coordinator.GetAsync("/api/dashboard/partnerships/p1/report/objectives/O9")).StatusCode);
        using var noToken = new HttpRequestMessage(HttpMethod.Post, "/api/dashboard/partnerships/p1/report/objectives/O2") { Content = new FormUrlEncodedContent([new("results", "x")]) };
        Assert.Equal(HttpStatusCode.BadRequest, (await coordinator.SendAsync(noToken)).StatusCode);
    }
}
