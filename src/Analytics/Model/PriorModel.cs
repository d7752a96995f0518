using Engagement.Analytics.Features;

namespace Engagement.Analytics.Model;

/// <summary>
/// The cold-start model, used while an installation has too little history to train one (see
/// <see cref="ModelTrainer.MinimumExamples"/>). Its weights are set by hand from the field's experience, on the raw
/// feature scale (means 0, scales 1): at an organisation with no warning sign the risk is about 8 %; a regular member
/// who missed the last three meetings scores 80–90 %; a vacant seat or a brand-new representative adds to it. An
/// organisation whose open actions are all late moves from about 8 % to about 23 % with nothing else wrong, and to about
/// 40 % (medium) when it has also left its follow-up sheets unanswered for three months: slipping actions are an early
/// sign, weaker than missed meetings, that a partner is pulling back. Every score it gives says <c>model: prior-2</c>, so
/// nobody mistakes it for a learnt model (<c>prior-1</c>, without the action plan's features, scored the same
/// organisations without a plan the same).
/// </summary>
public static class PriorModel
{
    /// <summary>Version string of the prior.</summary>
    public const string Version = "prior-2";

    private static readonly Dictionary<string, double> Weights = new(StringComparer.Ordinal)
    {
        [FeatureNames.AbsenceShort] = 2.0,
        [FeatureNames.AbsenceLong] = 0.5,
        [FeatureNames.AbsenceAboveBaseline] = 0.8,
        [FeatureNames.AbsenceEwma] = 1.0,
        [FeatureNames.AbsenceStreak] = 0.5,
        [FeatureNames.MeetingsSincePresent] = 0.5,
        [FeatureNames.Decline] = 0.5,
        [FeatureNames.TimeMissed] = 0.5,
        [FeatureNames.RepresentativeChange] = 0.3,
        [FeatureNames.RepresentativeChangeFresh] = 0.7,
        [FeatureNames.Vacancy] = 1.5,
        [FeatureNames.CoordinatorChange] = 0.3,
        [FeatureNames.FollowUpGap] = 0.4,
        [FeatureNames.DiagnosticWeak] = 0.6,
        [FeatureNames.DiagnosticDispersion] = 0.3,
        [FeatureNames.ShortHistory] = 0.0,
        [FeatureNames.AbsenceYear] = 0.5,
        [FeatureNames.PartnershipAbsence] = 0.5,
        [FeatureNames.SummerAhead] = 0.0,
        [FeatureNames.ActionsLate] = 1.2,
        [FeatureNames.SheetSilence] = 0.8,
    };

    /// <summary>The prior as a model artifact.</summary>
    public static RiskModel Create() => new()
    {
        Version = Version,
        Kind = "prior",
        Features = FeatureNames.All,
        Means = [.. FeatureNames.All.Select(_ => 0.0)],
        Scales = [.. FeatureNames.All.Select(_ => 1.0)],
        Weights = [.. FeatureNames.All.Select(name => Weights[name])],
        Intercept = -2.4,
    };
}
