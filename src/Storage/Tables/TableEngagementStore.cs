using Azure.Data.Tables;
using Engagement.Core.Domain;
using Engagement.Core.Storage;
using Engagement.Storage.Tables.Rows;
using static Engagement.Storage.StoredValues;

namespace Engagement.Storage.Tables;

/// <summary>
/// The store on Azure Table Storage, through Azure.Data.Tables. Everything that belongs to a partnership lives in one
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
public sealed partial class TableEngagementStore : IEngagementStore
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

    public TableEngagementStore(TableServiceClient service, string tablePrefix, TimeProvider time)
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

    // ---- partnerships and forms ----

    public async Task<WriteOutcome> UpsertPartnershipAsync(Partnership partnership, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(partnership);
        return Outcome(await UpsertAsync(_partnerships, PartnershipRow.Partition, [PartnershipRow.From(partnership)], null, null, cancellationToken));
    }

    public async Task<Partnership?> GetPartnershipAsync(string partnershipId, CancellationToken cancellationToken = default)
    {
        await EnsureTablesAsync(cancellationToken);
        return (await _partnerships.GetAsync<PartnershipRow>(PartnershipRow.Partition, partnershipId, cancellationToken))?.ToPartnership();
    }

    public async Task<IReadOnlyList<Partnership>> ListPartnershipsAsync(CancellationToken cancellationToken = default)
    {
        await EnsureTablesAsync(cancellationToken);
        var list = new List<Partnership>();
        await foreach (var row in _partnerships.QueryAsync<PartnershipRow>(TableClient.CreateQueryFilter($"PartitionKey eq {PartnershipRow.Partition}"), cancellationToken: cancellationToken))
        {
            list.Add(row.ToPartnership());
        }

        return [.. list.OrderBy(p => p.Id, StringComparer.Ordinal)];
    }

    public async Task<WriteOutcome> UpsertFormAsync(FormDefinition form, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(form);
        return Outcome(await UpsertAsync(_forms, FormRow.Partition, [FormRow.From(form)], null, null, cancellationToken));
    }

    public async Task<FormDefinition?> GetFormAsync(string formId, CancellationToken cancellationToken = default)
    {
        await EnsureTablesAsync(cancellationToken);
        return (await _forms.GetAsync<FormRow>(FormRow.Partition, formId, cancellationToken))?.ToForm();
    }

    // ---- roster, meetings, attendance, submissions ----

    public async Task<PartnershipKeys> GetKeysAsync(string partnershipId, CancellationToken cancellationToken = default)
    {
        var people = await RangeAsync<PersonRow>(partnershipId, [PersonRow.Prefix], [nameof(PersonRow.Id), nameof(PersonRow.Email)], cancellationToken);
        return new PartnershipKeys
        {
            OrganizationIds = (await RangeAsync<OrganizationRow>(partnershipId, [OrganizationRow.Prefix], [nameof(OrganizationRow.Id)], cancellationToken)).Select(o => o.Id!).ToHashSet(StringComparer.Ordinal),
            PersonIds = people.Select(p => p.Id!).ToHashSet(StringComparer.Ordinal),
            PersonIdsByEmail = people.Where(p => p.Email is not null).ToDictionary(p => p.Email!, p => p.Id!, StringComparer.Ordinal),
            MeetingIds = (await RangeAsync<MeetingRow>(partnershipId, [MeetingRow.Prefix], [nameof(MeetingRow.Id)], cancellationToken)).Select(m => m.Id!).ToHashSet(StringComparer.Ordinal),
            RepresentationIds = (await RangeAsync<RepresentationRow>(partnershipId, [RepresentationRow.Prefix], [nameof(RepresentationRow.Id)], cancellationToken)).Select(r => r.Id!).ToHashSet(StringComparer.Ordinal),
        };
    }

    public Task<WriteCounts> UpsertOrganizationsAsync(string partnershipId, IReadOnlyList<Organization> organizations, CancellationToken cancellationToken = default) =>
        UpsertKindAsync(partnershipId, OrganizationRow.Prefix, organizations.Select(o => OrganizationRow.From(Same(partnershipId, o.PartnershipId), o)), null, cancellationToken);

    public Task<WriteCounts> UpsertPeopleAsync(string partnershipId, IReadOnlyList<Person> people, CancellationToken cancellationToken = default) =>
        UpsertKindAsync(partnershipId, PersonRow.Prefix, people.Select(p => PersonRow.From(Same(partnershipId, p.PartnershipId), p)), KeepErasure, cancellationToken);

    public Task<WriteCounts> UpsertRepresentationsAsync(string partnershipId, IReadOnlyList<Representation> representations, CancellationToken cancellationToken = default) =>
        UpsertKindAsync(partnershipId, RepresentationRow.Prefix, representations.Select(r => RepresentationRow.FromRepresentation(Same(partnershipId, r.PartnershipId), r)), null, cancellationToken);

    public Task<WriteCounts> UpsertMeetingsAsync(string partnershipId, IReadOnlyList<Meeting> meetings, CancellationToken cancellationToken = default) =>
        UpsertKindAsync(partnershipId, MeetingRow.Prefix, meetings.Select(m => MeetingRow.From(Same(partnershipId, m.PartnershipId), m)), null, cancellationToken);

    public async Task<WriteCounts> UpsertAttendanceAsync(string partnershipId, IReadOnlyList<Attendance> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        var rows = records.Select(a => AttendanceRow.From(Same(partnershipId, a.PartnershipId), a)).ToList();

        // Read only the meetings this batch touches, not the partnership's whole attendance history.
        var meetings = records.Select(r => r.MeetingId).Distinct(StringComparer.Ordinal).ToList();
        return await UpsertAsync(_data, partnershipId, rows, null, async () =>
        {
            var existing = new Dictionary<string, AttendanceRow>(StringComparer.Ordinal);
            foreach (var meeting in meetings)
            {
                foreach (var row in await RangeAsync<AttendanceRow>(partnershipId, [AttendanceRow.Prefix, meeting], null, cancellationToken))
                {
                    existing[row.RowKey] = row;
                }
            }

            return existing;
        }, cancellationToken);
    }

    public Task<WriteCounts> UpsertFormSubmissionsAsync(string partnershipId, IReadOnlyList<FormSubmission> submissions, CancellationToken cancellationToken = default) =>
        UpsertKindAsync(partnershipId, SubmissionRow.Prefix, submissions.Select(s => SubmissionRow.From(Same(partnershipId, s.PartnershipId), s)), null, cancellationToken);

    public async Task<Roster> GetRosterAsync(string partnershipId, CancellationToken cancellationToken = default) => new()
    {
        Organizations = [.. (await RangeAsync<OrganizationRow>(partnershipId, [OrganizationRow.Prefix], null, cancellationToken)).Select(o => o.ToOrganization()).OrderBy(o => o.Id, StringComparer.Ordinal)],
        People = [.. (await RangeAsync<PersonRow>(partnershipId, [PersonRow.Prefix], null, cancellationToken)).Select(p => p.ToPerson()).OrderBy(p => p.Id, StringComparer.Ordinal)],
        Representations = [.. (await RangeAsync<RepresentationRow>(partnershipId, [RepresentationRow.Prefix], null, cancellationToken)).Select(r => r.ToRepresentation()).OrderBy(r => r.From).ThenBy(r => r.Id, StringComparer.Ordinal)],
    };

    public async Task<IReadOnlyList<MeetingSummary>> ListMeetingsAsync(string partnershipId, CancellationToken cancellationToken = default)
    {
        var meetings = (await RangeAsync<MeetingRow>(partnershipId, [MeetingRow.Prefix], null, cancellationToken)).Select(m => m.ToMeeting());
        var counts = new Dictionary<(string Meeting, string Status), int>();
        foreach (var row in await RangeAsync<AttendanceRow>(partnershipId, [AttendanceRow.Prefix], [nameof(AttendanceRow.MeetingId), nameof(AttendanceRow.Status)], cancellationToken))
        {
            var key = (row.MeetingId!, row.Status!);
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }

        int Count(string meeting, AttendanceStatus status) => counts.GetValueOrDefault((meeting, WireNames.Format(status)));
        return [.. meetings.OrderBy(m => m.Start.UtcDateTime).ThenBy(m => m.Id, StringComparer.Ordinal).Select(m => new MeetingSummary
        {
            Meeting = m,
            Present = Count(m.Id, AttendanceStatus.Present),
            Absent = Count(m.Id, AttendanceStatus.Absent),
            Excused = Count(m.Id, AttendanceStatus.Excused),
        })];
    }

    public async Task<Meeting?> GetMeetingAsync(string partnershipId, string meetingId, CancellationToken cancellationToken = default)
    {
        await EnsureTablesAsync(cancellationToken);
        return (await _data.GetAsync<MeetingRow>(partnershipId, MeetingRow.Key(meetingId), cancellationToken))?.ToMeeting();
    }

    public async Task<IReadOnlyList<Attendance>> GetAttendanceAsync(string partnershipId, string meetingId, CancellationToken cancellationToken = default) =>
        [.. (await RangeAsync<AttendanceRow>(partnershipId, [AttendanceRow.Prefix, meetingId], null, cancellationToken)).Select(a => a.ToAttendance()).OrderBy(a => a.PersonId, StringComparer.Ordinal)];

    public async Task<IReadOnlyList<FormSubmission>> ListFormSubmissionsAsync(string partnershipId, CancellationToken cancellationToken = default) =>
        [.. (await RangeAsync<SubmissionRow>(partnershipId, [SubmissionRow.Prefix], null, cancellationToken)).Select(s => s.ToSubmission())
            .OrderBy(s => s.SubmittedAt.UtcDateTime).ThenBy(s => s.FormId, StringComparer.Ordinal).ThenBy(s => s.ResponseId, StringComparer.Ordinal)];

    /// <summary>
    /// In RowKey order ("att|meeting|person", escaped), page by page as the service hands them over, so memory does not
    /// grow with the partnership; <paramref name="after"/> becomes a RowKey lower bound.
    /// </summary>
    public async IAsyncEnumerable<Attendance> StreamAttendanceAsync(string partnershipId, AttendanceKey? after = null, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await EnsureTablesAsync(cancellationToken);
        var filter = after is { } key
            ? TableKeys.RowKeyRangeAfter(partnershipId, AttendanceRow.Key(key.MeetingId, key.PersonId), AttendanceRow.Prefix)
            : TableKeys.RowKeyRange(partnershipId, AttendanceRow.Prefix);
        await foreach (var row in _data.QueryAsync<AttendanceRow>(filter, cancellationToken: cancellationToken))
        {
            yield return row.ToAttendance();
        }
    }

    public async IAsyncEnumerable<Meeting> StreamMeetingsAsync(string partnershipId, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await EnsureTablesAsync(cancellationToken);
        await foreach (var row in _data.QueryAsync<MeetingRow>(TableKeys.RowKeyRange(partnershipId, MeetingRow.Prefix), cancellationToken: cancellationToken))
        {
            yield return row.ToMeeting();
        }
    }

    public async Task<IReadOnlyList<Attendance>> ListAttendanceAsync(string partnershipId, CancellationToken cancellationToken = default) =>
        [.. (await RangeAsync<AttendanceRow>(partnershipId, [AttendanceRow.Prefix], null, cancellationToken)).Select(a => a.ToAttendance())
            .OrderBy(a => a.MeetingId, StringComparer.Ordinal).ThenBy(a => a.PersonId, StringComparer.Ordinal)];

    private static void KeepErasure(PersonRow candidate, PersonRow? stored)
    {
        // An erased person stays erased until a name or an e-mail is given again.
        if (stored?.ErasedAt is { } erasedAt && candidate.DisplayName is null && candidate.Email is null)
        {
            candidate.ErasedAt = erasedAt;
        }
    }

    // ---- writing and reading ----

    /// <summary>Upserts rows of one kind of a partnership; what is stored of that kind is read (once) when a write finds rows already there.</summary>
    private Task<WriteCounts> UpsertKindAsync<TRow>(string partnershipId, string prefix, IEnumerable<TRow> rows, Action<TRow, TRow?>? adjust, CancellationToken cancellationToken)
        where TRow : TableRow, new() =>
        UpsertAsync(_data, partnershipId, [.. rows], adjust, async () =>
            (await RangeAsync<TRow>(partnershipId, [prefix], null, cancellationToken)).ToDictionary(r => r.RowKey, StringComparer.Ordinal), cancellationToken);

    private async Task<WriteCounts> UpsertAsync<TRow>(StoreTable table, string partitionKey, IReadOnlyList<TRow> rows, Action<TRow, TRow?>? adjust, Func<Task<Dictionary<string, TRow>>>? readExisting, CancellationToken cancellationToken)
        where TRow : TableRow, new()
    {
        await EnsureTablesAsync(cancellationToken);
        return rows.Count == 0 ? default : await _writer.UpsertAsync(table, partitionKey, rows, adjust, readExisting, cancellationToken);
    }

    /// <summary>
    /// The rows of one partition whose RowKey starts with <paramref name="leadingParts"/>; with <paramref name="select"/>,
    /// only those properties (and the keys) are read.
    /// </summary>
    private async Task<List<TRow>> RangeAsync<TRow>(string partitionKey, string[] leadingParts, string[]? select, CancellationToken cancellationToken)
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
}
