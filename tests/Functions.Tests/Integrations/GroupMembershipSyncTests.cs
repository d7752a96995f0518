using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Engagement.Core.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Engagement.Functions.Tests.Integrations;

/// <summary>SyncGroupMembership through the real Microsoft.Graph SDK against a fake Graph on loopback.</summary>
public sealed class GroupMembershipSyncTests : IAsyncLifetime
{
    private const string Group = "2e5807ce-58f3-4a94-9b37-ffff2e085957";
    private FakeGraph _graph = null!;
    private EngagementApp _app = null!;

    public async Task InitializeAsync()
    {
        (_graph, _app) = await GraphTestApp.StartAsync();
        foreach (var (id, name, mail) in new[]
        {
            ("u-marie", "Marie Tremblay", "marie@example.org"),
            ("u-sophie", "Sophie Lavoie", "sophie@cdc.example"),
            ("u-karim", "Karim Haddad", "karim@ville.example"),
            ("u-nadia", "Nadia Roy", "nadia@cdc.example"),
            ("u-paul", "Paul Morin", "paul@ailleurs.example"),
        })
        {
            _graph.Users[id] = new JsonObject { ["id"] = id, ["displayName"] = name, ["mail"] = mail, ["userPrincipalName"] = mail };
        }

        (await _app.Admin().PutAsJsonAsync($"/api/partnerships/p1/integrations/group/{Group}", new Dictionary<string, string>
        {
            ["domain:cdc.example"] = "cdc",
            ["domain:ville.example"] = "ville",
            ["domain:example.org"] = "cdc",
        })).EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _graph.DisposeAsync();
    }

    private Task<string> SyncAsync() => GraphTestApp.RunTimerAsync(_app, "SyncGroupMembership");

    [Fact]
    public async Task Sync_AdditionsRemovalsAndA410Resync_StartAndEndOnlyWhatChanged()
    {
        var store = _app.Services.GetRequiredService<EngagementStores>();

        // First sync: the current members, over two pages.
        _graph.DeltaAnswers[""] = _ => _graph.DeltaPage(Group, ["u-marie", "u-sophie"], [], nextToken: "page2");
        _graph.DeltaAnswers["page2"] = _ => _graph.DeltaPage(Group, ["u-karim", "u-paul"], [], deltaToken: "t1");
        var first = await SyncAsync();
        // Marie (matched by e-mail) already represents the CDC: nothing new for her; Paul's domain maps to no organisation.
        Assert.True(first.Contains("2 representation(s) started, 0 ended, 1 member(s) without an organisation", StringComparison.Ordinal), first);
        var roster = await store.Roster.GetRosterAsync("p1");
        Assert.Single(roster.Representations, r => r.PersonId == "marie" && r.OrganizationId == "cdc");
        Assert.Contains(roster.Representations, r => r.PersonId == "u-sophie" && r.OrganizationId == "cdc");
        Assert.Contains(roster.Representations, r => r.PersonId == "u-karim" && r.OrganizationId == "ville");
        Assert.Contains(roster.People, p => p.Id == "u-paul" && p.DisplayName == "Paul Morin");
        Assert.Equal($"{_graph.BaseUrl}/groups/delta?$deltatoken=t1", (await store.Integrations.ListIntegrationsAsync("p1")).Single().Checkpoint);

        // Turnover: Sophie leaves the CDC's seat, Nadia takes it.
        _graph.DeltaAnswers["t1"] = _ => _graph.DeltaPage(Group, ["u-nadia"], ["u-sophie"], deltaToken: "t2");
        var second = await SyncAsync();
        Assert.Contains("1 representation(s) started, 1 ended", second, StringComparison.Ordinal);
        roster = await store.Roster.GetRosterAsync("p1");
        var today = DateOnly.FromDateTime(EngagementApp.Start.UtcDateTime);
        Assert.Equal(today, roster.Representations.Single(r => r.PersonId == "u-sophie").To);
        Assert.Null(roster.Representations.Single(r => r.PersonId == "u-nadia").To);

        // The same changes delivered again change nothing.
        _graph.DeltaAnswers["t2"] = _ => _graph.DeltaPage(Group, ["u-nadia"], ["u-sophie"], deltaToken: "t3");
        Assert.Contains("0 representation(s) started, 0 ended", await SyncAsync(), StringComparison.Ordinal);

        // The delta link expires: the current members are compared with what the group started.
        _graph.DeltaAnswers["t3"] = _ => Results.Json(new JsonObject { ["error"] = new JsonObject { ["code"] = "resyncRequired", ["message"] = "Resync required." } }, statusCode: StatusCodes.Status410Gone);
        _graph.DeltaAnswers[""] = _ => _graph.DeltaPage(Group, ["u-marie", "u-nadia", "u-paul"], [], deltaToken: "t4");
        var resync = await SyncAsync();
        Assert.Contains("full resync; 0 representation(s) started, 1 ended", resync, StringComparison.Ordinal);
        roster = await store.Roster.GetRosterAsync("p1");
        Assert.Equal(today, roster.Representations.Single(r => r.PersonId == "u-karim").To);
        Assert.Null(roster.Representations.Single(r => r.PersonId == "marie").To);
        Assert.Null(roster.Representations.Single(r => r.PersonId == "u-nadia").To);
        Assert.Equal($"{_graph.BaseUrl}/groups/delta?$deltatoken=t4", (await store.Integrations.ListIntegrationsAsync("p1")).Single().Checkpoint);
        Assert.All(_graph.Authorizations, a => Assert.Equal("Bearer graph-test-token", a));
    }

    [Fact]
    public async Task Sync_AMemberSeveralTimesInOneRound_TakesTheLastStateInPageOrder()
    {
        var store = _app.Services.GetRequiredService<EngagementStores>();
        _graph.DeltaAnswers[""] = _ => _graph.DeltaPage(Group, ["u-marie", "u-sophie", "u-karim"], [], deltaToken: "t1");
        await SyncAsync();

        // Sophie leaves and comes back; Nadia joins and leaves: each appears twice in the round (Graph may also replay).
        _graph.DeltaAnswers["t1"] = _ => _graph.DeltaPage(Group, [], ["u-sophie"], nextToken: "p2");
        _graph.DeltaAnswers["p2"] = _ => _graph.DeltaPage(Group, ["u-sophie", "u-nadia"], [], nextToken: "p3");
        _graph.DeltaAnswers["p3"] = _ => _graph.DeltaPage(Group, [], ["u-nadia"], deltaToken: "t2");
        var second = await SyncAsync();

        Assert.True(second.Contains("0 representation(s) started, 0 ended", StringComparison.Ordinal), second);
        var roster = await store.Roster.GetRosterAsync("p1");
        Assert.Null(roster.Representations.Single(r => r.PersonId == "u-sophie").To);
        Assert.DoesNotContain(roster.Representations, r => r.PersonId == "u-nadia");
    }

    [Fact]
    public async Task Sync_DeltaLinkGone_ResyncsFromTheFirstRoundOfTheNewDelta_WithoutAMembersRead()
    {
        var store = _app.Services.GetRequiredService<EngagementStores>();
        _graph.DeltaAnswers[""] = _ => _graph.DeltaPage(Group, ["u-marie", "u-sophie", "u-karim"], [], deltaToken: "t1");
        await SyncAsync();

        // The link is gone. Sophie leaves while the resync runs: a separate members read would still have listed her,
        // and the new delta link, taken after it, would never tell. The new delta's first round is the state kept.
        _graph.DeltaAnswers["t1"] = _ => Results.Json(new JsonObject { ["error"] = new JsonObject { ["code"] = "resyncRequired", ["message"] = "Resync required." } }, statusCode: StatusCodes.Status410Gone);
        _graph.DeltaAnswers[""] = _ => _graph.DeltaPage(Group, ["u-marie", "u-sophie"], [], nextToken: "r2");
        _graph.DeltaAnswers["r2"] = _ => _graph.DeltaPage(Group, ["u-karim"], ["u-sophie"], deltaToken: "t2");
        var resync = await SyncAsync();

        Assert.True(resync.Contains("full resync; 0 representation(s) started, 1 ended", StringComparison.Ordinal), resync);
        var roster = await store.Roster.GetRosterAsync("p1");
        Assert.Equal(DateOnly.FromDateTime(EngagementApp.Start.UtcDateTime), roster.Representations.Single(r => r.PersonId == "u-sophie").To);
        Assert.Null(roster.Representations.Single(r => r.PersonId == "u-karim").To);
        Assert.DoesNotContain(_graph.Requests, r => r.Contains("/members", StringComparison.Ordinal));
        Assert.Equal($"{_graph.BaseUrl}/groups/delta?$deltatoken=t2", (await store.Integrations.ListIntegrationsAsync("p1")).Single().Checkpoint);
    }

    [Theory]
    [InlineData("syncStateNotFound")]
    [InlineData("SyncStateNotFound")]
    [InlineData("ResyncRequired")]
    public async Task Sync_AnExpiredDeltaLinkWhateverTheCodesCase_Resyncs(string code)
    {
        var store = _app.Services.GetRequiredService<EngagementStores>();
        _graph.DeltaAnswers[""] = _ => _graph.DeltaPage(Group, ["u-marie", "u-sophie", "u-karim"], [], deltaToken: "t1");
        await SyncAsync();

        _graph.DeltaAnswers["t1"] = _ => Results.Json(new JsonObject { ["error"] = new JsonObject { ["code"] = code, ["message"] = "The sync state generation is not found." } }, statusCode: StatusCodes.Status400BadRequest);
        _graph.DeltaAnswers[""] = _ => _graph.DeltaPage(Group, ["u-marie", "u-sophie", "u-karim"], [], deltaToken: "t2");
        var resync = await SyncAsync();

        Assert.True(resync.Contains("full resync; 0 representation(s) started, 0 ended", StringComparison.Ordinal), resync);
        Assert.Equal($"{_graph.BaseUrl}/groups/delta?$deltatoken=t2", (await store.Integrations.ListIntegrationsAsync("p1")).Single().Checkpoint);
    }

    [Fact]
    public async Task Sync_GraphFails_LeavesTheCheckpointAndAnswersAFailure()
    {
        _graph.DeltaAnswers[""] = _ => Results.Json(new JsonObject { ["error"] = new JsonObject { ["code"] = "Authorization_RequestDenied", ["message"] = "Insufficient privileges." } }, statusCode: 403);
        using var response = await _app.Admin().PostAsync("/SyncGroupMembership", new StringContent("{}", Encoding.UTF8, "application/json"));
        Assert.Equal(System.Net.HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Null((await _app.Services.GetRequiredService<EngagementStores>().Integrations.ListIntegrationsAsync("p1")).Single().Checkpoint);
    }

    [Fact]
    public async Task Register_GroupWithoutOrganisationMapping_IsRefused()
    {
        var response = await _app.Admin().PutAsJsonAsync("/api/partnerships/p1/integrations/group/g2", new Dictionary<string, string> { ["domain:x.example"] = "nowhere" });
        await Problem.AssertAsync(response, System.Net.HttpStatusCode.BadRequest, "domain:x.example");
        var none = await _app.Admin().PutAsJsonAsync("/api/partnerships/p1/integrations/group/g3", new Dictionary<string, string>());
        await Problem.AssertAsync(none, System.Net.HttpStatusCode.BadRequest, "organizationId");
    }
}
