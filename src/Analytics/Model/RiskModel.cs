using System.Text.Json;
using System.Text.Json.Serialization;
using Engagement.Analytics.Features;

namespace Engagement.Analytics.Model;

/// <summary>
/// A logistic model of disengagement risk over standardised features, stored as a JSON artifact: version, features,
/// scaling, weights, intercept, training window and metrics. Its explanation of a prediction is, per feature,
/// <c>weight × (value − training mean) / scale</c>: how far that feature moved the log-odds from an average
/// organisation's.
/// </summary>
public sealed record RiskModel
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        // Empty reliability bins and undefined AUCs are NaN; they must survive the artifact.
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Identifies the model, e.g. <c>trained-2026-11-22T03:30:00Z</c> or <c>prior-1</c>.</summary>
    public required string Version { get; init; }

    /// <summary><c>trained</c>, or <c>prior</c> for the documented cold-start model.</summary>
    public required string Kind { get; init; }

    /// <summary>Feature names, in vector order.</summary>
    public required IReadOnlyList<string> Features { get; init; }

    /// <summary>Training means of the features.</summary>
    public required IReadOnlyList<double> Means { get; init; }

    /// <summary>Training standard deviations of the features (1 where a feature did not vary).</summary>
    public required IReadOnlyList<double> Scales { get; init; }

    /// <summary>Weights on standardised features.</summary>
    public required IReadOnlyList<double> Weights { get; init; }

    /// <summary>Intercept (log-odds of an organisation at the training means).</summary>
    public required double Intercept { get; init; }

    /// <summary>When it was trained.</summary>
    public DateTimeOffset? TrainedAt { get; init; }

    /// <summary>First as-of time of the training examples.</summary>
    public DateTimeOffset? TrainingFrom { get; init; }

    /// <summary>Last as-of time of the training examples.</summary>
    public DateTimeOffset? TrainingTo { get; init; }

    /// <summary>Training examples used.</summary>
    public int TrainingExamples { get; init; }

    /// <summary>Share of positive training examples.</summary>
    public double TrainingBaseRate { get; init; }

    /// <summary>Metrics on the held-out slice, when evaluated.</summary>
    public Evaluation.EvaluationReport? Evaluation { get; init; }

    /// <summary>Whether this is the cold-start prior rather than a model learnt from this installation's history.</summary>
    [JsonIgnore]
    public bool IsPrior => Kind == "prior";

    /// <summary>Log-odds of disengagement.</summary>
    public double LogOdds(IReadOnlyList<double> values)
    {
        CheckLength(values);
        var z = Intercept;
        for (var i = 0; i < Weights.Count; i++)
        {
            z += Weights[i] * ((values[i] - Means[i]) / Scales[i]);
        }

        return z;
    }

    /// <summary>Probability of disengagement.</summary>
    public double Probability(IReadOnlyList<double> values) => Sigmoid(LogOdds(values));

    /// <summary>Per-feature contributions to the log-odds, relative to an organisation at the training means.</summary>
    public double[] Contributions(IReadOnlyList<double> values)
    {
        CheckLength(values);
        var contributions = new double[Weights.Count];
        for (var i = 0; i < contributions.Length; i++)
        {
            contributions[i] = Weights[i] * ((values[i] - Means[i]) / Scales[i]);
        }

        return contributions;
    }

    /// <summary>The artifact as JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Reads an artifact, checking that its vectors agree.</summary>
    public static RiskModel FromJson(string json)
    {
        var model = JsonSerializer.Deserialize<RiskModel>(json, Json) ?? throw new InvalidDataException("Empty model artifact.");
        var n = model.Features.Count;
        if (model.Means.Count != n || model.Scales.Count != n || model.Weights.Count != n || model.Scales.Any(s => s <= 0 || !double.IsFinite(s)))
        {
            throw new InvalidDataException($"Model artifact {model.Version} is inconsistent: {n} features, {model.Means.Count} means, {model.Scales.Count} scales, {model.Weights.Count} weights.");
        }

        return model;
    }

    /// <summary>Whether this model reads the features the product computes today.</summary>
    public bool MatchesFeatures() => Features.SequenceEqual(FeatureNames.All);

    /// <summary>The logistic function, stable for large |z|.</summary>
    public static double Sigmoid(double z) => z >= 0 ? 1 / (1 + Math.Exp(-z)) : Math.Exp(z) / (1 + Math.Exp(z));

    private void CheckLength(IReadOnlyList<double> values)
    {
        if (values.Count != Weights.Count)
        {
            throw new ArgumentException($"Model {Version} takes {Weights.Count} features, not {values.Count}.", nameof(values));
        }
    }
}
