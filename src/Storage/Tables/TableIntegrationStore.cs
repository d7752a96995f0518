using Engagement.Core.Domain;
using Engagement.Core.Storage;
using Engagement.Storage.Tables.Rows;
using static Engagement.Storage.StoredValues;

namespace Engagement.Storage.Tables;

/// <summary>Microsoft 365 source registrations and their checkpoints, in their partnership's partition.</summary>
public sealed class TableIntegrationStore(TableStorage storage) : IIntegrationStore
{
    public async Task<WriteOutcome> UpsertIntegrationAsync(IntegrationRegistration registration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registration);

        // Registering again changes the settings, never the checkpoint.
        return Outcome(await storage.UpsertAsync(storage.Data, registration.PartnershipId, [IntegrationRow.From(registration)], (candidate, stored) => candidate.Checkpoint = stored?.Checkpoint, null, cancellationToken));
    }

    public async Task<IReadOnlyList<IntegrationRegistration>> ListIntegrationsAsync(string partnershipId, CancellationToken cancellationToken = default) =>
        [.. (await storage.RangeAsync<IntegrationRow>(partnershipId, [IntegrationRow.Prefix], null, cancellationToken)).Select(i => i.ToRegistration())
            .OrderBy(r => WireNames.Format(r.Kind), StringComparer.Ordinal).ThenBy(r => r.Id, StringComparer.Ordinal)];

    public async Task<bool> DeleteIntegrationAsync(string partnershipId, IntegrationKind kind, string id, CancellationToken cancellationToken = default)
    {
        await storage.EnsureTablesAsync(cancellationToken);
        return await storage.Data.DeleteAsync(partnershipId, IntegrationRow.Key(kind, id), cancellationToken);
    }

    public async Task SetIntegrationCheckpointAsync(string partnershipId, IntegrationKind kind, string id, string? checkpoint, CancellationToken cancellationToken = default)
    {
        await storage.EnsureTablesAsync(cancellationToken);
        for (var attempt = 0; ; attempt++)
        {
            var stored = await storage.Data.GetAsync<IntegrationRow>(partnershipId, IntegrationRow.Key(kind, id), cancellationToken)
                ?? throw new ArgumentException($"No {WireNames.Format(kind)} '{id}' is registered for partnership '{partnershipId}'.", nameof(id));
            stored.Checkpoint = checkpoint;
            stored.UpdatedAt = storage.Time.GetUtcNow();
            if (await storage.Data.ReplaceAsync(stored, cancellationToken))
            {
                return;
            }

            if (attempt == TableStorage.MaxConflictRetries)
            {
                throw new StoreConflictException($"Other writers kept changing {WireNames.Format(kind)} '{id}' of partnership '{partnershipId}'.");
            }
        }
    }
}
