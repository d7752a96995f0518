using Azure.Data.Tables;
using Engagement.Core.Domain;
using Engagement.Core.Storage;
using Engagement.Storage.Tables.Rows;
using static Engagement.Storage.StoredValues;

namespace Engagement.Storage.Tables;

/// <summary>Models, the champion and retraining decisions in the <c>{prefix}Models</c> table.</summary>
public sealed class TableModelStore(TableStorage storage) : IModelStore
{
    public async Task<WriteOutcome> SaveModelAsync(StoredModel model, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Outcome(await storage.UpsertAsync(storage.Models, ModelRow.Partition, [ModelRow.From(model)], null, null, cancellationToken));
    }

    public async Task<StoredModel?> GetModelAsync(string version, CancellationToken cancellationToken = default)
    {
        await storage.EnsureTablesAsync(cancellationToken);
        return (await storage.Models.GetAsync<ModelRow>(ModelRow.Partition, version, cancellationToken))?.ToModel();
    }

    public async Task SetChampionAsync(string version, CancellationToken cancellationToken = default)
    {
        if (await GetModelAsync(version, cancellationToken) is null)
        {
            throw new ArgumentException($"Model '{version}' is not stored.", nameof(version));
        }

        await storage.Models.UpsertAsync(new ChampionRow { PartitionKey = ChampionRow.Partition, RowKey = ChampionRow.Current, Version = version, UpdatedAt = storage.Time.GetUtcNow() }, cancellationToken);
    }

    public async Task<StoredModel?> GetChampionAsync(CancellationToken cancellationToken = default)
    {
        await storage.EnsureTablesAsync(cancellationToken);
        return await storage.Models.GetAsync<ChampionRow>(ChampionRow.Partition, ChampionRow.Current, cancellationToken) is { Version: { } version }
            ? await GetModelAsync(version, cancellationToken)
            : null;
    }

    public async Task SaveRetrainingAsync(RetrainingRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        await storage.UpsertAsync(storage.Models, RetrainingRow.Partition, [RetrainingRow.From(record)], null, null, cancellationToken);
    }

    public async Task<IReadOnlyList<RetrainingRecord>> ListRetrainingsAsync(CancellationToken cancellationToken = default)
    {
        await storage.EnsureTablesAsync(cancellationToken);
        var list = new List<RetrainingRecord>();
        await foreach (var row in storage.Models.QueryAsync<RetrainingRow>(TableClient.CreateQueryFilter($"PartitionKey eq {RetrainingRow.Partition}"), cancellationToken: cancellationToken))
        {
            list.Add(row.ToRecord());
        }

        return list;
    }
}
