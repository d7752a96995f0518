using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Engagement.Core.Alerts;
using Engagement.Core.Domain;
using Engagement.Core.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Engagement.Functions.Tests.Dashboard;

/// <summary>
/// What a coordinator does from the partnership page, through the page's own forms: acknowledge and resolve an alert,
/// switch the e-mails. Each form is refused without its antiforgery field, from a key that may only read, and for a
/// partnership outside the key — and then nothing changes.
/// </summary>
public sealed partial class DashboardActionsTests
{
    private static async Task<EngagementApp> StartWithAnAlertAsync()
    {
        var app = new EngagementApp();
        await app.SeedAsync();
        await app.SeedAsync("p2");
        var now = EngagementApp.Start;
        await app.Services.GetRequiredService<IAlertStore>().SaveAlertsAsync("p1",
        [
            new Alert
            {
                PartnershipId = "p1", OrganizationId = "cdc", Type = AlertType.FallingAttendance, Status = AlertStatus.Open, Band = "high",
                Probability = 0.81, ModelVersion = "test", OpenedAt = now, UpdatedAt = now,
                Reasons = [new SnapshotReason("absences", 0.4, 3, "absente à 3 des 3 dernières rencontres", "absent from 3 of the last 3 meetings")],
            },
        ], []);
        return app;
    }

    /// <summary>The page, and what its forms need: the session and antiforgery cookies, and the field's value.</summary>
    private static async Task<(HttpClient Client, string Token, string Html)> OpenPageAsync(EngagementApp app, string key, string path = "/api/dashboard/partnerships/p1?lang=en")
    {
        var client = await app.DashboardClientAsync(key);
        using var page = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        var token = TokenField().Match(html).Groups[1].Value;
        if (page.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.FirstOrDefault(c => c.StartsWith("ef_form=", StringComparison.Ordinal)) is { } form)
        {
            var session = client.DefaultRequestHeaders.GetValues("Cookie").Single();
            client.DefaultRequestHeaders.Remove("Cookie");
            client.DefaultRequestHeaders.Add("Cookie", $"{session}; {form.Split(';')[0]}");
        }

        return (client, WebUtility.HtmlDecode(token), html);
    }

    private static async Task<string> StatusOfAsync(EngagementApp app) =>
        (await app.Admin().GetFromJsonAsync<JsonElement>("/api/alerts?partnershipId=p1")).EnumerateArray().Single().GetProperty("status").GetString()!;

    private static FormUrlEncodedContent Form(params (string Name, string Value)[] fields) => new(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));

    [Fact]
    public async Task Coordinator_AcknowledgesThenResolves_FromThePage_AndIsSentBackToIt()
    {
        await using var app = await StartWithAnAlertAsync();
        var (client, token, html) = await OpenPageAsync(app, EngagementApp.Keys.Coordinator);
        Assert.Contains("absent from 3 of the last 3 meetings", html, StringComparison.Ordinal);
        Assert.Contains("· falling attendance ·", html, StringComparison.Ordinal); // what the alert is about
        Assert.Contains("/alerts/cdc.falling-attendance/acknowledge", html, StringComparison.Ordinal);

        using var acknowledged = await client.PostAsync("/api/dashboard/partnerships/p1/alerts/cdc.falling-attendance/acknowledge?period=24&lang=en", Form(("ef_token", token)));
        Assert.Equal(HttpStatusCode.Redirect, acknowledged.StatusCode);
        Assert.Equal("/api/dashboard/partnerships/p1?period=24&lang=en#open-alerts", acknowledged.Headers.Location?.ToString());
        Assert.Equal("acknowledged", await StatusOfAsync(app));
        var after = await (await client.GetAsync("/api/dashboard/partnerships/p1?lang=en")).Content.ReadAsStringAsync();
        Assert.Contains("acknowledged on", after, StringComparison.Ordinal);
        Assert.DoesNotContain("/alerts/cdc.falling-attendance/acknowledge", after, StringComparison.Ordinal); // no second acknowledge

        using var resolved = await client.PostAsync("/api/dashboard/partnerships/p1/alerts/cdc.falling-attendance/resolve?lang=en", Form(("ef_token", token)));
        Assert.Equal(HttpStatusCode.Redirect, resolved.StatusCode);
        Assert.Equal("resolved", await StatusOfAsync(app));
        Assert.Contains("No open alert.", await (await client.GetAsync("/api/dashboard/partnerships/p1?lang=en")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFormWithoutItsAntiforgeryField_OrFromAnotherSession_ChangesNothing()
    {
        await using var app = await StartWithAnAlertAsync();
        var (client, token, _) = await OpenPageAsync(app, EngagementApp.Keys.Coordinator);

        using var missing = await client.PostAsync("/api/dashboard/partnerships/p1/alerts/cdc.falling-attendance/acknowledge?lang=en", Form());
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Contains("The form has expired", await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // A page another site makes the browser post carries the session cookie (were SameSite ignored) but not the field.
        using var forged = await client.PostAsync("/api/dashboard/partnerships/p1/alerts/cdc.falling-attendance/resolve?lang=en", Form(("ef_token", "forged")));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);

        // Without the session, the post is sent to the sign-in page.
        var anonymous = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var signedOut = await anonymous.PostAsync("/api/dashboard/partnerships/p1/alerts/cdc.falling-attendance/resolve", Form(("ef_token", token)));
        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
        Assert.EndsWith("/api/dashboard/login", signedOut.Headers.Location?.ToString(), StringComparison.Ordinal);

        Assert.Equal("open", await StatusOfAsync(app));
    }

    [Fact]
    public async Task AnAnalyst_GetsNoForm_AndItsPostIsRefused()
    {
        await using var app = await StartWithAnAlertAsync();
        var (analyst, token, html) = await OpenPageAsync(app, EngagementApp.Keys.Analyst);
        Assert.DoesNotContain("<form", html, StringComparison.Ordinal);
        Assert.Empty(token);

        // Even with a valid field from a coordinator's page, the analyst's own session may not act.
        var (_, coordinatorToken, _) = await OpenPageAsync(app, EngagementApp.Keys.Coordinator);
        using var refused = await analyst.PostAsync("/api/dashboard/partnerships/p1/alerts/cdc.falling-attendance/acknowledge?lang=en", Form(("ef_token", coordinatorToken)));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("open", await StatusOfAsync(app));
    }

    [Fact]
    public async Task ACoordinatorOfOnePartnership_CannotActOnAnother()
    {
        await using var app = await StartWithAnAlertAsync();
        var (client, token, _) = await OpenPageAsync(app, EngagementApp.Keys.CoordinatorOfP1);

        using var other = await client.PostAsync("/api/dashboard/partnerships/p2/alert-emails?lang=en", Form(("ef_token", token), ("on", "true")));

        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        Assert.False((await app.Admin().GetFromJsonAsync<JsonElement>("/api/partnerships/p2")).GetProperty("partnership").GetProperty("alertEmails").GetBoolean());
    }

    [Fact]
    public async Task Coordinator_TurnsTheEmailsOnAndOff_FromThePage()
    {
        await using var app = await StartWithAnAlertAsync();
        var (client, token, html) = await OpenPageAsync(app, EngagementApp.Keys.Coordinator);
        Assert.Contains("Alerts are shown here only", html, StringComparison.Ordinal); // a new partnership starts quiet
        async Task<bool> EmailsAsync() => (await app.Admin().GetFromJsonAsync<JsonElement>("/api/partnerships/p1")).GetProperty("partnership").GetProperty("alertEmails").GetBoolean();

        using var on = await client.PostAsync("/api/dashboard/partnerships/p1/alert-emails?lang=en", Form(("ef_token", token), ("on", "true")));
        Assert.Equal(HttpStatusCode.Redirect, on.StatusCode);
        Assert.Equal("/api/dashboard/partnerships/p1?lang=en#alert-emails", on.Headers.Location?.ToString());
        Assert.True(await EmailsAsync());
        Assert.Contains("Alerts are also e-mailed to the coordinators (1 address(es)).", await (await client.GetAsync("/api/dashboard/partnerships/p1?lang=en")).Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var off = await client.PostAsync("/api/dashboard/partnerships/p1/alert-emails?lang=en", Form(("ef_token", token), ("on", "false")));
        Assert.False(await EmailsAsync());

        using var nonsense = await client.PostAsync("/api/dashboard/partnerships/p1/alert-emails?lang=en", Form(("ef_token", token), ("on", "maybe")));
        Assert.Equal(HttpStatusCode.BadRequest, nonsense.StatusCode);
        Assert.False(await EmailsAsync());
    }

    [GeneratedRegex("name=\"ef_token\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}
