using Engagement.Analytics.Synthetic;
using Engagement.Core.Domain;
using Engagement.Core.Validation;

namespace Engagement.Analytics.Tests.Synthetic;

public class SyntheticCsvTests
{
    [Fact]
    public void ToAttendanceCsv_Dataset_HeaderThenOneRowPerAttendance()
    {
        var dataset = SyntheticGenerator.Generate(new SyntheticOptions { Seed = 3, Partnerships = 4 });

        var lines = SyntheticGenerator.ToAttendanceCsv(dataset).Split('\n');

        Assert.Equal("partnership,organization,person,meeting_id,meeting_start,present", lines[0]);
        Assert.Equal(string.Empty, lines[^1]);
        Assert.Equal(dataset.Partnerships.Sum(p => p.Attendance.Count), lines.Length - 2);
    }

    [Fact]
    public void ToAttendanceCsv_Rows_MatchTheRecords()
    {
        var dataset = SyntheticGenerator.Generate(new SyntheticOptions { Seed = 3, Partnerships = 4 });
        var rows = SyntheticGenerator.ToAttendanceCsv(dataset).Split('\n').Skip(1).SkipLast(1).Select(l => l.Split(',')).ToList();
        var records = dataset.Partnerships.SelectMany(p => p.Attendance.Select(a => (History: p, Attendance: a))).ToList();

        Assert.Equal(records.Count, rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            var (history, attendance) = records[i];
            var row = rows[i];
            Assert.Equal(6, row.Length);
            Assert.Equal(history.Partnership.Id, row[0]);
            Assert.Equal(history.Representations.Single(r => r.PersonId == attendance.PersonId).OrganizationId, row[1]);
            Assert.Equal(attendance.PersonId, row[2]);
            Assert.Equal(attendance.MeetingId, row[3]);
            Assert.True(Check.TryParseTimestamp(row[4], out var start, out var hasOffset) && hasOffset, row[4]);
            var meeting = history.Meetings.Single(m => m.Id == attendance.MeetingId);
            Assert.Equal(meeting.Start, start);
            Assert.Equal(meeting.Start.Offset, start.Offset);
            Assert.Equal(attendance.Status == AttendanceStatus.Present ? "1" : "0", row[5]);
        }
    }

    [Fact]
    public void ToAttendanceCsv_MeetingStart_IsIso8601WithMontrealOffset()
    {
        var dataset = SyntheticGenerator.Generate(new SyntheticOptions { Seed = 3, Partnerships = 2, SummerDip = false });
        var starts = SyntheticGenerator.ToAttendanceCsv(dataset).Split('\n').Skip(1).SkipLast(1).Select(l => l.Split(',')[4]).Distinct().ToList();

        Assert.Contains(starts, s => s.StartsWith("2024-01-", StringComparison.Ordinal) && s.EndsWith("-05:00", StringComparison.Ordinal));
        Assert.Contains(starts, s => s.StartsWith("2024-07-", StringComparison.Ordinal) && s.EndsWith("-04:00", StringComparison.Ordinal));
        Assert.All(starts, s => Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}-0[45]:00$", s));
    }

    [Fact]
    public void WriteAttendanceCsv_SameAsToAttendanceCsv()
    {
        var dataset = SyntheticGenerator.Generate(new SyntheticOptions { Seed = 9, Partnerships = 2 });
        using var writer = new StringWriter();

        SyntheticGenerator.WriteAttendanceCsv(dataset, writer);

        Assert.Equal(SyntheticGenerator.ToAttendanceCsv(dataset), writer.ToString());
    }
}
