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

    /// <summary>
    /// An organisation with at least this many late actions of the action plan (default 1), the longest late for at least
    /// <see cref="LateActionDays"/>, has a <see cref="AlertType.LateActions"/> alert whatever its risk band.
    /// </summary>
    public int LateActionsMinimum { get; init; } = 1;

    /// <summary>Days the longest-late action must have been late for its organisation's late actions to raise an alert (default 30).</summary>
    public int LateActionDays { get; init; } = 30;
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
public sealed record RiskAssessment(string PartnershipId, string? OrganizationId, string Band, double Probability, string? PreviousBand, double? PreviousProbability, string ModelVersion, IReadOnlyList<SnapshotReason> Reasons)
{
    /// <summary>Late actions of the action plan the organisation carries, as lead or partner (0 for a partnership).</summary>
    public int LateActions { get; init; }

    /// <summary>Days the longest-late of them has been late.</summary>
    public int DaysLate { get; init; }

    /// <summary>The reason that tells them ("2 actions en retard depuis 45 jours"), whether or not the model ranked it among the top ones.</summary>
    public SnapshotReason? LateActionsReason { get; init; }
}

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
/// repeated e-mails for the same key. Late actions are a second way in: an organisation whose late actions pass the
/// threshold (<see cref="AlertPolicyOptions.LateActionsMinimum"/>, <see cref="AlertPolicyOptions.LateActionDays"/>) gets a
/// <see cref="AlertType.LateActions"/> alert at any band, which lives until they are back under it and the risk is low.
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
                case "actions_late_share" or "sheet_silence":
                    return AlertType.LateActions;
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
        var late = HasLateActions(score, options);
        var live = existing is { Status: AlertStatus.Open or AlertStatus.Acknowledged };
        if (live)
        {
            var refreshed = existing! with { Band = score.Band, Probability = score.Probability, PreviousProbability = score.PreviousProbability, ModelVersion = score.ModelVersion, Reasons = ReasonsOf(existing.Type, score, late), UpdatedAt = now };
            if (rank == 0 && !(late && existing.Type == AlertType.LateActions))
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

        if (!Opens(score, options) && !late)
        {
            return new AlertDecision(null, AlertAction.None, false);
        }

        var type = existing?.Type ?? TypeOf(score, options);
        var opened = new Alert
        {
            PartnershipId = score.PartnershipId,
            OrganizationId = score.OrganizationId,
            Type = type,
            Status = AlertStatus.Open,
            Band = score.Band,
            Probability = score.Probability,
            PreviousProbability = score.PreviousProbability,
            ModelVersion = score.ModelVersion,
            Reasons = ReasonsOf(type, score, late),
            OpenedAt = now,
            UpdatedAt = now,
            LastNotifiedAt = existing?.LastNotifiedAt,
            LastNotifiedBand = existing?.LastNotifiedBand,
            Notifications = existing?.Notifications ?? 0,
        };
        return Notified(opened, AlertAction.Open, existing is null || MayNotify(existing, score.Band, now, options), now, options);
    }

    /// <summary>
    /// The type of alert a score would open: the one its top reasons point to, or <see cref="AlertType.LateActions"/> when
    /// only its late actions raise it (its band would not).
    /// </summary>
    public static AlertType TypeOf(RiskAssessment score, AlertPolicyOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(score);
        options ??= new AlertPolicyOptions();
        return !Opens(score, options) && HasLateActions(score, options) ? AlertType.LateActions : TypeOf(score.Reasons);
    }

    /// <summary>Whether the band alone opens an alert: at the open band, or risen by one from medium up.</summary>
    private static bool Opens(RiskAssessment score, AlertPolicyOptions options)
    {
        var rank = Rank(score.Band);
        return rank >= Rank(options.OpenBand) || (options.OpenOnRise && score.PreviousBand is not null && rank >= 1 && rank > Rank(score.PreviousBand));
    }

    /// <summary>Whether an organisation's late actions pass the threshold of a <see cref="AlertType.LateActions"/> alert.</summary>
    public static bool HasLateActions(RiskAssessment score, AlertPolicyOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(score);
        options ??= new AlertPolicyOptions();
        return score.OrganizationId is not null && score.LateActions >= Math.Max(1, options.LateActionsMinimum) && score.DaysLate >= options.LateActionDays;
    }

    /// <summary>
    /// The score's reasons, with the late actions told whenever they pass the threshold: first in an alert about them,
    /// after the model's reasons in another.
    /// </summary>
    private static IReadOnlyList<SnapshotReason> ReasonsOf(AlertType type, RiskAssessment score, bool late)
    {
        if (!late || score.LateActionsReason is not { } reason)
        {
            return score.Reasons;
        }

        var ranked = score.Reasons.FirstOrDefault(r => r.Feature == reason.Feature);
        return type == AlertType.LateActions ? [ranked ?? reason, .. score.Reasons.Where(r => r != ranked)]
            : ranked is null ? [.. score.Reasons, reason]
            : score.Reasons;
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
