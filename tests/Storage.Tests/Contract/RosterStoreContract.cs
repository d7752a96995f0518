using Engagement.Core.Domain;
using Engagement.Core.Storage;

namespace Engagement.Storage.Tests.Contract;

/// <summary>The behaviour every <see cref="IRosterStore"/> must have.</summary>
public abstract class RosterStoreContract(IStoreBackend backend) : StoreContract(backend)
{
    [Fact]
    public async Task UpsertOrganizationsAsync_SameChangedAndNew_CountsEach()
    {
        await SeedPartnershipAsync();
        Assert.Equal(new WriteCounts(2, 0, 0), await Stores.Roster.UpsertOrganizationsAsync(P, [NewOrganization("cdc"), NewOrganization("ville")]));

        var counts = await Stores.Roster.UpsertOrganizationsAsync(P,
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
        await Stores.Roster.UpsertOrganizationsAsync(P, organizations);

        var roster = await Stores.Roster.GetRosterAsync(P);

        Assert.Equal(organizations.OrderBy(o => o.Id, StringComparer.Ordinal), roster.Organizations);
    }

    [Fact]
    public async Task UpsertPeopleAsync_SameChangedAndNew_CountsEach()
    {
        await SeedPartnershipAsync();
        await Stores.Roster.UpsertPeopleAsync(P, [NewPerson("marie", "Marie", "marie@example.org"), NewPerson("paul", "Paul")]);

        var counts = await Stores.Roster.UpsertPeopleAsync(P,
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
        await Stores.Roster.UpsertPeopleAsync(P, people);

        var roster = await Stores.Roster.GetRosterAsync(P);

        Assert.Equal(people.OrderBy(p => p.Id, StringComparer.Ordinal), roster.People);
        Assert.All(roster.People, p => Assert.Null(p.ErasedAt));
    }

    [Fact]
    public async Task UpsertPeopleAsync_NameRemoved_StoresNull()
    {
        await SeedPartnershipAsync();
        await Stores.Roster.UpsertPeopleAsync(P, [NewPerson("marie", "Marie", "marie@example.org")]);

        Assert.Equal(new WriteCounts(0, 1, 0), await Stores.Roster.UpsertPeopleAsync(P, [NewPerson("marie", null, "marie@example.org")]));

        var person = Assert.Single((await Stores.Roster.GetRosterAsync(P)).People);
        Assert.Null(person.DisplayName);
        Assert.Null(person.ErasedAt);
    }

    [Fact]
    public async Task UpsertRepresentationsAsync_SameChangedAndNew_CountsEach()
    {
        await SeedRosterAsync();
        await Stores.Roster.UpsertRepresentationsAsync(P, [NewRepresentation("r1", "cdc", "marie"), NewRepresentation("r2", "ville", "paul")]);

        var counts = await Stores.Roster.UpsertRepresentationsAsync(P,
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
        await Stores.Roster.UpsertRepresentationsAsync(P, representations);

        var roster = await Stores.Roster.GetRosterAsync(P);

        Assert.Equal(["c", "b", "d", "a"], roster.Representations.Select(r => r.Id));
        Assert.Equal(representations.OrderBy(r => r.From).ThenBy(r => r.Id, StringComparer.Ordinal), roster.Representations);
    }

    [Fact]
    public async Task GetKeysAsync_PopulatedPartnership_ReturnsEveryKindOfId()
    {
        await SeedRosterAsync();
        await Stores.Roster.UpsertPeopleAsync(P, [NewPerson("sans-courriel", "Lea")]);
        await Stores.Attendance.UpsertMeetingsAsync(P, [NewMeeting("m1", Jan13), NewMeeting("m2", Feb10)]);
        await Stores.Roster.UpsertRepresentationsAsync(P, [NewRepresentation("r1", "cdc", "marie")]);

        var keys = await Stores.Roster.GetKeysAsync(P);

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

        var keys = await Stores.Roster.GetKeysAsync("ailleurs");

        Assert.Empty(keys.OrganizationIds);
        Assert.Empty(keys.PersonIds);
        Assert.Empty(keys.PersonIdsByEmail);
        Assert.Empty(keys.MeetingIds);
        Assert.Empty(keys.RepresentationIds);
    }
}
