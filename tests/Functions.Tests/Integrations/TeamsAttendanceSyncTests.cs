using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Engagement.Core.Domain;
using Engagement.Core.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Engagement.Functions.Tests.Integrations;

/// <summary>SyncTeamsAttendance through the real Microsoft.Graph SDK against a fake Graph on loopback.</summary>
public sealed class TeamsAttendanceSyncTests : IAsyncLifetime
{
    private const string Organizer = "dc17674c-81d9-4adb-bfb2-8f6a442e4622";
    private const string JoinUrl = "https://teams.microsoft.com/l/meetup-join/19%3ameeting_MGQ4MDQy%40thread.v2/0?context=%7b%22Tid%22%3a%22909c6581%22%7d";
    private FakeGraph _graph = null!;
    private EngagementApp _app = null!;

    public async Task InitializeAsync()
    {
        (_graph, _app) = await GraphTestApp.StartAsync();
        _graph.ExpectedJoinUrl = JoinUrl;
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _graph.DisposeAsync();
    }

    private async Task<HttpResponseMessage> SyncAsync() =>
        await _app.Admin().PostAsync("/SyncTeamsAttendance", new StringContent("""{"Data":{"timer":{"IsPastDue":false}},"Metadata":{}}""", Encoding.UTF8, "application/json"));

    private async Task RegisterAsync() =>
        (await _app.Admin().PutAsJsonAsync("/api/partnerships/p1/integrations/teams-meeting/m2", new { organizerUserId = Organizer, joinUrl = JoinUrl })).EnsureSuccessStatusCode();

    [Fact]
    public async Task Sync_ReportsOnSeveralPages_StoresPresenceSecondsIntervalsGuestsAndAbsences_Once()
    {
        await RegisterAsync();
        _graph.ReportPages.Add([FakeGraph.Report("r1", "2026-02-19T18:30:05Z", "2026-02-19T21:00:00Z", 3)]);
        _graph.ReportPages.Add([FakeGraph.Report("r2", "2026-02-19T21:10:00Z", "2026-02-19T21:40:00Z", 1)]);
        _graph.RecordPages["r1"] =
        [
            [FakeGraph.Record("Marie@Example.org", "aad-marie", "Marie Tremblay", "Presenter", ("2026-02-19T18:31:00Z", "2026-02-19T19:31:00Z", 3600), ("2026-02-19T19:40:00Z", "2026-02-19T20:10:00Z", 1800))],
            [FakeGraph.Record("visiteur@partenaire.org", "5f0c1b7e-guest", "Visiteuse externe", "Attendee", ("2026-02-19T18:35:00Z", "2026-02-19T18:50:00Z", 900)),
             FakeGraph.Record(null, null, "Téléphone (514) 555-0100", "Attendee", ("2026-02-19T18:40:00Z", "2026-02-19T18:45:00Z", 300))],
        ];
        _graph.RecordPages["r2"] = [[FakeGraph.Record("marie@example.org", "aad-marie", "Marie Tremblay", "Presenter", ("2026-02-19T21:10:00Z", "2026-02-19T21:30:00Z", 1200))]];
        _graph.ThrottleOnce.Add("r2");

        var first = await SyncAsync();
        var body = await Problem.JsonAsync(first);
        Assert.Contains(body.GetProperty("logs").EnumerateArray(), l => l.GetString()!.Contains("2 new report(s)", StringComparison.Ordinal));

        var store = _app.Services.GetRequiredService<EngagementStores>();
        var attendance = (await store.Attendance.GetAttendanceAsync("p1", "m2")).ToDictionary(a => a.PersonId);
        var marie = attendance["marie"];
        Assert.Equal(AttendanceStatus.Present, marie.Status);
        Assert.Equal(3600 + 1800 + 1200, marie.SecondsAttended);
        Assert.Equal(3, marie.Intervals!.Count);
        Assert.Equal(AttendanceStatus.Absent, attendance["jean"].Status); // a representative missing from every report
        var guests = (await store.Roster.GetRosterAsync("p1")).People.Where(p => p.Id.StartsWith("guest-", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, guests.Count);
        Assert.Contains(guests, g => g.Id == "guest-5f0c1b7e-guest" && g.DisplayName == "Visiteuse externe" && g.Email == "visiteur@partenaire.org");
        Assert.All(guests, g => Assert.Equal(AttendanceStatus.Present, attendance[g.Id].Status));

        // The SDK honoured Retry-After: 1 on the throttled request.
        Assert.True(Assert.Single(_graph.ThrottleGaps) >= TimeSpan.FromMilliseconds(900));
        Assert.All(_graph.Authorizations, a => Assert.Equal("Bearer graph-test-token", a));
        var registration = Assert.Single(await store.Integrations.ListIntegrationsAsync("p1"));
        Assert.Equal("""["r1","r2"]""", registration.Checkpoint);
        Assert.Equal(_graph.OnlineMeetingId, registration.Settings["onlineMeetingId"]);

        // Running again reads the report list only, and stores nothing new.
        var recordRequests = _graph.Requests.Count(r => r.Contains("attendanceRecords", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, (await SyncAsync()).StatusCode);
        Assert.Equal(recordRequests, _graph.Requests.Count(r => r.Contains("attendanceRecords", StringComparison.Ordinal)));
        Assert.Equal(attendance.Values.OrderBy(a => a.PersonId), (await store.Attendance.GetAttendanceAsync("p1", "m2")).OrderBy(a => a.PersonId));
    }

    [Fact]
    public async Task Sync_ReportReadAgainAfterALostCheckpoint_ChangesNothing()
    {
        await RegisterAsync();
        _graph.ReportPages.Add([FakeGraph.Report("r1", "2026-02-19T18:30:05Z", "2026-02-19T21:00:00Z", 1)]);
        _graph.RecordPages["r1"] = [[FakeGraph.Record("marie@example.org", "aad-marie", "Marie Tremblay", "Presenter", ("2026-02-19T18:31:00Z", "2026-02-19T19:31:00Z", 3600))]];
        (await SyncAsync()).EnsureSuccessStatusCode();
        var store = _app.Services.GetRequiredService<EngagementStores>();
        var before = await store.Attendance.GetAttendanceAsync("p1", "m2");

        // As if the run had died after storing but before its checkpoint.
        await store.Integrations.SetIntegrationCheckpointAsync("p1", IntegrationKind.TeamsMeeting, "m2", null);
        (await SyncAsync()).EnsureSuccessStatusCode();

        Assert.Equal(before, await store.Attendance.GetAttendanceAsync("p1", "m2"));
        Assert.Equal(3600, (await store.Attendance.GetAttendanceAsync("p1", "m2")).Single(a => a.PersonId == "marie").SecondsAttended);
    }

    [Fact]
    public async Task Sync_AnIntervalLackingData_TheRecordsTotalAttendanceCounts_Once()
    {
        await RegisterAsync();
        _graph.ReportPages.Add([FakeGraph.Report("r1", "2026-02-19T18:30:05Z", "2026-02-19T21:00:00Z", 1)]);
        var marie = FakeGraph.Record("marie@example.org", "aad-marie", "Marie Tremblay", "Presenter", ("2026-02-19T18:31:00Z", "2026-02-19T18:41:00Z", 600), (null, null, 0));
        marie["totalAttendanceInSeconds"] = 2400;
        _graph.RecordPages["r1"] = [[marie]];

        (await SyncAsync()).EnsureSuccessStatusCode();
        var store = _app.Services.GetRequiredService<EngagementStores>();
        var stored = (await store.Attendance.GetAttendanceAsync("p1", "m2")).Single(a => a.PersonId == "marie");
        Assert.Equal(2400, stored.SecondsAttended);
        Assert.Equal(new AttendanceInterval(DateTimeOffset.Parse("2026-02-19T18:31:00Z", CultureInfo.InvariantCulture), DateTimeOffset.Parse("2026-02-19T18:41:00Z", CultureInfo.InvariantCulture), 600), Assert.Single(stored.Intervals!));

        // Read again after a lost checkpoint: the same total, not twice it.
        await store.Integrations.SetIntegrationCheckpointAsync("p1", IntegrationKind.TeamsMeeting, "m2", null);
        (await SyncAsync()).EnsureSuccessStatusCode();
        Assert.Equal(stored, (await store.Attendance.GetAttendanceAsync("p1", "m2")).Single(a => a.PersonId == "marie"));

        // A second session, reported later, adds its own total.
        _graph.ReportPages[0].Add(FakeGraph.Report("r2", "2026-02-19T21:10:00Z", "2026-02-19T21:40:00Z", 1));
        _graph.RecordPages["r2"] = [[FakeGraph.Record("marie@example.org", "aad-marie", "Marie Tremblay", "Presenter", ("2026-02-19T21:10:00Z", "2026-02-19T21:30:00Z", 1200))]];
        (await SyncAsync()).EnsureSuccessStatusCode();
        var both = (await store.Attendance.GetAttendanceAsync("p1", "m2")).Single(a => a.PersonId == "marie");
        Assert.Equal(2400 + 1200, both.SecondsAttended);
        Assert.Equal(2, both.Intervals!.Count);
    }

    [Fact]
    public async Task Sync_AReportReadSoonAfterTheMeeting_IsReadAgainUntilTheGracePeriodEnds_ThenKept()
    {
        // The meeting ended half an hour ago (the clock stands at 12:00 UTC); the grace period is 6 hours by default.
        (await _app.Admin().PostAsJsonAsync("/api/partnerships/p1/meetings", new object[]
        {
            new { id = "m3", title = "Rencontre de novembre", start = "2026-11-01T10:00:00+00:00", end = "2026-11-01T11:30:00+00:00", source = "teams", teamsJoinUrl = JoinUrl },
        })).EnsureSuccessStatusCode();
        (await _app.Admin().PutAsJsonAsync("/api/partnerships/p1/integrations/teams-meeting/m3", new { organizerUserId = Organizer, joinUrl = JoinUrl })).EnsureSuccessStatusCode();
        _graph.ReportPages.Add([FakeGraph.Report("r1", "2026-11-01T10:01:00Z", "2026-11-01T11:31:00Z", 1)]);
        _graph.RecordPages["r1"] = [[FakeGraph.Record("marie@example.org", "aad-marie", "Marie Tremblay", "Presenter", ("2026-11-01T10:05:00Z", "2026-11-01T10:15:00Z", 600))]];
        var store = _app.Services.GetRequiredService<EngagementStores>();
        async Task<Dictionary<string, Attendance>> AttendanceAsync() => (await store.Attendance.GetAttendanceAsync("p1", "m3")).ToDictionary(a => a.PersonId);
        async Task<string?> CheckpointAsync() => (await store.Integrations.ListIntegrationsAsync("p1")).Single(r => r.Id == "m3").Checkpoint;

        // Read at once, while the report may still be incomplete: stored, but not kept as read, and nobody absent yet.
        var first = await GraphTestApp.RunTimerAsync(_app, "SyncTeamsAttendance");
        Assert.Contains("read again until 2026-11-01 17:31", first, StringComparison.Ordinal);
        Assert.Equal(600, (await AttendanceAsync())["marie"].SecondsAttended);
        Assert.False((await AttendanceAsync()).ContainsKey("jean"));
        Assert.Null(await CheckpointAsync());

        // An hour later the report is complete: read again, it replaces what it gave.
        _graph.RecordPages["r1"] = [[FakeGraph.Record("marie@example.org", "aad-marie", "Marie Tremblay", "Presenter", ("2026-11-01T10:05:00Z", "2026-11-01T10:15:00Z", 600), ("2026-11-01T10:20:00Z", "2026-11-01T11:20:00Z", 3600))]];
        _app.Clock.Advance(TimeSpan.FromHours(1));
        await GraphTestApp.RunTimerAsync(_app, "SyncTeamsAttendance");
        var marie = (await AttendanceAsync())["marie"];
        Assert.Equal(600 + 3600, marie.SecondsAttended);
        Assert.Equal(2, marie.Intervals!.Count);
        Assert.Null(await CheckpointAsync());

        // Past the meeting's end and the grace period: read a last time, kept as read, and the absent recorded.
        _app.Clock.Advance(TimeSpan.FromHours(5));
        await GraphTestApp.RunTimerAsync(_app, "SyncTeamsAttendance");
        Assert.Equal("""["r1"]""", await CheckpointAsync());
        Assert.Equal(AttendanceStatus.Absent, (await AttendanceAsync())["jean"].Status);
        Assert.Equal(marie, (await AttendanceAsync())["marie"]);

        var reads = _graph.Requests.Count(r => r.Contains("attendanceRecords", StringComparison.Ordinal));
        await GraphTestApp.RunTimerAsync(_app, "SyncTeamsAttendance");
        Assert.Equal(reads, _graph.Requests.Count(r => r.Contains("attendanceRecords", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("169")]
    public async Task AnInvalidGracePeriod_StopsTheAppAtStart_NamingIt(string hours)
    {
        await using var app = new EngagementApp(settings: new() { ["Graph:AttendanceReportGraceHours"] = hours });

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());
        Assert.Contains("AttendanceReportGraceHours", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sync_ARecurringSeriesRegisteredForTwoMeetings_GivesEachMeetingOnlyItsOwnOccurrence()
    {
        // One join URL for the whole series, one report per occurrence (January, February, March): January's and
        // February's meetings are both registered with it.
        foreach (var meeting in new[] { "m1", "m2" })
        {
            (await _app.Admin().PutAsJsonAsync($"/api/partnerships/p1/integrations/teams-meeting/{meeting}", new { organizerUserId = Organizer, joinUrl = JoinUrl })).EnsureSuccessStatusCode();
        }

        _graph.ReportPages.Add(
        [
            FakeGraph.Report("jan", "2026-01-15T18:20:00Z", "2026-01-15T21:05:00Z", 1),
            FakeGraph.Report("feb", "2026-02-19T18:30:05Z", "2026-02-19T21:00:00Z", 1),
            FakeGraph.Report("mar", "2026-03-19T17:30:00Z", "2026-03-19T20:00:00Z", 1),
        ]);
        _graph.RecordPages["jan"] = [[FakeGraph.Record("jean@example.org", "aad-jean", "Jean Roy", "Attendee", ("2026-01-15T18:31:00Z", "2026-01-15T19:31:00Z", 3600))]];
        _graph.RecordPages["feb"] = [[FakeGraph.Record("marie@example.org", "aad-marie", "Marie Tremblay", "Presenter", ("2026-02-19T18:31:00Z", "2026-02-19T19:01:00Z", 1800))]];
        _graph.RecordPages["mar"] = [[FakeGraph.Record("visiteur@partenaire.org", "5f0c1b7e-guest", "Visiteuse externe", "Attendee", ("2026-03-19T17:31:00Z", "2026-03-19T18:31:00Z", 3600))]];

        (await SyncAsync()).EnsureSuccessStatusCode();

        var store = _app.Services.GetRequiredService<EngagementStores>();
        var january = (await store.Attendance.GetAttendanceAsync("p1", "m1")).ToDictionary(a => a.PersonId);
        var february = (await store.Attendance.GetAttendanceAsync("p1", "m2")).ToDictionary(a => a.PersonId);
        Assert.Equal((AttendanceStatus.Present, 3600), (january["jean"].Status, january["jean"].SecondsAttended));
        Assert.Equal(AttendanceStatus.Absent, january["marie"].Status);
        Assert.Equal((AttendanceStatus.Present, 1800), (february["marie"].Status, february["marie"].SecondsAttended));
        Assert.Equal(AttendanceStatus.Absent, february["jean"].Status);
        Assert.DoesNotContain((await store.Roster.GetRosterAsync("p1")).People, p => p.Id.StartsWith("guest-", StringComparison.Ordinal));
        var checkpoints = (await store.Integrations.ListIntegrationsAsync("p1")).ToDictionary(r => r.Id, r => r.Checkpoint);
        Assert.Equal("""["jan"]""", checkpoints["m1"]);
        Assert.Equal("""["feb"]""", checkpoints["m2"]);
        Assert.DoesNotContain(_graph.Requests, r => r.Contains("/attendanceReports/mar/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Register_AChannelMeetingLink_IsRefusedNamingJoinUrl()
    {
        // A meeting held in a channel: the link names the channel's thread and the post that announced it. Graph
        // lists the reports of every meeting of the channel for it.
        const string channelMeeting = "https://teams.microsoft.com/l/meetup-join/19%3a0b58ec520c444adaa028007ab2f71fe2%40thread.tacv2/1669796919341?context=%7b%22Tid%22%3a%22909c6581%22%2c%22Oid%22%3a%22dc17674c%22%7d";

        var response = await _app.Admin().PutAsJsonAsync("/api/partnerships/p1/integrations/teams-meeting/m2", new { organizerUserId = Organizer, joinUrl = channelMeeting });

        var problem = await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "joinUrl");
        Assert.Contains("channel", problem.GetProperty("errors").GetProperty("joinUrl")[0].GetString(), StringComparison.Ordinal);
        Assert.Empty(await _app.Services.GetRequiredService<EngagementStores>().Integrations.ListIntegrationsAsync("p1"));
    }

    [Fact]
    public async Task Register_TheOrganiserByUserPrincipalName_StoresTheirObjectId_WhichTheSyncUses()
    {
        _graph.Users[Organizer] = new JsonObject { ["id"] = Organizer, ["displayName"] = "Frederick Cormier", ["mail"] = "frederick.cormier@example.org", ["userPrincipalName"] = "frederick.cormier@example.org" };

        var response = await _app.Admin().PutAsJsonAsync("/api/partnerships/p1/integrations/teams-meeting/m2", new { organizerUserId = "Frederick.Cormier@Example.org", joinUrl = JoinUrl });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var store = _app.Services.GetRequiredService<EngagementStores>();
        Assert.Equal(Organizer, (await store.Integrations.ListIntegrationsAsync("p1")).Single().Settings["organizerUserId"]);
        (await SyncAsync()).EnsureSuccessStatusCode();
        Assert.Contains(_graph.Requests, r => r.StartsWith($"/v1.0/users/{Organizer}/onlineMeetings", StringComparison.Ordinal));
        Assert.DoesNotContain(_graph.Requests, r => r.Contains("/onlineMeetings", StringComparison.Ordinal) && (r.Contains('@') || r.Contains("%40", StringComparison.OrdinalIgnoreCase)) && !r.Contains("$filter", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Sync_ARegistrationStoredWithAUserPrincipalName_ResolvesItOnce()
    {
        // Registered before user principal names were resolved at registration.
        _graph.Users[Organizer] = new JsonObject { ["id"] = Organizer, ["displayName"] = "Frederick Cormier", ["userPrincipalName"] = "frederick.cormier@example.org" };
        var store = _app.Services.GetRequiredService<EngagementStores>();
        await store.Integrations.UpsertIntegrationAsync(new IntegrationRegistration
        {
            PartnershipId = "p1",
            Kind = IntegrationKind.TeamsMeeting,
            Id = "m2",
            Settings = new Dictionary<string, string> { ["organizerUserId"] = "frederick.cormier@example.org", ["joinUrl"] = JoinUrl },
        });

        (await SyncAsync()).EnsureSuccessStatusCode();

        var settings = (await store.Integrations.ListIntegrationsAsync("p1")).Single().Settings;
        Assert.Equal(Organizer, settings["organizerUserId"]);
        Assert.Equal(_graph.OnlineMeetingId, settings["onlineMeetingId"]);
        Assert.Contains(_graph.Requests, r => r.StartsWith($"/v1.0/users/{Organizer}/onlineMeetings", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Register_AUserPrincipalNameNobodyHas_IsRefusedNamingTheOrganiser()
    {
        var response = await _app.Admin().PutAsJsonAsync("/api/partnerships/p1/integrations/teams-meeting/m2", new { organizerUserId = "personne@example.org", joinUrl = JoinUrl });

        var problem = await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "organizerUserId");
        Assert.Contains("personne@example.org", problem.GetProperty("errors").GetProperty("organizerUserId")[0].GetString(), StringComparison.Ordinal);
        Assert.Empty(await _app.Services.GetRequiredService<EngagementStores>().Integrations.ListIntegrationsAsync("p1"));
    }

    [Fact]
    public async Task Register_WhenGraphRefusesTheLookup_Is400SayingWhatToGrant_AndWhenItFails_503_StoringNothing()
    {
        _graph.UsersStatus = 403;
        var refused = await _app.Admin().PutAsJsonAsync("/api/partnerships/p1/integrations/teams-meeting/m2", new { organizerUserId = "frederick.cormier@example.org", joinUrl = JoinUrl });
        var problem = await Problem.AssertAsync(refused, HttpStatusCode.BadRequest, "organizerUserId");
        Assert.Contains("User.Read.All", problem.GetProperty("errors").GetProperty("organizerUserId")[0].GetString(), StringComparison.Ordinal);

        _graph.UsersStatus = 503;
        var failed = await _app.Admin().PutAsJsonAsync("/api/partnerships/p1/integrations/teams-meeting/m2", new { organizerUserId = "frederick.cormier@example.org", joinUrl = JoinUrl });
        Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
        Assert.Equal("application/problem+json", failed.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Microsoft Graph", await failed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(await _app.Services.GetRequiredService<EngagementStores>().Integrations.ListIntegrationsAsync("p1"));
    }

    [Fact]
    public async Task Register_AUserPrincipalNameWithoutGraphSettings_IsRefusedNamingTheOrganiser()
    {
        await using var app = new EngagementApp();
        await app.SeedAsync();

        var response = await app.Admin().PutAsJsonAsync("/api/partnerships/p1/integrations/teams-meeting/m2", new { organizerUserId = "frederick.cormier@example.org", joinUrl = JoinUrl });

        var problem = await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "organizerUserId");
        Assert.Contains("object id", problem.GetProperty("errors").GetProperty("organizerUserId")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Register_InvalidSettings_NamesEachField()
    {
        var response = await _app.Admin().PutAsJsonAsync("/api/partnerships/p1/integrations/teams-meeting/nowhere", new { joinUrl = "https://example.org/not-teams" });
        await Problem.AssertAsync(response, HttpStatusCode.BadRequest, "id", "organizerUserId", "joinUrl");
        var kind = await _app.Admin().PutAsJsonAsync("/api/partnerships/p1/integrations/fax-machine/m2", new { });
        await Problem.AssertAsync(kind, HttpStatusCode.BadRequest, "kind");
    }

    [Fact]
    public async Task Registrations_ListAndDelete()
    {
        await RegisterAsync();
        var list = await Problem.JsonAsync(await _app.ClientWithKey(EngagementApp.Keys.Coordinator).GetAsync("/api/partnerships/p1/integrations"));
        var item = Assert.Single(list.EnumerateArray());
        Assert.Equal("teams-meeting", item.GetProperty("kind").GetString());
        Assert.Equal(HttpStatusCode.NoContent, (await _app.Admin().DeleteAsync("/api/partnerships/p1/integrations/teams-meeting/m2")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _app.Admin().DeleteAsync("/api/partnerships/p1/integrations/teams-meeting/m2")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _app.ClientWithKey(EngagementApp.Keys.Ingest).GetAsync("/api/partnerships/p1/integrations")).StatusCode);
    }
}
