using Engagement.Core.Domain;
using Engagement.Functions.Dashboard;

namespace Engagement.Functions.Tests.Dashboard;

/// <summary>What the heatmap says of an organisation at a meeting, and the representation timeline's vacancies.</summary>
public sealed class HeatmapTests
{
    private static Meeting M(string id, int year, int month, int day) =>
        new() { PartnershipId = "p", Id = id, Start = new DateTimeOffset(year, month, day, 13, 30, 0, TimeSpan.FromHours(-5)), End = new DateTimeOffset(year, month, day, 16, 0, 0, TimeSpan.FromHours(-5)) };

    private static Representation R(string organization, string person, DateOnly from, DateOnly? to = null) =>
        new() { PartnershipId = "p", Id = $"{organization}.{person}.{from:yyyyMMdd}", OrganizationId = organization, PersonId = person, From = from, To = to };

    private static Attendance A(string meeting, string person, AttendanceStatus status) =>
        new() { PartnershipId = "p", MeetingId = meeting, PersonId = person, Status = status };

    private static Organization O(string id) => new() { PartnershipId = "p", Id = id, Name = id.ToUpperInvariant() };

    [Fact]
    public void Cells_SayPresentExcusedAbsentVacantAndNotYet_WithThePersonConcerned()
    {
        Meeting[] meetings = [M("m1", 2026, 1, 15), M("m2", 2026, 2, 19), M("m3", 2026, 3, 19), M("m4", 2026, 4, 16)];
        Representation[] seats =
        [
            R("cdc", "marie", new DateOnly(2025, 1, 1), new DateOnly(2026, 2, 28)), // leaves; the seat is vacant in March
            R("cdc", "luc", new DateOnly(2026, 4, 1)),
            R("ville", "jean", new DateOnly(2026, 2, 1)), // joins after the first meeting
        ];
        Attendance[] attendance = [A("m1", "marie", AttendanceStatus.Present), A("m2", "marie", AttendanceStatus.Excused), A("m2", "jean", AttendanceStatus.Present), A("m4", "luc", AttendanceStatus.Present)];

        var rows = Heatmap.Rows([O("cdc"), O("ville")], seats, meetings, attendance, new Dictionary<string, RiskSnapshot>(), id => "name of " + id, StringComparer.Ordinal);

        var cdc = rows.Single(r => r.Organization.Id == "cdc");
        Assert.Equal([SeatStatus.Present, SeatStatus.Excused, SeatStatus.Vacant, SeatStatus.Present], cdc.Cells.Select(c => c.Status));
        Assert.Equal(["name of marie", "name of marie", null, "name of luc"], cdc.Cells.Select(c => c.Person));
        Assert.Equal(new DateOnly(2026, 4, 16), cdc.LastPresent);

        // Jean is not recorded at m3 and m4: expected, not there — absent, under his name.
        var ville = rows.Single(r => r.Organization.Id == "ville");
        Assert.Equal([SeatStatus.NotYet, SeatStatus.Present, SeatStatus.Absent, SeatStatus.Absent], ville.Cells.Select(c => c.Status));
        Assert.Equal("name of jean", ville.Cells[3].Person);
    }

    [Fact]
    public void Rows_AreOrderedByRisk_ThenByName()
    {
        RiskSnapshot Score(string organization, double probability) => new()
        {
            PartnershipId = "p", OrganizationId = organization, AsOfDate = new DateOnly(2026, 5, 1), ScoredAt = new DateTimeOffset(2026, 5, 1, 6, 0, 0, TimeSpan.Zero),
            Probability = probability, Band = probability > 0.5 ? "high" : "low", ModelVersion = "m",
        };

        var rows = Heatmap.Rows([O("a"), O("b"), O("c"), O("d")], [], [M("m1", 2026, 1, 15)], [],
            new Dictionary<string, RiskSnapshot> { ["c"] = Score("c", 0.8), ["b"] = Score("b", 0.2) }, id => id, StringComparer.Ordinal);

        Assert.Equal(["c", "b", "a", "d"], rows.Select(r => r.Organization.Id));
        Assert.All(rows, r => Assert.Equal(SeatStatus.NotYet, r.Cells[0].Status)); // never represented
    }

    [Fact]
    public void Timeline_ShowsGapsBetweenRepresentatives_AndASeatLeftVacant()
    {
        var today = new DateOnly(2026, 11, 30);
        Representation[] seats =
        [
            R("cdc", "marie", new DateOnly(2025, 1, 1), new DateOnly(2025, 6, 30)),
            R("cdc", "luc", new DateOnly(2025, 9, 1), new DateOnly(2026, 3, 31)),
            R("cdc", "ana", new DateOnly(2026, 1, 1), new DateOnly(2026, 8, 31)), // overlaps Luc: no gap between them
            R("ville", "jean", new DateOnly(2025, 1, 1)),
        ];

        var lines = RepresentationTimeline.Lines([O("cdc"), O("ville"), O("new")], seats, id => id, today);

        var cdc = lines[0].Periods;
        Assert.Equal(["marie", null, "luc", "ana", null], cdc.Select(p => p.Person));
        Assert.Equal((new DateOnly(2025, 7, 1), new DateOnly(2025, 8, 31)), (cdc[1].From, cdc[1].To!.Value));
        Assert.Equal((new DateOnly(2026, 9, 1), (DateOnly?)null), (cdc[4].From, cdc[4].To)); // vacant since Ana left
        Assert.Single(lines[1].Periods); // Jean still sits
        Assert.Empty(lines[2].Periods); // never represented
    }
}
