using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;

namespace Engagement.Functions.Tests.Dashboard;

/// <summary>The partnership page's period filter and the organisation page, as a signed-in browser gets them.</summary>
public sealed partial class DashboardPagesTests
{
    /// <summary>p1 (meetings in January and February 2026, today being 1 November 2026) plus older and newer meetings.</summary>
    private static async Task<EngagementApp> StartAsync()
    {
        var app = new EngagementApp();
        await app.SeedAsync();
        var admin = app.Admin();
        (await admin.PostAsJsonAsync("/api/partnerships/p1/meetings", new object[]
        {
            new { id = "m0", start = "2024-06-12T13:30:00-04:00", end = "2024-06-12T16:00:00-04:00" }, // all only
            new { id = "m00", start = "2025-05-14T13:30:00-04:00", end = "2025-05-14T16:00:00-04:00" }, // 24 months
            new { id = "m3", start = "2026-09-17T13:30:00-04:00", end = "2026-09-17T16:00:00-04:00" }, // 6 months
            new { id = "m4", title = "Rencontre de novembre", start = "2026-11-19T13:30:00-05:00", end = "2026-11-19T16:00:00-05:00" }, // still to come
        })).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync("/api/attendance", new
        {
            partnershipId = "p1",
            records = new object[]
            {
                new { meetingId = "m1", personId = "marie", status = "present" },
                new { meetingId = "m2", personId = "marie", status = "excused" },
                new { meetingId = "m1", personId = "jean", status = "present" },
            },
        })).EnsureSuccessStatusCode();
        return app;
    }

    private static int Columns(string html) => HeatmapColumn().Count(html);

    [Theory]
    [InlineData("6", 1)]
    [InlineData("12", 3)]
    [InlineData("24", 4)]
    [InlineData("all", 5)]
    [InlineData("nonsense", 3)] // the default: 12 months
    public async Task PeriodFilter_ShowsTheMeetingsOfThePeriod_AndMarksTheChosenOne(string period, int meetings)
    {
        await using var app = await StartAsync();
        var client = await app.DashboardClientAsync(EngagementApp.Keys.Coordinator);

        var html = await client.GetStringAsync($"/api/dashboard/partnerships/p1?period={period}&lang=en");

        Assert.Equal(meetings, Columns(html));
        var chosen = period is "6" or "24" or "all" ? period : "12";
        Assert.Matches($"<span aria-current=\"true\">{(chosen == "all" ? "all" : chosen + " months")}</span>", html);
        // The language toggle keeps the period.
        Assert.Contains($"href=\"/api/dashboard/partnerships/p1?period={period}&amp;lang=fr\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OrganisationPage_ShowsItsAttendanceRepresentativesAndForms()
    {
        await using var app = await StartAsync();
        var client = await app.DashboardClientAsync(EngagementApp.Keys.Coordinator);

        var html = await client.GetStringAsync("/api/dashboard/partnerships/p1/organizations/cdc?period=all&lang=en");

        Assert.Contains("<h1>CDC Centre-Sud</h1>", html, StringComparison.Ordinal);
        Assert.Contains("Present at 1 of the 4 meetings where it had a seat.", html, StringComparison.Ordinal);
        var meetings = MeetingRow().Matches(html).Select(m => (m.Groups[1].Value, m.Groups[2].Value)).ToList();
        Assert.Equal(5, meetings.Count);
        Assert.Contains(("2026-02-19", "sent regrets"), meetings);
        Assert.Contains(("2026-01-15", "present"), meetings);
        Assert.Contains(("2026-09-17", "absent"), meetings);
        Assert.Contains(("2024-06-12", "not yet at the table"), meetings); // before Marie came
        Assert.Contains("Marie Tremblay", html, StringComparison.Ordinal);
        Assert.Contains("No form answered by its representatives.", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OrganisationPage_OfAnUnknownOrganisation_IsA404InTheAskedLanguage_AndAnAnalystSeesNoName()
    {
        await using var app = await StartAsync();

        using var missing = await (await app.DashboardClientAsync(EngagementApp.Keys.Coordinator)).GetAsync("/api/dashboard/partnerships/p1/organizations/nobody?lang=fr");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains("Cette organisation n’existe pas dans ce partenariat.", await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var analyst = await (await app.DashboardClientAsync(EngagementApp.Keys.Analyst)).GetStringAsync("/api/dashboard/partnerships/p1/organizations/cdc?period=all&lang=en");
        Assert.DoesNotContain("Marie", analyst, StringComparison.Ordinal);
        Assert.DoesNotContain("marie", analyst, StringComparison.Ordinal);
        Assert.DoesNotContain("<form", analyst, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMeetingStillToCome_IsNoAbsence_ButItsSignInSheetIsOffered_ToThoseWhoMayRunIt()
    {
        await using var app = await StartAsync();

        var coordinator = await (await app.DashboardClientAsync(EngagementApp.Keys.Coordinator)).GetStringAsync("/api/dashboard/partnerships/p1?period=all&lang=en");
        Assert.DoesNotContain("datetime=\"2026-11-19\">Nov 19, 2026</time></th>", coordinator, StringComparison.Ordinal); // not a heatmap column
        Assert.Contains("Rencontre de novembre", coordinator, StringComparison.Ordinal);
        Assert.Contains("href=\"/api/dashboard/partnerships/p1/meetings/m4/sign-in?lang=en\"", coordinator, StringComparison.Ordinal);
        Assert.Contains("href=\"/api/dashboard/partnerships/p1/diagnostic?lang=en\"", coordinator, StringComparison.Ordinal);

        var analyst = await (await app.DashboardClientAsync(EngagementApp.Keys.Analyst)).GetStringAsync("/api/dashboard/partnerships/p1?period=all&lang=en");
        Assert.DoesNotContain("/sign-in", analyst, StringComparison.Ordinal);
    }

    [GeneratedRegex("<th scope=\"col\"><time datetime=")]
    private static partial Regex HeatmapColumn();

    [GeneratedRegex("<th scope=\"row\"><time datetime=\"([0-9-]+)\">.*?</th>\\s*<td><span class=\"c [a-z]\"></span> ([^<]+)</td>", RegexOptions.Singleline)]
    private static partial Regex MeetingRow();
}
