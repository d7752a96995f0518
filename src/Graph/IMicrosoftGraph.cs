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
/// <param name="TotalSeconds">Total seconds attended in this session.</param>
/// <param name="Intervals">Each join and leave.</param>
public sealed record TeamsAttendee(string? Email, string? IdentityId, string? DisplayName, string? Role, int TotalSeconds, IReadOnlyList<AttendanceInterval> Intervals);

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
}
