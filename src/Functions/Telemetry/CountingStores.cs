using Engagement.Core.Domain;
using Engagement.Core.Storage;
using Engagement.Functions.Storage;

namespace Engagement.Functions.Telemetry;

// Count the records ingestion writes (engagement.records.ingested) at the one place every path goes through: the API,
// the Power Automate submissions and the Microsoft 365 syncs all write through these three ports, and the store's own
// created / updated / unchanged counts are what is counted. Everything else is passed through unchanged.

/// <summary>Counts the organisations, people and representations written.</summary>
internal sealed class CountingRosterStore(IRosterStore inner, EngagementMetrics metrics) : IRosterStore
{
    public async Task<WriteCounts> UpsertOrganizationsAsync(string partnershipId, IReadOnlyList<Organization> organizations, CancellationToken cancellationToken = default) =>
        metrics.RecordsIngested(IngestedKind.Organizations, await inner.UpsertOrganizationsAsync(partnershipId, organizations, cancellationToken));

    public async Task<WriteCounts> UpsertPeopleAsync(string partnershipId, IReadOnlyList<Person> people, CancellationToken cancellationToken = default) =>
        metrics.RecordsIngested(IngestedKind.People, await inner.UpsertPeopleAsync(partnershipId, people, cancellationToken));

    public async Task<WriteCounts> UpsertRepresentationsAsync(string partnershipId, IReadOnlyList<Representation> representations, CancellationToken cancellationToken = default) =>
        metrics.RecordsIngested(IngestedKind.Representations, await inner.UpsertRepresentationsAsync(partnershipId, representations, cancellationToken));

    public Task<PartnershipKeys> GetKeysAsync(string partnershipId, CancellationToken cancellationToken = default) => inner.GetKeysAsync(partnershipId, cancellationToken);

    public Task<Roster> GetRosterAsync(string partnershipId, CancellationToken cancellationToken = default) => inner.GetRosterAsync(partnershipId, cancellationToken);
}

/// <summary>Counts the meetings and attendance records written.</summary>
internal sealed class CountingAttendanceStore(IAttendanceStore inner, EngagementMetrics metrics) : AttendanceStoreDecorator(inner)
{
    public override async Task<WriteCounts> UpsertMeetingsAsync(string partnershipId, IReadOnlyList<Meeting> meetings, CancellationToken cancellationToken = default) =>
        metrics.RecordsIngested(IngestedKind.Meetings, await base.UpsertMeetingsAsync(partnershipId, meetings, cancellationToken));

    public override async Task<WriteCounts> UpsertAttendanceAsync(string partnershipId, IReadOnlyList<Attendance> records, CancellationToken cancellationToken = default) =>
        metrics.RecordsIngested(IngestedKind.Attendance, await base.UpsertAttendanceAsync(partnershipId, records, cancellationToken));
}

/// <summary>Counts the form submissions written.</summary>
internal sealed class CountingFormStore(IFormStore inner, EngagementMetrics metrics) : IFormStore
{
    public async Task<WriteCounts> UpsertFormSubmissionsAsync(string partnershipId, IReadOnlyList<FormSubmission> submissions, CancellationToken cancellationToken = default) =>
        metrics.RecordsIngested(IngestedKind.Forms, await inner.UpsertFormSubmissionsAsync(partnershipId, submissions, cancellationToken));

    public Task<WriteOutcome> UpsertFormAsync(FormDefinition form, CancellationToken cancellationToken = default) => inner.UpsertFormAsync(form, cancellationToken);

    public Task<FormDefinition?> GetFormAsync(string formId, CancellationToken cancellationToken = default) => inner.GetFormAsync(formId, cancellationToken);

    public Task<IReadOnlyList<FormDefinition>> ListFormsAsync(string partnershipId, CancellationToken cancellationToken = default) => inner.ListFormsAsync(partnershipId, cancellationToken);

    public Task<IReadOnlyList<FormSubmission>> ListFormSubmissionsAsync(string partnershipId, CancellationToken cancellationToken = default) => inner.ListFormSubmissionsAsync(partnershipId, cancellationToken);
}
