using System.Net;
using System.Text.RegularExpressions;
using Engagement.Core.Storage;
using Engagement.Functions.Tests.ActionPlans;
using Microsoft.Extensions.DependencyInjection;

namespace Engagement.Functions.Tests.Dashboard;

/// <summary>The tracker uploaded from the dashboard's partnership page, and its template downloaded there.</summary>
public sealed partial class TrackerUploadTests
{
    /// <summary>A signed-in coordinator's client with the page's antiforgery cookie, and the field the page's form carries.</summary>
    private static async Task<(HttpClient Client, string Token)> CoordinatorAsync(EngagementApp app, string key = EngagementApp.Keys.Coordinator)
    {
        var client = await app.DashboardClientAsync(key);
        using var page = await client.GetAsync("/api/dashboard/partnerships/p1?lang=fr");
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("enctype=\"multipart/form-data\" action=\"/api/dashboard/partnerships/p1/plan/import?lang=fr\"", html, StringComparison.Ordinal);
        var token = Token().Match(html).Groups[1].Value;
        var form = page.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("ef_form=", StringComparison.Ordinal)).Split(';')[0];
        var session = client.DefaultRequestHeaders.GetValues("Cookie").Single();
        client.DefaultRequestHeaders.Remove("Cookie");
        client.DefaultRequestHeaders.Add("Cookie", $"{session}; {form}");
        return (client, token);
    }

    private static MultipartFormDataContent Upload(string token, byte[] xlsx) => new()
    {
        { new StringContent(token), "ef_token" },
        { new ByteArrayContent(xlsx), "tracker", "plan MADA.xlsx" },
    };

    [Fact]
    public async Task Upload_ImportsTheTracker_AndSaysWhatItDid_ThenTheSameFileAgainChangesNothing()
    {
        await using var app = new EngagementApp();
        await PlanScenario.SeedAsync(app);
        var (client, token) = await CoordinatorAsync(app);

        using var first = await client.PostAsync("/api/dashboard/partnerships/p1/plan/import?lang=fr", Upload(token, PlanScenario.MadaTracker()));
        var html = await first.Content.ReadAsStringAsync();

        Assert.True(first.StatusCode == HttpStatusCode.OK, html);
        Assert.Contains("<h1>Plan d’action importé</h1>", html, StringComparison.Ordinal);
        Assert.Contains("feuille « Plan 2025-2027 », en-têtes à la ligne 4", html, StringComparison.Ordinal);
        Assert.Contains("<th scope=\"row\">Actions</th><td class=\"num\">5</td><td class=\"num\">0</td><td class=\"num\">0</td>", html, StringComparison.Ordinal);
        var plan = await app.Services.GetRequiredService<IActionPlanStore>().GetPlanAsync("p1");
        Assert.Equal(5, plan.Actions.Count);
        Assert.Equal(2, plan.Objectives.Count);

        using var again = await client.PostAsync("/api/dashboard/partnerships/p1/plan/import?lang=fr", Upload(token, PlanScenario.MadaTracker()));
        Assert.Contains("<th scope=\"row\">Actions</th><td class=\"num\">0</td><td class=\"num\">0</td><td class=\"num\">5</td>", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(plan.Updates.Count, (await app.Services.GetRequiredService<IActionPlanStore>().GetPlanAsync("p1")).Updates.Count);

        Assert.Contains("href=\"/api/dashboard/partnerships/p1/plan?lang=fr\"", html, StringComparison.Ordinal);
        var page = await client.GetStringAsync("/api/dashboard/partnerships/p1/plan?lang=fr");
        Assert.Contains("Créer un répertoire des ressources pour aînés", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upload_WithABadCell_ListsTheProblemByCell_AndWritesNothing()
    {
        await using var app = new EngagementApp();
        await PlanScenario.SeedAsync(app);
        var (client, token) = await CoordinatorAsync(app);
        var tracker = PlanScenario.MadaTracker(sheet => sheet.Set(6, 7, "31 juin"));

        using var response = await client.PostAsync("/api/dashboard/partnerships/p1/plan/import?lang=fr", Upload(token, tracker));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("<h1>Le fichier n’a pas été importé</h1>", html, StringComparison.Ordinal);
        Assert.Matches("<li><strong>G6</strong><span> · </span>[^<]*ligne 6[^<]*31 juin", html);
        Assert.Empty((await app.Services.GetRequiredService<IActionPlanStore>().GetPlanAsync("p1")).Actions);
    }

    [Fact]
    public async Task Upload_ByAnAnalystOrWithoutTheFormField_IsRefused_AndTheTemplateDownloads()
    {
        await using var app = new EngagementApp();
        await PlanScenario.SeedAsync(app);
        var (client, _) = await CoordinatorAsync(app);
        var analyst = await app.DashboardClientAsync(EngagementApp.Keys.Analyst);

        Assert.DoesNotContain("plan/import", await analyst.GetStringAsync("/api/dashboard/partnerships/p1?lang=fr"), StringComparison.Ordinal);
        using var byAnalyst = await analyst.PostAsync("/api/dashboard/partnerships/p1/plan/import", Upload("x", PlanScenario.MadaTracker()));
        Assert.Equal(HttpStatusCode.Forbidden, byAnalyst.StatusCode);
        using var noToken = await client.PostAsync("/api/dashboard/partnerships/p1/plan/import", new MultipartFormDataContent { { new ByteArrayContent(PlanScenario.MadaTracker()), "tracker", "plan.xlsx" } });
        Assert.Equal(HttpStatusCode.BadRequest, noToken.StatusCode);
        Assert.Empty((await app.Services.GetRequiredService<IActionPlanStore>().GetPlanAsync("p1")).Actions);

        using var template = await analyst.GetAsync("/api/dashboard/partnerships/p1/plan/template.xlsx?lang=en");
        Assert.Equal(HttpStatusCode.OK, template.StatusCode);
        Assert.Equal(PlanScenario.XlsxType, template.Content.Headers.ContentType?.MediaType);
        Assert.Equal("PK"u8.ToArray(), (await template.Content.ReadAsByteArrayAsync())[..2]);
    }

    [GeneratedRegex("name=\"ef_token\" value=\"([^\"]+)\"")]
    private static partial Regex Token();
}
