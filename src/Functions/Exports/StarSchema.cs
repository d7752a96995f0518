using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Engagement.Core.Domain;
using Engagement.Core.Storage;

namespace Engagement.Functions.Exports;

/// <summary>Settings section <c>Exports</c>.</summary>
internal sealed class ExportOptions
{
    public const string Section = "Exports";

    /// <summary>
    /// Base64 secret (≥ 32 bytes) of the pseudonymous person key: HMAC-SHA256 of the person id. Keep it stable.
    /// Required outside Development; created once beside the data in Development (<see cref="Exports.PersonKeySecret"/>).
    /// </summary>
    public string? PersonKeySecret { get; set; }

    /// <summary>The secret's bytes (validated at start). A method: options validation reads every property.</summary>
    public byte[] SecretBytes() => Convert.FromBase64String(PersonKeySecret!.Trim());

    /// <summary>Rows per OData page before <c>@odata.nextLink</c> (default 5000).</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 100_000)]
    public int ODataPageSize { get; set; } = 5000;
}

/// <summary>The type of a star-schema column: how the OData feed declares it and how a Parquet file stores it.</summary>
internal enum ColumnType
{
    /// <summary>UTF-8 text.</summary>
    Text,
    /// <summary>32-bit integer (keys of dates as yyyymmdd, counts, flags as 0/1).</summary>
    Integer,
    /// <summary>Double-precision number.</summary>
    Double,
    /// <summary>true/false.</summary>
    Boolean,
    /// <summary>A calendar day.</summary>
    Date,
    /// <summary>An instant: with its offset in CSV and OData, in UTC in Parquet.</summary>
    Timestamp,
}

/// <summary>A column of a star-schema table: its name, its type and whether it can be empty (null).</summary>
internal sealed record StarColumn(string Name, ColumnType Type, bool Nullable = false);

/// <summary>
/// One table of the analysts' star schema: its columns and a way to read its rows, partnership by partnership, in a
/// stable order. A row may carry more values than <see cref="Columns"/>: what follows them is its resume key.
/// </summary>
internal sealed record StarTable(string Name, IReadOnlyList<StarColumn> Schema, Func<ExportContext, Partnership, CancellationToken, IAsyncEnumerable<object?[]>> Rows)
{
    /// <summary>The column names, in order.</summary>
    public IReadOnlyList<string> Columns { get; } = [.. Schema.Select(c => c.Name)];

    /// <summary>
    /// For tables the store can resume by key (keyset paging): the rows after the row whose resume key is given
    /// (<c>null</c>: from the first), each carrying its own resume key (strings) after its columns.
    /// </summary>
    public Func<ExportContext, Partnership, string[]?, CancellationToken, IAsyncEnumerable<object?[]>>? RowsAfter { get; init; }

    /// <summary>False when the same row may come from several partnerships (dim_date: one row per day) and is written once.</summary>
    public bool RowsAreUnique { get; init; } = true;
}

/// <summary>The stores the star schema is read from.</summary>
internal sealed record ExportSources(IRosterStore Roster, IAttendanceStore Attendance, IFormStore Forms, IRiskStore Risk, IAlertStore Alerts, IActionPlanStore ActionPlans);

/// <summary>What one export request may see.</summary>
internal sealed record ExportContext(ExportSources Sources, byte[] PersonKeySecret, bool IncludePersonalData, DateOnly? From, DateOnly? To)
{
    public bool InRange(DateOnly day) => (From is null || day >= From) && (To is null || day <= To);

    // One export request is read by one caller in sequence; a partnership has at most a few thousand people.
    private readonly Dictionary<(string PartnershipId, string PersonId), string> _personKeys = [];

    /// <summary>The pseudonymous key of a person under <paramref name="secret"/>: keyed HMAC-SHA256, 32 hex digits.</summary>
    public static string Of(byte[] secret, string partnershipId, string personId) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes($"{partnershipId}\n{personId}")))[..32];

    /// <summary>The pseudonymous key of a person: the same person gets the same key in every export.</summary>
    public string PersonKey(string partnershipId, string personId)
    {
        if (!_personKeys.TryGetValue((partnershipId, personId), out var key))
        {
            key = Of(PersonKeySecret, partnershipId, personId);
            _personKeys[(partnershipId, personId)] = key;
        }

        return key;
    }
}

/// <summary>
/// The star schema analysts load into Power BI: dimensions (partnership, organisation, person, meeting, date, objective,
/// action) and facts (attendance, form answers, risk snapshots, alerts, action statuses). Keys join across tables;
/// persons are pseudonymous.
/// </summary>
internal static class StarSchema
{
    public static string OrganizationKey(string partnershipId, string organizationId) => $"{partnershipId}:{organizationId}";

    public static string MeetingKey(string partnershipId, string meetingId) => $"{partnershipId}:{meetingId}";

    public static string ObjectiveKey(string partnershipId, string objectiveId) => $"{partnershipId}:{objectiveId}";

    public static string ActionKey(string partnershipId, string actionId) => $"{partnershipId}:{actionId}";

    public static int DateKey(DateOnly day) => (day.Year * 10000) + (day.Month * 100) + day.Day;

    private static DateOnly Day(DateTimeOffset instant) => DateOnly.FromDateTime(instant.DateTime);

    private const bool Nullable = true;

    private static StarColumn Text(string name, bool nullable = false) => new(name, ColumnType.Text, nullable);

    private static StarColumn Integer(string name, bool nullable = false) => new(name, ColumnType.Integer, nullable);

    private static StarColumn Double(string name) => new(name, ColumnType.Double);

    private static StarColumn Boolean(string name) => new(name, ColumnType.Boolean);

    private static StarColumn Timestamp(string name, bool nullable = false) => new(name, ColumnType.Timestamp, nullable);

    private static StarColumn Date(string name, bool nullable = false) => new(name, ColumnType.Date, nullable);

    // The one definition of each table: its columns (a column is nullable where its row source can leave it empty) and
    // its rows. CSV, OData and the Parquet datasets all derive from it.
    public static IReadOnlyDictionary<string, StarTable> Tables { get; } = new StarTable[]
    {
        new("dim_partnership", [Text("partnership_key"), Text("name"), Text("territory", Nullable), Text("language")], PartnershipRows),
        new("dim_organization", [Text("organization_key"), Text("partnership_key"), Text("organization_id"), Text("name"), Text("sector")], OrganizationRows),
        new("dim_person", [Text("person_key"), Text("partnership_key"), Boolean("erased"), Text("display_name", Nullable), Text("email", Nullable)], PersonRows),
        new("dim_meeting", [Text("meeting_key"), Text("partnership_key"), Text("meeting_id"), Text("title", Nullable), Timestamp("start"), Timestamp("end"), Integer("date_key"), Text("kind"), Text("source"), Boolean("cancelled")], MeetingRows),
        new("dim_date", [Integer("date_key"), Date("date"), Integer("year"), Integer("quarter"), Integer("month"), Text("month_name_fr"), Text("month_name_en"), Integer("iso_week"), Integer("day_of_week")], DateRows) { RowsAreUnique = false },
        new("dim_objective", [Text("objective_key"), Text("partnership_key"), Text("objective_id"), Text("title"), Integer("sort_order")], ObjectiveRows),
        new("dim_action", [Text("action_key"), Text("partnership_key"), Text("action_id"), Text("objective_key"), Text("title"), Text("lead_organization_key"), Text("partner_organization_keys", Nullable), Date("start_date", Nullable), Date("due_date", Nullable), Text("deliverables", Nullable), Timestamp("recorded_at")], ActionRows),
        new("fact_attendance", [Text("partnership_key"), Text("meeting_key"), Text("person_key"), Text("organization_key", Nullable), Integer("date_key"), Text("status"), Integer("present"), Integer("seconds_attended", Nullable)], (c, p, ct) => AttendanceRows(c, p, null, ct))
        {
            RowsAfter = AttendanceRows,
        },
        new("fact_form_answer", [Text("partnership_key"), Text("form_id"), Text("response_id"), Text("person_key", Nullable), Integer("date_key"), Timestamp("submitted_at"), Text("question"), Text("answer"), Integer("diagnostic_item", Nullable), Text("diagnostic_answer", Nullable)], FormAnswerRows),
        new("fact_risk_snapshot", [Text("partnership_key"), Text("organization_key", Nullable), Integer("date_key"), Double("probability"), Text("band"), Text("model_version"), Boolean("prior_model"), Text("top_reason_fr", Nullable), Text("top_reason_en", Nullable)], RiskRows),
        new("fact_alert", [Text("partnership_key"), Text("alert_id"), Text("organization_key", Nullable), Text("type"), Text("status"), Text("band"), Double("probability"), Timestamp("opened_at"), Timestamp("resolved_at", Nullable), Integer("notifications")], AlertRows),
        new("fact_action_status", [Text("partnership_key"), Text("action_key"), Text("update_id"), Text("organization_key", Nullable), Text("person_key", Nullable), Integer("date_key"), Timestamp("at"), Text("status"), Text("source"), Boolean("is_late"), Integer("days_late"), Text("done", Nullable), Text("obstacles", Nullable), Text("help_needed", Nullable)], ActionStatusRows),
    }.ToDictionary(t => t.Name, StringComparer.Ordinal);

    /// <summary>The type of each column name: a name means the same type in every table that has it.</summary>
    public static IReadOnlyDictionary<string, ColumnType> ColumnTypes { get; } = Tables.Values
        .SelectMany(t => t.Schema)
        .GroupBy(c => c.Name, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.Select(c => c.Type).Distinct().Single(), StringComparer.Ordinal);

    private static async IAsyncEnumerable<object?[]> PartnershipRows(ExportContext c, Partnership p, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await Task.CompletedTask;
        yield return [p.Id, p.Name, p.Territory, WireNames.Format(p.Language)];
    }

    private static async IAsyncEnumerable<object?[]> OrganizationRows(ExportContext c, Partnership p, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        foreach (var o in (await c.Sources.Roster.GetRosterAsync(p.Id, ct)).Organizations)
        {
            yield return [OrganizationKey(p.Id, o.Id), p.Id, o.Id, o.Name, WireNames.Format(o.Sector)];
        }
    }

    private static async IAsyncEnumerable<object?[]> PersonRows(ExportContext c, Partnership p, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        foreach (var person in (await c.Sources.Roster.GetRosterAsync(p.Id, ct)).People)
        {
            yield return [c.PersonKey(p.Id, person.Id), p.Id, person.ErasedAt is not null, c.IncludePersonalData ? person.DisplayName : null, c.IncludePersonalData ? person.Email : null];
        }
    }

    private static async IAsyncEnumerable<object?[]> MeetingRows(ExportContext c, Partnership p, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        foreach (var m in (await c.Sources.Attendance.ListMeetingsAsync(p.Id, ct)).Select(s => s.Meeting).Where(m => c.InRange(Day(m.Start))))
        {
            yield return [MeetingKey(p.Id, m.Id), p.Id, m.Id, m.Title, m.Start, m.End, DateKey(Day(m.Start)), WireNames.Format(m.Kind), WireNames.Format(m.Source), m.Cancelled];
        }
    }

    private static async IAsyncEnumerable<object?[]> DateRows(ExportContext c, Partnership p, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        // One partnership's meeting days and the days its actions' statuses were given (the facts' date keys join here);
        // the export writes each date once across partnerships.
        var meetingDays = (await c.Sources.Attendance.ListMeetingsAsync(p.Id, ct)).Select(s => Day(s.Meeting.Start));
        var updateDays = (await c.Sources.ActionPlans.GetPlanAsync(p.Id, ct)).Updates.Select(u => Day(u.At));
        foreach (var day in meetingDays.Concat(updateDays).Where(c.InRange).Distinct().Order())
        {
            yield return [DateKey(day), day, day.Year, ((day.Month - 1) / 3) + 1, day.Month,
                CultureInfo.GetCultureInfo("fr-CA").DateTimeFormat.GetMonthName(day.Month), CultureInfo.InvariantCulture.DateTimeFormat.GetMonthName(day.Month),
                ISOWeek.GetWeekOfYear(day.ToDateTime(TimeOnly.MinValue)), (int)day.DayOfWeek == 0 ? 7 : (int)day.DayOfWeek];
        }
    }

    private static readonly object Present = 1, NotPresent = 0;
    private static readonly Dictionary<AttendanceStatus, string> StatusNames = Enum.GetValues<AttendanceStatus>().ToDictionary(s => s, WireNames.Format);

    /// <summary>
    /// Attendance as the store streams it (memory does not grow with the partnership's history), joined to the meeting's
    /// day and the organisation the person represented that day; each row ends with its resume key (meeting id, person id).
    /// </summary>
    private static async IAsyncEnumerable<object?[]> AttendanceRows(ExportContext c, Partnership p, string[]? after, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        // Only each meeting's day is kept (the partnership's meetings read one by one, not listed): the memory this
        // takes grows with the meetings, a few dozen bytes each, never with the attendance.
        var days = new Dictionary<string, DateOnly>(StringComparer.Ordinal);
        await foreach (var m in c.Sources.Attendance.StreamMeetingsAsync(p.Id, ct))
        {
            if (c.InRange(Day(m.Start)))
            {
                days[m.Id] = Day(m.Start);
            }
        }

        // Per organisation, and per meeting as its records come together: the keys as text and the date key boxed once.
        var roster = await c.Sources.Roster.GetRosterAsync(p.Id, ct);
        var organizationKeys = roster.Organizations.ToDictionary(o => o.Id, o => OrganizationKey(p.Id, o.Id), StringComparer.Ordinal);
        var representations = roster.Representations.Where(r => r.Role != RepresentationRole.Observer).GroupBy(r => r.PersonId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
        var personKeys = new Dictionary<string, string>(StringComparer.Ordinal);
        AttendanceKey? start = after is [var meetingId, var personId] ? new AttendanceKey(meetingId, personId) : null;
        string? currentId = null;
        (string Key, DateOnly Day, object DateKey) current = default;
        var inRange = false;
        await foreach (var a in c.Sources.Attendance.StreamAttendanceAsync(p.Id, start, ct))
        {
            if (!string.Equals(a.MeetingId, currentId, StringComparison.Ordinal))
            {
                currentId = a.MeetingId;
                inRange = days.TryGetValue(a.MeetingId, out var day);
                current = (MeetingKey(p.Id, a.MeetingId), day, DateKey(day));
            }

            if (!inRange)
            {
                continue;
            }

            string? organization = null;
            if (representations.TryGetValue(a.PersonId, out var held))
            {
                foreach (var r in held)
                {
                    if (r.IsActiveOn(current.Day))
                    {
                        organization = organizationKeys.GetValueOrDefault(r.OrganizationId) ?? OrganizationKey(p.Id, r.OrganizationId);
                        break;
                    }
                }
            }

            if (!personKeys.TryGetValue(a.PersonId, out var personKey))
            {
                personKeys[a.PersonId] = personKey = c.PersonKey(p.Id, a.PersonId);
            }

            yield return [p.Id, current.Key, personKey, organization, current.DateKey,
                StatusNames[a.Status], a.Status == AttendanceStatus.Present ? Present : NotPresent, a.SecondsAttended, a.MeetingId, a.PersonId];
        }
    }

    private static async IAsyncEnumerable<object?[]> FormAnswerRows(ExportContext c, Partnership p, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var forms = new Dictionary<string, FormDefinition?>(StringComparer.Ordinal);
        foreach (var s in (await c.Sources.Forms.ListFormSubmissionsAsync(p.Id, ct)).Where(s => c.InRange(Day(s.SubmittedAt))))
        {
            if (!forms.TryGetValue(s.FormId, out var form))
            {
                forms[s.FormId] = form = await c.Sources.Forms.GetFormAsync(s.FormId, ct);
            }

            var person = s.RespondentPersonId is { } id ? c.PersonKey(p.Id, id) : null;
            foreach (var (question, answers) in s.Answers.OrderBy(a => a.Key, StringComparer.Ordinal))
            {
                int? item = form?.Diagnostic?.Items.TryGetValue(question, out var i) == true ? i : null;
                string? letter = item is { } n && s.DiagnosticItems?.TryGetValue(n, out var answer) == true ? answer.ToString() : null;
                foreach (var value in answers.Distinct(StringComparer.Ordinal))
                {
                    yield return [p.Id, s.FormId, s.ResponseId, person, DateKey(Day(s.SubmittedAt)), s.SubmittedAt, question, value, item, letter];
                }
            }
        }
    }

    private static async IAsyncEnumerable<object?[]> RiskRows(ExportContext c, Partnership p, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        foreach (var r in await c.Sources.Risk.ListRiskSnapshotsAsync(p.Id, c.From ?? DateOnly.MinValue, c.To ?? DateOnly.MaxValue, ct))
        {
            var top = r.Reasons.FirstOrDefault();
            yield return [p.Id, r.OrganizationId is null ? null : OrganizationKey(p.Id, r.OrganizationId), DateKey(r.AsOfDate), r.Probability, r.Band, r.ModelVersion, r.PriorModel, top?.French, top?.English];
        }
    }

    private static async IAsyncEnumerable<object?[]> AlertRows(ExportContext c, Partnership p, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        foreach (var a in (await c.Sources.Alerts.ListAlertsAsync(p.Id, ct)).Where(a => c.InRange(Day(a.OpenedAt))))
        {
            yield return [p.Id, a.Id, a.OrganizationId is null ? null : OrganizationKey(p.Id, a.OrganizationId), WireNames.Format(a.Type), WireNames.Format(a.Status), a.Band, a.Probability, a.OpenedAt, a.ResolvedAt, a.Notifications];
        }
    }

    private static async IAsyncEnumerable<object?[]> ObjectiveRows(ExportContext c, Partnership p, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        foreach (var o in (await c.Sources.ActionPlans.GetPlanAsync(p.Id, ct)).Objectives)
        {
            yield return [ObjectiveKey(p.Id, o.Id), p.Id, o.Id, o.Title, o.Order];
        }
    }

    private static async IAsyncEnumerable<object?[]> ActionRows(ExportContext c, Partnership p, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        foreach (var a in (await c.Sources.ActionPlans.GetPlanAsync(p.Id, ct)).Actions)
        {
            var partners = a.PartnerOrganizationIds.Count == 0 ? null : string.Join(';', a.PartnerOrganizationIds.Select(o => OrganizationKey(p.Id, o)));
            yield return [ActionKey(p.Id, a.Id), p.Id, a.Id, ObjectiveKey(p.Id, a.ObjectiveId), a.Title, OrganizationKey(p.Id, a.LeadOrganizationId), partners, a.StartOn, a.DueOn, a.Deliverables, a.RecordedAt];
        }
    }

    /// <summary>
    /// One row per update of an action: what was said, and whether the action was late then and for how many days, as
    /// <see cref="ActionProgress.StateOf"/> reads it from the updates up to that one, on that update's Montréal day. What
    /// a sheet's answer says (done, obstacles, help needed) may name people: only for callers with the <c>pii</c> role,
    /// as names are.
    /// </summary>
    private static async IAsyncEnumerable<object?[]> ActionStatusRows(ExportContext c, Partnership p, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var plan = await c.Sources.ActionPlans.GetPlanAsync(p.Id, ct);
        var actions = plan.Actions.ToDictionary(a => a.Id, StringComparer.Ordinal);
        var said = new Dictionary<string, List<ActionUpdate>>(StringComparer.Ordinal);

        // The plan lists updates by instant then id, the order ActionProgress reads them in. An update of an action the
        // plan does not hold has no row: nothing to say whether it was late, and no dim_action row to join.
        foreach (var u in plan.Updates)
        {
            if (!actions.TryGetValue(u.ActionId, out var action))
            {
                continue;
            }

            if (!said.TryGetValue(u.ActionId, out var updates))
            {
                said[u.ActionId] = updates = [];
            }

            updates.Add(u);
            if (!c.InRange(Day(u.At)))
            {
                continue;
            }

            var state = ActionProgress.StateOf(action, updates, DateOnly.FromDateTime(MontrealClock.ToLocal(u.At).DateTime));
            yield return [p.Id, ActionKey(p.Id, u.ActionId), u.Id, u.OrganizationId is { } o ? OrganizationKey(p.Id, o) : null, u.PersonId is { } person ? c.PersonKey(p.Id, person) : null,
                DateKey(Day(u.At)), u.At, WireNames.Format(u.Status), WireNames.Format(u.Source), state.IsLate, state.DaysLate,
                c.IncludePersonalData ? u.Done : null, c.IncludePersonalData ? u.Obstacles : null, c.IncludePersonalData ? u.HelpNeeded : null];
        }
    }
}
