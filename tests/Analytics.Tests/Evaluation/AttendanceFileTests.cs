using Engagement.Analytics.Evaluation;
using Engagement.Core.Domain;

namespace Engagement.Analytics.Tests.Evaluation;

public sealed class AttendanceFileTests
{
    private const string Header = "partnership,organization,person,meeting_id,meeting_start,present\n";

    [Fact]
    public void Read_NewPersonForAnOrganisation_IsARepresentativeChange()
    {
        var histories = AttendanceFile.Read(new StringReader(Header +
            "tq,cdc,marie,m1,2026-01-15T18:00:00-05:00,1\n" +
            "tq,cdc,marie,m2,2026-02-19T18:00:00-05:00,Y\n" +
            "tq,cdc,luc,m3,2026-03-19T18:00:00-04:00,true\n" +
            "tq,ville,jean,m1,2026-01-15T18:00:00-05:00,0\n"));

        var history = Assert.Single(histories);
        Assert.Equal(3, history.Meetings.Count);
        var cdc = history.Representations.Where(r => r.OrganizationId == "cdc").OrderBy(r => r.From).ToList();
        Assert.Equal(["marie", "luc"], cdc.Select(r => r.PersonId));
        Assert.Equal(new DateOnly(2026, 3, 18), cdc[0].To);
        Assert.Null(cdc[1].To);
        Assert.Equal(AttendanceStatus.Absent, history.Attendance.Single(a => a.PersonId == "jean").Status);
    }

    [Fact]
    public void Read_MeetingStartDiffersAcrossRows_TakesTheEarliestAndWarnsOnce()
    {
        var warnings = new List<string>();
        var histories = AttendanceFile.Read(new StringReader(Header +
            "tq,cdc,marie,m1,2026-01-15T18:30:00-05:00,1\n" +
            "tq,ville,jean,m1,2026-01-15T18:00:00-05:00,0\n" +
            "tq,rue,ana,m1,2026-01-15T19:00:00-05:00,1\n" +
            "tq,cdc,marie,m2,2026-02-19T18:00:00-05:00,1\n"), warnings.Add);

        var meeting = Assert.Single(histories).Meetings.Single(m => m.Id == "m1");
        Assert.Equal(new DateTimeOffset(2026, 1, 15, 18, 0, 0, TimeSpan.FromHours(-5)), meeting.Start);
        Assert.Equal(2, warnings.Count);
        Assert.StartsWith("row 3: meeting m1 of tq", warnings[0], StringComparison.Ordinal);
        Assert.StartsWith("2 row(s) gave a meeting another start", warnings[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Read_FactAttendanceExport_KeepsRegretsUsesTheDayAndLeavesOutRowsWithoutOrganization()
    {
        var warnings = new List<string>();
        var histories = AttendanceFile.Read(new StringReader(
            "partnership_key,meeting_key,person_key,organization_key,date_key,status,present,seconds_attended\n" +
            "tq,tq:m1,k1,tq:cdc,20260115,present,1,\n" +
            "tq,tq:m1,k2,tq:ville,20260115,excused,0,\n" +
            "tq,tq:m1,k3,,20260115,present,1,\n" +
            "tq,tq:m2,k1,tq:cdc,20260219,absent,0,3600\n"), warnings.Add);

        var history = Assert.Single(histories);
        Assert.Equal([new DateTimeOffset(2026, 1, 15, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 2, 19, 0, 0, 0, TimeSpan.Zero)], history.Meetings.OrderBy(m => m.Start).Select(m => m.Start));
        Assert.Equal(AttendanceStatus.Excused, history.Attendance.Single(a => a.PersonId == "k2").Status);
        Assert.Equal(AttendanceStatus.Absent, history.Attendance.Single(a => a.PersonId == "k1" && a.MeetingId == "tq:m2").Status);
        Assert.DoesNotContain(history.Attendance, a => a.PersonId == "k3");
        Assert.Equal(["tq:cdc", "tq:ville"], history.Organizations.Select(o => o.Id).Order(StringComparer.Ordinal));
        Assert.Equal("1 row(s) without organization_key (people who represented no organisation) were left out", Assert.Single(warnings));
    }

    [Theory]
    [InlineData("partnership_key,meeting_key,person_key,organization_key,date_key,status\ntq,tq:m1,k1,tq:cdc,2026-01-15,present\n", "row 2, column date_key")]
    [InlineData("partnership_key,meeting_key,person_key,organization_key,date_key,status\ntq,tq:m1,k1,tq:cdc,20260115,late\n", "row 2, column status")]
    [InlineData("partnership_key,meeting_key,person_key,date_key,status\ntq,tq:m1,k1,20260115,present\n", "row 1, column organization_key")]
    public void Read_BadFactAttendance_NamesTheRowAndColumn(string file, string expected)
    {
        var error = Assert.Throws<AttendanceFileException>(() => AttendanceFile.Read(new StringReader(file)));
        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("partnership,organization,person,meeting_id,present\ntq,cdc,marie,m1,1\n", "row 1, column meeting_start")]
    [InlineData(Header + "tq,cdc,marie,m1,next tuesday,1\n", "row 2, column meeting_start")]
    [InlineData(Header + "tq,cdc,marie,m1,2026-01-15T18:00:00-05:00,1\ntq,cdc,luc,m1,2026-01-15T18:00:00-05:00,maybe\n", "row 3, column present")]
    [InlineData(Header + "tq,,marie,m1,2026-01-15T18:00:00-05:00,1\n", "row 2, column organization")]
    [InlineData("", "row 1, column header")]
    [InlineData(Header, "row 2")]
    public void Read_BadFile_NamesTheRowAndColumn(string file, string expected)
    {
        var error = Assert.Throws<AttendanceFileException>(() => AttendanceFile.Read(new StringReader(file)));
        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }
}
