using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;

namespace Engagement.EndToEnd.Tests.Dashboard;

/// <summary>
/// One app process and one headless Chromium shared by the dashboard's browser tests: the app is started with its keys
/// and secrets in environment variables, seeded through its API (<see cref="DashboardSeed"/>) and scored once. Each test
/// opens its own browser context (its own cookies) and reads or changes partnerships no other test changes.
/// </summary>
public sealed class DashboardApp : IAsyncLifetime
{
    public const string AdminKey = "dash-admin-key-0123456789";
    public const string CoordinatorKey = "dash-coordinator-p1-0123456789";
    public const string EastCoordinatorKey = "dash-coordinator-p1-p3-0123456789";
    public const string AnalystKey = "dash-analyst-key-0123456789";
    public const string IngestKey = "dash-ingest-key-0123456789";

    private static readonly byte[] SigningKey = SHA256.HashData("dashboard browser tests: acknowledge links"u8);

    private IPlaywright? _playwright;

    internal AppProcess App { get; private set; } = null!;

    internal IBrowser Browser { get; private set; } = null!;

    internal HeatmapSeed Heatmap { get; private set; } = null!;

    /// <summary>The secret behind the pseudonymous person keys an analyst sees.</summary>
    internal byte[] PersonKeySecret { get; } = SHA256.HashData("dashboard browser tests: person keys"u8);

    /// <summary>Today in Montréal (as standard time: the seeds sit days away from any limit, an hour does not matter).</summary>
    internal DateOnly Today { get; } = DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().ToOffset(TimeSpan.FromHours(-5)).DateTime);

    internal string BaseUrl => $"http://127.0.0.1:{App.Port}";

    private static string Hash(string key) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public async Task InitializeAsync()
    {
        var settings = new Dictionary<string, string>
        {
            ["Exports__PersonKeySecret"] = Convert.ToBase64String(PersonKeySecret),
            ["Alerts__SigningKey"] = Convert.ToBase64String(SigningKey),
            ["Alerts__PublicBaseUrl"] = "http://127.0.0.1",
            // Scored once, explicitly, after seeding: no background scoring while the pages are read.
            ["Scoring__Enabled"] = "false",
        };
        (string Name, string Key, string Role, string[] Partnerships)[] keys =
        [
            ("admin", AdminKey, "admin", []),
            ("coordinator-p1", CoordinatorKey, "coordinator", ["p1"]),
            ("coordinator-east", EastCoordinatorKey, "coordinator", ["p1", DashboardSeed.Heat]),
            ("analyst", AnalystKey, "analyst", []),
            ("ingest", IngestKey, "ingest", []),
        ];
        for (var i = 0; i < keys.Length; i++)
        {
            settings[$"Auth__ApiKeys__{i}__Name"] = keys[i].Name;
            settings[$"Auth__ApiKeys__{i}__Hash"] = Hash(keys[i].Key);
            settings[$"Auth__ApiKeys__{i}__Roles__0"] = keys[i].Role;
            for (var p = 0; p < keys[i].Partnerships.Length; p++)
            {
                settings[$"Auth__ApiKeys__{i}__Partnerships__{p}"] = keys[i].Partnerships[p];
            }
        }

        App = AppProcess.Start(settings);
        var launched = Chromium.LaunchAsync();
        (await App.WaitUntilReadyAsync()).Dispose();
        var seed = new DashboardSeed(SendAsync, Today);
        await seed.SeedAsync();
        Heatmap = seed.HeatmapPartnership;
        await SendAsync(HttpMethod.Post, "/ScoreRisk", new { });
        (_playwright, Browser) = await launched;
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (App is not null)
        {
            await App.DisposeAsync();
        }
    }

    internal async Task SendAsync(HttpMethod method, string path, object body)
    {
        using var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        using var response = await App.Client.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}\n{App.Output}");
    }

    /// <summary>GET a JSON resource of the API with the admin key.</summary>
    internal async Task<JsonElement> GetJsonAsync(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        using var response = await App.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>The status of one alert, as the JSON API lists it.</summary>
    internal async Task<string> AlertStatusAsync(string partnershipId, string alertId) =>
        (await GetJsonAsync($"/api/alerts?partnershipId={partnershipId}")).EnumerateArray().Single(a => a.GetProperty("id").GetString() == alertId).GetProperty("status").GetString()!;

    /// <summary>The signed acknowledge link an alert e-mail carries (see AlertLinks in the app), valid for a week.</summary>
    internal string AcknowledgeLink(string partnershipId, string alertId, string language)
    {
        var expires = TimeProvider.System.GetUtcNow().AddDays(7).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signature = Convert.ToBase64String(HMACSHA256.HashData(SigningKey, Encoding.UTF8.GetBytes($"{partnershipId}\n{alertId}\n{expires}"))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return $"/api/acknowledge?p={Uri.EscapeDataString(partnershipId)}&a={Uri.EscapeDataString(alertId)}&e={expires}&s={signature}&lang={language}";
    }

    /// <summary>The first 8 hex digits of a person's pseudonymous key, as an analyst sees them (see ExportContext in the app).</summary>
    internal string PersonKey(string partnershipId, string personId) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(PersonKeySecret, Encoding.UTF8.GetBytes($"{partnershipId}\n{personId}")))[..8];

    /// <summary>A fresh browser context (no cookie) with one page on the app; signed in with <paramref name="key"/> when given.</summary>
    internal async Task<BrowserSession> OpenAsync(string? key = null, string language = "fr")
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = BaseUrl, Locale = language == "en" ? "en-CA" : "fr-CA" });
        var session = new BrowserSession(context, await context.NewPageAsync());
        if (key is not null)
        {
            await session.Page.GotoAsync($"/api/dashboard/login?lang={language}");
            await session.Page.FillAsync("#key", key);
            await session.ClickAndWaitForUrlAsync(session.Page.Locator("button[type=submit]"), url => url.EndsWith($"/api/dashboard?lang={language}", StringComparison.Ordinal));
        }

        return session;
    }
}
