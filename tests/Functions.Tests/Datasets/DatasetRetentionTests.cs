using System.Text.Json;
using Engagement.Functions.Datasets;

namespace Engagement.Functions.Tests.Datasets;

/// <summary>PurgeExpiredData deletes the dataset snapshots older than <c>Datasets:RetentionDays</c> and incomplete ones left by failed runs.</summary>
public sealed class DatasetRetentionTests : IAsyncLifetime
{
    private readonly EngagementApp _app = new(settings: new() { ["Datasets:RetentionDays"] = "30" });

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private void Snapshot(string name, bool complete)
    {
        var folder = Path.Combine(_app.DatasetsFolder, name, "dim_date", "csv");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "dim_date.csv"), "date_key\r\n");
        if (complete)
        {
            File.WriteAllText(Path.Combine(_app.DatasetsFolder, name, DatasetPaths.Manifest), "{}");
        }
    }

    [Fact]
    public async Task Purge_DeletesSnapshotsPastTheRetention_AndIncompleteOnesOfEarlierDays()
    {
        foreach (var (name, complete) in new[]
        {
            ("2026-01-30", true), ("2026-01-31", true), ("2026-02-01", true), ("2026-02-27", false), ("2026-03-01", false), ("2026-03-02", true), ("notes", false),
        })
        {
            Snapshot(name, complete);
        }

        _app.Clock.UtcNow = new DateTimeOffset(2026, 3, 2, 3, 30, 0, TimeSpan.Zero);
        using var response = await _app.Admin().PostAsync("/PurgeExpiredData", null);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);

        // Kept: 30 days back to 2026-01-31, yesterday's incomplete one (a run may still be going), and what is not a snapshot.
        var left = Directory.EnumerateDirectories(_app.DatasetsFolder).Select(Path.GetFileName).Order(StringComparer.Ordinal);
        Assert.Equal(["2026-01-31", "2026-02-01", "2026-03-01", "2026-03-02", "notes"], left);
        using var answer = JsonDocument.Parse(body);
        Assert.Contains(answer.RootElement.GetProperty("logs").EnumerateArray(), l => l.GetString() == "deleted 2 dataset snapshots dated before 2026-01-31 (retention 30 days) or left incomplete: 2026-01-30, 2026-02-27 (incomplete)");
    }

    [Fact]
    public async Task Purge_WithoutAnySnapshot_DeletesNothing_AndCreatesNoFolder()
    {
        using var response = await _app.Admin().PostAsync("/PurgeExpiredData", null);
        Assert.True(response.IsSuccessStatusCode);
        Assert.False(Directory.Exists(_app.DatasetsFolder));
    }

    [Fact]
    public async Task AnInvalidSetting_StopsTheAppAtStart_NamingIt()
    {
        await using var app = new EngagementApp(settings: new() { ["Datasets:BlobEndpoint"] = "not a url", ["Datasets:RetentionDays"] = "0" });
        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());
        Assert.Contains("Datasets:BlobEndpoint", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("RetentionDays", error.ToString(), StringComparison.Ordinal);
    }
}
