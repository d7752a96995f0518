using System.Globalization;
using System.Text.Json;

namespace Engagement.Bench.Ingestion;

/// <summary>One attendance record as the harness generates it.</summary>
internal sealed record AttendanceRow(string MeetingId, string PersonId, string Status, int? SecondsAttended);

/// <summary>
/// The generated data set for one partnership: <c>people</c> people, as many meetings as needed so that every
/// (meeting, person) pair is used once, and the attendance records cut into request bodies of <c>batchSize</c>.
/// Every body is serialised before any clock starts, so the figures measure the server, not the client's JSON.
/// </summary>
internal sealed class Workload
{
    private const int MeetingBatchSize = 5_000;
    private static readonly DateTimeOffset FirstMeeting = new(2026, 1, 10, 19, 0, 0, TimeSpan.FromHours(-5));

    public Workload(string partnershipId, int records, int people, int batchSize)
    {
        PartnershipId = partnershipId;
        PersonIds = [.. Enumerable.Range(0, people).Select(i => $"person-{i:D3}")];
        var meetings = (records + people - 1) / people;
        MeetingIds = [.. Enumerable.Range(0, meetings).Select(i => $"meeting-{i:D6}")];

        var rows = new AttendanceRow[records];
        for (var i = 0; i < records; i++)
        {
            // 70 % present with a duration, 20 % absent, 10 % excused.
            var (status, seconds) = (i % 10) switch
            {
                < 7 => ("present", (int?)(1_800 + (i * 37 % 5_400))),
                < 9 => ("absent", null),
                _ => ("excused", (int?)null),
            };
            rows[i] = new AttendanceRow(MeetingIds[i / people], PersonIds[i % people], status, seconds);
        }

        Rows = rows;
        Batches = [.. rows.Chunk(batchSize).Select(chunk => new Batch(chunk.Length, AttendanceBody(partnershipId, chunk)))];
        PartnershipBody = Json(w =>
        {
            w.WriteStartObject();
            w.WriteString("name", $"Benchmark partnership {partnershipId}");
            w.WriteEndObject();
        });
        PeopleBody = Json(w =>
        {
            w.WriteStartArray();
            foreach (var id in PersonIds)
            {
                w.WriteStartObject();
                w.WriteString("id", id);
                w.WriteString("displayName", $"Person {id}");
                w.WriteEndObject();
            }

            w.WriteEndArray();
        });
        MeetingBodies = [.. MeetingIds.Select((id, i) => (id, i)).Chunk(MeetingBatchSize).Select(chunk => Json(w =>
        {
            w.WriteStartArray();
            foreach (var (id, i) in chunk)
            {
                var start = FirstMeeting.AddHours(i);
                w.WriteStartObject();
                w.WriteString("id", id);
                w.WriteString("start", start.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture));
                w.WriteString("end", start.AddHours(2).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture));
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }))];
    }

    public string PartnershipId { get; }

    public IReadOnlyList<string> PersonIds { get; }

    public IReadOnlyList<string> MeetingIds { get; }

    public IReadOnlyList<AttendanceRow> Rows { get; }

    /// <summary>The <c>POST /api/attendance</c> bodies, in order, with the number of records each holds.</summary>
    public IReadOnlyList<Batch> Batches { get; }

    public byte[] PartnershipBody { get; }

    public byte[] PeopleBody { get; }

    public IReadOnlyList<byte[]> MeetingBodies { get; }

    public long BodyBytes => Batches.Sum(b => (long)b.Body.Length);

    private static byte[] AttendanceBody(string partnershipId, AttendanceRow[] rows) => Json(w =>
    {
        w.WriteStartObject();
        w.WriteString("partnershipId", partnershipId);
        w.WriteStartArray("records");
        foreach (var row in rows)
        {
            w.WriteStartObject();
            w.WriteString("meetingId", row.MeetingId);
            w.WriteString("personId", row.PersonId);
            w.WriteString("status", row.Status);
            if (row.SecondsAttended is { } seconds)
            {
                w.WriteNumber("secondsAttended", seconds);
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    });

    private static byte[] Json(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            write(writer);
        }

        return stream.ToArray();
    }
}

/// <summary>One request body and the number of records in it.</summary>
internal sealed record Batch(int Count, byte[] Body);
