using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Engagement.Functions.Tests.Security;

/// <summary>
/// The dashboard's sign-in cookie opens the dashboard's pages and nothing else: a page another site makes the browser
/// request (a form post, an image) cannot reach the API with it.
/// </summary>
public sealed class DashboardCookieTests
{
    private static HttpClient WithCookie(EngagementApp app, string key)
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        client.DefaultRequestHeaders.Add("Cookie", $"ef_key={key}");
        return client;
    }

    [Fact]
    public async Task Cookie_OpensDashboardPages_ButNotTheApi()
    {
        await using var app = new EngagementApp();
        await app.SeedAsync();
        var client = WithCookie(app, EngagementApp.Keys.Admin);

        using var page = await client.GetAsync("/api/dashboard");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Table p1", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var read = await client.GetAsync("/api/partnerships");
        Assert.Equal(HttpStatusCode.Unauthorized, read.StatusCode);
        using var write = await client.PutAsJsonAsync("/api/partnerships/forged", new { name = "Forged" });
        Assert.Equal(HttpStatusCode.Unauthorized, write.StatusCode);
        using var check = await app.Admin().GetAsync("/api/partnerships/forged");
        Assert.Equal(HttpStatusCode.NotFound, check.StatusCode);
    }

    [Fact]
    public async Task IngestKey_IsSentToSignIn_AndLoginSetsAStrictHttpOnlyCookie()
    {
        await using var app = new EngagementApp();
        await app.SeedAsync();

        using var ingest = await WithCookie(app, EngagementApp.Keys.Ingest).GetAsync("/api/dashboard");
        Assert.Equal(HttpStatusCode.Redirect, ingest.StatusCode);
        Assert.EndsWith("/api/dashboard/login", ingest.Headers.Location?.ToString(), StringComparison.Ordinal);

        var anonymous = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        using var login = await anonymous.PostAsync("/api/dashboard/login?lang=en", new FormUrlEncodedContent([new("key", EngagementApp.Keys.Coordinator)]));
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Equal("/api/dashboard?lang=en", login.Headers.Location?.ToString());
        var setCookie = Assert.Single(login.Headers.GetValues("Set-Cookie"));
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/api/dashboard", setCookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task PartnershipPage_ShowsTheLatestScoreAndReasons_Escaped()
    {
        await using var app = new EngagementApp();
        await app.SeedAsync();
        var admin = app.Admin();
        (await admin.PutAsJsonAsync("/api/partnerships/p1", new { name = "Table <script>alert(1)</script>", language = "en" })).EnsureSuccessStatusCode();
        (await admin.PostAsync("/ScoreRisk", new StringContent("{}", Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();

        using var page = await WithCookie(app, EngagementApp.Keys.Coordinator).GetAsync("/api/dashboard/partnerships/p1");
        var html = await page.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.Contains("Table &lt;script&gt;", html, StringComparison.Ordinal);
        Assert.Contains("lang=\"en\"", html, StringComparison.Ordinal); // the partnership's own language by default
        Assert.Contains("Risk history", html, StringComparison.Ordinal);
        Assert.Matches(@"— \d+\s?%", html); // the latest partnership score next to its band
    }

    [Fact]
    public async Task PartnershipPage_ShowsPersonIdsOnlyToThoseWhoMaySeeNames()
    {
        // Issue 15, item 6: person ids are often names (marie); an analyst without pii sees pseudonyms.
        var settings = new Dictionary<string, string> { ["Exports:PersonKeySecret"] = Convert.ToBase64String(new byte[32]) };
        await using var app = new EngagementApp(settings: settings);
        await app.SeedAsync();

        var analyst = await (await WithCookie(app, EngagementApp.Keys.Analyst).GetAsync("/api/dashboard/partnerships/p1?lang=en")).Content.ReadAsStringAsync();
        var coordinator = await (await WithCookie(app, EngagementApp.Keys.Coordinator).GetAsync("/api/dashboard/partnerships/p1?lang=en")).Content.ReadAsStringAsync();

        Assert.Contains("marie", coordinator, StringComparison.Ordinal);
        Assert.DoesNotContain("marie", analyst, StringComparison.Ordinal);
        Assert.DoesNotContain("jean", analyst, StringComparison.Ordinal);
        Assert.Contains(Engagement.Functions.Exports.ExportContext.Of(new byte[32], "p1", "marie")[..8], analyst, StringComparison.Ordinal);
    }
}
