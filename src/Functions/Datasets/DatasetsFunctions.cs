using Azure.Storage.Blobs;
using Engagement.Functions.Hosting;
using Engagement.Functions.Storage;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;

namespace Engagement.Functions.Datasets;

/// <summary>The nightly star-schema snapshot for Power BI, Fabric and notebooks (Parquet and CSV, with a manifest).</summary>
internal sealed class DatasetsFunctions(DatasetPublisher publisher, TimerRun run)
{
    [Function("PublishDatasets")]
    public Task PublishDatasets([TimerTrigger("%Schedules:PublishDatasets%")] TimerInfo timer, CancellationToken cancellationToken) =>
        run.RunAsync("PublishDatasets", timer, startedAt => publisher.PublishAsync(startedAt, cancellationToken));
}

internal static class DatasetsExtensions
{
    public static IHostApplicationBuilder AddDatasets(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DatasetOptions>().BindConfiguration(DatasetOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<IDatasetStore>(sp => CreateStore(sp.GetRequiredService<IOptions<DatasetOptions>>().Value, sp.GetRequiredService<IOptions<StorageOptions>>().Value));
        builder.Services.AddSingleton<DatasetPublisher>();
        builder.Services.AddSingleton<DatasetRetention>();
        return builder;
    }

    private static IDatasetStore CreateStore(DatasetOptions options, StorageOptions storage)
    {
        if (!string.IsNullOrWhiteSpace(options.BlobConnectionString))
        {
            return new BlobDatasetStore(new BlobContainerClient(options.BlobConnectionString, options.Container), createContainer: true);
        }

        if (!string.IsNullOrWhiteSpace(options.BlobEndpoint))
        {
            var credential = AzureCredentials.For(options.ManagedIdentityClientId);
            var container = new Uri(new Uri(options.BlobEndpoint.TrimEnd('/') + "/"), options.Container);
            return new BlobDatasetStore(new BlobContainerClient(container, credential), createContainer: false);
        }

        // Standalone: beside the SQLite file unless a folder is given.
        var folder = string.IsNullOrWhiteSpace(options.Folder)
            ? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(storage.Sqlite.Path))!, "datasets")
            : options.Folder;
        return new FolderDatasetStore(folder);
    }
}
