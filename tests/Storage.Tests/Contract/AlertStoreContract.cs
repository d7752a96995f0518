using Engagement.Core.Domain;
using Engagement.Core.Storage;

namespace Engagement.Storage.Tests.Contract;

/// <summary>The behaviour every <see cref="IAlertStore"/> must have.</summary>
public abstract class AlertStoreContract(IStoreBackend backend) : StoreContract(backend)
{
    [Fact]
    public async Task Alerts_SavedWithTheirEmails_DeliveryRecordedOnce()
    {
        await SeedPartnershipAsync();
        var alert = new Engagement.Core.Alerts.Alert
        {
            PartnershipId = P,
            OrganizationId = "cdc",
            Type = Engagement.Core.Alerts.AlertType.RepresentativeTurnover,
            Status = Engagement.Core.Alerts.AlertStatus.Open,
            Band = "high",
            Probability = 0.8,
            ModelVersion = "prior-1",
            Reasons = [new SnapshotReason("vacancy", 1.5, 1, "aucun représentant désigné actuellement", "no representative in place")],
            OpenedAt = T0,
            UpdatedAt = T0,
            LastNotifiedAt = T0,
            LastNotifiedBand = "high",
            Notifications = 1,
        };
        Engagement.Core.Alerts.AlertNotification Mail(string recipient) => new()
        {
            PartnershipId = P,
            Id = $"{alert.Id}.1.{recipient}",
            AlertId = alert.Id,
            Recipient = recipient,
            Subject = "[Risque élevé] CDC",
            Text = "texte",
            Html = "<p>" + new string('x', 40_000) + "</p>",
            MessageId = $"<{alert.Id}.1.{recipient}@engagement>",
            CreatedAt = T0,
        };

        await Stores.Alerts.SaveAlertsAsync(P, [alert], [Mail("a@example.org"), Mail("b@example.org")]);
        Assert.Equal([alert.Id], (await Stores.Alerts.ListAlertsAsync(P)).Select(a => a.Id));
        Assert.Equal(alert.Reasons, (await Stores.Alerts.ListAlertsAsync(P))[0].Reasons);
        Assert.Equal(2, (await Stores.Alerts.ListPendingNotificationsAsync(P)).Count);

        await Stores.Alerts.RecordDeliveryAsync(P, Mail("a@example.org").Id, T0.AddMinutes(15), null);
        await Stores.Alerts.RecordDeliveryAsync(P, Mail("b@example.org").Id, null, "connection refused");
        var pending = Assert.Single(await Stores.Alerts.ListPendingNotificationsAsync(P));
        Assert.Equal("b@example.org", pending.Recipient);
        Assert.Equal(1, pending.Attempts);
        Assert.Equal("connection refused", pending.LastError);

        // Saving the same e-mail again (a retried run) never resets a delivered one.
        await Stores.Alerts.SaveAlertsAsync(P, [alert with { Status = Engagement.Core.Alerts.AlertStatus.Acknowledged }], [Mail("a@example.org")]);
        var sent = (await Stores.Alerts.ListNotificationsAsync(P, alert.Id)).Single(n => n.Recipient == "a@example.org");
        Assert.Equal(T0.AddMinutes(15), sent.SentAt);
        Assert.Equal(40_007, sent.Html.Length);
        Assert.Equal(Engagement.Core.Alerts.AlertStatus.Acknowledged, (await Stores.Alerts.ListAlertsAsync(P))[0].Status);
    }
}
