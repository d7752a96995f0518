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
    private static HttpClient WithCookie(EngagementApp app, string key) => app.DashboardClientAsync(key).GetAwaiter().GetResult();

    private static HttpClient WithRawCookie(EngagementApp app, string value)
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        client.DefaultRequestHeaders.Add("Cookie", $"ef_key={value}");
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
    public async Task IngestKey_IsRefusedAtSignIn_AndLoginSetsAStrictHttpOnlySessionThatIsNotTheKey()
    {
        await using var app = new EngagementApp();
        await app.SeedAsync();

        // A key without a dashboard role gets no session at all.
        var anonymous = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        using var ingest = await anonymous.PostAsync("/api/dashboard/login?lang=en", new FormUrlEncodedContent([new("key", EngagementApp.Keys.Ingest)]));
        Assert.Equal(HttpStatusCode.Forbidden, ingest.StatusCode);
        Assert.False(ingest.Headers.Contains("Set-Cookie"));
        Assert.Contains("coordinator, analyst or admin", await ingest.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The raw key in the cookie (as the cookie once held it) opens nothing.
        using var raw = await WithRawCookie(app, EngagementApp.Keys.Admin).GetAsync("/api/dashboard");
        Assert.Equal(HttpStatusCode.Redirect, raw.StatusCode);
        Assert.EndsWith("/api/dashboard/login", raw.Headers.Location?.ToString(), StringComparison.Ordinal);

        using var login = await anonymous.PostAsync("/api/dashboard/login?lang=en", new FormUrlEncodedContent([new("key", EngagementApp.Keys.Coordinator)]));
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Equal("/api/dashboard?lang=en", login.Headers.Location?.ToString());
        var setCookie = Assert.Single(login.Headers.GetValues("Set-Cookie"));
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/api/dashboard", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(EngagementApp.Keys.Coordinator, setCookie, StringComparison.Ordinal);
        Assert.DoesNotContain(Uri.EscapeDataString(EngagementApp.Keys.Coordinator), setCookie, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Session_EndsAfter12Hours_OrWhenTampered_AndOpensOnAnotherInstanceOfTheSameInstall()
    {
        var folder = Directory.CreateTempSubdirectory("engagement-sessions-");
        try
        {
            var settings = new Dictionary<string, string> { ["Storage:Sqlite:Path"] = Path.Combine(folder.FullName, "engagement.db") };
            await using var app = new EngagementApp(settings: settings);
            await app.SeedAsync();
            var client = await app.DashboardClientAsync(EngagementApp.Keys.Coordinator);
            var cookie = client.DefaultRequestHeaders.GetValues("Cookie").Single();

            // Another instance (same data, so the same key ring) reads the session.
            await using (var other = new EngagementApp(settings: settings))
            {
                var elsewhere = other.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
                elsewhere.DefaultRequestHeaders.Add("Cookie", cookie);
                Assert.Equal(HttpStatusCode.OK, (await elsewhere.GetAsync("/api/dashboard")).StatusCode);
            }

            var tampered = WithRawCookie(app, cookie["ef_key=".Length..^2] + (cookie[^2] == 'A' ? "BB" : "AA"));
            Assert.Equal(HttpStatusCode.Redirect, (await tampered.GetAsync("/api/dashboard")).StatusCode);

            app.Clock.Advance(TimeSpan.FromHours(11.9));
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/dashboard")).StatusCode);
            app.Clock.Advance(TimeSpan.FromHours(0.2));
            using var expired = await client.GetAsync("/api/dashboard");
            Assert.Equal(HttpStatusCode.Redirect, expired.StatusCode);
            Assert.EndsWith("/api/dashboard/login", expired.Headers.Location?.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("/api/dashboard/login")]
    [InlineData("/api/dashboard")]
    [InlineData("/api/dashboard/partnerships/p1")]
    [InlineData("/api/dashboard/partnerships/absent")]
    public async Task EveryPage_HasAScriptlessContentSecurityPolicy_AndNoInlineStyleAttribute(string path)
    {
        await using var app = new EngagementApp();
        await app.SeedAsync();
        var admin = app.Admin();
        (await admin.PostAsync("/ScoreRisk", new StringContent("{}", Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();

        using var page = await WithCookie(app, EngagementApp.Keys.Admin).GetAsync(path);
        var html = await page.Content.ReadAsStringAsync();

        var policy = Assert.Single(page.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("script-src", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);
        Assert.Equal("nosniff", Assert.Single(page.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("no-referrer", Assert.Single(page.Headers.GetValues("Referrer-Policy")));
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(" style=", html, StringComparison.Ordinal);

        // The one style block is the one the policy's hash allows.
        var style = System.Text.RegularExpressions.Regex.Match(html, "<style>(.*?)</style>").Groups[1].Value;
        var hash = Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(style)));
        Assert.Contains($"style-src 'sha256-{hash}'", policy, StringComparison.Ordinal);
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
        Assert.Matches(@"<span class=""num"">\d+\s?%</span>", html); // the latest partnership score next to its band
    }

    [Fact]
    public async Task PartnershipPage_ShowsPersonIdsOnlyToThoseWhoMaySeeNames()
    {
        // Issue 15, item 6: person ids are often names (marie); an analyst without pii sees pseudonyms, a coordinator names.
        var settings = new Dictionary<string, string> { ["Exports:PersonKeySecret"] = Convert.ToBase64String(new byte[32]) };
        await using var app = new EngagementApp(settings: settings);
        await app.SeedAsync();

        var analyst = await (await WithCookie(app, EngagementApp.Keys.Analyst).GetAsync("/api/dashboard/partnerships/p1?lang=en")).Content.ReadAsStringAsync();
        var coordinator = await (await WithCookie(app, EngagementApp.Keys.Coordinator).GetAsync("/api/dashboard/partnerships/p1?lang=en")).Content.ReadAsStringAsync();

        Assert.Contains("Marie Tremblay", coordinator, StringComparison.Ordinal); // a name, where the roster has one
        Assert.DoesNotContain("marie", analyst, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Tremblay", analyst, StringComparison.Ordinal);
        Assert.DoesNotContain("jean", analyst, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(Engagement.Functions.Exports.ExportContext.Of(new byte[32], "p1", "marie")[..8], analyst, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "Connexion", "lang=en", "English")]
    [InlineData("?lang=en", "Sign in", "lang=fr", "Français")]
    public async Task SignInPage_SpeaksEitherLanguage_AndOffersTheOther(string query, string heading, string other, string otherName)
    {
        await using var app = new EngagementApp();

        var html = await app.CreateClient().GetStringAsync("/api/dashboard/login" + query);

        Assert.Contains($"<h1>{heading}</h1>", html, StringComparison.Ordinal);
        Assert.Contains($"href=\"/api/dashboard/login?{other}\"", html, StringComparison.Ordinal);
        Assert.Contains(otherName, html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("fr", "1 novembre 2026", "Calculé le")]
    [InlineData("en", "November 1, 2026", "Scored on")]
    public async Task Overview_ShowsTheDayOfEachPartnershipsLatestScore(string lang, string day, string column)
    {
        await using var app = new EngagementApp();
        await app.SeedAsync();
        (await app.Admin().PostAsync("/ScoreRisk", new StringContent("{}", Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();

        var html = await (await WithCookie(app, EngagementApp.Keys.Admin).GetAsync($"/api/dashboard?lang={lang}")).Content.ReadAsStringAsync();

        Assert.Matches($"<th scope=\"col\"[^>]*><a [^>]*>{column}</a></th>", html); // a header that sorts by it
        Assert.Contains($"<time datetime=\"2026-11-01\">{day}</time>", html, StringComparison.Ordinal);
    }
}
