using Engagement.Core.Domain;

namespace Engagement.Core.Storage;

/// <summary>Counts of a plan write, one per kind of record.</summary>
/// <param name="Objectives">What happened to the objectives.</param>
/// <param name="Actions">What happened to the actions.</param>
/// <param name="Updates">What happened to the updates.</param>
public readonly record struct PlanWriteCounts(WriteCounts Objectives, WriteCounts Actions, WriteCounts Updates);

/// <summary>A partnership's action plan: objectives, actions, their updates, the follow-up sheets asked and their schedule.</summary>
public interface IActionPlanStore
{
    /// <summary>
    /// Upserts objectives, actions and updates of one partnership in one write (an imported tracker, an API batch). An
    /// action keeps the <see cref="PlanAction.RecordedAt"/> of its first write; a new one takes <paramref name="recordedAt"/>.
    /// Updates are kept as first written (the same id again changes nothing).
    /// </summary>
    Task<PlanWriteCounts> UpsertPlanAsync(
        string partnershipId,
        IReadOnlyList<Objective> objectives,
        IReadOnlyList<PlanAction> actions,
        IReadOnlyList<ActionUpdate> updates,
        DateTimeOffset recordedAt,
        CancellationToken cancellationToken = default);

    /// <summary>The whole plan of a partnership (empty, schedule off, when it has none).</summary>
    Task<ActionPlan> GetPlanAsync(string partnershipId, CancellationToken cancellationToken = default);

    /// <summary>Sets the follow-up sheets' schedule.</summary>
    Task SetScheduleAsync(FollowUpSchedule schedule, CancellationToken cancellationToken = default);

    /// <summary>Records a follow-up sheet as asked unless that round was already asked: true when it is new.</summary>
    Task<bool> AddRequestAsync(FollowUpRequest request, CancellationToken cancellationToken = default);

    /// <summary>Records that an unanswered request was reminded (the first time is kept).</summary>
    Task MarkRemindedAsync(string partnershipId, string requestId, DateTimeOffset remindedAt, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records a sheet's answer: the update (kept as first written) and, on its request, when it was answered and by which
    /// update (the first answer is kept). True when the update is new.
    /// </summary>
    Task<bool> AnswerAsync(ActionUpdate update, string requestId, CancellationToken cancellationToken = default);
}
