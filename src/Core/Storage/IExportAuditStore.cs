using Engagement.Core.Domain;

namespace Engagement.Core.Storage;

/// <summary>The audit log of exports (Quebec's Law 25: who took which data, when).</summary>
public interface IExportAuditStore
{
    /// <summary>Records an export request in the audit log.</summary>
    Task RecordExportAsync(ExportAudit audit, CancellationToken cancellationToken = default);

    /// <summary>Export requests since a time, newest first.</summary>
    Task<IReadOnlyList<ExportAudit>> ListExportsAsync(DateTimeOffset since, CancellationToken cancellationToken = default);
}
