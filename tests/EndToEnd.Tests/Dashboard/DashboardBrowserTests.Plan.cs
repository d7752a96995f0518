using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using Engagement.Functions.Tests.ActionPlans;
using Microsoft.Playwright;

namespace Engagement.EndToEnd.Tests.Dashboard;

/// <summary>
/// The action plan in the browser: its section of the partnership page and of an organisation's page against what was
/// seeded (<see cref="RealisticPlan"/>), the Excel tracker uploaded from the partnership page, and the progress report
/// printed to PDF and downloaded as a Word document.
/// </summary>
public sealed partial class DashboardBrowserTests
{
    private const string XlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /// <summary>An action of the plan as the API reads it today, by title.</summary>
    private static JsonElement ActionTitled(JsonElement plan, string title) =>
        plan.GetProperty("objectives").EnumerateArray().SelectMany(o => o.GetProperty("actions").EnumerateArray()).Single(a => a.GetProperty("title").GetString() == title);

    [Fact]
    public async Task PartnershipAndOrganizationPages_ShowThePlan_WithTheLateActionAndItsDaysLate()
    {
        // Days late as the app counts them today (its day in Montréal, not the test's).
        var plan = await dashboard.GetJsonAsync($"/api/partnerships/{DashboardSeed.Realistic}/plan");
        var late = ActionTitled(plan, RealisticPlan.LateAction);
        Assert.True(late.GetProperty("late").GetBoolean());
        var days = late.GetProperty("daysLate").GetInt32();
        Assert.InRange(days, 40, 50);

        await using var session = await dashboard.OpenAsync(DashboardApp.AdminKey);
        var page = session.Page;
        await session.GotoAsync($"/api/dashboard/partnerships/{DashboardSeed.Realistic}?lang=fr");
        var section = page.Locator("section[aria-labelledby=action-plan]");
        var lateCount = plan.GetProperty("summary").GetProperty("late").GetInt32();
        Assert.Equal(lateCount.ToString(CultureInfo.InvariantCulture), await section.Locator(".card:has-text('actions en retard') .value").InnerTextAsync());

        // The partnership page lists the late actions, longest late first (five at most), and links to the plan's page.
        var listed = await section.Locator("ul.meetings li").AllInnerTextsAsync();
        Assert.Equal(Math.Min(lateCount, 5), listed.Count);
        Assert.Contains($"{RealisticPlan.LateAction} · Maison de quartier Villeray · ▲ En retard · {days} jours", listed);
        var listedDays = listed.Select(l => int.Parse(Regex.Match(l, @"(\d+) jours?$").Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(listedDays.OrderDescending(), listedDays);
        await session.ClickAndWaitForUrlAsync(section.Locator("a", new LocatorLocatorOptions { HasTextString = "Voir tout le plan" }), url => url.Contains($"/partnerships/{DashboardSeed.Realistic}/plan?", StringComparison.Ordinal));

        // The plan's page: every objective's actions, who carries what.
        section = page.Locator("section[aria-labelledby=action-plan]");
        Assert.Equal([.. RealisticPlan.ObjectiveTitles, "Qui porte quoi"], await section.Locator("h3").AllInnerTextsAsync());
        Assert.Equal(RealisticPlan.ActionCount, await section.Locator("table.plan tbody tr").CountAsync());
        Assert.Equal(lateCount, await section.Locator("table.plan .status-late").CountAsync());
        var row = section.Locator("table.plan tbody tr", new LocatorLocatorOptions { Has = page.Locator("th", new PageLocatorOptions { HasTextString = RealisticPlan.LateAction }) });
        Assert.Equal($"▲ En retard · {days} jours", (await row.Locator(".status").InnerTextAsync()).Trim());
        Assert.Contains("Maison de quartier Villeray", await row.InnerTextAsync(), StringComparison.Ordinal);
        await Accessibility.AssertNoSeriousViolationsAsync(page, output);
        await Artifacts.ScreenshotAsync(page, "plan-fr");

        // Who carries what: the lead of the late action counts it, and its name leads to its page, which lists it as its own.
        var carrier = section.Locator("tbody tr", new LocatorLocatorOptions { Has = page.Locator($"th a[href*='/organizations/{RealisticPlan.LateOrganization}?']") });
        Assert.Equal("1", await carrier.Locator("td").Nth(2).InnerTextAsync());
        await session.ClickAndWaitForUrlAsync(carrier.Locator("th a"), url => url.Contains($"/organizations/{RealisticPlan.LateOrganization}?", StringComparison.Ordinal));
        var own = page.Locator("section[aria-labelledby=organization-actions] tbody tr");
        Assert.Equal(1, await own.CountAsync());
        Assert.Contains(RealisticPlan.LateAction, await own.Locator("th").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("Porteur", await own.Locator("td strong").First.InnerTextAsync());
        Assert.Equal($"▲ En retard · {days} jours", (await own.Locator(".status").InnerTextAsync()).Trim());
        session.AssertNoConsoleErrors();
    }

    /// <summary>
    /// A tracker as a coordinator keeps it: a title row, French headers, actions numbered under their objective (written
    /// once, numbered too), dates typed as dates.
    /// </summary>
    private TrackerWorkbook Tracker(Action<SheetLayout>? change = null)
    {
        var today = dashboard.Today;
        return new TrackerWorkbook().Sheet("Plan d’action", sheet =>
        {
            sheet.Row(1, "Plan d’action 2025-2026 — Table de quartier Parc-Extension").Merge("A1:H1")
                .Row(3, "N°", "Objectif", "Action", "Porteur", "Partenaires", "Début", "Échéance", "Statut")
                .Row(4, "1.1", "1. Favoriser la lecture", "Club de lecture estival", "Bibliothèque Parc-Extension", "École Barthélemy-Vimont", new XDate(today.AddDays(-30)), new XDate(today.AddDays(60)), "En cours")
                .Row(5, "1.2", null, "Heure du conte en ourdou et en bengali", "Bibliothèque Parc-Extension", "CDC Parc-Extension", null, new XDate(today.AddDays(-10)), "À venir")
                .Row(6, "2.1", "2. Mieux se connaître entre voisins", "Fête de quartier", "CDC Parc-Extension", null, null, new XDate(today.AddDays(-40)), "Terminée");
            change?.Invoke(sheet);
        });
    }

    /// <summary>Chooses the file in the page's upload form (opening it when the partnership has a plan) and sends it.</summary>
    private static async Task<int> UploadTrackerAsync(BrowserSession session, string name, byte[] xlsx)
    {
        var page = session.Page;
        var form = page.Locator("details#import-tracker");
        if (await form.GetAttributeAsync("open") is null)
        {
            await form.Locator("summary").ClickAsync();
        }

        await page.Locator("#tracker").SetInputFilesAsync(new FilePayload { Name = name, MimeType = XlsxType, Buffer = xlsx });
        var answer = await page.RunAndWaitForResponseAsync(
            () => form.Locator("button[type=submit]").ClickAsync(),
            r => r.Request.Method == "POST" && r.Url.Contains("/plan/import", StringComparison.Ordinal));
        await page.WaitForLoadStateAsync();
        return answer.Status;
    }

    [Fact]
    public async Task Coordinator_UploadsTheTracker_FromThePartnershipPage_ThenOneWithABadDate_IsToldTheCell_AndNothingIsWritten()
    {
        var partnership = $"/api/dashboard/partnerships/{DashboardSeed.Tracker}";
        await using var session = await dashboard.OpenAsync(DashboardApp.AdminKey);
        var page = session.Page;
        await session.GotoAsync($"{partnership}?lang=fr");
        Assert.Contains("Aucun plan d’action", await page.Locator("section[aria-labelledby=action-plan]").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("Importer le fichier de suivi", await page.Locator("details#import-tracker summary").InnerTextAsync());

        Assert.Equal(200, await UploadTrackerAsync(session, "suivi-parc-extension.xlsx", Tracker().Build()));
        Assert.Equal("Plan d’action importé", await page.Locator("h1").InnerTextAsync());
        var actions = page.Locator("table.figures tbody tr").Nth(1);
        Assert.Equal(["Actions", "3", "0", "0"], (await actions.Locator("th, td").AllInnerTextsAsync()).Select(t => t.Trim()));
        await CheckAsync(session, "tracker-imported", "fr");
        // The page answers the form's post: its language toggle offers the plan in English, not the post's address.
        Assert.Equal($"{partnership}/plan?lang=en", await page.Locator("header.top nav a[hreflang]").GetAttributeAsync("href"));

        await session.ClickAndWaitForUrlAsync(page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = "Retour au plan d’action" }), url => url.StartsWith(dashboard.BaseUrl + partnership + "/plan?", StringComparison.Ordinal));
        var section = page.Locator("section[aria-labelledby=action-plan]");
        Assert.Equal(["Favoriser la lecture", "Mieux se connaître entre voisins"], (await section.Locator("h3").AllInnerTextsAsync()).Take(2));
        var titles = await section.Locator("table.plan tbody th").EvaluateAllAsync<string[]>("ths => ths.map(th => th.firstChild.textContent.trim())");
        Assert.Equal(["Club de lecture estival", "Heure du conte en ourdou et en bengali", "Fête de quartier"], titles);
        var tale = section.Locator("table.plan tbody tr", new LocatorLocatorOptions { HasTextString = "Heure du conte" });
        Assert.Matches(@"^▲ En retard · \d+ jours$", (await tale.Locator(".status").InnerTextAsync()).Trim()); // due ten days ago, not started
        var imported = (await dashboard.GetJsonAsync($"/api/partnerships/{DashboardSeed.Tracker}/plan")).GetProperty("objectives").GetRawText();

        // A second version of the tracker adds an action and mistypes a due day: refused whole, the cell named, in either language.
        var bad = Tracker(sheet => sheet
            .Set(5, 7, "31 juin")
            .Row(7, "2.2", null, "Ateliers de francisation", "CDC Parc-Extension", null, null, new XDate(dashboard.Today.AddDays(90)), "À venir")).Build();
        foreach (var (language, title, lede) in new[] { ("fr", "Le fichier n’a pas été importé", "Rien n’a été enregistré. Corrigez ce problème dans le fichier"), ("en", "The file was not imported", "Nothing was saved. Fix this problem in the file") })
        {
            await session.GotoAsync($"{partnership}/plan?lang={language}"); // with a plan, the upload is on the plan's page
            Assert.Equal(400, await UploadTrackerAsync(session, "suivi-parc-extension-v2.xlsx", bad));
            Assert.Equal(title, await page.Locator("h1").InnerTextAsync());
            Assert.StartsWith(lede, await page.Locator("p.lede").InnerTextAsync(), StringComparison.Ordinal);
            var problem = Assert.Single(await page.Locator("ul.error-summary li").AllInnerTextsAsync());
            Assert.StartsWith("G5 · ", problem, StringComparison.Ordinal);
            Assert.Contains("31 juin", problem, StringComparison.Ordinal);
            await CheckAsync(session, "tracker-refused", language);
        }

        Assert.Equal(imported, (await dashboard.GetJsonAsync($"/api/partnerships/{DashboardSeed.Tracker}/plan")).GetProperty("objectives").GetRawText());
        session.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task Report_PrintsWithItsHeadingsAsBookmarks_AndItsWordDocumentHasTheSameHeadings()
    {
        await using var session = await dashboard.OpenAsync(DashboardApp.AdminKey);
        var page = session.Page;
        await session.GotoAsync($"/api/dashboard/partnerships/{DashboardSeed.Realistic}/report?lang=fr");
        var sections = await page.Locator("h2").AllInnerTextsAsync();
        Assert.Equal(["La période en chiffres", .. RealisticPlan.ObjectiveTitles.Select((t, i) => $"Objectif {i + 1} : {t}"), "Participation des organisations"], sections);
        var objective = page.Locator("section[aria-labelledby=objective-1]");
        Assert.Contains("1 240 ménages", await objective.InnerTextAsync(), StringComparison.Ordinal); // the narrative, as written
        Assert.True(await page.Locator("p.muted", new PageLocatorOptions { HasTextString = "À rédiger par la coordination." }).CountAsync() > 0); // and what is still to write
        Assert.Equal(RealisticPartnership.OrganizationCount, await page.Locator("section[aria-labelledby=report-participation] tbody tr").CountAsync());

        // Printed as the coordinator prints it: Letter, its headings as the PDF's bookmarks, no form nor edit link.
        await page.SetViewportSizeAsync(740, 900);
        await page.EmulateMediaAsync(new PageEmulateMediaOptions { Media = Media.Print });
        var headings = await page.Locator("h1, h2, h3").EvaluateAllAsync<string[]>("hs => hs.filter(h => h.checkVisibility()).map(h => h.textContent.trim())");
        var smallest = await page.EvaluateAsync<JsonElement>(SmallestPrintedText);
        Assert.Equal(0, await page.Locator("form, a[href*='/report/objectives/']").EvaluateAllAsync<int>("es => es.filter(e => e.checkVisibility()).length"));
        await page.EmulateMediaAsync(new PageEmulateMediaOptions { Media = Media.Null });
        Assert.True(smallest.GetProperty("px").GetDouble() >= 7 * 96 / 72.0, $"Printed text smaller than 7 pt: {smallest}");

        var pdf = await page.PdfAsync(new PagePdfOptions { Format = "Letter", Outline = true, Tagged = true, PrintBackground = true });
        var path = await Artifacts.SaveAsync("report-fr.pdf", pdf);
        var document = PdfFile.Read(pdf);
        output.WriteLine($"{path}: {document.PageCount} page(s); smallest text {smallest}");
        Assert.InRange(document.PageCount, 2, 6);
        Assert.Equal(headings, document.OutlineTitles());

        // The Word document, downloaded from the page's link: the same title, sections and sub-headings.
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("a[href*='/report.docx?']").ClickAsync());
        Assert.Matches($@"^bilan-{DashboardSeed.Realistic}-\d{{4}}-\d{{2}}-\d{{2}}-\d{{4}}-\d{{2}}-\d{{2}}\.docx$", download.SuggestedFilename);
        var saved = Path.Combine(Artifacts.Folder, "report-fr.docx");
        await download.SaveAsAsync(saved);
        using var word = WordprocessingDocument.Open(saved, isEditable: false);
        var paragraphs = word.MainDocumentPart!.Document.Body!.Elements<Paragraph>()
            .Select(p => (Style: p.ParagraphProperties?.ParagraphStyleId?.Val?.Value, Text: string.Concat(p.Descendants<Text>().Select(t => t.Text))))
            .ToList();
        string[] Styled(string style) => [.. paragraphs.Where(p => p.Style == style).Select(p => p.Text)];
        Assert.Equal([await page.Locator("h1").InnerTextAsync()], Styled("Title"));
        Assert.Equal(sections, Styled("Heading1"));
        Assert.Equal(await page.Locator("main h3").AllInnerTextsAsync(), Styled("Heading2"));
        Assert.Contains(paragraphs, p => p.Text.Contains("1 240 ménages", StringComparison.Ordinal));
        session.AssertNoConsoleErrors();
    }
}
