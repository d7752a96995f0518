using System.Globalization;
using System.Text;
using Engagement.Core.Alerts;
using Engagement.Core.Domain;

namespace Engagement.Functions.Alerts;

/// <summary>
/// The coordinator's e-mail, in the partnership's language, as plain text and as HTML without external resources:
/// what changed, the trend, the reasons in plain words, next steps from the field's practice, and a link to the
/// partnership's risk page. Every name and reason is escaped; the subject cannot carry a line break.
/// </summary>
internal static class AlertEmail
{
    public static (string Subject, string Text, string Html) Compose(Alert alert, Partnership partnership, string subjectName, AlertAction action, string? link, string? acknowledgeLink = null)
    {
        var fr = partnership.Language == PartnershipLanguage.French;
        var subject = OneLine($"[{Band(alert.Band == "high", fr)}] {subjectName} — {partnership.Name}");
        var (text, html) = Open(subject, fr);
        AppendSection(text, html, alert, subjectName, action, acknowledgeLink, fr, heading: false, link);
        return Close(subject, text, html, alert.ModelVersion, fr);
    }

    /// <summary>
    /// One e-mail for the organisations of a partnership that one scoring run alerts on, highest risk first: each
    /// with what changed, its trend, its reasons, next steps and its own acknowledge link; the dashboard link and
    /// the model once. A run that alerts on one organisation sends <see cref="Compose"/>'s e-mail instead.
    /// </summary>
    public static (string Subject, string Text, string Html) ComposeGroup(IReadOnlyList<(Alert Alert, string SubjectName, AlertAction Action, string? AcknowledgeLink)> items, Partnership partnership, string? link)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(partnership);
        var fr = partnership.Language == PartnershipLanguage.French;
        var ordered = items.OrderByDescending(i => i.Alert.Probability).ToList();
        var band = Band(ordered.Any(i => i.Alert.Band == "high"), fr);
        var subject = OneLine(fr ? $"[{band}] {ordered.Count} partenaires à surveiller — {partnership.Name}" : $"[{band}] {ordered.Count} partners to watch — {partnership.Name}");
        var intro = fr
            ? $"Le dernier calcul du risque signale {ordered.Count} partenaires de {partnership.Name}, du plus au moins à risque."
            : $"The latest risk scoring flags {ordered.Count} partners of {partnership.Name}, highest risk first.";
        var (text, html) = Open(subject, fr);
        text.AppendLine(intro).AppendLine();
        html.Append("<p>").Append(Escape(intro)).Append("</p>");
        if (link is not null)
        {
            text.AppendLine(SeeLabel(fr) + (fr ? " : " : ": ") + link).AppendLine();
            html.Append("<p><a href=\"").Append(Escape(link)).Append("\">").Append(SeeLabel(fr)).Append("</a></p>");
        }

        foreach (var (alert, name, action, acknowledgeLink) in ordered)
        {
            AppendSection(text, html, alert, name, action, acknowledgeLink, fr, heading: true, link: null);
            text.AppendLine();
        }

        return Close(subject, text, html, ordered[0].Alert.ModelVersion, fr);
    }

    private static string Band(bool high, bool fr) => high ? (fr ? "Risque élevé" : "High risk") : (fr ? "Risque moyen" : "Medium risk");

    private static string SeeLabel(bool fr) => fr ? "Voir le partenariat" : "See the partnership";

    private static (StringBuilder Text, StringBuilder Html) Open(string subject, bool fr)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"").Append(fr ? "fr" : "en").Append("\"><head><meta charset=\"utf-8\"><title>").Append(Escape(subject)).Append("</title></head>");
        html.Append("<body style=\"font-family:sans-serif;color:#222\">");
        return (new StringBuilder(), html);
    }

    private static (string Subject, string Text, string Html) Close(string subject, StringBuilder text, StringBuilder html, string modelVersion, bool fr)
    {
        var model = ModelInWords(modelVersion, fr);
        text.AppendLine().AppendLine(model);
        html.Append("<p style=\"color:#666;font-size:small\">").Append(Escape(model)).Append("</p></body></html>");
        return (subject, text.ToString(), html.ToString());
    }

    /// <summary>One organisation's part: what changed, the trend, why, what to do, the links.</summary>
    private static void AppendSection(StringBuilder text, StringBuilder html, Alert alert, string subjectName, AlertAction action, string? acknowledgeLink, bool fr, bool heading, string? link)
    {
        var band = Band(alert.Band == "high", fr);
        var percent = alert.Probability.ToString("P0", fr ? CultureInfo.GetCultureInfo("fr-CA") : CultureInfo.GetCultureInfo("en-CA"));
        var what = (action, fr) switch
        {
            (AlertAction.Escalate, true) => $"Le risque de désengagement de {subjectName} a augmenté : il est maintenant {band.ToLowerInvariant()} ({percent}).",
            (AlertAction.Escalate, false) => $"The disengagement risk of {subjectName} has gone up: it is now {band.ToLowerInvariant()} ({percent}).",
            (_, true) => $"{subjectName} présente un {band.ToLowerInvariant()} de désengagement ({percent} de probabilité d’être absent à au moins 2 des 3 prochaines rencontres).",
            _ => $"{subjectName} shows a {band.ToLowerInvariant()} of disengagement ({percent} probability of missing at least 2 of the next 3 meetings).",
        };
        var trend = alert.PreviousProbability is { } previous
            ? fr ? $"Score précédent : {previous.ToString("P0", CultureInfo.GetCultureInfo("fr-CA"))}." : $"Previous score: {previous.ToString("P0", CultureInfo.GetCultureInfo("en-CA"))}."
            : fr ? "Premier score pour ce partenaire." : "First score for this partner.";
        var reasons = alert.Reasons.Select(r => fr ? r.French : r.English).ToList();
        var steps = NextSteps(alert.Type, fr);

        if (heading)
        {
            text.AppendLine("== " + subjectName + " ==");
            html.Append("<h2>").Append(Escape(subjectName)).Append("</h2>");
        }

        text.AppendLine(what).AppendLine(trend).AppendLine();
        text.AppendLine(fr ? "Pourquoi :" : "Why:");
        reasons.ForEach(r => text.Append("- ").AppendLine(r));
        text.AppendLine().AppendLine(fr ? "Pistes d’action :" : "What you could do:");
        steps.ForEach(s => text.Append("- ").AppendLine(s));
        if (link is not null)
        {
            text.AppendLine().AppendLine(SeeLabel(fr) + (fr ? " : " : ": ") + link);
        }

        if (acknowledgeLink is not null)
        {
            text.AppendLine((fr ? "J’ai pris connaissance de cette alerte : " : "I have seen this alert: ") + acknowledgeLink);
        }

        html.Append("<p><strong>").Append(Escape(what)).Append("</strong></p><p>").Append(Escape(trend)).Append("</p>");
        html.Append("<h3>").Append(fr ? "Pourquoi" : "Why").Append("</h3><ul>");
        reasons.ForEach(r => html.Append("<li>").Append(Escape(r)).Append("</li>"));
        html.Append("</ul><h3>").Append(fr ? "Pistes d’action" : "What you could do").Append("</h3><ul>");
        steps.ForEach(s => html.Append("<li>").Append(Escape(s)).Append("</li>"));
        html.Append("</ul>");
        if (link is not null)
        {
            html.Append("<p><a href=\"").Append(Escape(link)).Append("\">").Append(SeeLabel(fr)).Append("</a></p>");
        }

        if (acknowledgeLink is not null)
        {
            html.Append("<p><a href=\"").Append(Escape(acknowledgeLink)).Append("\">").Append(fr ? "J’ai pris connaissance de cette alerte" : "I have seen this alert").Append("</a></p>");
        }
    }

    /// <summary>
    /// The model in a coordinator's words: the starting model, or the model trained on a day ("modèle entraîné le
    /// 30 novembre 2026"), never its version string.
    /// </summary>
    internal static string ModelInWords(string version, bool fr)
    {
        if (version.StartsWith("prior", StringComparison.Ordinal))
        {
            return fr ? "Score calculé par le modèle de départ (pas encore assez d’historique pour entraîner un modèle)." : "Scored by the starting model (not enough history yet to train one).";
        }

        if (version.StartsWith("trained-", StringComparison.Ordinal)
            && DateTimeOffset.TryParse(version["trained-".Length..], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var trained))
        {
            var day = DateOnly.FromDateTime(MontrealClock.ToLocal(trained).DateTime);
            return fr
                ? $"Score calculé par le modèle entraîné le {day.ToString("d MMMM yyyy", CultureInfo.GetCultureInfo("fr-CA"))} sur l’historique des partenariats."
                : $"Scored by the model trained on {day.ToString("MMMM d, yyyy", CultureInfo.GetCultureInfo("en-CA"))} from the partnerships' history.";
        }

        return fr ? "Score calculé par le modèle entraîné sur l’historique des partenariats." : "Scored by the model trained from the partnerships' history.";
    }

    /// <summary>The weekly summary of a partnership's open alerts, highest risk first.</summary>
    public static (string Subject, string Text, string Html) Digest(Partnership partnership, IReadOnlyList<Alert> open, Func<Alert, string> nameOf, string week)
    {
        var fr = partnership.Language == PartnershipLanguage.French;
        var culture = CultureInfo.GetCultureInfo(fr ? "fr-CA" : "en-CA");
        var subject = OneLine(fr ? $"[Résumé {week}] {open.Count} alerte(s) ouverte(s) — {partnership.Name}" : $"[Digest {week}] {open.Count} open alert(s) — {partnership.Name}");
        var lines = open.Select(a =>
        {
            var band = a.Band == "high" ? (fr ? "élevé" : "high") : (fr ? "moyen" : "medium");
            var status = a.Status == AlertStatus.Acknowledged ? (fr ? " (vue)" : " (seen)") : string.Empty;
            var reason = a.Reasons.FirstOrDefault() is { } r ? (fr ? r.French : r.English) : string.Empty;
            return $"{nameOf(a)} — {(fr ? "risque" : "risk")} {band} {a.Probability.ToString("P0", culture)}{status}: {reason}";
        }).ToList();
        var intro = fr ? $"Alertes ouvertes cette semaine pour {partnership.Name} :" : $"Open alerts this week for {partnership.Name}:";
        var text = new StringBuilder().AppendLine(intro).AppendLine();
        lines.ForEach(l => text.Append("- ").AppendLine(l));
        var html = new StringBuilder("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>").Append(Escape(subject)).Append("</title></head><body style=\"font-family:sans-serif\"><p>")
            .Append(Escape(intro)).Append("</p><ul>");
        lines.ForEach(l => html.Append("<li>").Append(Escape(l)).Append("</li>"));
        html.Append("</ul></body></html>");
        return (subject, text.ToString(), html.ToString());
    }

    private static List<string> NextSteps(AlertType type, bool fr) => type switch
    {
        AlertType.RepresentativeTurnover => fr
            ? ["Organiser une rencontre d’accueil (passation) avec la nouvelle personne représentante.", "Faire circuler les derniers comptes rendus et les dossiers en cours.", "Vérifier auprès de l’organisation qui la représente désormais."]
            : ["Hold a hand-over meeting with the new representative.", "Send the latest minutes and the files under way.", "Check with the organisation who represents it now."],
        AlertType.CoordinatorChange => fr
            ? ["Présenter la nouvelle coordination aux partenaires lors d’une rencontre d’échange.", "Faire circuler un bilan des actions en cours."]
            : ["Introduce the new coordination to the partners at an exchange meeting.", "Circulate a summary of the actions under way."],
        AlertType.DiagnosticDecline => fr
            ? ["Présenter les résultats de l’autodiagnostic et en discuter en rencontre.", "Souligner une réussite récente du partenariat."]
            : ["Present the self-diagnostic results and discuss them at a meeting.", "Celebrate a recent success of the partnership."],
        _ => fr
            ? ["Appeler la personne représentante pour prendre des nouvelles.", "Proposer une rencontre d’échange sur les priorités de l’organisation.", "Faire circuler le compte rendu de la dernière rencontre.", "Souligner une réussite récente à laquelle l’organisation a contribué."]
            : ["Call the representative to hear how things are going.", "Offer an exchange meeting on the organisation's priorities.", "Circulate the minutes of the last meeting.", "Celebrate a recent success the organisation contributed to."],
    };

    /// <summary>Escapes the five characters that matter in HTML text and attributes; accents stay readable.</summary>
    internal static string Escape(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            _ = c switch
            {
                '&' => builder.Append("&amp;"),
                '<' => builder.Append("&lt;"),
                '>' => builder.Append("&gt;"),
                '"' => builder.Append("&quot;"),
                '\'' => builder.Append("&#39;"),
                _ when char.IsControl(c) && c is not ('\n' or '\t') => builder.Append(' '),
                _ => builder.Append(c),
            };
        }

        return builder.ToString();
    }

    /// <summary>No line breaks or control characters in a header value: no header injection through a name.</summary>
    internal static string OneLine(string value) => new([.. value.Select(c => char.IsControl(c) ? ' ' : c)]);
}
