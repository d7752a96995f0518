using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using Engagement.Core.Alerts;
using Engagement.Core.Storage;
using Engagement.Functions.Tests.Integrations;
using Engagement.Tests;
using Microsoft.Extensions.DependencyInjection;

namespace Engagement.Functions.Tests.Telemetry;

/// <summary>The real app (standalone) with in-memory exporters: what reaches an exporter for each kind of work.</summary>
[Collection(TelemetryCollection.Name)]
public sealed class TelemetryTests
{
    private static StringContent TimerBody() => new("""{"Data":{"timer":{"IsPastDue":false}},"Metadata":{}}""", Encoding.UTF8, "application/json");

    [Fact]
    public async Task Ingest_IsARequestSpan_AndCountsRecordsByKindAndOutcome()
    {
        var telemetry = new TelemetryCapture();
        await using var app = new EngagementApp(services: telemetry.Register);
        await app.SeedAsync();
        var batch = new
        {
            partnershipId = "p1",
            records = new object[]
            {
                new { meetingId = "m1", personId = "marie", status = "present" },
                new { meetingId = "m1", personId = "jean", status = "absent" },
            },
        };
        var client = app.ClientWithKey(EngagementApp.Keys.Ingest);
        (await client.PostAsJsonAsync("/api/attendance", batch)).EnsureSuccessStatusCode();
        (await client.PostAsJsonAsync("/api/attendance", batch)).EnsureSuccessStatusCode();

        var request = await telemetry.SpanAsync(a => a.Kind == ActivityKind.Server && a.GetTagItem("url.path") as string == "/api/attendance");
        TelemetryCapture.Flush(app.Services);

        Assert.Equal("POST", request.GetTagItem("http.request.method"));
        Assert.Equal(200, request.GetTagItem("http.response.status_code"));
        Assert.Equal(2, telemetry.Counter("engagement.records.ingested", ("kind", "attendance"), ("outcome", "created")));
        Assert.Equal(2, telemetry.Counter("engagement.records.ingested", ("kind", "attendance"), ("outcome", "unchanged")));
        Assert.Equal(0, telemetry.Counter("engagement.records.ingested", ("kind", "attendance"), ("outcome", "updated")));
        Assert.Equal(2, telemetry.Counter("engagement.records.ingested", ("kind", "organizations"), ("outcome", "created")));
        Assert.Equal(3, telemetry.Counter("engagement.records.ingested", ("kind", "people"), ("outcome", "created")));
        Assert.Equal(2, telemetry.Counter("engagement.records.ingested", ("kind", "meetings")));
        Assert.Equal(new HashSet<string> { "kind", "outcome" }, telemetry.TagKeys("engagement.records.ingested"));
    }

    [Fact]
    public async Task ScoreRisk_CountsPartnershipsAndOrganisationsScored_InATimerSpan()
    {
        var telemetry = new TelemetryCapture();
        await using var app = new EngagementApp(services: telemetry.Register);
        await app.SeedAsync();

        (await app.Admin().PostAsync("/ScoreRisk", TimerBody())).EnsureSuccessStatusCode();

        var request = await telemetry.SpanAsync(a => a.Kind == ActivityKind.Server && a.GetTagItem("url.path") as string == "/ScoreRisk");
        var timer = await telemetry.SpanAsync(a => a.Source.Name == "Engagement" && a.DisplayName == "ScoreRisk");
        TelemetryCapture.Flush(app.Services);

        Assert.Equal("timer", timer.GetTagItem("faas.trigger"));
        Assert.Equal(request.SpanId, timer.ParentSpanId);
        Assert.Equal(1, telemetry.Counter("engagement.partnerships.scored"));
        Assert.Equal(2, telemetry.Counter("engagement.organizations.scored"));
        Assert.Empty(telemetry.TagKeys("engagement.organizations.scored"));
    }

    [Fact]
    public async Task TimerLog_KeepsItsTemplateArguments_AsAttributes_InTheRunsTrace()
    {
        var telemetry = new TelemetryCapture();
        await using var app = new EngagementApp(services: telemetry.Register);
        await app.SeedAsync();

        (await app.Admin().PostAsync("/ScoreRisk", TimerBody())).EnsureSuccessStatusCode();
        var timer = await telemetry.SpanAsync(a => a.Source.Name == "Engagement" && a.DisplayName == "ScoreRisk");
        TelemetryCapture.Flush(app.Services);

        var starting = Assert.Single(telemetry.Logs, l => l.CategoryName == "Engagement.Functions.Hosting.TimerRun" && Attribute(l, "{OriginalFormat}") is string f && f.StartsWith("Timer function {Function} starting", StringComparison.Ordinal));
        Assert.Equal("ScoreRisk", Attribute(starting, "Function"));
        Assert.Equal(false, Attribute(starting, "PastDue"));
        Assert.Equal("Timer function ScoreRisk starting (past due: False)", starting.FormattedMessage);
        Assert.Equal(timer.TraceId, starting.TraceId);

        // So does a service's log inside the run.
        var scored = Assert.Single(telemetry.Logs, l => Attribute(l, "PartnershipId") as string == "p1" && Attribute(l, "ModelVersion") is not null);
        Assert.Equal(timer.TraceId, scored.TraceId);
    }

    [Fact]
    public async Task GraphCalls_AreDependencySpans_WithoutTheMailboxAddress_AndSendMailIsCounted()
    {
        var telemetry = new TelemetryCapture();
        var (graph, app) = await GraphTestApp.StartAsync(
            settings: new() { ["Alerts:Provider"] = "Graph", ["Alerts:GraphMailbox"] = "alertes@table.example" },
            services: telemetry.Register);
        await using var _ = graph;
        await using var __ = app;
        await QueueMailAsync(app);

        (await app.Admin().PostAsync("/SendAlerts", TimerBody())).EnsureSuccessStatusCode();

        var sendMail = await telemetry.SpanAsync(a => a.Kind == ActivityKind.Client && a.GetTagItem("url.full") is string url && url.EndsWith("/sendMail", StringComparison.Ordinal));
        TelemetryCapture.Flush(app.Services);

        Assert.Equal("POST", sendMail.GetTagItem("http.request.method"));
        Assert.Equal(202, sendMail.GetTagItem("http.response.status_code"));
        Assert.Equal("127.0.0.1", sendMail.GetTagItem("server.address"));
        Assert.Contains("/v1.0/users/Redacted/sendMail", (string)sendMail.GetTagItem("url.full")!, StringComparison.Ordinal);
        Assert.Single(graph.SentMail);
        Assert.All(telemetry.Activities.Where(a => a.Kind == ActivityKind.Client), a => Assert.DoesNotContain(a.TagObjects, t => t.Value is string s && s.Contains('@', StringComparison.Ordinal)));
        Assert.Equal(1, telemetry.Counter("engagement.alert_emails.sent", ("provider", "graph")));
        Assert.Equal(0, telemetry.Counter("engagement.alert_emails.failed"));
    }

    [Fact]
    public async Task FailingGroupSync_IsCountedPerSource()
    {
        var telemetry = new TelemetryCapture();
        var (graph, app) = await GraphTestApp.StartAsync(services: telemetry.Register);
        await using var _ = graph;
        await using var __ = app;
        (await app.Admin().PutAsJsonAsync("/api/partnerships/p1/integrations/group/g1", new { organizationId = "cdc" })).EnsureSuccessStatusCode();

        // The fake Graph knows no delta for g1 and answers 404: the run fails, the source keeps its checkpoint.
        var response = await app.Admin().PostAsync("/SyncGroupMembership", TimerBody());
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);

        var delta = await telemetry.SpanAsync(a => a.Kind == ActivityKind.Client && a.GetTagItem("url.full") is string url && url.Contains("/groups/delta", StringComparison.Ordinal));
        var run = await telemetry.SpanAsync(a => a.Source.Name == "Engagement" && a.DisplayName == "SyncGroupMembership");
        TelemetryCapture.Flush(app.Services);

        Assert.Equal(404, delta.GetTagItem("http.response.status_code"));
        Assert.Equal(run.TraceId, delta.TraceId);
        Assert.Equal(ActivityStatusCode.Error, run.Status);
        Assert.Equal(1, telemetry.Counter("engagement.sync.failures", ("source", "group")));
        Assert.Equal(new HashSet<string> { "source" }, telemetry.TagKeys("engagement.sync.failures"));
    }

    [Fact]
    public async Task SmtpSend_IsAClientSpanToTheServer_AndSentAndRefusedMailAreCounted()
    {
        var telemetry = new TelemetryCapture();
        await using var sink = await SmtpSink.StartAsync();
        await using var app = new EngagementApp(
            settings: new()
            {
                ["Alerts:Provider"] = "Smtp",
                ["Alerts:From"] = "alertes@engagement.example",
                ["Alerts:Smtp:Host"] = "127.0.0.1",
                ["Alerts:Smtp:Port"] = sink.Port.ToString(CultureInfo.InvariantCulture),
            },
            services: telemetry.Register);
        await app.SeedAsync();
        await QueueMailAsync(app, "first");

        (await app.Admin().PostAsync("/SendAlerts", TimerBody())).EnsureSuccessStatusCode();
        await sink.WaitForMessagesAsync(1, TimeSpan.FromSeconds(30));
        sink.Refuse(true);
        await QueueMailAsync(app, "second");
        Assert.Equal(HttpStatusCode.InternalServerError, (await app.Admin().PostAsync("/SendAlerts", TimerBody())).StatusCode);

        var sent = await telemetry.SpanAsync(a => a.DisplayName == "smtp send" && a.Status == ActivityStatusCode.Unset);
        var refused = await telemetry.SpanAsync(a => a.DisplayName == "smtp send" && a.Status == ActivityStatusCode.Error);
        TelemetryCapture.Flush(app.Services);

        Assert.Equal(ActivityKind.Client, sent.Kind);
        Assert.Equal("127.0.0.1", sent.GetTagItem("server.address"));
        Assert.Equal(sink.Port, sent.GetTagItem("server.port"));
        Assert.Equal("SmtpException", refused.StatusDescription);
        Assert.All(new[] { sent, refused }, span => Assert.DoesNotContain(span.TagObjects, t => t.Value is string s && s.Contains('@', StringComparison.Ordinal)));
        Assert.Equal(1, telemetry.Counter("engagement.alert_emails.sent", ("provider", "smtp")));
        Assert.Equal(1, telemetry.Counter("engagement.alert_emails.failed", ("provider", "smtp")));
    }

    /// <summary>One e-mail waiting in p1's outbox, as ScoreRisk would leave it.</summary>
    private static async Task QueueMailAsync(EngagementApp app, string id = "n1")
    {
        var store = app.Services.GetRequiredService<EngagementStores>();
        await store.Alerts.SaveAlertsAsync("p1", [], [new AlertNotification
        {
            PartnershipId = "p1",
            Id = id,
            AlertId = "digest",
            Recipient = "coord@example.org",
            Subject = "Test",
            Text = "Test",
            Html = "<p>Test</p>",
            MessageId = $"<{id}@engagement-functions>",
            CreatedAt = EngagementApp.Start,
        }]);
    }

    private static object? Attribute(OpenTelemetry.Logs.LogRecord record, string key) =>
        record.Attributes?.FirstOrDefault(a => a.Key == key).Value;
}
