using Engagement.Core.Domain;

namespace Engagement.Core.Storage;

/// <summary>Meetings and who attended them.</summary>
public interface IAttendanceStore
{
    /// <summary>
    /// Which of the given meeting and person ids exist in a partnership: what an attendance batch needs to check its
    /// references, at a cost that follows the batch rather than the size of the partnership. The answer holds every
    /// given id that exists and may hold more; its other sets may be empty.
    /// </summary>
    Task<PartnershipKeys> FindMeetingsAndPeopleAsync(string partnershipId, IReadOnlyCollection<string> meetingIds, IReadOnlyCollection<string> personIds, CancellationToken cancellationToken = default);

    /// <summary>Upserts meetings of one partnership, atomically.</summary>
    Task<WriteCounts> UpsertMeetingsAsync(string partnershipId, IReadOnlyList<Meeting> meetings, CancellationToken cancellationToken = default);

    /// <summary>Upserts attendance of one partnership, atomically.</summary>
    Task<WriteCounts> UpsertAttendanceAsync(string partnershipId, IReadOnlyList<Attendance> records, CancellationToken cancellationToken = default);

    /// <summary>Meetings of a partnership in start order, each with its attendance counts.</summary>
    Task<IReadOnlyList<MeetingSummary>> ListMeetingsAsync(string partnershipId, CancellationToken cancellationToken = default);

    /// <summary>One meeting, or null.</summary>
    Task<Meeting?> GetMeetingAsync(string partnershipId, string meetingId, CancellationToken cancellationToken = default);

    /// <summary>Attendance records of one meeting, ordered by person id.</summary>
    Task<IReadOnlyList<Attendance>> GetAttendanceAsync(string partnershipId, string meetingId, CancellationToken cancellationToken = default);

    /// <summary>Every attendance record of a partnership (for feature extraction), ordered by meeting then person.</summary>
    Task<IReadOnlyList<Attendance>> ListAttendanceAsync(string partnershipId, CancellationToken cancellationToken = default);

    /// <summary>
    /// The same records as <see cref="ListAttendanceAsync"/>, handed over as they are read, for exports whose memory must
    /// not grow with the partnership's history. The order is the store's own and stable (records of one meeting come
    /// together); with <paramref name="after"/> the stream starts at the record that followed that one (keyset paging:
    /// a page costs its own rows, whatever its position). The record named need not exist any more.
    /// </summary>
    IAsyncEnumerable<Attendance> StreamAttendanceAsync(string partnershipId, AttendanceKey? after = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Meetings of a partnership without their attendance counts (cheaper than <see cref="ListMeetingsAsync"/>), handed
    /// over as they are read, in the store's own stable order.
    /// </summary>
    IAsyncEnumerable<Meeting> StreamMeetingsAsync(string partnershipId, CancellationToken cancellationToken = default);
}
