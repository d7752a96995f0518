using Azure.Data.Tables;
using Engagement.Core.Domain;
using Engagement.Core.Storage;
using Engagement.Storage.Tables.Rows;
using static Engagement.Storage.StoredValues;

namespace Engagement.Storage.Tables;

/// <summary>Partnerships in the <c>{prefix}Partnerships</c> table.</summary>
public sealed class TablePartnershipStore(TableStorage storage) : IPartnershipStore
{
    public async Task<WriteOutcome> UpsertPartnershipAsync(Partnership partnership, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(partnership);
        return Outcome(await storage.UpsertAsync(storage.Partnerships, PartnershipRow.Partition, [PartnershipRow.From(partnership)], null, null, cancellationToken));
    }

    public async Task<Partnership?> GetPartnershipAsync(string partnershipId, CancellationToken cancellationToken = default)
    {
        await storage.EnsureTablesAsync(cancellationToken);
        return (await storage.Partnerships.GetAsync<PartnershipRow>(PartnershipRow.Partition, partnershipId, cancellationToken))?.ToPartnership();
    }

    public async Task<IReadOnlyList<Partnership>> ListPartnershipsAsync(CancellationToken cancellationToken = default)
    {
        await storage.EnsureTablesAsync(cancellationToken);
        var list = new List<Partnership>();
        await foreach (var row in storage.Partnerships.QueryAsync<PartnershipRow>(TableClient.CreateQueryFilter($"PartitionKey eq {PartnershipRow.Partition}"), cancellationToken: cancellationToken))
        {
            list.Add(row.ToPartnership());
        }

        return [.. list.OrderBy(p => p.Id, StringComparer.Ordinal)];
    }
}
