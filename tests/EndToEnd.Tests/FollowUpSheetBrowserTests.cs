using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Deque.AxeCore.Playwright;
using Engagement.Core.Domain;
using Engagement.Storage.Sqlite;
using Microsoft.Playwright;
using static Engagement.EndToEnd.Tests.ParticipantBrowserTests;

namespace Engagement.EndToEnd.Tests;

/// <summary>
/// The follow-up sheets on a phone (390 × 844, touch) in headless Chromium, served by the built app on loopback: the
/// SendFollowUpSheets timer run by hand, the links taken from the e-mails it queued, a sheet sent incomplete then
/// answered in French, another answered in English, the first opened again; every page with no axe-core violation.
/// </summary>
public sealed partial class FollowUpSheetBrowserTests
{
    private const string AdminKey = "sheets-admin-key-0123456789";

    [GeneratedRegex(@"https://engagement\.example\.org(/api/follow-up\?\S+)")]
    private static partial Regex SheetLink();

    private static async Task SendAsync(AppProcess app, HttpMethod method, string path, string json)
    {
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        using var response = await app.Client.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}\n{app.Output}");
    }

    /// <summary>axe-core on the page as it is: no violation at all, whatever its impact.</summary>
    private static async Task AssertNoViolationAsync(IPage page, string what)
    {
        var result = await page.RunAxe();
        Assert.True(result.Passes.Length > 10, $"axe-core did not run on {page.Url}");
        Assert.True(result.Violations.Length == 0, $"{what} ({page.Url}): " + string.Join(Environment.NewLine, result.Violations.Select(v => $"{v.Impact} {v.Id}: {v.Help} — {string.Join(" | ", v.Nodes.Select(n => n.Html))}")));
    }

    [Fact]
    public async Task Sheets_OnAPhone_InFrenchAndEnglish_AreAnsweredOnce_AndAccessible()
    {
        await using var app = AppProcess.Start(new Dictionary<string, string>
        {
            ["Auth__ApiKeys__0__Name"] = "admin",
            ["Auth__ApiKeys__0__Hash"] = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(AdminKey))),
            ["Auth__ApiKeys__0__Roles__0"] = "admin",
            ["Participants__PublicBaseUrl"] = "https://engagement.example.org",
        });
        (await app.WaitUntilReadyAsync()).Dispose();
        await SendAsync(app, HttpMethod.Put, "/api/partnerships/p1", """{"name":"Table de quartier Centre-Sud","language":"fr"}""");
        await SendAsync(app, HttpMethod.Post, "/api/partnerships/p1/organizations", """[{"id":"cdc","name":"CDC Centre-Sud","sector":"community"},{"id":"ville","name":"Ville de Montréal","sector":"municipal"}]""");
        await SendAsync(app, HttpMethod.Post, "/api/partnerships/p1/people", """[{"id":"marie","displayName":"Marie Tremblay","email":"marie@example.org"},{"id":"jean","displayName":"Jean Roy","email":"jean@example.org"}]""");
        await SendAsync(app, HttpMethod.Post, "/api/partnerships/p1/representations", """[{"organizationId":"cdc","personId":"marie","from":"2025-01-01"},{"organizationId":"ville","personId":"jean","from":"2025-01-01"}]""");

        // The plan and its schedule, written in the app's own SQLite file: rounds every 14 days from today.
        var stores = new SqliteDatabase(Path.Combine(app.Root!, "data", "engagement.db"), TimeProvider.System).CreateStores();
        var now = TimeProvider.System.GetUtcNow();
        var today = DateOnly.FromDateTime(MontrealClock.ToLocal(now).DateTime);
        await stores.ActionPlans.UpsertPlanAsync(
            "p1",
            [new Objective { PartnershipId = "p1", Id = "O1", Title = "Briser l’isolement des aînés" }],
            [
                new PlanAction { PartnershipId = "p1", Id = "A1", ObjectiveId = "O1", Title = "Publier le bottin des ressources", LeadOrganizationId = "cdc", PartnerOrganizationIds = ["ville"], DueOn = today.AddDays(40), Deliverables = "Bottin imprimé (500 exemplaires)\nVersion en ligne" },
                new PlanAction { PartnershipId = "p1", Id = "A2", ObjectiveId = "O1", Title = "Tenir deux kiosques d’information", LeadOrganizationId = "ville" },
            ],
            [],
            now.AddMinutes(-1));
        await stores.ActionPlans.SetScheduleAsync(new FollowUpSchedule { PartnershipId = "p1", EveryDays = 14, ReminderAfterDays = 5, StartOn = today });
        using (var run = await app.Client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/SendFollowUpSheets") { Content = new StringContent("{}", Encoding.UTF8, "application/json"), Headers = { Authorization = new AuthenticationHeaderValue("Bearer", AdminKey) } }))
        {
            Assert.True(run.IsSuccessStatusCode, $"SendFollowUpSheets: {(int)run.StatusCode}\n{app.Output}");
        }

        var mails = await stores.Alerts.ListPendingNotificationsAsync("p1");
        string LinkOf(string recipient) => SheetLink().Match(mails.Single(m => m.Recipient == recipient).Text).Groups[1].Value;
        var (marie, jean) = (LinkOf("marie@example.org"), LinkOf("jean@example.org"));

        var (playwright, browser) = await Dashboard.Chromium.LaunchAsync();
        try
        {
            // French: the sheet, sent without a status first (the browser's own check aside): the page names the field.
            var page = await PhoneAsync(browser, app, "fr-CA");
            await page.GotoAsync(marie);
            Assert.Equal("Fiche de suivi", await page.Locator("h1").InnerTextAsync());
            await AssertNoViolationAsync(page, "sheet (fr)");
            await AssertTapTargetsAsync(page, ".choice, button.pick");
            await ScreenshotAsync(page, "follow-up-sheet-fr");
            await page.GetByLabel("Ce qui a été fait depuis la dernière fiche").FillAsync("Maquette prête, textes relus");
            await page.EvaluateAsync("() => document.querySelectorAll('[required]').forEach(e => e.required = false)");
            await TapAsync(page, page.Locator("button.pick"));
            Assert.Contains("Choisissez où en est l’action.", await page.Locator(".error-summary").InnerTextAsync(), StringComparison.Ordinal);
            Assert.Equal("Maquette prête, textes relus", await page.GetByLabel("Ce qui a été fait depuis la dernière fiche").InputValueAsync());
            await AssertNoViolationAsync(page, "sheet with a problem (fr)");
            await ScreenshotAsync(page, "follow-up-sheet-problem-fr");
            await page.GetByLabel("En retard").CheckAsync();
            await page.GetByLabel("Les obstacles rencontrés").FillAsync("L’imprimeur a du retard");
            await TapAsync(page, page.Locator("button.pick"));
            Assert.Equal("Fiche de suivi envoyée", await page.Locator("h1").InnerTextAsync());
            await AssertNoViolationAsync(page, "sheet sent (fr)");
            await ScreenshotAsync(page, "follow-up-sheet-sent-fr");

            // English: Jean's sheet, on track.
            var english = await PhoneAsync(browser, app, "en-CA");
            await english.GotoAsync(jean + "&lang=en");
            Assert.Equal("en", await english.Locator("html").GetAttributeAsync("lang"));
            await AssertNoViolationAsync(english, "sheet (en)");
            await AssertTapTargetsAsync(english, ".choice, button.pick");
            await ScreenshotAsync(english, "follow-up-sheet-en");
            await english.GetByLabel("Under way, on track").CheckAsync();
            await english.GetByLabel("Help needed from the partnership").FillAsync("A room for the second kiosk");
            await TapAsync(english, english.Locator("button.pick"));
            Assert.Equal("Follow-up sheet sent", await english.Locator("h1").InnerTextAsync());
            await AssertNoViolationAsync(english, "sheet sent (en)");

            // Marie's link opened again, in English: already answered, with what was answered.
            await english.GotoAsync(marie + "&lang=en");
            Assert.Equal("Sheet already answered", await english.Locator("h1").InnerTextAsync());
            Assert.Contains("L’imprimeur a du retard", await english.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
            await AssertNoViolationAsync(english, "sheet already answered (en)");
            await ScreenshotAsync(english, "follow-up-sheet-answered-en");
        }
        finally
        {
            await browser.CloseAsync();
            playwright.Dispose();
        }

        var plan = await stores.ActionPlans.GetPlanAsync("p1");
        Assert.Equal(
            new[] { ("A1", ActionStatus.Late, "marie"), ("A2", ActionStatus.OnTrack, "jean") },
            plan.Updates.Where(u => u.Source == ActionUpdateSource.Sheet).OrderBy(u => u.ActionId, StringComparer.Ordinal).Select(u => (u.ActionId, u.Status, u.PersonId!)));
        Assert.All(plan.Requests, r => Assert.NotNull(r.AnsweredAt));
    }
}
