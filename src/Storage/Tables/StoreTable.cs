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
            catch (Exception ex) when (TableErrors.Translate(ex, $"reading {client.Name}", cancellationToken) is { } translated)
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
        catch (Exception ex) when (TableErrors.Translate(ex, $"writing {actions.Count} record(s) to {client.Name}", cancellationToken) is { } translated)
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
        catch (Exception ex) when (TableErrors.Translate(ex, $"writing to {client.Name}", cancellationToken) is { } translated)
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
        catch (Exception ex) when (TableErrors.Translate(ex, what, cancellationToken) is { } translated)
        {
            throw translated;
        }
    }
}

/// <summary>Azure SDK failures as the product's exceptions; the SDK's exception stays as the inner exception, for the log.</summary>
internal static class TableErrors
{
    /// <summary>The product exception for <paramref name="exception"/>, or null to let it through (the caller's cancellation, programming errors).</summary>
    public static Exception? Translate(Exception exception, string what, CancellationToken cancellationToken) => exception switch
    {
        OperationCanceledException when cancellationToken.IsCancellationRequested => null,
        RequestFailedException { Status: 413 } or RequestFailedException { ErrorCode: "EntityTooLarge" or "PropertyValueTooLarge" or "RequestBodyTooLarge" } =>
            new RecordTooLargeException($"The Table service refused {what}: the record is over its size limits.", exception),
        RequestFailedException { Status: 403 } e =>
            new StoreUnavailableException($"The Table service refused the app's credentials while {what} ({e.ErrorCode}); check the identity's role or the account key.", exception),
        RequestFailedException { Status: 0 or 408 or 429 or 500 or 502 or 503 or 504 } e =>
            new StoreUnavailableException($"The Table service did not answer while {what} ({Describe(e)}).", exception),
        RequestFailedException e =>
            new StoreException($"The Table service refused {what}: {e.Status} {e.ErrorCode}.", exception),
        // Azure.Core's retry gathers every attempt's failure once it gives up.
        AggregateException a when a.InnerExceptions.All(e => e is RequestFailedException or OperationCanceledException) =>
            new StoreUnavailableException($"The Table service did not answer while {what}, after {a.InnerExceptions.Count} attempts ({Describe(a.InnerExceptions[^1])}).", exception),
        // A network timeout of the client (not the caller's cancellation).
        OperationCanceledException =>
            new StoreUnavailableException($"The Table service did not answer in time while {what}.", exception),
        _ => null,
    };

    private static string Describe(Exception exception) => exception switch
    {
        RequestFailedException { Status: 0 } e => e.InnerException?.Message ?? e.Message.Split('\n')[0],
        RequestFailedException e => $"{e.Status} {e.ErrorCode}",
        _ => exception.Message,
    };
}
