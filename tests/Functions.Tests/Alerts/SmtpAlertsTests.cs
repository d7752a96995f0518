using System.Net;
using System.Text;
using Engagement.Analytics.Synthetic;
using Engagement.Core.Alerts;
using Engagement.Core.Domain;
using Engagement.Core.Storage;
using Engagement.Tests;
using Microsoft.Extensions.DependencyInjection;

namespace Engagement.Functions.Tests.Alerts;

/// <summary>Alerts end to end: a synthetic dataset scored, e-mails delivered to a real SMTP server on loopback.</summary>
public sealed class SmtpAlertsTests : IAsyncLifetime
{
    private SmtpSink _sink = null!;
    private EngagementApp _app = null!;

    public async Task InitializeAsync()
    {
        _sink = await SmtpSink.StartAsync();
        _app = new EngagementApp(settings: new()
        {
            ["Alerts:Provider"] = "Smtp",
            ["Alerts:From"] = "alertes@engagement.example",
            ["Alerts:Smtp:Host"] = "127.0.0.1",
            ["Alerts:Smtp:Port"] = _sink.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Alerts:PublicBaseUrl"] = "https://engagement.example.org",
            ["Alerts:SigningKey"] = Convert.ToBase64String(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray()),
        });
        _app.Clock.UtcNow = new DateTimeOffset(2026, 3, 2, 12, 0, 0, TimeSpan.Zero);
        var dataset = SyntheticGenerator.Generate(new SyntheticOptions { Seed = 5, Partnerships = 3, Months = 24, Start = new DateOnly(2024, 3, 1) });
        var store = _app.Services.GetRequiredService<EngagementStores>();
        foreach (var history in dataset.Partnerships)
        {
            var id = history.Partnership.Id;
            // E-mails on, as their coordinators would have set them. The second partnership works in English.
            var partnership = history.Partnership with { AlertEmails = true };
            await store.Partnerships.UpsertPartnershipAsync(id == "syn-p02" ? partnership with { Language = PartnershipLanguage.English } : partnership);
            await store.Roster.UpsertOrganizationsAsync(id, history.Organizations);
            await store.Roster.UpsertPeopleAsync(id, [.. dataset.People.Where(p => p.PartnershipId == id)]);
            await store.Roster.UpsertRepresentationsAsync(id, history.Representations);
            await store.Attendance.UpsertMeetingsAsync(id, history.Meetings);
            await store.Attendance.UpsertAttendanceAsync(id, history.Attendance);
        }
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _sink.DisposeAsync();
    }

    private async Task<HttpResponseMessage> RunAsync(string timer) =>
        await _app.Admin().PostAsync($"/{timer}", new StringContent("""{"Data":{"timer":{"IsPastDue":false}},"Metadata":{}}""", Encoding.UTF8, "application/json"));

    private async Task<List<AlertNotification>> PendingAsync()
    {
        var store = _app.Services.GetRequiredService<EngagementStores>();
        var pending = new List<AlertNotification>();
        foreach (var p in new[] { "syn-p01", "syn-p02", "syn-p03" })
        {
            pending.AddRange(await store.Alerts.ListPendingNotificationsAsync(p));
        }

        return pending;
    }

    [Fact]
    public async Task ScoreAndSend_DeliversEachAlertOnceInThePartnershipsLanguage()
    {
        (await RunAsync("ScoreRisk")).EnsureSuccessStatusCode();
        var queued = await PendingAsync();
        Assert.NotEmpty(queued);
        // One e-mail per partnership and coordinator for the run, however many of its organisations it alerts on.
        Assert.Equal(queued.Count, queued.Select(q => (q.PartnershipId, q.Recipient)).Distinct().Count());

        (await RunAsync("SendAlerts")).EnsureSuccessStatusCode();
        var mails = await _sink.WaitForMessagesAsync(queued.Count, TimeSpan.FromSeconds(30));

        Assert.Equal(queued.Select(q => q.MessageId).Order(), mails.Select(m => m.MessageId).Order());
        var partnershipOf = queued.ToDictionary(q => q.MessageId, q => q.PartnershipId);
        var french = mails.Where(m => partnershipOf[m.MessageId!] != "syn-p02").ToList();
        var english = mails.Where(m => partnershipOf[m.MessageId!] == "syn-p02").ToList();
        Assert.NotEmpty(french);
        Assert.NotEmpty(english);
        Assert.All(french, m => Assert.Matches(@"^\[Risque (élevé|moyen)\] .+ — \[Synthétique\]", m.Subject));
        Assert.All(french, m => Assert.Contains("Pistes d’action", m.Text, StringComparison.Ordinal));
        Assert.All(english, m => Assert.Matches(@"^\[(High|Medium) risk\] .+ — \[Synthétique\]", m.Subject));
        Assert.All(english, m => Assert.Contains("What you could do", m.Text, StringComparison.Ordinal));
        // The HTML part comes from the components, with the app's encoder: French written as French, not as references.
        Assert.All(french, m => Assert.Contains("<html lang=\"fr\">", m.Html, StringComparison.Ordinal));
        Assert.All(french, m => Assert.Contains("Pistes d’action</h3>", m.Html, StringComparison.Ordinal));
        Assert.All(english, m => Assert.Contains("What you could do</h3>", m.Html, StringComparison.Ordinal));
        Assert.All(mails, m => Assert.DoesNotContain("&#xE9;", m.Html, StringComparison.OrdinalIgnoreCase));
        Assert.All(mails, m => Assert.Contains("https://engagement.example.org/api/dashboard/partnerships/syn-p0", m.Html, StringComparison.Ordinal));
        Assert.All(mails, m => Assert.DoesNotContain("<script", m.Html, StringComparison.OrdinalIgnoreCase));
        Assert.Empty(await PendingAsync());

        // The same day again: alerts are updated, nobody is e-mailed twice.
        (await RunAsync("ScoreRisk")).EnsureSuccessStatusCode();
        (await RunAsync("SendAlerts")).EnsureSuccessStatusCode();
        Assert.Equal(mails.Count, _sink.Messages.Count);
    }

    [Fact]
    public async Task SmtpServerDown_EmailsStayPending_AndGoOutOnceWhenItIsBack()
    {
        (await RunAsync("ScoreRisk")).EnsureSuccessStatusCode();
        var queued = await PendingAsync();
        await _sink.StopAsync();

        var failed = await RunAsync("SendAlerts");
        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        var stillPending = await PendingAsync();
        Assert.Equal(queued.Count, stillPending.Count);
        Assert.All(stillPending, n => Assert.Equal(1, n.Attempts));
        Assert.All(stillPending, n => Assert.NotNull(n.LastError));

        await _sink.RestartAsync();
        (await RunAsync("SendAlerts")).EnsureSuccessStatusCode();
        (await RunAsync("SendAlerts")).EnsureSuccessStatusCode();
        var mails = await _sink.WaitForMessagesAsync(queued.Count, TimeSpan.FromSeconds(30));
        Assert.Equal(queued.Count, mails.Count);
        Assert.Equal(queued.Count, mails.Select(m => m.MessageId).Distinct().Count());
        Assert.Empty(await PendingAsync());
    }

    [Fact]
    public async Task AlertsApi_ListAcknowledgeResolve()
    {
        (await RunAsync("ScoreRisk")).EnsureSuccessStatusCode();
        var coordinator = _app.ClientWithKey(EngagementApp.Keys.Coordinator);
        var open = await Problem.JsonAsync(await coordinator.GetAsync("/api/alerts?partnershipId=syn-p01&status=open"));
        var first = open.EnumerateArray().First();
        var id = first.GetProperty("id").GetString()!;

        var acknowledged = await Problem.JsonAsync(await coordinator.PostAsync($"/api/alerts/syn-p01/{id}/acknowledge", null));
        Assert.Equal("acknowledged", acknowledged.GetProperty("status").GetString());
        Assert.Equal("coordinator", acknowledged.GetProperty("acknowledgedBy").GetString());
        var resolved = await Problem.JsonAsync(await coordinator.PostAsync($"/api/alerts/syn-p01/{id}/resolve", null));
        Assert.Equal("resolved", resolved.GetProperty("status").GetString());
        await Problem.AssertAsync(await coordinator.PostAsync("/api/alerts/syn-p01/nothing.falling-attendance/resolve", null), HttpStatusCode.NotFound, "alertId");
        await Problem.AssertAsync(await coordinator.GetAsync("/api/alerts?status=maybe"), HttpStatusCode.BadRequest, "status");
    }

    [Fact]
    public async Task AcknowledgeLink_InTheEmail_ConfirmsThenAcknowledges_AndRefusesTamperingAndExpiry()
    {
        (await RunAsync("ScoreRisk")).EnsureSuccessStatusCode();
        (await RunAsync("SendAlerts")).EnsureSuccessStatusCode();
        var mail = (await _sink.WaitForMessagesAsync(1, TimeSpan.FromSeconds(30)))[0];
        var link = System.Text.RegularExpressions.Regex.Match(mail.Text ?? string.Empty, @"https://engagement\.example\.org(/api/acknowledge\?\S+)").Groups[1].Value;
        Assert.NotEmpty(link);
        var anonymous = _app.CreateClient();

        // Opening the link (or a mail scanner prefetching it) only shows a confirmation page.
        var page = await anonymous.GetAsync(link);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<form method=\"post\"", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var query = System.Web.HttpUtility.ParseQueryString(new Uri("https://x" + link).Query);
        var store = _app.Services.GetRequiredService<EngagementStores>();
        Assert.Equal(AlertStatus.Open, (await store.Alerts.ListAlertsAsync(query["p"]!)).Single(a => a.Id == query["a"]).Status);

        var tampered = link.Replace("&s=", "&s=x", StringComparison.Ordinal);
        await Problem.AssertAsync(await anonymous.PostAsync(tampered, null), HttpStatusCode.Forbidden);
        // A browser opening a refused link from the e-mail gets a page that says so, in either language.
        var browser = _app.CreateClient();
        browser.DefaultRequestHeaders.Accept.ParseAdd("text/html");
        using var refusedPage = await browser.GetAsync(tampered);
        Assert.Equal(HttpStatusCode.Forbidden, refusedPage.StatusCode);
        Assert.Equal("text/html", refusedPage.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<h1>Lien non valide</h1>", await refusedPage.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var confirmed = await anonymous.PostAsync(link, null);
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        var alert = (await store.Alerts.ListAlertsAsync(query["p"]!)).Single(a => a.Id == query["a"]);
        Assert.Equal(AlertStatus.Acknowledged, alert.Status);
        Assert.Equal("e-mail link", alert.AcknowledgedBy);

        _app.Clock.Advance(TimeSpan.FromDays(15));
        await Problem.AssertAsync(await anonymous.GetAsync(link), HttpStatusCode.Gone);
        using var expiredPage = await browser.GetAsync(link + "&lang=en");
        Assert.Equal(HttpStatusCode.Gone, expiredPage.StatusCode);
        Assert.Contains("<h1>This link has expired</h1>", await expiredPage.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WeeklyDigest_SummarisesOpenAlertsOncePerWeek()
    {
        (await RunAsync("ScoreRisk")).EnsureSuccessStatusCode();
        (await RunAsync("SendAlerts")).EnsureSuccessStatusCode();
        var before = _sink.Messages.Count;

        (await RunAsync("SendDigest")).EnsureSuccessStatusCode();
        (await RunAsync("SendDigest")).EnsureSuccessStatusCode();
        (await RunAsync("SendAlerts")).EnsureSuccessStatusCode();
        var all = await _sink.WaitForMessagesAsync(before + 1, TimeSpan.FromSeconds(30));
        var digests = all.Skip(before).ToList();

        Assert.All(digests, d => Assert.Matches(@"^\[(Résumé|Digest) 2026-W10\] \d+ ", d.Subject));
        Assert.Equal(digests.Count, digests.Select(d => d.To.Single()).Distinct().Count());
        Assert.Contains(digests, d => d.Subject!.StartsWith("[Digest", StringComparison.Ordinal));
        Assert.Contains(digests, d => d.Subject!.StartsWith("[Résumé", StringComparison.Ordinal));
    }
}
