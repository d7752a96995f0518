using System.Net.Http.Json;
using Engagement.Core.Storage;
using Engagement.Functions.Tests.Integrations;
using Microsoft.Extensions.DependencyInjection;

namespace Engagement.Functions.Tests.Alerts;

/// <summary>Alert e-mails through Graph sendMail (the real SDK) against the fake Graph on loopback.</summary>
public sealed class GraphSendMailTests : IAsyncLifetime
{
    private FakeGraph _graph = null!;
    private EngagementApp _app = null!;

    public async Task InitializeAsync()
    {
        _graph = await FakeGraph.StartAsync();
        _app = new EngagementApp(settings: new()
        {
            ["Graph:TenantId"] = "909c6581",
            ["Graph:ClientId"] = "app",
            ["Graph:BaseUrl"] = _graph.BaseUrl,
            ["Alerts:Provider"] = "Graph",
            ["Alerts:GraphMailbox"] = "alertes@table.example",
            ["Alerts:PublicBaseUrl"] = "https://engagement.example.org",
        }, services: s => s.AddSingleton<Azure.Core.TokenCredential>(new GraphTestApp.FixedToken()));
        await _app.SeedAsync();
        var admin = _app.Admin();
        // A new partnership starts quiet: its coordinator turns e-mails on.
        (await admin.PutAsJsonAsync("/api/partnerships/p1", new { name = "Table p1", language = "fr", coordinatorEmails = new[] { "coord@example.org" }, alertEmails = true })).EnsureSuccessStatusCode();
        var meetings = Enumerable.Range(3, 5).Select(i => new { id = $"m{i}", start = $"2026-{i:D2}-19T13:30:00-04:00", end = $"2026-{i:D2}-19T16:00:00-04:00" }).ToArray();
        (await admin.PostAsJsonAsync("/api/partnerships/p1/meetings", meetings)).EnsureSuccessStatusCode();
        var records = Enumerable.Range(1, 7).SelectMany(i => new[]
        {
            new { meetingId = $"m{i}", personId = "marie", status = "present" },
            new { meetingId = $"m{i}", personId = "jean", status = i <= 3 ? "present" : "absent" },
        }).ToArray();
        (await admin.PostAsJsonAsync("/api/attendance", new { partnershipId = "p1", records })).EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _graph.DisposeAsync();
    }

    [Fact]
    public async Task SendAlerts_ThroughGraph_PostsTheDocumentedBodyOnce()
    {
        await GraphTestApp.RunTimerAsync(_app, "ScoreRisk");
        var logs = await GraphTestApp.RunTimerAsync(_app, "SendAlerts");

        Assert.Contains("sent 1 e-mail(s)", logs, StringComparison.Ordinal);
        var (mailbox, body) = Assert.Single(_graph.SentMail);
        Assert.Equal("alertes@table.example", mailbox);
        // The SDK writes the top-level names in PascalCase ("Message", "SaveToSentItems"); Graph reads them either way.
        var message = body["Message"] ?? body["message"]!;
        Assert.StartsWith("[Risque élevé] Ville de Montréal — Table p1", message["subject"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("coord@example.org", message["toRecipients"]![0]!["emailAddress"]!["address"]!.GetValue<string>());
        Assert.Equal("html", message["body"]!["contentType"]!.GetValue<string>(), ignoreCase: true);
        Assert.Contains("absente aux 4 dernières rencontres d’affilée", message["body"]!["content"]!.GetValue<string>(), StringComparison.Ordinal);
        // The link opens the dashboard's page of the partnership in its language, not the API's JSON.
        Assert.Contains("https://engagement.example.org/api/dashboard/partnerships/p1?lang=fr", message["body"]!["content"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("x-engagement-notification", message["internetMessageHeaders"]![0]!["name"]!.GetValue<string>());
        Assert.False((body["SaveToSentItems"] ?? body["saveToSentItems"])!.GetValue<bool>());

        await GraphTestApp.RunTimerAsync(_app, "ScoreRisk");
        Assert.Contains("sent 0 e-mail(s)", await GraphTestApp.RunTimerAsync(_app, "SendAlerts"), StringComparison.Ordinal);
        Assert.Single(_graph.SentMail);
        Assert.Empty(await _app.Services.GetRequiredService<EngagementStores>().Alerts.ListPendingNotificationsAsync("p1"));
    }
}
