using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Engagement.Core.Domain;
using Xunit.Abstractions;
using static Engagement.Functions.Tests.Participants.ParticipantScenario;

namespace Engagement.Functions.Tests.Participants;

/// <summary>
/// A room of 40 people signing in at once, over real HTTP (Kestrel on a loopback port, one connection per phone), each
/// phone double-tapping its name: every person is recorded present exactly once, the sheet holds 40 lines, and the
/// organisations that sent two people are flagged exactly.
/// </summary>
public sealed class ConcurrentSignInTests(ITestOutputHelper output)
{
    private const int People = 40;

    [Fact]
    public async Task FortyParticipants_SigningInAtOnce_AreEachRecordedOnce()
    {
        await using var app = new EngagementApp();
        app.UseKestrel(0);
        app.StartServer();
        await app.SeedAsync();
        // 30 organisations: the first 10 send two people, the others one.
        var organizations = Enumerable.Range(1, 30).Select(i => $"org{i:00}").ToList();
        var people = Enumerable.Range(1, People).Select(i => (Id: $"p{i:00}", Organization: organizations[(i - 1) % 30])).ToList();
        var admin = app.Admin();
        (await admin.PostAsJsonAsync("/api/partnerships/p1/organizations", organizations.Select(o => new { id = o, name = "Organisme " + o, sector = "community" }))).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync("/api/partnerships/p1/people", people.Select(p => new { id = p.Id, displayName = "Personne " + p.Id }))).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync("/api/partnerships/p1/representations", people.Select(p => new { organizationId = p.Organization, personId = p.Id, from = "2025-01-01" }))).EnsureSuccessStatusCode();
        await AddMeetingAsync(app, ParticipantScenario.Meeting, MeetingStart);
        var link = await SignInLinkAsync(app);

        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var phones = people.Select(p => Task.Run(async () =>
        {
            using var phone = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { BaseAddress = app.ClientOptions.BaseAddress, AllowAutoRedirect = false, HandleCookies = false });
            await start.Task;
            var began = Stopwatch.GetTimestamp();
            using var organizationsPage = await phone.GetAsync(link);
            using var namesPage = await phone.GetAsync($"{link}&o={p.Organization}");
            var taps = await Task.WhenAll(SignInAsync(phone, link, p.Organization, p.Id), SignInAsync(phone, link, p.Organization, p.Id));
            var statuses = new[] { organizationsPage.StatusCode, namesPage.StatusCode }.Concat(taps.Select(t => t.StatusCode)).ToList();
            foreach (var tap in taps)
            {
                tap.Dispose();
            }

            return (Statuses: statuses, Elapsed: Stopwatch.GetElapsedTime(began));
        })).ToList();

        var clock = Stopwatch.StartNew();
        start.SetResult();
        var results = await Task.WhenAll(phones);
        clock.Stop();

        Assert.All(results, r => Assert.All(r.Statuses, s => Assert.Equal(HttpStatusCode.OK, s)));
        var attendance = await AttendanceAsync(app);
        Assert.Equal(People, attendance.Count);
        Assert.All(attendance, a => Assert.Equal(AttendanceStatus.Present, a.Status));
        Assert.Equal(people.Select(p => p.Id).Order(StringComparer.Ordinal), attendance.Select(a => a.PersonId).Order(StringComparer.Ordinal));
        var sheet = await app.ClientWithKey(EngagementApp.Keys.Coordinator).GetFromJsonAsync<JsonElement>("/api/partnerships/p1/meetings/today/sign-ins");
        Assert.Equal(People, sheet.GetProperty("signIns").GetArrayLength());
        Assert.Equal(10, sheet.GetProperty("signIns").EnumerateArray().Count(l => l.GetProperty("secondForOrganization").GetBoolean()));
        Assert.Equal(["Jean Roy", "Marie Tremblay"], sheet.GetProperty("notSignedIn").EnumerateArray().Select(p => p.GetProperty("name").GetString())); // the seeded two

        var latencies = results.Select(r => r.Elapsed.TotalMilliseconds).Order().ToList();
        output.WriteLine($"{People} participants (4 requests each: 2 pages, a double-tapped sign-in) over Kestrel: all done in {clock.ElapsedMilliseconds} ms; " +
            $"per participant median {latencies[People / 2]:0} ms, 95th percentile {latencies[(int)(People * 0.95) - 1]:0} ms, slowest {latencies[^1]:0} ms.");
    }
}
