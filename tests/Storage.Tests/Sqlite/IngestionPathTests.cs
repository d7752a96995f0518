using Engagement.Core.Domain;
using Engagement.Core.Storage;
using Engagement.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Engagement.Storage.Tests.Sqlite;

/// <summary>The store paths that attendance ingestion leans on: reference lookups and concurrent batches.</summary>
public sealed class IngestionPathTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 1, 10, 19, 0, 0, TimeSpan.FromHours(-5));
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"engagement-storage-test-{Guid.NewGuid():N}.db");
    private EngagementStores _store = null!;

    public async Task InitializeAsync()
    {
        _store = new SqliteDatabase(_path, TimeProvider.System).CreateStores();
        foreach (var (partnership, people, meetings) in new[] { ("p1", new[] { "marie", "é x", "a\"b" }, new[] { "m1", "m2" }), ("p2", ["jean"], ["m9"]) })
        {
            await _store.Partnerships.UpsertPartnershipAsync(new Partnership { Id = partnership, Name = partnership });
            await _store.Roster.UpsertPeopleAsync(partnership, [.. people.Select(id => new Person { PartnershipId = partnership, Id = id })]);
            await _store.Attendance.UpsertMeetingsAsync(partnership, [.. meetings.Select((id, i) => new Meeting { PartnershipId = partnership, Id = id, Start = Start.AddDays(i), End = Start.AddDays(i).AddHours(2) })]);
        }
    }

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { _path, _path + "-wal", _path + "-shm" })
        {
            File.Delete(file);
        }

        return Task.CompletedTask;
    }

    [Fact]
    public async Task FindMeetingsAndPeopleAsync_MixedIds_ReturnsOnlyTheGivenIdsOfThatPartnership()
    {
        var keys = await _store.Attendance.FindMeetingsAndPeopleAsync("p1", ["m1", "m9", "nope"], ["marie", "jean", "é x", "É X", "a\"b"]);

        Assert.Equal(["m1"], keys.MeetingIds.Order(StringComparer.Ordinal));
        Assert.Equal(["a\"b", "marie", "é x"], keys.PersonIds.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task FindMeetingsAndPeopleAsync_NoIds_ReturnsEmptySets()
    {
        var keys = await _store.Attendance.FindMeetingsAndPeopleAsync("p1", [], []);

        Assert.Empty(keys.MeetingIds);
        Assert.Empty(keys.PersonIds);
    }

    [Fact]
    public async Task FindMeetingsAndPeopleAsync_AgreesWithGetKeysAsync()
    {
        var all = await _store.Roster.GetKeysAsync("p1");
        var found = await _store.Attendance.FindMeetingsAndPeopleAsync("p1", [.. all.MeetingIds], [.. all.PersonIds]);

        Assert.True(found.MeetingIds.SetEquals(all.MeetingIds));
        Assert.True(found.PersonIds.SetEquals(all.PersonIds));
    }

    [Fact]
    public async Task UpsertAttendanceAsync_ConcurrentBatches_EachStoredWholeWithItsOwnCounts()
    {
        var people = new[] { "marie", "é x", "a\"b" };
        var meetings = Enumerable.Range(0, 40).Select(i => $"c{i:D2}").ToArray();
        await _store.Attendance.UpsertMeetingsAsync("p1", [.. meetings.Select((id, i) => new Meeting { PartnershipId = "p1", Id = id, Start = Start.AddDays(i), End = Start.AddDays(i).AddHours(1) })]);
        IReadOnlyList<Attendance> Batch(IEnumerable<string> batchMeetings) =>
            [.. batchMeetings.SelectMany(m => people.Select(p => new Attendance { PartnershipId = "p1", MeetingId = m, PersonId = p, Status = AttendanceStatus.Present }))];

        var batches = meetings.Chunk(5).Select(Batch).ToList();
        var counts = await Task.WhenAll(batches.Select(b => Task.Run(() => _store.Attendance.UpsertAttendanceAsync("p1", b))));

        Assert.All(counts, c => Assert.Equal(new WriteCounts(15, 0, 0), c));
        foreach (var meeting in meetings)
        {
            Assert.Equal(people.Length, (await _store.Attendance.GetAttendanceAsync("p1", meeting)).Count);
        }

        var again = await Task.WhenAll(batches.Select(b => Task.Run(() => _store.Attendance.UpsertAttendanceAsync("p1", b))));
        Assert.All(again, c => Assert.Equal(new WriteCounts(0, 0, 15), c));
    }
}
