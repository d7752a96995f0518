using Engagement.Core.Domain;

namespace Engagement.Core.Storage;

/// <summary>Partnerships: the unit every other record belongs to.</summary>
public interface IPartnershipStore
{
    /// <summary>Creates or replaces a partnership.</summary>
    Task<WriteOutcome> UpsertPartnershipAsync(Partnership partnership, CancellationToken cancellationToken = default);

    /// <summary>One partnership, or null.</summary>
    Task<Partnership?> GetPartnershipAsync(string partnershipId, CancellationToken cancellationToken = default);

    /// <summary>All partnerships, ordered by id.</summary>
    Task<IReadOnlyList<Partnership>> ListPartnershipsAsync(CancellationToken cancellationToken = default);
}
