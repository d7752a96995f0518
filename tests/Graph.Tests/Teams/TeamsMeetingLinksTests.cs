using System.Globalization;
using Engagement.Core.Domain;
using Engagement.Graph.Teams;

namespace Engagement.Graph.Tests.Teams;

public class TeamsMeetingLinksTests
{
    [Theory]
    // Scheduled from a calendar: the meeting's own thread, message 0.
    [InlineData("https://teams.microsoft.com/l/meetup-join/19%3ameeting_MGQ4MDQy%40thread.v2/0?context=%7b%22Tid%22%3a%22909c6581%22%7d", false)]
    [InlineData("https://teams.microsoft.com/l/meetup-join/19%3ameeting_MjM2NzczMmEtMmRiNi00MGNh%40thread.skype/0?context=%7b%7d", false)]
    [InlineData("https://teams.microsoft.com/l/meetup-join/abc", false)]
    [InlineData("https://teams.microsoft.com/meet/1234567890?p=abc", false)]
    // Held in a channel: the channel's thread and the post announcing the meeting.
    [InlineData("https://teams.microsoft.com/l/meetup-join/19%3a0b58ec520c444adaa028007ab2f71fe2%40thread.tacv2/1669796919341?context=%7b%7d", true)]
    [InlineData("https://teams.microsoft.com/l/meetup-join/19%3acbee7c1c860e465f8258e3cebf7bee0d%40thread.skype/0?context=%7b%7d", true)]
    [InlineData("https://teams.microsoft.com/l/meetup-join/19%3ameeting_MGQ4MDQy%40thread.v2/1669796919341", true)]
    public void IsChannelMeeting_TellsChannelLinksFromScheduledMeetingLinks(string link, bool channel) =>
        Assert.Equal(channel, TeamsMeetingLinks.IsChannelMeeting(new Uri(link)));

    [Theory]
    [InlineData("2026-02-19T18:30:05Z", true)]  // on time
    [InlineData("2026-02-19T15:30:00Z", true)]  // three hours early, at the edge
    [InlineData("2026-02-19T15:29:59Z", false)]
    [InlineData("2026-02-20T00:00:00Z", true)]  // relaunched three hours after the end, at the edge
    [InlineData("2026-02-20T00:00:01Z", false)]
    [InlineData("2026-02-26T18:30:00Z", false)] // next week's occurrence
    public void IsSessionOf_AReportStartingWithinTheMeetingGiveOrTakeThreeHours(string start, bool session)
    {
        var meeting = new Meeting
        {
            PartnershipId = "p1",
            Id = "m2",
            Start = DateTimeOffset.Parse("2026-02-19T13:30:00-05:00", CultureInfo.InvariantCulture),
            End = DateTimeOffset.Parse("2026-02-19T16:00:00-05:00", CultureInfo.InvariantCulture),
        };

        Assert.Equal(session, TeamsAttendanceSync.IsSessionOf(meeting, new TeamsAttendanceReport("r", DateTimeOffset.Parse(start, CultureInfo.InvariantCulture), null)));
    }

    [Fact]
    public void IsSessionOf_AReportWithoutTimes_IsNobodysSession() =>
        Assert.False(TeamsAttendanceSync.IsSessionOf(
            new Meeting { PartnershipId = "p1", Id = "m2", Start = DateTimeOffset.UnixEpoch, End = DateTimeOffset.UnixEpoch.AddHours(2) },
            new TeamsAttendanceReport("r", null, null)));
}
