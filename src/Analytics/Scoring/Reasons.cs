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
        FeatureNames.AbsenceShort or FeatureNames.AbsenceLong => ReasonTexts.Say("Headline.Absence"),
        FeatureNames.AbsenceStreak or FeatureNames.MeetingsSincePresent => ReasonTexts.Say("Headline.Streak"),
        FeatureNames.AbsenceAboveBaseline => ReasonTexts.Say("Headline.AboveBaseline"),
        FeatureNames.AbsenceEwma => ReasonTexts.Say("Headline.Ewma"),
        FeatureNames.Decline => ReasonTexts.Say("Headline.Decline"),
        FeatureNames.TimeMissed => ReasonTexts.Say("Headline.TimeMissed"),
        FeatureNames.RepresentativeChange or FeatureNames.RepresentativeChangeFresh => ReasonTexts.Say("Headline.RepresentativeChange"),
        FeatureNames.Vacancy => ReasonTexts.Say("Headline.Vacancy"),
        FeatureNames.CoordinatorChange => ReasonTexts.Say("Headline.CoordinatorChange"),
        FeatureNames.FollowUpGap => ReasonTexts.Say("Headline.FollowUpGap"),
        FeatureNames.DiagnosticWeak => ReasonTexts.Say("Headline.DiagnosticWeak"),
        FeatureNames.DiagnosticDispersion => ReasonTexts.Say("Headline.DiagnosticDispersion"),
        FeatureNames.ShortHistory => ReasonTexts.Say("Headline.ShortHistory"),
        FeatureNames.ActionsLate => ReasonTexts.Say("Headline.LateActions"),
        FeatureNames.SheetSilence => ReasonTexts.Say("Headline.SheetSilence"),
        _ => (feature, feature),
    };

    /// <summary>A share as a whole percentage, half away from zero.</summary>
    private static int Percent(double share) => (int)Math.Round(share * 100, MidpointRounding.AwayFromZero);

    /// <summary>Below this many meetings since joining, an organisation's history is "little" (the long window).</summary>
    public const int ShortHistoryMeetings = 6;

    private sealed record Words(string Topic, string French, string English)
    {
        public Words(string topic, (string French, string English) text)
            : this(topic, text.French, text.English)
        {
        }
    }

    private static Words? Describe(string feature, double value, OrganizationFacts facts)
    {
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

                var (fr, en) = ReasonTexts.Count("Window.Last", recent.Meetings, recent.Meetings);
                return new("trend", ReasonTexts.Say("Reason.AboveBaseline", now, fr, usual).French, ReasonTexts.Say("Reason.AboveBaseline", now, en, usual).English);
            }

            case FeatureNames.AbsenceEwma:
            {
                var p = Percent(value);
                return p > 0 && facts.All.Absences > 0
                    ? new("trend", ReasonTexts.Say("Reason.Ewma", p))
                    : null;
            }

            case FeatureNames.Decline:
            {
                var m = facts.Long.Meetings;
                return value > 0 && m >= 3 && facts.Long.Absences > 0
                    ? new("trend", ReasonTexts.Say("Reason.Decline", m))
                    : null;
            }

            case FeatureNames.TimeMissed:
            {
                var missed = Percent(value);
                return missed > 0 && facts.TimedMeetings > 0
                    ? new("time", ReasonTexts.Say("Reason.TimeMissed", missed))
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
                    0 => new("turnover", ReasonTexts.Say("Reason.NewRepresentative.None")),
                    < 6 => new("turnover", ReasonTexts.Count("Reason.NewRepresentative", since, since)),
                    _ => new("turnover", ReasonTexts.Say("Reason.RepresentativeChanged")),
                };
            }

            case FeatureNames.Vacancy:
                return value > 0 && facts.Vacant ? new("vacancy", ReasonTexts.Say("Reason.Vacancy")) : null;
            case FeatureNames.CoordinatorChange:
                return value > 0 && facts.CoordinatorChanged ? new("coordinator", ReasonTexts.Say("Reason.CoordinatorChange")) : null;
            case FeatureNames.FollowUpGap:
            {
                var forms = facts.FollowUpForms;
                var unanswered = forms - facts.FollowUpFormsAnswered;
                return value > 0 && unanswered > 0
                    ? new("forms", ReasonTexts.CountEach("Reason.FollowUpGap", unanswered, forms, unanswered, forms))
                    : null;
            }

            case FeatureNames.DiagnosticWeak:
            {
                var weak = facts.DiagnosticAnswersC;
                return value > 0 && weak > 0
                    ? new("diagnostic", ReasonTexts.Count("Reason.DiagnosticWeak", weak, weak, facts.DiagnosticAnswers))
                    : null;
            }

            case FeatureNames.DiagnosticDispersion:
            {
                var diverging = facts.DiagnosticItemsDiverging;
                return value > 0 && diverging > 0
                    ? new("diagnostic", ReasonTexts.Say("Reason.DiagnosticDispersion", diverging, Cacis.ItemCount))
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
                    ? new("history", ReasonTexts.Say("Reason.NoMeetingYet"))
                    : new("history", ReasonTexts.Count("Reason.LittleHistory", facts.MeetingsKnown, facts.MeetingsKnown));
            case FeatureNames.ActionsLate:
                return value > 0 && facts.LateActions > 0
                    ? new("actions", Several("Reason.LateActions", facts.LateActions, facts.OldestLateDays, facts.NewestLateDays))
                    : null;
            case FeatureNames.SheetSilence:
                return value > 0 && facts.SheetsUnanswered > 0
                    ? new("sheets", Several("Reason.SheetSilence", facts.SheetsUnanswered, facts.OldestUnansweredDays, facts.NewestUnansweredDays))
                    : null;
            default:
                return null;
        }
    }

    /// <summary>
    /// The late-action reason of an organisation when it has late actions, whatever a model made of them (0 as the
    /// contribution when the model gives the feature none): what an alert about late actions must say.
    /// </summary>
    public static Reason? LateActions(OrganizationFeatures features, double[]? contributions = null)
    {
        ArgumentNullException.ThrowIfNull(features);
        var i = FeatureNames.IndexOf(FeatureNames.ActionsLate);
        return Describe(FeatureNames.ActionsLate, features.Values[i], features.Facts) is { } words
            ? new Reason(FeatureNames.ActionsLate, contributions is null ? 0 : Math.Max(0, contributions[i]), features.Values[i], words.French, words.English)
            : null;
    }

    /// <summary>
    /// "1 action en retard depuis 45 jours", "2 actions en retard depuis 45 jours" when both have been late as long, else
    /// "3 actions en retard, la plus ancienne depuis 45 jours": each number quoted is true of every thing it counts.
    /// </summary>
    private static (string French, string English) Several(string key, int count, int oldestDays, int newestDays)
    {
        var (frSince, enSince) = Since(oldestDays);
        return count > 1 && oldestDays != newestDays
            ? (ReasonTexts.Say(key + ".Oldest", count, frSince).French, ReasonTexts.Say(key + ".Oldest", count, enSince).English)
            : (ReasonTexts.Count(key, count, count, frSince).French, ReasonTexts.Count(key, count, count, enSince).English);
    }

    /// <summary>"depuis 45 jours" / "for 45 days"; "depuis aujourd’hui" / "since today" on the first day.</summary>
    private static (string French, string English) Since(int days) =>
        days <= 0 ? ReasonTexts.Say("Since.Today") : ReasonTexts.Count("Since.Days", days, days);

    /// <summary>"absente à 2 des 3 dernières rencontres", or, with less history, "absente à 1 rencontre sur 1 jusqu’ici".</summary>
    private static Words? Absences(AttendanceWindow window)
    {
        var (n, m) = (window.Absences, window.Meetings);
        if (n <= 0 || m <= 0)
        {
            return null;
        }

        var (fr, en) = m < window.Size
            ? ReasonTexts.CountEach("Reason.AbsentSoFar", n, m, n, m) // fewer meetings than the window: all its meetings so far
            : m == 1 ? ReasonTexts.Say("Reason.AbsentLast") : ReasonTexts.Say("Reason.AbsentOfLast", n, m);
        var (frExcused, enExcused) = Excused(n, window.Excused);
        return new("absence", fr + frExcused, en + enExcused);
    }

    /// <summary>"absente aux 4 dernières rencontres d’affilée", "aucune présence depuis 7 rencontres".</summary>
    private static Words? Streak(OrganizationFacts facts)
    {
        var n = facts.Streak;
        if (n <= 0)
        {
            return null;
        }

        var (fr, en) = n switch
        {
            1 => ReasonTexts.Say("Reason.AbsentLast"),
            _ when !facts.EverPresent => ReasonTexts.Say("Reason.NeverPresent", n),
            <= 6 => ReasonTexts.Say("Reason.InARow", n),
            _ => ReasonTexts.Say("Reason.NotPresentFor", n),
        };
        var (frExcused, enExcused) = Excused(n, facts.StreakExcused);
        return new("streak", fr + frExcused, en + enExcused);
    }

    /// <summary>Says how many of <paramref name="absences"/> were excused (regrets sent), if any.</summary>
    private static (string French, string English) Excused(int absences, int excused) =>
        excused <= 0 ? (string.Empty, string.Empty)
        : excused >= absences ? ReasonTexts.Say(absences == 1 ? "Excused.Once" : "Excused.Each")
        : ReasonTexts.Say("Excused.Some", excused);
}
