using Engagement.Core.Domain;
using Engagement.Core.Storage;
using Engagement.Storage.Tables.Rows;
using static Engagement.Storage.StoredValues;

namespace Engagement.Storage.Tables;

/// <summary>Meetings and attendance, in their partnership's partition.</summary>
public sealed class TableAttendanceStore(TableStorage storage) : IAttendanceStore
{
    // The meetings and people of the partition (ids only), not its organisations and representations: a range read
    // per kind, as GetKeysAsync does, since point reads per id would cost a request each.
    public async Task<PartnershipKeys> FindMeetingsAndPeopleAsync(string partnershipId, IReadOnlyCollection<string> meetingIds, IReadOnlyCollection<string> personIds, CancellationToken cancellationToken = default)
    {
        var people = personIds.Count == 0 ? ([], []) : await storage.PersonKeysAsync(partnershipId, cancellationToken);
        return new PartnershipKeys
        {
            OrganizationIds = new HashSet<string>(StringComparer.Ordinal),
            PersonIds = people.Ids,
            PersonIdsByEmail = people.ByEmail,
            MeetingIds = meetingIds.Count == 0 ? new HashSet<string>(StringComparer.Ordinal) : await storage.MeetingIdsAsync(partnershipId, cancellationToken),
            RepresentationIds = new HashSet<string>(StringComparer.Ordinal),
        };
    }

    public Task<WriteCounts> UpsertMeetingsAsync(string partnershipId, IReadOnlyList<Meeting> meetings, CancellationToken cancellationToken = default) =>
        storage.UpsertKindAsync(partnershipId, MeetingRow.Prefix, meetings.Select(m => MeetingRow.From(Same(partnershipId, m.PartnershipId), m)), null, cancellationToken);

    public async Task<WriteCounts> UpsertAttendanceAsync(string partnershipId, IReadOnlyList<Attendance> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        var rows = records.Select(a => AttendanceRow.From(Same(partnershipId, a.PartnershipId), a)).ToList();

        // Read only the meetings this batch touches, not the partnership's whole attendance history.
        var meetings = records.Select(r => r.MeetingId).Distinct(StringComparer.Ordinal).ToList();
        return await storage.UpsertAsync(storage.Data, partnershipId, rows, null, async () =>
        {
            var existing = new Dictionary<string, AttendanceRow>(StringComparer.Ordinal);
            foreach (var meeting in meetings)
            {
                foreach (var row in await storage.RangeAsync<AttendanceRow>(partnershipId, [AttendanceRow.Prefix, meeting], null, cancellationToken))
                {
                    existing[row.RowKey] = row;
                }
            }

            return existing;
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<MeetingSummary>> ListMeetingsAsync(string partnershipId, CancellationToken cancellationToken = default)
    {
        var meetings = (await storage.RangeAsync<MeetingRow>(partnershipId, [MeetingRow.Prefix], null, cancellationToken)).Select(m => m.ToMeeting());
        var counts = new Dictionary<(string Meeting, string Status), int>();
        foreach (var row in await storage.RangeAsync<AttendanceRow>(partnershipId, [AttendanceRow.Prefix], [nameof(AttendanceRow.MeetingId), nameof(AttendanceRow.Status)], cancellationToken))
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
        await storage.EnsureTablesAsync(cancellationToken);
        return (await storage.Data.GetAsync<MeetingRow>(partnershipId, MeetingRow.Key(meetingId), cancellationToken))?.ToMeeting();
    }

    public async Task<IReadOnlyList<Attendance>> GetAttendanceAsync(string partnershipId, string meetingId, CancellationToken cancellationToken = default) =>
        [.. (await storage.RangeAsync<AttendanceRow>(partnershipId, [AttendanceRow.Prefix, meetingId], null, cancellationToken)).Select(a => a.ToAttendance()).OrderBy(a => a.PersonId, StringComparer.Ordinal)];

    /// <summary>
    /// In RowKey order ("att|meeting|person", escaped), page by page as the service hands them over, so memory does not
    /// grow with the partnership; <paramref name="after"/> becomes a RowKey lower bound.
    /// </summary>
    public async IAsyncEnumerable<Attendance> StreamAttendanceAsync(string partnershipId, AttendanceKey? after = null, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await storage.EnsureTablesAsync(cancellationToken);
        var filter = after is { } key
            ? TableKeys.RowKeyRangeAfter(partnershipId, AttendanceRow.Key(key.MeetingId, key.PersonId), AttendanceRow.Prefix)
            : TableKeys.RowKeyRange(partnershipId, AttendanceRow.Prefix);
        await foreach (var row in storage.Data.QueryAsync<AttendanceRow>(filter, cancellationToken: cancellationToken))
        {
            yield return row.ToAttendance();
        }
    }

    public async IAsyncEnumerable<Meeting> StreamMeetingsAsync(string partnershipId, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await storage.EnsureTablesAsync(cancellationToken);
        await foreach (var row in storage.Data.QueryAsync<MeetingRow>(TableKeys.RowKeyRange(partnershipId, MeetingRow.Prefix), cancellationToken: cancellationToken))
        {
            yield return row.ToMeeting();
        }
    }

    public async Task<IReadOnlyList<Attendance>> ListAttendanceAsync(string partnershipId, CancellationToken cancellationToken = default) =>
        [.. (await storage.RangeAsync<AttendanceRow>(partnershipId, [AttendanceRow.Prefix], null, cancellationToken)).Select(a => a.ToAttendance())
            .OrderBy(a => a.MeetingId, StringComparer.Ordinal).ThenBy(a => a.PersonId, StringComparer.Ordinal)];
}
