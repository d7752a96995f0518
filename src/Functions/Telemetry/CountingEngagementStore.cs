using Engagement.Core.Alerts;
using Engagement.Core.Domain;
using Engagement.Core.Storage;

namespace Engagement.Functions.Telemetry;

/// <summary>
/// Counts the records ingestion writes (<c>engagement.records.ingested</c>) at the one place every path goes through:
/// the API, the Power Automate submissions and the Microsoft 365 syncs all write through the store, with the store's own
/// created / updated / unchanged counts. Everything else is passed through unchanged. It forwards every member of the
/// port, the ones with a default body included (a test checks), so a store's own implementation is never bypassed.
/// </summary>
internal sealed class CountingEngagementStore(IEngagementStore inner, EngagementMetrics metrics) : IEngagementStore
{
    public async Task<WriteCounts> UpsertOrganizationsAsync(string partnershipId, IReadOnlyList<Organization> organizations, CancellationToken cancellationToken = default) =>
        Count(IngestedKind.Organizations, await inner.UpsertOrganizationsAsync(partnershipId, organizations, cancellationToken));

    public async Task<WriteCounts> UpsertPeopleAsync(string partnershipId, IReadOnlyList<Person> people, CancellationToken cancellationToken = default) =>
        Count(IngestedKind.People, await inner.UpsertPeopleAsync(partnershipId, people, cancellationToken));

    public async Task<WriteCounts> UpsertRepresentationsAsync(string partnershipId, IReadOnlyList<Representation> representations, CancellationToken cancellationToken = default) =>
        Count(IngestedKind.Representations, await inner.UpsertRepresentationsAsync(partnershipId, representations, cancellationToken));

    public async Task<WriteCounts> UpsertMeetingsAsync(string partnershipId, IReadOnlyList<Meeting> meetings, CancellationToken cancellationToken = default) =>
        Count(IngestedKind.Meetings, await inner.UpsertMeetingsAsync(partnershipId, meetings, cancellationToken));

    public async Task<WriteCounts> UpsertAttendanceAsync(string partnershipId, IReadOnlyList<Attendance> records, CancellationToken cancellationToken = default) =>
        Count(IngestedKind.Attendance, await inner.UpsertAttendanceAsync(partnershipId, records, cancellationToken));

    public async Task<WriteCounts> UpsertFormSubmissionsAsync(string partnershipId, IReadOnlyList<FormSubmission> submissions, CancellationToken cancellationToken = default) =>
        Count(IngestedKind.Forms, await inner.UpsertFormSubmissionsAsync(partnershipId, submissions, cancellationToken));

    private WriteCounts Count(IngestedKind kind, WriteCounts counts)
    {
        metrics.RecordsIngested(kind, counts);
        return counts;
    }

    // Everything below only forwards.
    public Task<StoreHealth> CheckHealthAsync(CancellationToken cancellationToken = default) => inner.CheckHealthAsync(cancellationToken);

    public Task<WriteOutcome> UpsertPartnershipAsync(Partnership partnership, CancellationToken cancellationToken = default) => inner.UpsertPartnershipAsync(partnership, cancellationToken);

    public Task<Partnership?> GetPartnershipAsync(string partnershipId, CancellationToken cancellationToken = default) => inner.GetPartnershipAsync(partnershipId, cancellationToken);

    public Task<IReadOnlyList<Partnership>> ListPartnershipsAsync(CancellationToken cancellationToken = default) => inner.ListPartnershipsAsync(cancellationToken);

    public Task<PartnershipKeys> GetKeysAsync(string partnershipId, CancellationToken cancellationToken = default) => inner.GetKeysAsync(partnershipId, cancellationToken);

    public Task<PartnershipKeys> FindMeetingsAndPeopleAsync(string partnershipId, IReadOnlyCollection<string> meetingIds, IReadOnlyCollection<string> personIds, CancellationToken cancellationToken = default) =>
        inner.FindMeetingsAndPeopleAsync(partnershipId, meetingIds, personIds, cancellationToken);

    public Task<WriteOutcome> UpsertFormAsync(FormDefinition form, CancellationToken cancellationToken = default) => inner.UpsertFormAsync(form, cancellationToken);

    public Task<FormDefinition?> GetFormAsync(string formId, CancellationToken cancellationToken = default) => inner.GetFormAsync(formId, cancellationToken);

    public Task<Roster> GetRosterAsync(string partnershipId, CancellationToken cancellationToken = default) => inner.GetRosterAsync(partnershipId, cancellationToken);

    public Task<IReadOnlyList<MeetingSummary>> ListMeetingsAsync(string partnershipId, CancellationToken cancellationToken = default) => inner.ListMeetingsAsync(partnershipId, cancellationToken);

    public Task<Meeting?> GetMeetingAsync(string partnershipId, string meetingId, CancellationToken cancellationToken = default) => inner.GetMeetingAsync(partnershipId, meetingId, cancellationToken);

    public Task<IReadOnlyList<Attendance>> GetAttendanceAsync(string partnershipId, string meetingId, CancellationToken cancellationToken = default) => inner.GetAttendanceAsync(partnershipId, meetingId, cancellationToken);

    public Task<IReadOnlyList<FormSubmission>> ListFormSubmissionsAsync(string partnershipId, CancellationToken cancellationToken = default) => inner.ListFormSubmissionsAsync(partnershipId, cancellationToken);

    public Task<IReadOnlyList<Attendance>> ListAttendanceAsync(string partnershipId, CancellationToken cancellationToken = default) => inner.ListAttendanceAsync(partnershipId, cancellationToken);

    public IAsyncEnumerable<Attendance> StreamAttendanceAsync(string partnershipId, AttendanceKey? after = null, CancellationToken cancellationToken = default) => inner.StreamAttendanceAsync(partnershipId, after, cancellationToken);

    public IAsyncEnumerable<Meeting> StreamMeetingsAsync(string partnershipId, CancellationToken cancellationToken = default) => inner.StreamMeetingsAsync(partnershipId, cancellationToken);

    public Task<WriteCounts> UpsertRiskSnapshotsAsync(string partnershipId, IReadOnlyList<RiskSnapshot> snapshots, CancellationToken cancellationToken = default) => inner.UpsertRiskSnapshotsAsync(partnershipId, snapshots, cancellationToken);

    public Task<IReadOnlyList<RiskSnapshot>> ListRiskSnapshotsAsync(string partnershipId, DateOnly from, DateOnly to, CancellationToken cancellationToken = default) => inner.ListRiskSnapshotsAsync(partnershipId, from, to, cancellationToken);

    public Task<WriteOutcome> SaveModelAsync(StoredModel model, CancellationToken cancellationToken = default) => inner.SaveModelAsync(model, cancellationToken);

    public Task<StoredModel?> GetModelAsync(string version, CancellationToken cancellationToken = default) => inner.GetModelAsync(version, cancellationToken);

    public Task SetChampionAsync(string version, CancellationToken cancellationToken = default) => inner.SetChampionAsync(version, cancellationToken);

    public Task<StoredModel?> GetChampionAsync(CancellationToken cancellationToken = default) => inner.GetChampionAsync(cancellationToken);

    public Task SaveRetrainingAsync(RetrainingRecord record, CancellationToken cancellationToken = default) => inner.SaveRetrainingAsync(record, cancellationToken);

    public Task<IReadOnlyList<RetrainingRecord>> ListRetrainingsAsync(CancellationToken cancellationToken = default) => inner.ListRetrainingsAsync(cancellationToken);

    public Task<WriteOutcome> UpsertIntegrationAsync(IntegrationRegistration registration, CancellationToken cancellationToken = default) => inner.UpsertIntegrationAsync(registration, cancellationToken);

    public Task<IReadOnlyList<IntegrationRegistration>> ListIntegrationsAsync(string partnershipId, CancellationToken cancellationToken = default) => inner.ListIntegrationsAsync(partnershipId, cancellationToken);

    public Task<bool> DeleteIntegrationAsync(string partnershipId, IntegrationKind kind, string id, CancellationToken cancellationToken = default) => inner.DeleteIntegrationAsync(partnershipId, kind, id, cancellationToken);

    public Task SetIntegrationCheckpointAsync(string partnershipId, IntegrationKind kind, string id, string? checkpoint, CancellationToken cancellationToken = default) =>
        inner.SetIntegrationCheckpointAsync(partnershipId, kind, id, checkpoint, cancellationToken);

    public Task SaveAlertsAsync(string partnershipId, IReadOnlyList<Alert> alerts, IReadOnlyList<AlertNotification> notifications, CancellationToken cancellationToken = default) =>
        inner.SaveAlertsAsync(partnershipId, alerts, notifications, cancellationToken);

    public Task<IReadOnlyList<Alert>> ListAlertsAsync(string partnershipId, CancellationToken cancellationToken = default) => inner.ListAlertsAsync(partnershipId, cancellationToken);

    public Task<IReadOnlyList<AlertNotification>> ListPendingNotificationsAsync(string partnershipId, CancellationToken cancellationToken = default) => inner.ListPendingNotificationsAsync(partnershipId, cancellationToken);

    public Task<IReadOnlyList<AlertNotification>> ListNotificationsAsync(string partnershipId, string alertId, CancellationToken cancellationToken = default) => inner.ListNotificationsAsync(partnershipId, alertId, cancellationToken);

    public Task RecordDeliveryAsync(string partnershipId, string notificationId, DateTimeOffset? sentAt, string? error, CancellationToken cancellationToken = default) =>
        inner.RecordDeliveryAsync(partnershipId, notificationId, sentAt, error, cancellationToken);

    public Task RecordExportAsync(ExportAudit audit, CancellationToken cancellationToken = default) => inner.RecordExportAsync(audit, cancellationToken);

    public Task<IReadOnlyList<ExportAudit>> ListExportsAsync(DateTimeOffset since, CancellationToken cancellationToken = default) => inner.ListExportsAsync(since, cancellationToken);

    public Task<IReadOnlyList<PersonActivity>> ListPersonActivityAsync(string partnershipId, CancellationToken cancellationToken = default) => inner.ListPersonActivityAsync(partnershipId, cancellationToken);

    public Task<int> ErasePersonalDataAsync(string partnershipId, IReadOnlyList<string> personIds, DateTimeOffset submittedBefore, DateTimeOffset erasedAt, CancellationToken cancellationToken = default) =>
        inner.ErasePersonalDataAsync(partnershipId, personIds, submittedBefore, erasedAt, cancellationToken);
}
