using System.Net.Http.Json;
using Engagement.Core.Storage;
using Engagement.Functions.Tests.Integrations;
using Engagement.Tests;
using Microsoft.Extensions.DependencyInjection;

namespace Engagement.Functions.Tests.Alerts;

/// <summary>
/// A partnership created without <c>alertEmails</c> starts quiet: its alerts are recorded and listed, nobody is
/// e-mailed; once its coordinator turns e-mails on, what the next runs raise is e-mailed (to a real SMTP server on
/// loopback), and the alerts raised while it was quiet are not sent late.
/// </summary>
public sealed class QuietPartnershipTests : IAsyncLifetime
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
        });

        // p1 as a coordinator creates it, without alertEmails; Jean (Ville de Montréal) then misses four meetings.
        await _app.SeedAsync();
        await PostMeetingsAsync(3, 7);
        await PostAttendanceAsync(1, 7, _ => "present", i => i <= 3 ? "present" : "absent");
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _sink.DisposeAsync();
    }

    [Fact]
    public async Task NewPartnership_AlertsAreListedButNotEmailed_UntilItsCoordinatorTurnsEmailsOn()
    {
        var coordinator = _app.ClientWithKey(EngagementApp.Keys.Coordinator);
        var store = _app.Services.GetRequiredService<EngagementStores>();
        Assert.False((await Problem.JsonAsync(await coordinator.GetAsync("/api/partnerships/p1"))).GetProperty("partnership").GetProperty("alertEmails").GetBoolean());

        // Quiet: the alert is recorded and listed, nothing waits in the outbox, nothing is sent, no digest either.
        Assert.Contains("1 of 2 organisations high", await GraphTestApp.RunTimerAsync(_app, "ScoreRisk"), StringComparison.Ordinal);
        var alerts = await Problem.JsonAsync(await coordinator.GetAsync("/api/alerts?partnershipId=p1&status=open"));
        var ville = Assert.Single(alerts.EnumerateArray());
        Assert.Equal(("ville.falling-attendance", "high", 0), (ville.GetProperty("id").GetString(), ville.GetProperty("band").GetString(), ville.GetProperty("notifications").GetInt32()));
        Assert.Empty(await store.Alerts.ListPendingNotificationsAsync("p1"));
        Assert.Contains("queued 0 digest e-mail(s)", await GraphTestApp.RunTimerAsync(_app, "SendDigest"), StringComparison.Ordinal);
        Assert.Contains("sent 0 e-mail(s)", await GraphTestApp.RunTimerAsync(_app, "SendAlerts"), StringComparison.Ordinal);

        // The coordinator turns e-mails on, as a user does: the partnership sent again, with alertEmails.
        (await coordinator.PutAsJsonAsync("/api/partnerships/p1", new { name = "Table p1", language = "fr", coordinatorEmails = new[] { "coord@example.org" }, alertEmails = true })).EnsureSuccessStatusCode();

        // The next day nothing new is raised: the alert raised while quiet is not sent late.
        _app.Clock.Advance(TimeSpan.FromDays(1));
        await GraphTestApp.RunTimerAsync(_app, "ScoreRisk");
        Assert.Empty(await store.Alerts.ListPendingNotificationsAsync("p1"));

        // Marie (CDC) then misses three meetings: what that run raises is e-mailed, Ville's older alert is not in it.
        await PostMeetingsAsync(8, 10);
        await PostAttendanceAsync(8, 10, _ => "absent", _ => "absent");
        _app.Clock.Advance(TimeSpan.FromDays(1));
        Assert.Contains("2 of 2 organisations high", await GraphTestApp.RunTimerAsync(_app, "ScoreRisk"), StringComparison.Ordinal);
        Assert.Contains("sent 1 e-mail(s)", await GraphTestApp.RunTimerAsync(_app, "SendAlerts"), StringComparison.Ordinal);
        var mail = Assert.Single(await _sink.WaitForMessagesAsync(1, TimeSpan.FromSeconds(30)));
        Assert.Equal(["coord@example.org"], mail.To);
        Assert.Contains("CDC Centre-Sud", mail.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Ville de Montréal", mail.Text, StringComparison.Ordinal);
        var listed = (await Problem.JsonAsync(await coordinator.GetAsync("/api/alerts?partnershipId=p1&status=open"))).EnumerateArray()
            .ToDictionary(a => a.GetProperty("id").GetString()!, a => a.GetProperty("notifications").GetInt32());
        Assert.Equal(0, listed["ville.falling-attendance"]);
        Assert.Equal(1, listed["cdc.falling-attendance"]);
    }

    private async Task PostMeetingsAsync(int first, int last)
    {
        var meetings = Enumerable.Range(first, last - first + 1).Select(i => new { id = $"m{i}", start = $"2026-{i:D2}-19T13:30:00-04:00", end = $"2026-{i:D2}-19T16:00:00-04:00" }).ToArray();
        (await _app.Admin().PostAsJsonAsync("/api/partnerships/p1/meetings", meetings)).EnsureSuccessStatusCode();
    }

    private async Task PostAttendanceAsync(int first, int last, Func<int, string> marie, Func<int, string> jean)
    {
        var records = Enumerable.Range(first, last - first + 1).SelectMany(i => new[]
        {
            new { meetingId = $"m{i}", personId = "marie", status = marie(i) },
            new { meetingId = $"m{i}", personId = "jean", status = jean(i) },
        }).ToArray();
        (await _app.Admin().PostAsJsonAsync("/api/attendance", new { partnershipId = "p1", records })).EnsureSuccessStatusCode();
    }
}
