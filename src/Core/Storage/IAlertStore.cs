using Engagement.Core.Alerts;

namespace Engagement.Core.Storage;

/// <summary>Alerts and the outbox of their notifications.</summary>
public interface IAlertStore
{
    /// <summary>
    /// Writes alert changes and the notifications they call for together (one transaction where the store allows it),
    /// so an alert never exists without its e-mails, nor an e-mail without its alert.
    /// </summary>
    Task SaveAlertsAsync(string partnershipId, IReadOnlyList<Alert> alerts, IReadOnlyList<AlertNotification> notifications, CancellationToken cancellationToken = default);

    /// <summary>The alerts of a partnership (every status), by organisation then type.</summary>
    Task<IReadOnlyList<Alert>> ListAlertsAsync(string partnershipId, CancellationToken cancellationToken = default);

    /// <summary>Notifications not yet accepted by a mail server, oldest first.</summary>
    Task<IReadOnlyList<AlertNotification>> ListPendingNotificationsAsync(string partnershipId, CancellationToken cancellationToken = default);

    /// <summary>Every notification of an alert, oldest first.</summary>
    Task<IReadOnlyList<AlertNotification>> ListNotificationsAsync(string partnershipId, string alertId, CancellationToken cancellationToken = default);

    /// <summary>Records a delivery attempt: sent (with the time) or failed (with the error).</summary>
    Task RecordDeliveryAsync(string partnershipId, string notificationId, DateTimeOffset? sentAt, string? error, CancellationToken cancellationToken = default);
}
