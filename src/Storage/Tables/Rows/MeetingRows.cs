using System.Runtime.Serialization;
using System.Text.Json;
using Engagement.Core.Domain;
using static Engagement.Storage.StoredValues;

namespace Engagement.Storage.Tables.Rows;

/// <summary>A meeting, in <c>{prefix}Data</c>: PartitionKey the partnership, RowKey <c>meeting|id</c>.</summary>
internal sealed class MeetingRow : TableRow
{
    public const string Prefix = "meeting";

    public string? Id { get; set; }

    public string? Title { get; set; }

    /// <summary>The start with its offset, as given (ISO 8601 round-trip text).</summary>
    public string? Start { get; set; }

    /// <summary>The start instant, typed, to compare and order by.</summary>
    public DateTimeOffset? StartUtc { get; set; }

    public string? End { get; set; }

    public string? Kind { get; set; }

    public string? Source { get; set; }

    public string? TeamsJoinUrl { get; set; }

    public bool Cancelled { get; set; }

    public static string Key(string id) => TableKeys.Compose(Prefix, id);

    public static MeetingRow From(string partitionKey, Meeting meeting) => new()
    {
        PartitionKey = partitionKey,
        RowKey = Key(meeting.Id),
        Id = meeting.Id,
        Title = meeting.Title,
        Start = Instant(meeting.Start),
        StartUtc = meeting.Start.ToUniversalTime(),
        End = Instant(meeting.End),
        Kind = WireNames.Format(meeting.Kind),
        Source = WireNames.Format(meeting.Source),
        TeamsJoinUrl = meeting.TeamsJoinUrl,
        Cancelled = meeting.Cancelled,
    };

    public Meeting ToMeeting() => new()
    {
        PartnershipId = PartitionKey,
        Id = Id!,
        Title = Title,
        Start = ParseInstant(Start!),
        End = ParseInstant(End!),
        Kind = Parse<MeetingKind>(Kind),
        Source = Parse<MeetingSource>(Source),
        TeamsJoinUrl = TeamsJoinUrl,
        Cancelled = Cancelled,
    };
}

/// <summary>
/// One person's attendance at one meeting, in <c>{prefix}Data</c>: RowKey <c>att|meeting|person</c>, so a meeting's
/// attendance is one key range and a partnership's is read in meeting order.
/// </summary>
internal sealed class AttendanceRow : TableRow
{
    public const string Prefix = "att";

    public string? MeetingId { get; set; }

    public string? PersonId { get; set; }

    public string? Status { get; set; }

    public int? SecondsAttended { get; set; }

    /// <summary>Teams join/leave intervals as JSON, or null.</summary>
    public string? Intervals { get; set; }

    public static string Key(string meetingId, string personId) => TableKeys.Compose(Prefix, meetingId, personId);

    public static AttendanceRow From(string partitionKey, Attendance attendance) => new()
    {
        PartitionKey = partitionKey,
        RowKey = Key(attendance.MeetingId, attendance.PersonId),
        MeetingId = attendance.MeetingId,
        PersonId = attendance.PersonId,
        Status = WireNames.Format(attendance.Status),
        SecondsAttended = attendance.SecondsAttended,
        Intervals = attendance.Intervals is { Count: > 0 } intervals ? JsonSerializer.Serialize(intervals, RowJson.Web) : null,
    };

    public Attendance ToAttendance() => new()
    {
        PartnershipId = PartitionKey,
        MeetingId = MeetingId!,
        PersonId = PersonId!,
        Status = Parse<AttendanceStatus>(Status),
        SecondsAttended = SecondsAttended,
        Intervals = Intervals is { } intervals ? JsonSerializer.Deserialize<List<AttendanceInterval>>(intervals, RowJson.Web) : null,
    };
}

/// <summary>A form response, in <c>{prefix}Data</c>: RowKey <c>sub|form|response</c>; long answers span several properties.</summary>
internal sealed class SubmissionRow : TableRow
{
    public const string Prefix = "sub";

    public string? FormId { get; set; }

    public string? ResponseId { get; set; }

    public string? Kind { get; set; }

    public string? RespondentPersonId { get; set; }

    public string? RespondentEmail { get; set; }

    /// <summary>The submission time with its offset, as given.</summary>
    public string? SubmittedAt { get; set; }

    /// <summary>The submission instant, typed, to compare with the retention cut-off.</summary>
    public DateTimeOffset? SubmittedAtUtc { get; set; }

    /// <summary>Diagnostic item answers as JSON, or null.</summary>
    public string? DiagnosticItems { get; set; }

    /// <summary>The answers as JSON (keys in order), over <c>Answers0</c>… (<see cref="LongText"/>).</summary>
    [IgnoreDataMember]
    public string Answers
    {
        get => LongText.Join(AnswersParts, Answers0, Answers1, Answers2, Answers3, Answers4, Answers5, Answers6, Answers7, Answers8, Answers9, Answers10, Answers11, Answers12, Answers13, Answers14, Answers15) ?? string.Empty;
        set => AnswersParts = LongText.Split("Answers", value, ref Answers0, ref Answers1, ref Answers2, ref Answers3, ref Answers4, ref Answers5, ref Answers6, ref Answers7, ref Answers8, ref Answers9, ref Answers10, ref Answers11, ref Answers12, ref Answers13, ref Answers14, ref Answers15);
    }

    public int? AnswersParts { get; set; }

#pragma warning disable CA1051 // Fields, so that LongText can fill them by reference.
    public string? Answers0, Answers1, Answers2, Answers3, Answers4, Answers5, Answers6, Answers7, Answers8, Answers9, Answers10, Answers11, Answers12, Answers13, Answers14, Answers15;
#pragma warning restore CA1051

    public static string Key(string formId, string responseId) => TableKeys.Compose(Prefix, formId, responseId);

    public static SubmissionRow From(string partitionKey, FormSubmission submission) => new()
    {
        PartitionKey = partitionKey,
        RowKey = Key(submission.FormId, submission.ResponseId),
        FormId = submission.FormId,
        ResponseId = submission.ResponseId,
        Kind = WireNames.Format(submission.Kind),
        RespondentPersonId = submission.RespondentPersonId,
        RespondentEmail = submission.RespondentEmail,
        SubmittedAt = Instant(submission.SubmittedAt),
        SubmittedAtUtc = submission.SubmittedAt.ToUniversalTime(),
        DiagnosticItems = submission.DiagnosticItems is null ? null : JsonSerializer.Serialize(StoredValues.DiagnosticItems(submission.DiagnosticItems), RowJson.Web),
        Answers = JsonSerializer.Serialize(OrderedAnswers(submission.Answers), RowJson.Web),
    };

    public FormSubmission ToSubmission() => new()
    {
        PartnershipId = PartitionKey,
        FormId = FormId!,
        ResponseId = ResponseId!,
        Kind = Parse<FormKind>(Kind),
        RespondentPersonId = RespondentPersonId,
        RespondentEmail = RespondentEmail,
        SubmittedAt = ParseInstant(SubmittedAt!),
        Answers = JsonSerializer.Deserialize<Dictionary<string, List<string>>>(Answers, RowJson.Web)!
            .ToDictionary(a => a.Key, a => (IReadOnlyList<string>)a.Value, StringComparer.Ordinal),
        DiagnosticItems = DiagnosticItems is { } d ? ParseDiagnosticItems(JsonSerializer.Deserialize<Dictionary<string, string>>(d, RowJson.Web)!) : null,
    };
}
