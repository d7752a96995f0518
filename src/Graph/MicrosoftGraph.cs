using System.Text.Json;
using Microsoft.Graph;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Serialization;

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

    public async Task<GroupMembershipDelta> GroupMembershipDeltaAsync(string groupId, string? deltaLink, CancellationToken cancellationToken)
    {
        // A member may appear several times in a round (changed more than once, or replayed): the last state in page
        // order is theirs.
        var isMember = new Dictionary<string, bool>(StringComparer.Ordinal);
        try
        {
            var page = deltaLink is null
                ? await client.Groups.Delta.GetAsDeltaGetResponseAsync(
                    request =>
                    {
                        request.QueryParameters.Filter = $"id eq '{groupId.Replace("'", "''", StringComparison.Ordinal)}'";
                        request.QueryParameters.Select = ["id", "members"];
                    },
                    cancellationToken)
                : await client.Groups.Delta.WithUrl(deltaLink).GetAsDeltaGetResponseAsync(cancellationToken: cancellationToken);
            while (true)
            {
                foreach (var group in (page?.Value ?? []).Where(g => g.Id == groupId))
                {
                    if (group.AdditionalData.TryGetValue("members@delta", out var members) && members is not null)
                    {
                        using var document = JsonDocument.Parse(await KiotaJsonSerializer.SerializeAsStringAsync((UntypedNode)members, serializeOnlyChangedValues: false, cancellationToken: cancellationToken));
                        foreach (var member in document.RootElement.EnumerateArray())
                        {
                            var type = member.TryGetProperty("@odata.type", out var t) ? t.GetString() : "#microsoft.graph.user";
                            if (type != "#microsoft.graph.user" || !member.TryGetProperty("id", out var id) || id.GetString() is not { } userId)
                            {
                                continue;
                            }

                            isMember[userId] = !member.TryGetProperty("@removed", out _);
                        }
                    }
                }

                if (page?.OdataNextLink is { } next)
                {
                    page = await client.Groups.Delta.WithUrl(next).GetAsDeltaGetResponseAsync(cancellationToken: cancellationToken);
                    continue;
                }

                var link = page?.OdataDeltaLink ?? throw new InvalidOperationException("The group delta ended without a delta link.");
                return new GroupMembershipDelta(
                    [.. isMember.Where(m => m.Value).Select(m => m.Key)],
                    [.. isMember.Where(m => !m.Value).Select(m => m.Key)],
                    link);
            }
        }
        catch (ApiException ex) when (deltaLink is not null && (ex.ResponseStatusCode == 410 || (ex is ODataError odata && IsExpiredDeltaCode(odata.Error?.Code))))
        {
            throw new DeltaExpiredException($"The delta link of group {groupId} is no longer valid ({ex.ResponseStatusCode}); a full resync follows.", ex);
        }
    }

    public async Task<byte[]> DownloadDriveItemAsync(string driveId, string itemId, CancellationToken cancellationToken)
    {
        await using var content = await client.Drives[driveId].Items[itemId].Content.GetAsync(cancellationToken: cancellationToken)
            ?? throw new InvalidOperationException($"Drive item {itemId} has no content.");
        using var buffer = new MemoryStream();
        await content.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }

    public async Task<DirectoryUser?> GetUserAsync(string userId, CancellationToken cancellationToken)
    {
        try
        {
            var user = await client.Users[userId].GetAsync(request => request.QueryParameters.Select = ["id", "displayName", "mail", "userPrincipalName"], cancellationToken);
            return user is null ? null : new DirectoryUser(user.Id ?? userId, user.DisplayName, string.IsNullOrWhiteSpace(user.Mail) ? user.UserPrincipalName : user.Mail);
        }
        catch (ApiException ex) when (ex.ResponseStatusCode == 404)
        {
            return null;
        }
    }

    /// <summary>
    /// Graph's codes for a delta token it no longer knows (documented as <c>syncStateNotFound</c> and
    /// <c>resyncRequired</c>; <c>SyncStateNotFound</c> is seen too), whatever their case.
    /// </summary>
    private static bool IsExpiredDeltaCode(string? code) =>
        string.Equals(code, "syncStateNotFound", StringComparison.OrdinalIgnoreCase) || string.Equals(code, "resyncRequired", StringComparison.OrdinalIgnoreCase);

    /// <remarks>
    /// Graph sends an interval "lacking data" with a null join or leave and 0 seconds; the record's
    /// <c>totalAttendanceInSeconds</c> still counts it, so the total is the record's, and the intervals only those known.
    /// </remarks>
    private static TeamsAttendee ToAttendee(AttendanceRecord record)
    {
        var intervals = (record.AttendanceIntervals ?? [])
            .Where(i => i.JoinDateTime is not null && i.LeaveDateTime is not null)
            .Select(i => new Engagement.Core.Domain.AttendanceInterval(i.JoinDateTime!.Value, i.LeaveDateTime!.Value, i.DurationInSeconds ?? (int)(i.LeaveDateTime.Value - i.JoinDateTime.Value).TotalSeconds))
            .OrderBy(i => i.Join)
            .ToList();
        return new(
            string.IsNullOrWhiteSpace(record.EmailAddress) ? null : record.EmailAddress,
            string.IsNullOrWhiteSpace(record.Identity?.Id) ? null : record.Identity!.Id,
            record.Identity?.DisplayName,
            record.Role,
            record.TotalAttendanceInSeconds ?? intervals.Sum(i => i.Seconds),
            intervals);
    }
}
