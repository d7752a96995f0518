using Engagement.Core.Domain;
using Engagement.Core.Storage;

namespace Engagement.Storage.Tests.Contract;

/// <summary>The behaviour every <see cref="IRiskStore"/> must have.</summary>
public abstract class RiskStoreContract(IStoreBackend backend) : StoreContract(backend)
{
    [Fact]
    public async Task UpsertRiskSnapshotsAsync_SameDayAgain_ReplacesAndCounts()
    {
        await SeedPartnershipAsync();
        var day = new DateOnly(2026, 11, 2);
        Assert.Equal(new WriteCounts(2, 0, 0), await Stores.Risk.UpsertRiskSnapshotsAsync(P, [NewSnapshot(day, null, 0.3), NewSnapshot(day, "cdc", 0.7)]));
        Assert.Equal(new WriteCounts(0, 1, 1), await Stores.Risk.UpsertRiskSnapshotsAsync(P, [NewSnapshot(day, null, 0.3), NewSnapshot(day, "cdc", 0.8)]));

        var stored = await Stores.Risk.ListRiskSnapshotsAsync(P, day, day);

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
        await Stores.Risk.UpsertRiskSnapshotsAsync(P, [.. days.Select(d => NewSnapshot(d, null, 0.1 * d.Day % 1))]);

        var middle = await Stores.Risk.ListRiskSnapshotsAsync(P, days[1], days[3]);

        Assert.Equal(days[1..4], middle.Select(s => s.AsOfDate));
        Assert.Empty(await Stores.Risk.ListRiskSnapshotsAsync("elsewhere", days[0], days[4]));
    }

    [Fact]
    public async Task ListRiskPointsAsync_ReadsTheScoresOfTheRange_WithoutReasons_InTheSnapshotsOrder()
    {
        await SeedPartnershipAsync();
        var days = Enumerable.Range(0, 4).Select(i => new DateOnly(2026, 10, 28).AddDays(i)).ToList();
        await Stores.Risk.UpsertRiskSnapshotsAsync(P, [.. days.SelectMany(d => new[] { NewSnapshot(d, "ville", 0.2), NewSnapshot(d, null, 0.3), NewSnapshot(d, "cdc", 0.1 * d.Day % 1) })]);

        var points = await Stores.Risk.ListRiskPointsAsync(P, days[1], days[2]);
        var snapshots = await Stores.Risk.ListRiskSnapshotsAsync(P, days[1], days[2]);

        Assert.Equal(6, points.Count);
        Assert.Equal(snapshots.Select(s => new RiskPoint(s.OrganizationId, s.AsOfDate, s.ScoredAt, s.Probability, s.Band)), points);
        Assert.Equal([null, "cdc", "ville"], points.Take(3).Select(p => p.OrganizationId));
        Assert.Empty(await Stores.Risk.ListRiskPointsAsync("elsewhere", days[0], days[3]));
    }

    [Fact]
    public async Task ListOrganizationSnapshotsAsync_ReadsOneOrganisation_ByDay()
    {
        await SeedPartnershipAsync();
        var days = Enumerable.Range(0, 4).Select(i => new DateOnly(2026, 10, 28).AddDays(i)).ToList();
        await Stores.Risk.UpsertRiskSnapshotsAsync(P, [.. days.SelectMany(d => new[] { NewSnapshot(d, "ville", 0.2), NewSnapshot(d, null, 0.3), NewSnapshot(d, "cdc", 0.5) })]);

        var cdc = await Stores.Risk.ListOrganizationSnapshotsAsync(P, "cdc", days[1], days[3]);

        Assert.Equal(days[1..4], cdc.Select(s => s.AsOfDate));
        Assert.All(cdc, s => Assert.Equal("cdc", s.OrganizationId));
        Assert.Equal("absent from 2 of the last 3 meetings", Assert.Single(cdc[0].Reasons).English);
        Assert.Empty(await Stores.Risk.ListOrganizationSnapshotsAsync(P, "nobody", days[0], days[3]));
    }
}
