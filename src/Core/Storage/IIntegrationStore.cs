using Engagement.Core.Domain;

namespace Engagement.Core.Storage;

/// <summary>Microsoft 365 sources registered for a partnership, and where each sync stopped.</summary>
public interface IIntegrationStore
{
    /// <summary>Registers (or replaces the settings of) a Microsoft 365 source; its checkpoint is kept.</summary>
    Task<WriteOutcome> UpsertIntegrationAsync(IntegrationRegistration registration, CancellationToken cancellationToken = default);

    /// <summary>The sources registered for a partnership, by kind then id.</summary>
    Task<IReadOnlyList<IntegrationRegistration>> ListIntegrationsAsync(string partnershipId, CancellationToken cancellationToken = default);

    /// <summary>Removes a registration; false when there was none.</summary>
    Task<bool> DeleteIntegrationAsync(string partnershipId, IntegrationKind kind, string id, CancellationToken cancellationToken = default);

    /// <summary>Records where a sync stopped, after what it read was stored.</summary>
    Task SetIntegrationCheckpointAsync(string partnershipId, IntegrationKind kind, string id, string? checkpoint, CancellationToken cancellationToken = default);
}
