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
