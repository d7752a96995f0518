using Azure.Data.Tables;
using Engagement.Core.Alerts;
using Engagement.Core.Storage;
using Engagement.Storage.Tables.Rows;
using static Engagement.Storage.StoredValues;

namespace Engagement.Storage.Tables;

/// <summary>Alerts and their e-mail outbox, in their partnership's partition; an alert and its e-mails go in one transaction.</summary>
public sealed class TableAlertStore(TableStorage storage) : IAlertStore
{
    public async Task SaveAlertsAsync(string partnershipId, IReadOnlyList<Alert> alerts, IReadOnlyList<AlertNotification> notifications, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(alerts);
        ArgumentNullException.ThrowIfNull(notifications);
        await storage.EnsureTablesAsync(cancellationToken);
        var alertRows = alerts.Select(a => AlertRow.From(Same(partnershipId, a.PartnershipId), a)).ToList();
        var mailRows = notifications.Select(n => MailRow.From(Same(partnershipId, n.PartnershipId), n)).ToList();
        var alertSizes = alertRows.Select(RowShape<AlertRow>.Check).ToList();
        var mailSizes = mailRows.Select(RowShape<MailRow>.Check).ToList();
        for (var attempt = 0; ; attempt++)
        {
            var now = storage.Time.GetUtcNow();
            var actions = new List<TableTransactionAction>();
            var sizes = new List<int>();
            for (var i = 0; i < alertRows.Count; i++)
            {
                alertRows[i].UpdatedAt = now;
                actions.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, alertRows[i]));
                sizes.Add(alertSizes[i]);
            }

            // An e-mail already in the outbox is never written again: it may be on its way.
            var queued = (await storage.RangeAsync<MailRow>(partnershipId, [MailRow.Prefix], [], cancellationToken)).Select(m => m.RowKey).ToHashSet(StringComparer.Ordinal);
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
            if (await storage.SubmitAllAsync(actions, sizes, cancellationToken) is null)
            {
                return;
            }

            if (attempt == TableStorage.MaxConflictRetries)
            {
                throw new StoreConflictException($"Other writers kept changing the alerts of partnership '{partnershipId}'. Run the scoring again.");
            }
        }
    }

    public async Task<IReadOnlyList<Alert>> ListAlertsAsync(string partnershipId, CancellationToken cancellationToken = default) =>
        [.. (await storage.RangeAsync<AlertRow>(partnershipId, [AlertRow.Prefix], null, cancellationToken)).Select(a => a.ToAlert()).OrderBy(a => a.Id, StringComparer.Ordinal)];

    public async Task<IReadOnlyList<AlertNotification>> ListPendingNotificationsAsync(string partnershipId, CancellationToken cancellationToken = default) =>
        [.. (await NotificationsAsync(partnershipId, cancellationToken)).Where(n => n.SentAt is null)];

    public async Task<IReadOnlyList<AlertNotification>> ListNotificationsAsync(string partnershipId, string alertId, CancellationToken cancellationToken = default) =>
        [.. (await NotificationsAsync(partnershipId, cancellationToken)).Where(n => n.AlertId == alertId)];

    public async Task RecordDeliveryAsync(string partnershipId, string notificationId, DateTimeOffset? sentAt, string? error, CancellationToken cancellationToken = default)
    {
        await storage.EnsureTablesAsync(cancellationToken);
        for (var attempt = 0; ; attempt++)
        {
            var stored = await storage.Data.GetAsync<MailRow>(partnershipId, MailRow.Key(notificationId), cancellationToken);
            if (stored is null)
            {
                return;
            }

            // The first delivery time stays: a message is sent once.
            stored.SentAt ??= sentAt is { } sent ? Instant(sent) : null;
            stored.Attempts++;
            stored.LastError = error;
            stored.UpdatedAt = storage.Time.GetUtcNow();
            if (await storage.Data.ReplaceAsync(stored, cancellationToken))
            {
                return;
            }

            if (attempt == TableStorage.MaxConflictRetries)
            {
                throw new StoreConflictException($"Other writers kept changing e-mail '{notificationId}' of partnership '{partnershipId}'.");
            }
        }
    }

    private async Task<List<AlertNotification>> NotificationsAsync(string partnershipId, CancellationToken cancellationToken) =>
        [.. (await storage.RangeAsync<MailRow>(partnershipId, [MailRow.Prefix], null, cancellationToken)).Select(m => m.ToNotification())
            .OrderBy(n => n.CreatedAt).ThenBy(n => n.Id, StringComparer.Ordinal)];
}
