using Engagement.Core.Domain;

namespace Engagement.Analytics.Tests.Features;

/// <summary>Small hand-made histories: monthly meetings, one representative per organisation, attendance as a pattern.</summary>
internal static class Histories
{
    public static readonly DateOnly FirstMeeting = new(2025, 1, 15);

    public static DateTimeOffset MeetingStart(int index) =>
        new(FirstMeeting.AddMonths(index).ToDateTime(new TimeOnly(18, 0)), TimeSpan.FromHours(-5));

    /// <summary>
    /// One partnership; each pattern is an organisation's attendance, one letter per meeting: P present, A absent,
    /// E excused, - no record.
    /// </summary>
    public static PartnershipHistory Build(params string[] patterns)
    {
        var meetings = Enumerable.Range(0, patterns.Max(p => p.Length)).Select(i => new Meeting
        {
            PartnershipId = "p",
            Id = $"m{i:D2}",
            Start = MeetingStart(i),
            End = MeetingStart(i).AddHours(2),
        }).ToList();
        var organizations = patterns.Select((_, o) => new Organization { PartnershipId = "p", Id = $"org{o}", Name = $"Organisation {o}" }).ToList();
        var representations = patterns.Select((_, o) => new Representation
        {
            PartnershipId = "p",
            Id = $"rep{o}",
            OrganizationId = $"org{o}",
            PersonId = $"person{o}",
            From = FirstMeeting.AddDays(-30),
        }).ToList();
        var attendance = new List<Attendance>();
        for (var o = 0; o < patterns.Length; o++)
        {
            for (var i = 0; i < patterns[o].Length; i++)
            {
                var status = patterns[o][i] switch { 'P' => AttendanceStatus.Present, 'A' => AttendanceStatus.Absent, 'E' => AttendanceStatus.Excused, _ => (AttendanceStatus?)null };
                if (status is { } s)
                {
                    attendance.Add(new Attendance { PartnershipId = "p", MeetingId = meetings[i].Id, PersonId = $"person{o}", Status = s });
                }
            }
        }

        return new PartnershipHistory
        {
            Partnership = new Partnership { Id = "p", Name = "Table" },
            Organizations = organizations,
            Representations = representations,
            Meetings = meetings,
            Attendance = attendance,
        };
    }
}
