using System.Security.Claims;
using Engagement.Core.Alerts;
using Engagement.Core.Domain;
using Engagement.Core.Storage;
using Engagement.Functions.Security;

namespace Engagement.Functions.Dashboard;

/// <summary>One partnership's line on the overview.</summary>
public sealed record OverviewRow(Partnership Partnership, RiskSnapshot? Latest, IReadOnlyList<double> Attendance, SnapshotReason? MainReason)
{
    /// <summary>The share of people present over its last 12 meetings, or null without any.</summary>
    public double? AttendanceShare => Attendance.Count == 0 ? null : Attendance.Average();
}

/// <summary>The overview's cards: what a coordinator checks first.</summary>
public sealed record OverviewCards(int Partnerships, int HighRisk, int Organizations, int OrganizationsAtRisk, int OpenAlerts, int Unacknowledged, int VacantSeats, double? AttendanceQuarter, double? AttendanceYear);

/// <summary>How the overview's table is sorted (<c>?sort=risk|name|scored|attendance&amp;dir=asc|desc</c>).</summary>
public enum OverviewSort
{
    Risk,
    Name,
    Scored,
    Attendance,
}

/// <summary>The overview page's data, read from the stores for the partnerships a key may see.</summary>
public sealed record OverviewModel(OverviewCards Cards, IReadOnlyList<OverviewRow> Rows, OverviewSort Sort, bool Descending)
{
    private const int SparklineMeetings = 12;

    internal static OverviewSort SortOf(HttpRequest request, out bool descending)
    {
        var sort = request.Query["sort"].FirstOrDefault() switch
        {
            "name" => OverviewSort.Name,
            "scored" => OverviewSort.Scored,
            "attendance" => OverviewSort.Attendance,
            _ => OverviewSort.Risk,
        };
        descending = request.Query["dir"].FirstOrDefault() switch
        {
            "asc" => false,
            "desc" => true,
            _ => sort != OverviewSort.Name,
        };
        return sort;
    }

    internal static async Task<OverviewModel> ReadAsync(ClaimsPrincipal user, EngagementReaders stores, DateOnly today, OverviewSort sort, bool descending, PartnershipLanguage language, CancellationToken ct)
    {
        var rows = new List<OverviewRow>();
        int high = 0, organizations = 0, atRisk = 0, open = 0, unacknowledged = 0, vacant = 0;
        int quarterPresent = 0, quarterRecorded = 0, yearPresent = 0, yearRecorded = 0;
        foreach (var partnership in (await stores.Partnerships.ListPartnershipsAsync(ct)).Where(p => user.CanAccess(p.Id)))
        {
            // The scores as points (a year of daily scores is thousands of snapshots); the reasons of the latest whole score only.
            var points = await stores.Risk.ListRiskPointsAsync(partnership.Id, today.AddDays(-400), today.AddDays(1), ct);
            var latestWhole = points.LastOrDefault(p => p.OrganizationId is null);
            var whole = latestWhole is null ? null
                : (await stores.Risk.ListRiskSnapshotsAsync(partnership.Id, latestWhole.AsOfDate, latestWhole.AsOfDate, ct)).FirstOrDefault(s => s.OrganizationId is null);
            var latestByOrganization = points.Where(p => p.OrganizationId is not null).GroupBy(p => p.OrganizationId!).Select(g => g.Last()).ToList();
            var roster = await stores.Roster.GetRosterAsync(partnership.Id, ct);
            var alerts = (await stores.Alerts.ListAlertsAsync(partnership.Id, ct)).Where(a => a.Status != AlertStatus.Resolved).ToList();
            var meetings = (await stores.Attendance.ListMeetingsAsync(partnership.Id, ct)).Where(m => !m.Meeting.Cancelled && m.Present + m.Absent + m.Excused > 0).ToList();

            high += whole?.Band == "high" ? 1 : 0;
            organizations += roster.Organizations.Count;
            atRisk += latestByOrganization.Count(s => s.Band is "high" or "medium");
            open += alerts.Count;
            unacknowledged += alerts.Count(a => a.Status == AlertStatus.Open);
            vacant += roster.Organizations.Count(o => !roster.Representations.Any(r => r.OrganizationId == o.Id && r.IsActiveOn(today)));
            foreach (var m in meetings)
            {
                var day = Fmt.DayOf(m.Meeting.Start);
                if (day > today || day <= today.AddMonths(-12))
                {
                    continue;
                }

                yearPresent += m.Present;
                yearRecorded += m.Present + m.Absent + m.Excused;
                if (day > today.AddMonths(-3))
                {
                    quarterPresent += m.Present;
                    quarterRecorded += m.Present + m.Absent + m.Excused;
                }
            }

            rows.Add(new OverviewRow(partnership, whole, [.. meetings.TakeLast(SparklineMeetings).Select(m => m.Present / (double)(m.Present + m.Absent + m.Excused))], whole?.Reasons.FirstOrDefault()));
        }

        var cards = new OverviewCards(rows.Count, high, organizations, atRisk, open, unacknowledged, vacant,
            quarterRecorded == 0 ? null : quarterPresent / (double)quarterRecorded, yearRecorded == 0 ? null : yearPresent / (double)yearRecorded);
        return new OverviewModel(cards, Sorted(rows, sort, descending, language), sort, descending);
    }

    private static List<OverviewRow> Sorted(List<OverviewRow> rows, OverviewSort sort, bool descending, PartnershipLanguage language)
    {
        var names = StringComparer.Create(PageLanguages.Culture(language), ignoreCase: true);
        IOrderedEnumerable<OverviewRow> ordered = sort switch
        {
            OverviewSort.Name => descending ? rows.OrderByDescending(r => r.Partnership.Name, names) : rows.OrderBy(r => r.Partnership.Name, names),
            OverviewSort.Scored => descending ? rows.OrderByDescending(r => r.Latest?.AsOfDate) : rows.OrderBy(r => r.Latest?.AsOfDate),
            OverviewSort.Attendance => descending ? rows.OrderByDescending(r => r.AttendanceShare ?? -1) : rows.OrderBy(r => r.AttendanceShare ?? 2),
            _ => descending ? rows.OrderByDescending(r => r.Latest?.Probability ?? -1) : rows.OrderBy(r => r.Latest?.Probability ?? 2),
        };
        return [.. ordered.ThenBy(r => r.Partnership.Name, names)];
    }
}

/// <summary>The stores the dashboard reads, as one parameter.</summary>
internal sealed record EngagementReaders(IPartnershipStore Partnerships, IRosterStore Roster, IAttendanceStore Attendance, IFormStore Forms, IRiskStore Risk, IAlertStore Alerts, IActionPlanStore ActionPlans);
