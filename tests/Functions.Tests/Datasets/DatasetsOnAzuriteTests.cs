using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Engagement.Analytics.Synthetic;
using Engagement.Core.Storage;
using Engagement.Functions.Datasets;
using Engagement.Functions.Exports;
using Engagement.Functions.Tests.Exports;
using Engagement.Tests;
using Microsoft.Extensions.DependencyInjection;

namespace Engagement.Functions.Tests.Datasets;

/// <summary>PublishDatasets to a blob container on a real Azurite: the same snapshot, manifest last; re-run and retention.</summary>
public sealed class DatasetsOnAzuriteTests : IAsyncLifetime
{
    private Azurite _azurite = null!;
    private EngagementApp _app = null!;
    private BlobContainerClient _container = null!;

    public async Task InitializeAsync()
    {
        _azurite = await Azurite.StartBlobsAsync();
        var container = $"datasets-{Guid.NewGuid():N}"[..20];
        _app = new EngagementApp(settings: new()
        {
            ["Exports:PersonKeySecret"] = Convert.ToBase64String(new byte[32]),
            ["Datasets:BlobConnectionString"] = _azurite.ConnectionString,
            ["Datasets:Container"] = container,
            ["Datasets:RetentionDays"] = "30",
        });
        _container = new BlobContainerClient(_azurite.ConnectionString, container);
        var dataset = SyntheticGenerator.Generate(new SyntheticOptions { Seed = 3, Partnerships = 2, Months = 6, Start = new DateOnly(2025, 9, 1) });
        await _app.Services.GetRequiredService<EngagementStores>().LoadAsync(dataset);
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _azurite.DisposeAsync();
    }

    private async Task<byte[]> DownloadAsync(string name) => (await _container.GetBlobClient(name).DownloadContentAsync()).Value.Content.ToArray();

    private async Task<List<BlobItem>> BlobsAsync(string prefix)
    {
        var blobs = new List<BlobItem>();
        await foreach (var blob in _container.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix }))
        {
            blobs.Add(blob);
        }

        return blobs;
    }

    private async Task<DatasetManifest> AssertCompleteAsync(string snapshot)
    {
        var manifest = DatasetFiles.Manifest(await DownloadAsync($"{snapshot}/{DatasetPaths.Manifest}"));
        var files = manifest.Tables.Values.SelectMany(t => t.Files).ToList();
        var blobs = await BlobsAsync(snapshot + "/");
        Assert.Equal(files.Select(f => $"{snapshot}/{f.Path}").Append($"{snapshot}/{DatasetPaths.Manifest}").Order(StringComparer.Ordinal), blobs.Select(b => b.Name).Order(StringComparer.Ordinal));
        foreach (var file in files)
        {
            var bytes = await DownloadAsync($"{snapshot}/{file.Path}");
            Assert.Equal(file.Bytes, bytes.Length);
            Assert.Equal(file.Sha256, DatasetFiles.Sha256(bytes));
        }

        Assert.Equal("application/vnd.apache.parquet", blobs.First(b => b.Name.EndsWith(".parquet", StringComparison.Ordinal)).Properties.ContentType);
        return manifest;
    }

    [Fact]
    public async Task Publish_ToABlobContainer_RoundTrips_AndTheRetentionDeletesIt()
    {
        _app.Clock.UtcNow = new DateTimeOffset(2026, 3, 2, 5, 30, 0, TimeSpan.Zero);
        using (var response = await _app.Admin().PostAsync("/PublishDatasets", null))
        {
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }

        var manifest = await AssertCompleteAsync("2026-03-02");
        var table = StarSchema.Tables["fact_attendance"];
        var files = manifest.Tables[table.Name].Files;
        Assert.Equal(2, files.Count(f => f.Format == "parquet"));
        using var export = await _app.ClientWithKey(EngagementApp.Keys.Analyst).GetAsync("/api/exports/fact_attendance.csv");
        var (_, exported) = DatasetFiles.ReadCsv(await export.Content.ReadAsByteArrayAsync());
        var published = new List<object?[]>();
        foreach (var file in files.Where(f => f.Format == "parquet"))
        {
            published.AddRange((await DatasetFiles.ReadParquetAsync(await DownloadAsync($"2026-03-02/{file.Path}"), table)).Rows);
        }

        Assert.Equal(exported.Count, published.Count);
        for (var i = 0; i < exported.Count; i++)
        {
            DatasetFiles.AssertSameRow(table, published[i], exported[i], $"row {i}");
        }

        // The same day again replaces the snapshot; the next day adds one.
        (await _app.Admin().PostAsync("/PublishDatasets", null)).EnsureSuccessStatusCode();
        await AssertCompleteAsync("2026-03-02");
        _app.Clock.UtcNow = new DateTimeOffset(2026, 3, 3, 5, 30, 0, TimeSpan.Zero);
        (await _app.Admin().PostAsync("/PublishDatasets", null)).EnsureSuccessStatusCode();
        await AssertCompleteAsync("2026-03-03");

        // 31 days later the first is past the retention, the second not yet.
        _app.Clock.UtcNow = new DateTimeOffset(2026, 4, 2, 3, 30, 0, TimeSpan.Zero);
        (await _app.Admin().PostAsync("/PurgeExpiredData", null)).EnsureSuccessStatusCode();
        Assert.Empty(await BlobsAsync("2026-03-02/"));
        await AssertCompleteAsync("2026-03-03");
    }
}
