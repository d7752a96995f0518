using Engagement.Core.Domain;

namespace Engagement.Core.Storage;

/// <summary>Who belongs to a partnership: organisations, people and the representations that say who speaks for whom, and since when.</summary>
public interface IRosterStore
{
    /// <summary>Ids already known in a partnership, to check the references of a batch before writing it.</summary>
    Task<PartnershipKeys> GetKeysAsync(string partnershipId, CancellationToken cancellationToken = default);

    /// <summary>Upserts organisations of one partnership, atomically.</summary>
    Task<WriteCounts> UpsertOrganizationsAsync(string partnershipId, IReadOnlyList<Organization> organizations, CancellationToken cancellationToken = default);

    /// <summary>Upserts people of one partnership, atomically. An erased person stays erased unless a name or e-mail is given again.</summary>
    Task<WriteCounts> UpsertPeopleAsync(string partnershipId, IReadOnlyList<Person> people, CancellationToken cancellationToken = default);

    /// <summary>Upserts representations of one partnership, atomically.</summary>
    Task<WriteCounts> UpsertRepresentationsAsync(string partnershipId, IReadOnlyList<Representation> representations, CancellationToken cancellationToken = default);

    /// <summary>Organisations, people and representations of a partnership.</summary>
    Task<Roster> GetRosterAsync(string partnershipId, CancellationToken cancellationToken = default);
}
