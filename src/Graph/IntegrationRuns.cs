using Engagement.Core.Domain;
using Engagement.Core.Storage;

namespace Engagement.Graph;

/// <summary>
/// The loop every sync shares: each registered source of one kind, in every partnership, synced on its own. One
/// failing source does not stop the others; the run still fails at the end (the host sees a non-2xx), with what
/// was done and what failed, and the failed sources keep their checkpoints for the next run.
/// </summary>
internal static class IntegrationRuns
{
    public static async Task<IReadOnlyList<string>> RunAllAsync(
        IPartnershipStore partnershipStore,
        IIntegrationStore integrationStore,
        IntegrationKind kind,
        string timer,
        Func<IntegrationRegistration, Task<IEnumerable<string>>> sync,
        CancellationToken cancellationToken)
    {
        var logs = new List<string>();
        var failures = new List<Exception>();
        foreach (var partnership in await partnershipStore.ListPartnershipsAsync(cancellationToken))
        {
            foreach (var registration in (await integrationStore.ListIntegrationsAsync(partnership.Id, cancellationToken)).Where(r => r.Kind == kind))
            {
                try
                {
                    logs.AddRange(await sync(registration));
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    failures.Add(ex);
                    logs.Add($"{partnership.Id}/{registration.Id}: failed, will retry next run: {ex.Message}");
                }
            }
        }

        if (failures.Count > 0)
        {
            throw new AggregateException($"{timer}: {failures.Count} source(s) failed. {string.Join(" | ", logs)}", failures);
        }

        logs.Add($"{timer} done");
        return logs;
    }
}
