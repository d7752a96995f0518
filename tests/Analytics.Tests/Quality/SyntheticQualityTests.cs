using Engagement.Analytics.Evaluation;
using Engagement.Analytics.Features;
using Engagement.Analytics.Model;
using Engagement.Analytics.Synthetic;
using Xunit.Abstractions;

namespace Engagement.Analytics.Tests.Quality;

/// <summary>The quality bars of the model on a fixed synthetic dataset, evaluated on a later time slice.</summary>
public sealed class SyntheticQualityTests(ITestOutputHelper output)
{
    private static readonly Lazy<List<LabelledExample>> Examples = new(() =>
        [.. SyntheticGenerator.Generate(new SyntheticOptions { Seed = 2026, Partnerships = 24, Months = 36 }).Partnerships
            .SelectMany(h => PartnershipTimeline.Build(h).Examples())]);

    [Fact]
    public void HeldOutSlice_ModelBeatsTheBaselineAndTheBaseRate_AndIsNoWorseThanTheFiveFeatureReference()
    {
        var examples = Examples.Value;
        var cutoff = ModelEvaluator.DefaultCutoff(examples);
        var (model, report) = ModelEvaluator.TrainAndEvaluate(examples, cutoff, cutoff);
        var (train, test) = ModelEvaluator.Split(examples, cutoff);
        var reference = ModelEvaluator.Evaluate(ModelTrainer.Fit(train, ModelTrainer.Reference, Calibration.Sigmoid, cutoff), test, cutoff, train.Count).Model;
        output.WriteLine($"chosen {model.Selection!.Chosen}");
        output.WriteLine($"train {report.TrainRows}, test {report.TestRows}, base rate {report.BaseRate:F3}");
        output.WriteLine($"model:    AUC {report.Model.RocAuc:F3}, PR AUC {report.Model.PrAuc:F3}, Brier {report.Model.Brier:F4}, P@10% {report.Model.PrecisionAtTop10:F3}");
        output.WriteLine($"baseline: AUC {report.Baseline.RocAuc:F3}, PR AUC {report.Baseline.PrAuc:F3}, Brier {report.Baseline.Brier:F4}, P@10% {report.Baseline.PrecisionAtTop10:F3}");
        output.WriteLine($"reference: AUC {reference.RocAuc:F3}, PR AUC {reference.PrAuc:F3}, Brier {reference.Brier:F4}");
        output.WriteLine($"base-rate Brier {report.BaseRateBrier:F4}");

        Assert.True(report.Model.RocAuc >= 0.80, $"ROC AUC {report.Model.RocAuc:F3} < 0.80");
        Assert.True(report.Model.RocAuc >= report.Baseline.RocAuc + 0.05, $"ROC AUC {report.Model.RocAuc:F3} < baseline {report.Baseline.RocAuc:F3} + 0.05");
        Assert.True(report.Model.Brier < report.BaseRateBrier, $"Brier {report.Model.Brier:F4} ≥ base-rate {report.BaseRateBrier:F4}");
        Assert.True(report.Model.RocAuc >= reference.RocAuc, $"ROC AUC {report.Model.RocAuc:F3} < reference {reference.RocAuc:F3}");
        Assert.True(report.Model.Brier <= reference.Brier, $"Brier {report.Model.Brier:F4} > reference {reference.Brier:F4}");
    }

    [Fact]
    public void Retrain_AgainstThePrior_PromotesTheTrainedChallenger_AndNotAWorseOne()
    {
        var examples = Examples.Value;
        var now = new DateTimeOffset(2026, 11, 22, 5, 0, 0, TimeSpan.Zero);
        var first = ModelEvaluator.Retrain(examples, PriorModel.Create(), now);
        output.WriteLine(first.Reason);
        Assert.True(first.Promote, first.Reason);

        // A champion that is the challenger itself cannot be beaten by an identical retraining.
        var again = ModelEvaluator.Retrain(examples, first.Challenger, now.AddDays(7));
        Assert.False(again.Promote, again.Reason);
    }
}
