using Engagement.Analytics.Features;

namespace Engagement.Analytics.Model;

/// <summary>
/// The inputs a candidate model reads. <c>full</c>: the product's feature vector (<see cref="FeatureNames.All"/>).
/// <c>compact</c>: five inputs — <c>absence_ewma</c>, <c>absence_streak</c>, <c>absence_last3</c>, the cumulative absence
/// rate (<see cref="OrganizationFeatures.CumulativeAbsence"/>) and log(1 + meetings known). The two derived inputs are
/// explained under the nearest named feature: the cumulative rate under <c>absence_last12</c> (the organisation's
/// long-run absence level) and log meetings known under <c>short_history</c> (the same quantity, 1 / (1 + meetings
/// known)), neither of which the compact set reads otherwise; a compact model gives 0 to every other feature.
/// <c>compact-plan</c>: the compact inputs and the two action-plan features (<c>actions_late_share</c>,
/// <c>sheet_silence</c>): the smallest set that sees a partner's actions slip.
/// A stored model keeps the names of the inputs it reads (<see cref="RiskModel.Inputs"/>) and is scored from them by
/// name, so features appended later do not change what it reads.
/// </summary>
public static class FeatureSets
{
    /// <summary>The product's feature vector.</summary>
    public const string Full = "full";

    /// <summary>The five-input subset.</summary>
    public const string Compact = "compact";

    /// <summary>The compact inputs and the action plan's two features.</summary>
    public const string CompactPlan = "compact-plan";

    /// <summary>Name of the derived cumulative absence input.</summary>
    public const string CumulativeAbsence = "cumulative_absence";

    /// <summary>Name of the derived log(1 + meetings known) input.</summary>
    public const string LogMeetingsKnown = "log_meetings_known";

    private static readonly Dictionary<string, int> Index = FeatureNames.All.Select((name, i) => (name, i)).ToDictionary(x => x.name, x => x.i, StringComparer.Ordinal);

    private static readonly string[] CompactInputs = [FeatureNames.AbsenceEwma, FeatureNames.AbsenceStreak, FeatureNames.AbsenceShort, CumulativeAbsence, LogMeetingsKnown];

    private static readonly string[] CompactPlanInputs = [.. CompactInputs, FeatureNames.ActionsLate, FeatureNames.SheetSilence];

    /// <summary>The inputs of a set, in the order the model reads them.</summary>
    public static IReadOnlyList<string> Inputs(string set) => set switch
    {
        Full => FeatureNames.All,
        Compact => CompactInputs,
        CompactPlan => CompactPlanInputs,
        _ => throw new ArgumentException($"Unknown feature set '{set}'.", nameof(set)),
    };

    /// <summary>The index in <see cref="FeatureNames.All"/> under which an input's contribution is reported.</summary>
    public static int ReportedAt(string input) => input switch
    {
        CumulativeAbsence => IndexOf(FeatureNames.AbsenceYear),
        LogMeetingsKnown => IndexOf(FeatureNames.ShortHistory),
        _ => IndexOf(input),
    };

    /// <summary>The input vector of a set for an organisation.</summary>
    public static double[] Vector(string set, OrganizationFeatures features)
    {
        ArgumentNullException.ThrowIfNull(features);
        return set == Full ? features.Values : Vector(set, features.Values, features.MeetingsKnown, features.CumulativeAbsence);
    }

    /// <summary>The input vector of a set from the feature vector and the two facts the compact set derives from.</summary>
    public static double[] Vector(string set, IReadOnlyList<double> values, int meetingsKnown, double cumulativeAbsence) =>
        Vector(Inputs(set), values, meetingsKnown, cumulativeAbsence);

    /// <summary>The vector of named inputs (features of <see cref="FeatureNames.All"/> or derived inputs) for an organisation.</summary>
    public static double[] Vector(IReadOnlyList<string> inputs, OrganizationFeatures features)
    {
        ArgumentNullException.ThrowIfNull(features);
        return Vector(inputs, features.Values, features.MeetingsKnown, features.CumulativeAbsence);
    }

    /// <summary>Whether every named input is one this version computes.</summary>
    public static bool Known(IEnumerable<string> inputs) => inputs.All(name => name is CumulativeAbsence or LogMeetingsKnown || Index.ContainsKey(name));

    private static double[] Vector(IReadOnlyList<string> inputs, IReadOnlyList<double> values, int meetingsKnown, double cumulativeAbsence)
    {
        ArgumentNullException.ThrowIfNull(values);
        var vector = new double[inputs.Count];
        for (var i = 0; i < vector.Length; i++)
        {
            vector[i] = inputs[i] switch
            {
                CumulativeAbsence => cumulativeAbsence,
                LogMeetingsKnown => Math.Log(1 + Math.Max(0, meetingsKnown)),
                var name => values[IndexOf(name)],
            };
        }

        return vector;
    }

    private static int IndexOf(string name) => Index.TryGetValue(name, out var i) ? i : throw new ArgumentException($"Unknown feature '{name}'.", nameof(name));
}
