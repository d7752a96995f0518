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

/// <summary>Turns the largest positive contributions into plain-language reasons, in French and English.</summary>
public static class Reasons
{
    /// <summary>Contributions below this (in log-odds) are not worth telling a coordinator about.</summary>
    public const double MinimumContribution = 0.05;

    /// <summary>The top <paramref name="count"/> reasons that raised the risk, largest first.</summary>
    public static IReadOnlyList<Reason> Top(double[] values, double[] contributions, int count = 3)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(contributions);
        var ranked = Enumerable.Range(0, contributions.Length)
            .Where(i => contributions[i] >= MinimumContribution)
            .OrderByDescending(i => contributions[i])
            .ThenBy(i => i);
        var reasons = new List<Reason>();
        var said = new HashSet<string>(StringComparer.Ordinal);
        foreach (var i in ranked)
        {
            var (topic, french, english) = Describe(FeatureNames.All[i], values[i], values);
            if (french is null || !said.Add(topic))
            {
                continue;
            }

            reasons.Add(new Reason(FeatureNames.All[i], contributions[i], values[i], french, english!));
            if (reasons.Count == count)
            {
                break;
            }
        }

        return reasons;
    }

    private static (string Topic, string? French, string? English) Describe(string feature, double value, double[] all)
    {
        var c = CultureInfo.InvariantCulture;
        int Of(double share, int window) => (int)Math.Round(share * window);
        string Percent(double share) => ((int)Math.Round(share * 100)).ToString(c);
        switch (feature)
        {
            case FeatureNames.AbsenceShort:
            {
                var n = Of(value, 3);
                return n == 0 ? ("absence", null, null) : ("absence", $"absente à {n} des 3 dernières rencontres", $"absent from {n} of the last 3 meetings");
            }

            case FeatureNames.AbsenceLong:
            {
                var n = Of(value, 6);
                return n == 0 ? ("absence", null, null) : ("absence", $"absente à {n} des 6 dernières rencontres", $"absent from {n} of the last 6 meetings");
            }

            case FeatureNames.AbsenceStreak:
            {
                var n = Of(value, 6);
                return n == 0 ? ("streak", null, null) : ("streak", $"absente aux {n} dernières rencontres d’affilée", $"missed the last {n} meetings in a row");
            }

            case FeatureNames.MeetingsSincePresent:
            {
                var n = Of(value, 12);
                return n == 0 ? ("streak", null, null) : ("streak", $"aucune présence depuis {n} rencontre{(n > 1 ? "s" : string.Empty)}", $"not present for {n} meeting{(n > 1 ? "s" : string.Empty)}");
            }

            case FeatureNames.AbsenceAboveBaseline:
                return ("trend", $"présence en baisse par rapport à son habitude (+{Percent(value)} points d’absence)", $"attending less than usual (+{Percent(value)} points of absence)");
            case FeatureNames.AbsenceEwma:
                return ("trend", $"absences récentes plus fréquentes ({Percent(value)} % en moyenne pondérée)", $"more frequent recent absences ({Percent(value)}% weighted average)");
            case FeatureNames.Decline:
                return ("trend", "présence en déclin sur les 6 dernières rencontres", "attendance declining over the last 6 meetings");
            case FeatureNames.TimeMissed:
                return ("time", $"présente seulement {Percent(1 - value)} % du temps des rencontres en ligne", $"stays for only {Percent(1 - value)}% of online meetings");
            case FeatureNames.RepresentativeChange:
            case FeatureNames.RepresentativeChangeFresh:
            {
                var fresh = all[FeatureNames.IndexOf(FeatureNames.RepresentativeChangeFresh)];
                var since = (int)Math.Round((1 - fresh) * 6);
                return fresh > 0
                    ? ("turnover", $"nouveau représentant depuis {since} rencontre{(since > 1 ? "s" : string.Empty)}", $"new representative for {since} meeting{(since > 1 ? "s" : string.Empty)}")
                    : ("turnover", "changement de représentant au cours des 6 derniers mois", "representative changed in the last 6 months");
            }

            case FeatureNames.Vacancy:
                return ("vacancy", "aucun représentant désigné actuellement", "no representative in place");
            case FeatureNames.CoordinatorChange:
                return ("coordinator", "changement récent à la coordination du partenariat", "recent change of the partnership's coordinator");
            case FeatureNames.FollowUpGap:
                return ("forms", $"n’a pas répondu à {Percent(value)} % des fiches de suivi récentes", $"did not answer {Percent(value)}% of recent follow-up sheets");
            case FeatureNames.DiagnosticWeak:
                return ("diagnostic", $"{Percent(value)} % de réponses C au dernier autodiagnostic du partenariat", $"{Percent(value)}% C answers in the partnership's latest self-diagnostic");
            case FeatureNames.DiagnosticDispersion:
                return ("diagnostic", $"points de vue divergents sur {Of(value, Cacis.ItemCount)} des 18 énoncés de l’autodiagnostic", $"diverging views on {Of(value, Cacis.ItemCount)} of the 18 self-diagnostic items");
            case FeatureNames.ShortHistory:
                return ("history", "peu d’historique de participation", "little attendance history");
            default:
                return (feature, null, null);
        }
    }
}
