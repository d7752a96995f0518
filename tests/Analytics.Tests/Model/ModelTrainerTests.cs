using Engagement.Analytics.Model;

namespace Engagement.Analytics.Tests.Model;

public sealed class ModelTrainerTests
{
    // A small fixed dataset: two features, twelve examples, not separable.
    private static readonly double[][] X =
    [
        [0.1, 3], [0.4, 1], [0.9, 0], [0.3, 2], [0.8, 1], [0.5, 5],
        [0.2, 4], [0.7, 2], [0.95, 1], [0.05, 0], [0.6, 3], [0.35, 2],
    ];

    private static readonly bool[] Y = [false, false, true, false, true, false, false, true, true, false, true, true];

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.5)]
    [InlineData(3.0)]
    public void Train_SmallFixedDataset_MatchesAnIndependentNewtonOptimumTo1e6(double l2)
    {
        var model = ModelTrainer.Train(X, Y, new TrainerOptions { L2 = l2 });
        var (intercept, weights) = ReferenceOptimum(X, Y, l2);

        Assert.Equal(intercept, model.Intercept, 1e-6);
        Assert.Equal(weights[0], model.Weights[0], 1e-6);
        Assert.Equal(weights[1], model.Weights[1], 1e-6);
    }

    [Fact]
    public void Train_Optimum_HasAZeroGradient()
    {
        var model = ModelTrainer.Train(X, Y, new TrainerOptions { L2 = 1 });
        var gradient = new double[3];
        for (var i = 0; i < X.Length; i++)
        {
            var residual = model.Probability(X[i]) - (Y[i] ? 1 : 0);
            gradient[0] += residual;
            for (var j = 0; j < 2; j++)
            {
                gradient[j + 1] += residual * (X[i][j] - model.Means[j]) / model.Scales[j];
            }
        }

        Assert.Equal(0, gradient[0], 1e-8);
        Assert.Equal(0, gradient[1] + model.Weights[0], 1e-8);
        Assert.Equal(0, gradient[2] + model.Weights[1], 1e-8);
    }

    [Fact]
    public void Train_ConstantFeature_GetsScaleOneAndNoWeight()
    {
        var data = X.Select(x => new[] { x[0], 7.0 }).ToArray();
        var model = ModelTrainer.Train(data, Y);
        Assert.Equal(1.0, model.Scales[1]);
        Assert.Equal(0.0, model.Weights[1], 12);
    }

    [Fact]
    public void Train_BalancedClasses_RaisesTheRareClassProbability()
    {
        var rare = Y.Select((y, i) => y && i % 2 == 0).ToArray();
        var plain = ModelTrainer.Train(X, rare);
        var balanced = ModelTrainer.Train(X, rare, new TrainerOptions { BalanceClasses = true });
        Assert.True(balanced.Probability(X[2]) > plain.Probability(X[2]));
    }

    [Fact]
    public void Train_StrongerPenalty_ShrinksTheWeights()
    {
        var loose = ModelTrainer.Train(X, Y, new TrainerOptions { L2 = 0.01 });
        var tight = ModelTrainer.Train(X, Y, new TrainerOptions { L2 = 10 });
        Assert.True(Math.Abs(tight.Weights[0]) < Math.Abs(loose.Weights[0]));
    }

    [Fact]
    public void Artifact_RoundTripsThroughJson()
    {
        var model = ModelTrainer.Train(X, Y) with { Version = "trained-test", TrainedAt = new DateTimeOffset(2026, 11, 22, 4, 0, 0, TimeSpan.Zero) };
        var copy = RiskModel.FromJson(model.ToJson());
        Assert.Equal(model.Version, copy.Version);
        Assert.Equal(model.Weights, copy.Weights);
        Assert.Equal(model.Probability(X[3]), copy.Probability(X[3]), 15);
    }

    [Fact]
    public void Artifact_WithAnEvaluationHoldingEmptyBins_RoundTrips()
    {
        var model = ModelTrainer.Train(X, Y);
        var report = new Engagement.Analytics.Evaluation.EvaluationReport(
            DateTimeOffset.UnixEpoch, 8, 4, 0.5, 0.25,
            Engagement.Analytics.Evaluation.Metrics.Compute([0.1, 0.9, 0.2, 0.8], [false, true, false, true]),
            Engagement.Analytics.Evaluation.Metrics.Compute([0.5, 0.5, 0.5, 0.5], [false, true, false, true]));
        var copy = RiskModel.FromJson((model with { Evaluation = report }).ToJson());
        Assert.True(double.IsNaN(copy.Evaluation!.Model.Reliability[5].MeanPredicted));
        Assert.Equal(1.0, copy.Evaluation.Model.RocAuc);
    }

    [Fact]
    public void FromJson_InconsistentVectors_IsRefused()
    {
        var json = ModelTrainer.Train(X, Y).ToJson().Replace("\"weights\": [", "\"weights\": [1.5, ", StringComparison.Ordinal);
        Assert.Throws<InvalidDataException>(() => RiskModel.FromJson(json));
    }

    /// <summary>
    /// The optimum of the same objective, found independently: standardise by hand, then Newton's method with a
    /// 3×3 Gaussian elimination, iterated until the step is below 1e-14.
    /// </summary>
    private static (double Intercept, double[] Weights) ReferenceOptimum(double[][] x, bool[] y, double l2)
    {
        var n = x.Length;
        var mean = new double[2];
        var sd = new double[2];
        for (var j = 0; j < 2; j++)
        {
            mean[j] = x.Average(r => r[j]);
            sd[j] = Math.Sqrt(x.Average(r => (r[j] - mean[j]) * (r[j] - mean[j])));
        }

        var beta = new double[3];
        for (var iteration = 0; iteration < 200; iteration++)
        {
            var g = new double[3];
            var h = new double[3, 3];
            for (var i = 0; i < n; i++)
            {
                double[] row = [1, (x[i][0] - mean[0]) / sd[0], (x[i][1] - mean[1]) / sd[1]];
                var z = beta[0] + (beta[1] * row[1]) + (beta[2] * row[2]);
                var p = 1 / (1 + Math.Exp(-z));
                for (var a = 0; a < 3; a++)
                {
                    g[a] += (p - (y[i] ? 1 : 0)) * row[a];
                    for (var b = 0; b < 3; b++)
                    {
                        h[a, b] += p * (1 - p) * row[a] * row[b];
                    }
                }
            }

            for (var a = 1; a < 3; a++)
            {
                g[a] += l2 * beta[a];
                h[a, a] += l2;
            }

            var step = Solve(h, g);
            for (var a = 0; a < 3; a++)
            {
                beta[a] -= step[a];
            }

            if (step.Max(Math.Abs) < 1e-14)
            {
                break;
            }
        }

        return (beta[0], [beta[1], beta[2]]);
    }

    private static double[] Solve(double[,] a, double[] b)
    {
        var n = b.Length;
        var m = new double[n, n + 1];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                m[i, j] = a[i, j];
            }

            m[i, n] = b[i];
        }

        for (var col = 0; col < n; col++)
        {
            var pivot = Enumerable.Range(col, n - col).MaxBy(r => Math.Abs(m[r, col]));
            for (var j = 0; j <= n; j++)
            {
                (m[col, j], m[pivot, j]) = (m[pivot, j], m[col, j]);
            }

            for (var r = 0; r < n; r++)
            {
                if (r != col)
                {
                    var factor = m[r, col] / m[col, col];
                    for (var j = col; j <= n; j++)
                    {
                        m[r, j] -= factor * m[col, j];
                    }
                }
            }
        }

        return [.. Enumerable.Range(0, n).Select(i => m[i, n] / m[i, i])];
    }
}
