using Engagement.Analytics.Evaluation;
using Engagement.Analytics.Features;
using Engagement.Analytics.Model;
using Engagement.Analytics.Synthetic;

namespace Engagement.Analytics.Tests.Model;

public sealed class ModelTrainerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 4, 0, 0, TimeSpan.Zero);

    private static readonly Lazy<List<LabelledExample>> Examples = new(() =>
        [.. SyntheticGenerator.Generate(new SyntheticOptions { Seed = 31, Partnerships = 8, Months = 30 }).Partnerships
            .SelectMany(h => PartnershipTimeline.Build(h).Examples())]);

    // A small grid that still holds every trainer and feature set, to keep the tests quick.
    private static readonly TrainerOptions Quick = new()
    {
        Candidates =
        [
            CandidateSpec.Lr(FeatureSets.Compact, 0, 1),
            CandidateSpec.Lr(FeatureSets.Full, 0, 1),
            new("gam-full", FeatureSets.Full, CandidateSpec.Gam),
            new("fasttree-full", FeatureSets.Full, CandidateSpec.FastTree),
        ],
    };

    public static TheoryData<string, string> EveryCandidateAndCalibration()
    {
        var data = new TheoryData<string, string>();
        foreach (var candidate in Quick.Candidates!)
        {
            foreach (var calibration in Calibration.Methods)
            {
                data.Add(candidate.Name, calibration);
            }
        }

        return data;
    }

    [Fact]
    public void Train_SameData_TrainsTheSameModel()
    {
        var first = ModelTrainer.Train(Examples.Value, Now, Quick);
        var second = ModelTrainer.Train(Examples.Value, Now, Quick);

        Assert.Equal(first.Selection!.Chosen, second.Selection!.Chosen);
        Assert.Equal(first.Selection.Candidates.Select(c => c.LogLoss), second.Selection.Candidates.Select(c => c.LogLoss));
        Assert.Equal(first.Calibration, second.Calibration);
        foreach (var example in Examples.Value.Take(300))
        {
            Assert.Equal(first.Probability(example.Features), second.Probability(example.Features));
        }
    }

    [Fact]
    public void Select_OneFitAtATimeOrSeveral_ScoresEveryCandidateTheSame()
    {
        var sequential = ModelTrainer.Select(Examples.Value, Quick with { MaxParallelFits = 1 });
        var parallel = ModelTrainer.Select(Examples.Value, Quick with { MaxParallelFits = 4 });

        Assert.Equal(sequential.Chosen, parallel.Chosen);
        Assert.Equal(sequential.Candidates.Select(c => (c.Name, c.LogLoss, c.Brier, c.ValidationRows)), parallel.Candidates.Select(c => (c.Name, c.LogLoss, c.Brier, c.ValidationRows)));
    }

    [Fact]
    public void Train_ChoosesTheSimplestWithinTwoStandardErrorsOfTheBest_FromFoldsInsideTheWindow()
    {
        var model = ModelTrainer.Train(Examples.Value, Now, Quick);
        var selection = model.Selection!;

        Assert.Equal(ModelTrainer.Metric, selection.Metric);
        Assert.Equal(2, selection.StandardErrors);
        Assert.Equal(Quick.Candidates!.Count * Calibration.Methods.Count, selection.Candidates.Count);
        var best = selection.Candidates.MinBy(c => c.LogLoss)!;
        Assert.Equal(0, best.ExcessLogLoss);
        Assert.All(selection.Candidates, c => Assert.Equal(c.LogLoss - best.LogLoss, c.ExcessLogLoss, 9));
        var chosen = selection.Candidates.Single(c => c.Name == selection.Chosen);
        Assert.True(chosen.ExcessLogLoss <= 2 * chosen.ExcessStandardError, $"{chosen.Name}: +{chosen.ExcessLogLoss} ± {chosen.ExcessStandardError}");
        Assert.All(selection.Candidates.TakeWhile(c => c != chosen), c => Assert.True(c.ExcessLogLoss > 2 * c.ExcessStandardError, c.Name));
        Assert.Equal(selection.Chosen, $"{model.Candidate!.Name}/{model.Calibration!.Method}");
        Assert.Equal(3, selection.Folds.Count);
        Assert.All(selection.Folds, f => Assert.InRange(f, model.TrainingFrom!.Value, model.TrainingTo!.Value));
        Assert.All(selection.Candidates, c => Assert.True(c.ValidationRows > 0 && double.IsFinite(c.LogLoss) && double.IsFinite(c.Brier), c.Name));
        Assert.Equal(Examples.Value.Count, model.TrainingExamples);
    }

    [Fact]
    public void Select_WithoutTheStandardErrorAllowance_ChoosesTheLowestValidationLogLoss()
    {
        var selection = ModelTrainer.Select(Examples.Value, Quick with { StandardErrors = 0 });

        Assert.Equal(selection.Candidates.MinBy(c => c.LogLoss)!.Name, selection.Chosen);
        Assert.All(selection.Candidates, c => Assert.InRange(c.RocAuc, 0, 1));
    }

    [Fact]
    public void TrainAndEvaluate_SelectsWithoutTouchingTheTestSlice()
    {
        var examples = Examples.Value;
        var cutoff = ModelEvaluator.DefaultCutoff(examples);
        var (model, report) = ModelEvaluator.TrainAndEvaluate(examples, cutoff, Now, Quick);

        Assert.All(model.Selection!.Folds, f => Assert.True(f < cutoff));
        Assert.True(model.TrainingTo < cutoff);
        Assert.Equal(report.TrainRows, model.TrainingExamples);
    }

    [Theory]
    [MemberData(nameof(EveryCandidateAndCalibration))]
    public void Explain_ContributionsPlusBias_EqualTheRawScore_AndMatchMlNet(string candidate, string calibration)
    {
        var spec = Quick.Candidates!.Single(c => c.Name == candidate);
        var model = ModelTrainer.Fit(Examples.Value, spec, calibration, Now);
        foreach (var example in Examples.Value.Where((_, i) => i % 97 == 0))
        {
            var (bias, contributions) = model.Explain(example.Features);
            Assert.Equal(FeatureNames.Count, contributions.Length);
            Assert.Equal(model.LogOdds(example.Features), bias + contributions.Sum(), 1e-6);
            var p = model.Probability(example.Features);
            if (model.Calibration!.IsAffine && p > Calibration.Epsilon && p < 1 - Calibration.Epsilon)
            {
                Assert.Equal(Math.Log(p / (1 - p)), bias + contributions.Sum(), 1e-6);
            }

            // The double-precision score agrees with ML.NET's own (single precision).
            var inputs = FeatureSets.Vector(spec.FeatureSet, example.Features);
            var ours = model.Engine!.Raw(inputs);
            Assert.Equal(model.Engine.MlNetScore(inputs), ours, 1e-4 * Math.Max(1, Math.Abs(ours)));
        }
    }

    [Fact]
    public void Explain_TheChosenModel_AddsUpToItsRawScore()
    {
        var model = ModelTrainer.Train(Examples.Value, Now, Quick);
        foreach (var example in Examples.Value.Where((_, i) => i % 53 == 0))
        {
            var (bias, contributions) = model.Explain(example.Features);
            Assert.Equal(model.LogOdds(example.Features), bias + contributions.Sum(), 1e-6);
        }
    }

    [Fact]
    public void Explain_CompactModel_ReportsDerivedInputsUnderTheNearestFeature_AndZeroElsewhere()
    {
        var model = ModelTrainer.Fit(Examples.Value, ModelTrainer.Reference, Calibration.Sigmoid, Now);
        var example = Examples.Value.First(e => e.Features.CumulativeAbsence > 0.3);
        var contributions = model.Contributions(example.Features);
        string[] read = [FeatureNames.AbsenceEwma, FeatureNames.AbsenceStreak, FeatureNames.AbsenceShort, FeatureNames.AbsenceYear, FeatureNames.ShortHistory];
        for (var i = 0; i < FeatureNames.Count; i++)
        {
            if (!read.Contains(FeatureNames.All[i]))
            {
                Assert.Equal(0, contributions[i]);
            }
        }

        Assert.NotEqual(0, contributions[FeatureNames.IndexOf(FeatureNames.AbsenceYear)]);
        Assert.NotEqual(0, contributions[FeatureNames.IndexOf(FeatureNames.ShortHistory)]);
        Assert.Throws<InvalidOperationException>(() => model.Probability(example.Features.Values));
    }

    [Fact]
    public void Artifact_RoundTripsThroughJson_WithTheModelFileInside()
    {
        var model = ModelTrainer.Train(Examples.Value, Now, Quick);
        var json = model.ToJson();
        var copy = RiskModel.FromJson(json);

        Assert.Equal(RiskModel.MlNetFormat, copy.Format);
        Assert.Equal(model.Version, copy.Version);
        Assert.Equal(model.Selection!.Chosen, copy.Selection!.Chosen);
        Assert.Equal(model.Selection.Candidates.Count, copy.Selection.Candidates.Count);
        Assert.True(copy.CanScore());
        foreach (var example in Examples.Value.Take(200))
        {
            Assert.Equal(model.Probability(example.Features), copy.Probability(example.Features), 12);
            Assert.Equal(model.Contributions(example.Features), copy.Contributions(example.Features));
        }
    }

    [Fact]
    public void Artifact_WithAnEvaluationHoldingEmptyBins_RoundTrips()
    {
        var model = ModelTrainer.Fit(Examples.Value, ModelTrainer.Reference, Calibration.Platt, Now);
        var report = new EvaluationReport(
            DateTimeOffset.UnixEpoch, 8, 4, 0.5, 0.25,
            Metrics.Compute([0.1, 0.9, 0.2, 0.8], [false, true, false, true]),
            Metrics.Compute([0.5, 0.5, 0.5, 0.5], [false, true, false, true]));
        var copy = RiskModel.FromJson((model with { Evaluation = report }).ToJson());
        Assert.True(double.IsNaN(copy.Evaluation!.Model.Reliability[5].MeanPredicted));
        Assert.Equal(1.0, copy.Evaluation.Model.RocAuc);
    }

    [Fact]
    public void FromJson_ALinearArtifactOfTheMathNetTrainer_StillLoadsAndScores()
    {
        // As the in-house trainer stored it before issue 14 (no "format").
        var names = string.Join(", ", FeatureNames.All.Select(n => $"\"{n}\""));
        var zeros = string.Join(", ", FeatureNames.All.Select(_ => "0"));
        var ones = string.Join(", ", FeatureNames.All.Select(_ => "1"));
        var weights = string.Join(", ", FeatureNames.All.Select((_, i) => i == 0 ? "2" : "0"));
        var json = $$"""
            {"version": "trained-2026-11-01T03:30:00Z", "kind": "trained", "features": [{{names}}], "means": [{{zeros}}],
             "scales": [{{ones}}], "weights": [{{weights}}], "intercept": -1, "trainedAt": "2026-11-01T03:30:00+00:00",
             "trainingExamples": 900, "trainingBaseRate": 0.2, "evaluation": null}
            """;
        var model = RiskModel.FromJson(json);
        var example = Examples.Value.First(e => e.Features.Values[0] > 0);

        Assert.Null(model.Format);
        Assert.True(model.CanScore());
        Assert.Equal(RiskModel.Sigmoid(-1 + (2 * example.Features.Values[0])), model.Probability(example.Features), 12);
        var (bias, contributions) = model.Explain(example.Features);
        Assert.Equal(model.LogOdds(example.Features), bias + contributions.Sum(), 12);
    }

    [Fact]
    public void FromJson_InconsistentVectors_IsRefused()
    {
        var json = PriorModel.Create().ToJson().Replace("\"weights\": [", "\"weights\": [1.5, ", StringComparison.Ordinal);
        Assert.Throws<InvalidDataException>(() => RiskModel.FromJson(json));
    }

    [Fact]
    public void FromJson_AnUnknownFormat_IsRefused()
    {
        var json = PriorModel.Create().ToJson().Replace("\"format\": null", "\"format\": \"onnx-9\"", StringComparison.Ordinal);
        Assert.Contains("onnx-9", json, StringComparison.Ordinal);
        Assert.Throws<InvalidDataException>(() => RiskModel.FromJson(json));
    }

    private static readonly Lazy<List<LabelledExample>> WithPlans = new(() =>
        [.. SyntheticGenerator.Generate(new SyntheticOptions { Seed = 31, Partnerships = 8, Months = 30, ActionPlans = true }).Partnerships
            .SelectMany(h => PartnershipTimeline.Build(h).Examples())]);

    [Fact]
    public void DefaultCandidates_OfferThePlansFeaturesInACompactAndInTheFullSet()
    {
        Assert.Contains(ModelTrainer.DefaultCandidates, c => c.FeatureSet == FeatureSets.CompactPlan);
        Assert.Contains(FeatureNames.ActionsLate, FeatureSets.Inputs(FeatureSets.CompactPlan));
        Assert.Contains(FeatureNames.SheetSilence, FeatureSets.Inputs(FeatureSets.Full));
        var order = ModelTrainer.DefaultCandidates.Select(c => c.FeatureSet).ToList();
        Assert.True(order.LastIndexOf(FeatureSets.Compact) < order.IndexOf(FeatureSets.CompactPlan) && order.IndexOf(FeatureSets.CompactPlan) < order.IndexOf(FeatureSets.Full));
    }

    [Fact]
    public void Select_WithoutActionPlans_LeavesTheCompactPlanCandidateOut()
    {
        var candidates = new[] { CandidateSpec.Lr(FeatureSets.Compact, 0, 1), CandidateSpec.Lr(FeatureSets.CompactPlan, 0, 1) };
        var without = ModelTrainer.Select(Examples.Value, new TrainerOptions { Candidates = candidates, Calibrations = [Calibration.Sigmoid] });
        var with = ModelTrainer.Select(WithPlans.Value, new TrainerOptions { Candidates = candidates, Calibrations = [Calibration.Sigmoid] });

        Assert.Equal([candidates[0].Name], without.Candidates.Select(c => c.Candidate.Name));
        Assert.Equal(candidates.Select(c => c.Name), with.Candidates.Select(c => c.Candidate.Name));
    }

    [Fact]
    public void Select_WithActionPlans_RunsEveryDefaultCandidate_AndTheChosenOneScoresAndExplainsExactly()
    {
        var examples = WithPlans.Value;
        Assert.Contains(examples, e => e.Features.Values[FeatureNames.IndexOf(FeatureNames.ActionsLate)] > 0);
        var model = ModelTrainer.Train(examples, Now, new TrainerOptions { Calibrations = [Calibration.Sigmoid] });

        Assert.Equal(ModelTrainer.DefaultCandidates.Count, model.Selection!.Candidates.Count);
        Assert.All(model.Selection.Candidates, c => Assert.True(double.IsFinite(c.LogLoss) && c.ValidationRows > 0, c.Name));
        var copy = RiskModel.FromJson(model.ToJson());
        Assert.True(copy.CanScore());
        foreach (var example in examples.Where((_, i) => i % 61 == 0))
        {
            var (bias, contributions) = copy.Explain(example.Features);
            Assert.Equal(copy.LogOdds(example.Features), bias + contributions.Sum(), 1e-6);
            Assert.Equal(model.Probability(example.Features), copy.Probability(example.Features), 12);
        }
    }

    [Theory]
    [InlineData(FeatureSets.CompactPlan)]
    [InlineData(FeatureSets.Full)]
    public void Fit_WithActionPlans_ReadsThePlansFeatures_AndExplainsThemExactly(string set)
    {
        var examples = WithPlans.Value;
        var spec = CandidateSpec.Lr(set, 0, 1);
        var model = ModelTrainer.Fit(examples, spec, Calibration.Platt, Now);
        var late = examples.Where(e => e.Features.Values[FeatureNames.IndexOf(FeatureNames.ActionsLate)] > 0).Take(50).ToList();

        Assert.NotEmpty(late);
        Assert.Contains(late, e => model.Contributions(e.Features)[FeatureNames.IndexOf(FeatureNames.ActionsLate)] != 0);
        foreach (var example in late)
        {
            var (bias, contributions) = model.Explain(example.Features);
            Assert.Equal(model.LogOdds(example.Features), bias + contributions.Sum(), 1e-6);
            var inputs = FeatureSets.Vector(spec.FeatureSet, example.Features);
            Assert.Equal(model.Engine!.MlNetScore(inputs), model.Engine.Raw(inputs), 1e-4 * Math.Max(1, Math.Abs(model.Engine.Raw(inputs))));
        }
    }

    [Fact]
    public void CanTrain_NeedsTwoHundredExamplesAndTenOfEachOutcome()
    {
        var examples = Examples.Value;
        Assert.True(ModelTrainer.CanTrain(examples));
        Assert.False(ModelTrainer.CanTrain([.. examples.Take(ModelTrainer.MinimumExamples - 1)]));
        Assert.False(ModelTrainer.CanTrain([.. examples.Where(e => !e.Disengaged).Take(300).Concat(examples.Where(e => e.Disengaged).Take(9))]));
    }
}
