using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Engagement.Core.Domain;
using Engagement.Core.Storage;
using Microsoft.Extensions.DependencyInjection;
using static Engagement.Functions.Tests.Participants.ParticipantScenario;

namespace Engagement.Functions.Tests.Participants;

/// <summary>
/// The sign-in at the door: the coordinator's link, a phone picking its organisation and name (or typing it), each
/// person recorded once whatever the taps, the link refused when tampered with, expired, early or closed (a page, and
/// nothing stored), and the coordinator closing the sheet.
/// </summary>
public sealed class SignInTests
{
    [Fact]
    public async Task SignInLink_ForTheCoordinator_IsTheSignedAddressAndItsWindow()
    {
        await using var app = await StartAsync();

        var link = await app.ClientWithKey(EngagementApp.Keys.Coordinator).GetFromJsonAsync<JsonElement>("/api/partnerships/p1/meetings/today/sign-in");

        Assert.StartsWith("http://localhost/api/sign-in?p=p1&m=today&e=", link.GetProperty("url").GetString(), StringComparison.Ordinal);
        Assert.Equal(MeetingStart.AddMinutes(-60), link.GetProperty("validFrom").GetDateTimeOffset());
        Assert.Equal(MeetingStart.AddHours(2).AddMinutes(120), link.GetProperty("validUntil").GetDateTimeOffset());
        Assert.Equal(JsonValueKind.Null, link.GetProperty("closedAt").ValueKind);
    }

    [Fact]
    public async Task SignInLink_OfAMeetingThatDoesNotExist_Is404NamingTheMeeting()
    {
        await using var app = await StartAsync();

        using var response = await app.ClientWithKey(EngagementApp.Keys.Coordinator).GetAsync("/api/partnerships/p1/meetings/none/sign-in");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("meetingId", out _));
    }

    [Fact]
    public async Task Phone_PicksItsOrganisationThenItsName_AndIsRecordedPresent()
    {
        await using var app = await StartAsync();
        var link = await SignInLinkAsync(app);
        var phone = Phone(app);

        var organizations = await (await phone.GetAsync(link)).Content.ReadAsStringAsync();
        Assert.Contains("CDC Centre-Sud", organizations, StringComparison.Ordinal);
        Assert.Contains("&amp;o=cdc", organizations, StringComparison.Ordinal);
        using var names = await phone.GetAsync(link + "&o=cdc");
        var html = await names.Content.ReadAsStringAsync();
        Assert.Contains("name=\"person\" value=\"marie\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Jean Roy", html, StringComparison.Ordinal); // another organisation's representative
        Assert.DoesNotContain("marie@example.org", html, StringComparison.Ordinal); // names only, never e-mails

        using var signedIn = await SignInAsync(phone, link, "cdc", personId: "marie");

        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        Assert.Contains("Marie Tremblay", await signedIn.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var record = Assert.Single(await AttendanceAsync(app));
        Assert.Equal(("marie", AttendanceStatus.Present), (record.PersonId, record.Status));
        var line = Assert.Single((await SheetAsync(app)).SignIns);
        Assert.Equal(("marie", "cdc", false, EngagementApp.Start), (line.PersonId, line.OrganizationId, line.NewName, line.SignedInAt));
    }

    [Fact]
    public async Task DoubleTap_AndASecondVisit_StoreOneRecord_AndKeepTheFirstTime()
    {
        await using var app = await StartAsync();
        var link = await SignInLinkAsync(app);

        var taps = await Task.WhenAll(SignInAsync(Phone(app), link, "cdc", "marie"), SignInAsync(Phone(app), link, "cdc", "marie"));
        app.Clock.Advance(TimeSpan.FromMinutes(10));
        using var again = await SignInAsync(Phone(app), link, "cdc", "marie");

        Assert.All(taps.Append(again), r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Single(await AttendanceAsync(app));
        Assert.Equal(EngagementApp.Start, Assert.Single((await SheetAsync(app)).SignIns).SignedInAt);
    }

    [Fact]
    public async Task TypedName_IsAPersonToConfirm_TypedAgainIsTheSamePerson_AndTheCoordinatorConfirmsIt()
    {
        await using var app = await StartAsync();
        var link = await SignInLinkAsync(app);

        using var typed = await SignInAsync(Phone(app), link, "cdc", name: "  Sophie   Côté ");
        using var again = await SignInAsync(Phone(app), link, "cdc", name: "sophie cote");

        Assert.Equal(HttpStatusCode.OK, typed.StatusCode);
        Assert.Contains("la coordination le confirmera", await typed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var roster = await app.Services.GetRequiredService<IRosterStore>().GetRosterAsync("p1");
        var sophie = Assert.Single(roster.People, p => p.Id.StartsWith("new-", StringComparison.Ordinal));
        Assert.Equal("Sophie Côté", sophie.DisplayName);
        Assert.DoesNotContain(roster.Representations, r => r.PersonId == sophie.Id); // not counted for the organisation before it is confirmed
        Assert.Equal(sophie.Id, Assert.Single(await AttendanceAsync(app)).PersonId); // present once, whatever the spelling
        var sheet = await app.ClientWithKey(EngagementApp.Keys.Coordinator).GetFromJsonAsync<JsonElement>("/api/partnerships/p1/meetings/today/sign-ins");
        var line = Assert.Single(sheet.GetProperty("signIns").EnumerateArray());
        Assert.True(line.GetProperty("toConfirm").GetBoolean());

        var confirmed = await app.ClientWithKey(EngagementApp.Keys.Coordinator).PostAsync($"/api/partnerships/p1/meetings/today/sign-ins/{sophie.Id}/confirm", null);

        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        var representation = Assert.Single((await app.Services.GetRequiredService<IRosterStore>().GetRosterAsync("p1")).Representations, r => r.PersonId == sophie.Id);
        Assert.Equal(("cdc", new DateOnly(2026, 11, 1), (DateOnly?)null), (representation.OrganizationId, representation.From, representation.To));
        sheet = await app.ClientWithKey(EngagementApp.Keys.Coordinator).GetFromJsonAsync<JsonElement>("/api/partnerships/p1/meetings/today/sign-ins");
        Assert.False(sheet.GetProperty("signIns")[0].GetProperty("toConfirm").GetBoolean());
        Assert.Equal(HttpStatusCode.NotFound, (await app.ClientWithKey(EngagementApp.Keys.Coordinator).PostAsync("/api/partnerships/p1/meetings/today/sign-ins/marie/confirm", null)).StatusCode);
    }

    [Fact]
    public async Task TypedNameOfAListedRepresentative_IsThatRepresentative()
    {
        await using var app = await StartAsync();
        var link = await SignInLinkAsync(app);

        using var typed = await SignInAsync(Phone(app), link, "cdc", name: "marie TREMBLAY");

        Assert.Equal(HttpStatusCode.OK, typed.StatusCode);
        Assert.Equal("marie", Assert.Single(await AttendanceAsync(app)).PersonId);
        Assert.False(Assert.Single((await SheetAsync(app)).SignIns).NewName);
    }

    [Theory]
    [InlineData("", null, "Choisissez votre nom")]
    [InlineData(null, "x", "Ce nom ne peut pas être retenu")]
    [InlineData("jean", null, "Choisissez votre nom")] // Jean represents another organisation
    public async Task BadPick_ComesBackWithTheProblem_AndStoresNothing(string? personId, string? name, string problem)
    {
        await using var app = await StartAsync();
        var link = await SignInLinkAsync(app);

        using var refused = await SignInAsync(Phone(app), link, "cdc", personId, name);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains(problem, await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(await AttendanceAsync(app));
        Assert.Empty((await SheetAsync(app)).SignIns);
    }

    [Fact]
    public async Task SecondPersonForAnOrganisation_IsAllowed_AndFlaggedForTheCoordinator()
    {
        await using var app = await StartAsync();
        var link = await SignInLinkAsync(app);

        await SignInAsync(Phone(app), link, "cdc", "marie");
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        await SignInAsync(Phone(app), link, "cdc", name: "Paul Lavoie");
        await SignInAsync(Phone(app), link, "ville", "jean");

        var sheet = await app.ClientWithKey(EngagementApp.Keys.Coordinator).GetFromJsonAsync<JsonElement>("/api/partnerships/p1/meetings/today/sign-ins");
        var flags = sheet.GetProperty("signIns").EnumerateArray().ToDictionary(l => l.GetProperty("name").GetString()!, l => l.GetProperty("secondForOrganization").GetBoolean());
        Assert.Equal(new Dictionary<string, bool> { ["Marie Tremblay"] = false, ["Jean Roy"] = false, ["Paul Lavoie"] = true }, flags);
        Assert.Equal(3, (await AttendanceAsync(app)).Count);
    }

    public static TheoryData<string, string> Tampered() => new()
    {
        { "signature changed", "s=" },
        { "other meeting", "m=" },
        { "other partnership", "p=" },
        { "later expiry", "e=" },
        { "signature removed", "drop-s" },
    };

    [Theory]
    [MemberData(nameof(Tampered))]
    public async Task TamperedLink_IsRefusedWithAPage_AndStoresNothing(string what, string part)
    {
        await using var app = await StartAsync();
        await AddMeetingAsync(app, "other", MeetingStart);
        var link = await SignInLinkAsync(app);
        var query = System.Web.HttpUtility.ParseQueryString(new Uri("http://x" + link).Query);
        switch (part)
        {
            case "s=": query["s"] = "A" + query["s"]![1..]; break;
            case "m=": query["m"] = "other"; break;
            case "p=": query["p"] = "p2"; break;
            case "e=": query["e"] = (long.Parse(query["e"]!, System.Globalization.CultureInfo.InvariantCulture) + 3600).ToString(System.Globalization.CultureInfo.InvariantCulture); break;
            default: query.Remove("s"); break;
        }

        var tampered = "/api/sign-in?" + query;
        using var page = await Phone(app).GetAsync(tampered + "&o=cdc");
        using var post = await SignInAsync(Phone(app), tampered, "cdc", "marie");

        Assert.True(HttpStatusCode.Forbidden == page.StatusCode, what);
        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        Assert.Equal("text/html", post.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Lien non valide", await post.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(await AttendanceAsync(app));
        Assert.Empty(await AttendanceAsync(app, "other"));
    }

    [Fact]
    public async Task SignInLink_DoesNotOpenAFeedbackOrADiagnostic()
    {
        await using var app = await StartAsync();
        var query = (await SignInLinkAsync(app)).Split('?')[1];

        Assert.Equal(HttpStatusCode.Forbidden, (await Phone(app).GetAsync("/api/feedback?" + query + "&f=x")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Phone(app).GetAsync("/api/diagnostic?" + query)).StatusCode);
    }

    [Fact]
    public async Task Link_AfterItsWindow_IsExpired_AndBeforeIt_NotYetOpen()
    {
        await using var app = await StartAsync();
        await AddMeetingAsync(app, "tomorrow", MeetingStart.AddDays(1));
        var link = await SignInLinkAsync(app);
        var early = await SignInLinkAsync(app, "tomorrow");

        using var notYet = await SignInAsync(Phone(app), early, "cdc", "marie");
        app.Clock.Advance(TimeSpan.FromMinutes(30 + 120 + 120) + TimeSpan.FromSeconds(1));
        using var expired = await SignInAsync(Phone(app), link, "cdc", "marie");

        Assert.Equal(HttpStatusCode.Forbidden, notYet.StatusCode);
        Assert.Contains("La signature ouvrira le", await notYet.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Gone, expired.StatusCode);
        Assert.Contains("Lien expiré", await expired.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(await AttendanceAsync(app));
        Assert.Empty(await AttendanceAsync(app, "tomorrow"));
    }

    [Fact]
    public async Task EnglishPages_OnRequest_AndInAnEnglishPartnership()
    {
        await using var app = await StartAsync();
        var link = await SignInLinkAsync(app);

        var english = await (await Phone(app).GetAsync(link + "&lang=en")).Content.ReadAsStringAsync();
        using var signedIn = await Phone(app).PostAsync(link + "&o=cdc&lang=en", Form(("o", "cdc"), ("person", "marie")));

        Assert.Contains("Which organisation are you here for?", english, StringComparison.Ordinal);
        Assert.Contains("<html lang=\"en\">", english, StringComparison.Ordinal);
        Assert.Contains("Thank you, Marie Tremblay! Your attendance for CDC Centre-Sud is recorded.", await signedIn.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ParticipantPages_CarryNoScript_NoStyleAttribute_NoDashboardLink()
    {
        await using var app = await StartAsync();
        var link = await SignInLinkAsync(app);

        using var page = await Phone(app).GetAsync(link + "&o=cdc");
        var html = await page.Content.ReadAsStringAsync();

        var policy = page.Headers.GetValues("Content-Security-Policy").Single();
        Assert.StartsWith("default-src 'none';", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("script-src", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(" style=", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("/api/dashboard", html, StringComparison.Ordinal);
        Assert.Contains("/api/participants/privacy?lang=fr", html, StringComparison.Ordinal);
        Assert.Equal("no-store", page.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task PrivacyNotice_InBothLanguages_SaysWhatIsKeptForHowLongAndWhoSeesIt()
    {
        await using var app = new EngagementApp(new() { ["Privacy:RetentionMonths"] = "18" });

        var french = await (await Phone(app).GetAsync("/api/participants/privacy")).Content.ReadAsStringAsync();
        var english = await (await Phone(app).GetAsync("/api/participants/privacy?lang=en")).Content.ReadAsStringAsync();

        Assert.Contains("après 18 mois sans activité", french, StringComparison.Ordinal);
        Assert.Contains("La coordination du partenariat voit les noms", french, StringComparison.Ordinal);
        Assert.Contains("after 18 months without activity", english, StringComparison.Ordinal);
        Assert.Contains("your attendance at the meeting", english, StringComparison.Ordinal);
    }
}
