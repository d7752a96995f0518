using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Engagement.EndToEnd.Tests.FunctionsHost;

namespace Engagement.EndToEnd.Tests;

/// <summary>
/// The same published app under the Functions host (over its gRPC protocol) and standalone (its own process), given
/// the same settings and the same requests: identical answers, and on Table Storage as in Azure it writes nothing
/// beside itself (Flex Consumption mounts the package read-only).
/// </summary>
[Collection(PublishedAppCollection.Name)]
public sealed class BothHostsTests(PublishedFunctionApp published) : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), $"engagement-both-{Guid.NewGuid():N}");

    private static readonly (string Name, string? Key)[] Callers =
    [
        ("admin", HostProtocolSettings.Admin),
        ("coordinator", HostProtocolSettings.Coordinator),
        ("ingest", HostProtocolSettings.Ingest),
        ("analyst", HostProtocolSettings.Analyst),
        ("coordinator of another partnership", HostProtocolSettings.CoordinatorOfOther),
        ("unknown key", "not-a-key-of-this-app"),
        ("no key", null),
    ];

    /// <summary>Every route with each caller: idempotent upserts and reads, sent in the same order to both hosts.</summary>
    private static readonly (string Method, string Path, string? Json)[] Routes =
    [
        ("GET", "/api/partnerships", null),
        ("GET", "/api/partnerships/p1", null),
        ("PUT", "/api/partnerships/p1", """{"name":"Table p1","language":"fr","coordinatorEmails":["coord@example.org"]}"""),
        ("POST", "/api/partnerships/p1/organizations", """[{"id":"cdc","name":"CDC Centre-Sud","sector":"community"}]"""),
        ("POST", "/api/partnerships/p1/people", """[{"id":"luc","displayName":"Luc Gagnon"}]"""),
        ("POST", "/api/partnerships/p1/representations", """[{"organizationId":"cdc","personId":"luc","from":"2025-01-01"}]"""),
        ("POST", "/api/partnerships/p1/representations/cdc.luc.20250101/end", """{"to":"2026-06-30"}"""),
        ("POST", "/api/partnerships/p1/meetings", """[{"id":"m1","title":"Rencontre","start":"2026-01-15T13:30:00-05:00","end":"2026-01-15T16:00:00-05:00"}]"""),
        ("GET", "/api/partnerships/p1/meetings", null),
        ("GET", "/api/partnerships/p1/meetings/m1/attendance", null),
        ("POST", "/api/attendance", """{"partnershipId":"p1","records":[{"meetingId":"m1","personId":"luc","status":"present"}]}"""),
        ("PUT", "/api/forms/f1", """{"partnershipId":"p1","kind":"feedback"}"""),
        ("GET", "/api/forms/f1", null),
        ("POST", "/api/forms/submissions", """{"formId":"f1","responseId":"1","submittedAt":"2026-03-01T10:00:00Z","answers":{"q":"Oui"}}"""),
        ("GET", "/api/openapi/v1.json", null),
        ("GET", "/api/risk", null),
        ("GET", "/api/partnerships/p1/risk", null),
        ("GET", "/api/risk/models", null),
        ("GET", "/api/risk/models?top=0", null),
        ("GET", "/api/alerts", null),
        ("POST", "/api/alerts/p1/none/acknowledge", null),
        ("GET", "/api/partnerships/p1/integrations", null),
        ("DELETE", "/api/partnerships/p1/integrations/group/none", null),
        ("GET", "/api/exports/dim_partnership.csv", null),
        ("GET", "/api/audit/exports", null),
        ("GET", "/api/audit/exports?since=yesterday", null),
        ("GET", "/api/exports/audit.csv", null),
        ("GET", "/api/exports/audit", null),
        ("GET", "/api/odata", null),
        ("GET", "/api/odata/$metadata", null),
        ("GET", "/api/odata/dim_partnership", null),
        ("GET", "/api/health", null),
        ("GET", "/api/acknowledge?p=p1&a=x&e=4102444800&s=AAAA", null),
        ("POST", "/api/partnerships/p1/people", """[{"id":"","displayName":"Nobody"}]"""),
        ("PUT", "/api/partnerships/p1", "{\"name\":"),
    ];

    public void Dispose()
    {
        if (Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }
    }

    private static HttpRequestMessage Request(string method, string path, string? json, string? key)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        return request;
    }

    /// <summary>Status and content type of every route × caller, after the same seeding.</summary>
    private static async Task<List<string>> AnswersAsync(HttpClient client)
    {
        var answers = new List<string>();
        foreach (var (method, path, json) in Routes)
        {
            foreach (var (caller, key) in Callers)
            {
                using var response = await client.SendAsync(Request(method, path, json, key));
                answers.Add($"{method} {path} as {caller}: {(int)response.StatusCode} {response.Content.Headers.ContentType?.MediaType}");
            }
        }

        return answers;
    }

    [Fact]
    public async Task EveryRouteWithEveryKey_AnswersTheSame_UnderTheHostAndStandalone()
    {
        List<string> underHost;
        await using (var host = await FunctionsHostEmulator.StartAsync(published.Root, HostProtocolSettings.For(Path.Combine(_data, "host"))))
        {
            using var client = host.CreateHttpClient();
            // The host's own key check comes first; callers of function-level routes send its key too.
            client.DefaultRequestHeaders.Add("x-functions-key", host.Options.FunctionKey);
            underHost = await AnswersAsync(client);
            Assert.True(await host.StopAsync() == 0, host.Diagnostics());
        }

        var environment = HostProtocolSettings.For(Path.Combine(_data, "standalone"));
        await using var standalone = AppProcess.Launch(StandaloneStart(published.Root, environment, out var port), port, ownedRoot: null);
        await standalone.WaitUntilReadyAsync();
        var alone = await AnswersAsync(standalone.Client);

        Assert.Equal(alone.Count, underHost.Count);
        Assert.Empty(alone.Zip(underHost).Where(p => p.First != p.Second).Select(p => $"standalone {p.First} | under the host {p.Second}"));
        Assert.Contains("GET /api/partnerships/p1 as ingest: 403 application/problem+json", underHost);
        Assert.Contains("GET /api/partnerships/p1 as coordinator of another partnership: 403 application/problem+json", underHost);
        Assert.Contains("GET /api/partnerships/p1 as no key: 401 application/problem+json", underHost);
        Assert.Contains("GET /api/health as no key: 200 application/json", underHost);
        Assert.Contains("PUT /api/partnerships/p1 as admin: 400 application/problem+json", underHost);
        Assert.Contains("GET /api/audit/exports as admin: 200 application/json", underHost);
        Assert.Contains("GET /api/audit/exports as analyst: 403 application/problem+json", underHost);
        Assert.Contains("GET /api/audit/exports?since=yesterday as admin: 400 application/problem+json", underHost);
        Assert.Contains("GET /api/risk/models as admin: 200 application/json", underHost);
        Assert.Contains("GET /api/risk/models?top=0 as admin: 400 application/problem+json", underHost);
    }

    /// <summary>The published folder run on its own, as a small install would: <c>dotnet Engagement.Functions.dll</c>.</summary>
    private static ProcessStartInfo StandaloneStart(string root, Dictionary<string, string> environment, out int port)
    {
        port = AppProcess.FreePort();
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } dotnet ? dotnet : "dotnet") { WorkingDirectory = root };
        info.ArgumentList.Add(Path.Combine(root, "Engagement.Functions.dll"));
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add($"http://127.0.0.1:{port}");
        AppProcess.SetEnvironment(info, environment);
        return info;
    }

    /// <summary>The body of <paramref name="path"/> once it answers 200, or null when it has not within <paramref name="limit"/>.</summary>
    private static async Task<string?> EventuallyAsync(HttpClient client, string path, TimeSpan limit)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (watch.Elapsed < limit)
        {
            using var response = await client.GetAsync(path);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return await response.Content.ReadAsStringAsync();
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }

        return null;
    }

    /// <summary>Every file of the folder with its size and last write time, to see whether anything wrote there.</summary>
    private static Dictionary<string, (long Length, DateTime Written)> Snapshot(string root) =>
        Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories)
            .ToDictionary(p => p, p => File.Exists(p) ? (new FileInfo(p).Length, File.GetLastWriteTimeUtc(p)) : (-1L, Directory.GetLastWriteTimeUtc(p)), StringComparer.Ordinal);

    [Fact]
    public async Task UnderTheHost_OnTableStorageAsInAzure_IngestsScoresSoonAfterAndExports_WithoutWritingToTheAppRoot()
    {
        // Azure's settings (main.bicep) but for the credential: Azurite takes its well-known key where Azure takes
        // the managed identity. The host's storage (AzureWebJobsStorage) carries the scoring queue.
        await using var azurite = await Engagement.Tests.Azurite.StartAsync();
        await using var queues = await Engagement.Tests.Azurite.StartQueuesAsync();
        var before = Snapshot(published.Root);
        var settings = HostProtocolSettings.For(_data, new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Storage__Provider"] = "Tables",
            ["Storage__Tables__ConnectionString"] = azurite.ConnectionString,
            ["Storage__Tables__TablePrefix"] = "published",
            ["AzureWebJobsStorage"] = queues.ConnectionString,
            ["Scoring__Enabled"] = "true",
            ["Scoring__DelaySeconds"] = "1",
        });
        settings.Remove("Storage__Sqlite__Path");
        settings.Remove("AzureWebJobs.ScorePartnership.Disabled");

        await using (var host = await FunctionsHostEmulator.StartAsync(published.Root, settings))
        {
            using var client = host.CreateHttpClient();
            client.DefaultRequestHeaders.Add("x-functions-key", host.Options.FunctionKey);
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", HostProtocolSettings.Admin);
            var records = string.Join(',', Enumerable.Range(1, 6).SelectMany(m => new[] { "ana", "bo" }.Select(p => $$"""{"meetingId":"m{{m}}","personId":"{{p}}","status":"{{(p == "bo" && m > 3 ? "absent" : "present")}}"}""")));
            foreach (var (method, path, json) in new (string, string, string)[]
            {
                ("PUT", "/api/partnerships/azure", """{"name":"Table de quartier","language":"fr"}"""),
                ("POST", "/api/partnerships/azure/organizations", """[{"id":"cdc","name":"CDC","sector":"community"}]"""),
                ("POST", "/api/partnerships/azure/people", """[{"id":"ana","displayName":"Ana"},{"id":"bo","displayName":"Bo"}]"""),
                ("POST", "/api/partnerships/azure/representations", """[{"organizationId":"cdc","personId":"ana","from":"2026-01-01"},{"organizationId":"cdc","personId":"bo","from":"2026-01-01"}]"""),
                ("POST", "/api/partnerships/azure/meetings", "[" + string.Join(',', Enumerable.Range(1, 6).Select(m => $$"""{"id":"m{{m}}","start":"2026-{{m + 2:00}}-10T18:00:00-04:00","end":"2026-{{m + 2:00}}-10T20:00:00-04:00"}""")) + "]"),
                ("POST", "/api/attendance", $$"""{"partnershipId":"azure","records":[{{records}}]}"""),
            })
            {
                using var response = await client.SendAsync(Request(method, path, json, HostProtocolSettings.Admin));
                Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}\n{host.Diagnostics()}");
            }

            // Scored soon after the attendance, through the Storage queue and the queue trigger, without the daily timer.
            var risk = await EventuallyAsync(client, "/api/partnerships/azure/risk", TimeSpan.FromSeconds(30));
            Assert.True(risk is not null, "not scored within 30 s of the attendance\n" + host.Diagnostics());
            Assert.Contains("cdc", risk, StringComparison.Ordinal);
            // The worker stores the score before its answer to the invocation reaches the host: wait for that answer too.
            var watch = System.Diagnostics.Stopwatch.StartNew();
            while (!host.Invocations.Any(i => i.FunctionName == "ScorePartnership") && watch.Elapsed < TimeSpan.FromSeconds(10))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50));
            }

            var scoring = Assert.Single(host.Invocations, i => i.FunctionName == "ScorePartnership");
            Assert.True(scoring.Response.Result.Status == Microsoft.Azure.WebJobs.Script.Grpc.Messages.StatusResult.Types.Status.Success, host.Diagnostics());
            var scored = await host.InvokeTimerAsync("ScoreRisk");
            Assert.True(scored.Result.Status == Microsoft.Azure.WebJobs.Script.Grpc.Messages.StatusResult.Types.Status.Success, host.Diagnostics());
            var csv = await client.GetStringAsync("/api/exports/fact_attendance.csv");
            Assert.Equal(1 + 12, csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
            var audit = await client.GetStringAsync("/api/audit/exports");
            Assert.Contains("\"what\":\"fact_attendance.csv\",\"rows\":12", audit, StringComparison.Ordinal);
            Assert.Contains("\"retrainings\":[]", await client.GetStringAsync("/api/risk/models"), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/health")).StatusCode);
            Assert.True(await host.StopAsync() == 0, host.Diagnostics());
        }

        var after = Snapshot(published.Root);
        Assert.Equal(before.Keys.Order(StringComparer.Ordinal), after.Keys.Order(StringComparer.Ordinal));
        Assert.All(before, entry => Assert.Equal(entry.Value, after[entry.Key]));
    }
}
