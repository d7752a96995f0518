using Engagement.Core.Domain;
using Engagement.Core.Storage;

namespace Engagement.Storage.Tests.Contract;

/// <summary>The behaviour every <see cref="IAttendanceStore"/> must have.</summary>
public abstract class AttendanceStoreContract(IStoreBackend backend) : StoreContract(backend)
{
    [Fact]
    public async Task UpsertMeetingsAsync_SameChangedAndNew_CountsEach()
    {
        await SeedPartnershipAsync();
        await Stores.Attendance.UpsertMeetingsAsync(P, [NewMeeting("m1", Jan13), NewMeeting("m2", Feb10)]);

        var counts = await Stores.Attendance.UpsertMeetingsAsync(P,
        [
            NewMeeting("m1", Jan13),
            NewMeeting("m2", Feb10) with { Cancelled = true },
            NewMeeting("m3", Mar10),
        ]);

        Assert.Equal(new WriteCounts(1, 1, 1), counts);
    }

    [Fact]
    public async Task GetMeetingAsync_AfterUpsert_RoundTripsEveryFieldAndBothOffsets()
    {
        await SeedPartnershipAsync();
        var meeting = new Meeting
        {
            PartnershipId = P,
            Id = "ag-2026",
            Title = "Assemblée générale annuelle",
            Start = new DateTimeOffset(2026, 6, 10, 18, 30, 0, TimeSpan.FromHours(-4)),
            End = new DateTimeOffset(2026, 6, 11, 0, 45, 30, 500, TimeSpan.FromHours(1)),
            Kind = MeetingKind.GeneralAssembly,
            Source = MeetingSource.Hybrid,
            TeamsJoinUrl = "https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc%40thread.v2/0",
            Cancelled = true,
        };
        await Stores.Attendance.UpsertMeetingsAsync(P, [meeting]);

        var stored = await Stores.Attendance.GetMeetingAsync(P, "ag-2026");

        Assert.NotNull(stored);
        Assert.Equal(meeting, stored);
        Assert.Equal(TimeSpan.FromHours(-4), stored.Start.Offset);
        Assert.Equal(TimeSpan.FromHours(1), stored.End.Offset);
        Assert.Equal(meeting.End.Ticks, stored.End.Ticks);
    }

    [Fact]
    public async Task GetMeetingAsync_OptionalFieldsAbsent_RoundTripAsNullAndDefaults()
    {
        await SeedPartnershipAsync();
        var meeting = new Meeting { PartnershipId = P, Id = "m1", Start = Jan13, End = Jan13.AddHours(2) };
        await Stores.Attendance.UpsertMeetingsAsync(P, [meeting]);

        var stored = await Stores.Attendance.GetMeetingAsync(P, "m1");

        Assert.Equal(meeting, stored);
        Assert.Null(stored!.Title);
        Assert.Null(stored.TeamsJoinUrl);
        Assert.False(stored.Cancelled);
    }

    [Fact]
    public async Task GetMeetingAsync_Unknown_ReturnsNull()
    {
        await SeedPartnershipAsync();
        await Stores.Attendance.UpsertMeetingsAsync(P, [NewMeeting("m1", Jan13)]);

        Assert.Null(await Stores.Attendance.GetMeetingAsync(P, "m2"));
        Assert.Null(await Stores.Attendance.GetMeetingAsync("ailleurs", "m1"));
    }

    [Fact]
    public async Task UpsertMeetingsAsync_SameInstantOtherOffset_CountsUpdatedAndKeepsTheNewOffset()
    {
        await SeedPartnershipAsync();
        await Stores.Attendance.UpsertMeetingsAsync(P, [NewMeeting("m1", Jan13)]);
        var inUtc = NewMeeting("m1", Jan13.ToUniversalTime());

        Assert.Equal(new WriteCounts(0, 1, 0), await Stores.Attendance.UpsertMeetingsAsync(P, [inUtc]));

        var stored = await Stores.Attendance.GetMeetingAsync(P, "m1");
        Assert.Equal(TimeSpan.Zero, stored!.Start.Offset);
    }

    [Fact]
    public async Task ListMeetingsAsync_OffsetsDiffer_OrdersByStartInstantNotLocalText()
    {
        await SeedPartnershipAsync();
        // Local text order is a (19:00) < c (20:00) < b (21:00); instant order is b (21:00Z) < c (22:00Z) < a (23:00Z).
        await Stores.Attendance.UpsertMeetingsAsync(P,
        [
            NewMeeting("a", new DateTimeOffset(2026, 3, 12, 19, 0, 0, TimeSpan.FromHours(-4))),
            NewMeeting("b", new DateTimeOffset(2026, 3, 12, 21, 0, 0, TimeSpan.Zero)),
            NewMeeting("c", new DateTimeOffset(2026, 3, 12, 20, 0, 0, TimeSpan.FromHours(-2))),
            NewMeeting("d", new DateTimeOffset(2026, 3, 13, 0, 30, 0, TimeSpan.FromHours(2))),
        ]);

        var meetings = await Stores.Attendance.ListMeetingsAsync(P);

        Assert.Equal(["b", "c", "d", "a"], meetings.Select(m => m.Meeting.Id));
    }

    [Fact]
    public async Task ListMeetingsAsync_WithAttendance_CountsPresentAbsentExcused()
    {
        await SeedRosterAsync();
        await Stores.Roster.UpsertPeopleAsync(P, [NewPerson("lea"), NewPerson("sam")]);
        await Stores.Attendance.UpsertMeetingsAsync(P, [NewMeeting("m1", Jan13), NewMeeting("m2", Feb10), NewMeeting("m3", Mar10)]);
        await Stores.Attendance.UpsertAttendanceAsync(P,
        [
            NewAttendance("m1", "marie", AttendanceStatus.Present),
            NewAttendance("m1", "paul", AttendanceStatus.Present),
            NewAttendance("m1", "lea", AttendanceStatus.Absent),
            NewAttendance("m1", "sam", AttendanceStatus.Excused),
            NewAttendance("m2", "marie", AttendanceStatus.Excused),
            NewAttendance("m2", "paul", AttendanceStatus.Excused),
        ]);

        var meetings = await Stores.Attendance.ListMeetingsAsync(P);

        Assert.Equal(
            [("m1", 2, 1, 1), ("m2", 0, 0, 2), ("m3", 0, 0, 0)],
            meetings.Select(m => (m.Meeting.Id, m.Present, m.Absent, m.Excused)));
        Assert.Equal(NewMeeting("m1", Jan13), meetings[0].Meeting);
    }

    [Fact]
    public async Task UpsertAttendanceAsync_SameChangedAndNew_CountsEach()
    {
        await SeedWithMeetingsAsync();
        await Stores.Attendance.UpsertAttendanceAsync(P, [NewAttendance("m1", "marie", AttendanceStatus.Present), NewAttendance("m1", "paul", AttendanceStatus.Absent)]);

        var counts = await Stores.Attendance.UpsertAttendanceAsync(P,
        [
            NewAttendance("m1", "marie", AttendanceStatus.Present),
            NewAttendance("m1", "paul", AttendanceStatus.Excused),
            NewAttendance("m2", "paul", AttendanceStatus.Present),
        ]);

        Assert.Equal(new WriteCounts(1, 1, 1), counts);
    }

    [Fact]
    public async Task UpsertAttendanceAsync_SecondsAddedThenRemoved_CountsUpdatedEachTime()
    {
        await SeedWithMeetingsAsync();
        await Stores.Attendance.UpsertAttendanceAsync(P, [NewAttendance("m1", "marie", AttendanceStatus.Present)]);

        Assert.Equal(new WriteCounts(0, 1, 0), await Stores.Attendance.UpsertAttendanceAsync(P, [NewAttendance("m1", "marie", AttendanceStatus.Present, 3600)]));
        Assert.Equal(new WriteCounts(0, 1, 0), await Stores.Attendance.UpsertAttendanceAsync(P, [NewAttendance("m1", "marie", AttendanceStatus.Present)]));
        Assert.Equal(new WriteCounts(0, 0, 1), await Stores.Attendance.UpsertAttendanceAsync(P, [NewAttendance("m1", "marie", AttendanceStatus.Present)]));
    }

    [Fact]
    public async Task GetAttendanceAsync_AfterUpsert_RoundTripsOrderedByPersonId()
    {
        await SeedWithMeetingsAsync();
        Attendance[] records =
        [
            NewAttendance("m1", "paul", AttendanceStatus.Present, 5400),
            NewAttendance("m1", "marie", AttendanceStatus.Excused),
            NewAttendance("m2", "marie", AttendanceStatus.Absent, 0),
        ];
        await Stores.Attendance.UpsertAttendanceAsync(P, records);

        Assert.Equal([records[1], records[0]], await Stores.Attendance.GetAttendanceAsync(P, "m1"));
        Assert.Equal([records[2]], await Stores.Attendance.GetAttendanceAsync(P, "m2"));
        Assert.Empty(await Stores.Attendance.GetAttendanceAsync(P, "m3"));
    }

    [Fact]
    public async Task UpsertAttendanceAsync_EmptyBatch_CountsNothing()
    {
        await SeedWithMeetingsAsync();

        Assert.Equal(default, await Stores.Attendance.UpsertAttendanceAsync(P, []));
    }

    [Fact]
    public async Task UpsertAttendanceAsync_1200RecordsInOnePartnership_AllLandAndReplayIsUnchanged()
    {
        await SeedPartnershipAsync();
        var meetings = Enumerable.Range(0, 12).Select(i => NewMeeting($"m{i:00}", Jan13.AddDays(7 * i))).ToList();
        var people = Enumerable.Range(0, 100).Select(i => NewPerson($"person-{i:000}")).ToList();
        await Stores.Attendance.UpsertMeetingsAsync(P, meetings);
        await Stores.Roster.UpsertPeopleAsync(P, people);
        var records = meetings
            .SelectMany(m => people.Select((p, i) => NewAttendance(m.Id, p.Id, (AttendanceStatus)(i % 3), i % 2 == 0 ? i * 60 : null)))
            .ToList();
        Assert.Equal(1_200, records.Count);

        Assert.Equal(new WriteCounts(1_200, 0, 0), await Stores.Attendance.UpsertAttendanceAsync(P, records));

        var summaries = await Stores.Attendance.ListMeetingsAsync(P);
        Assert.Equal(12, summaries.Count);
        Assert.All(summaries, s => Assert.Equal(100, s.Present + s.Absent + s.Excused));
        Assert.Equal(records.Where(r => r.MeetingId == "m07").OrderBy(r => r.PersonId, StringComparer.Ordinal), await Stores.Attendance.GetAttendanceAsync(P, "m07"));

        var oneChanged = records.Select((r, i) => i == 1_111 ? r with { Status = AttendanceStatus.Excused, SecondsAttended = 1 } : r).ToList();
        Assert.Equal(new WriteCounts(0, 1, 1_199), await Stores.Attendance.UpsertAttendanceAsync(P, oneChanged));
    }

    [Fact]
    public async Task UpsertAttendanceAsync_EightParallelBatches_AllLand()
    {
        await SeedPartnershipAsync();
        var people = Enumerable.Range(0, 50).Select(i => NewPerson($"person-{i:00}")).ToList();
        var meetings = Enumerable.Range(0, 8).Select(i => NewMeeting($"m{i}", Jan13.AddDays(i))).ToList();
        await Stores.Roster.UpsertPeopleAsync(P, people);
        await Stores.Attendance.UpsertMeetingsAsync(P, meetings);

        var results = await Task.WhenAll(meetings.Select(m => Task.Run(() =>
            Stores.Attendance.UpsertAttendanceAsync(P, [.. people.Select(p => NewAttendance(m.Id, p.Id, AttendanceStatus.Present))]))));

        Assert.All(results, r => Assert.Equal(new WriteCounts(50, 0, 0), r));
        Assert.All(await Stores.Attendance.ListMeetingsAsync(P), s => Assert.Equal(50, s.Present));
    }

    [Fact]
    public async Task UpsertAttendanceAsync_EightParallelCopiesOfOneBatch_CreateEachRecordOnce()
    {
        await SeedWithMeetingsAsync();
        Attendance[] batch = [NewAttendance("m1", "marie", AttendanceStatus.Present), NewAttendance("m1", "paul", AttendanceStatus.Absent)];

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => Stores.Attendance.UpsertAttendanceAsync(P, batch))));

        Assert.Equal(new WriteCounts(2, 0, 14), results.Aggregate(default(WriteCounts), WriteCounts.Add));
        Assert.Equal(batch, await Stores.Attendance.GetAttendanceAsync(P, "m1"));
    }

    [Fact]
    public async Task UpsertAttendanceAsync_RecordOfAnotherPartnershipInBatch_ThrowsAndStoresNothing()
    {
        await SeedWithMeetingsAsync();

        await Assert.ThrowsAnyAsync<ArgumentException>(() => Stores.Attendance.UpsertAttendanceAsync(P,
        [
            NewAttendance("m1", "marie", AttendanceStatus.Present),
            NewAttendance("m1", "paul", AttendanceStatus.Present),
            NewAttendance("m1", "lea", AttendanceStatus.Present) with { PartnershipId = "ailleurs" },
        ]));

        Assert.Empty(await Stores.Attendance.GetAttendanceAsync(P, "m1"));
        Assert.Empty(await Stores.Attendance.GetAttendanceAsync("ailleurs", "m1"));
    }

    [Fact]
    public async Task ListAttendanceAsync_SeveralMeetings_ReturnsEveryRecordByMeetingThenPerson()
    {
        await SeedWithMeetingsAsync();
        await Stores.Attendance.UpsertAttendanceAsync(P, [NewAttendance("m2", "paul", AttendanceStatus.Absent), NewAttendance("m1", "paul", AttendanceStatus.Present), NewAttendance("m1", "marie", AttendanceStatus.Excused, 60)]);

        var all = await Stores.Attendance.ListAttendanceAsync(P);

        Assert.Equal([("m1", "marie"), ("m1", "paul"), ("m2", "paul")], all.Select(a => (a.MeetingId, a.PersonId)));
        Assert.Equal(60, all[0].SecondsAttended);
        Assert.Empty(await Stores.Attendance.ListAttendanceAsync("elsewhere"));
        var streamed = new List<Attendance>();
        await foreach (var a in Stores.Attendance.StreamAttendanceAsync(P))
        {
            streamed.Add(a);
        }

        Assert.Equal(all.Select(a => (a.MeetingId, a.PersonId, a.Status, a.SecondsAttended)), streamed.OrderBy(a => a.MeetingId, StringComparer.Ordinal).ThenBy(a => a.PersonId, StringComparer.Ordinal).Select(a => (a.MeetingId, a.PersonId, a.Status, a.SecondsAttended)));
    }

    [Fact]
    public async Task StreamAttendanceAsync_ResumedAfterAnyRecord_HandsOverExactlyTheRecordsThatFollowedIt()
    {
        // Ids whose order differs once joined with a separator ("m1" vs "m1-b"), so each store's own order is exercised.
        await SeedRosterAsync();
        await Stores.Roster.UpsertPeopleAsync(P, [NewPerson("lea"), NewPerson("paul-b")]);
        await Stores.Attendance.UpsertMeetingsAsync(P, [NewMeeting("m1", Jan13), NewMeeting("m1-b", Feb10), NewMeeting("m2", Mar10)]);
        string[] meetings = ["m1", "m1-b", "m2"], people = ["lea", "marie", "paul", "paul-b"];
        await Stores.Attendance.UpsertAttendanceAsync(P, [.. meetings.SelectMany(m => people.Select(p => NewAttendance(m, p, AttendanceStatus.Present)))]);

        var all = await StreamAsync(null);

        Assert.Equal(12, all.Count);
        Assert.Equal(Sorted(all), Sorted((await Stores.Attendance.ListAttendanceAsync(P)).Select(a => new AttendanceKey(a.MeetingId, a.PersonId))));
        Assert.Equal(all.Count, all.Distinct().Count());
        Assert.True(all.Select(k => k.MeetingId).Chunk(4).All(c => c.Distinct().Count() == 1), "the records of one meeting come together");
        for (var i = 0; i < all.Count; i++)
        {
            Assert.Equal(all.Skip(i + 1), await StreamAsync(all[i]));
        }

        // A key that is not stored (erased in between) still resumes at the right place.
        var gone = new AttendanceKey(all[5].MeetingId, all[5].PersonId + "0");
        Assert.Equal(all.Skip(6), await StreamAsync(gone));

        static List<AttendanceKey> Sorted(IEnumerable<AttendanceKey> keys) => [.. keys.OrderBy(k => k.MeetingId, StringComparer.Ordinal).ThenBy(k => k.PersonId, StringComparer.Ordinal)];

        async Task<List<AttendanceKey>> StreamAsync(AttendanceKey? after)
        {
            var keys = new List<AttendanceKey>();
            await foreach (var a in Stores.Attendance.StreamAttendanceAsync(P, after))
            {
                keys.Add(new AttendanceKey(a.MeetingId, a.PersonId));
            }

            return keys;
        }
    }

    [Fact]
    public async Task StreamMeetingsAsync_SomeMeetings_HandsOverEachMeetingOfThePartnershipOnce()
    {
        await SeedWithMeetingsAsync();
        await Stores.Partnerships.UpsertPartnershipAsync(NewPartnership("elsewhere"));
        await Stores.Attendance.UpsertMeetingsAsync("elsewhere", [NewMeeting("m9", Jan13, partnershipId: "elsewhere")]);

        var meetings = new List<Meeting>();
        await foreach (var meeting in Stores.Attendance.StreamMeetingsAsync(P))
        {
            meetings.Add(meeting);
        }

        Assert.Equal((await Stores.Attendance.ListMeetingsAsync(P)).Select(s => s.Meeting).OrderBy(m => m.Id, StringComparer.Ordinal), meetings.OrderBy(m => m.Id, StringComparer.Ordinal));
    }

    [Fact]
    public async Task UpsertAttendanceAsync_TeamsIntervals_RoundTripAndCountAsChanges()
    {
        await SeedWithMeetingsAsync();
        var join = new DateTimeOffset(2026, 1, 13, 19, 2, 0, Montreal);
        AttendanceInterval[] intervals = [new(join, join.AddMinutes(30), 1800), new(join.AddMinutes(40), join.AddMinutes(90), 3000)];
        var record = NewAttendance("m1", "marie", AttendanceStatus.Present, 4800) with { Intervals = intervals };

        Assert.Equal(new WriteCounts(1, 0, 0), await Stores.Attendance.UpsertAttendanceAsync(P, [record]));
        Assert.Equal(new WriteCounts(0, 0, 1), await Stores.Attendance.UpsertAttendanceAsync(P, [record with { Intervals = [.. intervals] }]));
        Assert.Equal(new WriteCounts(0, 1, 0), await Stores.Attendance.UpsertAttendanceAsync(P, [record with { Intervals = intervals[..1], SecondsAttended = 1800 }]));

        var stored = Assert.Single(await Stores.Attendance.GetAttendanceAsync(P, "m1"));
        Assert.Equal(intervals[..1], stored.Intervals);
        Assert.Equal(join.Offset, stored.Intervals![0].Join.Offset);
    }
}
