using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Engagement.EndToEnd.Tests;

/// <summary>
/// The standalone app killed with SIGKILL while four clients write attendance, then started again on the same SQLite
/// file — three rounds: every batch the app acknowledged is there whole, and a batch it never answered is there whole
/// or not at all, never in part.
/// </summary>
public sealed class CrashRecoveryTests(Xunit.Abstractions.ITestOutputHelper output) : IDisposable
{
    private const string Key = "e2e-crash-admin-0123456789";
    private const int People = 20;
    private const int Writers = 4;

    /// <summary>Batches a round may send at most (a fast machine stops there and waits for the kill).</summary>
    private const int BatchesPerRound = 900;
    private readonly string _data = Directory.CreateTempSubdirectory("engagement-crash-").FullName;

    public void Dispose() => Directory.Delete(_data, recursive: true);

    private AppProcess Start() => AppProcess.Start(new Dictionary<string, string>
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
        ["Storage__Sqlite__Path"] = Path.Combine(_data, "engagement.db"),
        ["Scheduler__Enabled"] = "false",
        ["Scoring__Enabled"] = "false",
        ["Auth__ApiKeys__0__Name"] = "admin",
        ["Auth__ApiKeys__0__Hash"] = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Key))),
        ["Auth__ApiKeys__0__Roles__0"] = "admin",
    });

    private static HttpRequestMessage Post(string path, string json)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        return request;
    }

    /// <summary>Batch b: every person's record at meeting k{b}, statuses that only this batch writes.</summary>
    private static string Batch(int b) => JsonSerializer.Serialize(new
    {
        partnershipId = "crash",
        records = Enumerable.Range(0, People).Select(p => new { meetingId = $"k{b}", personId = $"p{p}", status = (b + p) % 3 == 0 ? "absent" : (b + p) % 3 == 1 ? "present" : "excused" }),
    });

    [Fact]
    public async Task KilledWhileWriting_ThreeTimes_EveryAcknowledgedBatchIsWhole_AndNoneIsPartial()
    {
        var random = new Random(9);
        var acknowledged = new HashSet<int>();
        var unanswered = new HashSet<int>();
        var next = 0;
        for (var round = 0; round < 3; round++)
        {
            next = round * BatchesPerRound;
            await using var app = Start();
            (await app.WaitUntilReadyAsync()).Dispose();
            if (round == 0)
            {
                await SetUpAsync(app);
            }

            await VerifyAsync(app, acknowledged, unanswered);
            using var stop = new CancellationTokenSource();
            var gate = new Lock();
            var writers = Enumerable.Range(0, Writers).Select(async _ =>
            {
                while (!stop.IsCancellationRequested)
                {
                    int b;
                    lock (gate)
                    {
                        if (next >= (round + 1) * BatchesPerRound)
                        {
                            return;
                        }

                        b = next++;
                        unanswered.Add(b);
                    }

                    try
                    {
                        using var request = Post("/api/attendance", Batch(b));
                        using var response = await app.Client.SendAsync(request, CancellationToken.None);
                        Assert.True(response.IsSuccessStatusCode, $"batch {b}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                        lock (gate)
                        {
                            unanswered.Remove(b);
                            acknowledged.Add(b);
                        }
                    }
                    catch (HttpRequestException)
                    {
                        return; // the app is gone
                    }
                }
            }).ToList();

            await Task.Delay(TimeSpan.FromMilliseconds(400 + random.Next(800)));
            await app.KillAsync();
            await stop.CancelAsync();
            await Task.WhenAll(writers);
            output.WriteLine($"round {round + 1}: killed with batches up to #{next} sent; {acknowledged.Count} acknowledged in all, {unanswered.Count} never answered (each must be whole or absent)");
        }

        await using var last = Start();
        (await last.WaitUntilReadyAsync()).Dispose();
        await VerifyAsync(last, acknowledged, unanswered);
        Assert.True(acknowledged.Count >= 3, $"only {acknowledged.Count} batches were acknowledged before the kills");
    }

    private static async Task SetUpAsync(AppProcess app)
    {
        using var partnership = new HttpRequestMessage(HttpMethod.Put, "/api/partnerships/crash") { Content = new StringContent("""{"name":"Table crash","language":"fr"}""", Encoding.UTF8, "application/json") };
        partnership.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        (await app.Client.SendAsync(partnership)).EnsureSuccessStatusCode();
        (await app.Client.SendAsync(Post("/api/partnerships/crash/people", JsonSerializer.Serialize(Enumerable.Range(0, People).Select(p => new { id = $"p{p}" }))))).EnsureSuccessStatusCode();
        (await app.Client.SendAsync(Post("/api/partnerships/crash/meetings", JsonSerializer.Serialize(Enumerable.Range(0, 3 * BatchesPerRound).Select(b => new { id = $"k{b}", start = "2026-03-10T18:00:00-04:00", end = "2026-03-10T20:00:00-04:00" }))))).EnsureSuccessStatusCode();
    }

    /// <summary>Acknowledged batches are whole; unanswered ones whole or absent.</summary>
    private static async Task VerifyAsync(AppProcess app, HashSet<int> acknowledged, HashSet<int> unanswered)
    {
        foreach (var b in acknowledged.Concat(unanswered))
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/partnerships/crash/meetings/k{b}/attendance");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Key);
            using var response = await app.Client.SendAsync(request);
            var records = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("records").GetArrayLength();
            if (acknowledged.Contains(b))
            {
                Assert.True(records == People, $"acknowledged batch {b} has {records} of {People} records after the restart");
            }
            else
            {
                Assert.True(records is 0 or People, $"unanswered batch {b} has {records} of {People} records: a partial write");
            }
        }
    }
}
