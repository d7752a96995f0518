using Engagement.Analytics.Evaluation;
using FsCheck;
using FsCheck.Fluent;

namespace Engagement.Analytics.Tests.Evaluation;

public sealed class MetricsTests
{
    [Fact]
    public void RocAuc_PerfectReversedAndTied_AreOneZeroAndHalf()
    {
        bool[] outcomes = [false, false, true, true];
        Assert.Equal(1.0, Metrics.RocAuc([0.1, 0.2, 0.8, 0.9], outcomes));
        Assert.Equal(0.0, Metrics.RocAuc([0.9, 0.8, 0.2, 0.1], outcomes));
        Assert.Equal(0.5, Metrics.RocAuc([0.5, 0.5, 0.5, 0.5], outcomes));
    }

    [Fact]
    public void RocAuc_HandExample_CountsPairsWithHalfTies()
    {
        // Positives 0.8, 0.4; negatives 0.4, 0.3, 0.1. Pairs won: (0.8>all)=3, (0.4 vs 0.4 tie)=0.5, (0.4>0.3, 0.4>0.1)=2 → 5.5/6.
        Assert.Equal(5.5 / 6, Metrics.RocAuc([0.8, 0.4, 0.4, 0.3, 0.1], [true, true, false, false, false]), 12);
        Assert.True(double.IsNaN(Metrics.RocAuc([0.1, 0.2], [true, true])));
    }

    [Fact]
    public void PrAuc_HandExample_IsAveragePrecision()
    {
        // Ranked: 0.9 (+) p=1, 0.7 (−), 0.5 (+) p=2/3, 0.2 (−) → AP = (1 + 2/3) / 2.
        Assert.Equal((1 + (2.0 / 3)) / 2, Metrics.PrAuc([0.9, 0.7, 0.5, 0.2], [true, false, true, false]), 12);
    }

    [Fact]
    public void Brier_AndBaseRateReference()
    {
        Assert.Equal(((0.1 * 0.1) + (0.2 * 0.2) + (0.3 * 0.3) + (0.4 * 0.4)) / 4, Metrics.Brier([0.9, 0.2, 0.7, 0.4], [true, false, true, false]), 12);
        Assert.Equal(0.25 * 0.75, Metrics.BaseRateBrier([true, false, false, false]), 12);
    }

    [Fact]
    public void PrecisionAtTop_TakesTheTopTenPercentAndAtLeastOne()
    {
        var scores = Enumerable.Range(0, 20).Select(i => i / 20.0).ToArray();
        var outcomes = scores.Select(s => s >= 0.95).ToArray();
        Assert.Equal(0.5, Metrics.PrecisionAtTop(scores, outcomes, 0.10));
        Assert.Equal(1.0, Metrics.PrecisionAtTop([0.3, 0.9], [false, true], 0.10));
    }

    [Fact]
    public void Reliability_TenBins_CountAndAverage()
    {
        var table = Metrics.Reliability([0.05, 0.07, 0.95, 1.0], [false, true, true, true]);
        Assert.Equal(10, table.Count);
        Assert.Equal(2, table[0].Count);
        Assert.Equal(0.06, table[0].MeanPredicted, 12);
        Assert.Equal(0.5, table[0].ObservedRate);
        Assert.Equal(2, table[9].Count);
        Assert.True(double.IsNaN(table[5].MeanPredicted));
    }

    [Fact]
    public void RocAuc_IsInvariantToMonotoneTransformsOfScores()
    {
        var gen = from n in Gen.Choose(2, 60)
                  from scores in Gen.ArrayOf(Gen.Choose(0, 1000).Select(i => i / 1000.0), n)
                  from outcomes in Gen.ArrayOf(ArbMap.Default.GeneratorFor<bool>(), n)
                  select (scores, outcomes);
        Prop.ForAll(gen.ToArbitrary(), sample =>
        {
            var (scores, outcomes) = sample;
            var original = Metrics.RocAuc(scores, outcomes);
            var transformed = Metrics.RocAuc([.. scores.Select(s => Math.Exp(3 * s) - 7)], outcomes);
            return (double.IsNaN(original) && double.IsNaN(transformed)) || Math.Abs(original - transformed) < 1e-12;
        }).QuickCheckThrowOnFailure();
    }
}
