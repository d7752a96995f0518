using Engagement.Core.Domain;

namespace Engagement.Core.Storage;

/// <summary>Risk snapshots: the scores of each day, with their reasons.</summary>
public interface IRiskStore
{
    /// <summary>Stores risk snapshots of one partnership; the same (as-of day, organisation) replaces the earlier one.</summary>
    Task<WriteCounts> UpsertRiskSnapshotsAsync(string partnershipId, IReadOnlyList<RiskSnapshot> snapshots, CancellationToken cancellationToken = default);

    /// <summary>Risk snapshots of a partnership between two days (inclusive), by day then organisation (partnership first).</summary>
    Task<IReadOnlyList<RiskSnapshot>> ListRiskSnapshotsAsync(string partnershipId, DateOnly from, DateOnly to, CancellationToken cancellationToken = default);
}
