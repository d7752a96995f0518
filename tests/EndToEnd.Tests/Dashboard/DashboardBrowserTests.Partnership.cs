using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Engagement.EndToEnd.Tests.Dashboard;

/// <summary>The partnership page and the overview's table in the browser: what they show against what was seeded, what their controls change.</summary>
public sealed partial class DashboardBrowserTests
{
    private static readonly CultureInfo French = CultureInfo.GetCultureInfo("fr-CA");

    private static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The tip of a heatmap cell as the seed implies it: "date · person · status" (no person for an empty seat).</summary>
    private string ExpectedTip(string organization, int meeting)
    {
        var seed = dashboard.Heatmap;
        // The year is said only when two meetings of the period share a day and month.
        var yearSaid = seed.Meetings.Select(m => (m.Day.Month, m.Day.Day)).Distinct().Count() < seed.Meetings.Count;
        var day = seed.Meetings[meeting].Day.ToString(yearSaid ? "d MMM yyyy" : "d MMM", French);
        var status = seed.Cells[organization][meeting] switch
        {
            'p' => "présente",
            'e' => "excusée",
            'a' => "absente",
            'v' => "siège vacant",
            _ => "pas encore à la table",
        };
        return seed.People[organization][meeting] is { } person ? $"{day} · {seed.Names[person]} · {status}" : $"{day} · {status}";
    }

    [Fact]
    public async Task Heatmap_CellsMatchTheSeededAttendance_AndTipsShowOnHoverAndKeyboardFocus()
    {
        var seed = dashboard.Heatmap;
        await using var session = await dashboard.OpenAsync(DashboardApp.AdminKey);
        var page = session.Page;
        await session.GotoAsync($"/api/dashboard/partnerships/{DashboardSeed.Heat}?period=all&lang=fr");
        var heatmap = page.Locator("table.heatmap");
        Assert.Equal(seed.Meetings.Select(m => Iso(m.Day)), await heatmap.Locator("thead time").EvaluateAllAsync<string[]>("ts => ts.map(t => t.getAttribute('datetime'))"));

        // Each row: its organisation, and per meeting the cell's status class, whether it takes focus, and its tip.
        var rows = (await heatmap.EvaluateAsync<JsonElement>("""
            t => [...t.tBodies[0].rows].map(r => ({
              name: r.querySelector('th').textContent.trim(),
              cells: [...r.querySelectorAll('td:not(.since)')].map(c => ({ status: [...c.classList].join(' '), tabindex: c.getAttribute('tabindex'), tip: c.textContent }))
            }))
            """)).EnumerateArray().Select(r => (Name: r.GetProperty("name").GetString()!, Cells: r.GetProperty("cells").EnumerateArray().ToList())).ToList();
        Assert.Equal(seed.Cells.Keys.Order(), rows.Select(r => r.Name).Order());
        foreach (var (name, cells) in rows)
        {
            Assert.Equal(seed.Cells[name], string.Concat(cells.Select(c => c.GetProperty("status").GetString())));
            for (var m = 0; m < cells.Count; m++)
            {
                Assert.Equal(seed.Cells[name][m] == 'n' ? null : "0", cells[m].GetProperty("tabindex").GetString());
                Assert.Equal(ExpectedTip(name, m), cells[m].GetProperty("tip").GetString());
            }
        }

        // Hover: the vacant seat's tip, hidden (a 1-pixel clip) until then, shows.
        var vacant = heatmap.Locator("tbody tr", new LocatorLocatorOptions { Has = page.Locator("th", new PageLocatorOptions { HasText = "CLSC Hochelaga" }) }).Locator("td:not(.since)").Nth(2);
        Assert.True((await vacant.Locator("span").BoundingBoxAsync())!.Width <= 1);
        await vacant.HoverAsync();
        Assert.True((await vacant.Locator("span").BoundingBoxAsync())!.Width > 40);
        Assert.Equal(ExpectedTip("CLSC Hochelaga", 2), await vacant.Locator("span").InnerTextAsync());

        // Keyboard: from the heading, Tab reaches the first focusable cell (not-yet cells are skipped), whose tip shows.
        await page.Mouse.MoveAsync(0, 0);
        await page.Locator("h1").ClickAsync();
        var presses = 0;
        while (!await page.EvaluateAsync<bool>("() => document.activeElement?.matches('table.heatmap td') ?? false"))
        {
            Assert.True(++presses < 40, "Tab never reached a heatmap cell.");
            await page.Keyboard.PressAsync("Tab");
        }

        var (firstRow, firstCells) = rows[0];
        var focusable = Enumerable.Range(0, firstCells.Count).Where(m => seed.Cells[firstRow][m] != 'n').ToList();
        foreach (var m in focusable.Take(2))
        {
            var tip = page.Locator("table.heatmap td:focus > span");
            Assert.True((await tip.BoundingBoxAsync())!.Width > 40);
            Assert.Equal(ExpectedTip(firstRow, m), await tip.InnerTextAsync());
            await page.Keyboard.PressAsync("Tab");
        }

        session.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task OrganizationPage_OpenedFromTheHeatmap_ListsItsMeetingsAndRepresentativesAsSeeded()
    {
        const string Clsc = "CLSC Hochelaga";
        var seed = dashboard.Heatmap;
        await using var session = await dashboard.OpenAsync(DashboardApp.AdminKey);
        var page = session.Page;
        await session.GotoAsync($"/api/dashboard/partnerships/{DashboardSeed.Heat}?period=all&lang=fr");
        await session.ClickAndWaitForUrlAsync(page.Locator("table.heatmap tbody th a", new PageLocatorOptions { HasTextString = Clsc }), url => url.Contains("/organizations/org-clsc?", StringComparison.Ordinal));
        Assert.Equal(Clsc, await page.Locator("h1").InnerTextAsync());
        await session.ClickAndWaitForUrlAsync(page.Locator("nav.noprint a", new PageLocatorOptions { HasTextString = "tout" }), url => url.Contains("/organizations/org-clsc?lang=fr&period=all", StringComparison.Ordinal));

        // Newest meeting first: its day, the organisation's status (the heatmap's class and word) and who it is about.
        var rows = (await page.Locator("#organization-meetings tbody tr").EvaluateAllAsync<JsonElement>(
            "rs => rs.map(r => [r.querySelector('time').getAttribute('datetime'), r.cells[1].querySelector('span.c').className, r.cells[1].textContent.trim(), r.cells[2].textContent.trim()])"))
            .EnumerateArray().Select(r => (Day: r[0].GetString()!, Class: r[1].GetString()!, Status: r[2].GetString()!, Person: r[3].GetString()!)).ToList();
        var expected = seed.Meetings.Select((m, i) => (Day: Iso(m.Day), Class: "c " + seed.Cells[Clsc][i], Status: ExpectedTip(Clsc, i).Split(" · ")[^1], Person: seed.People[Clsc][i] is { } p ? seed.Names[p] : "—")).Reverse();
        Assert.Equal(expected, rows);

        // The seat's history: Bruno, the vacant stretch, Béatrice until today.
        var seats = await page.Locator("section[aria-labelledby=organization-representatives] tbody tr").AllInnerTextsAsync();
        Assert.Collection(seats,
            s => Assert.StartsWith($"{Clsc}\tBruno Gagnon", s, StringComparison.Ordinal),
            s => Assert.StartsWith("siège vacant", s, StringComparison.Ordinal),
            s => Assert.Matches("^Béatrice Roy\t.*\taujourd’hui$", s));
        session.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task AlertButtons_AcknowledgeThenResolve_ChangeTheStoredAlert_AndThePage()
    {
        const string Alert = "org-x.falling-attendance", Other = "org-y.falling-attendance";
        Assert.Equal("open", await dashboard.AlertStatusAsync(DashboardSeed.Actions, Alert));
        await using var session = await dashboard.OpenAsync(DashboardApp.AdminKey);
        var page = session.Page;
        await session.GotoAsync($"/api/dashboard/partnerships/{DashboardSeed.Actions}?lang=fr");
        var item = page.Locator($"ul.alerts > li:has(form[action*='/alerts/{Alert}/'])");
        Assert.Equal("open", await item.GetAttributeAsync("class"));
        var listed = await page.Locator("ul.alerts > li").CountAsync();

        await PostFormAsync(session, item.Locator("button[formaction*='/acknowledge']"));
        Assert.Equal("acknowledged", await dashboard.AlertStatusAsync(DashboardSeed.Actions, Alert));
        Assert.Equal("acknowledged", await item.GetAttributeAsync("class"));
        Assert.Contains("prise en compte le", await item.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await item.Locator("button[formaction*='/acknowledge']").CountAsync());

        await PostFormAsync(session, item.Locator("form[action*='/resolve'] button:not([formaction])"));
        Assert.Equal("resolved", await dashboard.AlertStatusAsync(DashboardSeed.Actions, Alert));
        Assert.Equal(0, await item.CountAsync());
        Assert.Equal(listed - 1, await page.Locator("ul.alerts > li").CountAsync());

        // The other alert was not touched.
        Assert.Equal("open", await dashboard.AlertStatusAsync(DashboardSeed.Actions, Other));
        Assert.Equal(1, await page.Locator($"ul.alerts > li.open:has(button[formaction*='/alerts/{Other}/acknowledge'])").CountAsync());
        session.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task AlertEmailSwitch_TurnsEmailsOnThenOff_InTheStore()
    {
        async Task<bool> EmailsAsync() => (await dashboard.GetJsonAsync($"/api/partnerships/{DashboardSeed.Emails}")).GetProperty("partnership").GetProperty("alertEmails").GetBoolean();

        Assert.False(await EmailsAsync());
        await using var session = await dashboard.OpenAsync(DashboardApp.AdminKey);
        var page = session.Page;
        await session.GotoAsync($"/api/dashboard/partnerships/{DashboardSeed.Emails}?lang=fr");
        Assert.Contains("aucun courriel", await page.Locator("#alert-emails").InnerTextAsync(), StringComparison.Ordinal);

        await PostFormAsync(session, page.Locator("#alert-emails button"));
        Assert.True(await EmailsAsync());
        Assert.Contains("envoyées par courriel à la coordination (1 adresse(s))", await page.Locator("#alert-emails").InnerTextAsync(), StringComparison.Ordinal);

        await PostFormAsync(session, page.Locator("#alert-emails button"));
        Assert.False(await EmailsAsync());
        Assert.Contains("aucun courriel", await page.Locator("#alert-emails").InnerTextAsync(), StringComparison.Ordinal);
        session.AssertNoConsoleErrors();
    }

    /// <summary>Posts a form of the partnership page and follows its redirect back to the page (post, redirect, get).</summary>
    private static async Task PostFormAsync(BrowserSession session, ILocator button)
    {
        var back = new Uri(session.Page.Url).GetLeftPart(UriPartial.Path);
        var posted = session.Page.WaitForResponseAsync(r => r.Request.Method == "POST");
        await session.ClickAndWaitForUrlAsync(button, url => url.StartsWith(back + "?period=12&lang=fr#", StringComparison.Ordinal));
        Assert.Contains((await posted).Status, new[] { 302, 303 });
    }

    [Fact]
    public async Task PeriodFilter_ShowsTheMeetingsOfEachWindow_AndMarksTheChosenPeriod()
    {
        await using var session = await dashboard.OpenAsync(DashboardApp.AdminKey);
        var page = session.Page;
        var columns = page.Locator("table.heatmap thead time");
        var current = page.Locator("nav.noprint [aria-current]");

        // Seeded 900, 600, 400, 250, 100 and 20 days ago; 12 months when the address says nothing.
        await session.GotoAsync($"/api/dashboard/partnerships/{DashboardSeed.Heat}?lang=fr");
        Assert.Equal(3, await columns.CountAsync());
        Assert.Equal("12 mois", await current.InnerTextAsync());
        foreach (var (link, value, meetings) in new[] { ("6 mois", "6", 2), ("24 mois", "24", 5), ("tout", "all", 6), ("12 mois", "12", 3) })
        {
            await session.ClickAndWaitForUrlAsync(page.Locator("nav.noprint a", new PageLocatorOptions { HasTextString = link }), url => url.Contains($"period={value}&", StringComparison.Ordinal));
            Assert.Equal(meetings, await columns.CountAsync());
            Assert.Equal(link, await current.InnerTextAsync());
            Assert.Equal(1, await page.Locator("nav.noprint [aria-current]").CountAsync());
            Assert.Equal(meetings.ToString(CultureInfo.InvariantCulture), await page.Locator(".card:has-text('rencontres dans la période') .value").InnerTextAsync());
        }

        session.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task Overview_SortsByTheClickedHeader_AndSaysSoWithAriaSort()
    {
        await using var session = await dashboard.OpenAsync(DashboardApp.AdminKey);
        var page = session.Page;
        var names = StringComparer.Create(French, ignoreCase: true);
        await AssertOrderAsync(page, "risk", "descending"); // by default

        string[]? ascending = null;
        foreach (var (column, order) in new[] { ("name", "ascending"), ("name", "descending"), ("risk", "descending"), ("risk", "ascending"), ("attendance", "descending"), ("attendance", "ascending"), ("scored", "descending") })
        {
            var link = page.Locator($"#partnerships thead th a[href*='sort={column}&']");
            await session.ClickAndWaitForUrlAsync(link, url => url.Contains($"sort={column}&dir={(order == "ascending" ? "asc" : "desc")}&", StringComparison.Ordinal));
            var rows = await AssertOrderAsync(page, column, order);
            if (column == "name")
            {
                var shown = rows.Select(r => r.Name).ToArray();
                Assert.Equal(order == "ascending" ? shown.Order(names) : shown.OrderDescending(names), shown);
                if (order == "ascending")
                {
                    ascending = shown;
                }
                else
                {
                    Assert.Equal(ascending!.Reverse(), shown); // the order the rows change to
                }
            }
        }

        session.AssertNoConsoleErrors();
    }

    /// <summary>The header of <paramref name="column"/> alone has aria-sort, and its column's values are in that order (ties by name).</summary>
    private static async Task<List<(string Name, double? Risk, double? Attendance, string? Scored)>> AssertOrderAsync(IPage page, string column, string order)
    {
        var sorted = page.Locator("#partnerships thead th[aria-sort]");
        Assert.Equal(1, await sorted.CountAsync());
        Assert.Equal(order, await sorted.GetAttributeAsync("aria-sort"));
        Assert.Equal(1, await sorted.Locator($"a[href*='sort={column}&']").CountAsync());

        static double? Percent(string text) => Regex.Match(text, @"(\d+)\s*%") is { Success: true } m ? double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : null;
        var rows = (await page.Locator("#partnerships tbody tr").EvaluateAllAsync<JsonElement>(
            "rs => rs.map(r => [r.cells[0].textContent.trim(), r.cells[2].textContent, r.cells[5].querySelector('.num').textContent, r.cells[4].querySelector('time')?.getAttribute('datetime') ?? null])"))
            .EnumerateArray().Select(r => (r[0].GetString()!, Percent(r[1].GetString()!), Percent(r[2].GetString()!), r[3].GetString())).ToList();
        var values = column switch
        {
            "risk" => rows.Select(r => r.Item2).ToList(),
            "attendance" => rows.Select(r => r.Item3).ToList(),
            "scored" => rows.Select(r => r.Item4 is { } d ? (double?)DateOnly.Parse(d, CultureInfo.InvariantCulture).DayNumber : null).ToList(),
            _ => null,
        };
        if (values is not null)
        {
            // Rows without a value come last either way.
            var known = values.TakeWhile(v => v is not null).Select(v => v!.Value).ToList();
            Assert.All(values.Skip(known.Count), v => Assert.Null(v));
            Assert.Equal(order == "ascending" ? known.Order() : known.OrderDescending(), known);
        }

        return rows;
    }

    [Fact]
    public async Task AcknowledgeLink_FromAnEmail_AcknowledgesOnlyWhenItsButtonIsPressed()
    {
        var alertId = await LinkAlertAsync();
        await using var visitor = await dashboard.OpenAsync();
        var page = visitor.Page;
        foreach (var (language, title, done) in new[] { ("fr", "Prendre connaissance de l’alerte", "Alerte prise en compte"), ("en", "Acknowledge the alert", "Alert acknowledged") })
        {
            await visitor.GotoAsync(dashboard.AcknowledgeLink(DashboardSeed.Link, alertId, language));
            Assert.Equal(title, await page.Locator("h1").InnerTextAsync());
            if (language == "fr")
            {
                Assert.Equal("open", await dashboard.AlertStatusAsync(DashboardSeed.Link, alertId)); // opening the link changes nothing
            }

            var answer = await page.RunAndWaitForResponseAsync(() => page.Locator("main form button").ClickAsync(), r => r.Request.Method == "POST");
            Assert.Equal(200, answer.Status);
            Assert.Equal(done, await page.Locator("h1").InnerTextAsync());
            Assert.Equal("acknowledged", await dashboard.AlertStatusAsync(DashboardSeed.Link, alertId));
            await CheckAsync(visitor, "acknowledge-done", language);
        }

        visitor.AssertNoConsoleErrors();
    }

    /// <summary>
    /// axe leaves the contrast of SVG text undecided (it cannot tell what is drawn behind it): the names written inside
    /// the representation timeline's bars are measured here, against the fill of their own bar (WCAG 1.4.3, 4.5:1).
    /// </summary>
    [Fact]
    public async Task TimelineBarLabels_ContrastWithTheirBars_AtLeast4Point5To1()
    {
        await using var session = await dashboard.OpenAsync(DashboardApp.AdminKey);
        await session.GotoAsync($"/api/dashboard/partnerships/{DashboardSeed.Realistic}?period=all&lang=fr");
        var ratios = await session.Page.Locator("text.barlabel").EvaluateAllAsync<JsonElement>("""
            labels => {
              const luminance = color => {
                const [r, g, b] = color.match(/\d+(\.\d+)?/g).slice(0, 3).map(v => v / 255).map(c => c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
                return 0.2126 * r + 0.7152 * g + 0.0722 * b;
              };
              return labels.map(label => {
                const bar = label.parentElement.previousElementSibling;
                const [a, b] = [luminance(getComputedStyle(label).fill), luminance(getComputedStyle(bar).fill)].sort((x, y) => y - x);
                return { name: label.textContent, bar: bar.getAttribute('class'), ratio: (a + 0.05) / (b + 0.05) };
              });
            }
            """);
        Assert.Contains(ratios.EnumerateArray(), r => r.GetProperty("bar").GetString() == "bar alt"); // both shades are drawn
        Assert.All(ratios.EnumerateArray(), r => Assert.True(r.GetProperty("ratio").GetDouble() >= 4.5, r.ToString()));
        session.AssertNoConsoleErrors();
    }

    /// <summary>
    /// Printed, the partnership page is the committee's "bilan": who comes (the heatmap), the open alerts and the plan's
    /// figures with its late actions, then the charts. Without an action plan it held on three pages; the plan's section
    /// and the alerts its late actions raise add a fourth (the whole plan prints from the progress report).
    /// </summary>
    [Fact]
    public async Task PartnershipPage_PrintsOnOneToFourLetterPages_WithItsHeadingsAsBookmarks()
    {
        await using var session = await dashboard.OpenAsync(DashboardApp.AdminKey);
        var page = session.Page;
        await session.GotoAsync($"/api/dashboard/partnerships/{DashboardSeed.Realistic}?lang=fr");
        Assert.Equal(RealisticPartnership.OrganizationCount, await page.Locator("table.heatmap tbody tr").CountAsync());
        Assert.Equal(11, await page.Locator("table.heatmap thead time").CountAsync());
        Assert.True(await page.Locator("ul.alerts > li").CountAsync() >= RealisticPartnership.Falling.Length);

        // What the printed page shows, laid out at the width of a Letter page inside its margins (8.5 in − 2 × 1 cm).
        await page.SetViewportSizeAsync(740, 900);
        await page.EmulateMediaAsync(new PageEmulateMediaOptions { Media = Media.Print });
        var headings = await page.Locator("h1, h2, h3").EvaluateAllAsync<string[]>("hs => hs.filter(h => h.checkVisibility()).map(h => h.textContent.trim())");
        var smallest = await page.EvaluateAsync<JsonElement>(SmallestPrintedText);
        await page.EmulateMediaAsync(new PageEmulateMediaOptions { Media = Media.Null }); // printing chooses print media itself
        Assert.True(smallest.GetProperty("px").GetDouble() >= 7 * 96 / 72.0, $"Printed text smaller than 7 pt: {smallest}");

        var pdf = await page.PdfAsync(new PagePdfOptions { Format = "Letter", Outline = true, Tagged = true, PrintBackground = true });
        var path = await Artifacts.SaveAsync("partnership-fr.pdf", pdf);
        var document = PdfFile.Read(pdf);
        var bookmarks = document.OutlineTitles();
        output.WriteLine($"{path}: {document.PageCount} page(s); bookmarks: {string.Join(" | ", bookmarks)}; smallest text {smallest}");
        Assert.InRange(document.PageCount, 1, 4);

        string[] bilan = [DashboardSeed.PartnershipNames[DashboardSeed.Realistic], "En bref", "Qui vient aux rencontres", "Alertes ouvertes", "Plan d’action", "Représentation des organisations", "Présence aux rencontres", "Historique du risque", "Autodiagnostic CACIS"];
        Assert.Equal(bilan, headings.Intersect(bilan));
        Assert.Equal(headings, bookmarks);
        session.AssertNoConsoleErrors();
    }

    /// <summary>
    /// The smallest font size of visible text, in CSS pixels as printed: inside an SVG, scaled as the SVG is drawn
    /// (its drawn width over its viewBox's).
    /// </summary>
    private const string SmallestPrintedText = """
        () => {
          let smallest = { px: 1e9, text: '' };
          const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const element = node.parentElement;
            if (!node.textContent.trim() || !element.checkVisibility()) continue;
            let px = parseFloat(getComputedStyle(element).fontSize);
            const svg = element.closest('svg');
            if (svg && svg.viewBox.baseVal && svg.viewBox.baseVal.width) px *= svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
            if (px < smallest.px) smallest = { px, text: node.textContent.trim().slice(0, 40) };
          }
          return smallest;
        }
        """;
}
