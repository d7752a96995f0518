using System.Security.Claims;
using Engagement.Core.Alerts;
using Engagement.Core.Domain;
using Engagement.Functions.Security;

namespace Engagement.Functions.Dashboard;

/// <summary>The period the partnership page looks at (<c>?period=6|12|24|all</c>, 12 months by default).</summary>
public enum DashboardPeriod
{
    Months6 = 6,
    Months12 = 12,
    Months24 = 24,
    All = 0,
}

/// <summary>An open or acknowledged alert, with the name of what it is about.</summary>
public sealed record AlertLine(Alert Alert, string Subject);

/// <summary>One organisation's risk over the period (its small multiple) and its latest score with the reasons.</summary>
public sealed record RiskTrajectory(Organization Organization, IReadOnlyList<RiskPoint> History, RiskSnapshot? Latest);

/// <summary>A point of a dated line chart.</summary>
public readonly record struct DatedValue(DateOnly Day, double Value, string? Note = null);

/// <summary>Everything the partnership page shows, read once from the stores.</summary>
public sealed record PartnershipModel
{
    public required Partnership Partnership { get; init; }
    public required DashboardPeriod Period { get; init; }
    public required DateOnly From { get; init; }
    public RiskSnapshot? Whole { get; init; }
    public required IReadOnlyList<DatedValue> WholeRisk { get; init; }
    public required IReadOnlyList<DatedValue> AttendanceShares { get; init; }
    public required IReadOnlyList<HeatColumn> Columns { get; init; }

    /// <summary>Meetings of the last week and the next two months: their sign-in sheets.</summary>
    public required IReadOnlyList<Meeting> Soon { get; init; }
    public required IReadOnlyList<HeatRow> Rows { get; init; }
    public required IReadOnlyList<RiskTrajectory> Trajectories { get; init; }
    public required IReadOnlyList<SeatLine> Seats { get; init; }
    public required IReadOnlyList<AlertLine> Alerts { get; init; }
    public required DiagnosticWheel Wheel { get; init; }

    /// <summary>The action plan today: objectives, actions, who carries what, sheets not answered.</summary>
    public required PlanView Plan { get; init; }

    /// <summary>Whether the key may act here (acknowledge, resolve, switch e-mails): coordinator or admin.</summary>
    public bool CanAct { get; init; }

    /// <summary>The antiforgery field the page's forms post back, when <see cref="CanAct"/>.</summary>
    public (string Name, string Value)? Antiforgery { get; init; }

    /// <summary>Daily scores over two years are drawn with fewer points: the page stays light, the shape stays true.</summary>
    private const int MaxRiskPoints = 120, MaxTrajectoryPoints = 30;

    internal static DashboardPeriod PeriodOf(HttpRequest request) => request.Query["period"].FirstOrDefault() switch
    {
        "6" => DashboardPeriod.Months6,
        "24" => DashboardPeriod.Months24,
        "all" => DashboardPeriod.All,
        _ => DashboardPeriod.Months12,
    };

    internal static async Task<PartnershipModel> ReadAsync(Partnership partnership, ClaimsPrincipal user, EngagementReaders stores, byte[] personKeySecret, DateTimeOffset now, DashboardPeriod period, PartnershipLanguage language, CancellationToken ct)
    {
        var today = Fmt.DayOf(now);
        var id = partnership.Id;
        var roster = await stores.Roster.GetRosterAsync(id, ct);
        var allMeetings = (await stores.Attendance.ListMeetingsAsync(id, ct)).Where(m => !m.Meeting.Cancelled).ToList();
        var from = period == DashboardPeriod.All
            ? allMeetings.Select(m => Fmt.DayOf(m.Meeting.Start)).DefaultIfEmpty(today).Min()
            : today.AddMonths(-(int)period);
        // Meetings still to come have no attendance yet: they are listed for their sign-in, not drawn as absences.
        var meetings = allMeetings.Where(m => Fmt.DayOf(m.Meeting.Start) >= from && m.Meeting.Start <= now).ToList();
        // The scores of the period as points (a year of daily scores is thousands), the reasons of the latest day only.
        var points = await stores.Risk.ListRiskPointsAsync(id, from.AddDays(-1), today.AddDays(1), ct);
        var latestSnapshots = points.Count == 0 ? [] : await stores.Risk.ListRiskSnapshotsAsync(id, points[^1].AsOfDate, points[^1].AsOfDate, ct);
        var latest = latestSnapshots.Where(s => s.OrganizationId is not null).ToDictionary(s => s.OrganizationId!, StringComparer.Ordinal);
        var person = PersonLabels.For(user, id, personKeySecret, roster.People);
        var names = StringComparer.Create(PageLanguages.Culture(language), ignoreCase: true);
        var meetingIds = meetings.Select(m => m.Meeting.Id).ToHashSet(StringComparer.Ordinal);
        var attendance = (await stores.Attendance.ListAttendanceAsync(id, ct)).Where(a => meetingIds.Contains(a.MeetingId)).ToList();
        var organizationNames = roster.Organizations.ToDictionary(o => o.Id, o => o.Name, StringComparer.Ordinal);
        var history = points.Where(s => s.OrganizationId is not null).ToLookup(s => s.OrganizationId!, StringComparer.Ordinal);
        return new PartnershipModel
        {
            Partnership = partnership,
            Period = period,
            From = from,
            Whole = latestSnapshots.FirstOrDefault(s => s.OrganizationId is null),
            WholeRisk = Series.Thin([.. points.Where(s => s.OrganizationId is null).Select(s => new DatedValue(Fmt.DayOf(s.ScoredAt), s.Probability))], MaxRiskPoints),
            AttendanceShares = [.. meetings.Where(m => m.Present + m.Absent + m.Excused > 0)
                .Select(m => new DatedValue(Fmt.DayOf(m.Meeting.Start), m.Present / (double)(m.Present + m.Absent + m.Excused), m.Meeting.Title))],
            Soon = [.. allMeetings.Select(m => m.Meeting).Where(m => Fmt.DayOf(m.Start) >= today.AddDays(-7) && Fmt.DayOf(m.Start) <= today.AddDays(60))],
            Columns = [.. meetings.Select(m => new HeatColumn(m.Meeting.Id, Fmt.DayOf(m.Meeting.Start), m.Meeting.Title))],
            Rows = Heatmap.Rows(roster.Organizations, roster.Representations, [.. meetings.Select(m => m.Meeting)], attendance, latest, person, names),
            Trajectories = [.. roster.Organizations.Select(o => new RiskTrajectory(o, Series.Thin([.. history[o.Id]], MaxTrajectoryPoints), latest.GetValueOrDefault(o.Id)))
                .OrderByDescending(t => t.Latest?.Probability ?? -1).ThenBy(t => t.Organization.Name, names)],
            Seats = RepresentationTimeline.Lines([.. roster.Organizations.OrderBy(o => o.Name, names)], roster.Representations, person, today),
            Alerts = [.. (await stores.Alerts.ListAlertsAsync(id, ct)).Where(a => a.Status != AlertStatus.Resolved).OrderByDescending(a => a.Probability)
                .Select(a => new AlertLine(a, a.OrganizationId is { } o ? organizationNames.GetValueOrDefault(o, o) : partnership.Name))],
            Wheel = DiagnosticWheel.Of(roster, await stores.Forms.ListFormSubmissionsAsync(id, ct)),
            Plan = PlanView.Of(await stores.ActionPlans.GetPlanAsync(id, ct), roster, now, names),
            CanAct = user.IsInRole(Roles.Coordinator) || user.IsInRole(Roles.Admin),
        };
    }
}

/// <summary>
/// How a person is shown: their name (or id) to those who may see who people are (coordinator, admin, or the
/// <c>pii</c> role), else the pseudonymous key of the exports (its first 8 digits, so a chart can be matched with
/// Power BI).
/// </summary>
internal static class PersonLabels
{
    public static bool ShowsNames(ClaimsPrincipal user) => user.IsInRole(Roles.Coordinator) || user.IsInRole(Roles.Admin) || user.IsInRole(Roles.Pii);

    public static Func<string, string> For(ClaimsPrincipal user, string partnershipId, byte[] personKeySecret, IReadOnlyList<Person> people)
    {
        if (ShowsNames(user))
        {
            var named = people.Where(p => !string.IsNullOrWhiteSpace(p.DisplayName)).ToDictionary(p => p.Id, p => p.DisplayName!, StringComparer.Ordinal);
            return id => named.GetValueOrDefault(id, id);
        }

        return id => Exports.ExportContext.Of(personKeySecret, partnershipId, id)[..8];
    }
}
