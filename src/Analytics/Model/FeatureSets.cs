using Engagement.Analytics.Features;

namespace Engagement.Analytics.Model;

/// <summary>
/// The inputs a candidate model reads. <c>full</c>: the product's feature vector (<see cref="FeatureNames.All"/>).
/// <c>compact</c>: five inputs — <c>absence_ewma</c>, <c>absence_streak</c>, <c>absence_last3</c>, the cumulative absence
/// rate (<see cref="OrganizationFeatures.CumulativeAbsence"/>) and log(1 + meetings known). The two derived inputs are
/// explained under the nearest named feature: the cumulative rate under <c>absence_last12</c> (the organisation's
/// long-run absence level) and log meetings known under <c>short_history</c> (the same quantity, 1 / (1 + meetings
/// known)), neither of which the compact set reads otherwise; a compact model gives 0 to every other feature.
/// </summary>
public static class FeatureSets
{
    /// <summary>The product's feature vector.</summary>
    public const string Full = "full";

    /// <summary>The five-input subset.</summary>
    public const string Compact = "compact";

    /// <summary>Name of the derived cumulative absence input.</summary>
    public const string CumulativeAbsence = "cumulative_absence";

    /// <summary>Name of the derived log(1 + meetings known) input.</summary>
    public const string LogMeetingsKnown = "log_meetings_known";

    private static readonly Dictionary<string, int> Index = FeatureNames.All.Select((name, i) => (name, i)).ToDictionary(x => x.name, x => x.i, StringComparer.Ordinal);

    private static readonly string[] CompactInputs = [FeatureNames.AbsenceEwma, FeatureNames.AbsenceStreak, FeatureNames.AbsenceShort, CumulativeAbsence, LogMeetingsKnown];

    /// <summary>The inputs of a set, in the order the model reads them.</summary>
    public static IReadOnlyList<string> Inputs(string set) => set switch
    {
        Full => FeatureNames.All,
        Compact => CompactInputs,
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
    public static double[] Vector(string set, IReadOnlyList<double> values, int meetingsKnown, double cumulativeAbsence)
    {
        ArgumentNullException.ThrowIfNull(values);
        var inputs = Inputs(set);
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
