using System.Globalization;
using System.Text.Json.Nodes;
using Engagement.Analytics.Evaluation;
using Engagement.Analytics.Features;
using Engagement.Analytics.Model;

namespace Engagement.Functions.Hosting;

/// <summary>
/// <c>evaluate --csv FILE [--split-at DATE]</c>: backtests the product's features, label and trainer on an attendance
/// file and prints one JSON object — the model and the rules baseline on the later slice — on standard output.
/// Progress goes to standard error; a bad file gets one line naming the row and column, and exit code 2.
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
            await errors.WriteLineAsync($"training before {cutoff:yyyy-MM-dd}, testing from it");
            var (model, report) = ModelEvaluator.TrainAndEvaluate(examples, cutoff, cutoff);
            var selection = model.Selection!;
            await errors.WriteLineAsync($"validation folds from {string.Join(", ", selection.Folds.Select(f => f.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)))}; chosen by {selection.Metric}:");
            foreach (var candidate in selection.Candidates)
            {
                await errors.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {(candidate.Name == selection.Chosen ? "*" : " ")} {candidate.Name,-34} log-loss {candidate.LogLoss:F4}  Brier {candidate.Brier:F4}"));
            }

            // The plain reference: 5-feature L2 logistic regression, fitted on the same training slice.
            var (train, test) = ModelEvaluator.Split(examples, cutoff);
            var reference = ModelEvaluator.Evaluate(ModelTrainer.Fit(train, ModelTrainer.Reference, Calibration.Sigmoid, cutoff), test, cutoff, train.Count);
            var json = new JsonObject
            {
                ["model"] = Metrics(report.Model),
                ["baseline"] = Metrics(report.Baseline),
                ["reference"] = Metrics(reference.Model),
                ["baseRate"] = Round(report.BaseRate),
                ["trainRows"] = report.TrainRows,
                ["testRows"] = report.TestRows,
                ["chosen"] = selection.Chosen,
                ["selection"] = selection.Metric,
                ["candidates"] = new JsonArray([.. selection.Candidates.Select(c => (JsonNode)new JsonObject
                {
                    ["name"] = c.Name,
                    ["logLoss"] = Round(c.LogLoss),
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

    private static JsonObject Metrics(ScoreMetrics metrics) => new()
    {
        ["auc"] = Round(metrics.RocAuc),
        ["prAuc"] = Round(metrics.PrAuc),
        ["brier"] = Round(metrics.Brier),
        ["precisionAt10"] = Round(metrics.PrecisionAtTop10),
    };

    private static JsonNode? Round(double value) => double.IsFinite(value) ? JsonValue.Create(Math.Round(value, 6)) : null;
}
