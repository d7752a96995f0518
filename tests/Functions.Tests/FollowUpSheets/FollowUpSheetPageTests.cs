using System.Net;
using Engagement.Core.Domain;
using Engagement.Functions.FollowUpSheets;
using static Engagement.Functions.Tests.FollowUpSheets.FollowUpScenario;

namespace Engagement.Functions.Tests.FollowUpSheets;

/// <summary>The follow-up sheet's page, from the link of an e-mail the timer queued: shown, refused, answered once.</summary>
public sealed class FollowUpSheetPageTests : IAsyncLifetime
{
    private static readonly string A1 = FollowUpRequest.IdOf("A1", "cdc", FirstRound);
    private EngagementApp _app = null!;

    public async Task InitializeAsync()
    {
        _app = await StartAsync();
        using var run = await FollowUpScenario.RunAsync(_app, "SendFollowUpSheets");
        run.EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private static async Task<string> HtmlAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {html}");
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        return html;
    }

    private async Task<IReadOnlyList<ActionUpdate>> SheetUpdatesAsync() =>
        [.. (await PlanAsync(_app)).Updates.Where(u => u.Source == ActionUpdateSource.Sheet)];

    [Fact]
    public async Task TheSheet_ShowsTheAction_AndAnAnswerIsStoredOnce_EvenSentTwice()
    {
        var link = await LinkAsync(_app, A1, "marie");
        var phone = Phone(_app);

        var page = await HtmlAsync(await phone.GetAsync(link), HttpStatusCode.OK);
        Assert.Contains("<h1>Fiche de suivi</h1>", page, StringComparison.Ordinal);
        Assert.Contains("Vous répondez pour CDC Centre-Sud, en tant que Marie Tremblay.", page, StringComparison.Ordinal);
        Assert.Contains("<h2 id=\"action-title\">Publier le bottin des ressources</h2>", page, StringComparison.Ordinal);
        Assert.Contains("<time datetime=\"2026-12-15\">15 décembre 2026</time>", page, StringComparison.Ordinal);
        Assert.Contains("Bottin imprimé (500 exemplaires)", page, StringComparison.Ordinal);
        Assert.Contains("<dd>Ville de Montréal</dd>", page, StringComparison.Ordinal);
        Assert.Contains("<legend>Où en est l’action ?", page, StringComparison.Ordinal);
        Assert.Equal(5, System.Text.RegularExpressions.Regex.Matches(page, "<input type=\"radio\"[^>]* name=\"status\"").Count);
        Assert.Contains("<label for=\"obstacles\">Les obstacles rencontrés</label>", page, StringComparison.Ordinal);
        Assert.DoesNotContain(" style=", page, StringComparison.Ordinal);

        using var sent = await phone.PostAsync(link, Form(("status", "late"), ("done", "Maquette prête\r\nTextes relus"), ("obstacles", "L’imprimeur a du retard"), ("help", "")));
        var thanks = await HtmlAsync(sent, HttpStatusCode.OK);
        Assert.Contains("<h1>Fiche de suivi envoyée</h1>", thanks, StringComparison.Ordinal);
        Assert.Contains("Merci, Marie Tremblay !", thanks, StringComparison.Ordinal);
        Assert.Contains("<dd>En retard</dd>", thanks, StringComparison.Ordinal);

        var update = Assert.Single(await SheetUpdatesAsync());
        Assert.Equal(FollowUpSheetPages.UpdateId(new FollowUpRequest { PartnershipId = "p1", ActionId = "A1", OrganizationId = "cdc", Round = FirstRound, SentAt = default }), update.Id);
        Assert.Equal(("A1", ActionStatus.Late, "cdc", "marie", EngagementApp.Start), (update.ActionId, update.Status, update.OrganizationId, update.PersonId, update.At));
        Assert.Equal(("Maquette prête\nTextes relus", "L’imprimeur a du retard", (string?)null), (update.Done, update.Obstacles, update.HelpNeeded));
        var request = (await PlanAsync(_app)).Requests.Single(r => r.Id == A1);
        Assert.Equal((EngagementApp.Start, update.Id), (request.AnsweredAt!.Value, request.UpdateId));

        // The same page sent again (a double tap, a reload) thanks again and stores nothing more.
        _app.Clock.Advance(TimeSpan.FromMinutes(1));
        using var again = await phone.PostAsync(link, Form(("status", "done")));
        Assert.Contains("<h1>Fiche de suivi envoyée</h1>", await HtmlAsync(again, HttpStatusCode.OK), StringComparison.Ordinal);
        Assert.Equal(update, Assert.Single(await SheetUpdatesAsync()));

        // Opened later, by Marie or by her colleague: already answered, by whom, and what.
        var later = await HtmlAsync(await phone.GetAsync(link + "&lang=en"), HttpStatusCode.OK);
        Assert.Contains("<h1>Sheet already answered</h1>", later, StringComparison.Ordinal);
        Assert.Contains("This sheet was answered by Marie Tremblay on November 1, 2026.", later, StringComparison.Ordinal);
        Assert.Contains("<dd>L’imprimeur a du retard</dd>", later, StringComparison.Ordinal);
        var colleague = await LinkAsync(_app, A1, "luc");
        using var second = await phone.PostAsync(colleague, Form(("status", "on-track")));
        Assert.Contains("Cette fiche a été remplie par Marie Tremblay le 1 novembre 2026.", await HtmlAsync(second, HttpStatusCode.Conflict), StringComparison.Ordinal);
        Assert.Single(await SheetUpdatesAsync());
    }

    [Fact]
    public async Task AnIncompleteSheet_ComesBackNamingTheField_WithWhatWasWritten_AndStoresNothing()
    {
        var link = await LinkAsync(_app, A1, "marie");
        var phone = Phone(_app);

        using var noStatus = await phone.PostAsync(link, Form(("done", "Maquette prête"), ("obstacles", new string('x', FollowUpSheetPages.MaxText + 1))));
        var page = await HtmlAsync(noStatus, HttpStatusCode.BadRequest);
        Assert.Contains("<title>Il reste à corriger — Fiche de suivi", page, StringComparison.Ordinal);
        Assert.Contains("<a href=\"#status\">Choisissez où en est l’action.</a>", page, StringComparison.Ordinal);
        Assert.Contains("<a href=\"#obstacles\">Les obstacles rencontrés : 2000 caractères au plus.</a>", page, StringComparison.Ordinal);
        Assert.Contains("<fieldset id=\"status\" class=\"question\" aria-describedby=\"status-error\" aria-invalid=\"true\">", page, StringComparison.Ordinal);
        Assert.Contains("aria-describedby=\"obstacles-error obstacles-help\" aria-invalid=\"true\"", page, StringComparison.Ordinal);
        Assert.Contains(">Maquette prête</textarea>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("aria-describedby=\"done-error", page, StringComparison.Ordinal);

        using var unknown = await phone.PostAsync(link + "&lang=en", Form(("status", "maybe")));
        Assert.Contains("<a href=\"#status\">Where does the action stand?: choose one of the five answers.</a>", await HtmlAsync(unknown, HttpStatusCode.BadRequest), StringComparison.Ordinal);

        using var notAForm = await phone.PostAsync(link, new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));
        await HtmlAsync(notAForm, HttpStatusCode.BadRequest);
        Assert.Empty(await SheetUpdatesAsync());
        Assert.All((await PlanAsync(_app)).Requests, r => Assert.Null(r.AnsweredAt));
    }

    [Fact]
    public async Task ALinkExpiredTamperedOrOfAnotherPartnership_IsRefusedWithAPage_AndStoresNothing()
    {
        var link = await LinkAsync(_app, A1, "marie");
        var phone = Phone(_app);

        // Tampered with: another person, another request, another partnership, or no signature.
        foreach (var tampered in new[]
        {
            link.Replace("w=marie", "w=luc", StringComparison.Ordinal),
            link.Replace("r=A1.", "r=A2.", StringComparison.Ordinal),
            link.Replace("p=p1", "p=p2", StringComparison.Ordinal),
            link.Split("&s=")[0],
        })
        {
            Assert.Contains("<h1>Lien non valide</h1>", await HtmlAsync(await phone.GetAsync(tampered), HttpStatusCode.Forbidden), StringComparison.Ordinal);
            Assert.Contains("<h1>Lien non valide</h1>", await HtmlAsync(await phone.PostAsync(tampered, Form(("status", "done"))), HttpStatusCode.Forbidden), StringComparison.Ordinal);
        }

        // Another partnership's link, signed for its own request, opens nothing of p1 even with p1's request id.
        await SeedAsync(_app, "p2");
        await Plans(_app).SetScheduleAsync(Schedule with { PartnershipId = "p2" });
        using (var run = await FollowUpScenario.RunAsync(_app, "SendFollowUpSheets"))
        {
            run.EnsureSuccessStatusCode();
        }

        var other = await LinkAsync(_app, FollowUpRequest.IdOf("A3", "ville", FirstRound), "jean", "p2");
        Assert.Contains("Table p2", await HtmlAsync(await phone.GetAsync(other), HttpStatusCode.OK), StringComparison.Ordinal);
        var links = (Engagement.Functions.Participants.ParticipantLinks)_app.Services.GetService(typeof(Engagement.Functions.Participants.ParticipantLinks))!;
        var forged = "/api/follow-up?" + links.Query(new Engagement.Functions.Participants.ParticipantLink(Engagement.Functions.Participants.LinkPurpose.FollowUp, "p2", null, null, _app.Clock.UtcNow.AddDays(1).ToUnixTimeSeconds(), "A9.cdc.20261101", "marie"));
        Assert.Contains("<h1>Page introuvable</h1>", await HtmlAsync(await phone.GetAsync(forged), HttpStatusCode.NotFound), StringComparison.Ordinal);

        // Expired: the end of the day the next round starts, plus the reminder's 5 days (Montréal).
        _app.Clock.UtcNow = new DateTimeOffset(2026, 11, 21, 4, 59, 59, TimeSpan.Zero);
        await HtmlAsync(await phone.GetAsync(link), HttpStatusCode.OK);
        _app.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Contains("<h1>Lien expiré</h1>", await HtmlAsync(await phone.GetAsync(link), HttpStatusCode.Gone), StringComparison.Ordinal);
        Assert.Contains("<h1>Link expired</h1>", await HtmlAsync(await phone.PostAsync(link + "&lang=en", Form(("status", "done"))), HttpStatusCode.Gone), StringComparison.Ordinal);
        Assert.Empty(await SheetUpdatesAsync());
    }
}
