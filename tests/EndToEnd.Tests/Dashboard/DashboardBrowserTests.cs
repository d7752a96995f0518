using System.Net;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Engagement.EndToEnd.Tests.Dashboard;

/// <summary>
/// The coordinators' dashboard in headless Chromium (Debian's package, installed by .ci/run), served by the built app
/// on loopback and seeded through its API (<see cref="DashboardApp"/>): every page in both languages under axe-core,
/// sign-in, scoping, the analyst's pseudonyms, the language toggle. The partnership page's own scenarios (heatmap,
/// alerts, period, print) are in DashboardBrowserTests.Partnership.cs, the action plan's (its section, the tracker's
/// upload, the report printed and as a Word document) in DashboardBrowserTests.Plan.cs. Screenshots, the printed PDFs
/// and the Word document are kept in dashboard-screenshots/ beside the test binaries.
/// </summary>
public sealed partial class DashboardBrowserTests(DashboardApp dashboard, ITestOutputHelper output) : IClassFixture<DashboardApp>
{
    private static readonly string[] Languages = ["fr", "en"];

    /// <summary>The alert of p6's organisation, in the partnership only the e-mail link test changes.</summary>
    private async Task<string> LinkAlertAsync() =>
        (await dashboard.GetJsonAsync($"/api/alerts?partnershipId={DashboardSeed.Link}")).EnumerateArray().Single(a => a.GetProperty("organizationId").GetString() == "org-z").GetProperty("id").GetString()!;

    /// <summary>The sign-in form posted with <paramref name="key"/>; returns the answer's status.</summary>
    private static async Task<int> PostSignInAsync(BrowserSession session, string key, string language)
    {
        await session.GotoAsync($"/api/dashboard/login?lang={language}");
        await session.Page.FillAsync("#key", key);
        var response = await session.Page.RunAndWaitForResponseAsync(
            () => session.Page.ClickAsync("button[type=submit]"),
            r => r.Request.Method == "POST" && r.Url.Contains("/api/dashboard/login", StringComparison.Ordinal));
        return response.Status;
    }

    private async Task CheckAsync(BrowserSession session, string name, string language)
    {
        Assert.Equal(language, await session.Page.Locator("html").GetAttributeAsync("lang"));
        await Accessibility.AssertNoSeriousViolationsAsync(session.Page, output);
        await Artifacts.ScreenshotAsync(session.Page, $"{name}-{language}");
    }

    [Fact]
    public async Task EveryPage_InBothLanguages_HasNoSeriousOrCriticalAxeViolation_AndIsScreenshotted()
    {
        var alertId = await LinkAlertAsync();
        foreach (var language in Languages)
        {
            await using var visitor = await dashboard.OpenAsync();
            await visitor.GotoAsync($"/api/dashboard/login?lang={language}");
            await CheckAsync(visitor, "login", language);
            Assert.Equal((int)HttpStatusCode.Unauthorized, await PostSignInAsync(visitor, "not-a-key", language));
            await CheckAsync(visitor, "key-refused", language);
            Assert.Equal((int)HttpStatusCode.Forbidden, await PostSignInAsync(visitor, DashboardApp.IngestKey, language));
            await CheckAsync(visitor, "no-dashboard", language);
            await visitor.GotoAsync(dashboard.AcknowledgeLink(DashboardSeed.Link, alertId, language));
            await CheckAsync(visitor, "acknowledge", language);
            await visitor.GotoAsync(dashboard.AcknowledgeLink(DashboardSeed.Link, alertId, language).Replace("&s=", "&s=x", StringComparison.Ordinal), (int)HttpStatusCode.Forbidden);
            await CheckAsync(visitor, "acknowledge-refused", language);
            visitor.AssertNoConsoleErrors();

            await using var admin = await dashboard.OpenAsync(DashboardApp.AdminKey, language);
            await CheckAsync(admin, "overview", language);
            await admin.GotoAsync($"/api/dashboard/partnerships/{DashboardSeed.Realistic}?lang={language}");
            await CheckAsync(admin, "partnership", language);
            await admin.GotoAsync($"/api/dashboard/partnerships/{DashboardSeed.Realistic}/organizations/{RealisticPartnership.FallingOrganization}?lang={language}");
            await CheckAsync(admin, "organization", language);
            await admin.GotoAsync($"/api/dashboard/partnerships/{DashboardSeed.Realistic}/organizations/{RealisticPlan.LateOrganization}?lang={language}");
            await CheckAsync(admin, "organization-late-action", language);
            await admin.GotoAsync($"/api/dashboard/partnerships/{DashboardSeed.Realistic}/report?lang={language}");
            await CheckAsync(admin, "report", language);
            await admin.GotoAsync($"/api/dashboard/partnerships/{DashboardSeed.Realistic}/report/objectives/{RealisticPlan.NarratedObjective}?lang={language}");
            await CheckAsync(admin, "narrative", language);
            await admin.GotoAsync($"/api/dashboard/partnerships/missing?lang={language}", (int)HttpStatusCode.NotFound);
            await CheckAsync(admin, "not-found", language);
            admin.AssertNoConsoleErrors();
        }

        output.WriteLine($"Screenshots: {Artifacts.Folder}");
    }

    [Fact]
    public async Task LanguageToggle_OnEveryPage_KeepsThePageAndItsQuery_AndSwitchesHtmlLang()
    {
        var alertId = await LinkAlertAsync();
        await using var visitor = await dashboard.OpenAsync();
        await ToggleTwiceAsync(visitor, "/api/dashboard/login?lang=fr");
        await ToggleTwiceAsync(visitor, dashboard.AcknowledgeLink(DashboardSeed.Link, alertId, "fr"));
        await ToggleTwiceAsync(visitor, dashboard.AcknowledgeLink(DashboardSeed.Link, alertId, "fr").Replace("&s=", "&s=x", StringComparison.Ordinal), (int)HttpStatusCode.Forbidden);

        // A refused sign-in answers the form's post: its toggle offers the sign-in page in the other language.
        await PostSignInAsync(visitor, "not-a-key", "fr");
        await visitor.ClickAndWaitForUrlAsync(visitor.Page.Locator("header.top nav a[hreflang]"), url => url.EndsWith("/api/dashboard/login?lang=en", StringComparison.Ordinal));
        Assert.Equal("en", await visitor.Page.Locator("html").GetAttributeAsync("lang"));
        visitor.AssertNoConsoleErrors();

        await using var admin = await dashboard.OpenAsync(DashboardApp.AdminKey);
        await ToggleTwiceAsync(admin, "/api/dashboard?sort=name&dir=asc&lang=fr");
        await ToggleTwiceAsync(admin, $"/api/dashboard/partnerships/{DashboardSeed.Realistic}?period=24&lang=fr");
        await ToggleTwiceAsync(admin, $"/api/dashboard/partnerships/{DashboardSeed.Realistic}/organizations/{RealisticPartnership.FallingOrganization}?period=6&lang=fr");
        await ToggleTwiceAsync(admin, "/api/dashboard/partnerships/missing?period=6&lang=fr", (int)HttpStatusCode.NotFound);
        admin.AssertNoConsoleErrors();
    }

    /// <summary>French → English → French by the header's link: the same path, the same other query values.</summary>
    private static async Task ToggleTwiceAsync(BrowserSession session, string path, int status = 200)
    {
        await session.GotoAsync(path, status);
        var start = new Uri(session.Page.Url);
        foreach (var language in new[] { "en", "fr" })
        {
            var toggle = session.Page.Locator("header.top nav a[hreflang]");
            Assert.Equal(language, await toggle.GetAttributeAsync("hreflang"));
            await session.ClickAndWaitForUrlAsync(toggle, url => url.EndsWith("lang=" + language, StringComparison.Ordinal));
            var now = new Uri(session.Page.Url);
            Assert.Equal(start.AbsolutePath, now.AbsolutePath);
            Assert.Equal(QueryWithout(start, "lang"), QueryWithout(now, "lang"));
            Assert.Equal(language, await session.Page.Locator("html").GetAttributeAsync("lang"));
        }
    }

    private static string[] QueryWithout(Uri uri, string name) =>
        [.. uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries).Where(p => !p.StartsWith(name + "=", StringComparison.Ordinal)).Order(StringComparer.Ordinal)];

    [Fact]
    public async Task Coordinator_SignsIn_SeesOnlyTheirPartnership_AndItsCharts()
    {
        await using var session = await dashboard.OpenAsync();
        var page = session.Page;

        // Without a session the dashboard sends the visitor to the sign-in form.
        await page.GotoAsync("/api/dashboard");
        Assert.EndsWith("/api/dashboard/login", page.Url, StringComparison.Ordinal);

        await page.FillAsync("#key", DashboardApp.CoordinatorKey);
        await session.ClickAndWaitForUrlAsync(page.Locator("button[type=submit]"), url => url.EndsWith("/api/dashboard?lang=fr", StringComparison.Ordinal));

        // The session cookie cannot be read by scripts.
        var cookie = Assert.Single(await session.Context.CookiesAsync(), c => c.Name == "ef_key");
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);

        var overview = await page.Locator("table").InnerTextAsync();
        Assert.Contains("Table <b>Centre-Sud</b>", overview, StringComparison.Ordinal); // escaped, shown as typed
        Assert.DoesNotContain("Verdun", overview, StringComparison.Ordinal); // p2 is not this coordinator's
        Assert.Equal(0, await page.Locator("table b").CountAsync());
        Assert.Equal(1, await page.Locator("tbody svg[role=img]").CountAsync()); // the attendance sparkline
        Assert.Matches(@"^\d+\s%", await page.Locator("tbody td").Nth(1).InnerTextAsync()); // the partnership's latest score

        await session.ClickAndWaitForUrlAsync(page.GetByText("Table <b>Centre-Sud</b>"), url => url.Contains("/api/dashboard/partnerships/p1", StringComparison.Ordinal));
        // The seeded meetings are from 2025: the whole history, not the last 12 months.
        await session.ClickAndWaitForUrlAsync(page.Locator("nav.noprint").GetByText("tout"), url => url.EndsWith("/api/dashboard/partnerships/p1?period=all&lang=fr", StringComparison.Ordinal));
        var headings = await page.Locator("h2").AllInnerTextsAsync();
        Assert.Contains("Présence aux rencontres", headings);
        Assert.Contains("Représentation des organisations", headings);
        Assert.True(await page.Locator("svg[role=img]").CountAsync() >= 3);
        Assert.Contains("CDC Centre-Sud", await page.Locator("body").InnerTextAsync(), StringComparison.Ordinal);

        // Attendance chart: one point per meeting, 100 % then 50 %.
        var attendance = page.Locator("h2#meeting-attendance + svg");
        Assert.Equal(2, await attendance.Locator("circle").CountAsync());
        Assert.Matches(@": 50\s%$", await attendance.Locator("circle title").Last.TextContentAsync());

        // The CACIS wheel: the five community respondents form a group; the single municipal and former
        // representatives' answers are not drawn (groups under 5 would not be anonymous).
        var wheel = page.Locator("svg[role=img]").Last;
        Assert.Equal(1, await wheel.Locator("polygon title").CountAsync());
        Assert.Equal("communautaire", await wheel.Locator("polygon title").TextContentAsync());
        Assert.Equal(7, await page.Locator("table.heatmap tbody tr").CountAsync()); // every organisation, scored or not
        Assert.Equal(1, await page.Locator("h2:has-text('Historique du risque') + svg circle").CountAsync()); // one scoring run, one point

        // English on request, for the overview and the partnership.
        await page.GotoAsync("/api/dashboard?lang=en");
        Assert.Equal("Partnerships by risk", await page.Locator("h1").InnerTextAsync());
        await session.ClickAndWaitForUrlAsync(page.GetByText("Table <b>Centre-Sud</b>"), url => url.EndsWith("/api/dashboard/partnerships/p1?lang=en", StringComparison.Ordinal));
        Assert.Contains("Meeting attendance", await page.Locator("h2").AllInnerTextsAsync());
        Assert.Equal("en", await page.Locator("html").GetAttributeAsync("lang"));
        session.AssertNoConsoleErrors();

        // Another partnership is not found for this key, even by typing its address.
        await session.GotoAsync("/api/dashboard/partnerships/p2", (int)HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task WrongKey_IsRefused_AndSetsNoCookie()
    {
        await using var session = await dashboard.OpenAsync();
        Assert.Equal((int)HttpStatusCode.Unauthorized, await PostSignInAsync(session, "not-a-key", "en"));
        Assert.Equal("Key refused", await session.Page.Locator("h1").InnerTextAsync());
        Assert.Empty(await session.Context.CookiesAsync());
    }

    [Fact]
    public async Task ScopedCoordinator_SeesOnlyTheirPartnerships_AndNotFoundForAnother()
    {
        await using var session = await dashboard.OpenAsync(DashboardApp.EastCoordinatorKey);
        var page = session.Page;
        var rows = await page.Locator("#partnerships tbody th[scope=row]").AllInnerTextsAsync();
        Assert.Equal(new[] { DashboardSeed.PartnershipNames["p1"], DashboardSeed.PartnershipNames[DashboardSeed.Heat] }.Order(), rows.Order());

        await session.GotoAsync($"/api/dashboard/partnerships/{DashboardSeed.Heat}?lang=fr");
        await session.GotoAsync($"/api/dashboard/partnerships/{DashboardSeed.Heat}/organizations/org-clsc?lang=fr");
        await session.GotoAsync($"/api/dashboard/partnerships/{DashboardSeed.Realistic}/organizations/{RealisticPartnership.FallingOrganization}?lang=fr", (int)HttpStatusCode.NotFound);
        Assert.DoesNotContain(DashboardSeed.PartnershipNames[DashboardSeed.Realistic], await page.ContentAsync(), StringComparison.Ordinal);
        foreach (var other in new[] { "p2", DashboardSeed.Realistic, DashboardSeed.Actions })
        {
            await session.GotoAsync($"/api/dashboard/partnerships/{other}?lang=fr", (int)HttpStatusCode.NotFound);
            Assert.Equal("Page introuvable", await page.Locator("h1").InnerTextAsync());
            Assert.DoesNotContain(DashboardSeed.PartnershipNames[other], await page.ContentAsync(), StringComparison.Ordinal);
        }

        // Nor can the key act there: the form's post is answered as the page is, 404, before anything is read.
        var post = await session.Context.APIRequest.PostAsync($"/api/dashboard/partnerships/{DashboardSeed.Actions}/alert-emails?lang=fr", new APIRequestContextOptions { Form = FormWith(session, "on", "true") });
        Assert.Equal((int)HttpStatusCode.NotFound, post.Status);
        Assert.False((await dashboard.GetJsonAsync($"/api/partnerships/{DashboardSeed.Actions}")).GetProperty("partnership").GetProperty("alertEmails").GetBoolean());
    }

    [Fact]
    public async Task Analyst_SeesPseudonymousKeysNotNames_AndNoActionForm()
    {
        await using var session = await dashboard.OpenAsync(DashboardApp.AnalystKey);
        var page = session.Page;
        await session.GotoAsync($"/api/dashboard/partnerships/{DashboardSeed.Heat}?period=all&lang=fr");
        var html = await page.ContentAsync();
        foreach (var (personId, name) in dashboard.Heatmap.Names)
        {
            Assert.DoesNotContain(name, html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(personId, html, StringComparison.OrdinalIgnoreCase);
            Assert.Contains(dashboard.PersonKey(DashboardSeed.Heat, personId), await page.Locator("table.heatmap").TextContentAsync(), StringComparison.Ordinal);
        }

        Assert.Equal(0, await page.Locator("form").CountAsync());
        Assert.Equal(0, await page.Locator("button").CountAsync());

        // The organisation page: its meetings and representatives by key too (Bruno, then Béatrice after the vacancy).
        await session.GotoAsync($"/api/dashboard/partnerships/{DashboardSeed.Heat}/organizations/org-clsc?period=all&lang=fr");
        html = await page.ContentAsync();
        Assert.All(dashboard.Heatmap.Names, p => Assert.DoesNotContain(p.Value, html, StringComparison.OrdinalIgnoreCase));
        Assert.All(dashboard.Heatmap.Names, p => Assert.DoesNotContain(p.Key, html, StringComparison.OrdinalIgnoreCase));
        Assert.Contains(dashboard.PersonKey(DashboardSeed.Heat, "pers-bruno"), html, StringComparison.Ordinal);
        Assert.Contains(dashboard.PersonKey(DashboardSeed.Heat, "pers-bea"), html, StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator("form").CountAsync());

        // A post made without the page's forms is refused for the role, before the alert is even looked for.
        var post = await session.Context.APIRequest.PostAsync($"/api/dashboard/partnerships/{DashboardSeed.Heat}/alerts/any/acknowledge?lang=fr", new APIRequestContextOptions { Form = FormWith(session, "ef_token", "none") });
        Assert.Equal((int)HttpStatusCode.Forbidden, post.Status);
        Assert.Contains("Action non permise", await post.TextAsync(), StringComparison.Ordinal);
        session.AssertNoConsoleErrors();
    }

    private static IFormData FormWith(BrowserSession session, string name, string value)
    {
        var form = session.Context.APIRequest.CreateFormData();
        form.Set(name, value);
        return form;
    }
}
