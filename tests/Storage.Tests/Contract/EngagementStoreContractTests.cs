using Engagement.Core.Domain;
using Engagement.Core.Storage;
using Engagement.Tests;

namespace Engagement.Storage.Tests.Contract;

/// <summary>
/// The behaviour every <see cref="IEngagementStore"/> must have. A backend subclasses this and says how to make an
/// empty store; nothing here may depend on a backend beyond the port.
/// </summary>
public abstract class EngagementStoreContractTests : IAsyncLifetime
{
    protected const string P = "table-hochelaga";
    protected static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Montreal = TimeSpan.FromHours(-5);

    private IEngagementStore? _store;

    /// <summary>The clock the store under test reads.</summary>
    protected ManualTimeProvider Time { get; } = new(T0);

    /// <summary>The store under test, fresh and empty for each test.</summary>
    protected IEngagementStore Store => _store ?? throw new InvalidOperationException("The store is created in InitializeAsync.");

    /// <summary>Creates an empty store, owned by the current test, that reads <paramref name="time"/> as its clock.</summary>
    protected abstract Task<IEngagementStore> CreateStoreAsync(TimeProvider time);

    /// <summary>Removes what <see cref="CreateStoreAsync"/> made (a file, a table).</summary>
    protected virtual Task DeleteStoreAsync() => Task.CompletedTask;

    public async Task InitializeAsync() => _store = await CreateStoreAsync(Time);

    public Task DisposeAsync() => DeleteStoreAsync();

    // ---- health ----

    [Fact]
    public async Task CheckHealthAsync_FreshStore_ReportsHealthy()
    {
        var health = await Store.CheckHealthAsync();

        Assert.True(health.Healthy, health.Detail);
        Assert.False(string.IsNullOrWhiteSpace(health.Provider));
    }

    // ---- partnerships ----

    [Fact]
    public async Task UpsertPartnershipAsync_NewSameThenChanged_ReturnsCreatedUnchangedUpdated()
    {
        var partnership = NewPartnership(P) with { CoordinatorEmails = ["a@example.org"] };

        Assert.Equal(WriteOutcome.Created, await Store.UpsertPartnershipAsync(partnership));
        Assert.Equal(WriteOutcome.Unchanged, await Store.UpsertPartnershipAsync(partnership with { CoordinatorEmails = ["a@example.org"] }));
        Assert.Equal(WriteOutcome.Updated, await Store.UpsertPartnershipAsync(partnership with { CoordinatorEmails = ["a@example.org", "b@example.org"] }));
        Assert.Equal(WriteOutcome.Updated, await Store.UpsertPartnershipAsync(partnership with { Territory = "Mercier-Ouest" }));
    }

    [Fact]
    public async Task GetPartnershipAsync_AfterUpsert_RoundTripsEveryField()
    {
        var partnership = new Partnership
        {
            Id = "table-hochelaga-é",
            Name = "Table de quartier « Hochelaga »",
            Territory = "Mercier–Hochelaga-Maisonneuve",
            Language = PartnershipLanguage.English,
            CoordinatorEmails = ["coord@example.org", "adjointe@example.org"],
        };
        await Store.UpsertPartnershipAsync(partnership);

        var stored = await Store.GetPartnershipAsync(partnership.Id);

        Assert.NotNull(stored);
        Assert.Equal(partnership with { CoordinatorEmails = stored.CoordinatorEmails }, stored);
        Assert.Equal(partnership.CoordinatorEmails, stored.CoordinatorEmails);
    }

    [Fact]
    public async Task GetPartnershipAsync_NoTerritoryNoEmails_RoundTripsNullAndEmpty()
    {
        await Store.UpsertPartnershipAsync(NewPartnership(P));

        var stored = await Store.GetPartnershipAsync(P);

        Assert.NotNull(stored);
        Assert.Null(stored.Territory);
        Assert.Empty(stored.CoordinatorEmails);
        Assert.Equal(PartnershipLanguage.French, stored.Language);
    }

    [Fact]
    public async Task GetPartnershipAsync_Unknown_ReturnsNull()
    {
        await Store.UpsertPartnershipAsync(NewPartnership(P));

        Assert.Null(await Store.GetPartnershipAsync("ailleurs"));
    }

    [Fact]
    public async Task ListPartnershipsAsync_SeveralPartnerships_OrderedById()
    {
        foreach (var id in new[] { "c-table", "a-table", "b-table" })
        {
            await Store.UpsertPartnershipAsync(NewPartnership(id));
        }

        Assert.Equal(["a-table", "b-table", "c-table"], (await Store.ListPartnershipsAsync()).Select(p => p.Id));
    }

    // ---- organisations ----

    [Fact]
    public async Task UpsertOrganizationsAsync_SameChangedAndNew_CountsEach()
    {
        await SeedPartnershipAsync();
        Assert.Equal(new WriteCounts(2, 0, 0), await Store.UpsertOrganizationsAsync(P, [NewOrganization("cdc"), NewOrganization("ville")]));

        var counts = await Store.UpsertOrganizationsAsync(P,
        [
            NewOrganization("cdc"),
            NewOrganization("ville") with { Sector = Sector.Municipal },
            NewOrganization("ecole"),
        ]);

        Assert.Equal(new WriteCounts(1, 1, 1), counts);
    }

    [Fact]
    public async Task GetRosterAsync_Organizations_RoundTripEveryFieldOrderedById()
    {
        await SeedPartnershipAsync();
        Organization[] organizations =
        [
            new() { PartnershipId = P, Id = "ville", Name = "Ville de Montréal", Sector = Sector.Municipal },
            new() { PartnershipId = P, Id = "ciusss", Name = "CIUSSS de l'Est-de-l'Île", Sector = Sector.HealthSocialServices },
            new() { PartnershipId = P, Id = "cdc", Name = "CDC Hochelaga" },
        ];
        await Store.UpsertOrganizationsAsync(P, organizations);

        var roster = await Store.GetRosterAsync(P);

        Assert.Equal(organizations.OrderBy(o => o.Id, StringComparer.Ordinal), roster.Organizations);
    }

    // ---- people ----

    [Fact]
    public async Task UpsertPeopleAsync_SameChangedAndNew_CountsEach()
    {
        await SeedPartnershipAsync();
        await Store.UpsertPeopleAsync(P, [NewPerson("marie", "Marie", "marie@example.org"), NewPerson("paul", "Paul")]);

        var counts = await Store.UpsertPeopleAsync(P,
        [
            NewPerson("marie", "Marie", "marie@example.org"),
            NewPerson("paul", "Paul", "paul@example.org"),
            NewPerson("lea"),
        ]);

        Assert.Equal(new WriteCounts(1, 1, 1), counts);
    }

    [Fact]
    public async Task GetRosterAsync_People_RoundTripValuesAndNulls()
    {
        await SeedPartnershipAsync();
        Person[] people = [NewPerson("marie", "Marie Tremblay", "marie@example.org"), NewPerson("anonyme"), NewPerson("paul", "Paul Roy")];
        await Store.UpsertPeopleAsync(P, people);

        var roster = await Store.GetRosterAsync(P);

        Assert.Equal(people.OrderBy(p => p.Id, StringComparer.Ordinal), roster.People);
        Assert.All(roster.People, p => Assert.Null(p.ErasedAt));
    }

    [Fact]
    public async Task UpsertPeopleAsync_NameRemoved_StoresNull()
    {
        await SeedPartnershipAsync();
        await Store.UpsertPeopleAsync(P, [NewPerson("marie", "Marie", "marie@example.org")]);

        Assert.Equal(new WriteCounts(0, 1, 0), await Store.UpsertPeopleAsync(P, [NewPerson("marie", null, "marie@example.org")]));

        var person = Assert.Single((await Store.GetRosterAsync(P)).People);
        Assert.Null(person.DisplayName);
        Assert.Null(person.ErasedAt);
    }

    // ---- representations ----

    [Fact]
    public async Task UpsertRepresentationsAsync_SameChangedAndNew_CountsEach()
    {
        await SeedRosterAsync();
        await Store.UpsertRepresentationsAsync(P, [NewRepresentation("r1", "cdc", "marie"), NewRepresentation("r2", "ville", "paul")]);

        var counts = await Store.UpsertRepresentationsAsync(P,
        [
            NewRepresentation("r1", "cdc", "marie"),
            NewRepresentation("r2", "ville", "paul") with { To = new DateOnly(2026, 1, 31) },
            NewRepresentation("r3", "cdc", "paul"),
        ]);

        Assert.Equal(new WriteCounts(1, 1, 1), counts);
    }

    [Fact]
    public async Task GetRosterAsync_Representations_RoundTripDatesAndRolesOrderedByStart()
    {
        await SeedRosterAsync();
        Representation[] representations =
        [
            new() { PartnershipId = P, Id = "b", OrganizationId = "cdc", PersonId = "marie", Role = RepresentationRole.Coordinator, From = new DateOnly(2024, 2, 29) },
            new() { PartnershipId = P, Id = "a", OrganizationId = "ville", PersonId = "paul", Role = RepresentationRole.Observer, From = new DateOnly(2025, 12, 31), To = new DateOnly(2026, 1, 1) },
            new() { PartnershipId = P, Id = "c", OrganizationId = "ville", PersonId = "marie", From = new DateOnly(2023, 1, 1), To = new DateOnly(2024, 2, 28) },
            new() { PartnershipId = P, Id = "d", OrganizationId = "cdc", PersonId = "paul", Role = RepresentationRole.Citizen, From = new DateOnly(2024, 2, 29) },
        ];
        await Store.UpsertRepresentationsAsync(P, representations);

        var roster = await Store.GetRosterAsync(P);

        Assert.Equal(["c", "b", "d", "a"], roster.Representations.Select(r => r.Id));
        Assert.Equal(representations.OrderBy(r => r.From).ThenBy(r => r.Id, StringComparer.Ordinal), roster.Representations);
    }

    // ---- meetings ----

    [Fact]
    public async Task UpsertMeetingsAsync_SameChangedAndNew_CountsEach()
    {
        await SeedPartnershipAsync();
        await Store.UpsertMeetingsAsync(P, [NewMeeting("m1", Jan13), NewMeeting("m2", Feb10)]);

        var counts = await Store.UpsertMeetingsAsync(P,
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
        await Store.UpsertMeetingsAsync(P, [meeting]);

        var stored = await Store.GetMeetingAsync(P, "ag-2026");

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
        await Store.UpsertMeetingsAsync(P, [meeting]);

        var stored = await Store.GetMeetingAsync(P, "m1");

        Assert.Equal(meeting, stored);
        Assert.Null(stored!.Title);
        Assert.Null(stored.TeamsJoinUrl);
        Assert.False(stored.Cancelled);
    }

    [Fact]
    public async Task GetMeetingAsync_Unknown_ReturnsNull()
    {
        await SeedPartnershipAsync();
        await Store.UpsertMeetingsAsync(P, [NewMeeting("m1", Jan13)]);

        Assert.Null(await Store.GetMeetingAsync(P, "m2"));
        Assert.Null(await Store.GetMeetingAsync("ailleurs", "m1"));
    }

    [Fact]
    public async Task UpsertMeetingsAsync_SameInstantOtherOffset_CountsUpdatedAndKeepsTheNewOffset()
    {
        await SeedPartnershipAsync();
        await Store.UpsertMeetingsAsync(P, [NewMeeting("m1", Jan13)]);
        var inUtc = NewMeeting("m1", Jan13.ToUniversalTime());

        Assert.Equal(new WriteCounts(0, 1, 0), await Store.UpsertMeetingsAsync(P, [inUtc]));

        var stored = await Store.GetMeetingAsync(P, "m1");
        Assert.Equal(TimeSpan.Zero, stored!.Start.Offset);
    }

    [Fact]
    public async Task ListMeetingsAsync_OffsetsDiffer_OrdersByStartInstantNotLocalText()
    {
        await SeedPartnershipAsync();
        // Local text order is a (19:00) < c (20:00) < b (21:00); instant order is b (21:00Z) < c (22:00Z) < a (23:00Z).
        await Store.UpsertMeetingsAsync(P,
        [
            NewMeeting("a", new DateTimeOffset(2026, 3, 12, 19, 0, 0, TimeSpan.FromHours(-4))),
            NewMeeting("b", new DateTimeOffset(2026, 3, 12, 21, 0, 0, TimeSpan.Zero)),
            NewMeeting("c", new DateTimeOffset(2026, 3, 12, 20, 0, 0, TimeSpan.FromHours(-2))),
            NewMeeting("d", new DateTimeOffset(2026, 3, 13, 0, 30, 0, TimeSpan.FromHours(2))),
        ]);

        var meetings = await Store.ListMeetingsAsync(P);

        Assert.Equal(["b", "c", "d", "a"], meetings.Select(m => m.Meeting.Id));
    }

    [Fact]
    public async Task ListMeetingsAsync_WithAttendance_CountsPresentAbsentExcused()
    {
        await SeedRosterAsync();
        await Store.UpsertPeopleAsync(P, [NewPerson("lea"), NewPerson("sam")]);
        await Store.UpsertMeetingsAsync(P, [NewMeeting("m1", Jan13), NewMeeting("m2", Feb10), NewMeeting("m3", Mar10)]);
        await Store.UpsertAttendanceAsync(P,
        [
            NewAttendance("m1", "marie", AttendanceStatus.Present),
            NewAttendance("m1", "paul", AttendanceStatus.Present),
            NewAttendance("m1", "lea", AttendanceStatus.Absent),
            NewAttendance("m1", "sam", AttendanceStatus.Excused),
            NewAttendance("m2", "marie", AttendanceStatus.Excused),
            NewAttendance("m2", "paul", AttendanceStatus.Excused),
        ]);

        var meetings = await Store.ListMeetingsAsync(P);

        Assert.Equal(
            [("m1", 2, 1, 1), ("m2", 0, 0, 2), ("m3", 0, 0, 0)],
            meetings.Select(m => (m.Meeting.Id, m.Present, m.Absent, m.Excused)));
        Assert.Equal(NewMeeting("m1", Jan13), meetings[0].Meeting);
    }

    // ---- attendance ----

    [Fact]
    public async Task UpsertAttendanceAsync_SameChangedAndNew_CountsEach()
    {
        await SeedWithMeetingsAsync();
        await Store.UpsertAttendanceAsync(P, [NewAttendance("m1", "marie", AttendanceStatus.Present), NewAttendance("m1", "paul", AttendanceStatus.Absent)]);

        var counts = await Store.UpsertAttendanceAsync(P,
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
        await Store.UpsertAttendanceAsync(P, [NewAttendance("m1", "marie", AttendanceStatus.Present)]);

        Assert.Equal(new WriteCounts(0, 1, 0), await Store.UpsertAttendanceAsync(P, [NewAttendance("m1", "marie", AttendanceStatus.Present, 3600)]));
        Assert.Equal(new WriteCounts(0, 1, 0), await Store.UpsertAttendanceAsync(P, [NewAttendance("m1", "marie", AttendanceStatus.Present)]));
        Assert.Equal(new WriteCounts(0, 0, 1), await Store.UpsertAttendanceAsync(P, [NewAttendance("m1", "marie", AttendanceStatus.Present)]));
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
        await Store.UpsertAttendanceAsync(P, records);

        Assert.Equal([records[1], records[0]], await Store.GetAttendanceAsync(P, "m1"));
        Assert.Equal([records[2]], await Store.GetAttendanceAsync(P, "m2"));
        Assert.Empty(await Store.GetAttendanceAsync(P, "m3"));
    }

    [Fact]
    public async Task UpsertAttendanceAsync_EmptyBatch_CountsNothing()
    {
        await SeedWithMeetingsAsync();

        Assert.Equal(default, await Store.UpsertAttendanceAsync(P, []));
    }

    [Fact]
    public async Task UpsertAttendanceAsync_1200RecordsInOnePartnership_AllLandAndReplayIsUnchanged()
    {
        await SeedPartnershipAsync();
        var meetings = Enumerable.Range(0, 12).Select(i => NewMeeting($"m{i:00}", Jan13.AddDays(7 * i))).ToList();
        var people = Enumerable.Range(0, 100).Select(i => NewPerson($"person-{i:000}")).ToList();
        await Store.UpsertMeetingsAsync(P, meetings);
        await Store.UpsertPeopleAsync(P, people);
        var records = meetings
            .SelectMany(m => people.Select((p, i) => NewAttendance(m.Id, p.Id, (AttendanceStatus)(i % 3), i % 2 == 0 ? i * 60 : null)))
            .ToList();
        Assert.Equal(1_200, records.Count);

        Assert.Equal(new WriteCounts(1_200, 0, 0), await Store.UpsertAttendanceAsync(P, records));

        var summaries = await Store.ListMeetingsAsync(P);
        Assert.Equal(12, summaries.Count);
        Assert.All(summaries, s => Assert.Equal(100, s.Present + s.Absent + s.Excused));
        Assert.Equal(records.Where(r => r.MeetingId == "m07").OrderBy(r => r.PersonId, StringComparer.Ordinal), await Store.GetAttendanceAsync(P, "m07"));

        var oneChanged = records.Select((r, i) => i == 1_111 ? r with { Status = AttendanceStatus.Excused, SecondsAttended = 1 } : r).ToList();
        Assert.Equal(new WriteCounts(0, 1, 1_199), await Store.UpsertAttendanceAsync(P, oneChanged));
    }

    [Fact]
    public async Task UpsertAttendanceAsync_EightParallelBatches_AllLand()
    {
        await SeedPartnershipAsync();
        var people = Enumerable.Range(0, 50).Select(i => NewPerson($"person-{i:00}")).ToList();
        var meetings = Enumerable.Range(0, 8).Select(i => NewMeeting($"m{i}", Jan13.AddDays(i))).ToList();
        await Store.UpsertPeopleAsync(P, people);
        await Store.UpsertMeetingsAsync(P, meetings);

        var results = await Task.WhenAll(meetings.Select(m => Task.Run(() =>
            Store.UpsertAttendanceAsync(P, [.. people.Select(p => NewAttendance(m.Id, p.Id, AttendanceStatus.Present))]))));

        Assert.All(results, r => Assert.Equal(new WriteCounts(50, 0, 0), r));
        Assert.All(await Store.ListMeetingsAsync(P), s => Assert.Equal(50, s.Present));
    }

    [Fact]
    public async Task UpsertAttendanceAsync_EightParallelCopiesOfOneBatch_CreateEachRecordOnce()
    {
        await SeedWithMeetingsAsync();
        Attendance[] batch = [NewAttendance("m1", "marie", AttendanceStatus.Present), NewAttendance("m1", "paul", AttendanceStatus.Absent)];

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => Store.UpsertAttendanceAsync(P, batch))));

        Assert.Equal(new WriteCounts(2, 0, 14), results.Aggregate(default(WriteCounts), WriteCounts.Add));
        Assert.Equal(batch, await Store.GetAttendanceAsync(P, "m1"));
    }

    [Fact]
    public async Task UpsertAttendanceAsync_RecordOfAnotherPartnershipInBatch_ThrowsAndStoresNothing()
    {
        await SeedWithMeetingsAsync();

        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.UpsertAttendanceAsync(P,
        [
            NewAttendance("m1", "marie", AttendanceStatus.Present),
            NewAttendance("m1", "paul", AttendanceStatus.Present),
            NewAttendance("m1", "lea", AttendanceStatus.Present) with { PartnershipId = "ailleurs" },
        ]));

        Assert.Empty(await Store.GetAttendanceAsync(P, "m1"));
        Assert.Empty(await Store.GetAttendanceAsync("ailleurs", "m1"));
    }

    // ---- forms ----

    [Fact]
    public async Task UpsertFormAsync_NewSameThenChanged_ReturnsCreatedUnchangedUpdated()
    {
        await SeedPartnershipAsync();
        var form = DiagnosticForm();

        Assert.Equal(WriteOutcome.Created, await Store.UpsertFormAsync(form));
        Assert.Equal(WriteOutcome.Unchanged, await Store.UpsertFormAsync(DiagnosticForm()));
        Assert.Equal(WriteOutcome.Updated, await Store.UpsertFormAsync(form with { Title = "Autodiagnostic (version 2)" }));
        var moreLabels = form.Diagnostic! with
        {
            AnswerLabels = new Dictionary<string, DiagnosticAnswer>(form.Diagnostic.AnswerLabels) { ["un-peu"] = DiagnosticAnswer.B },
        };
        Assert.Equal(WriteOutcome.Updated, await Store.UpsertFormAsync(form with { Diagnostic = moreLabels }));
    }

    [Fact]
    public async Task GetFormAsync_Diagnostic_RoundTripsTheMapping()
    {
        await SeedPartnershipAsync();
        var form = DiagnosticForm();
        await Store.UpsertFormAsync(form);

        var stored = await Store.GetFormAsync(form.Id);

        Assert.NotNull(stored);
        Assert.Equal((form.Id, form.PartnershipId, form.Kind, form.Title), (stored.Id, stored.PartnershipId, stored.Kind, stored.Title));
        Assert.NotNull(stored.Diagnostic);
        Assert.Equal(form.Diagnostic!.Items.OrderBy(i => i.Key, StringComparer.Ordinal), stored.Diagnostic.Items.OrderBy(i => i.Key, StringComparer.Ordinal));
        Assert.Equal(form.Diagnostic.AnswerLabels.OrderBy(i => i.Key, StringComparer.Ordinal), stored.Diagnostic.AnswerLabels.OrderBy(i => i.Key, StringComparer.Ordinal));
        Assert.True(stored.Diagnostic.TryMapAnswer("Plutôt", out var answer));
        Assert.Equal(DiagnosticAnswer.B, answer);
    }

    [Fact]
    public async Task GetFormAsync_NonDiagnosticWithoutTitle_HasNullTitleAndMapping()
    {
        await SeedPartnershipAsync();
        await Store.UpsertFormAsync(new FormDefinition { Id = "suivi", PartnershipId = P, Kind = FormKind.FollowUp });

        var stored = await Store.GetFormAsync("suivi");

        Assert.Equal(new FormDefinition { Id = "suivi", PartnershipId = P, Kind = FormKind.FollowUp }, stored);
    }

    [Fact]
    public async Task GetFormAsync_Unknown_ReturnsNull()
    {
        Assert.Null(await Store.GetFormAsync("inconnu"));
    }

    // ---- form submissions ----

    [Fact]
    public async Task UpsertFormSubmissionsAsync_SameChangedAndNew_CountsEach()
    {
        await SeedRosterAsync();
        await Store.UpsertFormSubmissionsAsync(P, [NewSubmission("1"), NewSubmission("2")]);

        var counts = await Store.UpsertFormSubmissionsAsync(P,
        [
            NewSubmission("1"),
            NewSubmission("2") with { Answers = Answers(("q1", ["Non"])) },
            NewSubmission("3"),
        ]);

        Assert.Equal(new WriteCounts(1, 1, 1), counts);
    }

    [Fact]
    public async Task UpsertFormSubmissionsAsync_SameAnswersInAnotherOrder_CountsUnchanged()
    {
        await SeedRosterAsync();
        await Store.UpsertFormSubmissionsAsync(P, [NewSubmission("1") with { Answers = Answers(("q1", ["Oui"]), ("q2", ["A", "B"])) }]);

        var counts = await Store.UpsertFormSubmissionsAsync(P, [NewSubmission("1") with { Answers = Answers(("q2", ["A", "B"]), ("q1", ["Oui"])) }]);

        Assert.Equal(new WriteCounts(0, 0, 1), counts);
    }

    [Fact]
    public async Task UpsertFormSubmissionsAsync_ChangedDiagnosticItem_CountsUpdated()
    {
        await SeedRosterAsync();
        var submission = NewSubmission("1") with { Kind = FormKind.Diagnostic, DiagnosticItems = new Dictionary<int, DiagnosticAnswer> { [1] = DiagnosticAnswer.A } };
        await Store.UpsertFormSubmissionsAsync(P, [submission]);

        Assert.Equal(new WriteCounts(0, 0, 1), await Store.UpsertFormSubmissionsAsync(P, [submission with { DiagnosticItems = new Dictionary<int, DiagnosticAnswer> { [1] = DiagnosticAnswer.A } }]));
        Assert.Equal(new WriteCounts(0, 1, 0), await Store.UpsertFormSubmissionsAsync(P, [submission with { DiagnosticItems = new Dictionary<int, DiagnosticAnswer> { [1] = DiagnosticAnswer.C } }]));
    }

    [Fact]
    public async Task ListFormSubmissionsAsync_AfterUpsert_RoundTripsEveryField()
    {
        await SeedRosterAsync();
        var diagnostic = new FormSubmission
        {
            PartnershipId = P,
            FormId = "cacis",
            ResponseId = "r-1",
            Kind = FormKind.Diagnostic,
            RespondentPersonId = "marie",
            SubmittedAt = new DateTimeOffset(2026, 3, 14, 11, 23, 34, 250, TimeSpan.FromHours(-4)),
            Answers = Answers(("q01", ["A) Tout à fait"]), ("priorités", ["Logement", "Sécurité alimentaire", "Transport"]), ("commentaire", ["Très « utile »\nMerci"])),
            DiagnosticItems = new Dictionary<int, DiagnosticAnswer> { [18] = DiagnosticAnswer.C, [1] = DiagnosticAnswer.A, [9] = DiagnosticAnswer.B },
        };
        var anonymous = new FormSubmission
        {
            PartnershipId = P,
            FormId = "retro",
            ResponseId = "r-2",
            Kind = FormKind.Feedback,
            RespondentEmail = "inconnu@example.org",
            SubmittedAt = new DateTimeOffset(2026, 3, 15, 9, 0, 0, TimeSpan.Zero),
            Answers = Answers(),
        };
        await Store.UpsertFormSubmissionsAsync(P, [anonymous, diagnostic]);

        var stored = await Store.ListFormSubmissionsAsync(P);

        Assert.Equal(2, stored.Count);
        AssertSameSubmission(diagnostic, stored[0]);
        AssertSameSubmission(anonymous, stored[1]);
    }

    [Fact]
    public async Task ListFormSubmissionsAsync_OffsetsDiffer_OrdersBySubmissionInstant()
    {
        await SeedRosterAsync();
        await Store.UpsertFormSubmissionsAsync(P,
        [
            NewSubmission("a") with { SubmittedAt = new DateTimeOffset(2026, 3, 14, 20, 0, 0, TimeSpan.FromHours(-4)) },
            NewSubmission("b") with { SubmittedAt = new DateTimeOffset(2026, 3, 14, 22, 0, 0, TimeSpan.Zero) },
            NewSubmission("c") with { SubmittedAt = new DateTimeOffset(2026, 3, 15, 0, 30, 0, TimeSpan.FromHours(1)) },
        ]);

        Assert.Equal(["b", "c", "a"], (await Store.ListFormSubmissionsAsync(P)).Select(s => s.ResponseId));
    }

    // ---- keys ----

    [Fact]
    public async Task GetKeysAsync_PopulatedPartnership_ReturnsEveryKindOfId()
    {
        await SeedRosterAsync();
        await Store.UpsertPeopleAsync(P, [NewPerson("sans-courriel", "Lea")]);
        await Store.UpsertMeetingsAsync(P, [NewMeeting("m1", Jan13), NewMeeting("m2", Feb10)]);
        await Store.UpsertRepresentationsAsync(P, [NewRepresentation("r1", "cdc", "marie")]);

        var keys = await Store.GetKeysAsync(P);

        Assert.Equal(["cdc", "ville"], keys.OrganizationIds.Order(StringComparer.Ordinal));
        Assert.Equal(["marie", "paul", "sans-courriel"], keys.PersonIds.Order(StringComparer.Ordinal));
        Assert.Equal(["m1", "m2"], keys.MeetingIds.Order(StringComparer.Ordinal));
        Assert.Equal(["r1"], keys.RepresentationIds);
        Assert.Equal(
            [new("marie@example.org", "marie"), new("paul.roy@example.org", "paul")],
            keys.PersonIdsByEmail.OrderBy(e => e.Key, StringComparer.Ordinal));
        Assert.All(keys.PersonIdsByEmail.Keys, e => Assert.Equal(e.ToLowerInvariant(), e));
    }

    [Fact]
    public async Task GetKeysAsync_UnknownPartnership_IsEmpty()
    {
        await SeedRosterAsync();

        var keys = await Store.GetKeysAsync("ailleurs");

        Assert.Empty(keys.OrganizationIds);
        Assert.Empty(keys.PersonIds);
        Assert.Empty(keys.PersonIdsByEmail);
        Assert.Empty(keys.MeetingIds);
        Assert.Empty(keys.RepresentationIds);
    }

    // ---- attendance of a whole partnership, risk snapshots, models ----

    [Fact]
    public async Task ListAttendanceAsync_SeveralMeetings_ReturnsEveryRecordByMeetingThenPerson()
    {
        await SeedWithMeetingsAsync();
        await Store.UpsertAttendanceAsync(P, [NewAttendance("m2", "paul", AttendanceStatus.Absent), NewAttendance("m1", "paul", AttendanceStatus.Present), NewAttendance("m1", "marie", AttendanceStatus.Excused, 60)]);

        var all = await Store.ListAttendanceAsync(P);

        Assert.Equal([("m1", "marie"), ("m1", "paul"), ("m2", "paul")], all.Select(a => (a.MeetingId, a.PersonId)));
        Assert.Equal(60, all[0].SecondsAttended);
        Assert.Empty(await Store.ListAttendanceAsync("elsewhere"));
        var streamed = new List<Attendance>();
        await foreach (var a in Store.StreamAttendanceAsync(P))
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
        await Store.UpsertPeopleAsync(P, [NewPerson("lea"), NewPerson("paul-b")]);
        await Store.UpsertMeetingsAsync(P, [NewMeeting("m1", Jan13), NewMeeting("m1-b", Feb10), NewMeeting("m2", Mar10)]);
        string[] meetings = ["m1", "m1-b", "m2"], people = ["lea", "marie", "paul", "paul-b"];
        await Store.UpsertAttendanceAsync(P, [.. meetings.SelectMany(m => people.Select(p => NewAttendance(m, p, AttendanceStatus.Present)))]);

        var all = await StreamAsync(null);

        Assert.Equal(12, all.Count);
        Assert.Equal(Sorted(all), Sorted((await Store.ListAttendanceAsync(P)).Select(a => new AttendanceKey(a.MeetingId, a.PersonId))));
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
            await foreach (var a in Store.StreamAttendanceAsync(P, after))
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
        await Store.UpsertPartnershipAsync(NewPartnership("elsewhere"));
        await Store.UpsertMeetingsAsync("elsewhere", [NewMeeting("m9", Jan13, partnershipId: "elsewhere")]);

        var meetings = new List<Meeting>();
        await foreach (var meeting in Store.StreamMeetingsAsync(P))
        {
            meetings.Add(meeting);
        }

        Assert.Equal((await Store.ListMeetingsAsync(P)).Select(s => s.Meeting).OrderBy(m => m.Id, StringComparer.Ordinal), meetings.OrderBy(m => m.Id, StringComparer.Ordinal));
    }

    private static RiskSnapshot NewSnapshot(DateOnly day, string? organizationId, double probability) => new()
    {
        PartnershipId = P,
        OrganizationId = organizationId,
        AsOfDate = day,
        ScoredAt = new DateTimeOffset(day.ToDateTime(new TimeOnly(3, 30)), TimeSpan.Zero),
        Probability = probability,
        Band = probability >= 0.6 ? "high" : "low",
        ModelVersion = "prior-1",
        PriorModel = true,
        PreviousProbability = organizationId is null ? null : 0.25,
        Reasons = [new SnapshotReason("absence_last3", 1.2, 0.667, "absente à 2 des 3 dernières rencontres", "absent from 2 of the last 3 meetings")],
        Features = new Dictionary<string, double> { ["absence_last3"] = 0.667, ["vacancy"] = 0 },
    };

    [Fact]
    public async Task UpsertRiskSnapshotsAsync_SameDayAgain_ReplacesAndCounts()
    {
        await SeedPartnershipAsync();
        var day = new DateOnly(2026, 11, 2);
        Assert.Equal(new WriteCounts(2, 0, 0), await Store.UpsertRiskSnapshotsAsync(P, [NewSnapshot(day, null, 0.3), NewSnapshot(day, "cdc", 0.7)]));
        Assert.Equal(new WriteCounts(0, 1, 1), await Store.UpsertRiskSnapshotsAsync(P, [NewSnapshot(day, null, 0.3), NewSnapshot(day, "cdc", 0.8)]));

        var stored = await Store.ListRiskSnapshotsAsync(P, day, day);

        Assert.Equal(2, stored.Count);
        Assert.Null(stored[0].OrganizationId);
        Assert.Equal(0.8, stored[1].Probability);
        Assert.Equal(0.25, stored[1].PreviousProbability);
        Assert.True(stored[1].PriorModel);
        Assert.Equal("absent from 2 of the last 3 meetings", Assert.Single(stored[1].Reasons).English);
        Assert.Equal(0.667, stored[1].Features["absence_last3"]);
    }

    [Fact]
    public async Task ListRiskSnapshotsAsync_DateRange_IsInclusiveAndOrderedByDay()
    {
        await SeedPartnershipAsync();
        var days = Enumerable.Range(0, 5).Select(i => new DateOnly(2026, 10, 28).AddDays(i)).ToList();
        await Store.UpsertRiskSnapshotsAsync(P, [.. days.Select(d => NewSnapshot(d, null, 0.1 * d.Day % 1))]);

        var middle = await Store.ListRiskSnapshotsAsync(P, days[1], days[3]);

        Assert.Equal(days[1..4], middle.Select(s => s.AsOfDate));
        Assert.Empty(await Store.ListRiskSnapshotsAsync("elsewhere", days[0], days[4]));
    }

    [Fact]
    public async Task Models_SaveChampionAndSwitch_TheChampionScores()
    {
        Assert.Null(await Store.GetChampionAsync());
        var first = new StoredModel { Version = "trained-1", Kind = "trained", CreatedAt = T0, Artifact = "{\"version\":\"trained-1\"}" };
        var second = first with { Version = "trained-2", Artifact = "{\"version\":\"trained-2\"," + new string(' ', 40_000) + "\"weights\":[1]}" };

        Assert.Equal(WriteOutcome.Created, await Store.SaveModelAsync(first));
        Assert.Equal(WriteOutcome.Unchanged, await Store.SaveModelAsync(first));
        await Store.SaveModelAsync(second);
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.SetChampionAsync("missing"));
        await Store.SetChampionAsync("trained-1");
        Assert.Equal("trained-1", (await Store.GetChampionAsync())!.Version);
        await Store.SetChampionAsync("trained-2");

        var champion = await Store.GetChampionAsync();
        Assert.Equal(second, champion);
        Assert.Null(await Store.GetModelAsync("missing"));
    }

    [Fact]
    public async Task Retrainings_SavedTwice_ListedOnceNewestFirst()
    {
        RetrainingRecord Record(int day, bool promoted) => new()
        {
            RanAt = T0.AddDays(day),
            ChallengerVersion = $"trained-{day}",
            ChampionVersion = "prior-1",
            Promoted = promoted,
            Reason = promoted ? "challenger Brier lower" : "challenger Brier not lower",
            ChallengerEvaluation = "{\"brier\":0.1}",
            ChampionEvaluation = "{\"brier\":0.2}",
        };

        await Store.SaveRetrainingAsync(Record(1, false));
        await Store.SaveRetrainingAsync(Record(8, true));
        await Store.SaveRetrainingAsync(Record(8, true));

        var list = await Store.ListRetrainingsAsync();

        Assert.Equal([Record(8, true), Record(1, false)], list);
    }

    [Fact]
    public async Task UpsertAttendanceAsync_TeamsIntervals_RoundTripAndCountAsChanges()
    {
        await SeedWithMeetingsAsync();
        var join = new DateTimeOffset(2026, 1, 13, 19, 2, 0, Montreal);
        AttendanceInterval[] intervals = [new(join, join.AddMinutes(30), 1800), new(join.AddMinutes(40), join.AddMinutes(90), 3000)];
        var record = NewAttendance("m1", "marie", AttendanceStatus.Present, 4800) with { Intervals = intervals };

        Assert.Equal(new WriteCounts(1, 0, 0), await Store.UpsertAttendanceAsync(P, [record]));
        Assert.Equal(new WriteCounts(0, 0, 1), await Store.UpsertAttendanceAsync(P, [record with { Intervals = [.. intervals] }]));
        Assert.Equal(new WriteCounts(0, 1, 0), await Store.UpsertAttendanceAsync(P, [record with { Intervals = intervals[..1], SecondsAttended = 1800 }]));

        var stored = Assert.Single(await Store.GetAttendanceAsync(P, "m1"));
        Assert.Equal(intervals[..1], stored.Intervals);
        Assert.Equal(join.Offset, stored.Intervals![0].Join.Offset);
    }

    [Fact]
    public async Task Integrations_RegisterCheckpointReregisterDelete()
    {
        await SeedPartnershipAsync();
        var meeting = new IntegrationRegistration
        {
            PartnershipId = P,
            Kind = IntegrationKind.TeamsMeeting,
            Id = "m1",
            Settings = new Dictionary<string, string> { ["organizerUserId"] = "dc17674c", ["joinUrl"] = "https://teams.microsoft.com/l/meetup-join/19%3ameeting_x%40thread.v2/0" },
        };
        var group = meeting with { Kind = IntegrationKind.Group, Id = "g1", Settings = new Dictionary<string, string> { ["groupId"] = "g1" } };

        Assert.Equal(WriteOutcome.Created, await Store.UpsertIntegrationAsync(meeting));
        Assert.Equal(WriteOutcome.Unchanged, await Store.UpsertIntegrationAsync(meeting));
        await Store.UpsertIntegrationAsync(group);
        await Store.SetIntegrationCheckpointAsync(P, IntegrationKind.TeamsMeeting, "m1", "[\"report-1\"]");
        Assert.Equal(WriteOutcome.Updated, await Store.UpsertIntegrationAsync(meeting with { Settings = new Dictionary<string, string> { ["organizerUserId"] = "other" } }));

        var listed = await Store.ListIntegrationsAsync(P);
        Assert.Equal([IntegrationKind.Group, IntegrationKind.TeamsMeeting], listed.Select(r => r.Kind));
        var teams = listed[1];
        Assert.Equal("[\"report-1\"]", teams.Checkpoint);
        Assert.Equal("other", teams.Settings["organizerUserId"]);
        Assert.Null(listed[0].Checkpoint);

        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.SetIntegrationCheckpointAsync(P, IntegrationKind.FormsWorkbook, "nothing", "1"));
        Assert.True(await Store.DeleteIntegrationAsync(P, IntegrationKind.Group, "g1"));
        Assert.False(await Store.DeleteIntegrationAsync(P, IntegrationKind.Group, "g1"));
        Assert.Single(await Store.ListIntegrationsAsync(P));
        Assert.Empty(await Store.ListIntegrationsAsync("elsewhere"));
    }

    [Fact]
    public async Task Alerts_SavedWithTheirEmails_DeliveryRecordedOnce()
    {
        await SeedPartnershipAsync();
        var alert = new Engagement.Core.Alerts.Alert
        {
            PartnershipId = P,
            OrganizationId = "cdc",
            Type = Engagement.Core.Alerts.AlertType.RepresentativeTurnover,
            Status = Engagement.Core.Alerts.AlertStatus.Open,
            Band = "high",
            Probability = 0.8,
            ModelVersion = "prior-1",
            Reasons = [new SnapshotReason("vacancy", 1.5, 1, "aucun représentant désigné actuellement", "no representative in place")],
            OpenedAt = T0,
            UpdatedAt = T0,
            LastNotifiedAt = T0,
            LastNotifiedBand = "high",
            Notifications = 1,
        };
        Engagement.Core.Alerts.AlertNotification Mail(string recipient) => new()
        {
            PartnershipId = P,
            Id = $"{alert.Id}.1.{recipient}",
            AlertId = alert.Id,
            Recipient = recipient,
            Subject = "[Risque élevé] CDC",
            Text = "texte",
            Html = "<p>" + new string('x', 40_000) + "</p>",
            MessageId = $"<{alert.Id}.1.{recipient}@engagement>",
            CreatedAt = T0,
        };

        await Store.SaveAlertsAsync(P, [alert], [Mail("a@example.org"), Mail("b@example.org")]);
        Assert.Equal([alert.Id], (await Store.ListAlertsAsync(P)).Select(a => a.Id));
        Assert.Equal(alert.Reasons, (await Store.ListAlertsAsync(P))[0].Reasons);
        Assert.Equal(2, (await Store.ListPendingNotificationsAsync(P)).Count);

        await Store.RecordDeliveryAsync(P, Mail("a@example.org").Id, T0.AddMinutes(15), null);
        await Store.RecordDeliveryAsync(P, Mail("b@example.org").Id, null, "connection refused");
        var pending = Assert.Single(await Store.ListPendingNotificationsAsync(P));
        Assert.Equal("b@example.org", pending.Recipient);
        Assert.Equal(1, pending.Attempts);
        Assert.Equal("connection refused", pending.LastError);

        // Saving the same e-mail again (a retried run) never resets a delivered one.
        await Store.SaveAlertsAsync(P, [alert with { Status = Engagement.Core.Alerts.AlertStatus.Acknowledged }], [Mail("a@example.org")]);
        var sent = (await Store.ListNotificationsAsync(P, alert.Id)).Single(n => n.Recipient == "a@example.org");
        Assert.Equal(T0.AddMinutes(15), sent.SentAt);
        Assert.Equal(40_007, sent.Html.Length);
        Assert.Equal(Engagement.Core.Alerts.AlertStatus.Acknowledged, (await Store.ListAlertsAsync(P))[0].Status);
    }

    [Fact]
    public async Task ExportAudit_RecordedAndListedNewestFirstSinceATime()
    {
        await Store.RecordExportAsync(new ExportAudit { At = T0, Caller = "analyst", What = "dim_person.csv", Rows = 12, PersonalData = false });
        await Store.RecordExportAsync(new ExportAudit { At = T0.AddHours(1), Caller = "analyst-pii", What = "dim_person.csv", Rows = 12, PersonalData = true, Filter = "from=2026-01-01&to=" });

        var all = await Store.ListExportsAsync(T0.AddDays(-1));
        Assert.Equal(["analyst-pii", "analyst"], all.Select(a => a.Caller));
        Assert.Equal("from=2026-01-01&to=", all[0].Filter);
        Assert.Single(await Store.ListExportsAsync(T0.AddMinutes(30)));
    }

    // ---- activity and erasure ----

    [Fact]
    public async Task ListPersonActivityAsync_WithTraces_ReportsTheLatestOfEach()
    {
        await SeedRosterAsync();
        var early = new DateTimeOffset(2026, 1, 13, 19, 0, 0, Montreal);
        var later = new DateTimeOffset(2026, 2, 10, 19, 0, 0, Montreal);
        var latest = new DateTimeOffset(2026, 3, 10, 19, 0, 0, TimeSpan.FromHours(-4));
        await Store.UpsertMeetingsAsync(P, [NewMeeting("m1", early), NewMeeting("m2", later), NewMeeting("m3", latest)]);
        await Store.UpsertAttendanceAsync(P,
        [
            NewAttendance("m1", "marie", AttendanceStatus.Present),
            NewAttendance("m2", "marie", AttendanceStatus.Excused),
            NewAttendance("m3", "marie", AttendanceStatus.Absent),
        ]);
        await Store.UpsertFormSubmissionsAsync(P,
        [
            NewSubmission("1") with { RespondentPersonId = "marie", SubmittedAt = new DateTimeOffset(2026, 2, 1, 8, 0, 0, Montreal) },
            NewSubmission("2") with { RespondentPersonId = "marie", SubmittedAt = new DateTimeOffset(2026, 2, 20, 8, 0, 0, Montreal) },
        ]);
        await Store.UpsertRepresentationsAsync(P,
        [
            NewRepresentation("r1", "cdc", "marie") with { From = new DateOnly(2023, 1, 1), To = new DateOnly(2024, 6, 30) },
            NewRepresentation("r2", "ville", "marie") with { From = new DateOnly(2024, 7, 1), To = new DateOnly(2025, 12, 31) },
            NewRepresentation("r3", "ville", "paul") with { From = new DateOnly(2024, 7, 1) },
            NewRepresentation("r4", "cdc", "paul") with { From = new DateOnly(2022, 7, 1), To = new DateOnly(2023, 12, 31) },
        ]);

        var activity = await Store.ListPersonActivityAsync(P);

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
        await Store.UpsertMeetingsAsync(P, [NewMeeting("m1", Jan13), NewMeeting("m2", Feb10) with { Cancelled = true }]);
        await Store.UpsertAttendanceAsync(P, [NewAttendance("m1", "marie", AttendanceStatus.Present), NewAttendance("m2", "marie", AttendanceStatus.Present)]);

        var marie = (await Store.ListPersonActivityAsync(P)).Single(a => a.Person.Id == "marie");

        Assert.Equal(Jan13, marie.LastAttendedAt);
    }

    [Fact]
    public async Task ListPersonActivityAsync_NoTraces_HasNullsAndTheRecordTime()
    {
        await SeedPartnershipAsync();
        await Store.UpsertPeopleAsync(P, [NewPerson("marie", "Marie")]);

        var activity = Assert.Single(await Store.ListPersonActivityAsync(P));

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
        await Store.UpsertPeopleAsync(P, [NewPerson("marie", "Marie")]);

        Time.Advance(TimeSpan.FromDays(30));
        await Store.UpsertPeopleAsync(P, [NewPerson("marie", "Marie")]);
        Assert.Equal(T0, Assert.Single(await Store.ListPersonActivityAsync(P)).RecordUpdatedAt);

        Time.Advance(TimeSpan.FromDays(30));
        await Store.UpsertPeopleAsync(P, [NewPerson("marie", "Marie Tremblay")]);
        Assert.Equal(T0.AddDays(60), Assert.Single(await Store.ListPersonActivityAsync(P)).RecordUpdatedAt);
    }

    [Fact]
    public async Task ErasePersonalDataAsync_Person_ClearsNameAndEmailAndKeepsAttendance()
    {
        await SeedWithMeetingsAsync();
        await Store.UpsertAttendanceAsync(P, [NewAttendance("m1", "marie", AttendanceStatus.Present, 3600), NewAttendance("m1", "paul", AttendanceStatus.Absent)]);
        var erasedAt = new DateTimeOffset(2026, 4, 1, 3, 0, 0, TimeSpan.Zero);

        var erased = await Store.ErasePersonalDataAsync(P, ["marie"], T0.AddYears(-2), erasedAt);

        Assert.Equal(1, erased);
        var people = (await Store.GetRosterAsync(P)).People;
        Assert.Equal(new Person { PartnershipId = P, Id = "marie", ErasedAt = erasedAt }, people.Single(p => p.Id == "marie"));
        Assert.Equal(NewPerson("paul", "Paul Roy", "paul.roy@example.org"), people.Single(p => p.Id == "paul"));
        Assert.Equal([NewAttendance("m1", "marie", AttendanceStatus.Present, 3600), NewAttendance("m1", "paul", AttendanceStatus.Absent)], await Store.GetAttendanceAsync(P, "m1"));
        var keys = await Store.GetKeysAsync(P);
        Assert.Contains("marie", keys.PersonIds);
        Assert.DoesNotContain("marie@example.org", keys.PersonIdsByEmail.Keys);
    }

    [Fact]
    public async Task ErasePersonalDataAsync_AlreadyErasedOrUnknown_CountsNothing()
    {
        await SeedRosterAsync();
        var erasedAt = new DateTimeOffset(2026, 4, 1, 3, 0, 0, TimeSpan.Zero);
        await Store.ErasePersonalDataAsync(P, ["marie"], T0, erasedAt);

        var erased = await Store.ErasePersonalDataAsync(P, ["marie", "inconnu"], T0, erasedAt.AddDays(1));

        Assert.Equal(0, erased);
        Assert.Equal(erasedAt, (await Store.GetRosterAsync(P)).People.Single(p => p.Id == "marie").ErasedAt);
    }

    [Fact]
    public async Task UpsertPeopleAsync_ErasedPersonWithoutName_StaysErased()
    {
        await SeedRosterAsync();
        var erasedAt = new DateTimeOffset(2026, 4, 1, 3, 0, 0, TimeSpan.Zero);
        await Store.ErasePersonalDataAsync(P, ["marie"], T0, erasedAt);

        var counts = await Store.UpsertPeopleAsync(P, [NewPerson("marie")]);

        Assert.Equal(new WriteCounts(0, 0, 1), counts);
        Assert.Equal(erasedAt, (await Store.GetRosterAsync(P)).People.Single(p => p.Id == "marie").ErasedAt);
    }

    [Fact]
    public async Task UpsertPeopleAsync_ErasedPersonGivenANameAgain_ClearsErasedAt()
    {
        await SeedRosterAsync();
        await Store.ErasePersonalDataAsync(P, ["marie"], T0, new DateTimeOffset(2026, 4, 1, 3, 0, 0, TimeSpan.Zero));

        var counts = await Store.UpsertPeopleAsync(P, [NewPerson("marie", "Marie Tremblay")]);

        Assert.Equal(new WriteCounts(0, 1, 0), counts);
        Assert.Equal(NewPerson("marie", "Marie Tremblay"), (await Store.GetRosterAsync(P)).People.Single(p => p.Id == "marie"));
    }

    [Fact]
    public async Task UpsertPeopleAsync_ErasedPersonGivenAnEmailAgain_ClearsErasedAt()
    {
        await SeedRosterAsync();
        await Store.ErasePersonalDataAsync(P, ["marie"], T0, new DateTimeOffset(2026, 4, 1, 3, 0, 0, TimeSpan.Zero));

        await Store.UpsertPeopleAsync(P, [NewPerson("marie", null, "marie@example.org")]);

        Assert.Null((await Store.GetRosterAsync(P)).People.Single(p => p.Id == "marie").ErasedAt);
    }

    [Fact]
    public async Task ErasePersonalDataAsync_UnmatchedRespondentEmails_ClearedOnlyBeforeTheCutoff()
    {
        await SeedRosterAsync();
        await SeedPartnershipAsync("ailleurs");
        var cutoff = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        await Store.UpsertFormSubmissionsAsync(P,
        [
            // Before the cutoff as an instant (23:30Z) though its local text (00:30) reads later; the next one is the reverse.
            NewSubmission("old") with { RespondentEmail = "old@example.org", SubmittedAt = new DateTimeOffset(2026, 1, 1, 0, 30, 0, TimeSpan.FromHours(1)) },
            NewSubmission("at-cutoff") with { RespondentEmail = "cutoff@example.org", SubmittedAt = new DateTimeOffset(2025, 12, 31, 19, 0, 0, Montreal) },
            NewSubmission("matched") with { RespondentPersonId = "marie", SubmittedAt = cutoff.AddDays(-100) },
        ]);
        await Store.UpsertFormSubmissionsAsync("ailleurs", [NewSubmission("old", "ailleurs") with { RespondentEmail = "old@example.org", SubmittedAt = cutoff.AddDays(-100) }]);

        var erased = await Store.ErasePersonalDataAsync(P, [], cutoff, T0);

        Assert.Equal(0, erased);
        var submissions = (await Store.ListFormSubmissionsAsync(P)).ToDictionary(s => s.ResponseId);
        Assert.Null(submissions["old"].RespondentEmail);
        Assert.Equal("cutoff@example.org", submissions["at-cutoff"].RespondentEmail);
        Assert.Equal("marie", submissions["matched"].RespondentPersonId);
        Assert.Equal("old@example.org", Assert.Single(await Store.ListFormSubmissionsAsync("ailleurs")).RespondentEmail);
    }

    // ---- isolation ----

    [Fact]
    public async Task EveryRecordKind_SameIdsInTwoPartnerships_StayIndependent()
    {
        const string Q = "table-rosemont";
        foreach (var id in new[] { P, Q })
        {
            await SeedPartnershipAsync(id);
            await Store.UpsertOrganizationsAsync(id, [NewOrganization("cdc", id)]);
            await Store.UpsertPeopleAsync(id, [NewPerson("marie", "Marie", "marie@example.org", id)]);
            await Store.UpsertRepresentationsAsync(id, [NewRepresentation("r1", "cdc", "marie", id)]);
            await Store.UpsertMeetingsAsync(id, [NewMeeting("m1", Jan13, id)]);
            await Store.UpsertAttendanceAsync(id, [NewAttendance("m1", "marie", AttendanceStatus.Present, partnershipId: id)]);
            await Store.UpsertFormSubmissionsAsync(id, [NewSubmission("1", id) with { RespondentPersonId = "marie" }]);
        }

        // Changes in Q must not touch P.
        Assert.Equal(new WriteCounts(0, 1, 0), await Store.UpsertOrganizationsAsync(Q, [NewOrganization("cdc", Q) with { Name = "Autre nom" }]));
        Assert.Equal(new WriteCounts(0, 1, 0), await Store.UpsertMeetingsAsync(Q, [NewMeeting("m1", Feb10, Q)]));
        Assert.Equal(new WriteCounts(0, 1, 0), await Store.UpsertAttendanceAsync(Q, [NewAttendance("m1", "marie", AttendanceStatus.Absent, partnershipId: Q)]));
        Assert.Equal(new WriteCounts(0, 1, 0), await Store.UpsertRepresentationsAsync(Q, [NewRepresentation("r1", "cdc", "marie", Q) with { To = new DateOnly(2026, 1, 31) }]));
        Assert.Equal(new WriteCounts(0, 1, 0), await Store.UpsertFormSubmissionsAsync(Q, [NewSubmission("1", Q) with { Answers = Answers(("q1", ["Non"])) }]));
        Assert.Equal(1, await Store.ErasePersonalDataAsync(Q, ["marie"], T0, T0));

        var roster = await Store.GetRosterAsync(P);
        Assert.Equal([NewOrganization("cdc", P)], roster.Organizations);
        Assert.Equal([NewPerson("marie", "Marie", "marie@example.org", P)], roster.People);
        Assert.Equal([NewRepresentation("r1", "cdc", "marie", P)], roster.Representations);
        Assert.Equal(NewMeeting("m1", Jan13, P), await Store.GetMeetingAsync(P, "m1"));
        Assert.Equal([NewAttendance("m1", "marie", AttendanceStatus.Present, partnershipId: P)], await Store.GetAttendanceAsync(P, "m1"));
        Assert.Equal(["Oui"], Assert.Single(await Store.ListFormSubmissionsAsync(P)).Answers["q1"]);
        Assert.Equal((1, 0, 0), ListCounts(Assert.Single(await Store.ListMeetingsAsync(P))));
        Assert.Equal((0, 1, 0), ListCounts(Assert.Single(await Store.ListMeetingsAsync(Q))));
        Assert.Equal("marie", (await Store.GetKeysAsync(P)).PersonIdsByEmail["marie@example.org"]);
        Assert.Empty((await Store.GetKeysAsync(Q)).PersonIdsByEmail);
        Assert.Equal(P, Assert.Single(await Store.ListPersonActivityAsync(P)).Person.PartnershipId);
        Assert.True(Assert.Single(await Store.ListPersonActivityAsync(P)).HasOpenRepresentation);
        Assert.False(Assert.Single(await Store.ListPersonActivityAsync(Q)).HasOpenRepresentation);
    }

    // ---- data builders ----

    protected static readonly DateTimeOffset Jan13 = new(2026, 1, 13, 19, 0, 0, Montreal);
    protected static readonly DateTimeOffset Feb10 = new(2026, 2, 10, 19, 0, 0, Montreal);
    protected static readonly DateTimeOffset Mar10 = new(2026, 3, 10, 19, 0, 0, TimeSpan.FromHours(-4));

    protected static Partnership NewPartnership(string id) => new() { Id = id, Name = "Table " + id };

    protected static Organization NewOrganization(string id, string partnershipId = P) =>
        new() { PartnershipId = partnershipId, Id = id, Name = "Organisme " + id, Sector = Sector.Community };

    protected static Person NewPerson(string id, string? displayName = null, string? email = null, string partnershipId = P) =>
        new() { PartnershipId = partnershipId, Id = id, DisplayName = displayName, Email = email };

    protected static Representation NewRepresentation(string id, string organizationId, string personId, string partnershipId = P) =>
        new() { PartnershipId = partnershipId, Id = id, OrganizationId = organizationId, PersonId = personId, From = new DateOnly(2025, 9, 1) };

    protected static Meeting NewMeeting(string id, DateTimeOffset start, string partnershipId = P) =>
        new() { PartnershipId = partnershipId, Id = id, Title = "Rencontre " + id, Start = start, End = start.AddHours(2) };

    protected static Attendance NewAttendance(string meetingId, string personId, AttendanceStatus status, int? secondsAttended = null, string partnershipId = P) =>
        new() { PartnershipId = partnershipId, MeetingId = meetingId, PersonId = personId, Status = status, SecondsAttended = secondsAttended };

    protected static FormSubmission NewSubmission(string responseId, string partnershipId = P) => new()
    {
        PartnershipId = partnershipId,
        FormId = "retro",
        ResponseId = responseId,
        Kind = FormKind.Feedback,
        SubmittedAt = new DateTimeOffset(2026, 1, 14, 9, 0, 0, Montreal),
        Answers = Answers(("q1", ["Oui"]), ("q2", ["A", "B"])),
    };

    protected static Dictionary<string, IReadOnlyList<string>> Answers(params (string Key, string[] Values)[] answers) =>
        answers.ToDictionary(a => a.Key, a => (IReadOnlyList<string>)a.Values, StringComparer.Ordinal);

    protected async Task SeedPartnershipAsync(string id = P) => await Store.UpsertPartnershipAsync(NewPartnership(id));

    protected async Task SeedRosterAsync()
    {
        await SeedPartnershipAsync();
        await Store.UpsertOrganizationsAsync(P, [NewOrganization("cdc"), NewOrganization("ville")]);
        await Store.UpsertPeopleAsync(P, [NewPerson("marie", "Marie Tremblay", "marie@example.org"), NewPerson("paul", "Paul Roy", "paul.roy@example.org")]);
    }

    protected async Task SeedWithMeetingsAsync()
    {
        await SeedRosterAsync();
        await Store.UpsertMeetingsAsync(P, [NewMeeting("m1", Jan13), NewMeeting("m2", Feb10), NewMeeting("m3", Mar10)]);
    }

    private static FormDefinition DiagnosticForm() => new()
    {
        Id = "cacis-2026",
        PartnershipId = P,
        Kind = FormKind.Diagnostic,
        Title = "Autodiagnostic CACIS",
        Diagnostic = new DiagnosticMapping
        {
            Items = Enumerable.Range(1, 18).ToDictionary(i => $"r{i:00}abc", i => i, StringComparer.Ordinal),
            AnswerLabels = new Dictionary<string, DiagnosticAnswer>(StringComparer.Ordinal)
            {
                ["tout-a-fait"] = DiagnosticAnswer.A,
                ["plutot"] = DiagnosticAnswer.B,
                ["pas-du-tout"] = DiagnosticAnswer.C,
            },
        },
    };

    private static (int, int, int) ListCounts(MeetingSummary summary) => (summary.Present, summary.Absent, summary.Excused);

    private static void AssertSameSubmission(FormSubmission expected, FormSubmission actual)
    {
        Assert.Equal(
            (expected.PartnershipId, expected.FormId, expected.ResponseId, expected.Kind, expected.RespondentPersonId, expected.RespondentEmail),
            (actual.PartnershipId, actual.FormId, actual.ResponseId, actual.Kind, actual.RespondentPersonId, actual.RespondentEmail));
        Assert.Equal(expected.SubmittedAt, actual.SubmittedAt);
        Assert.Equal(expected.SubmittedAt.Offset, actual.SubmittedAt.Offset);
        Assert.Equal(expected.Answers.Keys.Order(StringComparer.Ordinal), actual.Answers.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, values) in expected.Answers)
        {
            Assert.Equal(values, actual.Answers[key]);
        }

        if (expected.DiagnosticItems is null)
        {
            Assert.Null(actual.DiagnosticItems);
        }
        else
        {
            Assert.NotNull(actual.DiagnosticItems);
            Assert.Equal(expected.DiagnosticItems.OrderBy(i => i.Key), actual.DiagnosticItems.OrderBy(i => i.Key));
        }
    }
}
