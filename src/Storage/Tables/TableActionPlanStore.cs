using Engagement.Core.Domain;
using Engagement.Core.Storage;

namespace Engagement.Storage.Tables;

/// <summary>Action plans in Azure Tables: not written yet (work in progress on this branch).</summary>
public sealed class TableActionPlanStore(TableStorage storage) : IActionPlanStore
{
    private readonly TableStorage _storage = storage;

    public Task<PlanWriteCounts> UpsertPlanAsync(string partnershipId, IReadOnlyList<Objective> objectives, IReadOnlyList<PlanAction> actions, IReadOnlyList<ActionUpdate> updates, DateTimeOffset recordedAt, CancellationToken cancellationToken = default) => throw Missing();

    public Task<ActionPlan> GetPlanAsync(string partnershipId, CancellationToken cancellationToken = default) => Task.FromResult(ActionPlan.Empty(partnershipId));

    public Task SetScheduleAsync(FollowUpSchedule schedule, CancellationToken cancellationToken = default) => throw Missing();

    public Task<bool> AddRequestAsync(FollowUpRequest request, CancellationToken cancellationToken = default) => throw Missing();

    public Task MarkRemindedAsync(string partnershipId, string requestId, DateTimeOffset remindedAt, CancellationToken cancellationToken = default) => throw Missing();

    public Task<bool> AnswerAsync(ActionUpdate update, string requestId, CancellationToken cancellationToken = default) => throw Missing();

    private NotSupportedException Missing() => new($"Action plans are not stored in Azure Tables yet ({_storage.GetType().Name}).");
}
