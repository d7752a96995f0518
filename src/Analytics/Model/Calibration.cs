namespace Engagement.Analytics.Model;

/// <summary>
/// How a model's raw score becomes a probability. <c>sigmoid</c>: σ(raw), for a raw score that is already log-odds
/// (logistic regression); <c>platt</c>: σ(A·raw + B), fitted by maximum likelihood; <c>isotonic</c>: a non-decreasing
/// step function of the raw score (pool-adjacent-violators). Platt and sigmoid keep the explanation exact on the
/// calibrated log-odds (contributions are scaled by A); isotonic explains the uncalibrated raw score.
/// </summary>
public sealed record Calibration
{
    /// <summary>No fitted calibration: σ(raw).</summary>
    public const string Sigmoid = "sigmoid";

    /// <summary>Platt scaling: σ(A·raw + B).</summary>
    public const string Platt = "platt";

    /// <summary>Isotonic regression of the outcome on the raw score.</summary>
    public const string Isotonic = "isotonic";

    /// <summary>Every method, in the order candidates are tried.</summary>
    public static IReadOnlyList<string> Methods { get; } = [Sigmoid, Platt, Isotonic];

    /// <summary>Probabilities are kept within [ε, 1 − ε] so that a log-loss stays finite.</summary>
    public const double Epsilon = 1e-6;

    /// <summary><see cref="Sigmoid"/>, <see cref="Platt"/> or <see cref="Isotonic"/>.</summary>
    public required string Method { get; init; }

    /// <summary>Platt slope (1 for sigmoid).</summary>
    public double A { get; init; } = 1;

    /// <summary>Platt offset (0 for sigmoid).</summary>
    public double B { get; init; }

    /// <summary>Isotonic: lower raw-score bound of each step, increasing.</summary>
    public IReadOnlyList<double>? Thresholds { get; init; }

    /// <summary>Isotonic: the probability of each step, non-decreasing.</summary>
    public IReadOnlyList<double>? Values { get; init; }

    /// <summary>Whether the explanation is on the calibrated log-odds (A·raw + B) rather than the raw score.</summary>
    public bool IsAffine => Method != Isotonic;

    /// <summary>The probability of a raw score.</summary>
    public double Probability(double raw)
    {
        if (Method != Isotonic)
        {
            return Math.Clamp(RiskModel.Sigmoid((A * raw) + B), Epsilon, 1 - Epsilon);
        }

        var thresholds = Thresholds!;
        var values = Values!;
        var lo = 0;
        var hi = thresholds.Count - 1;
        while (lo < hi)
        {
            var mid = (lo + hi + 1) / 2;
            if (thresholds[mid] <= raw)
            {
                lo = mid;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return Math.Clamp(values[lo], Epsilon, 1 - Epsilon);
    }

    /// <summary>Fits a calibration of <paramref name="method"/> on raw scores and outcomes.</summary>
    public static Calibration Fit(string method, IReadOnlyList<double> raw, IReadOnlyList<bool> outcomes) => method switch
    {
        Sigmoid => new Calibration { Method = Sigmoid },
        Platt => FitPlatt(raw, outcomes),
        Isotonic => FitIsotonic(raw, outcomes),
        _ => throw new ArgumentException($"Unknown calibration '{method}'.", nameof(method)),
    };

    private static Calibration FitPlatt(IReadOnlyList<double> raw, IReadOnlyList<bool> outcomes)
    {
        // Newton's method on the two-parameter logistic log-likelihood (a tiny ridge for separable data), with step
        // halving so that saturated raw scores (boosted trees) cannot make it diverge.
        double Loss(double a, double b)
        {
            var loss = 1e-9 * ((a * a) + (b * b)) / 2;
            for (var i = 0; i < raw.Count; i++)
            {
                var z = (a * raw[i]) + b;
                // log(1 + e^z) − y·z, computed stably.
                loss += (z > 0 ? z + Math.Log(1 + Math.Exp(-z)) : Math.Log(1 + Math.Exp(z))) - (outcomes[i] ? z : 0);
            }

            return loss;
        }

        double a = 1, b = 0;
        var current = Loss(a, b);
        for (var iteration = 0; iteration < 100; iteration++)
        {
            double ga = 1e-9 * a, gb = 1e-9 * b, haa = 1e-9, hab = 0, hbb = 1e-9;
            for (var i = 0; i < raw.Count; i++)
            {
                var p = RiskModel.Sigmoid((a * raw[i]) + b);
                var r = p - (outcomes[i] ? 1 : 0);
                var w = p * (1 - p);
                ga += r * raw[i];
                gb += r;
                haa += w * raw[i] * raw[i];
                hab += w * raw[i];
                hbb += w;
            }

            var det = (haa * hbb) - (hab * hab);
            if (!(det > 0))
            {
                break;
            }

            var da = ((hbb * ga) - (hab * gb)) / det;
            var db = ((haa * gb) - (hab * ga)) / det;
            var step = 1.0;
            var next = Loss(a - da, b - db);
            while (next > current && step > 1e-6)
            {
                step /= 2;
                next = Loss(a - (step * da), b - (step * db));
            }

            if (next > current)
            {
                break;
            }

            a -= step * da;
            b -= step * db;
            var moved = step * Math.Max(Math.Abs(da), Math.Abs(db));
            current = next;
            if (moved < 1e-10)
            {
                break;
            }
        }

        return new Calibration { Method = Platt, A = a, B = b };
    }

    private static Calibration FitIsotonic(IReadOnlyList<double> raw, IReadOnlyList<bool> outcomes)
    {
        var order = Enumerable.Range(0, raw.Count).OrderBy(i => raw[i]).ToArray();
        var starts = new List<double>();
        var sums = new List<double>();
        var counts = new List<double>();
        for (var k = 0; k < order.Length;)
        {
            // Equal raw scores form one block from the start.
            var start = raw[order[k]];
            double sum = 0, count = 0;
            while (k < order.Length && raw[order[k]] == start)
            {
                sum += outcomes[order[k]] ? 1 : 0;
                count++;
                k++;
            }

            starts.Add(start);
            sums.Add(sum);
            counts.Add(count);
            while (starts.Count > 1 && sums[^2] / counts[^2] >= sums[^1] / counts[^1])
            {
                sums[^2] += sums[^1];
                counts[^2] += counts[^1];
                starts.RemoveAt(starts.Count - 1);
                sums.RemoveAt(sums.Count - 1);
                counts.RemoveAt(counts.Count - 1);
            }
        }

        return new Calibration
        {
            Method = Isotonic,
            Thresholds = starts.Count == 0 ? [0.0] : starts,
            Values = starts.Count == 0 ? [0.5] : [.. sums.Select((s, i) => s / counts[i])],
        };
    }
}
