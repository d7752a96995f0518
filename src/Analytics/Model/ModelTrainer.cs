using System.Globalization;
using Engagement.Analytics.Features;

namespace Engagement.Analytics.Model;

/// <summary>Settings of training.</summary>
public sealed record TrainerOptions
{
    /// <summary>Seed of every ML.NET context: the same examples train the same model.</summary>
    public int Seed { get; init; } = 14;

    /// <summary>
    /// Where the validation folds start, as fractions of the training window's distinct as-of times (default 0.55,
    /// 0.70, 0.85: three folds). Fold k validates on the examples from its start to the next fold's; it trains on
    /// the examples whose outcome was known before its start.
    /// </summary>
    public IReadOnlyList<double> FoldStarts { get; init; } = [0.55, 0.70, 0.85];

    /// <summary>The candidates (default <see cref="ModelTrainer.DefaultCandidates"/>).</summary>
    public IReadOnlyList<CandidateSpec>? Candidates { get; init; }

    /// <summary>The calibrations tried for each candidate (default all of <see cref="Model.Calibration.Methods"/>).</summary>
    public IReadOnlyList<string>? Calibrations { get; init; }

    /// <summary>
    /// How many (candidate, fold) fits of the selection run at once (default: the processor count). Each is
    /// single-threaded and seeded, so the selection is the same whatever this is.
    /// </summary>
    public int MaxParallelFits { get; init; } = Environment.ProcessorCount;
}

/// <summary>One candidate with one calibration, scored on the validation folds.</summary>
/// <param name="Candidate">The candidate.</param>
/// <param name="Calibration">The calibration method.</param>
/// <param name="LogLoss">Mean log-loss over every validation example of every fold (the selection criterion).</param>
/// <param name="Brier">Mean Brier score over the same examples.</param>
/// <param name="ValidationRows">Validation examples scored.</param>
public sealed record CandidateScore(CandidateSpec Candidate, string Calibration, double LogLoss, double Brier, int ValidationRows)
{
    /// <summary>Candidate and calibration, e.g. <c>lr-full-l1=0-l2=1/platt</c>.</summary>
    public string Name => $"{Candidate.Name}/{Calibration}";
}

/// <summary>How the model was chosen.</summary>
/// <param name="Metric">The criterion (<c>log-loss</c>, lower is better).</param>
/// <param name="Folds">Start of each validation fold used.</param>
/// <param name="Candidates">Every candidate with its validation scores.</param>
/// <param name="Chosen">The winner's <see cref="CandidateScore.Name"/>.</param>
public sealed record ModelSelection(string Metric, IReadOnlyList<DateTimeOffset> Folds, IReadOnlyList<CandidateScore> Candidates, string Chosen);

/// <summary>
/// Trains the risk model with ML.NET. Candidates — L-BFGS logistic regression over a small grid of L1/L2 penalties
/// on the compact and on the full feature set, a GAM and a conservative FastTree — each with three calibrations
/// (sigmoid, Platt, isotonic) are compared by rolling-origin validation inside the training window only; the one
/// with the lowest validation log-loss is refitted on the whole window. Classes are not reweighted, so that
/// probabilities stay calibrated.
/// </summary>
public static class ModelTrainer
{
    /// <summary>Below this many examples (or 10 of each class) the prior model is used instead.</summary>
    public const int MinimumExamples = 200;

    /// <summary>The selection criterion.</summary>
    public const string Metric = "log-loss";

    /// <summary>The default candidates.</summary>
    public static IReadOnlyList<CandidateSpec> DefaultCandidates { get; } =
    [
        CandidateSpec.Lr(FeatureSets.Compact, 0, 0.1),
        CandidateSpec.Lr(FeatureSets.Compact, 0, 1),
        CandidateSpec.Lr(FeatureSets.Compact, 0, 10),
        CandidateSpec.Lr(FeatureSets.Full, 0, 0.1),
        CandidateSpec.Lr(FeatureSets.Full, 0, 1),
        CandidateSpec.Lr(FeatureSets.Full, 0, 10),
        CandidateSpec.Lr(FeatureSets.Full, 1, 1),
        CandidateSpec.Lr(FeatureSets.Full, 5, 1),
        new("gam-full", FeatureSets.Full, CandidateSpec.Gam),
        new("fasttree-full", FeatureSets.Full, CandidateSpec.FastTree),
    ];

    /// <summary>The plain reference: L2 logistic regression on the compact set, penalty 1, no fitted calibration.</summary>
    public static CandidateSpec Reference { get; } = CandidateSpec.Lr(FeatureSets.Compact, 0, 1);

    /// <summary>Whether there is enough history to train.</summary>
    public static bool CanTrain(IReadOnlyCollection<LabelledExample> examples)
    {
        ArgumentNullException.ThrowIfNull(examples);
        var positives = examples.Count(e => e.Disengaged);
        return examples.Count >= MinimumExamples && positives >= 10 && examples.Count - positives >= 10;
    }

    /// <summary>Chooses a candidate by rolling-origin validation inside the examples' window and refits it on all of them.</summary>
    public static RiskModel Train(IReadOnlyList<LabelledExample> examples, DateTimeOffset trainedAt, TrainerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(examples);
        if (examples.Count == 0)
        {
            throw new ArgumentException("Training needs at least one example.", nameof(examples));
        }

        options ??= new TrainerOptions();
        var selection = Select(examples, options);
        var chosen = selection.Candidates.First(c => c.Name == selection.Chosen);
        return Fit(examples, chosen.Candidate, chosen.Calibration, trainedAt, options.Seed) with { Selection = selection };
    }

    /// <summary>Fits one candidate with one calibration on all the examples, without selection.</summary>
    public static RiskModel Fit(IReadOnlyList<LabelledExample> examples, CandidateSpec candidate, string calibration, DateTimeOffset trainedAt, int seed = 14)
    {
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentNullException.ThrowIfNull(candidate);
        var (engine, fitted) = FitEngine(examples, candidate, calibration, seed);
        var positives = examples.Count(e => e.Disengaged);
        var model = new RiskModel
        {
            Version = "trained-" + trainedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            Kind = "trained",
            Format = RiskModel.MlNetFormat,
            Features = FeatureNames.All,
            Candidate = candidate,
            Inputs = FeatureSets.Inputs(candidate.FeatureSet),
            Calibration = fitted,
            MlNetModel = Convert.ToBase64String(engine.File),
            Engine = engine,
            TrainedAt = trainedAt,
            TrainingFrom = examples.Min(e => e.Features.AsOf),
            TrainingTo = examples.Max(e => e.Features.AsOf),
            TrainingExamples = examples.Count,
            TrainingBaseRate = positives / (double)examples.Count,
        };
        return model with { Intercept = fitted.IsAffine ? (fitted.A * engine.Bias) + fitted.B : engine.Bias };
    }

    /// <summary>Scores every candidate and calibration on rolling-origin folds of the window.</summary>
    public static ModelSelection Select(IReadOnlyList<LabelledExample> examples, TrainerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(examples);
        options ??= new TrainerOptions();
        var candidates = options.Candidates ?? DefaultCandidates;
        var calibrations = options.Calibrations ?? Calibration.Methods;
        var times = examples.Select(e => e.Features.AsOf).Distinct().Order().ToList();
        var starts = options.FoldStarts.Select(f => times[Math.Clamp((int)Math.Floor(times.Count * f), 0, times.Count - 1)]).Distinct().Order().ToList();
        var folds = new List<(DateTimeOffset Start, List<LabelledExample> Train, List<LabelledExample> Validate)>();
        for (var k = 0; k < starts.Count; k++)
        {
            var end = k + 1 < starts.Count ? starts[k + 1] : DateTimeOffset.MaxValue;
            var train = examples.Where(e => e.LabelKnownAt < starts[k]).ToList();
            var validate = examples.Where(e => e.Features.AsOf >= starts[k] && e.Features.AsOf < end).ToList();
            var positives = train.Count(e => e.Disengaged);
            if (validate.Count > 0 && positives >= 10 && train.Count - positives >= 10)
            {
                folds.Add((starts[k], train, validate));
            }
        }

        // Every (candidate, fold) fit is independent, with its own seeded MLContext on one thread: they run in parallel,
        // and their sums are added in candidate then fold order, so the result does not depend on the scheduling.
        var sums = new (double[] LogLoss, double[] Brier, int Rows)[candidates.Count, folds.Count];
        Parallel.For(0, candidates.Count * folds.Count, new ParallelOptions { MaxDegreeOfParallelism = options.MaxParallelFits }, index =>
        {
            var candidate = candidates[index / folds.Count];
            var (_, train, validate) = folds[index % folds.Count];
            var engine = MlNetEngine.Fit(candidate, [.. train.Select(e => FeatureSets.Vector(candidate.FeatureSet, e.Features))], [.. train.Select(e => e.Disengaged)], options.Seed);
            var trainRaw = train.Select(e => engine.Raw(FeatureSets.Vector(candidate.FeatureSet, e.Features))).ToList();
            var validRaw = validate.Select(e => engine.Raw(FeatureSets.Vector(candidate.FeatureSet, e.Features))).ToList();
            var logLoss = new double[calibrations.Count];
            var brier = new double[calibrations.Count];
            for (var c = 0; c < calibrations.Count; c++)
            {
                var calibration = Calibration.Fit(calibrations[c], trainRaw, [.. train.Select(e => e.Disengaged)]);
                for (var i = 0; i < validate.Count; i++)
                {
                    var p = calibration.Probability(validRaw[i]);
                    var y = validate[i].Disengaged;
                    logLoss[c] -= Math.Log(y ? p : 1 - p);
                    brier[c] += (p - (y ? 1 : 0)) * (p - (y ? 1 : 0));
                }
            }

            sums[index / folds.Count, index % folds.Count] = (logLoss, brier, validate.Count);
        });

        var scores = new List<CandidateScore>();
        for (var k = 0; k < candidates.Count; k++)
        {
            var logLoss = new double[calibrations.Count];
            var brier = new double[calibrations.Count];
            var rows = 0;
            for (var f = 0; f < folds.Count; f++)
            {
                for (var c = 0; c < calibrations.Count; c++)
                {
                    logLoss[c] += sums[k, f].LogLoss[c];
                    brier[c] += sums[k, f].Brier[c];
                }

                rows += sums[k, f].Rows;
            }

            for (var c = 0; c < calibrations.Count; c++)
            {
                scores.Add(new CandidateScore(candidates[k], calibrations[c], rows == 0 ? double.NaN : logLoss[c] / rows, rows == 0 ? double.NaN : brier[c] / rows, rows));
            }
        }

        // Without a usable fold (too little history before every fold start), the plain full logistic regression.
        var chosen = folds.Count == 0
            ? scores.FirstOrDefault(s => s.Candidate.Trainer == CandidateSpec.LogisticRegression && s.Calibration == Calibration.Sigmoid) ?? scores[0]
            : scores.MinBy(s => s.LogLoss)!;
        return new ModelSelection(Metric, [.. folds.Select(f => f.Start)], scores, chosen.Name);
    }

    private static (MlNetEngine Engine, Calibration Calibration) FitEngine(IReadOnlyList<LabelledExample> examples, CandidateSpec candidate, string calibration, int seed)
    {
        var inputs = examples.Select(e => FeatureSets.Vector(candidate.FeatureSet, e.Features)).ToList();
        var outcomes = examples.Select(e => e.Disengaged).ToList();
        var engine = MlNetEngine.Fit(candidate, inputs, outcomes, seed);
        return (engine, Calibration.Fit(calibration, [.. inputs.Select(x => engine.Raw(x))], outcomes));
    }
}
