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
        var list = new List<RiskSnapshot>();
        await foreach (var row in QueryAsync(partnershipId, from, to, null, null, cancellationToken))
        {
            list.Add(row.ToSnapshot());
        }

        return [.. list.OrderBy(s => s.AsOfDate).ThenBy(s => s.OrganizationId ?? string.Empty, StringComparer.Ordinal)];
    }

    public async Task<IReadOnlyList<RiskSnapshot>> ListOrganizationSnapshotsAsync(string partnershipId, string organizationId, DateOnly from, DateOnly to, CancellationToken cancellationToken = default)
    {
        var list = new List<RiskSnapshot>();
        await foreach (var row in QueryAsync(partnershipId, from, to, organizationId, null, cancellationToken))
        {
            list.Add(row.ToSnapshot());
        }

        return [.. list.OrderBy(s => s.AsOfDate)];
    }

    public async Task<IReadOnlyList<RiskPoint>> ListRiskPointsAsync(string partnershipId, DateOnly from, DateOnly to, CancellationToken cancellationToken = default)
    {
        // Only the properties a chart draws travel: not the reasons and features, most of a snapshot's weight.
        string[] select = [nameof(RiskSnapshotRow.OrganizationId), nameof(RiskSnapshotRow.AsOfDate), nameof(RiskSnapshotRow.ScoredAt), nameof(RiskSnapshotRow.Probability), nameof(RiskSnapshotRow.Band)];
        var list = new List<RiskPoint>();
        await foreach (var row in QueryAsync(partnershipId, from, to, null, select, cancellationToken))
        {
            list.Add(new RiskPoint(row.OrganizationId, ParseDate(row.AsOfDate!), ParseInstant(row.ScoredAt!), row.Probability, row.Band!));
        }

        return [.. list.OrderBy(p => p.AsOfDate).ThenBy(p => p.OrganizationId ?? string.Empty, StringComparer.Ordinal)];
    }

    /// <summary>The partition's snapshot rows of the days from <paramref name="from"/> to <paramref name="to"/>, of one organisation if named.</summary>
    private async IAsyncEnumerable<RiskSnapshotRow> QueryAsync(string partnershipId, DateOnly from, DateOnly to, string? organizationId, IEnumerable<string>? select, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await storage.EnsureTablesAsync(cancellationToken);
        var lower = TableKeys.Compose(RiskSnapshotRow.Prefix, RiskSnapshotRow.Day(from)) + "|";
        var upper = TableKeys.Compose(RiskSnapshotRow.Prefix, RiskSnapshotRow.Day(to)) + "}";
        var filter = organizationId is null
            ? TableClient.CreateQueryFilter($"PartitionKey eq {partnershipId} and RowKey ge {lower} and RowKey lt {upper}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {partnershipId} and RowKey ge {lower} and RowKey lt {upper} and OrganizationId eq {organizationId}");
        await foreach (var row in storage.Data.QueryAsync<RiskSnapshotRow>(filter, select: select, cancellationToken: cancellationToken))
        {
            yield return row;
        }
    }
}
