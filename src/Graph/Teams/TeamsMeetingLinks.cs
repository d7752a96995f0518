namespace Engagement.Graph.Teams;

/// <summary>What a Teams join link says about its meeting.</summary>
public static class TeamsMeetingLinks
{
    /// <summary>
    /// Whether the link joins a meeting held in a channel. A meeting scheduled from a calendar has a link naming its own
    /// chat thread (<c>/l/meetup-join/19:meeting_…@thread.v2/0</c>, message 0); a channel meeting's link names the
    /// channel's thread (<c>19:…@thread.tacv2</c>) and the post that announced the meeting. For a channel meeting,
    /// Graph lists the attendance reports of every meeting of the channel, which cannot be told apart.
    /// </summary>
    public static bool IsChannelMeeting(Uri joinUrl)
    {
        ArgumentNullException.ThrowIfNull(joinUrl);
        var segments = joinUrl.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var at = Array.FindIndex(segments, s => s.Equals("meetup-join", StringComparison.OrdinalIgnoreCase));
        if (at < 0 || at + 1 >= segments.Length)
        {
            return false;
        }

        var thread = Uri.UnescapeDataString(segments[at + 1]);
        var message = at + 2 < segments.Length ? segments[at + 2] : "0";
        return message != "0"
            || (thread.Contains("@thread.", StringComparison.OrdinalIgnoreCase) && !thread.StartsWith("19:meeting_", StringComparison.OrdinalIgnoreCase));
    }
}
