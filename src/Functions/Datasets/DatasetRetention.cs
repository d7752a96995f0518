using System.Globalization;
using Microsoft.Extensions.Options;

namespace Engagement.Functions.Datasets;

/// <summary>
/// Run by PurgeExpiredData: deletes the snapshots dated more than <see cref="DatasetOptions.RetentionDays"/> days before
/// the run's day, and incomplete snapshots (no manifest: a run that failed and was not run again that day) from before
/// yesterday. Folders or prefixes that are not snapshot dates are left alone.
/// </summary>
internal sealed partial class DatasetRetention(IDatasetStore datasets, IOptions<DatasetOptions> options, ILogger<DatasetRetention> logger)
{
    public async Task<IReadOnlyList<string>> PurgeAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var days = options.Value.RetentionDays;
        var cutoff = today.AddDays(-days);
        var deleted = new List<string>();
        foreach (var snapshot in await datasets.ListSnapshotsAsync(cancellationToken))
        {
            if (!DateOnly.TryParseExact(snapshot.Name, DatasetPaths.SnapshotFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                continue;
            }

            if (date < cutoff || (!snapshot.HasManifest && date < today.AddDays(-1)))
            {
                await datasets.DeleteSnapshotAsync(snapshot.Name, cancellationToken);
                LogDeleted(logger, snapshot.Name, snapshot.HasManifest, days);
                deleted.Add(snapshot.HasManifest ? snapshot.Name : snapshot.Name + " (incomplete)");
            }
        }

        return [string.Create(CultureInfo.InvariantCulture, $"deleted {deleted.Count} dataset snapshots dated before {cutoff:yyyy-MM-dd} (retention {days} days) or left incomplete{(deleted.Count > 0 ? ": " + string.Join(", ", deleted) : string.Empty)}")];
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted dataset snapshot {Snapshot} (complete: {Complete}; retention {Days} days)")]
    private static partial void LogDeleted(ILogger logger, string snapshot, bool complete, int days);
}
