using Azure.Data.Tables;
using Engagement.Core.Alerts;
using Engagement.Core.Domain;
using Engagement.Storage.Tables.Rows;
using static Engagement.Storage.StoredValues;

namespace Engagement.Storage.Tables;

/// <summary>Alerts and their e-mail outbox, and the Microsoft 365 registrations.</summary>
public sealed partial class TableEngagementStore
{
    private const int MaxConflictRetries = 8;

    public async Task SaveAlertsAsync(string partnershipId, IReadOnlyList<Alert> alerts, IReadOnlyList<AlertNotification> notifications, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(alerts);
        ArgumentNullException.ThrowIfNull(notifications);
        await EnsureTablesAsync(cancellationToken);
        var alertRows = alerts.Select(a => AlertRow.From(Same(partnershipId, a.PartnershipId), a)).ToList();
        var mailRows = notifications.Select(n => MailRow.From(Same(partnershipId, n.PartnershipId), n)).ToList();
        var alertSizes = alertRows.Select(RowShape<AlertRow>.Check).ToList();
        var mailSizes = mailRows.Select(RowShape<MailRow>.Check).ToList();
        for (var attempt = 0; ; attempt++)
        {
            var now = _time.GetUtcNow();
            var actions = new List<TableTransactionAction>();
            var sizes = new List<int>();
            for (var i = 0; i < alertRows.Count; i++)
            {
                alertRows[i].UpdatedAt = now;
                actions.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, alertRows[i]));
                sizes.Add(alertSizes[i]);
            }

            // An e-mail already in the outbox is never written again: it may be on its way.
            var queued = (await RangeAsync<MailRow>(partnershipId, [MailRow.Prefix], [], cancellationToken)).Select(m => m.RowKey).ToHashSet(StringComparer.Ordinal);
            for (var i = 0; i < mailRows.Count; i++)
            {
                if (!queued.Contains(mailRows[i].RowKey))
                {
                    mailRows[i].UpdatedAt = now;
                    actions.Add(new TableTransactionAction(TableTransactionActionType.Add, mailRows[i]));
                    sizes.Add(mailSizes[i]);
                }
            }

            // Up to 100 changes go as one transaction: alerts and their e-mails together. When another writer queued
            // one of the e-mails meanwhile, the outbox is read again and the rest is sent.
            if (await SubmitAllAsync(actions, sizes, cancellationToken) is null)
            {
                return;
            }

            if (attempt == MaxConflictRetries)
            {
                throw new StoreConflictException($"Other writers kept changing the alerts of partnership '{partnershipId}'. Run the scoring again.");
            }
        }
    }

    public async Task<IReadOnlyList<Alert>> ListAlertsAsync(string partnershipId, CancellationToken cancellationToken = default) =>
        [.. (await RangeAsync<AlertRow>(partnershipId, [AlertRow.Prefix], null, cancellationToken)).Select(a => a.ToAlert()).OrderBy(a => a.Id, StringComparer.Ordinal)];

    public async Task<IReadOnlyList<AlertNotification>> ListPendingNotificationsAsync(string partnershipId, CancellationToken cancellationToken = default) =>
        [.. (await NotificationsAsync(partnershipId, cancellationToken)).Where(n => n.SentAt is null)];

    public async Task<IReadOnlyList<AlertNotification>> ListNotificationsAsync(string partnershipId, string alertId, CancellationToken cancellationToken = default) =>
        [.. (await NotificationsAsync(partnershipId, cancellationToken)).Where(n => n.AlertId == alertId)];

    public async Task RecordDeliveryAsync(string partnershipId, string notificationId, DateTimeOffset? sentAt, string? error, CancellationToken cancellationToken = default)
    {
        await EnsureTablesAsync(cancellationToken);
        for (var attempt = 0; ; attempt++)
        {
            var stored = await _data.GetAsync<MailRow>(partnershipId, MailRow.Key(notificationId), cancellationToken);
            if (stored is null)
            {
                return;
            }

            // The first delivery time stays: a message is sent once.
            stored.SentAt ??= sentAt is { } sent ? Instant(sent) : null;
            stored.Attempts++;
            stored.LastError = error;
            stored.UpdatedAt = _time.GetUtcNow();
            if (await _data.ReplaceAsync(stored, cancellationToken))
            {
                return;
            }

            if (attempt == MaxConflictRetries)
            {
                throw new StoreConflictException($"Other writers kept changing e-mail '{notificationId}' of partnership '{partnershipId}'.");
            }
        }
    }

    private async Task<List<AlertNotification>> NotificationsAsync(string partnershipId, CancellationToken cancellationToken) =>
        [.. (await RangeAsync<MailRow>(partnershipId, [MailRow.Prefix], null, cancellationToken)).Select(m => m.ToNotification())
            .OrderBy(n => n.CreatedAt).ThenBy(n => n.Id, StringComparer.Ordinal)];

    // ---- Microsoft 365 registrations ----

    public async Task<WriteOutcome> UpsertIntegrationAsync(IntegrationRegistration registration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registration);

        // Registering again changes the settings, never the checkpoint.
        return Outcome(await UpsertAsync(_data, registration.PartnershipId, [IntegrationRow.From(registration)], (candidate, stored) => candidate.Checkpoint = stored?.Checkpoint, null, cancellationToken));
    }

    public async Task<IReadOnlyList<IntegrationRegistration>> ListIntegrationsAsync(string partnershipId, CancellationToken cancellationToken = default) =>
        [.. (await RangeAsync<IntegrationRow>(partnershipId, [IntegrationRow.Prefix], null, cancellationToken)).Select(i => i.ToRegistration())
            .OrderBy(r => WireNames.Format(r.Kind), StringComparer.Ordinal).ThenBy(r => r.Id, StringComparer.Ordinal)];

    public async Task<bool> DeleteIntegrationAsync(string partnershipId, IntegrationKind kind, string id, CancellationToken cancellationToken = default)
    {
        await EnsureTablesAsync(cancellationToken);
        return await _data.DeleteAsync(partnershipId, IntegrationRow.Key(kind, id), cancellationToken);
    }

    public async Task SetIntegrationCheckpointAsync(string partnershipId, IntegrationKind kind, string id, string? checkpoint, CancellationToken cancellationToken = default)
    {
        await EnsureTablesAsync(cancellationToken);
        for (var attempt = 0; ; attempt++)
        {
            var stored = await _data.GetAsync<IntegrationRow>(partnershipId, IntegrationRow.Key(kind, id), cancellationToken)
                ?? throw new ArgumentException($"No {WireNames.Format(kind)} '{id}' is registered for partnership '{partnershipId}'.", nameof(id));
            stored.Checkpoint = checkpoint;
            stored.UpdatedAt = _time.GetUtcNow();
            if (await _data.ReplaceAsync(stored, cancellationToken))
            {
                return;
            }

            if (attempt == MaxConflictRetries)
            {
                throw new StoreConflictException($"Other writers kept changing {WireNames.Format(kind)} '{id}' of partnership '{partnershipId}'.");
            }
        }
    }

    /// <summary>
    /// Sends <paramref name="actions"/> of one partition as transactions of up to 100 (and 3 MiB), in order. Returns
    /// null when all were stored, or how many were stored before one lost to another writer (that one stored nothing).
    /// </summary>
    private async Task<int?> SubmitAllAsync(IReadOnlyList<TableTransactionAction> actions, IReadOnlyList<int> sizes, CancellationToken cancellationToken)
    {
        var stored = 0;
        foreach (var chunk in RowWriter.Chunks(actions, sizes))
        {
            if (!await _data.SubmitAsync(chunk, cancellationToken))
            {
                return stored;
            }

            stored += chunk.Count;
        }

        return null;
    }
}
