using Azure.Data.Tables;
using Engagement.Core.Domain;
using Engagement.Core.Storage;
using Engagement.Storage.Tables.Rows;

namespace Engagement.Storage.Tables;

/// <summary>
/// The tables of the store on Azure Table Storage, through Azure.Data.Tables, shared by its ports
/// (<see cref="TablePartnershipStore"/> and the others). Everything that belongs to a partnership lives in one
/// partition of the <c>{prefix}Data</c> table (PartitionKey = partnership id), so scoring a partnership reads one
/// partition and a batch for one partnership is written with entity group transactions. RowKeys are composed from
/// natural ids (<c>att|meeting|person</c>, <c>person|id</c>…), so every write is an idempotent upsert. Partnerships
/// and form registrations, looked up across partnerships, have small tables of their own; models, retrainings and
/// the export audit live in <c>{prefix}Models</c>. Each row kind is a typed class in <c>Rows/</c>.
/// </summary>
/// <remarks>
/// Writes go through <see cref="RowWriter"/>: compared with what is stored, sent as conditional transactions of up to
/// 100 records, read again and retried when a concurrent writer got there first. Failures leave the store as the
/// product's exceptions (<see cref="StoreUnavailableException"/> and the like), never as SDK types.
/// </remarks>
public sealed class TableStorage : IStoreHealth
{
    private readonly TableServiceClient _service;
    private readonly TimeProvider _time;
    private readonly RowWriter _writer;
    private readonly StoreTable _partnerships;
    private readonly StoreTable _forms;
    private readonly StoreTable _data;
    private readonly StoreTable _models;
    private readonly SemaphoreSlim _createGate = new(1, 1);
    private volatile bool _created;

    public TableStorage(TableServiceClient service, string tablePrefix, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(service);
        _service = service;
        _time = time;
        _writer = new RowWriter(time);
        _partnerships = new StoreTable(service.GetTableClient(tablePrefix + "Partnerships"));
        _forms = new StoreTable(service.GetTableClient(tablePrefix + "Forms"));
        _data = new StoreTable(service.GetTableClient(tablePrefix + "Data"));
        _models = new StoreTable(service.GetTableClient(tablePrefix + "Models"));
    }

    internal TimeProvider Time => _time;

    internal RowWriter Writer => _writer;

    internal StoreTable Partnerships => _partnerships;

    internal StoreTable Forms => _forms;

    internal StoreTable Data => _data;

    internal StoreTable Models => _models;

    /// <summary>The ports of this backend, sharing this instance.</summary>
    public EngagementStores CreateStores() => new()
    {
        Health = this,
        Partnerships = new TablePartnershipStore(this),
        Roster = new TableRosterStore(this),
        Attendance = new TableAttendanceStore(this),
        Forms = new TableFormStore(this),
        Risk = new TableRiskStore(this),
        Models = new TableModelStore(this),
        Alerts = new TableAlertStore(this),
        ExportAudit = new TableExportAuditStore(this),
        Integrations = new TableIntegrationStore(this),
        Privacy = new TablePrivacyStore(this),
        SignIns = new TableSignInStore(this),
        ActionPlans = new TableActionPlanStore(this),
    };

    /// <summary>The names of the tables this store uses.</summary>
    public IReadOnlyList<string> TableNames => [_partnerships.Name, _forms.Name, _data.Name, _models.Name];

    /// <summary>Creates the tables unless they exist (done once, on first use).</summary>
    public async Task EnsureTablesAsync(CancellationToken cancellationToken = default)
    {
        if (_created)
        {
            return;
        }

        await _createGate.WaitAsync(cancellationToken);
        try
        {
            if (!_created)
            {
                foreach (var table in new[] { _partnerships, _forms, _data, _models })
                {
                    await table.CreateIfNotExistsAsync(cancellationToken);
                }

                _created = true;
            }
        }
        finally
        {
            _createGate.Release();
        }
    }

    public async Task<StoreHealth> CheckHealthAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await EnsureTablesAsync(cancellationToken);
            await foreach (var _ in _partnerships.QueryAsync<PartnershipRow>(null, maxPerPage: 1, cancellationToken: cancellationToken))
            {
                break;
            }

            return new StoreHealth("tables", true, $"tables {string.Join(", ", TableNames)} at {_service.Uri}");
        }
        catch (StoreException ex)
        {
            return new StoreHealth("tables", false, ex.Message);
        }
    }

    /// <summary>Upserts rows of one kind of a partnership; what is stored of that kind is read (once) when a write finds rows already there.</summary>
    internal Task<WriteCounts> UpsertKindAsync<TRow>(string partnershipId, string prefix, IEnumerable<TRow> rows, Action<TRow, TRow?>? adjust, CancellationToken cancellationToken)
        where TRow : TableRow, new() =>
        UpsertAsync(_data, partnershipId, [.. rows], adjust, async () =>
            (await RangeAsync<TRow>(partnershipId, [prefix], null, cancellationToken)).ToDictionary(r => r.RowKey, StringComparer.Ordinal), cancellationToken);

    internal async Task<WriteCounts> UpsertAsync<TRow>(StoreTable table, string partitionKey, IReadOnlyList<TRow> rows, Action<TRow, TRow?>? adjust, Func<Task<Dictionary<string, TRow>>>? readExisting, CancellationToken cancellationToken)
        where TRow : TableRow, new()
    {
        await EnsureTablesAsync(cancellationToken);
        return rows.Count == 0 ? default : await _writer.UpsertAsync(table, partitionKey, rows, adjust, readExisting, cancellationToken);
    }

    /// <summary>
    /// The rows of one partition whose RowKey starts with <paramref name="leadingParts"/>; with <paramref name="select"/>,
    /// only those properties (and the keys) are read.
    /// </summary>
    internal async Task<List<TRow>> RangeAsync<TRow>(string partitionKey, string[] leadingParts, string[]? select, CancellationToken cancellationToken)
        where TRow : TableRow, new()
    {
        await EnsureTablesAsync(cancellationToken);
        var list = new List<TRow>();
        var properties = select is null ? null : new[] { nameof(TableRow.PartitionKey), nameof(TableRow.RowKey) }.Concat(select);
        await foreach (var row in _data.QueryAsync<TRow>(TableKeys.RowKeyRange(partitionKey, leadingParts), properties, cancellationToken: cancellationToken))
        {
            list.Add(row);
        }

        return list;
    }

    /// <summary>The person ids of a partition, and those ids by lower-cased e-mail (two properties read per person).</summary>
    internal async Task<(HashSet<string> Ids, Dictionary<string, string> ByEmail)> PersonKeysAsync(string partitionKey, CancellationToken cancellationToken)
    {
        var people = await RangeAsync<PersonRow>(partitionKey, [PersonRow.Prefix], [nameof(PersonRow.Id), nameof(PersonRow.Email)], cancellationToken);
        return (people.Select(p => p.Id!).ToHashSet(StringComparer.Ordinal), people.Where(p => p.Email is not null).ToDictionary(p => p.Email!, p => p.Id!, StringComparer.Ordinal));
    }

    /// <summary>The meeting ids of a partition.</summary>
    internal async Task<HashSet<string>> MeetingIdsAsync(string partitionKey, CancellationToken cancellationToken) =>
        (await RangeAsync<MeetingRow>(partitionKey, [MeetingRow.Prefix], [nameof(MeetingRow.Id)], cancellationToken)).Select(m => m.Id!).ToHashSet(StringComparer.Ordinal);

    internal const int MaxConflictRetries = 8;

    /// <summary>
    /// Sends <paramref name="actions"/> of one partition as transactions of up to 100 (and 3 MiB), in order. Returns
    /// null when all were stored, or how many were stored before one lost to another writer (that one stored nothing).
    /// </summary>
    internal async Task<int?> SubmitAllAsync(IReadOnlyList<TableTransactionAction> actions, IReadOnlyList<int> sizes, CancellationToken cancellationToken)
    {
        var stored = 0;
        foreach (var chunk in RowWriter.Chunks(actions, sizes))
        {
            if (!await _data.SubmitAsync(chunk, cancellationToken))
            {
                return stored;
            }

            stored += chunk.Count;
        }

        return null;
    }
}
