using Engagement.Core.Alerts;
using Engagement.Core.Domain;

namespace Engagement.Core.Storage;

/// <summary>
/// The product's storage port. Every write is an idempotent upsert keyed by natural ids and is atomic for
/// the records it is given (all are stored, or none). Implementations: SQLite (embedded default) and Azure
/// Table Storage. One contract test suite runs against both.
/// </summary>
public interface IEngagementStore
{
    /// <summary>Checks that the store answers; never throws for an unavailable store.</summary>
    Task<StoreHealth> CheckHealthAsync(CancellationToken cancellationToken = default);

    /// <summary>Creates or replaces a partnership.</summary>
    Task<WriteOutcome> UpsertPartnershipAsync(Partnership partnership, CancellationToken cancellationToken = default);

    /// <summary>One partnership, or null.</summary>
    Task<Partnership?> GetPartnershipAsync(string partnershipId, CancellationToken cancellationToken = default);

    /// <summary>All partnerships, ordered by id.</summary>
    Task<IReadOnlyList<Partnership>> ListPartnershipsAsync(CancellationToken cancellationToken = default);

    /// <summary>Ids already known in a partnership, to check the references of a batch before writing it.</summary>
    Task<PartnershipKeys> GetKeysAsync(string partnershipId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Which of the given meeting and person ids exist in a partnership: what an attendance batch needs to check its
    /// references, at a cost that follows the batch rather than the size of the partnership. The answer holds every
    /// given id that exists and may hold more (this default loads every key); its other sets may be empty.
    /// </summary>
    Task<PartnershipKeys> FindMeetingsAndPeopleAsync(string partnershipId, IReadOnlyCollection<string> meetingIds, IReadOnlyCollection<string> personIds, CancellationToken cancellationToken = default) =>
        GetKeysAsync(partnershipId, cancellationToken);

    /// <summary>Upserts organisations of one partnership, atomically.</summary>
    Task<WriteCounts> UpsertOrganizationsAsync(string partnershipId, IReadOnlyList<Organization> organizations, CancellationToken cancellationToken = default);

    /// <summary>Upserts people of one partnership, atomically. An erased person stays erased unless a name or e-mail is given again.</summary>
    Task<WriteCounts> UpsertPeopleAsync(string partnershipId, IReadOnlyList<Person> people, CancellationToken cancellationToken = default);

    /// <summary>Upserts representations of one partnership, atomically.</summary>
    Task<WriteCounts> UpsertRepresentationsAsync(string partnershipId, IReadOnlyList<Representation> representations, CancellationToken cancellationToken = default);

    /// <summary>Upserts meetings of one partnership, atomically.</summary>
    Task<WriteCounts> UpsertMeetingsAsync(string partnershipId, IReadOnlyList<Meeting> meetings, CancellationToken cancellationToken = default);

    /// <summary>Upserts attendance of one partnership, atomically.</summary>
    Task<WriteCounts> UpsertAttendanceAsync(string partnershipId, IReadOnlyList<Attendance> records, CancellationToken cancellationToken = default);

    /// <summary>Registers or replaces a form definition.</summary>
    Task<WriteOutcome> UpsertFormAsync(FormDefinition form, CancellationToken cancellationToken = default);

    /// <summary>A registered form, or null.</summary>
    Task<FormDefinition?> GetFormAsync(string formId, CancellationToken cancellationToken = default);

    /// <summary>Upserts form submissions of one partnership, atomically.</summary>
    Task<WriteCounts> UpsertFormSubmissionsAsync(string partnershipId, IReadOnlyList<FormSubmission> submissions, CancellationToken cancellationToken = default);

    /// <summary>Organisations, people and representations of a partnership.</summary>
    Task<Roster> GetRosterAsync(string partnershipId, CancellationToken cancellationToken = default);

    /// <summary>Meetings of a partnership in start order, each with its attendance counts.</summary>
    Task<IReadOnlyList<MeetingSummary>> ListMeetingsAsync(string partnershipId, CancellationToken cancellationToken = default);

    /// <summary>One meeting, or null.</summary>
    Task<Meeting?> GetMeetingAsync(string partnershipId, string meetingId, CancellationToken cancellationToken = default);

    /// <summary>Attendance records of one meeting, ordered by person id.</summary>
    Task<IReadOnlyList<Attendance>> GetAttendanceAsync(string partnershipId, string meetingId, CancellationToken cancellationToken = default);

    /// <summary>Form submissions of a partnership, ordered by submission time.</summary>
    Task<IReadOnlyList<FormSubmission>> ListFormSubmissionsAsync(string partnershipId, CancellationToken cancellationToken = default);

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

    /// <summary>Stores risk snapshots of one partnership; the same (as-of day, organisation) replaces the earlier one.</summary>
    Task<WriteCounts> UpsertRiskSnapshotsAsync(string partnershipId, IReadOnlyList<RiskSnapshot> snapshots, CancellationToken cancellationToken = default);

    /// <summary>Risk snapshots of a partnership between two days (inclusive), by day then organisation (partnership first).</summary>
    Task<IReadOnlyList<RiskSnapshot>> ListRiskSnapshotsAsync(string partnershipId, DateOnly from, DateOnly to, CancellationToken cancellationToken = default);

    /// <summary>Stores a model artifact (idempotent by version).</summary>
    Task<WriteOutcome> SaveModelAsync(StoredModel model, CancellationToken cancellationToken = default);

    /// <summary>A stored model, or null.</summary>
    Task<StoredModel?> GetModelAsync(string version, CancellationToken cancellationToken = default);

    /// <summary>Makes a stored model the champion that scores.</summary>
    Task SetChampionAsync(string version, CancellationToken cancellationToken = default);

    /// <summary>The champion, or null while none was promoted (the prior scores then).</summary>
    Task<StoredModel?> GetChampionAsync(CancellationToken cancellationToken = default);

    /// <summary>Records a retraining decision.</summary>
    Task SaveRetrainingAsync(RetrainingRecord record, CancellationToken cancellationToken = default);

    /// <summary>Retraining decisions, newest first.</summary>
    Task<IReadOnlyList<RetrainingRecord>> ListRetrainingsAsync(CancellationToken cancellationToken = default);

    /// <summary>Registers (or replaces the settings of) a Microsoft 365 source; its checkpoint is kept.</summary>
    Task<WriteOutcome> UpsertIntegrationAsync(IntegrationRegistration registration, CancellationToken cancellationToken = default);

    /// <summary>The sources registered for a partnership, by kind then id.</summary>
    Task<IReadOnlyList<IntegrationRegistration>> ListIntegrationsAsync(string partnershipId, CancellationToken cancellationToken = default);

    /// <summary>Removes a registration; false when there was none.</summary>
    Task<bool> DeleteIntegrationAsync(string partnershipId, IntegrationKind kind, string id, CancellationToken cancellationToken = default);

    /// <summary>Records where a sync stopped, after what it read was stored.</summary>
    Task SetIntegrationCheckpointAsync(string partnershipId, IntegrationKind kind, string id, string? checkpoint, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes alert changes and the notifications they call for together (one transaction where the store allows it),
    /// so an alert never exists without its e-mails, nor an e-mail without its alert.
    /// </summary>
    Task SaveAlertsAsync(string partnershipId, IReadOnlyList<Alert> alerts, IReadOnlyList<AlertNotification> notifications, CancellationToken cancellationToken = default);

    /// <summary>The alerts of a partnership (every status), by organisation then type.</summary>
    Task<IReadOnlyList<Alert>> ListAlertsAsync(string partnershipId, CancellationToken cancellationToken = default);

    /// <summary>Notifications not yet accepted by a mail server, oldest first.</summary>
    Task<IReadOnlyList<AlertNotification>> ListPendingNotificationsAsync(string partnershipId, CancellationToken cancellationToken = default);

    /// <summary>Every notification of an alert, oldest first.</summary>
    Task<IReadOnlyList<AlertNotification>> ListNotificationsAsync(string partnershipId, string alertId, CancellationToken cancellationToken = default);

    /// <summary>Records a delivery attempt: sent (with the time) or failed (with the error).</summary>
    Task RecordDeliveryAsync(string partnershipId, string notificationId, DateTimeOffset? sentAt, string? error, CancellationToken cancellationToken = default);

    /// <summary>Records an export request in the audit log.</summary>
    Task RecordExportAsync(ExportAudit audit, CancellationToken cancellationToken = default);

    /// <summary>Export requests since a time, newest first.</summary>
    Task<IReadOnlyList<ExportAudit>> ListExportsAsync(DateTimeOffset since, CancellationToken cancellationToken = default);

    /// <summary>For each person of a partnership, the latest trace of activity (for the retention policy).</summary>
    Task<IReadOnlyList<PersonActivity>> ListPersonActivityAsync(string partnershipId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Erases the name and e-mail of the given people, and the unmatched respondent e-mails of submissions made
    /// before <paramref name="submittedBefore"/>; ids and attendance facts stay. Returns how many people were erased.
    /// </summary>
    Task<int> ErasePersonalDataAsync(string partnershipId, IReadOnlyList<string> personIds, DateTimeOffset submittedBefore, DateTimeOffset erasedAt, CancellationToken cancellationToken = default);
}

/// <summary>Whether the store answers.</summary>
/// <param name="Provider">Which store.</param>
/// <param name="Healthy">Whether it answered.</param>
/// <param name="Detail">What was checked, or the failure.</param>
public sealed record StoreHealth(string Provider, bool Healthy, string Detail);

/// <summary>The ids known in a partnership.</summary>
public sealed record PartnershipKeys
{
    /// <summary>Organisation ids.</summary>
    public required IReadOnlySet<string> OrganizationIds { get; init; }
    /// <summary>Person ids.</summary>
    public required IReadOnlySet<string> PersonIds { get; init; }
    /// <summary>Lower-cased e-mail → person id, for people whose e-mail is known.</summary>
    public required IReadOnlyDictionary<string, string> PersonIdsByEmail { get; init; }
    /// <summary>Meeting ids.</summary>
    public required IReadOnlySet<string> MeetingIds { get; init; }
    /// <summary>Representation ids.</summary>
    public required IReadOnlySet<string> RepresentationIds { get; init; }
}

/// <summary>Who belongs to a partnership, and since when.</summary>
public sealed record Roster
{
    /// <summary>Organisations, by id.</summary>
    public required IReadOnlyList<Organization> Organizations { get; init; }
    /// <summary>People, by id.</summary>
    public required IReadOnlyList<Person> People { get; init; }
    /// <summary>Representations, by start date.</summary>
    public required IReadOnlyList<Representation> Representations { get; init; }
}

/// <summary>Identifies one attendance record of a partnership: where a resumed attendance stream starts after.</summary>
public readonly record struct AttendanceKey(string MeetingId, string PersonId);

/// <summary>A meeting with its attendance counts.</summary>
public sealed record MeetingSummary
{
    /// <summary>The meeting.</summary>
    public required Meeting Meeting { get; init; }
    /// <summary>People recorded present.</summary>
    public int Present { get; init; }
    /// <summary>People recorded absent.</summary>
    public int Absent { get; init; }
    /// <summary>People who sent regrets.</summary>
    public int Excused { get; init; }
}

/// <summary>The latest traces of a person's activity in a partnership.</summary>
public sealed record PersonActivity
{
    /// <summary>The person.</summary>
    public required Person Person { get; init; }
    /// <summary>When their record was last created or changed by a caller.</summary>
    public required DateTimeOffset RecordUpdatedAt { get; init; }
    /// <summary>Start of the latest meeting they attended (present or excused).</summary>
    public DateTimeOffset? LastAttendedAt { get; init; }
    /// <summary>Latest form submission.</summary>
    public DateTimeOffset? LastSubmittedAt { get; init; }
    /// <summary>Whether any representation of theirs is open-ended.</summary>
    public bool HasOpenRepresentation { get; init; }
    /// <summary>Latest end date of their representations.</summary>
    public DateOnly? LastRepresentationEnd { get; init; }
}
