using System.Net.Http.Json;
using System.Text;
using Engagement.Core.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Engagement.Functions.Tests.Privacy;

public sealed class PurgeExpiredDataTests : IAsyncLifetime
{
    private readonly EngagementApp _app = new();

    public async Task InitializeAsync() => await _app.SeedAsync();

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private async Task PurgeAsync()
    {
        using var response = await _app.Admin().PostAsync("/PurgeExpiredData", new StringContent("""{"Data":{"timer":{"IsPastDue":false}},"Metadata":{}}""", Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task Purge_PersonInactiveForRetentionPeriod_LosesNameAndEmailButKeepsAttendance()
    {
        var admin = _app.Admin();
        await admin.PostAsJsonAsync("/api/partnerships/p1/representations/cdc.marie.20250101/end", new { to = "2026-02-28" });
        (await admin.PostAsJsonAsync("/api/attendance", new { partnershipId = "p1", records = new[] { new { meetingId = "m1", personId = "marie", status = "present" } } })).EnsureSuccessStatusCode();

        _app.Clock.Advance(TimeSpan.FromDays(365 * 2 + 30));
        await PurgeAsync();

        var store = _app.Services.GetRequiredService<EngagementStores>();
        var people = (await store.Roster.GetRosterAsync("p1")).People.ToDictionary(p => p.Id);
        Assert.Null(people["marie"].DisplayName);
        Assert.Null(people["marie"].Email);
        Assert.NotNull(people["marie"].ErasedAt);
        Assert.Equal("Jean Roy", people["jean"].DisplayName); // still represents the city
        Assert.Null(people["luc"].DisplayName); // never represented anyone, registered over two years ago
        Assert.Single(await store.Attendance.GetAttendanceAsync("p1", "m1"));
    }

    [Fact]
    public async Task Purge_WithinRetentionPeriod_ErasesNobody()
    {
        _app.Clock.Advance(TimeSpan.FromDays(300));
        await PurgeAsync();
        var people = (await _app.Services.GetRequiredService<EngagementStores>().Roster.GetRosterAsync("p1")).People;
        Assert.All(people, p => Assert.NotNull(p.DisplayName));
    }
}
