using Azure.Data.Tables;
using Engagement.Core.Domain;

namespace Engagement.Storage.Tables;

/// <summary>
/// Writes rows of one partition as conditional entity group transactions and counts what it did. Each row is compared
/// with what is stored: an unchanged row is not sent, a new one goes as <c>Add</c>, a changed one as
/// <c>UpdateReplace</c> with the ETag it was read at. When a concurrent writer got there first (409 or 412) the chunk
/// is read again and redone, so created, updated and unchanged stay exact. Up to 100 rows (and 3 MiB) are one
/// transaction, all or nothing; a larger write is transactions sent in order, and if one fails the earlier ones stay
/// stored: sending the same rows again completes the write, what was stored counting as unchanged.
/// </summary>
internal sealed class RowWriter(TimeProvider time)
{
    private const int MaxConflictRetries = 8;

    /// <summary>
    /// Upserts <paramref name="desired"/>. <paramref name="adjust"/> may carry values over from the stored row before
    /// comparing (it receives a copy); <paramref name="readExisting"/> reads what is stored of these rows (default:
    /// one point read per row), and is called only once a write finds a row already there.
    /// </summary>
    public async Task<WriteCounts> UpsertAsync<TRow>(
        StoreTable table,
        string partitionKey,
        IReadOnlyList<TRow> desired,
        Action<TRow, TRow?>? adjust,
        Func<Task<Dictionary<string, TRow>>>? readExisting,
        CancellationToken cancellationToken)
        where TRow : TableRow, new()
    {
        // Every row is checked before anything is sent: a batch with one record too large stores nothing.
        var sizes = desired.Select(RowShape<TRow>.Check).ToList();

        // New records are the common case (a meeting's attendance arrives once): a chunk is sent as plain inserts
        // without reading anything. Only when one of them exists already is what is stored read and compared.
        Dictionary<string, TRow>? existing = null;
        var counts = default(WriteCounts);
        foreach (var chunk in Chunks(desired, sizes))
        {
            for (var attempt = 0; ; attempt++)
            {
                var (actions, chunkCounts) = Plan(chunk, existing, adjust);
                if (actions.Count == 0 || await table.SubmitAsync(actions, cancellationToken))
                {
                    counts += chunkCounts;
                    break;
                }

                if (attempt == MaxConflictRetries)
                {
                    throw new StoreConflictException($"Other writers kept changing the same records of {table.Name} ({partitionKey}) while {desired.Count} were written; the transactions before this one stay stored. Send the request again.");
                }

                if (existing is null)
                {
                    existing = readExisting is null ? await PointReadAsync(table, partitionKey, desired, cancellationToken) : await readExisting();
                    continue;
                }

                // Another writer changed these records since they were read: read them again and redo the chunk.
                foreach (var row in chunk)
                {
                    if (await table.GetAsync<TRow>(partitionKey, row.RowKey, cancellationToken) is { } stored)
                    {
                        existing[row.RowKey] = stored;
                    }
                    else
                    {
                        existing.Remove(row.RowKey);
                    }
                }
            }
        }

        return counts;
    }

    /// <summary>Splits items into transactions: at most 100, and at most 3 MiB by their estimated size.</summary>
    public static IEnumerable<List<T>> Chunks<T>(IReadOnlyList<T> items, IReadOnlyList<int> sizes)
    {
        var chunk = new List<T>();
        var bytes = 0;
        for (var i = 0; i < items.Count; i++)
        {
            if (chunk.Count == TableLimits.MaxTransactionActions || (chunk.Count > 0 && bytes + sizes[i] > TableLimits.MaxTransactionBytes))
            {
                yield return chunk;
                chunk = [];
                bytes = 0;
            }

            chunk.Add(items[i]);
            bytes += sizes[i];
        }

        if (chunk.Count > 0)
        {
            yield return chunk;
        }
    }

    private (List<TableTransactionAction> Actions, WriteCounts Counts) Plan<TRow>(List<TRow> chunk, Dictionary<string, TRow>? existing, Action<TRow, TRow?>? adjust)
        where TRow : TableRow
    {
        var now = time.GetUtcNow();
        var actions = new List<TableTransactionAction>(chunk.Count);
        var counts = default(WriteCounts);
        foreach (var wanted in chunk)
        {
            var stored = existing?.GetValueOrDefault(wanted.RowKey);
            var candidate = (TRow)wanted.Copy();
            adjust?.Invoke(candidate, stored);
            if (stored is not null && RowShape<TRow>.SameData(candidate, stored))
            {
                counts = counts.With(WriteOutcome.Unchanged);
                continue;
            }

            candidate.UpdatedAt = now;
            actions.Add(stored is null
                ? new TableTransactionAction(TableTransactionActionType.Add, candidate)
                : new TableTransactionAction(TableTransactionActionType.UpdateReplace, candidate, stored.ETag));
            counts = counts.With(stored is null ? WriteOutcome.Created : WriteOutcome.Updated);
        }

        return (actions, counts);
    }

    private static async Task<Dictionary<string, TRow>> PointReadAsync<TRow>(StoreTable table, string partitionKey, IEnumerable<TRow> rows, CancellationToken cancellationToken)
        where TRow : TableRow, new()
    {
        var found = new Dictionary<string, TRow>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            if (await table.GetAsync<TRow>(partitionKey, row.RowKey, cancellationToken) is { } stored)
            {
                found[row.RowKey] = stored;
            }
        }

        return found;
    }
}
