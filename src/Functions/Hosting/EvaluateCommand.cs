using System.Globalization;
using System.Text.Json.Nodes;
using Engagement.Analytics.Evaluation;
using Engagement.Analytics.Features;
using Engagement.Analytics.Model;

namespace Engagement.Functions.Hosting;

/// <summary>
/// <c>evaluate --csv FILE [--split-at DATE]</c>: backtests the product's features, label and trainer on an attendance
/// file and prints one JSON object — the chosen model, the 5-feature reference and the rules baseline on the later
/// slice, every candidate's validation scores and the chosen model's reliability table — on standard output. Progress
/// and the same figures as tables go to standard error; a bad file gets one line naming the row and column, and exit code 2.
/// </summary>
internal static class EvaluateCommand
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter errors)
    {
        string? file = null;
        DateTimeOffset? splitAt = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--csv" when i + 1 < args.Length:
                    file = args[++i];
                    break;
                case "--split-at" when i + 1 < args.Length:
                    if (!DateTimeOffset.TryParse(args[++i], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
                    {
                        await errors.WriteLineAsync($"--split-at: '{args[i]}' is not a date (e.g. 2026-01-01)");
                        return 2;
                    }

                    splitAt = date;
                    break;
                default:
                    await errors.WriteLineAsync("usage: evaluate --csv FILE [--split-at DATE]");
                    return 2;
            }
        }

        if (file is null)
        {
            await errors.WriteLineAsync("usage: evaluate --csv FILE [--split-at DATE]");
            return 2;
        }

        try
        {
            await errors.WriteLineAsync($"reading {file}");
            using var reader = new StreamReader(file);
            var histories = AttendanceFile.Read(reader, warning => errors.WriteLine($"{file}: {warning}"));
            var examples = histories.SelectMany(h => PartnershipTimeline.Build(h).Examples()).ToList();
            await errors.WriteLineAsync($"{histories.Count} partnerships, {examples.Count} labelled examples ({examples.Count(e => e.Disengaged)} disengaged)");
            var cutoff = splitAt ?? ModelEvaluator.DefaultCutoff(examples);
            var (train, test) = ModelEvaluator.Split(examples, cutoff);
            await errors.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"training before {cutoff:yyyy-MM-dd} ({train.Count} examples, {Rate(train):P1} disengaged), testing from it ({test.Count} examples, {Rate(test):P1} disengaged)"));

            // Progress: one line per tenth of the validation fits (the long part on a large file).
            var reported = 0;
            var options = new TrainerOptions
            {
                Progress = (done, total) =>
                {
                    var tenth = done * 10 / total;
                    if (tenth > Volatile.Read(ref reported) && Interlocked.Exchange(ref reported, tenth) < tenth)
                    {
                        lock (errors)
                        {
                            errors.WriteLine($"  selecting: {done} of {total} validation fits");
                        }
                    }
                },
            };
            var (model, report) = ModelEvaluator.TrainAndEvaluate(examples, cutoff, cutoff, options);
            var selection = model.Selection!;
            await errors.WriteLineAsync($"validation folds from {string.Join(", ", selection.Folds.Select(f => f.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)))}; chosen by {selection.Metric}:");
            await errors.WriteLineAsync($"  the simplest candidate (they are listed from the simplest) within {selection.StandardErrors} standard errors of the best");
            await errors.WriteLineAsync($"    {"candidate",-36} {"log-loss",8} {"above best",18} {"ROC AUC",7} {"Brier",7}");
            foreach (var candidate in selection.Candidates)
            {
                await errors.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"  {(candidate.Name == selection.Chosen ? "*" : " ")} {candidate.Name,-36} {candidate.LogLoss,8:F4} {$"+{candidate.ExcessLogLoss:F4} ± {candidate.ExcessStandardError:F4}",18} {candidate.RocAuc,7:F3} {candidate.Brier,7:F4}"));
            }

            // The plain reference: 5-feature L2 logistic regression, fitted on the same training slice.
            var reference = ModelEvaluator.Evaluate(ModelTrainer.Fit(train, ModelTrainer.Reference, Calibration.Sigmoid, cutoff), test, cutoff, train.Count);
            await errors.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"test slice from {cutoff:yyyy-MM-dd}:"));
            await errors.WriteLineAsync($"    {"",-38} {"ROC AUC",7} {"PR AUC",7} {"Brier",7} {"top 10 %",8}");
            foreach (var (name, metrics) in new[] { ($"chosen: {selection.Chosen}", report.Model), ("reference: 5-feature regression", reference.Model), ("baseline: cumulative absence", report.Baseline) })
            {
                await errors.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"    {name,-38} {metrics.RocAuc,7:F3} {metrics.PrAuc,7:F3} {metrics.Brier,7:F4} {metrics.PrecisionAtTop10,8:P0}"));
            }

            await errors.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"    {"base rate (the test slice's own)",-38} {"",7} {"",7} {report.BaseRateBrier,7:F4}"));
            await errors.WriteLineAsync("reliability of the chosen model on the test slice:");
            await errors.WriteLineAsync($"    {"predicted",-11} {"examples",8} {"mean predicted",14} {"observed",8}");
            foreach (var bin in report.Model.Reliability.Where(b => b.Count > 0))
            {
                await errors.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"    {$"{bin.From:F1}–{bin.To:F1}",-11} {bin.Count,8} {bin.MeanPredicted,14:P1} {bin.ObservedRate,8:P1}"));
            }

            var json = new JsonObject
            {
                ["model"] = Metrics(report.Model, reliability: true),
                ["baseline"] = Metrics(report.Baseline),
                ["reference"] = Metrics(reference.Model),
                ["baseRate"] = Round(report.BaseRate),
                ["baseRateBrier"] = Round(report.BaseRateBrier),
                ["trainRows"] = report.TrainRows,
                ["testRows"] = report.TestRows,
                ["chosen"] = selection.Chosen,
                ["selection"] = selection.Metric,
                ["standardErrors"] = selection.StandardErrors,
                ["candidates"] = new JsonArray([.. selection.Candidates.Select(c => (JsonNode)new JsonObject
                {
                    ["name"] = c.Name,
                    ["logLoss"] = Round(c.LogLoss),
                    ["excessLogLoss"] = Round(c.ExcessLogLoss),
                    ["excessStandardError"] = Round(c.ExcessStandardError),
                    ["auc"] = Round(c.RocAuc),
                    ["brier"] = Round(c.Brier),
                    ["validationRows"] = c.ValidationRows,
                })]),
            };
            await output.WriteLineAsync(json.ToJsonString());
            return 0;
        }
        catch (AttendanceFileException ex)
        {
            await errors.WriteLineAsync($"{file}: {ex.Message}");
            return 2;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await errors.WriteLineAsync($"{file}: {ex.Message}");
            return 2;
        }
        catch (InvalidOperationException ex)
        {
            await errors.WriteLineAsync($"{file}: {ex.Message}");
            return 3;
        }
    }

    private static JsonObject Metrics(ScoreMetrics metrics, bool reliability = false)
    {
        var json = new JsonObject
        {
            ["auc"] = Round(metrics.RocAuc),
            ["prAuc"] = Round(metrics.PrAuc),
            ["brier"] = Round(metrics.Brier),
            ["precisionAt10"] = Round(metrics.PrecisionAtTop10),
        };
        if (reliability)
        {
            json["reliability"] = new JsonArray([.. metrics.Reliability.Select(b => (JsonNode)new JsonObject
            {
                ["from"] = Round(b.From),
                ["to"] = Round(b.To),
                ["count"] = b.Count,
                ["meanPredicted"] = Round(b.MeanPredicted),
                ["observed"] = Round(b.ObservedRate),
            })]);
        }

        return json;
    }

    private static double Rate(List<LabelledExample> examples) => examples.Count == 0 ? 0 : examples.Count(e => e.Disengaged) / (double)examples.Count;

    private static JsonNode? Round(double value) => double.IsFinite(value) ? JsonValue.Create(Math.Round(value, 6)) : null;
}
