using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Engagement.Core.Domain;
using Engagement.Core.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Engagement.Functions.Tests.Participants;

/// <summary>
/// What the participants' tests share: partnership p1 seeded (cdc: Marie; ville: Jean; Luc without representation), a
/// meeting starting half an hour after the app's clock, and the calls a phone and a coordinator make.
/// </summary>
internal static partial class ParticipantScenario
{
    /// <summary>Today's meeting: 30 minutes after <see cref="EngagementApp.Start"/>, two hours long.</summary>
    public const string Meeting = "today";

    public static readonly DateTimeOffset MeetingStart = EngagementApp.Start.AddMinutes(30);

    public static async Task<EngagementApp> StartAsync(Dictionary<string, string>? settings = null)
    {
        var app = new EngagementApp(settings);
        await app.SeedAsync();
        await AddMeetingAsync(app, Meeting, MeetingStart);
        return app;
    }

    public static async Task AddMeetingAsync(EngagementApp app, string id, DateTimeOffset start, string partnershipId = "p1")
    {
        using var response = await app.Admin().PostAsJsonAsync($"/api/partnerships/{partnershipId}/meetings", new object[]
        {
            new { id, title = "Rencontre du jour", start = start.ToString("O"), end = start.AddHours(2).ToString("O") },
        });
        response.EnsureSuccessStatusCode();
    }

    /// <summary>The meeting's sign-in link as the coordinator's API gives it: its path and query.</summary>
    public static async Task<string> SignInLinkAsync(EngagementApp app, string meetingId = Meeting, string partnershipId = "p1")
    {
        var link = await app.ClientWithKey(EngagementApp.Keys.Coordinator).GetFromJsonAsync<JsonElement>($"/api/partnerships/{partnershipId}/meetings/{meetingId}/sign-in");
        return PathOf(link.GetProperty("url").GetString()!);
    }

    public static string PathOf(string url) => new Uri(url).PathAndQuery;

    /// <summary>A phone: no key, no cookie.</summary>
    public static HttpClient Phone(EngagementApp app) =>
        app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });

    public static FormUrlEncodedContent Form(params (string Name, string Value)[] fields) => new(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));

    public static Task<HttpResponseMessage> SignInAsync(HttpClient phone, string link, string organizationId, string? personId = null, string? name = null) =>
        phone.PostAsync($"{link}&o={Uri.EscapeDataString(organizationId)}", personId is not null
            ? Form(("o", organizationId), ("person", personId))
            : Form(("o", organizationId), ("name", name ?? string.Empty)));

    public static async Task<IReadOnlyList<Attendance>> AttendanceAsync(EngagementApp app, string meetingId = Meeting) =>
        await app.Services.GetRequiredService<IAttendanceStore>().GetAttendanceAsync("p1", meetingId);

    public static async Task<SignInSheet> SheetAsync(EngagementApp app, string meetingId = Meeting) =>
        await app.Services.GetRequiredService<ISignInStore>().GetSheetAsync("p1", meetingId);

    public static async Task<IReadOnlyList<FormSubmission>> SubmissionsAsync(EngagementApp app, string partnershipId = "p1") =>
        await app.Services.GetRequiredService<IFormStore>().ListFormSubmissionsAsync(partnershipId);

    /// <summary>A dashboard page and what its forms need: the session and antiforgery cookies, and the field's value.</summary>
    public static async Task<(HttpClient Client, string Token, string Html, HttpResponseMessage Response)> DashboardPageAsync(EngagementApp app, string key, string path)
    {
        var client = await app.DashboardClientAsync(key);
        var page = await client.GetAsync(path);
        var html = await page.Content.ReadAsStringAsync();
        var token = TokenField().Match(html).Groups[1].Value;
        if (page.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.FirstOrDefault(c => c.StartsWith("ef_form=", StringComparison.Ordinal)) is { } form)
        {
            var session = client.DefaultRequestHeaders.GetValues("Cookie").Single();
            client.DefaultRequestHeaders.Remove("Cookie");
            client.DefaultRequestHeaders.Add("Cookie", $"{session}; {form.Split(';')[0]}");
        }

        return (client, WebUtility.HtmlDecode(token), html, page);
    }

    [GeneratedRegex("name=\"ef_token\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}
