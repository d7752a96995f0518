using System.Text.Json;
using System.Text.Json.Serialization;
using Engagement.Analytics.Features;

namespace Engagement.Analytics.Model;

/// <summary>
/// A model of disengagement risk, stored as a JSON artifact. Two kinds of artifact exist:
/// <list type="bullet">
/// <item>a linear artifact (no <see cref="Format"/>): the cold-start prior, and models trained before issue 14 by the
/// in-house Newton solver — features, means, scales, weights, intercept; its explanation is, per feature,
/// <c>weight × (value − training mean) / scale</c>;</item>
/// <item>an ML.NET artifact (<see cref="Format"/> <c>mlnet-1</c>): the ML.NET model file as base64 in
/// <see cref="MlNetModel"/>, the chosen candidate, the inputs it reads, its calibration and how it was chosen
/// (<see cref="Selection"/>); explained exactly by <see cref="MlNetEngine"/>.</item>
/// </list>
/// Either way <see cref="Explain(OrganizationFeatures)"/> gives a bias and one contribution per feature of
/// <see cref="FeatureNames.All"/> whose sum is <see cref="LogOdds(OrganizationFeatures)"/>.
/// An artifact reads its features by name (<see cref="Features"/>, <see cref="Inputs"/>): features are only ever appended
/// to the product's vector, so a model trained before a feature existed keeps scoring, and gives it 0.
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

    /// <summary>The ML.NET artifact format.</summary>
    public const string MlNetFormat = "mlnet-1";

    /// <summary>
    /// Feature names, in vector order: the product's feature vector when the model was trained (a linear artifact's
    /// means, scales and weights are in this order).
    /// </summary>
    public required IReadOnlyList<string> Features { get; init; }

    /// <summary>Linear artifact: training means of the features.</summary>
    public IReadOnlyList<double> Means { get; init; } = [];

    /// <summary>Linear artifact: training standard deviations of the features (1 where a feature did not vary).</summary>
    public IReadOnlyList<double> Scales { get; init; } = [];

    /// <summary>Linear artifact: weights on standardised features.</summary>
    public IReadOnlyList<double> Weights { get; init; } = [];

    /// <summary>Linear artifact: intercept (log-odds of an organisation at the training means). ML.NET artifact: the explanation's bias for reference.</summary>
    public double Intercept { get; init; }

    /// <summary><c>mlnet-1</c> for an ML.NET artifact; null for a linear one.</summary>
    public string? Format { get; init; }

    /// <summary>ML.NET artifact: the chosen candidate (<see cref="CandidateSpec"/>).</summary>
    public CandidateSpec? Candidate { get; init; }

    /// <summary>ML.NET artifact: the inputs the model reads, in order (<see cref="FeatureSets.Inputs"/>).</summary>
    public IReadOnlyList<string>? Inputs { get; init; }

    /// <summary>ML.NET artifact: how the raw score becomes a probability.</summary>
    public Calibration? Calibration { get; init; }

    /// <summary>ML.NET artifact: every candidate's validation score and the chosen one.</summary>
    public ModelSelection? Selection { get; init; }

    /// <summary>ML.NET artifact: the ML.NET model file (zip), base64.</summary>
    public string? MlNetModel { get; init; }

    /// <summary>The loaded ML.NET model (not serialised).</summary>
    internal MlNetEngine? Engine { get; init; }

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

    /// <summary>
    /// The score the explanation adds up to: the log-odds of disengagement (for an isotonic calibration, the model's
    /// uncalibrated raw score).
    /// </summary>
    public double LogOdds(OrganizationFeatures features)
    {
        ArgumentNullException.ThrowIfNull(features);
        return Engine is null ? LogOdds(features.Values) : Affine(Engine.Raw(FeatureSets.Vector(Inputs!, features)));
    }

    /// <summary>Probability of disengagement.</summary>
    public double Probability(OrganizationFeatures features)
    {
        ArgumentNullException.ThrowIfNull(features);
        return Engine is null ? Probability(features.Values) : Calibration!.Probability(Engine.Raw(FeatureSets.Vector(Inputs!, features)));
    }

    /// <summary>Per-feature contributions (in <see cref="FeatureNames.All"/> order) to <see cref="LogOdds(OrganizationFeatures)"/>.</summary>
    public double[] Contributions(OrganizationFeatures features) => Explain(features).Contributions;

    /// <summary>The bias and the per-feature contributions, in <see cref="FeatureNames.All"/> order, whose sum is <see cref="LogOdds(OrganizationFeatures)"/>.</summary>
    public (double Bias, double[] Contributions) Explain(OrganizationFeatures features)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (Engine is null)
        {
            return (Intercept, Contributions(features.Values));
        }

        var inputs = new double[Engine.Inputs];
        Engine.Raw(FeatureSets.Vector(Inputs!, features), inputs);
        var slope = Calibration!.IsAffine ? Calibration.A : 1.0;
        var contributions = new double[FeatureNames.Count];
        for (var i = 0; i < inputs.Length; i++)
        {
            contributions[FeatureSets.ReportedAt(Inputs![i])] += slope * inputs[i];
        }

        return (Affine(Engine.Bias), contributions);
    }

    /// <summary>
    /// Log-odds of disengagement from the product's feature vector (<see cref="FeatureNames.All"/> order) alone (linear
    /// artifacts and full-feature ML.NET models).
    /// </summary>
    public double LogOdds(IReadOnlyList<double> values)
    {
        if (Engine is not null)
        {
            return Affine(Engine.Raw(FullVector(values)));
        }

        var own = Own(values);
        var z = Intercept;
        for (var i = 0; i < Weights.Count; i++)
        {
            z += Weights[i] * ((own[i] - Means[i]) / Scales[i]);
        }

        return z;
    }

    /// <summary>Probability of disengagement from the product's feature vector alone (linear artifacts and full-feature ML.NET models).</summary>
    public double Probability(IReadOnlyList<double> values) =>
        Engine is null ? Sigmoid(LogOdds(values)) : Calibration!.Probability(Engine.Raw(FullVector(values)));

    /// <summary>
    /// Linear artifact: per-feature contributions to the log-odds, relative to an organisation at the training means, in
    /// <see cref="FeatureNames.All"/> order (0 for a feature the model does not read).
    /// </summary>
    public double[] Contributions(IReadOnlyList<double> values)
    {
        if (Engine is not null)
        {
            throw new InvalidOperationException($"Model {Version} is explained from an organisation's features (Explain), not a bare vector.");
        }

        var own = Own(values);
        var contributions = new double[FeatureNames.Count];
        for (var i = 0; i < Weights.Count; i++)
        {
            contributions[FeatureNames.IndexOf(Features[i])] += Weights[i] * ((own[i] - Means[i]) / Scales[i]);
        }

        return contributions;
    }

    /// <summary>The artifact as JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Reads an artifact, checking that its vectors agree (and loading the ML.NET model file of an ML.NET artifact).</summary>
    public static RiskModel FromJson(string json)
    {
        var model = JsonSerializer.Deserialize<RiskModel>(json, Json) ?? throw new InvalidDataException("Empty model artifact.");
        if (model.Format is not null)
        {
            if (model.Format != MlNetFormat || model.MlNetModel is null || model.Candidate is null || model.Inputs is null || model.Calibration is null)
            {
                throw new InvalidDataException($"Model artifact {model.Version} has format '{model.Format}' without its ML.NET model, candidate, inputs or calibration.");
            }

            byte[] file;
            try
            {
                file = Convert.FromBase64String(model.MlNetModel);
            }
            catch (FormatException ex)
            {
                throw new InvalidDataException($"Model artifact {model.Version}: the ML.NET model is not base64.", ex);
            }

            return model with { Engine = MlNetEngine.Load(model.Candidate.Trainer, file, model.Inputs.Count) };
        }

        var n = model.Features.Count;
        if (model.Means.Count != n || model.Scales.Count != n || model.Weights.Count != n || model.Scales.Any(s => s <= 0 || !double.IsFinite(s)))
        {
            throw new InvalidDataException($"Model artifact {model.Version} is inconsistent: {n} features, {model.Means.Count} means, {model.Scales.Count} scales, {model.Weights.Count} weights.");
        }

        return model;
    }

    /// <summary>
    /// Whether this version can score with the model: every feature and input it reads is one the product still computes
    /// (features are only appended, so a model trained before some of them still can).
    /// </summary>
    public bool CanScore() => FeatureSets.Known(Features) && (Inputs is null || FeatureSets.Known(Inputs));

    /// <summary>The logistic function, stable for large |z|.</summary>
    public static double Sigmoid(double z) => z >= 0 ? 1 / (1 + Math.Exp(-z)) : Math.Exp(z) / (1 + Math.Exp(z));

    private double Affine(double raw) => Calibration!.IsAffine ? (Calibration.A * raw) + Calibration.B : raw;

    private double[] FullVector(IReadOnlyList<double> values) => Candidate!.FeatureSet == FeatureSets.Full
        ? Pick(Inputs!, values)
        : throw new InvalidOperationException($"Model {Version} reads the {Candidate.FeatureSet} inputs; score it from an organisation's features.");

    /// <summary>The model's own features, by name, from the product's feature vector.</summary>
    private double[] Own(IReadOnlyList<double> values) => Pick(Features, values);

    private double[] Pick(IReadOnlyList<string> names, IReadOnlyList<double> values)
    {
        if (values.Count != FeatureNames.Count)
        {
            throw new ArgumentException($"The product's feature vector has {FeatureNames.Count} features, not {values.Count} (model {Version}).", nameof(values));
        }

        return [.. names.Select(name => values[FeatureNames.IndexOf(name)])];
    }
}
