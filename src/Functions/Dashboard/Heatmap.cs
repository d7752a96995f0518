using Engagement.Core.Domain;

namespace Engagement.Functions.Dashboard;

/// <summary>What the heatmap shows for one organisation at one meeting.</summary>
public enum SeatStatus
{
    /// <summary>One of its representatives was there.</summary>
    Present,

    /// <summary>None was there, and one sent regrets.</summary>
    Excused,

    /// <summary>It had a representative, who did not come (recorded absent, or not recorded at all).</summary>
    Absent,

    /// <summary>It had no representative that day: the seat was vacant.</summary>
    Vacant,

    /// <summary>Before its first representative: not yet at the table.</summary>
    NotYet,
}

/// <summary>One cell: the status and the person it is about (who came, who sent regrets, who was expected).</summary>
public readonly record struct HeatCell(SeatStatus Status, string? Person);

/// <summary>One meeting, a column of the heatmap.</summary>
public sealed record HeatColumn(string MeetingId, DateOnly Day, string? Title);

/// <summary>One organisation, a row of the heatmap, with the day it was last present.</summary>
public sealed record HeatRow(Organization Organization, RiskSnapshot? Latest, IReadOnlyList<HeatCell> Cells, DateOnly? LastPresent);

/// <summary>
/// The attendance heatmap: organisations × meetings. An organisation is present at a meeting when one of the people
/// representing it that day was recorded present; excused when none was and one sent regrets; absent when it had a
/// representative who did not come; vacant when nobody represented it that day.
/// </summary>
internal static class Heatmap
{
    /// <summary>A status's class in the style sheet: its colour, and the symbol that says the same without colour.</summary>
    public static string Status(SeatStatus status) => status switch
    {
        SeatStatus.Present => "p",
        SeatStatus.Excused => "e",
        SeatStatus.Absent => "a",
        SeatStatus.Vacant => "v",
        _ => "n",
    };

    /// <summary>A status drawn outside the heatmap (a legend, a list): the cell's look in a span.</summary>
    public static string Class(SeatStatus status) => "c " + Status(status);

    public static IReadOnlyList<HeatRow> Rows(
        IReadOnlyList<Organization> organizations, IReadOnlyList<Representation> representations, IReadOnlyList<Meeting> meetings,
        IReadOnlyList<Attendance> attendance, IReadOnlyDictionary<string, RiskSnapshot> latest, Func<string, string> person, StringComparer names)
    {
        var status = new Dictionary<(string Meeting, string Person), AttendanceStatus>();
        foreach (var record in attendance)
        {
            status[(record.MeetingId, record.PersonId)] = record.Status;
        }

        var days = meetings.Select(m => Fmt.DayOf(m.Start)).ToArray();
        var byOrganization = representations.ToLookup(r => r.OrganizationId, StringComparer.Ordinal);
        var rows = new List<HeatRow>(organizations.Count);
        foreach (var organization in organizations)
        {
            var seats = byOrganization[organization.Id].ToList();
            var first = seats.Count == 0 ? (DateOnly?)null : seats.Min(r => r.From);
            var cells = new HeatCell[meetings.Count];
            DateOnly? lastPresent = null;
            for (var m = 0; m < meetings.Count; m++)
            {
                cells[m] = Cell(meetings[m].Id, days[m], seats, first, status, person);
                lastPresent = cells[m].Status == SeatStatus.Present ? days[m] : lastPresent;
            }

            rows.Add(new HeatRow(organization, latest.GetValueOrDefault(organization.Id), cells, lastPresent));
        }

        return [.. rows.OrderByDescending(r => r.Latest?.Probability ?? -1).ThenBy(r => r.Organization.Name, names)];
    }

    private static HeatCell Cell(string meetingId, DateOnly day, List<Representation> seats, DateOnly? first, Dictionary<(string, string), AttendanceStatus> status, Func<string, string> person)
    {
        if (first is null || day < first)
        {
            return new HeatCell(SeatStatus.NotYet, null);
        }

        string? expected = null, excused = null;
        foreach (var seat in seats)
        {
            if (!seat.IsActiveOn(day))
            {
                continue;
            }

            switch (status.TryGetValue((meetingId, seat.PersonId), out var s) ? s : AttendanceStatus.Absent)
            {
                case AttendanceStatus.Present:
                    return new HeatCell(SeatStatus.Present, person(seat.PersonId));
                case AttendanceStatus.Excused:
                    excused ??= seat.PersonId;
                    break;
                default:
                    expected ??= seat.PersonId;
                    break;
            }
        }

        return excused is not null ? new HeatCell(SeatStatus.Excused, person(excused))
            : expected is not null ? new HeatCell(SeatStatus.Absent, person(expected))
            : new HeatCell(SeatStatus.Vacant, null);
    }
}
