using Azure.Data.Tables;
using Engagement.Core.Domain;
using Engagement.Core.Storage;
using Engagement.Storage.Tables.Rows;
using static Engagement.Storage.StoredValues;

namespace Engagement.Storage.Tables;

/// <summary>Risk snapshots, in their partnership's partition.</summary>
public sealed class TableRiskStore(TableStorage storage) : IRiskStore
{
    public Task<WriteCounts> UpsertRiskSnapshotsAsync(string partnershipId, IReadOnlyList<RiskSnapshot> snapshots, CancellationToken cancellationToken = default) =>
        storage.UpsertKindAsync(partnershipId, RiskSnapshotRow.Prefix, snapshots.Select(s => RiskSnapshotRow.From(Same(partnershipId, s.PartnershipId), s)), null, cancellationToken);

    public async Task<IReadOnlyList<RiskSnapshot>> ListRiskSnapshotsAsync(string partnershipId, DateOnly from, DateOnly to, CancellationToken cancellationToken = default)
    {
        await storage.EnsureTablesAsync(cancellationToken);
        var lower = TableKeys.Compose(RiskSnapshotRow.Prefix, RiskSnapshotRow.Day(from)) + "|";
        var upper = TableKeys.Compose(RiskSnapshotRow.Prefix, RiskSnapshotRow.Day(to)) + "}";
        var list = new List<RiskSnapshot>();
        await foreach (var row in storage.Data.QueryAsync<RiskSnapshotRow>(TableClient.CreateQueryFilter($"PartitionKey eq {partnershipId} and RowKey ge {lower} and RowKey lt {upper}"), cancellationToken: cancellationToken))
        {
            list.Add(row.ToSnapshot());
        }

        return [.. list.OrderBy(s => s.AsOfDate).ThenBy(s => s.OrganizationId ?? string.Empty, StringComparer.Ordinal)];
    }
}
