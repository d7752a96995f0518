using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;

namespace Engagement.Functions.Datasets;

/// <summary>Settings section <c>Datasets</c>: where PublishDatasets writes its snapshots and how long they are kept.</summary>
internal sealed partial class DatasetOptions : IValidatableObject
{
    public const string Section = "Datasets";

    /// <summary>
    /// Folder of the snapshots when no blob storage is configured; relative paths are under the working directory.
    /// Empty: a <c>datasets</c> folder beside the SQLite file (<c>data/datasets</c> by default).
    /// </summary>
    public string? Folder { get; set; }

    /// <summary>A storage connection string with an account key, or <c>UseDevelopmentStorage=true</c> (Azurite): snapshots go to the blob container.</summary>
    public string? BlobConnectionString { get; set; }

    /// <summary>Without a connection string: the blob endpoint (<c>https://&lt;account&gt;.blob.core.windows.net</c>), signed with Entra ID tokens.</summary>
    public string? BlobEndpoint { get; set; }

    /// <summary>Client id of a user-assigned managed identity for <see cref="BlobEndpoint"/>; empty for the system identity or developer credentials.</summary>
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>The blob container of the snapshots.</summary>
    public string Container { get; set; } = "datasets";

    /// <summary>Snapshots dated more than this many days before PurgeExpiredData's run are deleted (1 to 3650).</summary>
    public int RetentionDays { get; set; } = 30;

    /// <summary>Rows per Parquet row group: the rows a table's writer holds in memory at once (1 to 1,000,000).</summary>
    public int RowGroupSize { get; set; } = 100_000;

    public bool UsesBlobs => !string.IsNullOrWhiteSpace(BlobConnectionString) || !string.IsNullOrWhiteSpace(BlobEndpoint);

    // Azure's container naming rule: 3-63 lower-case letters, digits and single hyphens, starting and ending with a letter or digit.
    [GeneratedRegex("^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$")]
    private static partial Regex ContainerName();

    // Every check here rather than in attributes: the validator skips Validate once an attribute fails, and a wrong
    // setup should learn all its mistakes from one start.
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (RetentionDays is < 1 or > 3650)
        {
            yield return new ValidationResult("Datasets:RetentionDays must be between 1 and 3650.", [nameof(RetentionDays)]);
        }

        if (RowGroupSize is < 1 or > 1_000_000)
        {
            yield return new ValidationResult("Datasets:RowGroupSize must be between 1 and 1000000.", [nameof(RowGroupSize)]);
        }

        if (!string.IsNullOrWhiteSpace(BlobEndpoint) && !Uri.TryCreate(BlobEndpoint, UriKind.Absolute, out _))
        {
            yield return new ValidationResult("Datasets:BlobEndpoint must be an absolute URL such as https://<account>.blob.core.windows.net.", [nameof(BlobEndpoint)]);
        }

        if (UsesBlobs && !ContainerName().IsMatch(Container ?? string.Empty))
        {
            yield return new ValidationResult("Datasets:Container must be a blob container name: 3-63 lower-case letters, digits and single hyphens.", [nameof(Container)]);
        }
    }
}
