using Engagement.Core.Domain;

namespace Engagement.Core.Storage;

/// <summary>Form registrations (which partnership a form belongs to) and their submissions.</summary>
public interface IFormStore
{
    /// <summary>Registers or replaces a form definition.</summary>
    Task<WriteOutcome> UpsertFormAsync(FormDefinition form, CancellationToken cancellationToken = default);

    /// <summary>A registered form, or null.</summary>
    Task<FormDefinition?> GetFormAsync(string formId, CancellationToken cancellationToken = default);

    /// <summary>The forms registered to a partnership, by id.</summary>
    Task<IReadOnlyList<FormDefinition>> ListFormsAsync(string partnershipId, CancellationToken cancellationToken = default);

    /// <summary>Upserts form submissions of one partnership, atomically.</summary>
    Task<WriteCounts> UpsertFormSubmissionsAsync(string partnershipId, IReadOnlyList<FormSubmission> submissions, CancellationToken cancellationToken = default);

    /// <summary>Form submissions of a partnership, ordered by submission time.</summary>
    Task<IReadOnlyList<FormSubmission>> ListFormSubmissionsAsync(string partnershipId, CancellationToken cancellationToken = default);
}
