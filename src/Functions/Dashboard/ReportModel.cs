using Engagement.Core.Domain;

namespace Engagement.Functions.Dashboard;

/// <summary>The figures of a period, each recomputed from the stored records (never typed by anyone).</summary>
public sealed record ReportFigures
{
    /// <summary>Meetings held in the period (cancelled ones and those still to come are not counted).</summary>
    public int Meetings { get; init; }
    /// <summary>Attendance records of those meetings: present, absent, excused.</summary>
    public int Present { get; init; }
    public int Absent { get; init; }
    public int Excused { get; init; }
    /// <summary>Organisations present at least once (through a representative) / organisations of the partnership.</summary>
    public int OrganizationsPresent { get; init; }
    public int Organizations { get; init; }
    /// <summary>Different people present at least once.</summary>
    public int PeoplePresent { get; init; }
    /// <summary>Follow-up sheets asked in the period, and how many of them were answered.</summary>
    public int SheetsAsked { get; init; }
    public int SheetsAnswered { get; init; }
    /// <summary>Form answers received in the period (feedback, follow-up, diagnostic…).</summary>
    public int FormAnswers { get; init; }
    /// <summary>Actions of the plan at the end of the period, by status; late ones counted apart.</summary>
    public int Actions { get; init; }
    public int ActionsDone { get; init; }
    public int ActionsLate { get; init; }
    public int ActionsOnTrack { get; init; }
    public int ActionsNotStarted { get; init; }
    public int ActionsAbandoned { get; init; }

    /// <summary>Present / all attendance records, or null without records.</summary>
    public double? AttendanceRate => Present + Absent + Excused is var all and > 0 ? Present / (double)all : null;

    /// <summary>Answered / asked sheets, or null when none was asked.</summary>
    public double? SheetResponseRate => SheetsAsked > 0 ? SheetsAnswered / (double)SheetsAsked : null;
}

/// <summary>What was said of an action in the period: what was done, the obstacles, the help needed.</summary>
public sealed record ReportNote(DateOnly Day, string Action, string? Organization, string? Done, string? Obstacles, string? HelpNeeded);

/// <summary>An objective in the report: its narrative, its actions at the end of the period and what was said of them.</summary>
public sealed record ReportObjective(Objective Objective, IReadOnlyList<PlanActionLine> Actions, IReadOnlyList<ReportNote> Notes);

/// <summary>One organisation's participation in the period.</summary>
public sealed record ReportParticipation(Organization Organization, int MeetingsPresent, int ActionsCarried, int SheetsAsked, int SheetsAnswered);

/// <summary>
/// The progress report ("bilan") of a partnership for a period: per objective the results, means, adjustments and
/// learnings the coordinator wrote, with the state of its actions and what their carriers said; attendance and
/// participation figures recomputed from the stores. The page and the .docx are both written from this.
/// </summary>
public sealed record ReportModel
{
    public required Partnership Partnership { get; init; }
    public required DateOnly From { get; init; }
    public required DateOnly To { get; init; }
    public required DateOnly GeneratedOn { get; init; }
    public required ReportFigures Figures { get; init; }
    public required IReadOnlyList<ReportObjective> Objectives { get; init; }
    public required IReadOnlyList<ReportParticipation> Participation { get; init; }

    /// <summary>The longest text of each part of an objective's narrative.</summary>
    public const int MaxNarrative = 4000;

    /// <summary>Whether the reader may write the narrative (coordinator or admin).</summary>
    public bool CanWrite { get; init; }

    /// <summary>The longest period a report covers.</summary>
    public const int MaxDays = 3 * 366;

    /// <summary>
    /// The period asked by <c>?from=</c> and <c>?to=</c> (yyyy-MM-dd, Montréal days, both included): by default the twelve
    /// months ending today. A day that does not parse, an end before the start or a period over three years is refused,
    /// naming the field.
    /// </summary>
    internal static (DateOnly From, DateOnly To) PeriodOf(HttpRequest request, DateOnly today)
    {
        static DateOnly? Read(HttpRequest request, string field)
        {
            var text = request.Query[field].FirstOrDefault();
            if (string.IsNullOrWhiteSpace(text))
            {
                return null;
            }

            return DateOnly.TryParseExact(text, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var day)
                ? day
                : throw new Problems.RequestRejectedException(StatusCodes.Status400BadRequest, field, $"'{field}' must be a day written yyyy-MM-dd (got '{text}').");
        }

        var to = Read(request, "to") ?? today;
        var from = Read(request, "from") ?? to.AddMonths(-12).AddDays(1);
        if (from > to)
        {
            throw new Problems.RequestRejectedException(StatusCodes.Status400BadRequest, "from", $"'from' ({from:yyyy-MM-dd}) must not be after 'to' ({to:yyyy-MM-dd}).");
        }

        if (to.DayNumber - from.DayNumber + 1 > MaxDays)
        {
            throw new Problems.RequestRejectedException(StatusCodes.Status400BadRequest, "from", $"A report covers at most three years ({MaxDays} days).");
        }

        return (from, to);
    }

    internal static async Task<ReportModel> ReadAsync(Partnership partnership, EngagementReaders stores, DateOnly from, DateOnly to, DateTimeOffset now, PartnershipLanguage language, CancellationToken ct)
    {
        var id = partnership.Id;
        // The period's end: the last instant of its last day, or now when it ends today or later.
        var endOfTo = MontrealClock.Local(to.AddDays(1), TimeOnly.MinValue).AddTicks(-1);
        var end = endOfTo < now ? endOfTo : now;
        var start = MontrealClock.Local(from, TimeOnly.MinValue);
        bool InPeriod(DateTimeOffset at) => at >= start && at <= end;

        var roster = await stores.Roster.GetRosterAsync(id, ct);
        var plan = await stores.ActionPlans.GetPlanAsync(id, ct);
        var meetings = (await stores.Attendance.ListMeetingsAsync(id, ct)).Select(m => m.Meeting).Where(m => !m.Cancelled && InPeriod(m.Start)).ToList();
        var meetingDays = meetings.ToDictionary(m => m.Id, m => Fmt.DayOf(m.Start), StringComparer.Ordinal);
        var attendance = (await stores.Attendance.ListAttendanceAsync(id, ct)).Where(a => meetingDays.ContainsKey(a.MeetingId)).ToList();
        var submissions = (await stores.Forms.ListFormSubmissionsAsync(id, ct)).Where(s => InPeriod(s.SubmittedAt)).ToList();

        // Who was present for which organisation: the representations active on the meeting's day.
        var representations = roster.Representations.ToLookup(r => r.PersonId, StringComparer.Ordinal);
        var presentFor = attendance.Where(a => a.Status == AttendanceStatus.Present)
            .SelectMany(a => representations[a.PersonId].Where(r => r.IsActiveOn(meetingDays[a.MeetingId])).Select(r => (r.OrganizationId, a.MeetingId)))
            .Distinct()
            .ToList();
        var asked = plan.Requests.Where(r => InPeriod(r.SentAt)).ToList();
        bool Answered(FollowUpRequest r) => r.AnsweredAt is { } at && at <= end;

        var names = StringComparer.Create(PageLanguages.Culture(language), ignoreCase: true);
        var view = PlanView.Of(plan, roster, end, names);
        var states = view.Actions.Select(a => a.State).ToList();
        var organizationNames = roster.Organizations.ToDictionary(o => o.Id, o => o.Name, StringComparer.Ordinal);
        var titles = plan.Actions.ToDictionary(a => a.Id, a => a.Title, StringComparer.Ordinal);
        var notes = plan.Updates
            .Where(u => InPeriod(u.At) && (!string.IsNullOrWhiteSpace(u.Done) || !string.IsNullOrWhiteSpace(u.Obstacles) || !string.IsNullOrWhiteSpace(u.HelpNeeded)))
            .ToLookup(u => u.ActionId, StringComparer.Ordinal);
        return new ReportModel
        {
            Partnership = partnership,
            From = from,
            To = to,
            GeneratedOn = Fmt.DayOf(now),
            Figures = new ReportFigures
            {
                Meetings = meetings.Count,
                Present = attendance.Count(a => a.Status == AttendanceStatus.Present),
                Absent = attendance.Count(a => a.Status == AttendanceStatus.Absent),
                Excused = attendance.Count(a => a.Status == AttendanceStatus.Excused),
                OrganizationsPresent = presentFor.Select(p => p.OrganizationId).Distinct(StringComparer.Ordinal).Count(),
                Organizations = roster.Organizations.Count,
                PeoplePresent = attendance.Where(a => a.Status == AttendanceStatus.Present).Select(a => a.PersonId).Distinct(StringComparer.Ordinal).Count(),
                SheetsAsked = asked.Count,
                SheetsAnswered = asked.Count(Answered),
                FormAnswers = submissions.Count,
                Actions = states.Count,
                ActionsDone = states.Count(s => s.Status == ActionStatus.Done),
                ActionsLate = states.Count(s => s.IsLate),
                ActionsOnTrack = states.Count(s => !s.IsLate && s.Status == ActionStatus.OnTrack),
                ActionsNotStarted = states.Count(s => !s.IsLate && s.Status == ActionStatus.NotStarted),
                ActionsAbandoned = states.Count(s => s.Status == ActionStatus.Abandoned),
            },
            Objectives = [.. view.Objectives.Select(o => new ReportObjective(
                o.Objective,
                o.Actions,
                [.. o.Actions.SelectMany(a => notes[a.Action.Id])
                    .OrderBy(u => u.At.UtcDateTime).ThenBy(u => u.Id, StringComparer.Ordinal)
                    .Select(u => new ReportNote(Fmt.DayOf(u.At), titles.GetValueOrDefault(u.ActionId, u.ActionId), u.OrganizationId is { } org ? organizationNames.GetValueOrDefault(org, org) : null, ReportText.Blank(u.Done), ReportText.Blank(u.Obstacles), ReportText.Blank(u.HelpNeeded)))]))],
            Participation = [.. roster.Organizations
                .Select(o => new ReportParticipation(
                    o,
                    presentFor.Count(p => p.OrganizationId == o.Id),
                    states.Count(s => s.Action.IsCarriedBy(o.Id)),
                    asked.Count(r => r.OrganizationId == o.Id),
                    asked.Count(r => r.OrganizationId == o.Id && Answered(r))))
                .OrderBy(p => p.Organization.Name, names)],
        };
    }
}
