using System.Net;
using System.Net.Http.Json;
using Engagement.Core.Storage;
using Engagement.Functions.Risk;
using Engagement.Functions.Tests.Telemetry;
using Microsoft.Extensions.DependencyInjection;

namespace Engagement.Functions.Tests.Risk;

/// <summary>A partnership is scored soon after its attendance changes: once per burst, off the request path.</summary>
public sealed class ScoringQueueTests
{
    private static readonly Dictionary<string, string> Enabled = new() { ["Scoring:Enabled"] = "true", ["Scoring:DelaySeconds"] = "30" };

    private static object Batch(string marie, string jean) => new
    {
        partnershipId = "p1",
        records = new object[]
        {
            new { meetingId = "m1", personId = "marie", status = marie },
            new { meetingId = "m1", personId = "jean", status = jean },
        },
    };

    [Fact]
    public async Task SeveralBatches_AreScoredOnce_DelaySecondsAfterTheFirst()
    {
        var telemetry = new TelemetryCapture();
        await using var app = new EngagementApp(settings: Enabled, services: telemetry.Register);
        await app.SeedAsync();
        var client = app.ClientWithKey(EngagementApp.Keys.Ingest);
        var armed = app.Clock.WaitForTimerAsync();

        (await client.PostAsJsonAsync("/api/attendance", Batch("present", "absent"))).EnsureSuccessStatusCode();
        (await client.PostAsJsonAsync("/api/attendance", Batch("present", "excused"))).EnsureSuccessStatusCode();
        (await client.PostAsJsonAsync("/api/attendance", Batch("absent", "excused"))).EnsureSuccessStatusCode();

        // Nothing is scored on the request path: the partnership has no score yet.
        Assert.Equal(HttpStatusCode.NotFound, (await app.Admin().GetAsync("/api/partnerships/p1/risk")).StatusCode);
        Assert.Equal(1, app.Services.GetRequiredService<ScoringQueue>().Waiting);

        await armed;
        app.Clock.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(HttpStatusCode.NotFound, (await app.Admin().GetAsync("/api/partnerships/p1/risk")).StatusCode);
        app.Clock.Advance(TimeSpan.FromSeconds(1));

        var risk = await ScoredAsync(app);
        Assert.Equal(2, risk.GetProperty("organizations").GetArrayLength());
        // Counted in this app's own log (a counter is read across every app of the test process).
        TelemetryCapture.Flush(app.Services);
        Assert.Single(telemetry.Logs, l => l.CategoryName == typeof(ScoringFunctions).FullName
            && l.Attributes?.FirstOrDefault(a => a.Key == "{OriginalFormat}").Value is string format && format.StartsWith("Scored {PartnershipId}", StringComparison.Ordinal));
        Assert.Equal(0, app.Services.GetRequiredService<ScoringQueue>().Waiting);
    }

    [Fact]
    public async Task AReplayedBatch_ChangesNothing_AndAsksForNoScoring()
    {
        await using var app = new EngagementApp(settings: Enabled);
        await app.SeedAsync();
        var stores = app.Services.GetRequiredService<EngagementStores>();
        await stores.Attendance.UpsertAttendanceAsync("p1", [new() { PartnershipId = "p1", MeetingId = "m1", PersonId = "marie", Status = Core.Domain.AttendanceStatus.Present }]);
        var client = app.ClientWithKey(EngagementApp.Keys.Ingest);

        // Written straight to the store (not through the decorated port): already there, so the API finds it unchanged.
        (await client.PostAsJsonAsync("/api/attendance", new { partnershipId = "p1", records = new[] { new { meetingId = "m1", personId = "marie", status = "present" } } })).EnsureSuccessStatusCode();

        Assert.Equal(0, app.Services.GetRequiredService<ScoringQueue>().Waiting);
    }

    [Fact]
    public async Task Disabled_NoQueue_AndTheStoreIsNotWrapped()
    {
        await using var app = new EngagementApp(settings: new() { ["Scoring:Enabled"] = "false" });

        Assert.Null(app.Services.GetService<ScoringQueue>());
        Assert.IsNotType<ScoringAttendanceStore>(app.Services.GetRequiredService<IAttendanceStore>());
    }

    [Fact]
    public async Task AnInvalidDelay_StopsTheAppAtStart_NamingIt()
    {
        await using var app = new EngagementApp(settings: new() { ["Scoring:DelaySeconds"] = "0" });

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());
        Assert.Contains("DelaySeconds", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScorePartnership_ARequestAlreadyServedByALaterScoring_ScoresNothing_ALaterOneScoresAgain()
    {
        await using var app = new EngagementApp();
        await app.SeedAsync();
        var requested = app.Clock.GetUtcNow();
        app.Clock.Advance(TimeSpan.FromSeconds(30));
        await RunFunctionAsync(app, new ScoringRequest("p1", requested).ToMessage());
        var first = await PartnershipSnapshotsAsync(app);
        var scoredAt = Assert.Single(first).ScoredAt;

        // A second message of the same burst (another instance sent it 5 s later): the scoring above started after it.
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        await RunFunctionAsync(app, new ScoringRequest("p1", requested.AddSeconds(5)).ToMessage());
        Assert.Equal(scoredAt, Assert.Single(await PartnershipSnapshotsAsync(app)).ScoredAt);

        // Attendance changed after that scoring: scored again.
        await RunFunctionAsync(app, new ScoringRequest("p1", app.Clock.GetUtcNow()).ToMessage());
        Assert.Equal(app.Clock.GetUtcNow(), Assert.Single(await PartnershipSnapshotsAsync(app)).ScoredAt);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"partnershipId\":\"\"}")]
    [InlineData("{\"partnershipId\":\"unknown\",\"requestedAt\":\"2026-01-01T00:00:00Z\"}")]
    public async Task ScorePartnership_AMessageThatIsNotAKnownPartnership_IsDroppedWithoutFailing(string message)
    {
        await using var app = new EngagementApp();
        await app.SeedAsync();

        await RunFunctionAsync(app, message);

        Assert.Empty(await PartnershipSnapshotsAsync(app));
    }

    private static async Task RunFunctionAsync(EngagementApp app, string message)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await ActivatorUtilities.CreateInstance<ScoringFunctions>(scope.ServiceProvider).ScorePartnership(message, CancellationToken.None);
    }

    private static async Task<List<Core.Domain.RiskSnapshot>> PartnershipSnapshotsAsync(EngagementApp app)
    {
        var today = DateOnly.FromDateTime(app.Clock.GetUtcNow().UtcDateTime);
        var snapshots = await app.Services.GetRequiredService<IRiskStore>().ListRiskSnapshotsAsync("p1", today.AddDays(-1), today);
        return [.. snapshots.Where(s => s.OrganizationId is null)];
    }

    /// <summary>The partnership's risk once the background scoring has stored it (it runs on its own task).</summary>
    private static async Task<System.Text.Json.JsonElement> ScoredAsync(EngagementApp app)
    {
        var admin = app.Admin();
        for (var attempt = 0; attempt < 200; attempt++)
        {
            using var response = await admin.GetAsync("/api/partnerships/p1/risk");
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return await Problem.JsonAsync(response);
            }

            await Task.Yield();
            await Task.Delay(25);
        }

        throw new TimeoutException("p1 was not scored within 5 s of its due time.");
    }
}
