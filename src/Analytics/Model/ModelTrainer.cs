using System.Globalization;
using Engagement.Analytics.Evaluation;
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

    /// <summary>
    /// How many standard errors above the best validation log-loss a simpler candidate may be and still be chosen
    /// (default 2: a richer model must win clearly, not by noise).
    /// </summary>
    public double StandardErrors { get; init; } = 2;

    /// <summary>The candidates (default <see cref="ModelTrainer.DefaultCandidates"/>).</summary>
    public IReadOnlyList<CandidateSpec>? Candidates { get; init; }

    /// <summary>The calibrations tried for each candidate (default all of <see cref="Model.Calibration.Methods"/>).</summary>
    public IReadOnlyList<string>? Calibrations { get; init; }

    /// <summary>
    /// How many (candidate, fold) fits of the selection run at once (default: the processor count). Each is
    /// single-threaded and seeded, so the selection is the same whatever this is.
    /// </summary>
    public int MaxParallelFits { get; init; } = Environment.ProcessorCount;

    /// <summary>Told (fits done, fits in all) after each validation fit, from any thread; for progress on long runs.</summary>
    public Action<int, int>? Progress { get; init; }
}

/// <summary>One candidate with one calibration, scored on the validation folds.</summary>
/// <param name="Candidate">The candidate.</param>
/// <param name="Calibration">The calibration method.</param>
/// <param name="LogLoss">Mean log-loss over every validation example of every fold (the selection criterion).</param>
/// <param name="Brier">Mean Brier score over the same examples.</param>
/// <param name="ValidationRows">Validation examples scored.</param>
/// <param name="ExcessLogLoss">Mean log-loss above the best candidate's, on the same validation examples (0 for the best).</param>
/// <param name="ExcessStandardError">Standard error of that excess (of the mean of the per-example differences).</param>
public sealed record CandidateScore(CandidateSpec Candidate, string Calibration, double LogLoss, double Brier, int ValidationRows, double ExcessLogLoss = 0, double ExcessStandardError = 0)
{
    /// <summary>ROC AUC over every validation example of every fold.</summary>
    public double RocAuc { get; init; } = double.NaN;


    /// <summary>Candidate and calibration, e.g. <c>lr-full-l1=0-l2=1/platt</c>.</summary>
    public string Name => $"{Candidate.Name}/{Calibration}";
}

/// <summary>How the model was chosen.</summary>
/// <param name="Metric">The criterion (<see cref="ModelTrainer.Metric"/>).</param>
/// <param name="Folds">Start of each validation fold used.</param>
/// <param name="Candidates">Every candidate with its validation scores.</param>
/// <param name="Chosen">The winner's <see cref="CandidateScore.Name"/>.</param>
public sealed record ModelSelection(string Metric, IReadOnlyList<DateTimeOffset> Folds, IReadOnlyList<CandidateScore> Candidates, string Chosen)
{
    /// <summary>
    /// The allowance of the rule: the simplest candidate within this many standard errors of the best was chosen
    /// (<see cref="TrainerOptions.StandardErrors"/>; 0 in models chosen before the rule: the best).
    /// </summary>
    public double StandardErrors { get; init; }
}

/// <summary>
/// Trains the risk model with ML.NET. Candidates — L-BFGS logistic regression over a small grid of L1/L2 penalties
/// on the compact, the compact-plan and the full feature set, a GAM and a conservative FastTree — each with three calibrations
/// (sigmoid, Platt, isotonic) are compared by rolling-origin validation inside the training window only, and the
/// chosen one is refitted on the whole window. The choice follows a standard-error rule: the simplest candidate
/// (candidates are listed from the simplest, calibrations likewise) whose validation log-loss is within
/// <see cref="TrainerOptions.StandardErrors"/> standard errors (of the per-example differences) of the best one's. With few positives the validation differences between candidates are mostly noise, and a
/// richer model that wins by noise loses on later data; the simpler one must be beaten clearly. Classes are not
/// reweighted, so that probabilities stay calibrated.
/// </summary>
public static class ModelTrainer
{
    /// <summary>Below this many examples (or 10 of each class) the prior model is used instead.</summary>
    public const int MinimumExamples = 200;

    /// <summary>The selection criterion: validation log-loss, lower is better.</summary>
    public const string Metric = "log-loss";

    /// <summary>
    /// The default candidates, from the simplest: the compact set before the compact set with the action plan's two
    /// features, before the full one; a stronger penalty before a weaker one, linear models before the GAM and the trees.
    /// Without action plans the plan's features are 0 for everyone: the compact-plan candidate would fit the compact model
    /// again, and the selection leaves it out.
    /// </summary>
    public static IReadOnlyList<CandidateSpec> DefaultCandidates { get; } =
    [
        CandidateSpec.Lr(FeatureSets.Compact, 0, 10),
        CandidateSpec.Lr(FeatureSets.Compact, 0, 1),
        CandidateSpec.Lr(FeatureSets.Compact, 0, 0.1),
        CandidateSpec.Lr(FeatureSets.CompactPlan, 0, 1),
        CandidateSpec.Lr(FeatureSets.Full, 5, 1),
        CandidateSpec.Lr(FeatureSets.Full, 0, 10),
        CandidateSpec.Lr(FeatureSets.Full, 1, 1),
        CandidateSpec.Lr(FeatureSets.Full, 0, 1),
        CandidateSpec.Lr(FeatureSets.Full, 0, 0.1),
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

    /// <summary>
    /// Scores every candidate and calibration on rolling-origin folds of the window and chooses by the
    /// standard-error rule (see <see cref="ModelTrainer"/>).
    /// </summary>
    public static ModelSelection Select(IReadOnlyList<LabelledExample> examples, TrainerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(examples);
        options ??= new TrainerOptions();
        var candidates = WithoutIdleSets(options.Candidates ?? DefaultCandidates, examples);
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
        // each writing the per-example losses of its fold's slice, so the result does not depend on the scheduling.
        var offsets = new int[folds.Count + 1];
        for (var f = 0; f < folds.Count; f++)
        {
            offsets[f + 1] = offsets[f] + folds[f].Validate.Count;
        }

        var rows = offsets[folds.Count];
        var outcomes = folds.SelectMany(f => f.Validate.Select(e => e.Disengaged)).ToArray();
        var probabilities = new double[candidates.Count * calibrations.Count][];
        for (var i = 0; i < probabilities.Length; i++)
        {
            probabilities[i] = new double[rows];
        }

        // Longest first (the GAM and the trees, the larger folds), one at a time to whichever thread is free, so that no
        // long fit starts last while the other threads idle.
        var order = Enumerable.Range(0, candidates.Count * folds.Count)
            .OrderBy(i => candidates[i / folds.Count].Trainer switch { CandidateSpec.Gam => 0, CandidateSpec.FastTree => 1, _ => 2 })
            .ThenByDescending(i => folds[i % folds.Count].Train.Count)
            .ToArray();
        var done = 0;
        Parallel.ForEach(order, new ParallelOptions { MaxDegreeOfParallelism = options.MaxParallelFits }, index =>
        {
            var k = index / folds.Count;
            var f = index % folds.Count;
            var candidate = candidates[k];
            var (_, train, validate) = folds[f];
            var engine = MlNetEngine.Fit(candidate, [.. train.Select(e => FeatureSets.Vector(candidate.FeatureSet, e.Features))], [.. train.Select(e => e.Disengaged)], options.Seed);
            var trainRaw = train.Select(e => engine.Raw(FeatureSets.Vector(candidate.FeatureSet, e.Features))).ToList();
            var validRaw = validate.Select(e => engine.Raw(FeatureSets.Vector(candidate.FeatureSet, e.Features))).ToList();
            for (var c = 0; c < calibrations.Count; c++)
            {
                var calibration = Calibration.Fit(calibrations[c], trainRaw, [.. train.Select(e => e.Disengaged)]);
                var slice = probabilities[(k * calibrations.Count) + c];
                for (var i = 0; i < validate.Count; i++)
                {
                    slice[offsets[f] + i] = calibration.Probability(validRaw[i]);
                }
            }

            options.Progress?.Invoke(Interlocked.Increment(ref done), candidates.Count * folds.Count);
        });

        // Without a usable fold (too little history before every fold start), the plain reference (or the first logistic
        // regression) without fitted calibration.
        if (rows == 0)
        {
            var scores = candidates.SelectMany(c => calibrations.Select(m => new CandidateScore(c, m, double.NaN, double.NaN, 0))).ToList();
            var fallback = scores.FirstOrDefault(s => s.Candidate == Reference && s.Calibration == Calibration.Sigmoid)
                ?? scores.FirstOrDefault(s => s.Candidate.Trainer == CandidateSpec.LogisticRegression && s.Calibration == Calibration.Sigmoid)
                ?? scores[0];
            return new ModelSelection(Metric, [], scores, fallback.Name);
        }

        var logLoss = probabilities.Select(p => p.Select((q, i) => -Math.Log(outcomes[i] ? q : 1 - q)).ToArray()).ToArray();
        var best = Enumerable.Range(0, logLoss.Length).MinBy(i => logLoss[i].Average());
        var ranked = new List<CandidateScore>(logLoss.Length);
        for (var i = 0; i < logLoss.Length; i++)
        {
            var (excess, error) = MeanAndStandardError(logLoss[i], logLoss[best]);
            ranked.Add(new CandidateScore(candidates[i / calibrations.Count], calibrations[i % calibrations.Count], logLoss[i].Average(), Metrics.Brier(probabilities[i], outcomes), rows, excess, error)
            {
                RocAuc = Metrics.RocAuc(probabilities[i], outcomes),
            });
        }

        // The first (simplest) within one standard error of the best; the best itself always is.
        return new ModelSelection(Metric, [.. folds.Select(f => f.Start)], ranked, ranked.First(s => s.ExcessLogLoss <= options.StandardErrors * s.ExcessStandardError).Name)
        {
            StandardErrors = options.StandardErrors,
        };
    }

    /// <summary>
    /// The candidates less the compact-plan ones when no example carries an action plan's feature (no partnership has a
    /// plan yet): they would fit the compact model again, and win or lose against it by rounding alone.
    /// </summary>
    private static List<CandidateSpec> WithoutIdleSets(IReadOnlyList<CandidateSpec> candidates, IReadOnlyList<LabelledExample> examples)
    {
        int late = FeatureNames.IndexOf(FeatureNames.ActionsLate), silence = FeatureNames.IndexOf(FeatureNames.SheetSilence);
        if (examples.Any(e => e.Features.Values[late] != 0 || e.Features.Values[silence] != 0))
        {
            return [.. candidates];
        }

        var kept = candidates.Where(c => c.FeatureSet != FeatureSets.CompactPlan).ToList();
        return kept.Count > 0 ? kept : [.. candidates];
    }

    /// <summary>The mean of the per-example differences a − b and its standard error.</summary>
    private static (double Mean, double StandardError) MeanAndStandardError(double[] a, double[] b)
    {
        var n = a.Length;
        var mean = 0.0;
        for (var i = 0; i < n; i++)
        {
            mean += a[i] - b[i];
        }

        mean /= n;
        if (n < 2)
        {
            return (mean, 0);
        }

        var squares = 0.0;
        for (var i = 0; i < n; i++)
        {
            var d = a[i] - b[i] - mean;
            squares += d * d;
        }

        return (mean, Math.Sqrt(squares / (n - 1) / n));
    }

    private static (MlNetEngine Engine, Calibration Calibration) FitEngine(IReadOnlyList<LabelledExample> examples, CandidateSpec candidate, string calibration, int seed)
    {
        var inputs = examples.Select(e => FeatureSets.Vector(candidate.FeatureSet, e.Features)).ToList();
        var outcomes = examples.Select(e => e.Disengaged).ToList();
        var engine = MlNetEngine.Fit(candidate, inputs, outcomes, seed);
        return (engine, Calibration.Fit(calibration, [.. inputs.Select(x => engine.Raw(x))], outcomes));
    }
}
