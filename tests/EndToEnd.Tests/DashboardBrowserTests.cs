using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Playwright;

namespace Engagement.EndToEnd.Tests;

/// <summary>
/// The coordinator dashboard in headless Chromium (Debian's package, installed by .ci/run), served by the built app
/// on loopback: sign-in with a key, the overview, a partnership page with its charts, scoping and escaping.
/// </summary>
public sealed class DashboardBrowserTests
{
    private const string AdminKey = "dash-admin-key-0123456789";
    private const string CoordinatorKey = "dash-coordinator-p1-0123456789";

    private static string Hash(string key) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private static readonly Lazy<Task<string>> Chromium = new(FindOrInstallChromiumAsync);

    /// <summary>Debian's chromium; on a fresh Debian machine where the tests run as root it is installed once, like .ci/run does.</summary>
    private static async Task<string> FindOrInstallChromiumAsync()
    {
        string? Find() => new[] { Environment.GetEnvironmentVariable("CHROMIUM_PATH"), "/usr/bin/chromium", "/usr/bin/chromium-browser" }
            .FirstOrDefault(p => !string.IsNullOrEmpty(p) && File.Exists(p));
        if (Find() is { } found)
        {
            return found;
        }

        if (Environment.UserName == "root" && File.Exists("/usr/bin/apt-get"))
        {
            foreach (var arguments in new[] { "update -qq", "install -y -qq --no-install-recommends chromium" })
            {
                var info = new System.Diagnostics.ProcessStartInfo("apt-get", arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
                info.Environment["DEBIAN_FRONTEND"] = "noninteractive";
                using var process = System.Diagnostics.Process.Start(info)!;
                var output = process.StandardOutput.ReadToEndAsync();
                var error = await process.StandardError.ReadToEndAsync();
                await process.WaitForExitAsync();
                if (process.ExitCode != 0)
                {
                    throw new InvalidOperationException($"apt-get {arguments} failed: {await output}{error}");
                }
            }
        }

        return Find() ?? throw new InvalidOperationException("Chromium not found: install Debian's chromium package (.ci/run does) or set CHROMIUM_PATH.");
    }

    private static async Task SendAsync(AppProcess app, HttpMethod method, string path, string json)
    {
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        using var response = await app.Client.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}\n{app.Output}");
    }

    private static async Task<AppProcess> StartSeededAsync()
    {
        var app = AppProcess.Start(new Dictionary<string, string>
        {
            ["Auth__ApiKeys__0__Name"] = "admin",
            ["Auth__ApiKeys__0__Hash"] = Hash(AdminKey),
            ["Auth__ApiKeys__0__Roles__0"] = "admin",
            ["Auth__ApiKeys__1__Name"] = "coordinator-p1",
            ["Auth__ApiKeys__1__Hash"] = Hash(CoordinatorKey),
            ["Auth__ApiKeys__1__Roles__0"] = "coordinator",
            ["Auth__ApiKeys__1__Partnerships__0"] = "p1",
        });
        (await app.WaitUntilReadyAsync()).Dispose();
        await SendAsync(app, HttpMethod.Put, "/api/partnerships/p1", """{"name":"Table <b>Centre-Sud</b>","language":"fr"}""");
        await SendAsync(app, HttpMethod.Put, "/api/partnerships/p2", """{"name":"Comité MADA Verdun","language":"fr"}""");
        await SendAsync(app, HttpMethod.Post, "/api/partnerships/p1/organizations", """[{"id":"cdc","name":"CDC Centre-Sud","sector":"community"},{"id":"ville","name":"Ville de Montréal","sector":"municipal"}]""");
        await SendAsync(app, HttpMethod.Post, "/api/partnerships/p1/people", """[{"id":"marie","displayName":"Marie"},{"id":"jean","displayName":"Jean"}]""");
        await SendAsync(app, HttpMethod.Post, "/api/partnerships/p1/representations", """[{"organizationId":"cdc","personId":"marie","role":"representative","from":"2025-01-01"},{"organizationId":"ville","personId":"jean","role":"representative","from":"2025-01-01","to":"2025-09-30"}]""");
        await SendAsync(app, HttpMethod.Post, "/api/partnerships/p1/meetings", """[{"id":"m1","start":"2025-10-15T13:30:00-04:00","end":"2025-10-15T16:00:00-04:00"},{"id":"m2","start":"2025-11-19T13:30:00-05:00","end":"2025-11-19T16:00:00-05:00"}]""");
        await SendAsync(app, HttpMethod.Post, "/api/attendance", """{"partnershipId":"p1","records":[{"meetingId":"m1","personId":"marie","status":"present"},{"meetingId":"m1","personId":"jean","status":"present"},{"meetingId":"m2","personId":"marie","status":"present"},{"meetingId":"m2","personId":"jean","status":"absent"}]}""");
        await SeedDiagnosticAsync(app);
        await SendAsync(app, HttpMethod.Post, "/ScoreRisk", "{}");
        return app;
    }

    /// <summary>Five community representatives answer the CACIS diagnostic, plus one municipal and one former representative.</summary>
    private static async Task SeedDiagnosticAsync(AppProcess app)
    {
        var ids = Enumerable.Range(1, 5).Select(i => $"c{i}").ToList();
        await SendAsync(app, HttpMethod.Post, "/api/partnerships/p1/organizations", "[" + string.Join(',', ids.Select(id => $$"""{"id":"org-{{id}}","name":"Organisme {{id}}","sector":"community"}""")) + "]");
        await SendAsync(app, HttpMethod.Post, "/api/partnerships/p1/people", "[" + string.Join(',', ids.Append("v2").Select(id => $$"""{"id":"{{id}}","displayName":"Personne {{id}}","email":"{{id}}@example.org"}""")) + "]");
        await SendAsync(app, HttpMethod.Post, "/api/partnerships/p1/representations", "[" + string.Join(',', ids.Select(id => $$"""{"organizationId":"org-{{id}}","personId":"{{id}}","role":"representative","from":"2025-01-01"}"""))
            + """,{"organizationId":"ville","personId":"v2","role":"representative","from":"2025-10-01"}]""");
        await SendAsync(app, HttpMethod.Put, "/api/forms/cacis", """{"partnershipId":"p1","kind":"diagnostic","items":{""" + string.Join(',', Enumerable.Range(1, 18).Select(i => $"\"q{i}\":{i}")) + "}}");
        var answers = "{" + string.Join(',', Enumerable.Range(1, 18).Select(i => $"\"q{i}\":\"{(i % 3 == 0 ? "B" : "A")}\"")) + "}";
        await SendAsync(app, HttpMethod.Post, "/api/forms/submissions", "[" + string.Join(',', ids.Append("v2").Append("jean").Select((id, n) =>
            $$"""{"formId":"cacis","responseId":"r{{n}}",{{(id == "jean" ? "\"respondentPersonId\":\"jean\"" : $"\"respondent\":\"{id}@example.org\"")}},"submittedAt":"2025-11-20T10:00:00-05:00","answers":{{answers}}}""")) + "]");
    }

    private static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = await Chromium.Value,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
        });
        return (playwright, browser);
    }

    /// <summary>Starts waiting for the address before clicking, so a navigation that finishes first is not missed.</summary>
    private static async Task ClickAndWaitForUrlAsync(IPage page, string selector, string url)
    {
        var navigated = page.WaitForURLAsync(url, new PageWaitForURLOptions { Timeout = 8000 });
        await page.ClickAsync(selector);
        try { await navigated; } catch (TimeoutException) { throw new InvalidOperationException(page.Url + "\n" + await page.ContentAsync()); }
    }

    /// <summary>Screenshots are kept beside the test binaries (dashboard-screenshots/) as test artifacts.</summary>
    private static async Task Screenshot(IPage page, string name)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "dashboard-screenshots");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        Assert.True(new FileInfo(path).Length > 0, path);
    }

    [Fact]
    public async Task Coordinator_SignsIn_SeesOnlyTheirPartnership_AndItsCharts()
    {
        await using var app = await StartSeededAsync();
        var (playwright, browser) = await LaunchAsync();
        try
        {
            var page = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = $"http://127.0.0.1:{app.Port}" });
            var consoleErrors = new List<string>();
            page.Console += (_, message) =>
            {
                if (message.Type == "error")
                {
                    consoleErrors.Add($"{message.Text} ({message.Location})");
                }
            };
            page.PageError += (_, error) => consoleErrors.Add(error);

            // Without a session the dashboard sends the visitor to the sign-in form.
            await page.GotoAsync("/api/dashboard");
            Assert.EndsWith("/api/dashboard/login", page.Url, StringComparison.Ordinal);

            await page.FillAsync("#key", CoordinatorKey);
            await ClickAndWaitForUrlAsync(page, "button[type=submit]", "**/api/dashboard?lang=fr");

            // The session cookie cannot be read by scripts.
            var cookie = Assert.Single(await page.Context.CookiesAsync(), c => c.Name == "ef_key");
            Assert.True(cookie.HttpOnly);
            Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);

            var overview = await page.Locator("table").InnerTextAsync();
            Assert.Contains("Table <b>Centre-Sud</b>", overview, StringComparison.Ordinal); // escaped, shown as typed
            Assert.DoesNotContain("Verdun", overview, StringComparison.Ordinal); // p2 is not this coordinator's
            Assert.Equal(0, await page.Locator("table b").CountAsync());
            Assert.Equal(1, await page.Locator("tbody svg[role=img]").CountAsync()); // the attendance sparkline
            Assert.Matches(@"^\d+\s%", await page.Locator("tbody td").Nth(1).InnerTextAsync()); // the partnership's latest score

            await Screenshot(page, "overview-fr");

            await ClickAndWaitForUrlAsync(page, "text=Table <b>Centre-Sud</b>", "**/api/dashboard/partnerships/p1**");
            // The seeded meetings are from 2025: the whole history, not the last 12 months.
            await ClickAndWaitForUrlAsync(page, "nav.noprint >> text=tout", "**/api/dashboard/partnerships/p1?period=all&lang=fr");
            var headings = await page.Locator("h2").AllInnerTextsAsync();
            Assert.Contains("Présence aux rencontres", headings);
            Assert.Contains("Représentation des organisations", headings);
            var charts = page.Locator("svg[role=img]");
            Assert.True(await charts.CountAsync() >= 3);
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
            await Screenshot(page, "partnership-fr");

            // English on request, for the overview and the partnership.
            await page.GotoAsync("/api/dashboard?lang=en");
            Assert.Equal("Partnerships by risk", await page.Locator("h1").InnerTextAsync());
            await Screenshot(page, "overview-en");
            await ClickAndWaitForUrlAsync(page, "text=Table <b>Centre-Sud</b>", "**/api/dashboard/partnerships/p1?lang=en");
            Assert.Contains("Meeting attendance", await page.Locator("h2").AllInnerTextsAsync());
            Assert.Equal("en", await page.Locator("html").GetAttributeAsync("lang"));
            await Screenshot(page, "partnership-en");
            Assert.True(consoleErrors.Count == 0, string.Join(Environment.NewLine, consoleErrors));

            // Another partnership is not found for this key, even by typing its address.
            var other = await page.GotoAsync("/api/dashboard/partnerships/p2");
            Assert.Equal((int)HttpStatusCode.NotFound, other!.Status);
        }
        finally
        {
            await browser.CloseAsync();
            playwright.Dispose();
        }
    }

    [Fact]
    public async Task WrongKey_IsRefused_AndSetsNoCookie()
    {
        await using var app = await StartSeededAsync();
        var (playwright, browser) = await LaunchAsync();
        try
        {
            var page = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = $"http://127.0.0.1:{app.Port}" });
            await page.GotoAsync("/api/dashboard/login?lang=en");
            await page.FillAsync("#key", "not-a-key");
            var response = await page.RunAndWaitForResponseAsync(() => page.ClickAsync("button[type=submit]"), r => r.Request.Method == "POST" && r.Url.Contains("/api/dashboard/login", StringComparison.Ordinal));
            Assert.Equal((int)HttpStatusCode.Unauthorized, response!.Status);
            Assert.Equal("Key refused", await page.Locator("h1").InnerTextAsync());
            Assert.Empty(await page.Context.CookiesAsync());
        }
        finally
        {
            await browser.CloseAsync();
            playwright.Dispose();
        }
    }
}
