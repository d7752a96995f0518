using Engagement.Core.Domain;

namespace Engagement.Analytics.Tests.Synthetic;

/// <summary>Attendance of each organisation at each meeting of one history: −1 no row (vacant seat), 0 absent or excused, 1 present.</summary>
internal static class OrganizationAttendance
{
    public static Dictionary<string, sbyte[]> Of(PartnershipHistory history)
    {
        var organizationOf = history.Representations.ToDictionary(r => r.PersonId, r => r.OrganizationId, StringComparer.Ordinal);
        var meetingIndex = history.Meetings.Select((m, i) => (m.Id, i)).ToDictionary(e => e.Id, e => e.i, StringComparer.Ordinal);
        var result = history.Organizations.ToDictionary(o => o.Id, _ => Enumerable.Repeat((sbyte)-1, history.Meetings.Count).ToArray(), StringComparer.Ordinal);
        foreach (var attendance in history.Attendance)
        {
            result[organizationOf[attendance.PersonId]][meetingIndex[attendance.MeetingId]] = attendance.Status == AttendanceStatus.Present ? (sbyte)1 : (sbyte)0;
        }

        return result;
    }

    /// <summary>Present rows and all rows of the given meetings.</summary>
    public static (int Present, int Rows) Count(sbyte[] attendance, IEnumerable<int> meetings)
    {
        var present = 0;
        var rows = 0;
        foreach (var j in meetings)
        {
            if (j < 0 || j >= attendance.Length || attendance[j] < 0)
            {
                continue;
            }

            rows++;
            present += attendance[j];
        }

        return (present, rows);
    }

    public static DateOnly Day(Meeting meeting) => DateOnly.FromDateTime(meeting.Start.DateTime);
}
