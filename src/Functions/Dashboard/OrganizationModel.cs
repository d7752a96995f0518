using System.Security.Claims;
using Engagement.Core.Alerts;
using Engagement.Core.Domain;

namespace Engagement.Functions.Dashboard;

/// <summary>One meeting as the organisation lived it: the day, its title, the organisation's status and who it is about.</summary>
public sealed record OrganizationMeeting(HeatColumn Meeting, HeatCell Cell);

/// <summary>A form one of the organisation's representatives answered while representing it.</summary>
public sealed record AnsweredForm(DateOnly Day, string FormId, FormKind Kind, string Person);

/// <summary>Everything the organisation page shows, read once from the stores.</summary>
public sealed record OrganizationModel
{
    public required Partnership Partnership { get; init; }
    public required Organization Organization { get; init; }
    public required DashboardPeriod Period { get; init; }
    public required DateOnly From { get; init; }
    public RiskSnapshot? Latest { get; init; }
    public required IReadOnlyList<DatedValue> Risk { get; init; }

    /// <summary>Scores whose band or reasons differ from the previous one's, newest first: how the reasons evolved.</summary>
    public required IReadOnlyList<RiskSnapshot> ReasonsHistory { get; init; }
    public required IReadOnlyList<OrganizationMeeting> Meetings { get; init; }
    public required SeatLine Seat { get; init; }
    public required IReadOnlyList<AnsweredForm> Forms { get; init; }
    public required IReadOnlyList<AlertLine> Alerts { get; init; }

    /// <summary>The actions of the plan it carries, as lead or partner, with its follow-up sheets.</summary>
    public required IReadOnlyList<PlanActionLine> Actions { get; init; }
    public bool CanAct { get; init; }
    public (string Name, string Value)? Antiforgery { get; init; }

    internal static async Task<OrganizationModel?> ReadAsync(Partnership partnership, string organizationId, ClaimsPrincipal user, EngagementReaders stores, byte[] personKeySecret, DateTimeOffset now, DashboardPeriod period, CancellationToken ct)
    {
        var today = Fmt.DayOf(now);
        var roster = await stores.Roster.GetRosterAsync(partnership.Id, ct);
        if (roster.Organizations.FirstOrDefault(o => o.Id == organizationId) is not { } organization)
        {
            return null;
        }

        var person = PersonLabels.For(user, partnership.Id, personKeySecret, roster.People);
        var allMeetings = (await stores.Attendance.ListMeetingsAsync(partnership.Id, ct)).Where(m => !m.Meeting.Cancelled).Select(m => m.Meeting).ToList();
        var from = period == DashboardPeriod.All ? allMeetings.Select(m => Fmt.DayOf(m.Start)).DefaultIfEmpty(today).Min() : today.AddMonths(-(int)period);
        var meetings = allMeetings.Where(m => Fmt.DayOf(m.Start) >= from && m.Start <= now).ToList();
        var ids = meetings.Select(m => m.Id).ToHashSet(StringComparer.Ordinal);
        var attendance = (await stores.Attendance.ListAttendanceAsync(partnership.Id, ct)).Where(a => ids.Contains(a.MeetingId)).ToList();
        var representations = roster.Representations.Where(r => r.OrganizationId == organizationId).ToList();
        var row = Heatmap.Rows([organization], representations, meetings, attendance, new Dictionary<string, RiskSnapshot>(), person, StringComparer.Ordinal)[0];
        var history = await stores.Risk.ListOrganizationSnapshotsAsync(partnership.Id, organizationId, from.AddDays(-1), today.AddDays(1), ct);
        return new OrganizationModel
        {
            Partnership = partnership,
            Organization = organization,
            Period = period,
            From = from,
            Latest = history.LastOrDefault(),
            Risk = Series.Thin([.. history.Select(s => new DatedValue(Fmt.DayOf(s.ScoredAt), s.Probability))], 120),
            ReasonsHistory = [.. history.Where((s, i) => i == 0 || s.Band != history[i - 1].Band || !s.Reasons.Select(r => r.English).SequenceEqual(history[i - 1].Reasons.Select(r => r.English))).Reverse().Take(12)],
            Meetings = [.. meetings.Select((m, i) => new OrganizationMeeting(new HeatColumn(m.Id, Fmt.DayOf(m.Start), m.Title), row.Cells[i])).Reverse()],
            Seat = RepresentationTimeline.Lines([organization], representations, person, today)[0],
            Forms = Answered(await stores.Forms.ListFormSubmissionsAsync(partnership.Id, ct), representations, person),
            Alerts = [.. (await stores.Alerts.ListAlertsAsync(partnership.Id, ct)).Where(a => a.OrganizationId == organizationId && a.Status != AlertStatus.Resolved).Select(a => new AlertLine(a, organization.Name))],
            Actions = [.. PlanView.Of(await stores.ActionPlans.GetPlanAsync(partnership.Id, ct), roster, now, StringComparer.Ordinal).Actions.Where(a => a.Action.IsCarriedBy(organizationId))],
            CanAct = user.IsInRole(Security.Roles.Coordinator) || user.IsInRole(Security.Roles.Admin),
        };
    }

    /// <summary>Submissions by someone who represented the organisation on the day they answered, newest first.</summary>
    private static List<AnsweredForm> Answered(IReadOnlyList<FormSubmission> submissions, List<Representation> representations, Func<string, string> person) =>
        [.. submissions.Where(s => s.RespondentPersonId is not null)
            .Select(s => (Submission: s, Day: Fmt.DayOf(s.SubmittedAt)))
            .Where(x => representations.Any(r => r.PersonId == x.Submission.RespondentPersonId && r.IsActiveOn(x.Day)))
            .OrderByDescending(x => x.Submission.SubmittedAt)
            .Select(x => new AnsweredForm(x.Day, x.Submission.FormId, x.Submission.Kind, person(x.Submission.RespondentPersonId!)))];
}
