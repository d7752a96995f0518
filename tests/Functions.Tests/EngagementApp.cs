using System.Net.Http.Headers;
using System.Net.Http.Json;
using Engagement.Functions.Security;
using Engagement.Tests;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Engagement.Functions.Tests;

/// <summary>
/// The real app on a fresh SQLite file, with one API key per role and a manual clock. Only infrastructure is
/// swapped: the clock, the database path, the keys.
/// </summary>
public sealed class EngagementApp : WebApplicationFactory<Program>
{
    public static readonly DateTimeOffset Start = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly string _databasePath = Path.Combine(Path.GetTempPath(), $"engagement-test-{Guid.NewGuid():N}.db");
    private readonly string _datasetsFolder = Path.Combine(Path.GetTempPath(), $"engagement-test-datasets-{Guid.NewGuid():N}");
    private readonly Dictionary<string, string> _settings;

    private readonly Action<IServiceCollection>? _services;

    private readonly string _environment;

    public EngagementApp(Dictionary<string, string>? settings = null, Action<IServiceCollection>? services = null, string environment = "Testing")
    {
        _settings = settings ?? [];
        _services = services;
        _environment = environment;
    }

    /// <summary>The person key secret every test app has unless its settings give another.</summary>
    public static readonly string TestPersonKeySecret = Convert.ToBase64String(Enumerable.Range(100, 32).Select(i => (byte)i).ToArray());

    /// <summary>The key of the participants' links every test app has unless its settings give another.</summary>
    public static readonly string TestParticipantKey = Convert.ToBase64String(Enumerable.Range(7, 32).Select(i => (byte)i).ToArray());

    public ManualTimeProvider Clock { get; } = new(Start);

    public string DatabasePath => _databasePath;

    /// <summary>Where PublishDatasets writes (<c>Datasets:Folder</c>) unless the test's settings say otherwise.</summary>
    public string DatasetsFolder => _settings.TryGetValue("Datasets:Folder", out var folder) ? folder : _datasetsFolder;

    public static class Keys
    {
        public const string Admin = "test-key-admin";
        public const string Coordinator = "test-key-coordinator";
        public const string Ingest = "test-key-ingest";
        public const string Analyst = "test-key-analyst";
        public const string CoordinatorOfP1 = "test-key-coordinator-p1";
        public const string IngestOfP1 = "test-key-ingest-p1";
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(_environment);
        builder.UseSetting("Demo:Enabled", "false");
        builder.UseSetting("Storage:Sqlite:Path", _databasePath);
        builder.UseSetting("Scheduler:Enabled", "false");
        // Off unless a test turns it on: a scoring after each attendance write would add snapshots and e-mails to
        // tests that move the clock for other reasons.
        builder.UseSetting("Scoring:Enabled", "false");
        builder.UseSetting("Datasets:Folder", _datasetsFolder);
        // Required outside Development; a test may set its own (or "" to see the app refuse to start).
        builder.UseSetting("Exports:PersonKeySecret", TestPersonKeySecret);
        builder.UseSetting("Participants:SigningKey", TestParticipantKey);
        var keys = new (string Name, string Key, string Role, string? Partnership)[]
        {
            ("admin", Keys.Admin, Roles.Admin, null),
            ("coordinator", Keys.Coordinator, Roles.Coordinator, null),
            ("ingest", Keys.Ingest, Roles.Ingest, null),
            ("analyst", Keys.Analyst, Roles.Analyst, null),
            ("coordinator-p1", Keys.CoordinatorOfP1, Roles.Coordinator, "p1"),
            ("ingest-p1", Keys.IngestOfP1, Roles.Ingest, "p1"),
        };
        for (var i = 0; i < keys.Length; i++)
        {
            builder.UseSetting($"Auth:ApiKeys:{i}:Name", keys[i].Name);
            builder.UseSetting($"Auth:ApiKeys:{i}:Hash", KeyHasher.Hash(keys[i].Key));
            builder.UseSetting($"Auth:ApiKeys:{i}:Roles:0", keys[i].Role);
            if (keys[i].Partnership is { } p)
            {
                builder.UseSetting($"Auth:ApiKeys:{i}:Partnerships:0", p);
            }
        }

        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Clock);
            _services?.Invoke(services);
        });
    }

    /// <summary>A browser-like client signed in to the dashboard with <paramref name="key"/> (its session cookie, not the key).</summary>
    public async Task<HttpClient> DashboardClientAsync(string key)
    {
        var anonymous = CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        using var login = await anonymous.PostAsync("/api/dashboard/login", new FormUrlEncodedContent([new("key", key)]));
        var cookie = login.Headers.TryGetValues("Set-Cookie", out var values) ? values.Single().Split(';')[0] : throw new InvalidOperationException($"Sign-in with that key answered {(int)login.StatusCode} without a cookie.");
        var client = CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        client.DefaultRequestHeaders.Add("Cookie", cookie);
        return client;
    }

    public HttpClient ClientWithKey(string? key)
    {
        var client = CreateClient();
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }

    public HttpClient Admin() => ClientWithKey(Keys.Admin);

    /// <summary>Creates partnership p1 with two organisations, three people, representations and two meetings.</summary>
    public async Task SeedAsync(string partnershipId = "p1")
    {
        var admin = Admin();
        await Ok(admin.PutAsJsonAsync($"/api/partnerships/{partnershipId}", new { name = $"Table {partnershipId}", language = "fr", coordinatorEmails = new[] { "coord@example.org" } }));
        await Ok(admin.PostAsJsonAsync($"/api/partnerships/{partnershipId}/organizations", new object[]
        {
            new { id = "cdc", name = "CDC Centre-Sud", sector = "community" },
            new { id = "ville", name = "Ville de Montréal", sector = "municipal" },
        }));
        await Ok(admin.PostAsJsonAsync($"/api/partnerships/{partnershipId}/people", new object[]
        {
            new { id = "marie", displayName = "Marie Tremblay", email = "marie@example.org" },
            new { id = "jean", displayName = "Jean Roy", email = "jean@example.org" },
            new { id = "luc", displayName = "Luc Gagnon" },
        }));
        await Ok(admin.PostAsJsonAsync($"/api/partnerships/{partnershipId}/representations", new object[]
        {
            new { organizationId = "cdc", personId = "marie", role = "representative", from = "2025-01-01" },
            new { organizationId = "ville", personId = "jean", role = "representative", from = "2025-01-01" },
        }));
        await Ok(admin.PostAsJsonAsync($"/api/partnerships/{partnershipId}/meetings", new object[]
        {
            new { id = "m1", title = "Rencontre de janvier", start = "2026-01-15T13:30:00-05:00", end = "2026-01-15T16:00:00-05:00" },
            new { id = "m2", title = "Rencontre de février", start = "2026-02-19T13:30:00-05:00", end = "2026-02-19T16:00:00-05:00", source = "teams", teamsJoinUrl = "https://teams.microsoft.com/l/meetup-join/abc" },
        }));
    }

    private static async Task Ok(Task<HttpResponseMessage> call)
    {
        using var response = await call;
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Seeding failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { string.Empty, "-wal", "-shm" })
        {
            File.Delete(_databasePath + suffix);
        }

        if (Directory.Exists(_datasetsFolder))
        {
            Directory.Delete(_datasetsFolder, recursive: true);
        }
    }
}
