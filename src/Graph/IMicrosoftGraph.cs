using Engagement.Core.Domain;

namespace Engagement.Graph;

/// <summary>An attendance report: one per session of a Teams meeting.</summary>
/// <param name="Id">Report id.</param>
/// <param name="Start">When the session started.</param>
/// <param name="End">When it ended.</param>
public sealed record TeamsAttendanceReport(string Id, DateTimeOffset? Start, DateTimeOffset? End);

/// <summary>One attendee of a report.</summary>
/// <param name="Email">Their e-mail, when Teams knows it (absent for some guests).</param>
/// <param name="IdentityId">Their Entra object id, when they have one.</param>
/// <param name="DisplayName">The name Teams shows.</param>
/// <param name="Role">Organizer, Presenter, Attendee or None.</param>
/// <param name="TotalSeconds">Total seconds attended in this session (<c>totalAttendanceInSeconds</c>, which counts intervals lacking data too).</param>
/// <param name="Intervals">Each join and leave.</param>
public sealed record TeamsAttendee(string? Email, string? IdentityId, string? DisplayName, string? Role, int TotalSeconds, IReadOnlyList<AttendanceInterval> Intervals);

/// <summary>A directory user, as the group sync needs it.</summary>
/// <param name="Id">Entra object id.</param>
/// <param name="DisplayName">Name.</param>
/// <param name="Email">Mail, or the user principal name when there is no mail.</param>
public sealed record DirectoryUser(string Id, string? DisplayName, string? Email);

/// <summary>Membership changes of one group since the last delta link, each member's last state in the round.</summary>
/// <param name="Added">Members whose last state is member (on a first round: the current members).</param>
/// <param name="Removed">Members whose last state is removed.</param>
/// <param name="DeltaLink">Where the next sync starts.</param>
public sealed record GroupMembershipDelta(IReadOnlyList<string> Added, IReadOnlyList<string> Removed, string DeltaLink);

/// <summary>The saved delta link is no longer valid (410 Gone, or expired): a full resync is needed.</summary>
public sealed class DeltaExpiredException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// The product's seam to Microsoft Graph: the calls the syncs need, in the product's terms. The implementation uses
/// the Microsoft.Graph SDK; tests run it against a fake Graph server on loopback.
/// </summary>
public interface IMicrosoftGraph
{
    /// <summary>The online meeting id behind a join URL (<c>$filter=JoinWebUrl eq '…'</c>), or null.</summary>
    Task<string?> FindOnlineMeetingIdAsync(string organizerUserId, string joinUrl, CancellationToken cancellationToken);

    /// <summary>The meeting's attendance reports (all pages).</summary>
    Task<IReadOnlyList<TeamsAttendanceReport>> ListAttendanceReportsAsync(string organizerUserId, string onlineMeetingId, CancellationToken cancellationToken);

    /// <summary>A report's attendees (all pages).</summary>
    Task<IReadOnlyList<TeamsAttendee>> ListAttendanceRecordsAsync(string organizerUserId, string onlineMeetingId, string reportId, CancellationToken cancellationToken);

    /// <summary>
    /// Membership changes of a group: from <paramref name="deltaLink"/>, or, without one, a first delta query
    /// (<c>/groups/delta?$filter=id eq '…'&amp;$select=id,members</c>) returning the current members as added.
    /// A member appearing several times takes their last state in page order. Throws
    /// <see cref="DeltaExpiredException"/> when the link is gone (410, or the code <c>syncStateNotFound</c> or
    /// <c>resyncRequired</c> in any case).
    /// </summary>
    Task<GroupMembershipDelta> GroupMembershipDeltaAsync(string groupId, string? deltaLink, CancellationToken cancellationToken);

    /// <summary>Downloads a drive item's content (<c>/drives/{drive}/items/{item}/content</c>) into memory.</summary>
    Task<byte[]> DownloadDriveItemAsync(string driveId, string itemId, CancellationToken cancellationToken);

    /// <summary>A user's name and e-mail, or null when the user no longer exists.</summary>
    Task<DirectoryUser?> GetUserAsync(string userId, CancellationToken cancellationToken);
}
