using System.Text.Json;
using Engagement.Analytics.Synthetic;
using Engagement.Core.Storage;
using Engagement.Functions.Hosting;
using Engagement.Functions.Tests.Exports;
using Microsoft.Extensions.DependencyInjection;

namespace Engagement.Functions.Tests.Hosting;

public sealed class EvaluateCommandTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"attendance-{Guid.NewGuid():N}.csv");

    public void Dispose() => File.Delete(_file);

    [Fact]
    public async Task Evaluate_SyntheticExport_PrintsOneJsonObjectWithModelAndBaseline()
    {
        var dataset = SyntheticGenerator.Generate(new SyntheticOptions { Seed = 2026, Partnerships = 24, Months = 36 });
        await File.WriteAllTextAsync(_file, SyntheticGenerator.ToAttendanceCsv(dataset));
        var output = new StringWriter();
        var errors = new StringWriter();

        var exit = await EvaluateCommand.RunAsync(["--csv", _file], output, errors);

        Assert.True(exit == 0, errors.ToString());
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var json = JsonDocument.Parse(Assert.Single(lines)).RootElement;
        foreach (var part in new[] { "model", "baseline" })
        {
            foreach (var metric in new[] { "auc", "prAuc", "brier", "precisionAt10" })
            {
                Assert.Equal(JsonValueKind.Number, json.GetProperty(part).GetProperty(metric).ValueKind);
            }
        }

        Assert.True(json.GetProperty("model").GetProperty("auc").GetDouble() > json.GetProperty("baseline").GetProperty("auc").GetDouble(), output.ToString());
        Assert.True(json.GetProperty("trainRows").GetInt32() > 0 && json.GetProperty("testRows").GetInt32() > 0);
        Assert.InRange(json.GetProperty("baseRate").GetDouble(), 0.01, 0.99);
        Assert.Contains("labelled examples", errors.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evaluate_TheAppsOwnFactAttendanceExport_Backtests()
    {
        await using var app = new EngagementApp(settings: new() { ["Exports:PersonKeySecret"] = Convert.ToBase64String(new byte[32]) });
        await app.Services.GetRequiredService<EngagementStores>().LoadAsync(SyntheticGenerator.Generate(new SyntheticOptions { Seed = 7, Partnerships = 8, Months = 30 }));
        using var export = await app.ClientWithKey(EngagementApp.Keys.Analyst).GetAsync("/api/exports/fact_attendance.csv");
        export.EnsureSuccessStatusCode();
        await File.WriteAllBytesAsync(_file, await export.Content.ReadAsByteArrayAsync());
        var output = new StringWriter();
        var errors = new StringWriter();

        var exit = await EvaluateCommand.RunAsync(["--csv", _file], output, errors);

        Assert.True(exit == 0, errors.ToString());
        var json = JsonDocument.Parse(output.ToString()).RootElement;
        Assert.True(json.GetProperty("trainRows").GetInt32() > 0 && json.GetProperty("testRows").GetInt32() > 0, output.ToString());
        Assert.InRange(json.GetProperty("model").GetProperty("auc").GetDouble(), 0.5, 1.0);
        Assert.Contains("8 partnerships", errors.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evaluate_SplitAt_MovesTheCutoff()
    {
        var dataset = SyntheticGenerator.Generate(new SyntheticOptions { Seed = 11, Partnerships = 4, Months = 30 });
        await File.WriteAllTextAsync(_file, SyntheticGenerator.ToAttendanceCsv(dataset));
        var early = new StringWriter();
        var late = new StringWriter();

        Assert.Equal(0, await EvaluateCommand.RunAsync(["--csv", _file, "--split-at", "2024-09-01"], early, new StringWriter()));
        Assert.Equal(0, await EvaluateCommand.RunAsync(["--csv", _file, "--split-at", "2025-09-01"], late, new StringWriter()));

        var earlyTrain = JsonDocument.Parse(early.ToString()).RootElement.GetProperty("trainRows").GetInt32();
        var lateTrain = JsonDocument.Parse(late.ToString()).RootElement.GetProperty("trainRows").GetInt32();
        Assert.True(lateTrain > earlyTrain);
    }

    [Theory]
    [InlineData("partnership,organization,person,meeting_id,present\np,o,x,m1,1\n", "row 1, column meeting_start")]
    [InlineData("partnership,organization,person,meeting_id,meeting_start,present\np,o,x,m1,yesterday,1\n", "row 2, column meeting_start")]
    [InlineData("", "row 1, column header")]
    public async Task Evaluate_BadFile_OneLineNamingRowAndColumn_AndNonZeroExit(string content, string expected)
    {
        await File.WriteAllTextAsync(_file, content);
        var output = new StringWriter();
        var errors = new StringWriter();

        var exit = await EvaluateCommand.RunAsync(["--csv", _file], output, errors);

        Assert.NotEqual(0, exit);
        Assert.Empty(output.ToString());
        var problem = errors.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Last();
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evaluate_MissingFileOrArguments_FailsWithUsage()
    {
        Assert.NotEqual(0, await EvaluateCommand.RunAsync([], new StringWriter(), new StringWriter()));
        var errors = new StringWriter();
        Assert.NotEqual(0, await EvaluateCommand.RunAsync(["--csv", _file + ".missing"], new StringWriter(), errors));
        Assert.Contains(".missing", errors.ToString(), StringComparison.Ordinal);
    }
}
