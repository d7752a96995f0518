using Azure.Data.Tables;
using Engagement.Core.Domain;
using Engagement.Core.Storage;
using Engagement.Storage.Tables.Rows;

namespace Engagement.Storage.Tables;

/// <summary>The export audit log in the <c>{prefix}Models</c> table.</summary>
public sealed class TableExportAuditStore(TableStorage storage) : IExportAuditStore
{
    public async Task RecordExportAsync(ExportAudit audit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(audit);
        await storage.EnsureTablesAsync(cancellationToken);
        await storage.Models.AddAsync(ExportAuditRow.From(audit), cancellationToken);
    }

    public async Task<IReadOnlyList<ExportAudit>> ListExportsAsync(DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        await storage.EnsureTablesAsync(cancellationToken);
        var list = new List<ExportAudit>();
        await foreach (var row in storage.Models.QueryAsync<ExportAuditRow>(TableClient.CreateQueryFilter($"PartitionKey eq {ExportAuditRow.Partition} and AtUtc ge {since}"), cancellationToken: cancellationToken))
        {
            list.Add(row.ToAudit());
        }

        return list;
    }
}
