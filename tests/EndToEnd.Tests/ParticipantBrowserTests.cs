using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Engagement.EndToEnd.Tests;

/// <summary>
/// The participants' pages on a phone-sized screen (390 × 844, touch) in headless Chromium (Debian's package), served by
/// the built app on loopback: the sign-in at the door, a meeting's feedback and the 18-item CACIS diagnostic, in French
/// and in English, each page checked with axe-core (no serious or critical violation) and never showing a script error.
/// </summary>
public sealed class ParticipantBrowserTests
{
    private const string AdminKey = "participants-admin-key-0123456789";
    private const string CoordinatorKey = "participants-coordinator-p1-0123456789";

    private static string Hash(string key) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>A phone: 390 × 844 CSS pixels at 3×, touch, in the given language.</summary>
    internal static async Task<IPage> PhoneAsync(IBrowser browser, AppProcess app, string locale)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = $"http://127.0.0.1:{app.Port}",
            ViewportSize = new ViewportSize { Width = 390, Height = 844 },
            DeviceScaleFactor = 3,
            IsMobile = true,
            HasTouch = true,
            Locale = locale,
        });
        var page = await context.NewPageAsync();
        page.PageError += (_, error) => throw new InvalidOperationException("Page error: " + error);
        return page;
    }

    private static async Task<JsonElement> SendAsync(AppProcess app, HttpMethod method, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        using var response = await app.Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {body}\n{app.Output}");
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>The app with partnership p1 (three organisations, their representatives) and a meeting starting in half an hour.</summary>
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
        await SendAsync(app, HttpMethod.Put, "/api/partnerships/p1", """{"name":"Table de quartier Centre-Sud","language":"fr"}""");
        await SendAsync(app, HttpMethod.Post, "/api/partnerships/p1/organizations", """[{"id":"cdc","name":"CDC Centre-Sud","sector":"community"},{"id":"ville","name":"Ville de Montréal","sector":"municipal"},{"id":"ciusss","name":"CIUSSS du Centre-Sud","sector":"health-social-services"}]""");
        await SendAsync(app, HttpMethod.Post, "/api/partnerships/p1/people", """[{"id":"marie","displayName":"Marie Tremblay"},{"id":"jean","displayName":"Jean Roy"},{"id":"amina","displayName":"Amina Diallo"}]""");
        await SendAsync(app, HttpMethod.Post, "/api/partnerships/p1/representations", """[{"organizationId":"cdc","personId":"marie","from":"2025-01-01"},{"organizationId":"ville","personId":"jean","from":"2025-01-01"},{"organizationId":"ciusss","personId":"amina","from":"2025-01-01"}]""");
        var start = TimeProvider.System.GetUtcNow().AddMinutes(30);
        await SendAsync(app, HttpMethod.Post, "/api/partnerships/p1/meetings", $$"""[{"id":"today","title":"Rencontre de novembre","start":"{{start:O}}","end":"{{start.AddHours(2):O}}"}]""");
        return app;
    }

    /// <summary>axe-core on the page as it is: no serious or critical violation (each listed with its nodes when there is one).</summary>
    private static async Task AssertAccessibleAsync(IPage page, string what)
    {
        var result = await page.RunAxe();
        Assert.True(result.Passes.Length > 10, $"axe-core did not run on {page.Url}"); // it checked the page, not nothing
        var blocking = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(blocking.Count == 0, $"{what} ({page.Url}): " + string.Join(Environment.NewLine, blocking.Select(v => $"{v.Impact} {v.Id}: {v.Help} — {string.Join(" | ", v.Nodes.Select(n => n.Html))}")));
    }

    /// <summary>Screenshots are kept beside the test binaries (participant-screenshots/) as test artifacts.</summary>
    internal static async Task ScreenshotAsync(IPage page, string name)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "participant-screenshots");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png"), FullPage = true });
    }

    private static string PathOf(JsonElement link) => new Uri(link.GetProperty("url").GetString()!).PathAndQuery;

    /// <summary>Taps and waits until the page it leads to has loaded (a post answers at the same address: the load event, not the URL, tells).</summary>
    internal static async Task TapAsync(IPage page, ILocator target)
    {
        var loaded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnLoad(object? sender, IPage loadedPage) => loaded.TrySetResult();
        page.Load += OnLoad;
        try
        {
            await target.TapAsync();
            await loaded.Task.WaitAsync(TimeSpan.FromSeconds(10));
        }
        finally
        {
            page.Load -= OnLoad;
        }
    }

    /// <summary>Submits the dashboard's sign-in form with a click (a desktop browser) and waits for the page after it.</summary>
    private static async Task TaplessSubmitAsync(IPage page)
    {
        var loaded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnLoad(object? sender, IPage loadedPage) => loaded.TrySetResult();
        page.Load += OnLoad;
        try
        {
            await page.ClickAsync("button[type=submit]");
            await loaded.Task.WaitAsync(TimeSpan.FromSeconds(10));
        }
        finally
        {
            page.Load -= OnLoad;
        }
    }

    /// <summary>Every tap target of the page is at least 44 CSS pixels high (WCAG 2.5.5's size on a phone).</summary>
    internal static async Task AssertTapTargetsAsync(IPage page, string selector)
    {
        foreach (var target in await page.Locator(selector).AllAsync())
        {
            var box = await target.BoundingBoxAsync();
            Assert.True(box is { Height: >= 44 }, $"{selector} is {box?.Height} px high on {page.Url}");
        }

        var width = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        Assert.True(width <= 390, $"{page.Url} scrolls sideways: {width} px wide");
    }

    [Fact]
    public async Task SignIn_OnAPhone_InFrenchAndEnglish_TakesThreeTaps_AndIsAccessible()
    {
        await using var app = await StartSeededAsync();
        var link = PathOf(await SendAsync(app, HttpMethod.Get, "/api/partnerships/p1/meetings/today/sign-in"));
        var (playwright, browser) = await Dashboard.Chromium.LaunchAsync();
        try
        {
            // French: the organisation, then one's name; recorded present.
            var page = await PhoneAsync(browser, app, "fr-CA");
            var timer = Stopwatch.StartNew();
            await page.GotoAsync(link);
            await AssertAccessibleAsync(page, "organisations (fr)");
            await AssertTapTargetsAsync(page, "a.pick");
            await ScreenshotAsync(page, "sign-in-organisations-fr");
            await TapAsync(page, page.GetByRole(AriaRole.Link, new() { Name = "CDC Centre-Sud" }));
            await AssertAccessibleAsync(page, "names (fr)");
            await AssertTapTargetsAsync(page, "button.pick, input[type=text]");
            await ScreenshotAsync(page, "sign-in-names-fr");
            await TapAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Marie Tremblay" }));
            timer.Stop();
            Assert.Equal("Présence enregistrée", await page.Locator("h1").InnerTextAsync());
            await AssertAccessibleAsync(page, "signed in (fr)");
            await ScreenshotAsync(page, "sign-in-done-fr");
            Assert.True(timer.Elapsed < TimeSpan.FromSeconds(15), $"sign-in took {timer.Elapsed}");

            // English, with a name that is not on the list: typed, then to confirm.
            var english = await PhoneAsync(browser, app, "en-CA");
            await english.GotoAsync(link + "&lang=en");
            Assert.Equal("en", await english.Locator("html").GetAttributeAsync("lang"));
            await TapAsync(english, english.GetByRole(AriaRole.Link, new() { Name = "Ville de Montréal" }));
            await AssertAccessibleAsync(english, "names (en)");
            await english.GetByLabel("My name is not on the list").FillAsync("Chloé Gagnon");
            await TapAsync(english, english.GetByRole(AriaRole.Button, new() { Name = "Sign in with this name" }));
            Assert.Contains("the coordinator will confirm it", await english.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
            await AssertAccessibleAsync(english, "signed in (en)");
            await ScreenshotAsync(english, "sign-in-done-en");

            // The privacy notice, linked from every page, in both languages.
            await TapAsync(english, english.GetByRole(AriaRole.Link, new() { Name = "What we keep and why (privacy)" }));
            await AssertAccessibleAsync(english, "privacy (en)");
            await english.GotoAsync("/api/participants/privacy?lang=fr");
            await AssertAccessibleAsync(english, "privacy (fr)");

            // The coordinator's page: the QR code, the two sign-ins, the typed name to confirm.
            var desk = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = $"http://127.0.0.1:{app.Port}" });
            await desk.GotoAsync("/api/dashboard/login");
            await desk.FillAsync("#key", CoordinatorKey);
            await TaplessSubmitAsync(desk);
            await desk.GotoAsync("/api/dashboard/partnerships/p1/meetings/today/sign-in");
            Assert.Equal(1, await desk.Locator("svg.qr[role=img]").CountAsync());
            Assert.Equal(2, await desk.Locator("table.sheet tbody tr").CountAsync());
            Assert.Equal(1, await desk.GetByRole(AriaRole.Button, new() { Name = "Confirmer Chloé Gagnon" }).CountAsync());
            await AssertAccessibleAsync(desk, "coordinator's sign-in page");
            await ScreenshotAsync(desk, "coordinator-sign-in");

            var sheet = await SendAsync(app, HttpMethod.Get, "/api/partnerships/p1/meetings/today/sign-ins");
            Assert.Equal(["Marie Tremblay", "Chloé Gagnon"], sheet.GetProperty("signIns").EnumerateArray().Select(l => l.GetProperty("name").GetString()));
            Assert.Equal([false, true], sheet.GetProperty("signIns").EnumerateArray().Select(l => l.GetProperty("toConfirm").GetBoolean()));
        }
        finally
        {
            await browser.CloseAsync();
            playwright.Dispose();
        }
    }

    [Fact]
    public async Task Feedback_OnAPhone_InFrenchAndEnglish_IsStoredAndAccessible()
    {
        await using var app = await StartSeededAsync();
        await SendAsync(app, HttpMethod.Put, "/api/forms/retour", """
            {"partnershipId":"p1","kind":"feedback","title":"Retour sur la rencontre","questions":[
              {"key":"utile","kind":"scale","text":"La rencontre m’a été utile.","textEn":"The meeting was useful to me.","required":true},
              {"key":"format","kind":"choice","text":"Le format à privilégier","textEn":"The format to favour","choices":[{"text":"En personne","textEn":"In person"},{"text":"Hybride","textEn":"Hybrid"}]},
              {"key":"idees","kind":"text","text":"Vos idées pour la prochaine fois","textEn":"Your ideas for next time"}]}
            """);
        var link = PathOf(await SendAsync(app, HttpMethod.Get, "/api/partnerships/p1/meetings/today/feedback-link"));
        var (playwright, browser) = await Dashboard.Chromium.LaunchAsync();
        try
        {
            foreach (var (locale, lang, organization, person, useful, format, ideas, done) in new[]
            {
                ("fr-CA", "fr", "CDC Centre-Sud", "Marie Tremblay", "4", "En personne", "Vos idées pour la prochaine fois", "Réponses enregistrées"),
                ("en-CA", "en", "Ville de Montréal", "Jean Roy", "5", "Hybrid", "Your ideas for next time", "Answers recorded"),
            })
            {
                var page = await PhoneAsync(browser, app, locale);
                await page.GotoAsync($"{link}&lang={lang}");
                await TapAsync(page, page.GetByRole(AriaRole.Link, new() { Name = organization }));
                await AssertAccessibleAsync(page, $"feedback form ({lang})");
                await AssertTapTargetsAsync(page, ".choice, button.pick");
                await ScreenshotAsync(page, "feedback-" + lang);
                await page.GetByLabel(person).CheckAsync();
                await page.Locator($"input[name='q.utile'][value='{useful}']").CheckAsync();
                await page.GetByLabel(format).CheckAsync();
                await page.GetByLabel(ideas).FillAsync("Plus de temps pour échanger");
                await TapAsync(page, page.Locator("button.pick"));
                Assert.Equal(done, await page.Locator("h1").InnerTextAsync());
                await AssertAccessibleAsync(page, $"feedback done ({lang})");
            }

            using var csv = await app.Client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/exports/fact_form_answer.csv") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", AdminKey) } });
            var rows = (await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Skip(1).ToList();
            Assert.Equal(6, rows.Count(r => r.Contains(",retour,", StringComparison.Ordinal))); // 2 respondents × 3 answers
            Assert.Contains(rows, r => r.Contains(",format,Hybride,", StringComparison.Ordinal)); // the choice as the partnership wrote it
        }
        finally
        {
            await browser.CloseAsync();
            playwright.Dispose();
        }
    }

    [Fact]
    public async Task Diagnostic_OnAPhone_EighteenItems_InFrenchAndEnglish_IsStoredAndAccessible()
    {
        await using var app = await StartSeededAsync();
        var until = TimeProvider.System.GetUtcNow().AddDays(10).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var opened = await SendAsync(app, HttpMethod.Post, "/api/partnerships/p1/diagnostics", $$"""{"until":"{{until}}"}""");
        var link = PathOf(opened);
        var formId = opened.GetProperty("formId").GetString()!;
        var (playwright, browser) = await Dashboard.Chromium.LaunchAsync();
        try
        {
            foreach (var (locale, lang, organization, person, letter, done) in new[]
            {
                ("fr-CA", "fr", "CIUSSS du Centre-Sud", "Amina Diallo", "A", "Réponses enregistrées"),
                ("en-CA", "en", "CDC Centre-Sud", "Marie Tremblay", "B", "Answers recorded"),
            })
            {
                var page = await PhoneAsync(browser, app, locale);
                await page.GotoAsync($"{link}&lang={lang}");
                await AssertAccessibleAsync(page, $"diagnostic organisations ({lang})");
                await TapAsync(page, page.GetByRole(AriaRole.Link, new() { Name = organization }));
                Assert.Equal(18, await page.Locator("fieldset.item").CountAsync());
                await AssertAccessibleAsync(page, $"diagnostic form ({lang})");
                await AssertTapTargetsAsync(page, ".choice, button.pick");
                await ScreenshotAsync(page, "diagnostic-" + lang);

                // Sent with one item left: the page comes back saying which, with the answers kept.
                await page.GetByLabel(person).CheckAsync();
                for (var item = 1; item <= 17; item++)
                {
                    await page.Locator($"#item-{item}-{letter}").CheckAsync();
                }

                await page.EvaluateAsync("() => document.querySelectorAll('[required]').forEach(e => e.required = false)"); // the browser's own check aside: the server's
                await TapAsync(page, page.Locator("button.pick"));
                Assert.Contains("18", await page.Locator(".error-summary").InnerTextAsync(), StringComparison.Ordinal);
                Assert.True(await page.Locator($"#item-17-{letter}").IsCheckedAsync());
                await AssertAccessibleAsync(page, $"diagnostic with a missing item ({lang})");

                await page.Locator($"#item-18-{letter}").CheckAsync();
                await TapAsync(page, page.Locator("button.pick"));
                Assert.Equal(done, await page.Locator("h1").InnerTextAsync());
            }

            using var csv = await app.Client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/exports/fact_form_answer.csv") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", AdminKey) } });
            var rows = (await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Where(r => r.Contains($",{formId},", StringComparison.Ordinal)).ToList();
            Assert.Equal(36, rows.Count); // 2 respondents × 18 items, each with its item number and letter
            Assert.Equal(18, rows.Count(r => r.EndsWith(",A", StringComparison.Ordinal)));
            Assert.Equal(18, rows.Count(r => r.EndsWith(",B", StringComparison.Ordinal)));
        }
        finally
        {
            await browser.CloseAsync();
            playwright.Dispose();
        }
    }
}
