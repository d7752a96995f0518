using Microsoft.Graph;
using Microsoft.Graph.Models;

namespace Engagement.Graph;

/// <summary>The Graph seam on the Microsoft.Graph SDK (v1.0, application permissions).</summary>
public sealed class MicrosoftGraph(GraphServiceClient client) : IMicrosoftGraph
{
    public async Task<string?> FindOnlineMeetingIdAsync(string organizerUserId, string joinUrl, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(joinUrl);
        var meetings = await client.Users[organizerUserId].OnlineMeetings.GetAsync(
            request => request.QueryParameters.Filter = $"JoinWebUrl eq '{joinUrl.Replace("'", "''", StringComparison.Ordinal)}'",
            cancellationToken);
        return meetings?.Value?.FirstOrDefault()?.Id;
    }

    public async Task<IReadOnlyList<TeamsAttendanceReport>> ListAttendanceReportsAsync(string organizerUserId, string onlineMeetingId, CancellationToken cancellationToken)
    {
        var builder = client.Users[organizerUserId].OnlineMeetings[onlineMeetingId].AttendanceReports;
        var reports = new List<TeamsAttendanceReport>();
        var page = await builder.GetAsync(cancellationToken: cancellationToken);
        while (page is not null)
        {
            reports.AddRange((page.Value ?? []).Where(r => r.Id is not null).Select(r => new TeamsAttendanceReport(r.Id!, r.MeetingStartDateTime, r.MeetingEndDateTime)));
            page = page.OdataNextLink is { } next ? await builder.WithUrl(next).GetAsync(cancellationToken: cancellationToken) : null;
        }

        return reports;
    }

    public async Task<IReadOnlyList<TeamsAttendee>> ListAttendanceRecordsAsync(string organizerUserId, string onlineMeetingId, string reportId, CancellationToken cancellationToken)
    {
        var builder = client.Users[organizerUserId].OnlineMeetings[onlineMeetingId].AttendanceReports[reportId].AttendanceRecords;
        var attendees = new List<TeamsAttendee>();
        var page = await builder.GetAsync(cancellationToken: cancellationToken);
        while (page is not null)
        {
            attendees.AddRange((page.Value ?? []).Select(ToAttendee));
            page = page.OdataNextLink is { } next ? await builder.WithUrl(next).GetAsync(cancellationToken: cancellationToken) : null;
        }

        return attendees;
    }

    private static TeamsAttendee ToAttendee(AttendanceRecord record) => new(
        string.IsNullOrWhiteSpace(record.EmailAddress) ? null : record.EmailAddress,
        string.IsNullOrWhiteSpace(record.Identity?.Id) ? null : record.Identity!.Id,
        record.Identity?.DisplayName,
        record.Role,
        record.TotalAttendanceInSeconds ?? 0,
        [.. (record.AttendanceIntervals ?? [])
            .Where(i => i.JoinDateTime is not null && i.LeaveDateTime is not null)
            .Select(i => new Engagement.Core.Domain.AttendanceInterval(i.JoinDateTime!.Value, i.LeaveDateTime!.Value, i.DurationInSeconds ?? (int)(i.LeaveDateTime.Value - i.JoinDateTime.Value).TotalSeconds))
            .OrderBy(i => i.Join)]);
}
