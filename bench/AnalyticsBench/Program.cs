using System.Diagnostics;
using Engagement.Analytics.Features;
using Engagement.Analytics.Model;
using Engagement.Analytics.Scoring;
using Engagement.Analytics.Synthetic;

// Timed harness for the analytics targets (ARCHITECTURE.md §5; issue 14, item 8):
//   1. training with model selection on 100,000 examples ≤ 30 s (and, beside it, one logistic regression fit);
//   2. loading the chosen model from its artifact (once per instance);
//   3. features + scoring with that model for 10,000 organisations × 100 meetings (≈ 1,000,000 rows) ≤ 2 s.
// The synthetic data is generated first and not timed. Peak memory is the process's peak working set.
var dataset = SyntheticGenerator.Generate(new SyntheticOptions
{
    Seed = 7,
    Partnerships = 400,
    Months = 110,
    LargeNetworkShare = 0,
    CommitteeSize = new SizeRange(25, 25),
    DiagnosticWaves = true,
});
var organisations = dataset.Partnerships.Sum(p => p.Organizations.Count);
var rows = dataset.Partnerships.Sum(p => p.Attendance.Count);
var meetings = dataset.Partnerships.Sum(p => p.Meetings.Count);
Console.WriteLine($"dataset: {dataset.Partnerships.Count} partnerships, {organisations:N0} organisations, {meetings:N0} meetings, {rows:N0} attendance rows");

var asOf = dataset.Partnerships.Max(p => p.Meetings.Max(m => m.End)).AddDays(1);
var model = PriorModel.Create();

// Warm-up on a few partnerships so JIT time is not counted.
foreach (var history in dataset.Partnerships.Take(5))
{
    RiskScorer.Score(PartnershipTimeline.Build(history), model, asOf);
}

GC.Collect();
var clock = Stopwatch.StartNew();
var scored = 0;
foreach (var history in dataset.Partnerships)
{
    scored += RiskScorer.Score(PartnershipTimeline.Build(history), model, asOf).Organizations.Count;
}

var scoringSeconds = clock.Elapsed.TotalSeconds;
Console.WriteLine($"features + scoring with the prior: {scored:N0} organisations in {scoringSeconds:F2} s ({rows / scoringSeconds:N0} attendance rows/s)");

// Training: examples from the same data (every organisation at every meeting with a known outcome).
clock.Restart();
var examples = dataset.Partnerships.Take(60).SelectMany(h => PartnershipTimeline.Build(h).Examples()).Take(100_000).ToList();
var extraction = clock.Elapsed.TotalSeconds;
if (examples.Count < 100_000)
{
    examples = [.. dataset.Partnerships.SelectMany(h => PartnershipTimeline.Build(h).Examples()).Take(100_000)];
}

// Training is two steps since issue 14: the selection (10 candidates × 3 rolling-origin folds, then the refit of the
// winner) and the fit of one candidate. The 2 s target is held by the fit of one logistic regression; the selection is
// reported beside it.
var single = CandidateSpec.Lr(FeatureSets.Full, 0, 1);
ModelTrainer.Fit(examples.Take(1_000).ToList(), single, Calibration.Sigmoid, asOf); // warm-up
GC.Collect();
clock.Restart();
var trained = ModelTrainer.Fit(examples, single, Calibration.Sigmoid, asOf);
var trainingSeconds = clock.Elapsed.TotalSeconds;
Console.WriteLine($"training: {examples.Count:N0} examples × {FeatureNames.Count} features in {trainingSeconds:F2} s (one L-BFGS logistic regression; example extraction {extraction:F2} s, not counted) — target ≤ 2 s: {(trainingSeconds <= 2 ? "PASS" : "FAIL")}; base rate {trained.TrainingBaseRate:P1}");
clock.Restart();
var selected = ModelTrainer.Train(examples, asOf);
var selectionSeconds = clock.Elapsed.TotalSeconds;
Console.WriteLine($"selection and refit: {examples.Count:N0} examples in {selectionSeconds:F1} s, chose {selected.Selection!.Chosen} — target ≤ 30 s: {(selectionSeconds <= 30 ? "PASS" : "FAIL")}");

// The chosen model as an instance meets it: read from its stored artifact, then every organisation scored with it.
var artifact = selected.ToJson();
clock.Restart();
var loaded = RiskModel.FromJson(artifact);
Console.WriteLine($"model load: {clock.Elapsed.TotalMilliseconds:F0} ms for a {artifact.Length / 1024:N0} KiB artifact");
foreach (var history in dataset.Partnerships.Take(5))
{
    RiskScorer.Score(PartnershipTimeline.Build(history), loaded, asOf);
}

GC.Collect();
clock.Restart();
scored = 0;
foreach (var history in dataset.Partnerships)
{
    scored += RiskScorer.Score(PartnershipTimeline.Build(history), loaded, asOf).Organizations.Count;
}

var chosenScoringSeconds = clock.Elapsed.TotalSeconds;
Console.WriteLine($"features + scoring with {selected.Selection.Chosen}: {scored:N0} organisations in {chosenScoringSeconds:F2} s ({rows / chosenScoringSeconds:N0} attendance rows/s) — target ≤ 2 s: {(chosenScoringSeconds <= 2 ? "PASS" : "FAIL")}");
Console.WriteLine($"peak working set: {Process.GetCurrentProcess().PeakWorkingSet64 / (1024 * 1024):N0} MiB (the generated dataset alone holds ≈ 150 MiB)");
return chosenScoringSeconds <= 2 && selectionSeconds <= 30 ? 0 : 1;
