using Engagement.Analytics.Scoring;
using Engagement.Core.Alerts;
using Engagement.Core.Domain;
using Engagement.Core.Storage;
using Engagement.Functions.Telemetry;
using Microsoft.Extensions.Options;

namespace Engagement.Functions.Alerts;

/// <summary>
/// Turns a partnership's fresh scores into alerts and, when its alert e-mails are on, outbox e-mails (ScoreRisk calls
/// it), and delivers the outbox (SendAlerts). An e-mail is written with its alert, with a fixed Message-ID, before
/// anything is sent; SendAlerts records each delivery after the server accepted it, so a retry never sends a delivered
/// e-mail again. SendAlerts delivers whatever the outbox holds: turning e-mails off stops new ones being written, and
/// one written just before (waiting for the next run, at most a quarter of an hour) still goes.
/// </summary>
internal sealed partial class AlertService(IPartnershipStore partnershipStore, IRosterStore rosterStore, IAlertStore alertStore, IServiceProvider services, IOptions<AlertOptions> options, AlertLinks links, AlertEmail composer, TimeProvider time, EngagementMetrics metrics, ILogger<AlertService> logger)
{
    public async Task<(int Changed, int Emails)> ProcessAsync(Partnership partnership, PartnershipRisk risk, IReadOnlyDictionary<string, (double Probability, string Band)> previous, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        // A partnership with e-mails off still gets its alerts (the dashboard and the API show them); none asks for an
        // e-mail, so turning e-mails on later sends what is raised or escalates from then on, not a backlog.
        var policy = new AlertPolicyOptions
        {
            CoolDownDays = options.Value.CoolDownDays,
            OpenOnRise = options.Value.OpenOnRise,
            EmailCoordinators = partnership.AlertEmails,
            LateActionsMinimum = options.Value.LateActionsMinimum,
            LateActionDays = options.Value.LateActionDays,
        };
        var alerts = await alertStore.ListAlertsAsync(partnership.Id, cancellationToken);
        var names = (await rosterStore.GetRosterAsync(partnership.Id, cancellationToken)).Organizations.ToDictionary(o => o.Id, o => o.Name, StringComparer.Ordinal);
        var scores = new List<RiskAssessment>
        {
            Assessment(partnership.Id, null, risk.Band, risk.Probability, previous, risk.ModelVersion, risk.Reasons),
        };
        scores.AddRange(risk.Organizations.Select(o => Assessment(partnership.Id, o.OrganizationId, o.Band, o.Probability, previous, risk.ModelVersion, o.Reasons) with
        {
            LateActions = o.Features.Facts.LateActions,
            DaysLate = o.Features.Facts.OldestLateDays,
            LateActionsReason = Reasons.LateActions(o.Features) is { } late ? Snapshot(late) : null,
        }));

        var changed = new List<Alert>();
        var emails = new List<AlertNotification>();
        var notified = new List<Email.AlertEmailItem>();
        foreach (var score in scores)
        {
            // One live alert per organisation: its type is kept while it lives, whatever reason leads today.
            var existing = alerts.FirstOrDefault(a => a.OrganizationId == score.OrganizationId && a.Status != AlertStatus.Resolved)
                ?? alerts.FirstOrDefault(a => a.OrganizationId == score.OrganizationId && a.Type == AlertPolicy.TypeOf(score, policy));
            var decision = AlertPolicy.Decide(existing, score, now, policy);
            if (decision.Action == AlertAction.Resolve && AlertPolicy.HasLateActions(score, policy))
            {
                // The risk that raised it is over but the organisation's late actions are not: they get their own alert now.
                Record(decision, existing);
                existing = alerts.FirstOrDefault(a => a.OrganizationId == score.OrganizationId && a.Type == AlertType.LateActions);
                decision = AlertPolicy.Decide(existing, score, now, policy);
            }

            Record(decision, existing);

            void Record(AlertDecision decision, Alert? before)
            {
                if (decision.Alert is not { } alert || (decision.Action == AlertAction.Update && before == alert))
                {
                    return;
                }

                changed.Add(alert);
                if (decision.Notify)
                {
                    notified.Add(new(alert, score.OrganizationId is { } org ? names.GetValueOrDefault(org, org) : partnership.Name, decision.Action, links.AcknowledgeLink(partnership.Id, alert.Id, now)));
                }
            }
        }

        if (notified.Count > 0)
        {
            // One e-mail per coordinator for the whole run: one organisation's as before, several grouped. Its id
            // names the alerts and their notification counts, so the same run written again is the same e-mail.
            var (subject, text, html) = await composer.ComposeAsync(partnership, notified, DashboardLink(partnership));
            var lead = notified.MaxBy(n => n.Alert.Probability)!.Alert;
            var key = notified.Count == 1
                ? $"{lead.Id}.{lead.Notifications}"
                : "run." + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(string.Join('|', notified.Select(n => $"{n.Alert.Id}.{n.Alert.Notifications}").Order(StringComparer.Ordinal)))))[..16];
            foreach (var recipient in partnership.CoordinatorEmails)
            {
                var id = $"{key}.{recipient}";
                emails.Add(new AlertNotification
                {
                    PartnershipId = partnership.Id,
                    Id = id,
                    AlertId = lead.Id,
                    Recipient = recipient,
                    Subject = subject,
                    Text = text,
                    Html = html,
                    MessageId = $"<{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(partnership.Id + "/" + id)))[..32]}@engagement-functions>",
                    CreatedAt = now,
                });
            }

            if (partnership.CoordinatorEmails.Count == 0)
            {
                LogNoCoordinator(logger, partnership.Id, lead.Id);
            }
        }

        if (changed.Count > 0)
        {
            await alertStore.SaveAlertsAsync(partnership.Id, changed, emails, cancellationToken);
            if (!partnership.AlertEmails)
            {
                LogQuiet(logger, partnership.Id, changed.Count);
            }
        }

        return (changed.Count, emails.Count);
    }

    /// <summary>Delivers every pending e-mail; throws at the end if any failed (they stay pending for the next run).</summary>
    public async Task<IReadOnlyList<string>> SendPendingAsync(CancellationToken cancellationToken)
    {
        var provider = options.Value.Provider.ToLowerInvariant();
        var sender = provider switch
        {
            "smtp" => (IMailSender)new SmtpMailSender(options.Value),
            "graph" => new GraphMailSender(services.GetRequiredService<Microsoft.Graph.GraphServiceClient>(), options.Value),
            _ => null,
        };
        var logs = new List<string>();
        var failed = new List<string>();
        var sent = 0;
        var waiting = 0;
        foreach (var partnership in await partnershipStore.ListPartnershipsAsync(cancellationToken))
        {
            foreach (var mail in await alertStore.ListPendingNotificationsAsync(partnership.Id, cancellationToken))
            {
                if (sender is null)
                {
                    waiting++;
                    continue;
                }

                try
                {
                    await sender.SendAsync(new OutgoingMail(mail.Recipient, mail.Subject, mail.Text, mail.Html, mail.MessageId), cancellationToken);
                    await alertStore.RecordDeliveryAsync(partnership.Id, mail.Id, time.GetUtcNow(), null, cancellationToken);
                    metrics.AlertEmail(provider, sent: true);
                    sent++;
                }
                catch (Exception ex) when (ex is System.Net.Mail.SmtpException or System.Net.Sockets.SocketException or IOException or InvalidOperationException or Microsoft.Kiota.Abstractions.ApiException or HttpRequestException)
                {
                    metrics.AlertEmail(provider, sent: false);
                    await alertStore.RecordDeliveryAsync(partnership.Id, mail.Id, null, ex.Message, cancellationToken);
                    failed.Add($"{partnership.Id}/{mail.Id}: {ex.Message}");
                }
            }
        }

        logs.Add(sender is null
            ? $"no mail provider configured (Alerts:Provider); {waiting} e-mail(s) wait in the outbox"
            : $"sent {sent} e-mail(s); {failed.Count} failed and stay pending");
        if (failed.Count > 0)
        {
            throw new InvalidOperationException($"SendAlerts: {failed.Count} e-mail(s) could not be sent and stay pending: {string.Join(" | ", failed)}");
        }

        return logs;
    }

    /// <summary>
    /// Queues this week's digest of open alerts for each partnership that has some and e-mails on, one per coordinator
    /// (idempotent by ISO week: running it twice in a week queues nothing new). SendAlerts delivers it.
    /// </summary>
    public async Task<IReadOnlyList<string>> QueueDigestsAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var week = $"{System.Globalization.ISOWeek.GetYear(now.UtcDateTime)}-W{System.Globalization.ISOWeek.GetWeekOfYear(now.UtcDateTime):D2}";
        var queued = 0;
        foreach (var partnership in await partnershipStore.ListPartnershipsAsync(cancellationToken))
        {
            var open = (await alertStore.ListAlertsAsync(partnership.Id, cancellationToken)).Where(a => a.Status != AlertStatus.Resolved).OrderByDescending(a => a.Probability).ToList();
            if (open.Count == 0 || partnership.CoordinatorEmails.Count == 0 || !partnership.AlertEmails)
            {
                continue;
            }

            var names = (await rosterStore.GetRosterAsync(partnership.Id, cancellationToken)).Organizations.ToDictionary(o => o.Id, o => o.Name, StringComparer.Ordinal);
            var lines = open.Select(a => new Email.DigestLine(a, a.OrganizationId is { } org ? names.GetValueOrDefault(org, org) : partnership.Name)).ToList();
            var (subject, text, html) = await composer.DigestAsync(partnership, lines, week, DashboardLink(partnership));
            var mails = partnership.CoordinatorEmails.Select(recipient => new AlertNotification
            {
                PartnershipId = partnership.Id,
                Id = $"digest.{week}.{recipient}",
                AlertId = "digest",
                Recipient = recipient,
                Subject = subject,
                Text = text,
                Html = html,
                MessageId = $"<{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{partnership.Id}/digest.{week}.{recipient}")))[..32]}@engagement-functions>",
                CreatedAt = now,
            }).ToList();
            var already = (await alertStore.ListNotificationsAsync(partnership.Id, "digest", cancellationToken)).Select(n => n.Id).ToHashSet(StringComparer.Ordinal);
            mails = [.. mails.Where(m => !already.Contains(m.Id))];
            if (mails.Count > 0)
            {
                await alertStore.SaveAlertsAsync(partnership.Id, [], mails, cancellationToken);
                queued += mails.Count;
            }
        }

        return [$"week {week}: queued {queued} digest e-mail(s)"];
    }

    /// <summary>The dashboard's page of the partnership, in its language: a browser opens it (the API's JSON needs a key).</summary>
    private string? DashboardLink(Partnership partnership) => options.Value.PublicBaseUrl is { Length: > 0 } baseUrl
        ? baseUrl.TrimEnd('/') + Dashboard.DashboardPaths.Partnership(partnership.Id, partnership.Language)
        : null;

    private static RiskAssessment Assessment(string partnershipId, string? organizationId, RiskBand band, double probability, IReadOnlyDictionary<string, (double Probability, string Band)> previous, string model, IReadOnlyList<Reason> reasons)
    {
        var before = previous.TryGetValue(organizationId ?? string.Empty, out var p) ? p : ((double Probability, string Band)?)null;
        return new RiskAssessment(
            partnershipId,
            organizationId,
            band.ToString().ToLowerInvariant(),
            Math.Round(probability, 6),
            before?.Band,
            before?.Probability,
            model,
            [.. reasons.Select(Snapshot)]);
    }

    private static SnapshotReason Snapshot(Reason r) => new(r.Feature, Math.Round(r.Contribution, 6), Math.Round(r.Value, 6), r.French, r.English);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Partnership {PartnershipId} has no coordinator e-mail: alert {AlertId} is stored but nobody is e-mailed")]
    private static partial void LogNoCoordinator(ILogger logger, string partnershipId, string alertId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Partnership {PartnershipId} has alert e-mails off: {Alerts} alert change(s) stored, nobody e-mailed")]
    private static partial void LogQuiet(ILogger logger, string partnershipId, int alerts);
}
