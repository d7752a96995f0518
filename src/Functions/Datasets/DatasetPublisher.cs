using System.Globalization;
using System.IO.Pipelines;
using System.Security.Cryptography;
using System.Text.Json;
using Engagement.Core.Domain;
using Engagement.Core.Storage;
using Engagement.Functions.Exports;
using Microsoft.Extensions.Options;

namespace Engagement.Functions.Datasets;

/// <summary>
/// PublishDatasets' work: every star-schema table as Parquet and as CSV (the very rows and bytes of the CSV export, for
/// a caller without the <c>pii</c> role), fact_attendance one file per partnership, under <c>{snapshot date}/</c>, then
/// the manifest. Each file is written to a local staging folder, hashed and put whole; the manifest goes last and names
/// exactly the files put, so a reader who takes the latest snapshot with a manifest never sees half a snapshot. A run
/// that fails leaves no manifest for its day (an earlier day's snapshot is untouched); the next run of that day deletes
/// the partial snapshot first.
/// </summary>
internal sealed partial class DatasetPublisher(IPartnershipStore partnershipStore, ExportSources sources, IDatasetStore datasets, IOptions<ExportOptions> exports, IOptions<DatasetOptions> options, ILogger<DatasetPublisher> logger)
{
    /// <summary>Tables published one file per partnership: the large ones, so that a reader can take a few partnerships.</summary>
    private static readonly HashSet<string> SplitByPartnership = new(["fact_attendance"], StringComparer.Ordinal);

    public async Task<IReadOnlyList<string>> PublishAsync(DateTimeOffset startedAt, CancellationToken cancellationToken)
    {
        var snapshot = DateOnly.FromDateTime(startedAt.UtcDateTime).ToString(DatasetPaths.SnapshotFormat, CultureInfo.InvariantCulture);
        var lines = new List<string>();
        if ((await datasets.ListSnapshotsAsync(cancellationToken)).Any(s => s.Name == snapshot))
        {
            // The same day again (a re-run, or an interrupted run): that day's snapshot is replaced, its manifest first.
            await datasets.DeleteSnapshotAsync(snapshot, cancellationToken);
            lines.Add($"replaced the earlier snapshot {snapshot}");
        }

        // Never personal data: person keys are pseudonyms, names and e-mails stay empty.
        var context = new ExportContext(sources, exports.Value.SecretBytes(), IncludePersonalData: false, From: null, To: null);
        var partnerships = await partnershipStore.ListPartnershipsAsync(cancellationToken);
        var staging = Directory.CreateTempSubdirectory("engagement-datasets-");
        try
        {
            var tables = new Dictionary<string, ManifestTable>(StringComparer.Ordinal);
            foreach (var table in StarSchema.Tables.Values)
            {
                var parts = SplitByPartnership.Contains(table.Name)
                    ? partnerships.Select(p => (Name: DatasetPaths.FileName(p.Id), Partnership: (string?)p.Id, Partnerships: (IReadOnlyList<Partnership>)[p]))
                    : [(table.Name, null, partnerships)];
                var files = new List<ManifestFile>();
                foreach (var (name, partnership, from) in parts)
                {
                    files.AddRange(await PublishFilesAsync(snapshot, table, name, partnership, from, context, staging.FullName, cancellationToken));
                }

                var rows = files.Where(f => f.Format == "parquet").Sum(f => f.Rows);
                tables[table.Name] = new ManifestTable { Rows = rows, Columns = [.. table.Schema.Select(ManifestColumn.Of)], Files = files };
                lines.Add(string.Create(CultureInfo.InvariantCulture, $"{table.Name}: {rows} rows in {files.Count / 2} Parquet and {files.Count / 2} CSV files"));
            }

            var manifest = new DatasetManifest { Snapshot = snapshot, GeneratedAt = startedAt, Tables = tables };
            var manifestFile = Path.Combine(staging.FullName, DatasetPaths.Manifest);
            await using (var stream = File.Create(manifestFile))
            {
                await JsonSerializer.SerializeAsync(stream, manifest, DatasetManifestJson.Default.DatasetManifest, cancellationToken);
            }

            await datasets.PutAsync($"{snapshot}/{DatasetPaths.Manifest}", manifestFile, cancellationToken);
            var count = tables.Values.Sum(t => t.Files.Count);
            var bytes = tables.Values.SelectMany(t => t.Files).Where(f => f.Format == "parquet").Sum(f => f.Bytes);
            LogPublished(logger, snapshot, datasets.Location, count, bytes);
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"published snapshot {snapshot} ({count} files, {bytes} bytes of Parquet) to {datasets.Location}"));
            return lines;
        }
        finally
        {
            staging.Delete(recursive: true);
        }
    }

    /// <summary>One Parquet and one CSV file of a table's rows (of the partnerships given), from one read of the store.</summary>
    private async Task<ManifestFile[]> PublishFilesAsync(string snapshot, StarTable table, string name, string? partnership, IReadOnlyList<Partnership> partnerships, ExportContext context, string staging, CancellationToken cancellationToken)
    {
        var parquetFile = Path.Combine(staging, name + ".parquet");
        var csvFile = Path.Combine(staging, name + ".csv");
        long rows = 0;
        await using (var parquetStream = File.Create(parquetFile))
        await using (var csvStream = File.Create(csvFile))
        {
            var pipe = PipeWriter.Create(csvStream, new StreamPipeWriterOptions(leaveOpen: true));
            var csv = new CsvWriter(pipe);
            csv.WriteHeader(table);
            await using (var parquet = await ParquetTableWriter.CreateAsync(table, parquetStream, options.Value.RowGroupSize, cancellationToken))
            {
                await foreach (var row in ExportsApi.RowsOf(table, context, partnerships, cancellationToken))
                {
                    csv.WriteRow(row, table.Columns.Count);
                    await csv.FlushIfFullAsync(cancellationToken);
                    await parquet.AddAsync(row, cancellationToken);
                    rows++;
                }

                await parquet.CompleteAsync(cancellationToken);
            }

            await csv.FlushAsync(cancellationToken);
            await pipe.CompleteAsync();
        }

        var published = new ManifestFile[2];
        foreach (var (i, format, local) in new[] { (0, "parquet", parquetFile), (1, "csv", csvFile) })
        {
            var path = DatasetPaths.File(table.Name, format, name);
            published[i] = new ManifestFile { Path = path, Format = format, Partnership = partnership, Rows = rows, Bytes = new FileInfo(local).Length, Sha256 = await Sha256Async(local, cancellationToken) };
            await datasets.PutAsync($"{snapshot}/{path}", local, cancellationToken);
        }

        return published;
    }

    private static async Task<string> Sha256Async(string file, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(file);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Published dataset snapshot {Snapshot} to {Location}: {Files} files, {ParquetBytes} bytes of Parquet")]
    private static partial void LogPublished(ILogger logger, string snapshot, string location, int files, long parquetBytes);
}
