using Azure.Data.Tables;
using Engagement.Core.Domain;
using Engagement.Storage.Tables.Rows;
using static Engagement.Storage.StoredValues;

namespace Engagement.Storage.Tables;

/// <summary>Risk snapshots, models and their retraining, and the export audit.</summary>
public sealed partial class TableEngagementStore
{
    public Task<WriteCounts> UpsertRiskSnapshotsAsync(string partnershipId, IReadOnlyList<RiskSnapshot> snapshots, CancellationToken cancellationToken = default) =>
        UpsertKindAsync(partnershipId, RiskSnapshotRow.Prefix, snapshots.Select(s => RiskSnapshotRow.From(Same(partnershipId, s.PartnershipId), s)), null, cancellationToken);

    public async Task<IReadOnlyList<RiskSnapshot>> ListRiskSnapshotsAsync(string partnershipId, DateOnly from, DateOnly to, CancellationToken cancellationToken = default)
    {
        await EnsureTablesAsync(cancellationToken);
        var lower = TableKeys.Compose(RiskSnapshotRow.Prefix, RiskSnapshotRow.Day(from)) + "|";
        var upper = TableKeys.Compose(RiskSnapshotRow.Prefix, RiskSnapshotRow.Day(to)) + "}";
        var list = new List<RiskSnapshot>();
        await foreach (var row in _data.QueryAsync<RiskSnapshotRow>(TableClient.CreateQueryFilter($"PartitionKey eq {partnershipId} and RowKey ge {lower} and RowKey lt {upper}"), cancellationToken: cancellationToken))
        {
            list.Add(row.ToSnapshot());
        }

        return [.. list.OrderBy(s => s.AsOfDate).ThenBy(s => s.OrganizationId ?? string.Empty, StringComparer.Ordinal)];
    }

    public async Task<WriteOutcome> SaveModelAsync(StoredModel model, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Outcome(await UpsertAsync(_models, ModelRow.Partition, [ModelRow.From(model)], null, null, cancellationToken));
    }

    public async Task<StoredModel?> GetModelAsync(string version, CancellationToken cancellationToken = default)
    {
        await EnsureTablesAsync(cancellationToken);
        return (await _models.GetAsync<ModelRow>(ModelRow.Partition, version, cancellationToken))?.ToModel();
    }

    public async Task SetChampionAsync(string version, CancellationToken cancellationToken = default)
    {
        if (await GetModelAsync(version, cancellationToken) is null)
        {
            throw new ArgumentException($"Model '{version}' is not stored.", nameof(version));
        }

        await _models.UpsertAsync(new ChampionRow { PartitionKey = ChampionRow.Partition, RowKey = ChampionRow.Current, Version = version, UpdatedAt = _time.GetUtcNow() }, cancellationToken);
    }

    public async Task<StoredModel?> GetChampionAsync(CancellationToken cancellationToken = default)
    {
        await EnsureTablesAsync(cancellationToken);
        return await _models.GetAsync<ChampionRow>(ChampionRow.Partition, ChampionRow.Current, cancellationToken) is { Version: { } version }
            ? await GetModelAsync(version, cancellationToken)
            : null;
    }

    public async Task SaveRetrainingAsync(RetrainingRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        await UpsertAsync(_models, RetrainingRow.Partition, [RetrainingRow.From(record)], null, null, cancellationToken);
    }

    public async Task<IReadOnlyList<RetrainingRecord>> ListRetrainingsAsync(CancellationToken cancellationToken = default)
    {
        await EnsureTablesAsync(cancellationToken);
        var list = new List<RetrainingRecord>();
        await foreach (var row in _models.QueryAsync<RetrainingRow>(TableClient.CreateQueryFilter($"PartitionKey eq {RetrainingRow.Partition}"), cancellationToken: cancellationToken))
        {
            list.Add(row.ToRecord());
        }

        return list;
    }

    public async Task RecordExportAsync(ExportAudit audit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(audit);
        await EnsureTablesAsync(cancellationToken);
        await _models.AddAsync(ExportAuditRow.From(audit), cancellationToken);
    }

    public async Task<IReadOnlyList<ExportAudit>> ListExportsAsync(DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        await EnsureTablesAsync(cancellationToken);
        var list = new List<ExportAudit>();
        await foreach (var row in _models.QueryAsync<ExportAuditRow>(TableClient.CreateQueryFilter($"PartitionKey eq {ExportAuditRow.Partition} and AtUtc ge {since}"), cancellationToken: cancellationToken))
        {
            list.Add(row.ToAudit());
        }

        return list;
    }
}
