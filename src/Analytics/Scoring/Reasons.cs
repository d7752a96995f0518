using System.Globalization;
using Engagement.Analytics.Features;
using Engagement.Core.Domain;

namespace Engagement.Analytics.Scoring;

/// <summary>One reason behind a score: the feature, how much it pushed the log-odds up, and the words for it.</summary>
/// <param name="Feature">The feature's name (<see cref="FeatureNames"/>).</param>
/// <param name="Contribution">Its contribution to the log-odds (positive raises the risk).</param>
/// <param name="Value">The feature's value.</param>
/// <param name="French">The reason in French.</param>
/// <param name="English">The reason in English.</param>
public sealed record Reason(string Feature, double Contribution, double Value, string French, string English)
{
    /// <summary>The reason in a partnership's language.</summary>
    public string In(PartnershipLanguage language) => language == PartnershipLanguage.French ? French : English;
}

/// <summary>
/// Turns the largest positive contributions into plain-language reasons, in French and English. Contributions
/// (from any model) only rank the reasons; the words are rendered from the organisation's observed
/// <see cref="OrganizationFacts"/>, so every number quoted is a count that can be checked in its history. A fact
/// is only told when it points to concern: a count of zero, or a share that rounds to zero, is never a reason.
/// French reasons speak of the organisation (feminine: « absente », « présente »).
/// </summary>
public static class Reasons
{
    /// <summary>Contributions below this (in log-odds) are not worth telling a coordinator about.</summary>
    public const double MinimumContribution = 0.05;

    /// <summary>Non-breaking space, as French puts before « % » (and as fr-CA formats percentages).</summary>
    internal const char NoBreakSpace = '\u00A0';

    /// <summary>The top <paramref name="count"/> reasons that raised the risk of an organisation, largest first.</summary>
    /// <param name="features">The organisation's features and the facts behind them.</param>
    /// <param name="contributions">Each feature's contribution to the log-odds, in <see cref="FeatureNames.All"/> order (positive raises the risk).</param>
    /// <param name="count">How many reasons at most.</param>
    public static IReadOnlyList<Reason> Top(OrganizationFeatures features, double[] contributions, int count = 3)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(contributions);
        var values = features.Values;
        var ranked = Enumerable.Range(0, Math.Min(contributions.Length, values.Length))
            .Where(i => contributions[i] >= MinimumContribution)
            .OrderByDescending(i => contributions[i])
            .ThenBy(i => i);
        var reasons = new List<Reason>();
        var said = new HashSet<string>(StringComparer.Ordinal);
        foreach (var i in ranked)
        {
            if (Describe(FeatureNames.All[i], values[i], features.Facts) is not { } words || !said.Add(words.Topic))
            {
                continue;
            }

            reasons.Add(new Reason(FeatureNames.All[i], contributions[i], values[i], words.French, words.English));
            if (reasons.Count == count)
            {
                break;
            }
        }

        return reasons;
    }

    /// <summary>
    /// A short description of a feature that holds for every organisation it tops, without any one organisation's
    /// counts (for a partnership's roll-up: "3 partenaires : absences aux dernières rencontres").
    /// </summary>
    public static (string French, string English) Headline(string feature) => feature switch
    {
        FeatureNames.AbsenceShort or FeatureNames.AbsenceLong => ("absences aux dernières rencontres", "absences at the latest meetings"),
        FeatureNames.AbsenceStreak or FeatureNames.MeetingsSincePresent => ("absences d’affilée aux dernières rencontres", "absences in a row at the latest meetings"),
        FeatureNames.AbsenceAboveBaseline => ("plus d’absences que d’habitude", "more absences than usual"),
        FeatureNames.AbsenceEwma => ("absences récentes", "recent absences"),
        FeatureNames.Decline => ("présence en déclin", "declining attendance"),
        FeatureNames.TimeMissed => ("temps de présence réduit aux rencontres en ligne", "short stays at online meetings"),
        FeatureNames.RepresentativeChange or FeatureNames.RepresentativeChangeFresh => ("changement récent de représentant", "recent change of representative"),
        FeatureNames.Vacancy => ("aucun représentant désigné", "no representative in place"),
        FeatureNames.CoordinatorChange => ("changement récent à la coordination du partenariat", "recent change of the partnership's coordinator"),
        FeatureNames.FollowUpGap => ("fiches de suivi sans réponse", "unanswered follow-up sheets"),
        FeatureNames.DiagnosticWeak => ("réponses C à l’autodiagnostic du partenariat", "C answers in the partnership's self-diagnostic"),
        FeatureNames.DiagnosticDispersion => ("points de vue divergents à l’autodiagnostic", "diverging views in the self-diagnostic"),
        FeatureNames.ShortHistory => ("peu d’historique de participation", "little attendance history"),
        _ => (feature, feature),
    };

    /// <summary>"1 rencontre", "2 rencontres": a count with its noun (counts told are never 0).</summary>
    internal static string Count(int n, string singular, string plural) => $"{n.ToString(CultureInfo.InvariantCulture)} {(n == 1 ? singular : plural)}";

    /// <summary>A share as a whole percentage, half away from zero.</summary>
    private static int Percent(double share) => (int)Math.Round(share * 100, MidpointRounding.AwayFromZero);

    private static string FrenchPercent(int percent) => $"{percent.ToString(CultureInfo.InvariantCulture)}{NoBreakSpace}%";

    private static string EnglishPercent(int percent) => $"{percent.ToString(CultureInfo.InvariantCulture)}%";

    /// <summary>Below this many meetings since joining, an organisation's history is "little" (the long window).</summary>
    public const int ShortHistoryMeetings = 6;

    private sealed record Words(string Topic, string French, string English);

    private static Words? Describe(string feature, double value, OrganizationFacts facts)
    {
        var c = CultureInfo.InvariantCulture;
        switch (feature)
        {
            case FeatureNames.AbsenceShort:
                return value > 0 ? Absences(facts.Short) : null;
            case FeatureNames.AbsenceLong:
                return value > 0 ? Absences(facts.Long) : null;
            case FeatureNames.AbsenceStreak:
            case FeatureNames.MeetingsSincePresent:
                return value > 0 ? Streak(facts) : null;
            case FeatureNames.AbsenceAboveBaseline:
            {
                // The short window's absence against the organisation's own long-run absence, both as observed.
                var recent = facts.Short;
                var all = facts.All;
                if (value <= 0 || recent.Meetings == 0 || all.Meetings <= recent.Meetings)
                {
                    return null;
                }

                var now = Percent((double)recent.Absences / recent.Meetings);
                var usual = Percent((double)all.Absences / all.Meetings);
                if (now <= usual)
                {
                    return null;
                }

                var (fr, en) = recent.Meetings == 1
                    ? ("à la dernière rencontre", "of the last meeting")
                    : ($"aux {recent.Meetings.ToString(c)} dernières rencontres", $"of the last {recent.Meetings.ToString(c)} meetings");
                return new("trend",
                    $"plus d’absences que d’habitude : {FrenchPercent(now)} {fr}, contre {FrenchPercent(usual)} depuis son arrivée",
                    $"more absences than usual: {EnglishPercent(now)} {en}, against {EnglishPercent(usual)} since joining");
            }

            case FeatureNames.AbsenceEwma:
            {
                var p = Percent(value);
                return p > 0 && facts.All.Absences > 0
                    ? new("trend", $"taux d’absence récent de {FrenchPercent(p)} (moyenne pondérée)", $"recent absence rate of {EnglishPercent(p)} (weighted average)")
                    : null;
            }

            case FeatureNames.Decline:
            {
                var m = facts.Long.Meetings;
                return value > 0 && m >= 3 && facts.Long.Absences > 0
                    ? new("trend", $"présence en déclin sur les {m.ToString(c)} dernières rencontres", $"attendance declining over the last {m.ToString(c)} meetings")
                    : null;
            }

            case FeatureNames.TimeMissed:
            {
                var missed = Percent(value);
                return missed > 0 && facts.TimedMeetings > 0
                    ? new("time", $"a manqué en moyenne {FrenchPercent(missed)} du temps des rencontres en ligne", $"missed on average {EnglishPercent(missed)} of online meeting time")
                    : null;
            }

            case FeatureNames.RepresentativeChange:
            case FeatureNames.RepresentativeChangeFresh:
            {
                if (value <= 0 || facts.RepresentativeChangedOn is null)
                {
                    return null;
                }

                var since = facts.MeetingsSinceRepresentativeChange;
                return since switch
                {
                    0 => new("turnover", "nouveau représentant, aucune rencontre depuis le changement", "new representative, no meeting since the change yet"),
                    < 6 => new("turnover", $"nouveau représentant depuis {Count(since, "rencontre", "rencontres")}", $"new representative for {Count(since, "meeting", "meetings")}"),
                    _ => new("turnover", "changement de représentant au cours des 6 derniers mois", "representative changed in the last 6 months"),
                };
            }

            case FeatureNames.Vacancy:
                return value > 0 && facts.Vacant ? new("vacancy", "aucun représentant désigné actuellement", "no representative in place") : null;
            case FeatureNames.CoordinatorChange:
                return value > 0 && facts.CoordinatorChanged ? new("coordinator", "changement récent à la coordination du partenariat", "recent change of the partnership's coordinator") : null;
            case FeatureNames.FollowUpGap:
            {
                var forms = facts.FollowUpForms;
                var unanswered = forms - facts.FollowUpFormsAnswered;
                return value > 0 && unanswered > 0
                    ? new("forms",
                        $"n’a pas répondu à {Count(unanswered, "fiche de suivi récente", "fiches de suivi récentes")} sur {forms.ToString(c)}",
                        $"did not answer {unanswered.ToString(c)} of {Count(forms, "recent follow-up sheet", "recent follow-up sheets")}")
                    : null;
            }

            case FeatureNames.DiagnosticWeak:
            {
                var weak = facts.DiagnosticAnswersC;
                return value > 0 && weak > 0
                    ? new("diagnostic",
                        $"{Count(weak, "réponse C", "réponses C")} sur {facts.DiagnosticAnswers.ToString(c)} à l’autodiagnostic récent du partenariat",
                        $"{Count(weak, "C answer", "C answers")} out of {facts.DiagnosticAnswers.ToString(c)} in the partnership's recent self-diagnostic")
                    : null;
            }

            case FeatureNames.DiagnosticDispersion:
            {
                var diverging = facts.DiagnosticItemsDiverging;
                return value > 0 && diverging > 0
                    ? new("diagnostic",
                        $"points de vue divergents sur {diverging.ToString(c)} des {Cacis.ItemCount.ToString(c)} énoncés de l’autodiagnostic",
                        $"diverging views on {diverging.ToString(c)} of the {Cacis.ItemCount.ToString(c)} self-diagnostic items")
                    : null;
            }

            case FeatureNames.ShortHistory:
                // "Little" history is fewer meetings than the long window: a model may also push the risk up with this
                // input for organisations with a long record (a compact model reports log(1 + meetings) here), and
                // that is not a fact about a short history.
                if (facts.MeetingsKnown >= ShortHistoryMeetings)
                {
                    return null;
                }

                return facts.MeetingsKnown == 0
                    ? new("history", "pas encore de rencontre depuis son arrivée", "no meeting yet since joining")
                    : new("history", $"peu d’historique : {Count(facts.MeetingsKnown, "rencontre", "rencontres")} depuis son arrivée", $"little history: {Count(facts.MeetingsKnown, "meeting", "meetings")} since joining");
            default:
                return null;
        }
    }

    /// <summary>"absente à 2 des 3 dernières rencontres", or, with less history, "absente à 1 rencontre sur 1 jusqu’ici".</summary>
    private static Words? Absences(AttendanceWindow window)
    {
        var c = CultureInfo.InvariantCulture;
        var (n, m) = (window.Absences, window.Meetings);
        if (n <= 0 || m <= 0)
        {
            return null;
        }

        string fr, en;
        if (m < window.Size)
        {
            // Fewer meetings than the window: these are all the organisation's meetings so far.
            fr = $"absente à {Count(n, "rencontre", "rencontres")} sur {m.ToString(c)} jusqu’ici";
            en = $"absent from {n.ToString(c)} of {Count(m, "meeting", "meetings")} so far";
        }
        else if (m == 1)
        {
            fr = "absente à la dernière rencontre";
            en = "absent from the last meeting";
        }
        else
        {
            fr = $"absente à {n.ToString(c)} des {m.ToString(c)} dernières rencontres";
            en = $"absent from {n.ToString(c)} of the last {m.ToString(c)} meetings";
        }

        var (frExcused, enExcused) = Excused(n, window.Excused);
        return new("absence", fr + frExcused, en + enExcused);
    }

    /// <summary>"absente aux 4 dernières rencontres d’affilée", "aucune présence depuis 7 rencontres".</summary>
    private static Words? Streak(OrganizationFacts facts)
    {
        var c = CultureInfo.InvariantCulture;
        var n = facts.Streak;
        if (n <= 0)
        {
            return null;
        }

        var (fr, en) = n switch
        {
            1 => ("absente à la dernière rencontre", "absent from the last meeting"),
            _ when !facts.EverPresent => ($"aucune présence à ses {n.ToString(c)} rencontres depuis son arrivée", $"not present at any of its {n.ToString(c)} meetings since joining"),
            <= 6 => ($"absente aux {n.ToString(c)} dernières rencontres d’affilée", $"missed the last {n.ToString(c)} meetings in a row"),
            _ => ($"aucune présence depuis {n.ToString(c)} rencontres", $"not present for {n.ToString(c)} meetings"),
        };
        var (frExcused, enExcused) = Excused(n, facts.StreakExcused);
        return new("streak", fr + frExcused, en + enExcused);
    }

    /// <summary>Says how many of <paramref name="absences"/> were excused (regrets sent), if any.</summary>
    private static (string French, string English) Excused(int absences, int excused) =>
        excused <= 0 ? (string.Empty, string.Empty)
        : excused >= absences ? absences == 1 ? (" (excusée)", " (excused)") : (" (excusée chaque fois)", " (excused each time)")
        : ($" (excusée {excused.ToString(CultureInfo.InvariantCulture)} fois)", $" ({excused.ToString(CultureInfo.InvariantCulture)} excused)");
}
