using System.Globalization;
using Engagement.Analytics.Features;
using MathNet.Numerics.LinearAlgebra;

namespace Engagement.Analytics.Model;

/// <summary>Settings of training.</summary>
public sealed record TrainerOptions
{
    /// <summary>L2 penalty on the standardised weights (not on the intercept). Default 1.</summary>
    public double L2 { get; init; } = 1.0;

    /// <summary>Weight the classes so that positives and negatives count equally (default off: calibrated probabilities).</summary>
    public bool BalanceClasses { get; init; }

    /// <summary>Newton iterations at most (default 100).</summary>
    public int MaxIterations { get; init; } = 100;

    /// <summary>Stop when the largest step is below this (default 1e-10).</summary>
    public double Tolerance { get; init; } = 1e-10;
}

/// <summary>
/// L2-regularised logistic regression on standardised features, fitted by Newton's method (iteratively
/// reweighted least squares): it minimises <c>Σ wᵢ·logloss(yᵢ, σ(b + x̃ᵢ·β)) + (λ/2)‖β‖²</c> where x̃ are the
/// standardised features. The objective is strictly convex, so the optimum is unique and Newton converges to it in a
/// handful of steps.
/// </summary>
public static class ModelTrainer
{
    /// <summary>Below this many examples (or 10 of each class) the prior model is used instead.</summary>
    public const int MinimumExamples = 200;

    /// <summary>Whether there is enough history to train.</summary>
    public static bool CanTrain(IReadOnlyCollection<LabelledExample> examples)
    {
        ArgumentNullException.ThrowIfNull(examples);
        var positives = examples.Count(e => e.Disengaged);
        return examples.Count >= MinimumExamples && positives >= 10 && examples.Count - positives >= 10;
    }

    /// <summary>Trains on labelled examples.</summary>
    public static RiskModel Train(IReadOnlyList<LabelledExample> examples, DateTimeOffset trainedAt, TrainerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(examples);
        var model = Train([.. examples.Select(e => e.Features.Values)], [.. examples.Select(e => e.Disengaged)], options);
        return model with
        {
            Version = "trained-" + trainedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            TrainedAt = trainedAt,
            TrainingFrom = examples.Count == 0 ? null : examples.Min(e => e.Features.AsOf),
            TrainingTo = examples.Count == 0 ? null : examples.Max(e => e.Features.AsOf),
        };
    }

    /// <summary>Trains on raw feature vectors (in <see cref="FeatureNames.All"/> order) and outcomes.</summary>
    public static RiskModel Train(IReadOnlyList<double[]> features, IReadOnlyList<bool> outcomes, TrainerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(outcomes);
        options ??= new TrainerOptions();
        var n = features.Count;
        if (n == 0 || n != outcomes.Count)
        {
            throw new ArgumentException($"Training needs as many outcomes as examples, and at least one ({n} examples, {outcomes.Count} outcomes).");
        }

        var d = features[0].Length;
        var means = new double[d];
        var scales = new double[d];
        for (var j = 0; j < d; j++)
        {
            double sum = 0;
            for (var i = 0; i < n; i++)
            {
                sum += features[i][j];
            }

            means[j] = sum / n;
            double squares = 0;
            for (var i = 0; i < n; i++)
            {
                var delta = features[i][j] - means[j];
                squares += delta * delta;
            }

            var sd = Math.Sqrt(squares / n);
            scales[j] = sd > 1e-12 ? sd : 1.0;
        }

        // Standardised design matrix with a leading column of ones for the intercept.
        var x = new double[n, d + 1];
        var y = new double[n];
        var weight = new double[n];
        var positives = outcomes.Count(o => o);
        for (var i = 0; i < n; i++)
        {
            x[i, 0] = 1;
            for (var j = 0; j < d; j++)
            {
                x[i, j + 1] = (features[i][j] - means[j]) / scales[j];
            }

            y[i] = outcomes[i] ? 1 : 0;
            weight[i] = !options.BalanceClasses || positives == 0 || positives == n ? 1.0
                : outcomes[i] ? n / (2.0 * positives) : n / (2.0 * (n - positives));
        }

        var beta = Fit(x, y, weight, options);
        return new RiskModel
        {
            Version = "trained",
            Kind = "trained",
            Features = d == FeatureNames.Count ? FeatureNames.All : [.. Enumerable.Range(0, d).Select(j => $"x{j}")],
            Means = means,
            Scales = scales,
            Intercept = beta[0],
            Weights = [.. beta.Skip(1)],
            TrainingExamples = n,
            TrainingBaseRate = positives / (double)n,
        };
    }

    /// <summary>Newton's method on the penalised log-likelihood; the intercept (column 0) is not penalised.</summary>
    internal static double[] Fit(double[,] x, double[] y, double[] weight, TrainerOptions options)
    {
        var n = x.GetLength(0);
        var p = x.GetLength(1);
        var beta = new double[p];
        var hessian = new double[p, p];
        var gradient = new double[p];
        for (var iteration = 0; iteration < options.MaxIterations; iteration++)
        {
            Array.Clear(hessian);
            Array.Clear(gradient);
            for (var i = 0; i < n; i++)
            {
                double z = 0;
                for (var j = 0; j < p; j++)
                {
                    z += x[i, j] * beta[j];
                }

                var mu = RiskModel.Sigmoid(z);
                var residual = weight[i] * (mu - y[i]);
                var curvature = weight[i] * mu * (1 - mu);
                for (var j = 0; j < p; j++)
                {
                    var xij = x[i, j];
                    gradient[j] += residual * xij;
                    var scaled = curvature * xij;
                    for (var k = 0; k <= j; k++)
                    {
                        hessian[j, k] += scaled * x[i, k];
                    }
                }
            }

            for (var j = 0; j < p; j++)
            {
                for (var k = 0; k < j; k++)
                {
                    hessian[k, j] = hessian[j, k];
                }

                if (j > 0)
                {
                    gradient[j] += options.L2 * beta[j];
                    hessian[j, j] += options.L2;
                }
            }

            // A tiny ridge on the intercept keeps the system solvable when every outcome is the same.
            hessian[0, 0] += 1e-9;
            var step = Matrix<double>.Build.DenseOfArray(hessian).Cholesky().Solve(Vector<double>.Build.DenseOfArray(gradient));
            var largest = 0.0;
            for (var j = 0; j < p; j++)
            {
                beta[j] -= step[j];
                largest = Math.Max(largest, Math.Abs(step[j]));
            }

            if (largest < options.Tolerance)
            {
                break;
            }
        }

        return beta;
    }
}
