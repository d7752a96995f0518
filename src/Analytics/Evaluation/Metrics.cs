namespace Engagement.Analytics.Evaluation;

/// <summary>One bin of a reliability table: predictions in [From, To), their mean and the observed rate.</summary>
/// <param name="From">Lower bound of predicted probability.</param>
/// <param name="To">Upper bound.</param>
/// <param name="Count">Examples in the bin.</param>
/// <param name="MeanPredicted">Mean predicted probability (NaN when empty).</param>
/// <param name="ObservedRate">Share of positives (NaN when empty).</param>
public sealed record ReliabilityBin(double From, double To, int Count, double MeanPredicted, double ObservedRate);

/// <summary>Metrics of a score against outcomes, as the evaluation report shows them.</summary>
/// <param name="RocAuc">Area under the ROC curve (ties count half).</param>
/// <param name="PrAuc">Area under the precision-recall curve (average precision).</param>
/// <param name="Brier">Mean squared error of the score as a probability.</param>
/// <param name="PrecisionAtTop10">Share of positives among the 10 % highest scores.</param>
/// <param name="Reliability">Ten equal-width bins of predicted probability.</param>
public sealed record ScoreMetrics(double RocAuc, double PrAuc, double Brier, double PrecisionAtTop10, IReadOnlyList<ReliabilityBin> Reliability);

/// <summary>Classification metrics for probabilistic scores.</summary>
public static class Metrics
{
    /// <summary>All metrics at once.</summary>
    public static ScoreMetrics Compute(IReadOnlyList<double> scores, IReadOnlyList<bool> outcomes) =>
        new(RocAuc(scores, outcomes), PrAuc(scores, outcomes), Brier(scores, outcomes), PrecisionAtTop(scores, outcomes, 0.10), Reliability(scores, outcomes));

    /// <summary>
    /// ROC AUC by the rank-sum (Mann–Whitney) formula with average ranks for ties: the probability that a random
    /// positive scores above a random negative. NaN when either class is missing.
    /// </summary>
    public static double RocAuc(IReadOnlyList<double> scores, IReadOnlyList<bool> outcomes)
    {
        Check(scores, outcomes);
        var order = Enumerable.Range(0, scores.Count).OrderBy(i => scores[i]).ToArray();
        double positives = outcomes.Count(o => o), negatives = outcomes.Count - positives;
        if (positives == 0 || negatives == 0)
        {
            return double.NaN;
        }

        double rankSum = 0;
        for (var i = 0; i < order.Length;)
        {
            var j = i;
            while (j + 1 < order.Length && scores[order[j + 1]] == scores[order[i]])
            {
                j++;
            }

            var averageRank = ((i + j) / 2.0) + 1;
            for (var k = i; k <= j; k++)
            {
                if (outcomes[order[k]])
                {
                    rankSum += averageRank;
                }
            }

            i = j + 1;
        }

        return (rankSum - (positives * (positives + 1) / 2)) / (positives * negatives);
    }

    /// <summary>
    /// Average precision: the mean, over positives, of the precision at the cut that first includes each one (tied
    /// scores are included together). NaN without positives.
    /// </summary>
    public static double PrAuc(IReadOnlyList<double> scores, IReadOnlyList<bool> outcomes)
    {
        Check(scores, outcomes);
        var positives = outcomes.Count(o => o);
        if (positives == 0)
        {
            return double.NaN;
        }

        var order = Enumerable.Range(0, scores.Count).OrderByDescending(i => scores[i]).ToArray();
        double sum = 0;
        var truePositives = 0;
        for (var i = 0; i < order.Length;)
        {
            var j = i;
            var groupPositives = 0;
            while (j < order.Length && scores[order[j]] == scores[order[i]])
            {
                groupPositives += outcomes[order[j]] ? 1 : 0;
                j++;
            }

            truePositives += groupPositives;
            sum += groupPositives * ((double)truePositives / j);
            i = j;
        }

        return sum / positives;
    }

    /// <summary>Mean squared difference between score and outcome.</summary>
    public static double Brier(IReadOnlyList<double> scores, IReadOnlyList<bool> outcomes)
    {
        Check(scores, outcomes);
        if (scores.Count == 0)
        {
            return double.NaN;
        }

        double sum = 0;
        for (var i = 0; i < scores.Count; i++)
        {
            var error = scores[i] - (outcomes[i] ? 1 : 0);
            sum += error * error;
        }

        return sum / scores.Count;
    }

    /// <summary>The Brier score of always predicting the base rate: p(1 − p), the bar a useful model must pass.</summary>
    public static double BaseRateBrier(IReadOnlyList<bool> outcomes)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        if (outcomes.Count == 0)
        {
            return double.NaN;
        }

        var p = outcomes.Count(o => o) / (double)outcomes.Count;
        return p * (1 - p);
    }

    /// <summary>Share of positives among the top <paramref name="fraction"/> of scores (at least one example).</summary>
    public static double PrecisionAtTop(IReadOnlyList<double> scores, IReadOnlyList<bool> outcomes, double fraction)
    {
        Check(scores, outcomes);
        if (scores.Count == 0)
        {
            return double.NaN;
        }

        var take = Math.Max(1, (int)Math.Ceiling(scores.Count * fraction));
        return Enumerable.Range(0, scores.Count).OrderByDescending(i => scores[i]).ThenBy(i => i).Take(take).Count(i => outcomes[i]) / (double)take;
    }

    /// <summary>A reliability table of <paramref name="bins"/> equal-width bins over [0, 1].</summary>
    public static IReadOnlyList<ReliabilityBin> Reliability(IReadOnlyList<double> scores, IReadOnlyList<bool> outcomes, int bins = 10)
    {
        Check(scores, outcomes);
        var counts = new int[bins];
        var predicted = new double[bins];
        var observed = new double[bins];
        for (var i = 0; i < scores.Count; i++)
        {
            var bin = Math.Clamp((int)(scores[i] * bins), 0, bins - 1);
            counts[bin]++;
            predicted[bin] += scores[i];
            observed[bin] += outcomes[i] ? 1 : 0;
        }

        return [.. Enumerable.Range(0, bins).Select(b => new ReliabilityBin(
            b / (double)bins,
            (b + 1) / (double)bins,
            counts[b],
            counts[b] == 0 ? double.NaN : predicted[b] / counts[b],
            counts[b] == 0 ? double.NaN : observed[b] / counts[b]))];
    }

    private static void Check(IReadOnlyList<double> scores, IReadOnlyList<bool> outcomes)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(outcomes);
        if (scores.Count != outcomes.Count)
        {
            throw new ArgumentException($"{scores.Count} scores for {outcomes.Count} outcomes.");
        }
    }
}
