using Engagement.Core.Domain;

namespace Engagement.Core.Alerts;

/// <summary>Settings of the alert rules.</summary>
public sealed record AlertPolicyOptions
{
    /// <summary>An alert opens when the band reaches this one (default <c>high</c>).</summary>
    public string OpenBand { get; init; } = "high";

    /// <summary>Also open when the band rises by one since the previous score, from medium up (default true).</summary>
    public bool OpenOnRise { get; init; } = true;

    /// <summary>
    /// After an e-mail, the same alert key is not e-mailed again for this many days unless its band goes above the one
    /// last e-mailed (default 14): a score that wavers around a threshold does not flood the coordinator.
    /// </summary>
    public int CoolDownDays { get; init; } = 14;

    /// <summary>
    /// Whether coordinators are e-mailed at all (the partnership's <see cref="Partnership.AlertEmails"/>; default true).
    /// When false, alerts open, escalate and resolve as usual but never ask for an e-mail, and are not counted as
    /// e-mailed: once e-mails are turned on, an alert that is still live is not sent late; a new alert or an
    /// escalation is.
    /// </summary>
    public bool EmailCoordinators { get; init; } = true;
}

/// <summary>A score to judge: what ScoreRisk just computed for a partnership or an organisation.</summary>
/// <param name="PartnershipId">The partnership.</param>
/// <param name="OrganizationId">The organisation, or null for the partnership.</param>
/// <param name="Band">low, medium or high.</param>
/// <param name="Probability">The probability.</param>
/// <param name="PreviousBand">The band of the previous score, if any.</param>
/// <param name="PreviousProbability">The previous probability, if any.</param>
/// <param name="ModelVersion">The model that scored.</param>
/// <param name="Reasons">The top reasons.</param>
public sealed record RiskAssessment(string PartnershipId, string? OrganizationId, string Band, double Probability, string? PreviousBand, double? PreviousProbability, string ModelVersion, IReadOnlyList<SnapshotReason> Reasons);

/// <summary>What the rules did with a score.</summary>
public enum AlertAction
{
    /// <summary>Nothing to do.</summary>
    None,
    /// <summary>A new alert (or a resolved one raised again).</summary>
    Open,
    /// <summary>A live alert's band rose.</summary>
    Escalate,
    /// <summary>A live alert's figures and reasons were refreshed.</summary>
    Update,
    /// <summary>The risk fell back to low: the alert is over.</summary>
    Resolve,
}

/// <summary>The rules' decision: the alert as it should now be stored, and whether coordinators must be e-mailed.</summary>
/// <param name="Alert">The alert to store, or null when nothing changes.</param>
/// <param name="Action">What happened.</param>
/// <param name="Notify">Whether to e-mail the coordinators.</param>
public sealed record AlertDecision(Alert? Alert, AlertAction Action, bool Notify);

/// <summary>
/// Gainsight-style alert rules, pure and clock-free: open at the high band (or on a rise of a band), update rather
/// than repeat while live, escalate when the band rises, resolve when the risk is low again, and a cool-down on
/// repeated e-mails for the same key.
/// </summary>
public static class AlertPolicy
{
    /// <summary>Rank of a band: low 0, medium 1, high 2.</summary>
    public static int Rank(string? band) => band switch { "high" => 2, "medium" => 1, _ => 0 };

    /// <summary>The type of alert the top reasons point to.</summary>
    public static AlertType TypeOf(IReadOnlyList<SnapshotReason> reasons)
    {
        ArgumentNullException.ThrowIfNull(reasons);
        foreach (var reason in reasons)
        {
            switch (reason.Feature)
            {
                case "vacancy" or "representative_change" or "representative_change_fresh" or "turnover" or "vacancies":
                    return AlertType.RepresentativeTurnover;
                case "coordinator_change":
                    return AlertType.CoordinatorChange;
                case "cacis_share_c" or "cacis_dispersion":
                    return AlertType.DiagnosticDecline;
                case "organizations_high":
                    continue;
                default:
                    return AlertType.FallingAttendance;
            }
        }

        return AlertType.FallingAttendance;
    }

    /// <summary>Judges a score against the live (or last) alert of its key.</summary>
    public static AlertDecision Decide(Alert? existing, RiskAssessment score, DateTimeOffset now, AlertPolicyOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(score);
        options ??= new AlertPolicyOptions();
        var rank = Rank(score.Band);
        var live = existing is { Status: AlertStatus.Open or AlertStatus.Acknowledged };
        if (live)
        {
            var refreshed = existing! with { Band = score.Band, Probability = score.Probability, PreviousProbability = score.PreviousProbability, ModelVersion = score.ModelVersion, Reasons = score.Reasons, UpdatedAt = now };
            if (rank == 0)
            {
                return new AlertDecision(refreshed with { Status = AlertStatus.Resolved, ResolvedAt = now }, AlertAction.Resolve, false);
            }

            if (rank > Rank(existing!.Band))
            {
                var escalated = refreshed with { Status = AlertStatus.Open, AcknowledgedAt = null, AcknowledgedBy = null };
                return Notified(escalated, AlertAction.Escalate, MayNotify(existing, score.Band, now, options), now, options);
            }

            return new AlertDecision(refreshed, AlertAction.Update, false);
        }

        var opens = rank >= Rank(options.OpenBand)
            || (options.OpenOnRise && score.PreviousBand is not null && rank >= 1 && rank > Rank(score.PreviousBand));
        if (!opens)
        {
            return new AlertDecision(null, AlertAction.None, false);
        }

        var opened = new Alert
        {
            PartnershipId = score.PartnershipId,
            OrganizationId = score.OrganizationId,
            Type = existing?.Type ?? TypeOf(score.Reasons),
            Status = AlertStatus.Open,
            Band = score.Band,
            Probability = score.Probability,
            PreviousProbability = score.PreviousProbability,
            ModelVersion = score.ModelVersion,
            Reasons = score.Reasons,
            OpenedAt = now,
            UpdatedAt = now,
            LastNotifiedAt = existing?.LastNotifiedAt,
            LastNotifiedBand = existing?.LastNotifiedBand,
            Notifications = existing?.Notifications ?? 0,
        };
        return Notified(opened, AlertAction.Open, existing is null || MayNotify(existing, score.Band, now, options), now, options);
    }

    /// <summary>The coordinator has seen the alert: no more e-mails unless it escalates.</summary>
    public static Alert Acknowledge(Alert alert, string by, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(alert);
        return alert.Status == AlertStatus.Open ? alert with { Status = AlertStatus.Acknowledged, AcknowledgedAt = now, AcknowledgedBy = by, UpdatedAt = now } : alert;
    }

    /// <summary>The coordinator closes the alert; a later score raises it again only under the cool-down rule.</summary>
    public static Alert Resolve(Alert alert, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(alert);
        return alert.Status == AlertStatus.Resolved ? alert : alert with { Status = AlertStatus.Resolved, ResolvedAt = now, UpdatedAt = now };
    }

    private static bool MayNotify(Alert previous, string band, DateTimeOffset now, AlertPolicyOptions options) =>
        previous.LastNotifiedAt is not { } last
        || now - last >= TimeSpan.FromDays(options.CoolDownDays)
        || Rank(band) > Rank(previous.LastNotifiedBand);

    private static AlertDecision Notified(Alert alert, AlertAction action, bool notify, DateTimeOffset now, AlertPolicyOptions options) =>
        notify && options.EmailCoordinators
            ? new AlertDecision(alert with { LastNotifiedAt = now, LastNotifiedBand = alert.Band, Notifications = alert.Notifications + 1 }, action, true)
            : new AlertDecision(alert, action, false);
}
