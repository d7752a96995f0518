namespace Engagement.Analytics.Evaluation;

/// <summary>
/// A model against the rules baseline (the organisation's cumulative absence rate) on a later time slice.
/// </summary>
/// <param name="Cutoff">Training examples' outcomes were known before it; test examples start at or after it.</param>
/// <param name="TrainRows">Training examples.</param>
/// <param name="TestRows">Test examples.</param>
/// <param name="BaseRate">Share of disengaged organisations in the test slice.</param>
/// <param name="BaseRateBrier">Brier score of always predicting the base rate.</param>
/// <param name="Model">The model's metrics.</param>
/// <param name="Baseline">The baseline's metrics.</param>
public sealed record EvaluationReport(
    DateTimeOffset Cutoff,
    int TrainRows,
    int TestRows,
    double BaseRate,
    double BaseRateBrier,
    ScoreMetrics Model,
    ScoreMetrics Baseline);
