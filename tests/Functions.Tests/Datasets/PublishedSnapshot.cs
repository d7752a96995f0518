using System.Net.Http.Json;
using System.Text;
using Engagement.Analytics.Synthetic;
using Engagement.Core.Storage;
using Engagement.Functions.Tests.Exports;
using Microsoft.Extensions.DependencyInjection;

namespace Engagement.Functions.Tests.Datasets;

/// <summary>
/// One app on a synthetic dataset (two partnerships, 18 months, scored so that risk snapshots and alerts exist),
/// published once through <c>POST /PublishDatasets</c> with small row groups; the tests read the snapshot it wrote.
/// </summary>
public sealed class PublishedSnapshot : IAsyncLifetime
{
    public const string Date = "2026-03-02";
    public const int RowGroupSize = 500;

    public EngagementApp App { get; } = new(settings: new()
    {
        ["Exports:PersonKeySecret"] = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray()),
        ["Datasets:RowGroupSize"] = RowGroupSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
    });

    public string Folder => Path.Combine(App.DatasetsFolder, Date);

    /// <summary>The action plan seeded in <c>syn-p01</c>.</summary>
    public Core.Domain.ActionPlan Plan { get; private set; } = null!;

    /// <summary>The run's answer: <c>{function, startedAt, logs}</c>.</summary>
    public string RunAnswer { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        App.Clock.UtcNow = new DateTimeOffset(2026, 3, 2, 5, 30, 0, TimeSpan.Zero);
        var dataset = SyntheticGenerator.Generate(new SyntheticOptions { Seed = 9, Partnerships = 2, Months = 18, Start = new DateOnly(2024, 9, 1) });
        await App.Services.GetRequiredService<EngagementStores>().LoadAsync(dataset);
        Plan = await ActionPlanSeed.SeedAsync(App.Services.GetRequiredService<EngagementStores>(), "syn-p01", lead: "syn-p01-org01", partner: "syn-p01-org02", person: "syn-p01-org01-rep1");

        // A title an analyst's spreadsheet would run as a formula: the CSV neutralises it, Parquet keeps the text.
        (await App.Admin().PostAsJsonAsync("/api/partnerships/syn-p01/meetings", new[] { new { id = "formula", title = "=1+1", start = "2026-02-20T13:30:00-05:00", end = "2026-02-20T15:00:00-05:00" } })).EnsureSuccessStatusCode();
        (await App.Admin().PostAsync("/ScoreRisk", new StringContent("{}", Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();
        using var response = await App.Admin().PostAsync("/PublishDatasets", null);
        RunAnswer = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, RunAnswer);
    }

    public async Task DisposeAsync() => await App.DisposeAsync();

    /// <summary>A file of the snapshot by its manifest path.</summary>
    public byte[] Read(string path) => File.ReadAllBytes(Path.Combine(Folder, path));

    public async Task<byte[]> ExportAsync(string table)
    {
        using var response = await App.ClientWithKey(EngagementApp.Keys.Analyst).GetAsync($"/api/exports/{table}.csv");
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsByteArrayAsync();
    }
}
