using System.Net.Http.Json;
using System.Text.Json;

namespace Engagement.Functions.Tests.Reliability;

/// <summary>
/// Twenty clients write at once, each sending every batch twice (a retry after a lost answer): every record is stored
/// exactly once, the answers' counts add up to exactly what was stored, and the re-sends change nothing.
/// </summary>
public sealed class ConcurrentClientsTests
{
    private const int Clients = 20;
    private const int Meetings = 8;

    [Fact]
    public async Task TwentyClientsWithResends_StoreEveryRecordOnce_AndTheCountsAddUp()
    {
        await using var app = new EngagementApp();
        await app.SeedAsync();
        var admin = app.Admin();
        (await admin.PostAsJsonAsync("/api/partnerships/p1/people", Enumerable.Range(0, Clients).Select(c => new { id = $"c{c}", displayName = $"Client {c}" }))).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync("/api/partnerships/p1/meetings", Enumerable.Range(0, Meetings).Select(m => new { id = $"k{m}", start = $"2026-{m + 1:00}-10T18:00:00-04:00", end = $"2026-{m + 1:00}-10T20:00:00-04:00" }))).EnsureSuccessStatusCode();

        var created = 0;
        var unchanged = 0;
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var clients = Enumerable.Range(0, Clients).Select(async c =>
        {
            var client = app.ClientWithKey(c % 2 == 0 ? EngagementApp.Keys.Ingest : EngagementApp.Keys.IngestOfP1);
            await start.Task;
            for (var m = 0; m < Meetings; m++)
            {
                // Each batch: this client's record at this meeting, which no other client writes.
                var batch = new
                {
                    partnershipId = "p1",
                    records = new[]
                    {
                        new { meetingId = $"k{m}", personId = $"c{c}", status = (c + m) % 3 == 0 ? "absent" : "present" },
                    },
                };
                foreach (var _ in new[] { 1, 2 })
                {
                    using var response = await client.PostAsJsonAsync("/api/attendance", batch);
                    var counts = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
                    Assert.True(response.IsSuccessStatusCode, counts.ToString());
                    Interlocked.Add(ref created, counts.GetProperty("created").GetInt32());
                    Interlocked.Add(ref unchanged, counts.GetProperty("unchanged").GetInt32());
                    Assert.Equal(0, counts.GetProperty("updated").GetInt32());
                }
            }
        }).ToList();
        start.SetResult();
        await Task.WhenAll(clients);

        Assert.Equal(Clients * Meetings, created);
        Assert.Equal(Clients * Meetings, unchanged);
        for (var m = 0; m < Meetings; m++)
        {
            var meeting = await Problem.JsonAsync(await admin.GetAsync($"/api/partnerships/p1/meetings/k{m}/attendance"));
            var records = meeting.GetProperty("records").EnumerateArray().ToList();
            Assert.Equal(Clients, records.Count);
            Assert.Equal(Clients, records.Select(r => r.GetProperty("personId").GetString()).Distinct().Count());
        }
    }
}
