using System.Runtime.CompilerServices;
using System.Text.Json;
using Azure;
using Azure.Core;

namespace Engagement.Storage.Tables;

/// <summary>How an update treats properties the entity does not carry.</summary>
public enum TableUpdateMode
{
    /// <summary>Keeps them (MERGE).</summary>
    Merge,
    /// <summary>Removes them (PUT).</summary>
    Replace,
}

/// <summary>
/// One table, shaped like Azure.Data.Tables' <c>TableClient</c>: async methods take a cancellation token, a point read
/// of a missing entity returns null instead of throwing, queries are pageable and continue transparently, updates
/// and deletes can be conditional on an ETag, and failures are <see cref="TableServiceException"/>s.
/// </summary>
public sealed class TableClient
{
    private readonly TableServiceClient _service;

    internal TableClient(TableServiceClient service, string name)
    {
        _service = service;
        Name = name;
    }

    public string Name { get; }

    public Task<bool> CreateIfNotExistsAsync(CancellationToken cancellationToken = default) =>
        _service.CreateTableIfNotExistsAsync(Name, cancellationToken);

    /// <summary>Inserts; fails with 409 <c>EntityAlreadyExists</c> if the keys are taken. Returns the new ETag.</summary>
    public async Task<string?> AddEntityAsync(TableEntity entity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entity);
        entity.Validate();
        var request = _service.CreateRequest(RequestMethod.Post, Name);
        request.Headers.SetValue("Prefer", "return-no-content");
        SetBody(request, entity);
        using var response = await _service.SendAsync(request, cancellationToken);
        return response.Status is 201 or 204 ? ETagOf(response) : throw TableServiceClient.ReadError(response);
    }

    /// <summary>Inserts or merges/replaces, unconditionally. Returns the new ETag.</summary>
    public Task<string?> UpsertEntityAsync(TableEntity entity, TableUpdateMode mode = TableUpdateMode.Merge, CancellationToken cancellationToken = default) =>
        WriteAsync(entity, mode, ifMatch: null, cancellationToken);

    /// <summary>Updates an existing entity if its ETag still is <paramref name="ifMatch"/> (<c>*</c> for any); 412 otherwise.</summary>
    public Task<string?> UpdateEntityAsync(TableEntity entity, string ifMatch, TableUpdateMode mode = TableUpdateMode.Merge, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(ifMatch);
        return WriteAsync(entity, mode, ifMatch, cancellationToken);
    }

    /// <summary>Deletes an entity if its ETag still is <paramref name="ifMatch"/> (default any). False when it did not exist.</summary>
    public async Task<bool> DeleteEntityAsync(string partitionKey, string rowKey, string ifMatch = "*", CancellationToken cancellationToken = default)
    {
        var request = _service.CreateRequest(RequestMethod.Delete, EntityPath(Name, partitionKey, rowKey));
        request.Headers.SetValue("If-Match", ifMatch);
        using var response = await _service.SendAsync(request, cancellationToken);
        return response.Status == 204 || (response.Status == 404 ? false : throw TableServiceClient.ReadError(response));
    }

    /// <summary>Reads one entity, or null when it does not exist.</summary>
    public async Task<TableEntity?> GetEntityIfExistsAsync(string partitionKey, string rowKey, IEnumerable<string>? select = null, CancellationToken cancellationToken = default)
    {
        var request = _service.CreateRequest(RequestMethod.Get, EntityPath(Name, partitionKey, rowKey));
        if (SelectList(select) is { } selectText)
        {
            request.Uri.AppendQuery("$select", selectText, escapeValue: true);
        }

        using var response = await _service.SendAsync(request, cancellationToken);
        if (response.Status == 404)
        {
            return null;
        }

        if (response.Status != 200)
        {
            throw TableServiceClient.ReadError(response);
        }

        using var document = JsonDocument.Parse(response.Content.ToMemory());
        var entity = TableEntityJson.Read(document.RootElement);
        entity.ETag ??= ETagOf(response);
        return entity;
    }

    /// <summary>
    /// Queries entities, page by page (at most <paramref name="maxPerPage"/>, ≤ 1,000 each), following the service's
    /// continuation headers transparently — including a NextPartitionKey without a NextRowKey.
    /// </summary>
    public async IAsyncEnumerable<TableEntity> QueryAsync(string? filter = null, IEnumerable<string>? select = null, int? maxPerPage = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var selectText = SelectList(select);
        (string? Partition, string? Row) continuation = (null, null);
        while (true)
        {
            var request = _service.CreateRequest(RequestMethod.Get, Name + "()");
            var uri = request.Uri;
            if (filter is not null)
            {
                uri.AppendQuery("$filter", filter, escapeValue: true);
            }

            if (selectText is not null)
            {
                uri.AppendQuery("$select", selectText, escapeValue: true);
            }

            if (maxPerPage is { } top)
            {
                uri.AppendQuery("$top", Math.Clamp(top, 1, 1000).ToString(System.Globalization.CultureInfo.InvariantCulture), escapeValue: false);
            }

            if (continuation.Partition is not null)
            {
                uri.AppendQuery("NextPartitionKey", continuation.Partition, escapeValue: true);
            }

            if (continuation.Row is not null)
            {
                uri.AppendQuery("NextRowKey", continuation.Row, escapeValue: true);
            }

            List<TableEntity> page;
            using (var response = await _service.SendAsync(request, cancellationToken))
            {
                if (response.Status != 200)
                {
                    throw TableServiceClient.ReadError(response);
                }

                using var document = JsonDocument.Parse(response.Content.ToMemory());
                page = [.. document.RootElement.GetProperty("value").EnumerateArray().Select(TableEntityJson.Read)];
                response.Headers.TryGetValue("x-ms-continuation-NextPartitionKey", out var nextPartition);
                response.Headers.TryGetValue("x-ms-continuation-NextRowKey", out var nextRow);
                var next = (string.IsNullOrEmpty(nextPartition) ? null : nextPartition, string.IsNullOrEmpty(nextRow) ? null : nextRow);
                if (next.Item1 is not null && next == continuation)
                {
                    throw new TableServiceException(response.Status, "ContinuationLoop", "The Table service returned the same continuation twice; the query was stopped to avoid looping.");
                }

                continuation = next;
            }

            foreach (var entity in page)
            {
                yield return entity;
            }

            if (continuation.Partition is null)
            {
                yield break;
            }
        }
    }

    /// <summary>
    /// Submits one entity group transaction: at most 100 actions on one partition, at most 4 MiB, all applied or
    /// none. Returns the ETags in action order.
    /// </summary>
    public Task<IReadOnlyList<string?>> SubmitTransactionAsync(IReadOnlyList<TableTransactionAction> actions, CancellationToken cancellationToken = default) =>
        TableTransaction.SubmitAsync(_service, Name, actions, cancellationToken);

    /// <summary>A projection always keeps the keys, so every entity read knows which it is.</summary>
    private static string? SelectList(IEnumerable<string>? select) =>
        select is null ? null : string.Join(',', new[] { "PartitionKey", "RowKey" }.Concat(select).Distinct(StringComparer.Ordinal));

    internal static string EntityPath(string table, string partitionKey, string rowKey) =>
        $"{table}(PartitionKey='{EscapeKey(partitionKey)}',RowKey='{EscapeKey(rowKey)}')";

    private static string EscapeKey(string key) => Uri.EscapeDataString(key.Replace("'", "''", StringComparison.Ordinal));

    private async Task<string?> WriteAsync(TableEntity entity, TableUpdateMode mode, string? ifMatch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entity);
        entity.Validate();
        var method = mode == TableUpdateMode.Merge ? new RequestMethod("MERGE") : RequestMethod.Put;
        var request = _service.CreateRequest(method, EntityPath(Name, entity.PartitionKey, entity.RowKey));
        if (ifMatch is not null)
        {
            request.Headers.SetValue("If-Match", ifMatch);
        }

        SetBody(request, entity);
        using var response = await _service.SendAsync(request, cancellationToken);
        return response.Status == 204 ? ETagOf(response) : throw TableServiceClient.ReadError(response);
    }

    private static void SetBody(Request request, TableEntity entity)
    {
        request.Headers.SetValue("Content-Type", "application/json");
        request.Content = RequestContent.Create(TableEntityJson.Serialize(entity));
    }

    private static string? ETagOf(Response response) => response.Headers.TryGetValue("ETag", out var etag) ? etag : null;
}
