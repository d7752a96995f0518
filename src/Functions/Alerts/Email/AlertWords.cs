using System.Globalization;
using Engagement.Core.Alerts;
using Engagement.Core.Domain;
using Engagement.Functions.Dashboard;
using Microsoft.Extensions.Localization;

namespace Engagement.Functions.Alerts.Email;

/// <summary>
/// The sentences of the alert e-mails, from <c>Strings.resx</c> in the current UI culture: the HTML components and the
/// plain-text part both write these, so the two parts of an e-mail say the same thing.
/// </summary>
internal static class AlertWords
{
    /// <summary>
    /// "Risque élevé", "Medium risk": a subject's tag; "Actions en retard" when the alerts are about late actions below the
    /// high band (such an alert may open at any band).
    /// </summary>
    public static string Risk(IStringLocalizer l, IReadOnlyList<AlertEmailItem> items) =>
        items.Any(i => i.Alert.Band == "high") ? l["Email.Risk.high"].Value
        : items.All(i => i.Alert.Type == AlertType.LateActions) ? l["Email.Tag.LateActions"].Value
        : l["Email.Risk.medium"].Value;

    public static string Subject(IStringLocalizer l, AlertEmailModel model) => AlertEmail.OneLine(model.Grouped
        ? l["Email.Group.Subject", Risk(l, model.Items), model.Items.Count, model.Partnership.Name].Value
        : l["Email.Subject", Risk(l, model.Items), model.Items[0].SubjectName, model.Partnership.Name].Value);

    public static string Subject(IStringLocalizer l, DigestEmailModel model) =>
        AlertEmail.OneLine(l["Email.Digest.Subject", model.Week, model.Lines.Count, model.Partnership.Name].Value);

    /// <summary>What changed: raised (about the risk, or about late actions), or gone up, with the band in words and the probability.</summary>
    public static string What(IStringLocalizer l, AlertEmailItem item)
    {
        var key = item.Action == AlertAction.Escalate ? "Email.Escalated"
            : item.Alert.Type == AlertType.LateActions ? "Email.Opened.LateActions"
            : "Email.Opened";
        return l[key, item.SubjectName, l["Band." + item.Alert.Band], Fmt.Percent(item.Alert.Probability)].Value;
    }

    /// <summary>The previous score, or null for a first one.</summary>
    public static string? Previous(IStringLocalizer l, Alert alert) =>
        alert.PreviousProbability is { } previous ? l["Email.Previous", Fmt.Percent(previous)].Value : null;

    public static string PreviousOrFirst(IStringLocalizer l, Alert alert) => Previous(l, alert) ?? l["Email.First"].Value;

    /// <summary>The reasons as <c>ReasonList</c> shows them: in the partnership's language, largest first.</summary>
    public static IEnumerable<string> Reasons(IEnumerable<SnapshotReason> reasons, PartnershipLanguage language) =>
        reasons.Select(r => language == PartnershipLanguage.English ? r.English : r.French);

    /// <summary>What an alert is about, in words: "actions en retard", "falling attendance".</summary>
    public static string TypeOf(IStringLocalizer l, Alert alert) => l["Alerts.Type." + WireNames.Format(alert.Type)].Value;

    /// <summary>Next steps from the field's practice, by what the alert is about.</summary>
    public static IEnumerable<string> Steps(IStringLocalizer l, AlertType type)
    {
        var (key, count) = type switch
        {
            AlertType.RepresentativeTurnover => ("Turnover", 3),
            AlertType.CoordinatorChange => ("Coordinator", 2),
            AlertType.DiagnosticDecline => ("Diagnostic", 2),
            AlertType.LateActions => ("LateActions", 3),
            _ => ("Attendance", 4),
        };
        return Enumerable.Range(1, count).Select(i => l[$"Email.Step.{key}.{i.ToString(CultureInfo.InvariantCulture)}"].Value);
    }

    /// <summary>
    /// The model in a coordinator's words: the starting model, or the model trained on a day ("modèle entraîné le
    /// 30 novembre 2026"), never its version string.
    /// </summary>
    public static string ModelInWords(IStringLocalizer l, string version)
    {
        if (version.StartsWith("prior", StringComparison.Ordinal))
        {
            return l["Email.Model.Prior"].Value;
        }

        return version.StartsWith("trained-", StringComparison.Ordinal)
            && DateTimeOffset.TryParse(version["trained-".Length..], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var trained)
            ? l["Email.Model.Trained", Fmt.Day(Fmt.DayOf(trained))].Value
            : l["Email.Model.Unknown"].Value;
    }

    /// <summary>The digest's line for an alert, before its main reason: name, band, probability, acknowledged when.</summary>
    public static string DigestLine(IStringLocalizer l, DigestLine line)
    {
        var text = l["Email.Digest.Line", line.SubjectName, l["Band." + line.Alert.Band], Fmt.Percent(line.Alert.Probability)].Value;
        return line.Alert.AcknowledgedAt is { } seen ? text + " · " + l["Alerts.AcknowledgedOn", Fmt.Day(Fmt.DayOf(seen))] : text;
    }

    /// <summary><c>TrendLabel</c> reads a score: an alert carries its latest one and the one before.</summary>
    public static RiskSnapshot Score(Alert alert) => new()
    {
        PartnershipId = alert.PartnershipId,
        OrganizationId = alert.OrganizationId,
        AsOfDate = Fmt.DayOf(alert.UpdatedAt),
        ScoredAt = alert.UpdatedAt,
        Probability = alert.Probability,
        Band = alert.Band,
        ModelVersion = alert.ModelVersion,
        PreviousProbability = alert.PreviousProbability,
        Reasons = alert.Reasons,
    };
}
