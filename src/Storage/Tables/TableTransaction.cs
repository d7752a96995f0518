using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Azure.Core;

namespace Engagement.Storage.Tables;

/// <summary>What one action of a transaction does.</summary>
public enum TableTransactionActionType
{
    Add,
    UpdateMerge,
    UpdateReplace,
    Delete,
    UpsertMerge,
    UpsertReplace,
}

/// <summary>One action of an entity group transaction; <paramref name="ETag"/> makes updates and deletes conditional.</summary>
public sealed record TableTransactionAction(TableTransactionActionType ActionType, TableEntity Entity, string? ETag = null);

/// <summary>Entity group transactions (<c>$batch</c>): a multipart/mixed request holding one changeset.</summary>
internal static partial class TableTransaction
{
    public const int MaxActions = 100;
    public const int MaxBytes = 4 * 1024 * 1024;

    public static async Task<IReadOnlyList<string?>> SubmitAsync(TableServiceClient service, string table, IReadOnlyList<TableTransactionAction> actions, CancellationToken cancellationToken)
    {
        var body = Build(service.Endpoint, table, actions, out var batchBoundary);
        var request = service.CreateRequest(RequestMethod.Post, "$batch");
        request.Headers.SetValue("Content-Type", $"multipart/mixed; boundary={batchBoundary}");
        request.Content = RequestContent.Create(body);
        using var response = await service.SendAsync(request, cancellationToken);
        if (response.Status != 202)
        {
            throw TableServiceClient.ReadError(response);
        }

        return Parse(response.Content.ToString(), actions.Count);
    }

    internal static byte[] Build(Uri endpoint, string table, IReadOnlyList<TableTransactionAction> actions, out string batchBoundary)
    {
        ArgumentNullException.ThrowIfNull(actions);
        if (actions.Count is 0 or > MaxActions)
        {
            throw new ArgumentException($"A transaction holds 1 to {MaxActions} actions, not {actions.Count}.", nameof(actions));
        }

        var partition = actions[0].Entity.PartitionKey;
        var rows = new HashSet<string>(StringComparer.Ordinal);
        foreach (var action in actions)
        {
            if (action.Entity.PartitionKey != partition)
            {
                throw new ArgumentException($"All actions of a transaction must share one PartitionKey ('{partition}' and '{action.Entity.PartitionKey}' found).", nameof(actions));
            }

            if (!rows.Add(action.Entity.RowKey))
            {
                throw new ArgumentException($"The entity ({partition}, {action.Entity.RowKey}) appears twice in one transaction.", nameof(actions));
            }

            if (action.ActionType != TableTransactionActionType.Delete)
            {
                action.Entity.Validate();
            }
        }

        batchBoundary = "batch_" + Guid.NewGuid().ToString("D");
        var changeset = "changeset_" + Guid.NewGuid().ToString("D");
        var builder = new StringBuilder();
        builder.Append("--").Append(batchBoundary).Append("\r\n");
        builder.Append("Content-Type: multipart/mixed; boundary=").Append(changeset).Append("\r\n\r\n");
        var baseUri = endpoint.ToString().TrimEnd('/');
        for (var i = 0; i < actions.Count; i++)
        {
            var action = actions[i];
            var (method, path, ifMatch) = action.ActionType switch
            {
                TableTransactionActionType.Add => ("POST", table, null),
                TableTransactionActionType.UpdateMerge => ("MERGE", TableClient.EntityPath(table, partition, action.Entity.RowKey), action.ETag ?? "*"),
                TableTransactionActionType.UpdateReplace => ("PUT", TableClient.EntityPath(table, partition, action.Entity.RowKey), action.ETag ?? "*"),
                TableTransactionActionType.Delete => ("DELETE", TableClient.EntityPath(table, partition, action.Entity.RowKey), action.ETag ?? "*"),
                TableTransactionActionType.UpsertMerge => ("MERGE", TableClient.EntityPath(table, partition, action.Entity.RowKey), (string?)null),
                TableTransactionActionType.UpsertReplace => ("PUT", TableClient.EntityPath(table, partition, action.Entity.RowKey), (string?)null),
                _ => throw new ArgumentOutOfRangeException(nameof(actions)),
            };
            builder.Append("--").Append(changeset).Append("\r\n");
            builder.Append("Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n");
            builder.Append(method).Append(' ').Append(baseUri).Append('/').Append(path).Append(" HTTP/1.1\r\n");
            builder.Append("Accept: application/json;odata=minimalmetadata\r\n");
            builder.Append("DataServiceVersion: 3.0;\r\n");
            builder.Append("Content-ID: ").Append(i.ToString(CultureInfo.InvariantCulture)).Append("\r\n");
            if (ifMatch is not null)
            {
                builder.Append("If-Match: ").Append(ifMatch).Append("\r\n");
            }

            if (action.ActionType == TableTransactionActionType.Delete)
            {
                builder.Append("\r\n");
            }
            else
            {
                if (action.ActionType == TableTransactionActionType.Add)
                {
                    builder.Append("Prefer: return-no-content\r\n");
                }

                builder.Append("Content-Type: application/json\r\n\r\n");
                builder.Append(Encoding.UTF8.GetString(TableEntityJson.Serialize(action.Entity))).Append("\r\n");
            }
        }

        builder.Append("--").Append(changeset).Append("--\r\n");
        builder.Append("--").Append(batchBoundary).Append("--\r\n");
        var bytes = Encoding.UTF8.GetBytes(builder.ToString());
        if (bytes.Length > MaxBytes)
        {
            throw new TableEntityTooLargeException($"The transaction is {bytes.Length} bytes; the service accepts at most {MaxBytes}. Send fewer entities at a time.");
        }

        return bytes;
    }

    /// <summary>Reads the multipart answer: every part 2xx gives the ETags; any other part fails the whole transaction.</summary>
    internal static IReadOnlyList<string?> Parse(string body, int count)
    {
        var statuses = StatusLine().Matches(body);
        var etags = new List<string?>(count);
        foreach (Match status in statuses)
        {
            var code = int.Parse(status.Groups[1].Value, CultureInfo.InvariantCulture);
            var partEnd = body.IndexOf("--changesetresponse", status.Index, StringComparison.Ordinal);
            var part = partEnd < 0 ? body[status.Index..] : body[status.Index..partEnd];
            if (code >= 300)
            {
                var jsonStart = part.IndexOf('{', StringComparison.Ordinal);
                var json = jsonStart < 0 ? null : part[jsonStart..part.LastIndexOf('}')].Trim() + "}";
                var (errorCode, text) = TableEntityJson.ReadError(json, null);
                var index = IndexPrefix().Match(text) is { Success: true } m ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : -1;
                throw new TableTransactionFailedException(code, errorCode, index, $"The transaction was refused ({code} {errorCode}) at action {index}: {text.Split('\n')[0]}. Nothing of it was stored.");
            }

            etags.Add(ETagHeader().Match(part) is { Success: true } e ? e.Groups[1].Value.Trim() : null);
        }

        if (etags.Count != count)
        {
            throw new TableServiceException(202, "UnexpectedBatchResponse", $"The transaction answer holds {etags.Count} results for {count} actions.");
        }

        return etags;
    }

    [GeneratedRegex(@"HTTP/1\.1 (\d{3})")]
    private static partial Regex StatusLine();

    [GeneratedRegex(@"^(\d+):")]
    private static partial Regex IndexPrefix();

    [GeneratedRegex(@"ETag: ([^\r\n]+)", RegexOptions.IgnoreCase)]
    private static partial Regex ETagHeader();
}
