using System.Text.Json;
using Engagement.Core.Domain;
using Engagement.Core.Storage;
using static Engagement.Storage.StoredValues;
using Microsoft.Data.Sqlite;
using static Engagement.Storage.Sqlite.SqliteDatabase;

namespace Engagement.Storage.Sqlite;

/// <summary>Meetings and attendance in SQLite.</summary>
public sealed class SqliteAttendanceStore(SqliteDatabase db) : IAttendanceStore
{
    public Task<PartnershipKeys> FindMeetingsAndPeopleAsync(string partnershipId, IReadOnlyCollection<string> meetingIds, IReadOnlyCollection<string> personIds, CancellationToken cancellationToken = default) =>
        RunAsync(async () =>
        {
            ArgumentNullException.ThrowIfNull(meetingIds);
            ArgumentNullException.ThrowIfNull(personIds);
            await using var connection = await db.OpenAsync(cancellationToken);

            // One primary-key lookup per given id; the ids travel as one JSON array parameter.
            async Task<HashSet<string>> Existing(string table, IReadOnlyCollection<string> ids)
            {
                var set = new HashSet<string>(StringComparer.Ordinal);
                if (ids.Count == 0)
                {
                    return set;
                }

                await using var command = Command(connection, $"SELECT id FROM {table} WHERE partnership_id = $p0 AND id IN (SELECT value FROM json_each($p1))", [partnershipId, JsonSerializer.Serialize(ids, Json)]);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    set.Add(reader.GetString(0));
                }

                return set;
            }

            return new PartnershipKeys
            {
                OrganizationIds = new HashSet<string>(StringComparer.Ordinal),
                PersonIds = await Existing("people", personIds),
                PersonIdsByEmail = new Dictionary<string, string>(StringComparer.Ordinal),
                MeetingIds = await Existing("meetings", meetingIds),
                RepresentationIds = new HashSet<string>(StringComparer.Ordinal),
            };
        });

    public Task<WriteCounts> UpsertMeetingsAsync(string partnershipId, IReadOnlyList<Meeting> meetings, CancellationToken cancellationToken = default) =>
        db.UpsertAsync(SqlTables.Meetings, meetings.Select(m => new object?[]
        {
            Same(partnershipId, m.PartnershipId), m.Id, m.Title, Instant(m.Start), Utc(m.Start), Instant(m.End), WireNames.Format(m.Kind), WireNames.Format(m.Source), m.TeamsJoinUrl, m.Cancelled ? 1 : 0,
        }), cancellationToken);

    public Task<WriteCounts> UpsertAttendanceAsync(string partnershipId, IReadOnlyList<Attendance> records, CancellationToken cancellationToken = default) =>
        db.UpsertAsync(SqlTables.Attendance, records.Select(a => new object?[]
        {
            Same(partnershipId, a.PartnershipId), a.MeetingId, a.PersonId, WireNames.Format(a.Status), a.SecondsAttended,
            a.Intervals is { Count: > 0 } intervals ? JsonSerializer.Serialize(intervals, Json) : null,
        }), cancellationToken);

    public Task<IReadOnlyList<MeetingSummary>> ListMeetingsAsync(string partnershipId, CancellationToken cancellationToken = default) =>
        db.QueryAsync(
            $"""
            SELECT {MeetingColumns},
                   (SELECT COUNT(*) FROM attendance a WHERE a.partnership_id = m.partnership_id AND a.meeting_id = m.id AND a.status = 'present'),
                   (SELECT COUNT(*) FROM attendance a WHERE a.partnership_id = m.partnership_id AND a.meeting_id = m.id AND a.status = 'absent'),
                   (SELECT COUNT(*) FROM attendance a WHERE a.partnership_id = m.partnership_id AND a.meeting_id = m.id AND a.status = 'excused')
            FROM meetings m WHERE m.partnership_id = $p0 ORDER BY m.start_utc, m.id
            """,
            [partnershipId],
            r => new MeetingSummary { Meeting = ReadMeeting(r), Present = r.GetInt32(10), Absent = r.GetInt32(11), Excused = r.GetInt32(12) },
            cancellationToken);

    public async Task<Meeting?> GetMeetingAsync(string partnershipId, string meetingId, CancellationToken cancellationToken = default)
    {
        var list = await db.QueryAsync($"SELECT {MeetingColumns} FROM meetings m WHERE m.partnership_id = $p0 AND m.id = $p1", [partnershipId, meetingId], ReadMeeting, cancellationToken);
        return list.Count == 0 ? null : list[0];
    }

    public Task<IReadOnlyList<Attendance>> GetAttendanceAsync(string partnershipId, string meetingId, CancellationToken cancellationToken = default) =>
        db.QueryAsync($"SELECT {AttendanceColumns} FROM attendance WHERE partnership_id = $p0 AND meeting_id = $p1 ORDER BY person_id", [partnershipId, meetingId], ReadAttendance, cancellationToken);

    /// <summary>The columns <see cref="ReadAttendance(SqliteDataReader, string)"/> reads, in its order.</summary>
    private const string AttendanceColumns = "partnership_id, meeting_id, person_id, status, seconds_attended, intervals";

    private const string AttendanceOfPartnership = $"SELECT {AttendanceColumns} FROM attendance WHERE partnership_id = $p0 ORDER BY meeting_id, person_id";

    public Task<IReadOnlyList<Attendance>> ListAttendanceAsync(string partnershipId, CancellationToken cancellationToken = default) =>
        db.QueryAsync(AttendanceOfPartnership, [partnershipId], ReadAttendance, cancellationToken);

    public IAsyncEnumerable<Attendance> StreamAttendanceAsync(string partnershipId, AttendanceKey? after = null, CancellationToken cancellationToken = default) =>
        Translated(ReadAttendanceAsync(partnershipId, after, cancellationToken), cancellationToken);

    private async IAsyncEnumerable<Attendance> ReadAttendanceAsync(string partnershipId, AttendanceKey? after, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // One read transaction (WAL snapshot) for the whole stream; writers are not blocked by it. The primary key's
        // index (partnership, meeting, person) serves both the order and the keyset start.
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = after is { } key
            ? Command(connection, $"SELECT {AttendanceColumns} FROM attendance WHERE partnership_id = $p0 AND (meeting_id, person_id) > ($p1, $p2) ORDER BY meeting_id, person_id", [partnershipId, key.MeetingId, key.PersonId])
            : Command(connection, AttendanceOfPartnership, [partnershipId]);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return ReadAttendance(reader, partnershipId);
        }
    }

    public IAsyncEnumerable<Meeting> StreamMeetingsAsync(string partnershipId, CancellationToken cancellationToken = default) =>
        Translated(ReadMeetingsAsync(partnershipId, cancellationToken), cancellationToken);

    private async IAsyncEnumerable<Meeting> ReadMeetingsAsync(string partnershipId, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = Command(connection, $"SELECT {MeetingColumns} FROM meetings m WHERE m.partnership_id = $p0 ORDER BY m.id", [partnershipId]);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return ReadMeeting(reader);
        }
    }

    private static Attendance ReadAttendance(SqliteDataReader r) => ReadAttendance(r, r.GetString(0));

    private static Attendance ReadAttendance(SqliteDataReader r, string partnershipId) => new()
    {
        PartnershipId = partnershipId,
        MeetingId = r.GetString(1),
        PersonId = r.GetString(2),
        Status = Parse<AttendanceStatus>(r.GetString(3)),
        SecondsAttended = r.IsDBNull(4) ? null : r.GetInt32(4),
        Intervals = r.IsDBNull(5) ? null : JsonSerializer.Deserialize<List<AttendanceInterval>>(r.GetString(5), Json),
    };

    private const string MeetingColumns = "m.partnership_id, m.id, m.title, m.start, m.\"end\", m.kind, m.source, m.teams_join_url, m.cancelled, m.start_utc";

    private static Meeting ReadMeeting(SqliteDataReader r) => new()
    {
        PartnershipId = r.GetString(0),
        Id = r.GetString(1),
        Title = r.IsDBNull(2) ? null : r.GetString(2),
        Start = ParseInstant(r.GetString(3)),
        End = ParseInstant(r.GetString(4)),
        Kind = Parse<MeetingKind>(r.GetString(5)),
        Source = Parse<MeetingSource>(r.GetString(6)),
        TeamsJoinUrl = r.IsDBNull(7) ? null : r.GetString(7),
        Cancelled = r.GetInt64(8) != 0,
    };
}
