using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Engagement.Core.Domain;
using static Engagement.Functions.Tests.Participants.ParticipantScenario;

namespace Engagement.Functions.Tests.Participants;

/// <summary>
/// Closing a meeting's sign-in, from the API and from the coordinator's pages: representatives without a record become
/// absent (or excused when told), the sheet refuses later sign-ins, closing again changes nothing; and the pages
/// themselves (QR code without style attributes, live reload, coordinator only, antiforgery on every post).
/// </summary>
public sealed class CloseSignInTests
{
    private static async Task AddRepresentativeAsync(EngagementApp app, string id, string name, string organizationId)
    {
        (await app.Admin().PostAsJsonAsync("/api/partnerships/p1/people", new object[] { new { id, displayName = name } })).EnsureSuccessStatusCode();
        (await app.Admin().PostAsJsonAsync("/api/partnerships/p1/representations", new object[] { new { organizationId, personId = id, from = "2025-01-01" } })).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task Close_MarksEveryRepresentativeWithoutARecordAbsent_OrExcused_AndRefusesLaterSignIns()
    {
        await using var app = await StartAsync();
        await AddRepresentativeAsync(app, "ana", "Ana Bouchard", "cdc");
        await AddRepresentativeAsync(app, "zoe", "Zoé Fortin", "ville");
        var link = await SignInLinkAsync(app);
        await SignInAsync(Phone(app), link, "cdc", "marie");
        var coordinator = app.ClientWithKey(EngagementApp.Keys.Coordinator);

        using var closed = await coordinator.PostAsJsonAsync("/api/partnerships/p1/meetings/today/sign-in/close", new { excused = new[] { "zoe" } });
        using var again = await coordinator.PostAsync("/api/partnerships/p1/meetings/today/sign-in/close", null);
        using var late = await SignInAsync(Phone(app), link, "ville", "jean");

        var result = await closed.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((2, 1), (result.GetProperty("absent").GetInt32(), result.GetProperty("excused").GetInt32()));
        var second = await again.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((0, 0), (second.GetProperty("absent").GetInt32(), second.GetProperty("excused").GetInt32()));
        Assert.Equal(result.GetProperty("closedAt").GetDateTimeOffset(), second.GetProperty("closedAt").GetDateTimeOffset());
        Assert.Equal(HttpStatusCode.Gone, late.StatusCode);
        Assert.Contains("a fermé la signature", await late.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var statuses = (await AttendanceAsync(app)).ToDictionary(a => a.PersonId, a => a.Status);
        Assert.Equal(new Dictionary<string, AttendanceStatus>
        {
            ["marie"] = AttendanceStatus.Present,
            ["ana"] = AttendanceStatus.Absent,
            ["jean"] = AttendanceStatus.Absent,
            ["zoe"] = AttendanceStatus.Excused,
        }, statuses); // Luc represents nobody: not expected
    }

    [Fact]
    public async Task Close_ExcusingSomeoneWhoIsNotExpected_Is400NamingTheEntry_AndChangesNothing()
    {
        await using var app = await StartAsync();
        await SignInAsync(Phone(app), await SignInLinkAsync(app), "cdc", "marie");

        using var refused = await app.ClientWithKey(EngagementApp.Keys.Coordinator).PostAsJsonAsync("/api/partnerships/p1/meetings/today/sign-in/close", new { excused = new[] { "jean", "marie" } });

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        var errors = (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("excused[1]", out _));
        Assert.False(errors.TryGetProperty("excused[0]", out _));
        Assert.Single(await AttendanceAsync(app));
        Assert.Null((await SheetAsync(app)).ClosedAt);
    }

    [Fact]
    public async Task MeetingPage_ShowsTheQrCodeAndTheLiveSheet_ToTheCoordinator()
    {
        await using var app = await StartAsync();
        var link = await SignInLinkAsync(app);
        await SignInAsync(Phone(app), link, "cdc", "marie");
        await SignInAsync(Phone(app), link, "cdc", name: "Paul Lavoie");

        var (_, token, html, page) = await DashboardPageAsync(app, EngagementApp.Keys.CoordinatorOfP1, "/api/dashboard/partnerships/p1/meetings/today/sign-in");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("20", page.Headers.GetValues("Refresh").Single());
        Assert.Contains("<svg class=\"qr\"", html, StringComparison.Ordinal);
        Assert.Contains("role=\"img\"", html, StringComparison.Ordinal);
        Assert.Contains("Code QR de l’adresse http://localhost/api/sign-in?p=p1&amp;m=today", html, StringComparison.Ordinal);
        Assert.DoesNotContain(" style=", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Présences enregistrées (2)", html, StringComparison.Ordinal);
        Assert.Contains("2e personne pour cette organisation", html, StringComparison.Ordinal);
        Assert.Contains("nom saisi, à confirmer", html, StringComparison.Ordinal);
        Assert.Contains("Pas encore signé (1)", html, StringComparison.Ordinal); // Jean
        Assert.NotEmpty(token);
    }

    [Fact]
    public async Task MeetingPage_RefusesReaders_OtherPartnerships_AndVisitorsWithoutASession()
    {
        await using var app = await StartAsync();
        await app.SeedAsync("p2");
        await AddMeetingAsync(app, "other", MeetingStart, "p2");

        var (_, _, analyst, analystPage) = await DashboardPageAsync(app, EngagementApp.Keys.Analyst, "/api/dashboard/partnerships/p1/meetings/today/sign-in");
        var (_, _, _, otherPage) = await DashboardPageAsync(app, EngagementApp.Keys.CoordinatorOfP1, "/api/dashboard/partnerships/p2/meetings/other/sign-in");
        using var anonymous = await Phone(app).GetAsync("/api/dashboard/partnerships/p1/meetings/today/sign-in");

        Assert.Equal(HttpStatusCode.Forbidden, analystPage.StatusCode);
        Assert.DoesNotContain("<svg class=\"qr\"", analyst, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, otherPage.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.StartsWith("/api/dashboard/login", anonymous.Headers.Location?.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClosePage_PostsWithItsAntiforgeryField_AndIsRefusedWithoutIt()
    {
        await using var app = await StartAsync();
        var (client, token, html, _) = await DashboardPageAsync(app, EngagementApp.Keys.Coordinator, "/api/dashboard/partnerships/p1/meetings/today/sign-in/close?lang=en");
        Assert.Contains("name=\"excused\" value=\"jean\"", html, StringComparison.Ordinal);

        using var forged = await client.PostAsync("/api/dashboard/partnerships/p1/meetings/today/sign-in/close?lang=en", Form(("excused", "jean")));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Empty(await AttendanceAsync(app));

        using var closed = await client.PostAsync("/api/dashboard/partnerships/p1/meetings/today/sign-in/close?lang=en", Form(("ef_token", token), ("excused", "jean")));
        Assert.Equal(HttpStatusCode.Redirect, closed.StatusCode);
        Assert.Equal("/api/dashboard/partnerships/p1/meetings/today/sign-in?lang=en", closed.Headers.Location?.ToString());
        Assert.Equal(new Dictionary<string, AttendanceStatus> { ["marie"] = AttendanceStatus.Absent, ["jean"] = AttendanceStatus.Excused }, (await AttendanceAsync(app)).ToDictionary(a => a.PersonId, a => a.Status));
        Assert.NotNull((await SheetAsync(app)).ClosedAt);
    }

    [Fact]
    public async Task ConfirmButton_OnTheMeetingPage_GivesTheTypedNameItsRepresentation()
    {
        await using var app = await StartAsync();
        await SignInAsync(Phone(app), await SignInLinkAsync(app), "ville", name: "Paul Lavoie");
        var personId = Assert.Single((await SheetAsync(app)).SignIns).PersonId;
        var (client, token, html, _) = await DashboardPageAsync(app, EngagementApp.Keys.Coordinator, "/api/dashboard/partnerships/p1/meetings/today/sign-in");
        Assert.Contains($"/sign-ins/{personId}/confirm", html, StringComparison.Ordinal);

        using var confirmed = await client.PostAsync($"/api/dashboard/partnerships/p1/meetings/today/sign-ins/{personId}/confirm?lang=fr", Form(("ef_token", token)));

        Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);
        var after = await (await client.GetAsync("/api/dashboard/partnerships/p1/meetings/today/sign-in")).Content.ReadAsStringAsync();
        Assert.Contains("nom saisi, confirmé", after, StringComparison.Ordinal);
        Assert.DoesNotContain($"/sign-ins/{personId}/confirm", after, StringComparison.Ordinal);
    }
}
