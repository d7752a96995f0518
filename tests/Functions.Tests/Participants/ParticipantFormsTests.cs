using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Engagement.Core.Domain;
using static Engagement.Functions.Tests.Participants.ParticipantScenario;

namespace Engagement.Functions.Tests.Participants;

/// <summary>
/// The forms participants answer from a signed link: a meeting's feedback (the partnership's own questions) and the CACIS
/// diagnostic the coordinator opens. Both are stored as form submissions of the shape Microsoft Forms' have (compared
/// with one posted the Power Automate way), once per respondent whatever the double submits, and the dashboard's CACIS
/// wheel counts them.
/// </summary>
public sealed partial class ParticipantFormsTests
{
    private static readonly object FeedbackForm = new
    {
        partnershipId = "p1",
        kind = "feedback",
        title = "Retour sur la rencontre",
        questions = new object[]
        {
            new { key = "utile", kind = "scale", text = "La rencontre m’a été utile.", textEn = "The meeting was useful to me.", required = true },
            new { key = "format", kind = "choice", text = "Le format à privilégier", choices = new object[] { new { text = "En personne", textEn = "In person" }, new { text = "Hybride", textEn = "Hybrid" } } },
            new { key = "idees", kind = "text", text = "Vos idées pour la prochaine fois" },
        },
    };

    private static async Task<string> FeedbackLinkAsync(EngagementApp app)
    {
        (await app.Admin().PutAsJsonAsync("/api/forms/retour", FeedbackForm)).EnsureSuccessStatusCode();
        var link = await app.ClientWithKey(EngagementApp.Keys.Coordinator).GetFromJsonAsync<JsonElement>("/api/partnerships/p1/meetings/today/feedback-link");
        Assert.Equal("retour", link.GetProperty("formId").GetString());
        return PathOf(link.GetProperty("url").GetString()!);
    }

    private static async Task<string> DiagnosticLinkAsync(EngagementApp app, object? body = null)
    {
        using var opened = await app.ClientWithKey(EngagementApp.Keys.Coordinator).PostAsJsonAsync("/api/partnerships/p1/diagnostics", body ?? new { until = "2026-11-20" });
        Assert.True(opened.IsSuccessStatusCode, await opened.Content.ReadAsStringAsync());
        return PathOf((await opened.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("url").GetString()!);
    }

    [GeneratedRegex("name=\"t\" value=\"(\\d+)\"")]
    private static partial Regex OpenedAt();

    [Fact]
    public async Task PutForm_WithQuestions_IsReadBack_AndABadQuestionIs400NamingIt()
    {
        await using var app = await StartAsync();
        (await app.Admin().PutAsJsonAsync("/api/forms/retour", FeedbackForm)).EnsureSuccessStatusCode();

        var form = await app.Admin().GetFromJsonAsync<JsonElement>("/api/forms/retour");
        using var bad = await app.Admin().PutAsJsonAsync("/api/forms/autre", new
        {
            partnershipId = "p1",
            kind = "feedback",
            questions = new object[] { new { key = "q", kind = "choice", text = "Un seul choix", choices = new object[] { new { text = "Oui" } } }, new { key = "responseId", kind = "text", text = "?" } },
        });

        Assert.Equal(["utile", "format", "idees"], form.GetProperty("questions").EnumerateArray().Select(q => q.GetProperty("key").GetString()));
        Assert.Equal("Hybrid", form.GetProperty("questions")[1].GetProperty("choices")[1].GetProperty("textEn").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("questions[0].choices", out _));
        Assert.True(errors.TryGetProperty("questions[1].key", out _));
    }

    [Fact]
    public async Task Feedback_IsStoredAsAFormSubmission_OncePerRespondent_WhateverTheDoubleSubmits()
    {
        await using var app = await StartAsync();
        var link = await FeedbackLinkAsync(app);
        var page = await (await Phone(app).GetAsync(link + "&o=cdc")).Content.ReadAsStringAsync();
        Assert.Contains("La rencontre m’a été utile.", page, StringComparison.Ordinal);
        var openedAt = OpenedAt().Match(page).Groups[1].Value;
        var answers = Form(("o", "cdc"), ("t", openedAt), ("person", "marie"), ("q.utile", "4"), ("q.format", "1"), ("q.idees", "Plus de temps\r\npour échanger"));

        app.Clock.Advance(TimeSpan.FromMinutes(3));
        var posts = await Task.WhenAll(Phone(app).PostAsync(link + "&o=cdc", answers), Phone(app).PostAsync(link + "&o=cdc", answers));

        Assert.All(posts, p => Assert.Equal(HttpStatusCode.OK, p.StatusCode));
        Assert.Contains("Merci, Marie Tremblay", await posts[0].Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var stored = Assert.Single(await SubmissionsAsync(app));
        Assert.Equal(("retour", FormKind.Feedback, "marie", (string?)null, EngagementApp.Start), (stored.FormId, stored.Kind, stored.RespondentPersonId, stored.RespondentEmail, stored.SubmittedAt));
        Assert.StartsWith("today.", stored.ResponseId, StringComparison.Ordinal);
        Assert.DoesNotContain("marie", stored.ResponseId, StringComparison.Ordinal);
        Assert.Equal(new Dictionary<string, string[]> { ["format"] = ["Hybride"], ["idees"] = ["Plus de temps\npour échanger"], ["utile"] = ["4"] }, stored.Answers.ToDictionary(a => a.Key, a => a.Value.ToArray()));
        Assert.Null(stored.DiagnosticItems);

        // Answering again later replaces the answer rather than adding one.
        await Phone(app).PostAsync(link + "&o=cdc", Form(("o", "cdc"), ("person", "marie"), ("q.utile", "5")));
        Assert.Equal(["5"], Assert.Single(await SubmissionsAsync(app)).Answers["utile"]);
    }

    [Fact]
    public async Task Feedback_WithoutARequiredAnswer_ComesBackWithWhatWasTyped_AndStoresNothing()
    {
        await using var app = await StartAsync();
        var link = await FeedbackLinkAsync(app);

        using var refused = await Phone(app).PostAsync(link + "&o=cdc&lang=en", Form(("o", "cdc"), ("person", "marie"), ("q.format", "7"), ("q.idees", "Gardez <b>ceci</b>")));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var html = await refused.Content.ReadAsStringAsync();
        Assert.Contains("Please answer: The meeting was useful to me.", html, StringComparison.Ordinal);
        Assert.Contains("Answer not valid: Le format à privilégier", html, StringComparison.Ordinal);
        Assert.Contains("Gardez &lt;b&gt;ceci&lt;/b&gt;</textarea>", html, StringComparison.Ordinal);
        Assert.Contains("value=\"marie\" checked", html, StringComparison.Ordinal);
        Assert.Empty(await SubmissionsAsync(app));
    }

    [Fact]
    public async Task Feedback_ForAMeetingItWasNotSignedFor_IsRefused()
    {
        await using var app = await StartAsync();
        await AddMeetingAsync(app, "other", MeetingStart);
        var link = await FeedbackLinkAsync(app);

        using var refused = await Phone(app).PostAsync(link.Replace("m=today", "m=other", StringComparison.Ordinal) + "&o=cdc", Form(("o", "cdc"), ("person", "marie"), ("q.utile", "4")));

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Empty(await SubmissionsAsync(app));
    }

    [Fact]
    public async Task Diagnostic_OpenedByTheCoordinator_AsksTheEighteenItems_AndStoresThemLikeMicrosoftForms()
    {
        await using var app = await StartAsync();
        var link = await DiagnosticLinkAsync(app);
        var page = await (await Phone(app).GetAsync(link + "&o=cdc")).Content.ReadAsStringAsync();
        Assert.Equal(18, Regex.Matches(page, "<fieldset class=\"question item\"").Count);
        Assert.Equal(18 * 3, Regex.Matches(page, "type=\"radio\" id=\"item-").Count);
        Assert.Contains("Les organisations autour de la table couvrent", page, StringComparison.Ordinal);

        var letters = Enumerable.Range(1, 18).Select(i => i % 3 == 0 ? "C" : i % 2 == 0 ? "B" : "A").ToList();
        using var answered = await Phone(app).PostAsync(link + "&o=cdc", Form([("o", "cdc"), ("person", "marie"), .. letters.Select((l, i) => ($"item{i + 1}", l))]));

        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        var ours = Assert.Single(await SubmissionsAsync(app));
        Assert.Equal((FormKind.Diagnostic, "marie"), (ours.Kind, ours.RespondentPersonId));
        Assert.Equal(Enumerable.Range(1, 18).ToDictionary(i => i, i => Enum.Parse<DiagnosticAnswer>(letters[i - 1])), ours.DiagnosticItems);

        // The same answers posted as Power Automate posts a Microsoft Forms response are stored in the same shape.
        var body = new Dictionary<string, object> { ["formId"] = ours.FormId, ["responseId"] = "forms-1", ["submittedAt"] = "2026-11-01T12:00:00Z", ["respondentPersonId"] = "jean", ["answers"] = ours.Answers.ToDictionary(a => a.Key, a => a.Value[0]) };
        (await app.ClientWithKey(EngagementApp.Keys.Ingest).PostAsJsonAsync("/api/forms/submissions", body)).EnsureSuccessStatusCode();
        var forms = Assert.Single(await SubmissionsAsync(app), s => s.ResponseId == "forms-1");
        Assert.Equal(ours.Answers.ToDictionary(a => a.Key, a => a.Value.ToArray()), forms.Answers.ToDictionary(a => a.Key, a => a.Value.ToArray()));
        Assert.Equal(ours.DiagnosticItems, forms.DiagnosticItems);
        Assert.Equal(ours with { ResponseId = "x", RespondentPersonId = "x", Answers = forms.Answers, DiagnosticItems = forms.DiagnosticItems }, forms with { ResponseId = "x", RespondentPersonId = "x" });
    }

    [Fact]
    public async Task Diagnostic_WithAnItemMissing_SaysWhich_AndStoresNothing()
    {
        await using var app = await StartAsync();
        var link = await DiagnosticLinkAsync(app);

        using var refused = await Phone(app).PostAsync(link + "&o=cdc", Form([("o", "cdc"), ("person", "marie"), .. Enumerable.Range(1, 17).Select(i => ($"item{i}", "A"))]));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("Répondez à l’énoncé 18", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(await SubmissionsAsync(app));
    }

    [Fact]
    public async Task Diagnostic_AfterItsLastDay_IsExpired()
    {
        await using var app = await StartAsync();
        var link = await DiagnosticLinkAsync(app, new { until = "2026-11-02" });

        app.Clock.Advance(TimeSpan.FromDays(2));
        using var expired = await Phone(app).GetAsync(link + "&o=cdc");

        Assert.Equal(HttpStatusCode.Gone, expired.StatusCode);
    }

    [Fact]
    public async Task OpenDiagnostic_PastTheLongestAllowed_Is400NamingUntil()
    {
        await using var app = await StartAsync();

        using var refused = await app.ClientWithKey(EngagementApp.Keys.Coordinator).PostAsJsonAsync("/api/partnerships/p1/diagnostics", new { until = "2027-06-01" });

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.True((await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("until", out _));
    }

    [Fact]
    public async Task FiveCommunityRespondents_MakeAGroupOfTheDashboardsCacisWheel()
    {
        await using var app = await StartAsync();
        var ids = Enumerable.Range(1, 5).Select(i => $"c{i}").ToList();
        (await app.Admin().PostAsJsonAsync("/api/partnerships/p1/organizations", ids.Select(id => new { id = "org-" + id, name = "Organisme " + id, sector = "community" }))).EnsureSuccessStatusCode();
        (await app.Admin().PostAsJsonAsync("/api/partnerships/p1/people", ids.Select(id => new { id, displayName = "Personne " + id }))).EnsureSuccessStatusCode();
        (await app.Admin().PostAsJsonAsync("/api/partnerships/p1/representations", ids.Select(id => new { organizationId = "org-" + id, personId = id, from = "2025-01-01" }))).EnsureSuccessStatusCode();
        var link = await DiagnosticLinkAsync(app);

        foreach (var id in ids)
        {
            using var answered = await Phone(app).PostAsync($"{link}&o=org-{id}", Form([("o", "org-" + id), ("person", id), .. Enumerable.Range(1, 18).Select(i => ($"item{i}", i <= 6 ? "A" : "B"))]));
            Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        }

        var (_, _, html, _) = await DashboardPageAsync(app, EngagementApp.Keys.Coordinator, "/api/dashboard/partnerships/p1?period=all");
        Assert.Matches("<polygon[^>]*>\\s*<title>communautaire</title>", html);
        Assert.Equal(5, (await SubmissionsAsync(app)).Count(s => s.Kind == FormKind.Diagnostic && s.DiagnosticItems!.Count == 18));
    }

    [Fact]
    public async Task DiagnosticPage_OfTheDashboard_OpensWithItsAntiforgeryField_AndShowsTheQrCode()
    {
        await using var app = await StartAsync();
        var (client, token, html, _) = await DashboardPageAsync(app, EngagementApp.Keys.Coordinator, "/api/dashboard/partnerships/p1/diagnostic?lang=en");
        Assert.Contains("type=\"date\"", html, StringComparison.Ordinal);

        using var opened = await client.PostAsync("/api/dashboard/partnerships/p1/diagnostic?lang=en", Form(("ef_token", token), ("until", "2026-11-15")));

        Assert.Equal(HttpStatusCode.Redirect, opened.StatusCode);
        var page = await (await client.GetAsync(opened.Headers.Location!.ToString())).Content.ReadAsStringAsync();
        Assert.Contains("<svg class=\"qr\"", page, StringComparison.Ordinal);
        Assert.Contains("http://localhost/api/diagnostic?p=p1&amp;f=cacis-20261101-p1", page, StringComparison.Ordinal);
        Assert.DoesNotContain(" style=", page, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync("/api/dashboard/partnerships/p1/diagnostic?lang=en", Form(("until", "2026-11-15")))).StatusCode);
    }
}
