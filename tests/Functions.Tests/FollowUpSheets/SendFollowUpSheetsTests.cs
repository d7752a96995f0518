using System.Globalization;
using System.Net;
using Engagement.Core.Domain;
using Engagement.Core.Storage;
using Engagement.Tests;
using Microsoft.Extensions.DependencyInjection;
using static Engagement.Functions.Tests.FollowUpSheets.FollowUpScenario;

namespace Engagement.Functions.Tests.FollowUpSheets;

/// <summary>
/// SendFollowUpSheets over rounds of the schedule, on the app's manual clock, with its e-mails delivered by SendAlerts
/// to a real SMTP server on loopback: asked once a round, reminded once, closed actions left alone, nobody e-mailed twice.
/// </summary>
public sealed class SendFollowUpSheetsTests : IAsyncLifetime
{
    private SmtpSink _sink = null!;
    private EngagementApp _app = null!;

    public async Task InitializeAsync()
    {
        _sink = await SmtpSink.StartAsync();
        _app = await StartAsync(new()
        {
            ["Alerts:Provider"] = "Smtp",
            ["Alerts:From"] = "suivi@engagement.example",
            ["Alerts:Smtp:Host"] = "127.0.0.1",
            ["Alerts:Smtp:Port"] = _sink.Port.ToString(CultureInfo.InvariantCulture),
        });
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _sink.DisposeAsync();
    }

    private async Task RunAsync(string timer)
    {
        using var response = await FollowUpScenario.RunAsync(_app, timer);
        Assert.True(response.IsSuccessStatusCode, $"{timer}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private async Task<IReadOnlyList<ReceivedMail>> DeliveredAsync(int count)
    {
        await RunAsync("SendAlerts");
        await RunAsync("SendAlerts");
        var mails = await _sink.WaitForMessagesAsync(count, TimeSpan.FromSeconds(30));
        Assert.Equal(count, _sink.Messages.Count);
        return mails;
    }

    private static string Id(string action, string organization, DateOnly round) => FollowUpRequest.IdOf(action, organization, round);

    [Fact]
    public async Task Rounds_AskEachOpenActionOnce_RemindOnce_AndAskAgainNextRound()
    {
        // A partnership whose schedule is off is never asked, however many actions it has.
        await SeedAsync(_app, "p2");
        var partnership = (await _app.Services.GetRequiredService<IPartnershipStore>().GetPartnershipAsync("p1"))!;
        Assert.False(partnership.AlertEmails); // the sheets do not follow the alert e-mails' switch

        // First run of the first round: the four open actions that have started, each of its lead; the done action and
        // the one starting next spring are not asked. The vacant organisation's sheet is recorded and e-mails nobody.
        await RunAsync("SendFollowUpSheets");
        var plan = await PlanAsync(_app);
        Assert.Equal(new[] { Id("A1", "cdc", FirstRound), Id("A2", "cdc", FirstRound), Id("A3", "ville", FirstRound), Id("A4", "vacant", FirstRound) }, plan.Requests.Select(r => r.Id).Order(StringComparer.Ordinal));
        Assert.All(plan.Requests, r => Assert.Equal(EngagementApp.Start, r.SentAt));
        Assert.Empty((await PlanAsync(_app, "p2")).Requests);
        var queued = await PendingAsync(_app);
        Assert.Equal(["jean@example.org", "luc@example.org", "marie@example.org"], queued.Select(m => m.Recipient).Order(StringComparer.Ordinal));

        // The same day again: nothing new asked or queued.
        await RunAsync("SendFollowUpSheets");
        Assert.Equal(4, (await PlanAsync(_app)).Requests.Count);
        Assert.Equal(queued.Select(m => m.Id).Order(StringComparer.Ordinal), (await PendingAsync(_app)).Select(m => m.Id).Order(StringComparer.Ordinal));

        // Delivered once each, whatever the number of SendAlerts runs; one e-mail per person listing their actions.
        var mails = await DeliveredAsync(3);
        var marie = mails.Single(m => m.To.Contains("marie@example.org"));
        Assert.Equal("[Suivi] 2 action(s) à mettre à jour — Table p1", marie.Subject);
        Assert.StartsWith("Bonjour Marie Tremblay,", marie.Text, StringComparison.Ordinal);
        Assert.Contains("Publier le bottin des ressources", marie.Text, StringComparison.Ordinal);
        Assert.Contains("Objectif : Briser l’isolement des aînés", marie.Text, StringComparison.Ordinal);
        Assert.Contains("Échéance : 15 décembre 2026", marie.Text, StringComparison.Ordinal);
        Assert.Contains("Sans échéance", marie.Text, StringComparison.Ordinal);
        Assert.Contains("Les liens fonctionnent jusqu’au 20 novembre 2026.", marie.Text, StringComparison.Ordinal);
        Assert.Contains("<html lang=\"fr\">", marie.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", marie.Html, StringComparison.OrdinalIgnoreCase);
        Assert.Equal([(Id("A1", "cdc", FirstRound), "marie"), (Id("A2", "cdc", FirstRound), "marie")], LinksIn(marie.Text).Select(Bound));
        Assert.All(LinksIn(marie.Text), link => Assert.Contains($"href=\"{PublicBaseUrl}{link.Replace("&", "&amp;", StringComparison.Ordinal)}\"", marie.Html, StringComparison.Ordinal));
        var luc = mails.Single(m => m.To.Contains("luc@example.org"));
        Assert.Equal([(Id("A1", "cdc", FirstRound), "luc"), (Id("A2", "cdc", FirstRound), "luc")], LinksIn(luc.Text).Select(Bound));
        var jean = mails.Single(m => m.To.Contains("jean@example.org"));
        Assert.Equal("[Suivi] 1 action(s) à mettre à jour — Table p1", jean.Subject);
        Assert.Equal([(Id("A3", "ville", FirstRound), "jean")], LinksIn(jean.Text).Select(Bound));

        // Marie says the directory is done; four days later nothing is reminded yet.
        var phone = Phone(_app);
        using (var answered = await phone.PostAsync(LinksIn(marie.Text)[0], Form(("status", "done"), ("done", "Bottin imprimé et distribué"))))
        {
            Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        }

        _app.Clock.Advance(TimeSpan.FromDays(4));
        await RunAsync("SendFollowUpSheets");
        Assert.All((await PlanAsync(_app)).Requests, r => Assert.Null(r.RemindedAt));

        // Five days after: the three unanswered sheets are reminded, once, by one e-mail per person.
        _app.Clock.Advance(TimeSpan.FromDays(1));
        await RunAsync("SendFollowUpSheets");
        await RunAsync("SendFollowUpSheets");
        plan = await PlanAsync(_app);
        Assert.Null(plan.Requests.Single(r => r.ActionId == "A1").RemindedAt);
        Assert.All(plan.Requests.Where(r => r.ActionId != "A1"), r => Assert.Equal(_app.Clock.UtcNow, r.RemindedAt));
        var reminders = (await DeliveredAsync(6)).Skip(3).ToList();
        Assert.Equal(["jean@example.org", "luc@example.org", "marie@example.org"], reminders.SelectMany(m => m.To).Order(StringComparer.Ordinal));
        var reminder = reminders.Single(m => m.To.Contains("marie@example.org"));
        Assert.Equal("[Rappel] 1 fiche(s) de suivi en attente — Table p1", reminder.Subject);
        Assert.Contains("les fiches de suivi envoyées le 1 novembre 2026", reminder.Text, StringComparison.Ordinal);
        Assert.Equal([(Id("A2", "cdc", FirstRound), "marie")], LinksIn(reminder.Text).Select(Bound));

        // The next day: no second reminder.
        _app.Clock.Advance(TimeSpan.FromDays(1));
        await RunAsync("SendFollowUpSheets");
        await DeliveredAsync(6);

        // The next round (14 days after the first): asked again, but not the directory, done since.
        var second = FirstRound.AddDays(14);
        _app.Clock.UtcNow = EngagementApp.Start.AddDays(14);
        await RunAsync("SendFollowUpSheets");
        await RunAsync("SendFollowUpSheets");
        plan = await PlanAsync(_app);
        Assert.Equal(new[] { Id("A2", "cdc", second), Id("A3", "ville", second), Id("A4", "vacant", second) }, plan.Requests.Where(r => r.Round == second).Select(r => r.Id).Order(StringComparer.Ordinal));
        var next = (await DeliveredAsync(9)).Skip(6).ToList();
        Assert.All(next, m => Assert.StartsWith("[Suivi] 1 action(s)", m.Subject, StringComparison.Ordinal));
        Assert.Equal(9, _sink.Messages.Select(m => m.MessageId).Distinct().Count());
    }

    [Fact]
    public async Task ACrashAfterTheRequestsWereRecorded_LosesNoEmail_AndAServerDown_SendsEachOnceWhenBack()
    {
        // A run recorded the directory's sheet, then stopped before writing any e-mail.
        await Plans(_app).AddRequestAsync(new FollowUpRequest { PartnershipId = "p1", ActionId = "A1", OrganizationId = "cdc", Round = FirstRound, SentAt = _app.Clock.UtcNow });
        _app.Clock.Advance(TimeSpan.FromMinutes(1));

        // The next run asks the rest and queues every e-mail missing: each action reaches each person exactly once.
        await RunAsync("SendFollowUpSheets");
        await RunAsync("SendFollowUpSheets");
        var queued = await PendingAsync(_app);
        var sheets = queued.SelectMany(m => LinksIn(m.Text).Select(Bound)).ToList();
        Assert.Equal(sheets.Count, sheets.Distinct().Count());
        Assert.Equal(
            new[] { ("A1", "luc"), ("A1", "marie"), ("A2", "luc"), ("A2", "marie"), ("A3", "jean") },
            sheets.Select(s => (s.Request.Split('.')[0], s.Person)).Order());

        // The mail server is down: the e-mails stay in the outbox, and go once each when it is back.
        await _sink.StopAsync();
        using (var failed = await FollowUpScenario.RunAsync(_app, "SendAlerts"))
        {
            Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        }

        Assert.All(await PendingAsync(_app), m => Assert.Equal(1, m.Attempts));
        await _sink.RestartAsync();
        await RunAsync("SendFollowUpSheets");
        var mails = await DeliveredAsync(queued.Count);
        Assert.Equal(queued.Select(m => m.MessageId).Order(StringComparer.Ordinal), mails.Select(m => m.MessageId!).Order(StringComparer.Ordinal));
        Assert.Empty(await PendingAsync(_app));
    }

    [Fact]
    public async Task AnEnglishPartnership_GetsItsSheetsInEnglish()
    {
        var partnerships = _app.Services.GetRequiredService<IPartnershipStore>();
        var partnership = (await partnerships.GetPartnershipAsync("p1"))!;
        await partnerships.UpsertPartnershipAsync(partnership with { Language = PartnershipLanguage.English, Name = "Seniors' Round Table" });

        await RunAsync("SendFollowUpSheets");
        var mails = await DeliveredAsync(3);

        var jean = mails.Single(m => m.To.Contains("jean@example.org"));
        Assert.Equal("[Follow-up] 1 action(s) to update — Seniors' Round Table", jean.Subject);
        Assert.StartsWith("Hello Jean Roy,", jean.Text, StringComparison.Ordinal);
        Assert.Contains("Due: March 31, 2027", jean.Text, StringComparison.Ordinal);
        Assert.Contains("<html lang=\"en\">", jean.Html, StringComparison.Ordinal);
    }
}
