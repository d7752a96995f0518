using Engagement.Core.Domain;
using Engagement.Core.Storage;

namespace Engagement.Storage.Tests.Contract;

/// <summary>The behaviour every <see cref="IPrivacyStore"/> must have, and how the roster keeps an erasure.</summary>
public abstract class PrivacyStoreContract(IStoreBackend backend) : StoreContract(backend)
{
    [Fact]
    public async Task ListPersonActivityAsync_WithTraces_ReportsTheLatestOfEach()
    {
        await SeedRosterAsync();
        var early = new DateTimeOffset(2026, 1, 13, 19, 0, 0, Montreal);
        var later = new DateTimeOffset(2026, 2, 10, 19, 0, 0, Montreal);
        var latest = new DateTimeOffset(2026, 3, 10, 19, 0, 0, TimeSpan.FromHours(-4));
        await Stores.Attendance.UpsertMeetingsAsync(P, [NewMeeting("m1", early), NewMeeting("m2", later), NewMeeting("m3", latest)]);
        await Stores.Attendance.UpsertAttendanceAsync(P,
        [
            NewAttendance("m1", "marie", AttendanceStatus.Present),
            NewAttendance("m2", "marie", AttendanceStatus.Excused),
            NewAttendance("m3", "marie", AttendanceStatus.Absent),
        ]);
        await Stores.Forms.UpsertFormSubmissionsAsync(P,
        [
            NewSubmission("1") with { RespondentPersonId = "marie", SubmittedAt = new DateTimeOffset(2026, 2, 1, 8, 0, 0, Montreal) },
            NewSubmission("2") with { RespondentPersonId = "marie", SubmittedAt = new DateTimeOffset(2026, 2, 20, 8, 0, 0, Montreal) },
        ]);
        await Stores.Roster.UpsertRepresentationsAsync(P,
        [
            NewRepresentation("r1", "cdc", "marie") with { From = new DateOnly(2023, 1, 1), To = new DateOnly(2024, 6, 30) },
            NewRepresentation("r2", "ville", "marie") with { From = new DateOnly(2024, 7, 1), To = new DateOnly(2025, 12, 31) },
            NewRepresentation("r3", "ville", "paul") with { From = new DateOnly(2024, 7, 1) },
            NewRepresentation("r4", "cdc", "paul") with { From = new DateOnly(2022, 7, 1), To = new DateOnly(2023, 12, 31) },
        ]);

        var activity = await Stores.Privacy.ListPersonActivityAsync(P);

        Assert.Equal(["marie", "paul"], activity.Select(a => a.Person.Id));
        var marie = activity[0];
        Assert.Equal(NewPerson("marie", "Marie Tremblay", "marie@example.org"), marie.Person);
        Assert.Equal(T0, marie.RecordUpdatedAt);
        Assert.Equal(later, marie.LastAttendedAt);
        Assert.Equal(new DateTimeOffset(2026, 2, 20, 8, 0, 0, Montreal), marie.LastSubmittedAt);
        Assert.False(marie.HasOpenRepresentation);
        Assert.Equal(new DateOnly(2025, 12, 31), marie.LastRepresentationEnd);
        var paul = activity[1];
        Assert.True(paul.HasOpenRepresentation);
        Assert.Equal(new DateOnly(2023, 12, 31), paul.LastRepresentationEnd);
        Assert.Null(paul.LastAttendedAt);
        Assert.Null(paul.LastSubmittedAt);
    }

    [Fact]
    public async Task ListPersonActivityAsync_CancelledMeeting_IsNoActivity()
    {
        await SeedRosterAsync();
        await Stores.Attendance.UpsertMeetingsAsync(P, [NewMeeting("m1", Jan13), NewMeeting("m2", Feb10) with { Cancelled = true }]);
        await Stores.Attendance.UpsertAttendanceAsync(P, [NewAttendance("m1", "marie", AttendanceStatus.Present), NewAttendance("m2", "marie", AttendanceStatus.Present)]);

        var marie = (await Stores.Privacy.ListPersonActivityAsync(P)).Single(a => a.Person.Id == "marie");

        Assert.Equal(Jan13, marie.LastAttendedAt);
    }

    [Fact]
    public async Task ListPersonActivityAsync_NoTraces_HasNullsAndTheRecordTime()
    {
        await SeedPartnershipAsync();
        await Stores.Roster.UpsertPeopleAsync(P, [NewPerson("marie", "Marie")]);

        var activity = Assert.Single(await Stores.Privacy.ListPersonActivityAsync(P));

        Assert.Equal(T0, activity.RecordUpdatedAt);
        Assert.Null(activity.LastAttendedAt);
        Assert.Null(activity.LastSubmittedAt);
        Assert.False(activity.HasOpenRepresentation);
        Assert.Null(activity.LastRepresentationEnd);
    }

    [Fact]
    public async Task ListPersonActivityAsync_RecordUpdatedAt_MovesOnlyWhenTheRecordChanges()
    {
        await SeedPartnershipAsync();
        await Stores.Roster.UpsertPeopleAsync(P, [NewPerson("marie", "Marie")]);

        Time.Advance(TimeSpan.FromDays(30));
        await Stores.Roster.UpsertPeopleAsync(P, [NewPerson("marie", "Marie")]);
        Assert.Equal(T0, Assert.Single(await Stores.Privacy.ListPersonActivityAsync(P)).RecordUpdatedAt);

        Time.Advance(TimeSpan.FromDays(30));
        await Stores.Roster.UpsertPeopleAsync(P, [NewPerson("marie", "Marie Tremblay")]);
        Assert.Equal(T0.AddDays(60), Assert.Single(await Stores.Privacy.ListPersonActivityAsync(P)).RecordUpdatedAt);
    }

    [Fact]
    public async Task ErasePersonalDataAsync_Person_ClearsNameAndEmailAndKeepsAttendance()
    {
        await SeedWithMeetingsAsync();
        await Stores.Attendance.UpsertAttendanceAsync(P, [NewAttendance("m1", "marie", AttendanceStatus.Present, 3600), NewAttendance("m1", "paul", AttendanceStatus.Absent)]);
        var erasedAt = new DateTimeOffset(2026, 4, 1, 3, 0, 0, TimeSpan.Zero);

        var erased = await Stores.Privacy.ErasePersonalDataAsync(P, ["marie"], T0.AddYears(-2), erasedAt);

        Assert.Equal(1, erased);
        var people = (await Stores.Roster.GetRosterAsync(P)).People;
        Assert.Equal(new Person { PartnershipId = P, Id = "marie", ErasedAt = erasedAt }, people.Single(p => p.Id == "marie"));
        Assert.Equal(NewPerson("paul", "Paul Roy", "paul.roy@example.org"), people.Single(p => p.Id == "paul"));
        Assert.Equal([NewAttendance("m1", "marie", AttendanceStatus.Present, 3600), NewAttendance("m1", "paul", AttendanceStatus.Absent)], await Stores.Attendance.GetAttendanceAsync(P, "m1"));
        var keys = await Stores.Roster.GetKeysAsync(P);
        Assert.Contains("marie", keys.PersonIds);
        Assert.DoesNotContain("marie@example.org", keys.PersonIdsByEmail.Keys);
    }

    [Fact]
    public async Task ErasePersonalDataAsync_AlreadyErasedOrUnknown_CountsNothing()
    {
        await SeedRosterAsync();
        var erasedAt = new DateTimeOffset(2026, 4, 1, 3, 0, 0, TimeSpan.Zero);
        await Stores.Privacy.ErasePersonalDataAsync(P, ["marie"], T0, erasedAt);

        var erased = await Stores.Privacy.ErasePersonalDataAsync(P, ["marie", "inconnu"], T0, erasedAt.AddDays(1));

        Assert.Equal(0, erased);
        Assert.Equal(erasedAt, (await Stores.Roster.GetRosterAsync(P)).People.Single(p => p.Id == "marie").ErasedAt);
    }

    [Fact]
    public async Task UpsertPeopleAsync_ErasedPersonWithoutName_StaysErased()
    {
        await SeedRosterAsync();
        var erasedAt = new DateTimeOffset(2026, 4, 1, 3, 0, 0, TimeSpan.Zero);
        await Stores.Privacy.ErasePersonalDataAsync(P, ["marie"], T0, erasedAt);

        var counts = await Stores.Roster.UpsertPeopleAsync(P, [NewPerson("marie")]);

        Assert.Equal(new WriteCounts(0, 0, 1), counts);
        Assert.Equal(erasedAt, (await Stores.Roster.GetRosterAsync(P)).People.Single(p => p.Id == "marie").ErasedAt);
    }

    [Fact]
    public async Task UpsertPeopleAsync_ErasedPersonGivenANameAgain_ClearsErasedAt()
    {
        await SeedRosterAsync();
        await Stores.Privacy.ErasePersonalDataAsync(P, ["marie"], T0, new DateTimeOffset(2026, 4, 1, 3, 0, 0, TimeSpan.Zero));

        var counts = await Stores.Roster.UpsertPeopleAsync(P, [NewPerson("marie", "Marie Tremblay")]);

        Assert.Equal(new WriteCounts(0, 1, 0), counts);
        Assert.Equal(NewPerson("marie", "Marie Tremblay"), (await Stores.Roster.GetRosterAsync(P)).People.Single(p => p.Id == "marie"));
    }

    [Fact]
    public async Task UpsertPeopleAsync_ErasedPersonGivenAnEmailAgain_ClearsErasedAt()
    {
        await SeedRosterAsync();
        await Stores.Privacy.ErasePersonalDataAsync(P, ["marie"], T0, new DateTimeOffset(2026, 4, 1, 3, 0, 0, TimeSpan.Zero));

        await Stores.Roster.UpsertPeopleAsync(P, [NewPerson("marie", null, "marie@example.org")]);

        Assert.Null((await Stores.Roster.GetRosterAsync(P)).People.Single(p => p.Id == "marie").ErasedAt);
    }

    [Fact]
    public async Task ErasePersonalDataAsync_UnmatchedRespondentEmails_ClearedOnlyBeforeTheCutoff()
    {
        await SeedRosterAsync();
        await SeedPartnershipAsync("ailleurs");
        var cutoff = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        await Stores.Forms.UpsertFormSubmissionsAsync(P,
        [
            // Before the cutoff as an instant (23:30Z) though its local text (00:30) reads later; the next one is the reverse.
            NewSubmission("old") with { RespondentEmail = "old@example.org", SubmittedAt = new DateTimeOffset(2026, 1, 1, 0, 30, 0, TimeSpan.FromHours(1)) },
            NewSubmission("at-cutoff") with { RespondentEmail = "cutoff@example.org", SubmittedAt = new DateTimeOffset(2025, 12, 31, 19, 0, 0, Montreal) },
            NewSubmission("matched") with { RespondentPersonId = "marie", SubmittedAt = cutoff.AddDays(-100) },
        ]);
        await Stores.Forms.UpsertFormSubmissionsAsync("ailleurs", [NewSubmission("old", "ailleurs") with { RespondentEmail = "old@example.org", SubmittedAt = cutoff.AddDays(-100) }]);

        var erased = await Stores.Privacy.ErasePersonalDataAsync(P, [], cutoff, T0);

        Assert.Equal(0, erased);
        var submissions = (await Stores.Forms.ListFormSubmissionsAsync(P)).ToDictionary(s => s.ResponseId);
        Assert.Null(submissions["old"].RespondentEmail);
        Assert.Equal("cutoff@example.org", submissions["at-cutoff"].RespondentEmail);
        Assert.Equal("marie", submissions["matched"].RespondentPersonId);
        Assert.Equal("old@example.org", Assert.Single(await Stores.Forms.ListFormSubmissionsAsync("ailleurs")).RespondentEmail);
    }
}
