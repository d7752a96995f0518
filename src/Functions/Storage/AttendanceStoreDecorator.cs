using Engagement.Core.Domain;
using Engagement.Core.Storage;

namespace Engagement.Functions.Storage;

/// <summary>
/// Passes every member of the attendance port to <paramref name="inner"/>: a feature that adds behaviour to some of its
/// writes (counting them, asking for a scoring) overrides only those.
/// </summary>
internal abstract class AttendanceStoreDecorator(IAttendanceStore inner) : IAttendanceStore
{
    public virtual Task<WriteCounts> UpsertAttendanceAsync(string partnershipId, IReadOnlyList<Attendance> records, CancellationToken cancellationToken = default) =>
        inner.UpsertAttendanceAsync(partnershipId, records, cancellationToken);

    public virtual Task<WriteCounts> UpsertMeetingsAsync(string partnershipId, IReadOnlyList<Meeting> meetings, CancellationToken cancellationToken = default) =>
        inner.UpsertMeetingsAsync(partnershipId, meetings, cancellationToken);

    public Task<PartnershipKeys> FindMeetingsAndPeopleAsync(string partnershipId, IReadOnlyCollection<string> meetingIds, IReadOnlyCollection<string> personIds, CancellationToken cancellationToken = default) =>
        inner.FindMeetingsAndPeopleAsync(partnershipId, meetingIds, personIds, cancellationToken);

    public Task<IReadOnlyList<MeetingSummary>> ListMeetingsAsync(string partnershipId, CancellationToken cancellationToken = default) => inner.ListMeetingsAsync(partnershipId, cancellationToken);

    public Task<Meeting?> GetMeetingAsync(string partnershipId, string meetingId, CancellationToken cancellationToken = default) => inner.GetMeetingAsync(partnershipId, meetingId, cancellationToken);

    public Task<IReadOnlyList<Attendance>> GetAttendanceAsync(string partnershipId, string meetingId, CancellationToken cancellationToken = default) => inner.GetAttendanceAsync(partnershipId, meetingId, cancellationToken);

    public Task<IReadOnlyList<Attendance>> ListAttendanceAsync(string partnershipId, CancellationToken cancellationToken = default) => inner.ListAttendanceAsync(partnershipId, cancellationToken);

    public IAsyncEnumerable<Attendance> StreamAttendanceAsync(string partnershipId, AttendanceKey? after = null, CancellationToken cancellationToken = default) => inner.StreamAttendanceAsync(partnershipId, after, cancellationToken);

    public IAsyncEnumerable<Meeting> StreamMeetingsAsync(string partnershipId, CancellationToken cancellationToken = default) => inner.StreamMeetingsAsync(partnershipId, cancellationToken);
}
