using Engagement.Core.Domain;
using Engagement.Core.Storage;

namespace Engagement.Storage.Tests.Contract;

/// <summary>The behaviour every <see cref="IPartnershipStore"/> must have.</summary>
public abstract class PartnershipStoreContract(IStoreBackend backend) : StoreContract(backend)
{
    [Fact]
    public async Task UpsertPartnershipAsync_NewSameThenChanged_ReturnsCreatedUnchangedUpdated()
    {
        var partnership = NewPartnership(P) with { CoordinatorEmails = ["a@example.org"] };

        Assert.Equal(WriteOutcome.Created, await Stores.Partnerships.UpsertPartnershipAsync(partnership));
        Assert.Equal(WriteOutcome.Unchanged, await Stores.Partnerships.UpsertPartnershipAsync(partnership with { CoordinatorEmails = ["a@example.org"] }));
        Assert.Equal(WriteOutcome.Updated, await Stores.Partnerships.UpsertPartnershipAsync(partnership with { CoordinatorEmails = ["a@example.org", "b@example.org"] }));
        Assert.Equal(WriteOutcome.Updated, await Stores.Partnerships.UpsertPartnershipAsync(partnership with { Territory = "Mercier-Ouest" }));
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
            AlertEmails = true,
        };
        await Stores.Partnerships.UpsertPartnershipAsync(partnership);

        var stored = await Stores.Partnerships.GetPartnershipAsync(partnership.Id);

        Assert.NotNull(stored);
        Assert.Equal(partnership with { CoordinatorEmails = stored.CoordinatorEmails }, stored);
        Assert.Equal(partnership.CoordinatorEmails, stored.CoordinatorEmails);
    }

    [Fact]
    public async Task GetPartnershipAsync_NoTerritoryNoEmails_RoundTripsNullAndEmpty()
    {
        await Stores.Partnerships.UpsertPartnershipAsync(NewPartnership(P));

        var stored = await Stores.Partnerships.GetPartnershipAsync(P);

        Assert.NotNull(stored);
        Assert.Null(stored.Territory);
        Assert.Empty(stored.CoordinatorEmails);
        Assert.Equal(PartnershipLanguage.French, stored.Language);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task GetPartnershipAsync_AlertEmails_RoundTrips(bool alertEmails)
    {
        await Stores.Partnerships.UpsertPartnershipAsync(NewPartnership(P) with { AlertEmails = alertEmails });

        Assert.Equal(alertEmails, (await Stores.Partnerships.GetPartnershipAsync(P))!.AlertEmails);
        Assert.Equal(alertEmails, Assert.Single(await Stores.Partnerships.ListPartnershipsAsync()).AlertEmails);
    }

    [Fact]
    public async Task UpsertPartnershipAsync_AlertEmailsSwitched_IsAnUpdate()
    {
        var quiet = NewPartnership(P) with { AlertEmails = false };
        await Stores.Partnerships.UpsertPartnershipAsync(quiet);

        Assert.Equal(WriteOutcome.Updated, await Stores.Partnerships.UpsertPartnershipAsync(quiet with { AlertEmails = true }));
        Assert.Equal(WriteOutcome.Unchanged, await Stores.Partnerships.UpsertPartnershipAsync(quiet with { AlertEmails = true }));
        Assert.Equal(WriteOutcome.Updated, await Stores.Partnerships.UpsertPartnershipAsync(quiet));
        Assert.False((await Stores.Partnerships.GetPartnershipAsync(P))!.AlertEmails);
    }

    [Fact]
    public async Task GetPartnershipAsync_StoredBeforeTheAlertEmailsSetting_ReadsEmailsOn()
    {
        // Their coordinators were e-mailed before the setting existed, and rely on it.
        await Backend.WriteLegacyPartnershipAsync(P, "Table d’avant");

        var stored = await Stores.Partnerships.GetPartnershipAsync(P);

        Assert.Equal(("Table d’avant", true), (stored!.Name, stored.AlertEmails));
        Assert.True(Assert.Single(await Stores.Partnerships.ListPartnershipsAsync()).AlertEmails);
        Assert.Equal(WriteOutcome.Updated, await Stores.Partnerships.UpsertPartnershipAsync(stored with { AlertEmails = false }));
        Assert.False((await Stores.Partnerships.GetPartnershipAsync(P))!.AlertEmails);
    }

    [Fact]
    public async Task GetPartnershipAsync_Unknown_ReturnsNull()
    {
        await Stores.Partnerships.UpsertPartnershipAsync(NewPartnership(P));

        Assert.Null(await Stores.Partnerships.GetPartnershipAsync("ailleurs"));
    }

    [Fact]
    public async Task ListPartnershipsAsync_SeveralPartnerships_OrderedById()
    {
        foreach (var id in new[] { "c-table", "a-table", "b-table" })
        {
            await Stores.Partnerships.UpsertPartnershipAsync(NewPartnership(id));
        }

        Assert.Equal(["a-table", "b-table", "c-table"], (await Stores.Partnerships.ListPartnershipsAsync()).Select(p => p.Id));
    }
}
