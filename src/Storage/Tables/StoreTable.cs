using System.Runtime.CompilerServices;
using Azure;
using Azure.Data.Tables;

namespace Engagement.Storage.Tables;

/// <summary>
/// One table as the store uses it: Azure.Data.Tables' <see cref="TableClient"/> with its failures translated into the
/// product's own exceptions (<see cref="StoreUnavailableException"/>, <see cref="RecordTooLargeException"/>,
/// <see cref="StoreException"/>), so no SDK exception leaves the store. Conditional writes that lose to another
/// writer answer false instead of throwing: the caller reads again and retries.
/// </summary>
internal sealed class StoreTable(TableClient client)
{
    public string Name => client.Name;

    public Task CreateIfNotExistsAsync(CancellationToken cancellationToken) =>
        CallAsync(() => client.CreateIfNotExistsAsync(cancellationToken), "creating the table", cancellationToken);

    /// <summary>One row, or null when it does not exist.</summary>
    public async Task<TRow?> GetAsync<TRow>(string partitionKey, string rowKey, CancellationToken cancellationToken)
        where TRow : TableRow, new()
    {
        var response = await CallAsync(() => client.GetEntityIfExistsAsync<TRow>(partitionKey, rowKey, cancellationToken: cancellationToken), "reading a record", cancellationToken);
        return response.HasValue ? response.Value : null;
    }

    /// <summary>The rows matching <paramref name="filter"/>, page by page as the service hands them over.</summary>
    public async IAsyncEnumerable<TRow> QueryAsync<TRow>(string? filter, IEnumerable<string>? select = null, int? maxPerPage = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        where TRow : TableRow, new()
    {
        await using var rows = client.QueryAsync<TRow>(filter, maxPerPage, select, cancellationToken).GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            bool more;
            try
            {
                more = await rows.MoveNextAsync();
            }
            catch (Exception ex) when (AzureStorageErrors.Translate(ex, "Table", $"reading {client.Name}", cancellationToken) is { } translated)
            {
                throw translated;
            }

            if (!more)
            {
                yield break;
            }

            yield return rows.Current;
        }
    }

    /// <summary>
    /// Submits one entity group transaction (all or nothing). False when an action lost to another writer: an
    /// <c>Add</c> whose row exists (409) or a conditional update whose ETag is stale (412); nothing was stored then.
    /// </summary>
    public async Task<bool> SubmitAsync(IReadOnlyList<TableTransactionAction> actions, CancellationToken cancellationToken)
    {
        try
        {
            await client.SubmitTransactionAsync(actions, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (IsConflict(ex))
        {
            return false;
        }
        catch (Exception ex) when (AzureStorageErrors.Translate(ex, "Table", $"writing {actions.Count} record(s) to {client.Name}", cancellationToken) is { } translated)
        {
            throw translated;
        }
    }

    /// <summary>Replaces a row if it is still at <see cref="ITableEntity.ETag"/>; false when another writer changed or deleted it.</summary>
    public async Task<bool> ReplaceAsync<TRow>(TRow row, CancellationToken cancellationToken)
        where TRow : TableRow
    {
        RowShape<TRow>.Check(row);
        try
        {
            await client.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            return false;
        }
        catch (Exception ex) when (AzureStorageErrors.Translate(ex, "Table", $"writing to {client.Name}", cancellationToken) is { } translated)
        {
            throw translated;
        }
    }

    /// <summary>Writes a row whatever is stored.</summary>
    public Task UpsertAsync<TRow>(TRow row, CancellationToken cancellationToken)
        where TRow : TableRow
    {
        RowShape<TRow>.Check(row);
        return CallAsync(() => client.UpsertEntityAsync(row, TableUpdateMode.Replace, cancellationToken), $"writing to {client.Name}", cancellationToken);
    }

    /// <summary>Inserts a row whose key is new (fails if it exists).</summary>
    public Task AddAsync<TRow>(TRow row, CancellationToken cancellationToken)
        where TRow : TableRow
    {
        RowShape<TRow>.Check(row);
        return CallAsync(() => client.AddEntityAsync(row, cancellationToken), $"writing to {client.Name}", cancellationToken);
    }

    /// <summary>Inserts a row unless its key exists: true when it was inserted, false when a row was already there.</summary>
    public async Task<bool> TryAddAsync<TRow>(TRow row, CancellationToken cancellationToken)
        where TRow : TableRow
    {
        RowShape<TRow>.Check(row);
        try
        {
            await client.AddEntityAsync(row, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 409 && ex.ErrorCode is "EntityAlreadyExists")
        {
            return false;
        }
        catch (Exception ex) when (AzureStorageErrors.Translate(ex, "Table", $"writing to {client.Name}", cancellationToken) is { } translated)
        {
            throw translated;
        }
    }

    /// <summary>Deletes a row; false when there was none.</summary>
    public async Task<bool> DeleteAsync(string partitionKey, string rowKey, CancellationToken cancellationToken)
    {
        var response = await CallAsync(() => client.DeleteEntityAsync(partitionKey, rowKey, ETag.All, cancellationToken), $"deleting from {client.Name}", cancellationToken);
        return response.Status != 404;
    }

    private static bool IsConflict(RequestFailedException ex) => ex.Status is 409 or 412 && ex.ErrorCode is not ("TableBeingDeleted" or "TableNotFound");

    private static async Task<T> CallAsync<T>(Func<Task<T>> call, string what, CancellationToken cancellationToken)
    {
        try
        {
            return await call();
        }
        catch (Exception ex) when (AzureStorageErrors.Translate(ex, "Table", what, cancellationToken) is { } translated)
        {
            throw translated;
        }
    }
}
