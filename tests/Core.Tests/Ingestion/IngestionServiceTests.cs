using Engagement.Core.Domain;
using Engagement.Core.Ingestion;
using Engagement.Core.Validation;

namespace Engagement.Core.Tests.Ingestion;

public sealed class IngestionServiceTests : IDisposable
{
    private const string P = "table-hochelaga";
    private readonly TempSqliteStore _db = new();
    private readonly IngestionService _service;

    public IngestionServiceTests() => _service = _db.Ingestion();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task UpsertPartnershipAsync_ValidInput_StoresNormalisedValues()
    {
        var outcome = await _service.UpsertPartnershipAsync(P, new PartnershipInput
        {
            Name = " Table de quartier Hochelaga ",
            Language = "English",
            CoordinatorEmails = ["Coord@Example.org", "coord@example.org", "autre@example.org"],
        });

        Assert.Equal(WriteOutcome.Created, outcome);
        var stored = await _db.Store.Partnerships.GetPartnershipAsync(P);
        Assert.NotNull(stored);
        Assert.Equal("Table de quartier Hochelaga", stored.Name);
        Assert.Equal(PartnershipLanguage.English, stored.Language);
        Assert.Equal(["coord@example.org", "autre@example.org"], stored.CoordinatorEmails);
    }

    [Fact]
    public async Task UpsertPartnershipAsync_NewWithoutAlertEmails_StartsQuiet()
    {
        await _service.UpsertPartnershipAsync(P, new PartnershipInput { Name = "Table", CoordinatorEmails = ["coord@example.org"] });

        Assert.False((await _db.Store.Partnerships.GetPartnershipAsync(P))!.AlertEmails);
    }

    [Fact]
    public async Task UpsertPartnershipAsync_ExistingWithoutAlertEmails_KeepsTheStoredSetting()
    {
        await _service.UpsertPartnershipAsync(P, new PartnershipInput { Name = "Table", AlertEmails = true });

        var renamed = await _service.UpsertPartnershipAsync(P, new PartnershipInput { Name = "Table de quartier" });

        Assert.Equal(WriteOutcome.Updated, renamed);
        var stored = await _db.Store.Partnerships.GetPartnershipAsync(P);
        Assert.Equal(("Table de quartier", true), (stored!.Name, stored.AlertEmails));
        Assert.Equal(WriteOutcome.Updated, await _service.UpsertPartnershipAsync(P, new PartnershipInput { Name = "Table de quartier", AlertEmails = false }));
        Assert.Equal(WriteOutcome.Unchanged, await _service.UpsertPartnershipAsync(P, new PartnershipInput { Name = "Table de quartier" }));
        Assert.False((await _db.Store.Partnerships.GetPartnershipAsync(P))!.AlertEmails);
    }

    [Fact]
    public async Task UpsertPartnershipAsync_MissingNameAndBadEmail_ReportsEveryField()
    {
        var ex = await Assert.ThrowsAsync<ValidationFailedException>(() => _service.UpsertPartnershipAsync(P, new PartnershipInput
        {
            CoordinatorEmails = ["Coord <coord@example.org>", " "],
        }));

        Assert.True(ex.Errors.Contains("name"));
        Assert.True(ex.Errors.Contains("coordinatorEmails[0]"));
        Assert.True(ex.Errors.Contains("coordinatorEmails[1]"));
        Assert.Null(await _db.Store.Partnerships.GetPartnershipAsync(P));
    }

    [Fact]
    public async Task UpsertMeetingsAsync_ThirdOfThreeInvalid_StoresNothing()
    {
        await SeedPartnershipAsync();

        var ex = await Assert.ThrowsAsync<ValidationFailedException>(() => _service.UpsertMeetingsAsync(P,
        [
            Meeting("m1", "2026-01-13T19:00:00-05:00"),
            Meeting("m2", "2026-02-10T19:00:00-05:00"),
            Meeting("m3", "2026-03-10T19:00:00", "2026-03-10T21:00:00-04:00"),
        ]));

        Assert.Equal(["[2].start"], ex.Errors.ToDictionary().Keys);
        Assert.Empty(await _db.Store.Attendance.ListMeetingsAsync(P));
    }

    [Fact]
    public async Task UpsertMeetingsAsync_DuplicateIdInBatch_NamesTheSecondIndex()
    {
        await SeedPartnershipAsync();

        var ex = await Assert.ThrowsAsync<ValidationFailedException>(() => _service.UpsertMeetingsAsync(P,
        [
            Meeting("m1", "2026-01-13T19:00:00-05:00"),
            Meeting("m2", "2026-02-10T19:00:00-05:00"),
            Meeting("m1", "2026-03-10T19:00:00-04:00"),
        ]));

        Assert.Equal(["[2].id"], ex.Errors.ToDictionary().Keys);
        Assert.Contains("index 0", ex.Errors.ToDictionary()["[2].id"][0], StringComparison.Ordinal);
        Assert.Empty(await _db.Store.Attendance.ListMeetingsAsync(P));
    }

    [Fact]
    public async Task UpsertMeetingsAsync_EndNotAfterStartOrLongerThanADay_IsRefused()
    {
        await SeedPartnershipAsync();

        var ex = await Assert.ThrowsAsync<ValidationFailedException>(() => _service.UpsertMeetingsAsync(P,
        [
            new MeetingInput { Id = "m1", Start = "2026-01-13T19:00:00-05:00", End = "2026-01-13T19:00:00-05:00" },
            new MeetingInput { Id = "m2", Start = "2026-01-13T19:00:00-05:00", End = "2026-01-14T19:00:01-05:00" },
            new MeetingInput { Id = "m3", Start = "2026-01-13T19:00:00-05:00", End = "2026-01-13T21:00:00-05:00", TeamsJoinUrl = "http://teams.example.org/x" },
        ]));

        Assert.True(ex.Errors.Contains("[0].end"));
        Assert.True(ex.Errors.Contains("[1].end"));
        Assert.True(ex.Errors.Contains("[2].teamsJoinUrl"));
    }

    [Fact]
    public async Task UpsertMeetingsAsync_JoinUrlWithoutSource_DefaultsToTeams()
    {
        await SeedPartnershipAsync();

        await _service.UpsertMeetingsAsync(P,
        [
            new MeetingInput { Id = "m1", Start = "2026-01-13T19:00:00-05:00", End = "2026-01-13T21:00:00-05:00", TeamsJoinUrl = "https://teams.microsoft.com/l/meetup-join/x" },
        ]);

        var meeting = await _db.Store.Attendance.GetMeetingAsync(P, "m1");
        Assert.Equal(MeetingSource.Teams, meeting!.Source);
    }

    [Fact]
    public async Task UpsertMeetingsAsync_UnknownPartnership_ThrowsNotFound()
    {
        var ex = await Assert.ThrowsAsync<NotFoundException>(() => _service.UpsertMeetingsAsync("nowhere", [Meeting("m1", "2026-01-13T19:00:00-05:00")]));
        Assert.Equal("partnershipId", ex.Field);
    }

    [Fact]
    public async Task UpsertMeetingsAsync_MoreThanMaxBatch_ThrowsBatchTooLarge()
    {
        await SeedPartnershipAsync();
        var inputs = Enumerable.Range(0, IngestionService.MaxBatchSize + 1)
            .Select(i => Meeting($"m{i}", "2026-01-13T19:00:00-05:00"))
            .ToList();

        await Assert.ThrowsAsync<BatchTooLargeException>(() => _service.UpsertMeetingsAsync(P, inputs));
    }

    [Fact]
    public async Task UpsertAttendanceAsync_UnknownMeetingAndPerson_NamesTheRecordFields()
    {
        await SeedWithMeetingsAsync();

        var ex = await Assert.ThrowsAsync<ValidationFailedException>(() => _service.UpsertAttendanceAsync(new AttendanceBatchInput
        {
            PartnershipId = P,
            Records =
            [
                new AttendanceInput { MeetingId = "m1", PersonId = "marie", Status = "present" },
                new AttendanceInput { MeetingId = "m9", PersonId = "marie", Status = "present" },
                new AttendanceInput { MeetingId = "m1", PersonId = "ghost", Status = "absent" },
            ],
        }));

        Assert.Equal(["records[1].meetingId", "records[2].personId"], ex.Errors.ToDictionary().Keys.Order(StringComparer.Ordinal));
        Assert.Empty(await _db.Store.Attendance.GetAttendanceAsync(P, "m1"));
    }

    [Fact]
    public async Task UpsertAttendanceAsync_SameMeetingAndPersonTwice_NamesTheSecondRecord()
    {
        await SeedWithMeetingsAsync();

        var ex = await Assert.ThrowsAsync<ValidationFailedException>(() => _service.UpsertAttendanceAsync(new AttendanceBatchInput
        {
            PartnershipId = P,
            Records =
            [
                new AttendanceInput { MeetingId = "m1", PersonId = "marie", Status = "present" },
                new AttendanceInput { MeetingId = "m1", PersonId = "marie", Status = "absent" },
            ],
        }));

        Assert.Equal(["records[1].personId"], ex.Errors.ToDictionary().Keys);
    }

    [Fact]
    public async Task UpsertAttendanceAsync_BadStatusSecondsAndForeignPartnership_ReportsEachField()
    {
        await SeedWithMeetingsAsync();

        var ex = await Assert.ThrowsAsync<ValidationFailedException>(() => _service.UpsertAttendanceAsync(new AttendanceBatchInput
        {
            PartnershipId = P,
            Records =
            [
                new AttendanceInput { MeetingId = "m1", PersonId = "marie", Status = "peut-être" },
                new AttendanceInput { MeetingId = "m1", PersonId = "paul", Status = "present", SecondsAttended = -1 },
                new AttendanceInput { PartnershipId = "other", MeetingId = "m2", PersonId = "paul", Status = "present" },
                null,
            ],
        }));

        Assert.True(ex.Errors.Contains("records[0].status"));
        Assert.True(ex.Errors.Contains("records[1].secondsAttended"));
        Assert.True(ex.Errors.Contains("records[2].partnershipId"));
        Assert.True(ex.Errors.Contains("records[3]"));
    }

    [Fact]
    public async Task UpsertAttendanceAsync_UnknownPartnership_NamesPartnershipId()
    {
        var ex = await Assert.ThrowsAsync<ValidationFailedException>(() => _service.UpsertAttendanceAsync(new AttendanceBatchInput
        {
            PartnershipId = "nowhere",
            Records = [new AttendanceInput { MeetingId = "m1", PersonId = "marie", Status = "present" }],
        }));

        Assert.True(ex.Errors.Contains("partnershipId"));
    }

    [Fact]
    public async Task UpsertAttendanceAsync_SameBatchTwice_SecondCallIsAllUnchanged()
    {
        await SeedWithMeetingsAsync();
        var batch = new AttendanceBatchInput
        {
            PartnershipId = P,
            Records =
            [
                new AttendanceInput { MeetingId = "m1", PersonId = "marie", Status = "présente" },
                new AttendanceInput { MeetingId = "m1", PersonId = "paul", Status = "Excusé" },
                new AttendanceInput { MeetingId = "m2", PersonId = "marie", Status = "absent", SecondsAttended = 0 },
            ],
        };

        Assert.Equal(new WriteCounts(3, 0, 0), await _service.UpsertAttendanceAsync(batch));
        Assert.Equal(new WriteCounts(0, 0, 3), await _service.UpsertAttendanceAsync(batch));
    }

    [Fact]
    public async Task UpsertAttendanceAsync_ChangedStatus_CountsUpdated()
    {
        await SeedWithMeetingsAsync();
        await _service.UpsertAttendanceAsync(new AttendanceBatchInput
        {
            PartnershipId = P,
            Records =
            [
                new AttendanceInput { MeetingId = "m1", PersonId = "marie", Status = "absent" },
                new AttendanceInput { MeetingId = "m1", PersonId = "paul", Status = "present" },
            ],
        });

        var counts = await _service.UpsertAttendanceAsync(new AttendanceBatchInput
        {
            PartnershipId = P,
            Records =
            [
                new AttendanceInput { MeetingId = "m1", PersonId = "marie", Status = "excused" },
                new AttendanceInput { MeetingId = "m1", PersonId = "paul", Status = "present" },
            ],
        });

        Assert.Equal(new WriteCounts(0, 1, 1), counts);
        var stored = await _db.Store.Attendance.GetAttendanceAsync(P, "m1");
        Assert.Equal(AttendanceStatus.Excused, stored.Single(a => a.PersonId == "marie").Status);
    }

    [Fact]
    public async Task UpsertAttendanceAsync_ParsedCsv_IsStored()
    {
        await SeedWithMeetingsAsync();
        var batch = AttendanceCsv.Parse("rencontre;personne;statut\nm1;marie;Présente\nm1;paul;Absent\n", P);

        var counts = await _service.UpsertAttendanceAsync(batch);

        Assert.Equal(new WriteCounts(2, 0, 0), counts);
    }

    [Fact]
    public async Task UpsertPeopleAsync_EmailOwnedByAnotherPerson_IsRejected()
    {
        await SeedPartnershipAsync();
        await _service.UpsertPeopleAsync(P, [new PersonInput { Id = "marie", DisplayName = "Marie", Email = "marie@example.org" }]);

        var ex = await Assert.ThrowsAsync<ValidationFailedException>(() =>
            _service.UpsertPeopleAsync(P, [new PersonInput { Id = "imposteur", DisplayName = "Autre", Email = "MARIE@example.org" }]));

        Assert.True(ex.Errors.Contains("[0].email"));
        Assert.Contains("marie", ex.Errors.ToDictionary()["[0].email"][0], StringComparison.Ordinal);
        Assert.DoesNotContain("imposteur", (await _db.Store.Roster.GetKeysAsync(P)).PersonIds);
    }

    [Fact]
    public async Task UpsertPeopleAsync_SameEmailTwiceInBatch_NamesTheSecond()
    {
        await SeedPartnershipAsync();

        var ex = await Assert.ThrowsAsync<ValidationFailedException>(() => _service.UpsertPeopleAsync(P,
        [
            new PersonInput { Id = "a", Email = "x@example.org" },
            new PersonInput { Id = "b", Email = "X@example.org" },
        ]));

        Assert.Equal(["[1].email"], ex.Errors.ToDictionary().Keys);
    }

    [Fact]
    public async Task UpsertPeopleAsync_OwnEmailAgain_IsAccepted()
    {
        await SeedPartnershipAsync();
        await _service.UpsertPeopleAsync(P, [new PersonInput { Id = "marie", DisplayName = "Marie", Email = "marie@example.org" }]);

        var counts = await _service.UpsertPeopleAsync(P, [new PersonInput { Id = "marie", DisplayName = "Marie T.", Email = "Marie@Example.org" }]);

        Assert.Equal(new WriteCounts(0, 1, 0), counts);
    }

    [Fact]
    public async Task UpsertRepresentationsAsync_UnknownOrganizationAndPerson_NamesTheFields()
    {
        await SeedPeopleAndOrganizationsAsync();

        var ex = await Assert.ThrowsAsync<ValidationFailedException>(() => _service.UpsertRepresentationsAsync(P,
        [
            new RepresentationInput { OrganizationId = "cdc", PersonId = "marie", From = "2025-09-01" },
            new RepresentationInput { OrganizationId = "nowhere", PersonId = "marie", From = "2025-09-01" },
            new RepresentationInput { OrganizationId = "cdc", PersonId = "ghost", From = "2025-09-01" },
        ]));

        Assert.Equal(["[1].organizationId", "[2].personId"], ex.Errors.ToDictionary().Keys.Order(StringComparer.Ordinal));
        Assert.Empty((await _db.Store.Roster.GetRosterAsync(P)).Representations);
    }

    [Fact]
    public async Task UpsertRepresentationsAsync_NoId_UsesNaturalId()
    {
        await SeedPeopleAndOrganizationsAsync();

        await _service.UpsertRepresentationsAsync(P, [new RepresentationInput { OrganizationId = "cdc", PersonId = "marie", From = "2025-09-01", Role = "coordonnatrice" }]);

        var representation = Assert.Single((await _db.Store.Roster.GetRosterAsync(P)).Representations);
        Assert.Equal("cdc.marie.20250901", representation.Id);
        Assert.Equal(RepresentationRole.Coordinator, representation.Role);
        Assert.Null(representation.To);
    }

    [Fact]
    public async Task UpsertRepresentationsAsync_ToBeforeFrom_IsRefused()
    {
        await SeedPeopleAndOrganizationsAsync();

        var ex = await Assert.ThrowsAsync<ValidationFailedException>(() => _service.UpsertRepresentationsAsync(P,
            [new RepresentationInput { OrganizationId = "cdc", PersonId = "marie", From = "2025-09-01", To = "2025-08-31" }]));

        Assert.True(ex.Errors.Contains("[0].to"));
    }

    [Fact]
    public async Task EndRepresentationAsync_ToBeforeFrom_IsRejected()
    {
        var id = await SeedRepresentationAsync();

        var ex = await Assert.ThrowsAsync<ValidationFailedException>(() =>
            _service.EndRepresentationAsync(P, id, new EndRepresentationInput { To = "2025-08-31" }));

        Assert.True(ex.Errors.Contains("to"));
        Assert.Null(Assert.Single((await _db.Store.Roster.GetRosterAsync(P)).Representations).To);
    }

    [Fact]
    public async Task EndRepresentationAsync_SameDateTwice_SecondIsUnchanged()
    {
        var id = await SeedRepresentationAsync();

        var first = await _service.EndRepresentationAsync(P, id, new EndRepresentationInput { To = "2026-01-31" });
        var second = await _service.EndRepresentationAsync(P, id, new EndRepresentationInput { To = "2026-01-31" });

        Assert.Equal(WriteOutcome.Updated, first);
        Assert.Equal(WriteOutcome.Unchanged, second);
        Assert.Equal(new DateOnly(2026, 1, 31), Assert.Single((await _db.Store.Roster.GetRosterAsync(P)).Representations).To);
    }

    [Fact]
    public async Task EndRepresentationAsync_OnItsFirstDay_IsAccepted()
    {
        var id = await SeedRepresentationAsync();

        Assert.Equal(WriteOutcome.Updated, await _service.EndRepresentationAsync(P, id, new EndRepresentationInput { To = "2025-09-01" }));
    }

    [Fact]
    public async Task EndRepresentationAsync_UnknownRepresentation_ThrowsNotFound()
    {
        await SeedPartnershipAsync();

        var ex = await Assert.ThrowsAsync<NotFoundException>(() => _service.EndRepresentationAsync(P, "nope", new EndRepresentationInput { To = "2026-01-31" }));
        Assert.Equal("representationId", ex.Field);
    }

    [Fact]
    public async Task EndRepresentationAsync_MissingDate_NamesTo()
    {
        var id = await SeedRepresentationAsync();

        var ex = await Assert.ThrowsAsync<ValidationFailedException>(() => _service.EndRepresentationAsync(P, id, null));
        Assert.True(ex.Errors.Contains("to"));
    }

    [Fact]
    public async Task UpsertOrganizationsAsync_FrenchSector_IsParsedAndCounted()
    {
        await SeedPartnershipAsync();

        var created = await _service.UpsertOrganizationsAsync(P, [new OrganizationInput { Id = "ciusss", Name = "CIUSSS de l'Est", Sector = "Santé" }]);
        var again = await _service.UpsertOrganizationsAsync(P, [new OrganizationInput { Id = "ciusss", Name = "CIUSSS de l'Est", Sector = "health-social-services" }]);

        Assert.Equal(new WriteCounts(1, 0, 0), created);
        Assert.Equal(new WriteCounts(0, 0, 1), again);
    }

    [Fact]
    public async Task UpsertOrganizationsAsync_EmptyBatch_NamesBody()
    {
        await SeedPartnershipAsync();

        var ex = await Assert.ThrowsAsync<ValidationFailedException>(() => _service.UpsertOrganizationsAsync(P, []));
        Assert.True(ex.Errors.Contains("body"));
    }

    private static MeetingInput Meeting(string id, string start, string? end = null) => new()
    {
        Id = id,
        Title = "Rencontre régulière",
        Start = start,
        End = end ?? start.Replace("T19:", "T21:", StringComparison.Ordinal),
    };

    private async Task SeedPartnershipAsync() =>
        await _service.UpsertPartnershipAsync(P, new PartnershipInput { Name = "Table de quartier Hochelaga" });

    private async Task SeedPeopleAndOrganizationsAsync()
    {
        await SeedPartnershipAsync();
        await _service.UpsertOrganizationsAsync(P, [new OrganizationInput { Id = "cdc", Name = "CDC Hochelaga", Sector = "communautaire" }]);
        await _service.UpsertPeopleAsync(P,
        [
            new PersonInput { Id = "marie", DisplayName = "Marie Tremblay", Email = "marie@example.org" },
            new PersonInput { Id = "paul", DisplayName = "Paul Roy" },
        ]);
    }

    private async Task SeedWithMeetingsAsync()
    {
        await SeedPeopleAndOrganizationsAsync();
        await _service.UpsertMeetingsAsync(P,
        [
            Meeting("m1", "2026-01-13T19:00:00-05:00"),
            Meeting("m2", "2026-02-10T19:00:00-05:00"),
        ]);
    }

    private async Task<string> SeedRepresentationAsync()
    {
        await SeedPeopleAndOrganizationsAsync();
        await _service.UpsertRepresentationsAsync(P, [new RepresentationInput { Id = "r1", OrganizationId = "cdc", PersonId = "marie", From = "2025-09-01" }]);
        return "r1";
    }
}
