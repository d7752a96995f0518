using Engagement.Analytics.Model;

namespace Engagement.Analytics.Tests.Model;

public sealed class CalibrationTests
{
    [Fact]
    public void Platt_RecoversTheSlopeAndOffsetOfALogisticOutcome()
    {
        var random = new Random(5);
        var raw = Enumerable.Range(0, 20_000).Select(_ => (random.NextDouble() * 8) - 4).ToList();
        var outcomes = raw.Select(r => random.NextDouble() < RiskModel.Sigmoid((0.5 * r) - 1)).ToList();

        var platt = Calibration.Fit(Calibration.Platt, raw, outcomes);

        Assert.Equal(0.5, platt.A, 0.05);
        Assert.Equal(-1, platt.B, 0.08);
    }

    [Fact]
    public void Platt_SaturatedScores_DoNotDiverge()
    {
        double[] raw = [-40, -35, -30, 25, 30, 45, -38, 33];
        bool[] outcomes = [false, false, true, true, true, false, false, true];
        var platt = Calibration.Fit(Calibration.Platt, raw, outcomes);
        Assert.True(double.IsFinite(platt.A) && double.IsFinite(platt.B));
        Assert.All(raw, r => Assert.InRange(platt.Probability(r), Calibration.Epsilon, 1 - Calibration.Epsilon));
    }

    [Fact]
    public void Isotonic_IsANonDecreasingStepFunction_OfTheRawScore()
    {
        double[] raw = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6];
        bool[] outcomes = [false, true, false, false, true, true];
        var isotonic = Calibration.Fit(Calibration.Isotonic, raw, outcomes);

        var probabilities = new[] { -1.0, 0.1, 0.25, 0.35, 0.45, 0.55, 0.65, 2 }.Select(isotonic.Probability).ToList();
        for (var i = 1; i < probabilities.Count; i++)
        {
            Assert.True(probabilities[i] >= probabilities[i - 1]);
        }

        // The violators (true at 0.2, false at 0.3 and 0.4) are pooled: 1 of 3 from 0.2 to 0.4.
        Assert.Equal(0, isotonic.Probability(0.1), 5);
        Assert.Equal(1 / 3.0, isotonic.Probability(0.3), 12);
        Assert.Equal(1 - Calibration.Epsilon, isotonic.Probability(0.6), 12);
    }

    [Fact]
    public void Sigmoid_IsTheIdentityOnLogOdds()
    {
        var sigmoid = Calibration.Fit(Calibration.Sigmoid, [0.0], [true]);
        Assert.Equal(RiskModel.Sigmoid(1.3), sigmoid.Probability(1.3), 15);
        Assert.True(sigmoid.IsAffine);
    }
}
