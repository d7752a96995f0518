using System.Text.Json;
using Engagement.Core.Alerts;
using Engagement.Core.Domain;
using Engagement.Core.Storage;
using static Engagement.Storage.StoredValues;
using Microsoft.Data.Sqlite;
using static Engagement.Storage.Sqlite.SqliteDatabase;

namespace Engagement.Storage.Sqlite;

/// <summary>Alerts and their notification outbox in SQLite; an alert and its notifications are written in one transaction.</summary>
public sealed class SqliteAlertStore(SqliteDatabase db) : IAlertStore
{
    public Task SaveAlertsAsync(string partnershipId, IReadOnlyList<Alert> alerts, IReadOnlyList<AlertNotification> notifications, CancellationToken cancellationToken = default) =>
        RunAsync(async () =>
        {
            ArgumentNullException.ThrowIfNull(alerts);
            ArgumentNullException.ThrowIfNull(notifications);
            await using var connection = await db.OpenAsync(cancellationToken);
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            var now = Instant(db.Time.GetUtcNow());
            foreach (var alert in alerts)
            {
                await using var command = Command(
                    connection,
                    "INSERT INTO alerts (partnership_id, id, status, alert, updated_at) VALUES ($p0, $p1, $p2, $p3, $p4) ON CONFLICT (partnership_id, id) DO UPDATE SET status = excluded.status, alert = excluded.alert, updated_at = excluded.updated_at",
                    [Same(partnershipId, alert.PartnershipId), alert.Id, WireNames.Format(alert.Status), JsonSerializer.Serialize(alert, AlertJson), now],
                    transaction);
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            foreach (var n in notifications)
            {
                await using var command = Command(
                    connection,
                    "INSERT INTO notifications (partnership_id, id, alert_id, recipient, subject, text, html, message_id, created_at, sent_at, attempts, last_error, updated_at) VALUES ($p0, $p1, $p2, $p3, $p4, $p5, $p6, $p7, $p8, NULL, 0, NULL, $p9) ON CONFLICT (partnership_id, id) DO NOTHING",
                    [Same(partnershipId, n.PartnershipId), n.Id, n.AlertId, n.Recipient, n.Subject, n.Text, n.Html, n.MessageId, Instant(n.CreatedAt), now],
                    transaction);
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        });

    public Task<IReadOnlyList<Alert>> ListAlertsAsync(string partnershipId, CancellationToken cancellationToken = default) =>
        db.QueryAsync("SELECT alert FROM alerts WHERE partnership_id = $p0 ORDER BY id", [partnershipId], r => JsonSerializer.Deserialize<Alert>(r.GetString(0), AlertJson)!, cancellationToken);

    public Task<IReadOnlyList<AlertNotification>> ListPendingNotificationsAsync(string partnershipId, CancellationToken cancellationToken = default) =>
        db.QueryAsync($"SELECT {NotificationColumns} FROM notifications WHERE partnership_id = $p0 AND sent_at IS NULL ORDER BY created_at, id", [partnershipId], ReadNotification, cancellationToken);

    public Task<IReadOnlyList<AlertNotification>> ListNotificationsAsync(string partnershipId, string alertId, CancellationToken cancellationToken = default) =>
        db.QueryAsync($"SELECT {NotificationColumns} FROM notifications WHERE partnership_id = $p0 AND alert_id = $p1 ORDER BY created_at, id", [partnershipId, alertId], ReadNotification, cancellationToken);

    public Task RecordDeliveryAsync(string partnershipId, string notificationId, DateTimeOffset? sentAt, string? error, CancellationToken cancellationToken = default) =>
        db.ExecuteAsync(
            "UPDATE notifications SET sent_at = COALESCE(sent_at, $p2), attempts = attempts + 1, last_error = $p3, updated_at = $p4 WHERE partnership_id = $p0 AND id = $p1",
            [partnershipId, notificationId, sentAt is { } sent ? Instant(sent) : null, error, Instant(db.Time.GetUtcNow())],
            cancellationToken);

    private const string NotificationColumns = "partnership_id, id, alert_id, recipient, subject, text, html, message_id, created_at, sent_at, attempts, last_error";

    private static readonly JsonSerializerOptions AlertJson = new(JsonSerializerDefaults.Web) { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    private static AlertNotification ReadNotification(SqliteDataReader r) => new()
    {
        PartnershipId = r.GetString(0),
        Id = r.GetString(1),
        AlertId = r.GetString(2),
        Recipient = r.GetString(3),
        Subject = r.GetString(4),
        Text = r.GetString(5),
        Html = r.GetString(6),
        MessageId = r.GetString(7),
        CreatedAt = ParseInstant(r.GetString(8)),
        SentAt = r.IsDBNull(9) ? null : ParseInstant(r.GetString(9)),
        Attempts = r.GetInt32(10),
        LastError = r.IsDBNull(11) ? null : r.GetString(11),
    };
}
