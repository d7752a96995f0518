using Engagement.Core.Domain;

namespace Engagement.Core.Storage;

/// <summary>Risk snapshots: the scores of each day, with their reasons.</summary>
public interface IRiskStore
{
    /// <summary>Stores risk snapshots of one partnership; the same (as-of day, organisation) replaces the earlier one.</summary>
    Task<WriteCounts> UpsertRiskSnapshotsAsync(string partnershipId, IReadOnlyList<RiskSnapshot> snapshots, CancellationToken cancellationToken = default);

    /// <summary>Risk snapshots of a partnership between two days (inclusive), by day then organisation (partnership first).</summary>
    Task<IReadOnlyList<RiskSnapshot>> ListRiskSnapshotsAsync(string partnershipId, DateOnly from, DateOnly to, CancellationToken cancellationToken = default);

    /// <summary>One organisation's risk snapshots between two days (inclusive), by day.</summary>
    Task<IReadOnlyList<RiskSnapshot>> ListOrganizationSnapshotsAsync(string partnershipId, string organizationId, DateOnly from, DateOnly to, CancellationToken cancellationToken = default);

    /// <summary>
    /// The scores of a partnership between two days (inclusive), in the order of <see cref="ListRiskSnapshotsAsync"/>,
    /// without their reasons and feature values: what a chart of the risk over time draws, at a fraction of the cost
    /// (a year of daily scores of 40 organisations is 15,000 snapshots).
    /// </summary>
    Task<IReadOnlyList<RiskPoint>> ListRiskPointsAsync(string partnershipId, DateOnly from, DateOnly to, CancellationToken cancellationToken = default);
}
