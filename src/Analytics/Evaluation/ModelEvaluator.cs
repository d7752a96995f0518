using Engagement.Analytics.Features;
using Engagement.Analytics.Model;

namespace Engagement.Analytics.Evaluation;

/// <summary>The outcome of a retraining: both reports on the same later slice, and whether the challenger wins.</summary>
/// <param name="Challenger">The model trained on the earlier slice.</param>
/// <param name="ChallengerReport">Its evaluation on the later slice.</param>
/// <param name="ChampionReport">The current model's evaluation on the same slice.</param>
/// <param name="Promote">Whether the challenger beats the champion.</param>
/// <param name="Reason">Why, in words.</param>
public sealed record RetrainingDecision(RiskModel Challenger, EvaluationReport ChallengerReport, EvaluationReport ChampionReport, bool Promote, string Reason);

/// <summary>Time-based evaluation: train before a cutoff, test after it, against the rules baseline.</summary>
public static class ModelEvaluator
{
    /// <summary>How much ROC AUC a challenger may lose while still winning on a better Brier score.</summary>
    public const double AucTolerance = 0.002;

    /// <summary>
    /// The cutoff 70 % (or <paramref name="fraction"/>) of the way through the examples' distinct as-of times (one per
    /// meeting start).
    /// </summary>
    public static DateTimeOffset DefaultCutoff(IEnumerable<LabelledExample> examples, double fraction = 0.7)
    {
        var times = examples.Select(e => e.Features.AsOf).Distinct().Order().ToList();
        if (times.Count < 2)
        {
            throw new InvalidOperationException("At least two meetings with known outcomes are needed to split in time.");
        }

        return times[Math.Clamp((int)Math.Floor(times.Count * fraction), 1, times.Count - 1)];
    }

    /// <summary>
    /// Splits without leakage: a training example's outcome must be known before the cutoff; test examples start at
    /// or after it.
    /// </summary>
    public static (List<LabelledExample> Train, List<LabelledExample> Test) Split(IEnumerable<LabelledExample> examples, DateTimeOffset cutoff)
    {
        var train = new List<LabelledExample>();
        var test = new List<LabelledExample>();
        foreach (var example in examples)
        {
            if (example.Features.AsOf >= cutoff)
            {
                test.Add(example);
            }
            else if (example.LabelKnownAt < cutoff)
            {
                train.Add(example);
            }
        }

        return (train, test);
    }

    /// <summary>A model and the rules baseline (cumulative absence rate) on the test slice.</summary>
    public static EvaluationReport Evaluate(RiskModel model, IReadOnlyList<LabelledExample> test, DateTimeOffset cutoff, int trainRows)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(test);
        var outcomes = test.Select(e => e.Disengaged).ToList();
        var modelScores = test.Select(e => model.Probability(e.Features)).ToList();
        var baselineScores = test.Select(e => e.Features.CumulativeAbsence).ToList();
        return new EvaluationReport(
            cutoff,
            trainRows,
            test.Count,
            outcomes.Count == 0 ? double.NaN : outcomes.Count(o => o) / (double)outcomes.Count,
            Metrics.BaseRateBrier(outcomes),
            Metrics.Compute(modelScores, outcomes),
            Metrics.Compute(baselineScores, outcomes));
    }

    /// <summary>Trains before the cutoff and evaluates after it.</summary>
    public static (RiskModel Model, EvaluationReport Report) TrainAndEvaluate(IReadOnlyList<LabelledExample> examples, DateTimeOffset cutoff, DateTimeOffset trainedAt, TrainerOptions? options = null)
    {
        var (train, test) = Split(examples, cutoff);
        if (train.Count == 0 || test.Count == 0)
        {
            throw new InvalidOperationException($"The split at {cutoff:O} leaves {train.Count} training and {test.Count} test examples; both must be non-empty.");
        }

        var model = ModelTrainer.Train(train, trainedAt, options);
        var report = Evaluate(model, test, cutoff, train.Count);
        return (model with { Evaluation = report }, report);
    }

    /// <summary>
    /// Trains a challenger on the earlier slice and compares it with the champion on the later one. The challenger
    /// wins when its Brier score is lower and its ROC AUC is not lower by more than <see cref="AucTolerance"/>.
    /// </summary>
    public static RetrainingDecision Retrain(IReadOnlyList<LabelledExample> examples, RiskModel champion, DateTimeOffset now, TrainerOptions? options = null, DateTimeOffset? cutoff = null)
    {
        ArgumentNullException.ThrowIfNull(champion);
        var split = cutoff ?? DefaultCutoff(examples);
        var (challenger, challengerReport) = TrainAndEvaluate(examples, split, now, options);
        var (_, test) = Split(examples, split);
        var championReport = champion.CanScore()
            ? Evaluate(champion, test, split, champion.TrainingExamples)
            : throw new InvalidOperationException($"The champion {champion.Version} reads features the product no longer computes; retrain from the prior.");
        var betterBrier = challengerReport.Model.Brier < championReport.Model.Brier;
        var aucKept = double.IsNaN(championReport.Model.RocAuc) || challengerReport.Model.RocAuc >= championReport.Model.RocAuc - AucTolerance;
        var promote = betterBrier && aucKept;
        var reason = promote
            ? $"challenger Brier {challengerReport.Model.Brier:F4} < champion {championReport.Model.Brier:F4}, ROC AUC {challengerReport.Model.RocAuc:F3} vs {championReport.Model.RocAuc:F3}"
            : !betterBrier
                ? $"challenger Brier {challengerReport.Model.Brier:F4} is not below the champion's {championReport.Model.Brier:F4}"
                : $"challenger ROC AUC {challengerReport.Model.RocAuc:F3} is below the champion's {championReport.Model.RocAuc:F3}";
        return new RetrainingDecision(challenger, challengerReport, championReport, promote, reason);
    }
}
