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
