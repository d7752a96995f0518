using Azure.Data.Tables;
using Engagement.Core.Domain;
using Engagement.Core.Storage;
using Engagement.Storage.Tables.Rows;
using static Engagement.Storage.StoredValues;

namespace Engagement.Storage.Tables;

/// <summary>
/// Action plans in their partnership's partition: objectives, actions and updates upserted by <see cref="RowWriter"/>
/// (an action keeps its first <see cref="PlanAction.RecordedAt"/>, an update is kept as first written), follow-up
/// sheets inserted once then stamped under their ETag, and the schedule as one row.
/// </summary>
/// <remarks>
/// A plan write is checked whole before anything is sent (a record too large stores nothing), then sent kind by kind:
/// objectives, actions, updates, each as transactions of up to 100 records. Should one fail, what was sent before it
/// stays stored, and sending the same plan again completes it, what was stored counting as unchanged.
/// </remarks>
public sealed class TableActionPlanStore(TableStorage storage) : IActionPlanStore
{
    public async Task<PlanWriteCounts> UpsertPlanAsync(
        string partnershipId,
        IReadOnlyList<Objective> objectives,
        IReadOnlyList<PlanAction> actions,
        IReadOnlyList<ActionUpdate> updates,
        DateTimeOffset recordedAt,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(objectives);
        ArgumentNullException.ThrowIfNull(actions);
        ArgumentNullException.ThrowIfNull(updates);
        var objectiveRows = objectives.Select(o => ObjectiveRow.From(Same(partnershipId, o.PartnershipId), o)).ToList();
        var actionRows = actions.Select(a => PlanActionRow.From(Same(partnershipId, a.PartnershipId), a, recordedAt)).ToList();
        var updateRows = updates.Select(u => ActionUpdateRow.From(Same(partnershipId, u.PartnershipId), u)).ToList();
        objectiveRows.ForEach(r => RowShape<ObjectiveRow>.Check(r));
        actionRows.ForEach(r => RowShape<PlanActionRow>.Check(r));
        updateRows.ForEach(r => RowShape<ActionUpdateRow>.Check(r));

        return new PlanWriteCounts(
            await storage.UpsertKindAsync(partnershipId, ObjectiveRow.Prefix, objectiveRows, null, cancellationToken),
            await storage.UpsertKindAsync(partnershipId, PlanActionRow.Prefix, actionRows, PlanActionRow.KeepRecordedAt, cancellationToken),
            await storage.UpsertKindAsync(partnershipId, ActionUpdateRow.Prefix, updateRows, ActionUpdateRow.KeepFirst, cancellationToken));
    }

    public async Task<ActionPlan> GetPlanAsync(string partnershipId, CancellationToken cancellationToken = default)
    {
        var objectives = storage.RangeAsync<ObjectiveRow>(partnershipId, [ObjectiveRow.Prefix], null, cancellationToken);
        var actions = storage.RangeAsync<PlanActionRow>(partnershipId, [PlanActionRow.Prefix], null, cancellationToken);
        var updates = storage.RangeAsync<ActionUpdateRow>(partnershipId, [ActionUpdateRow.Prefix], null, cancellationToken);
        var requests = storage.RangeAsync<FollowUpRequestRow>(partnershipId, [FollowUpRequestRow.Prefix], null, cancellationToken);
        var schedule = ScheduleAsync(partnershipId, cancellationToken);
        await Task.WhenAll(objectives, actions, updates, requests, schedule);
        return new ActionPlan
        {
            PartnershipId = partnershipId,
            Objectives = [.. (await objectives).Select(r => r.ToObjective()).OrderBy(o => o.Order).ThenBy(o => o.Id, StringComparer.Ordinal)],
            Actions = [.. (await actions).Select(r => r.ToAction()).OrderBy(a => a.ObjectiveId, StringComparer.Ordinal).ThenBy(a => a.Id, StringComparer.Ordinal)],
            Updates = [.. (await updates).Select(r => r.ToUpdate()).OrderBy(u => u.At.UtcDateTime).ThenBy(u => u.Id, StringComparer.Ordinal)],
            Requests = [.. (await requests).Select(r => r.ToRequest()).OrderBy(r => r.Round).ThenBy(r => r.Id, StringComparer.Ordinal)],
            Schedule = (await schedule)?.ToSchedule() ?? FollowUpSchedule.Off(partnershipId),
        };
    }

    public async Task SetScheduleAsync(FollowUpSchedule schedule, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        await storage.EnsureTablesAsync(cancellationToken);
        var row = FollowUpScheduleRow.From(schedule);
        row.UpdatedAt = storage.Time.GetUtcNow();
        await storage.Data.UpsertAsync(row, cancellationToken);
    }

    public async Task<bool> AddRequestAsync(FollowUpRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await storage.EnsureTablesAsync(cancellationToken);
        var row = FollowUpRequestRow.From(request);
        row.UpdatedAt = storage.Time.GetUtcNow();
        return await storage.Data.TryAddAsync(row, cancellationToken);
    }

    public async Task MarkRemindedAsync(string partnershipId, string requestId, DateTimeOffset remindedAt, CancellationToken cancellationToken = default)
    {
        await storage.EnsureTablesAsync(cancellationToken);
        for (var attempt = 0; ; attempt++)
        {
            // The first reminder's time stays: a sheet is reminded once.
            var stored = await storage.Data.GetAsync<FollowUpRequestRow>(partnershipId, FollowUpRequestRow.Key(requestId), cancellationToken);
            if (stored is null || stored.RemindedAt is not null)
            {
                return;
            }

            stored.RemindedAt = Instant(remindedAt);
            stored.UpdatedAt = storage.Time.GetUtcNow();
            if (await storage.Data.ReplaceAsync(stored, cancellationToken))
            {
                return;
            }

            if (attempt == TableStorage.MaxConflictRetries)
            {
                throw new StoreConflictException($"Other writers kept changing follow-up sheet '{requestId}' of partnership '{partnershipId}'.");
            }
        }
    }

    public async Task<bool> AnswerAsync(ActionUpdate update, string requestId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        await storage.EnsureTablesAsync(cancellationToken);
        var row = ActionUpdateRow.From(update.PartnershipId, update);
        var size = RowShape<ActionUpdateRow>.Check(row);
        for (var attempt = 0; ; attempt++)
        {
            // The update and its request's stamp go in one transaction: both are stored, or neither. The update is kept as
            // first written, and so is the request's first answer.
            var now = storage.Time.GetUtcNow();
            var isNew = await storage.Data.GetAsync<ActionUpdateRow>(update.PartnershipId, row.RowKey, cancellationToken) is null;
            var request = await storage.Data.GetAsync<FollowUpRequestRow>(update.PartnershipId, FollowUpRequestRow.Key(requestId), cancellationToken);
            var actions = new List<TableTransactionAction>(2);
            var sizes = new List<int>(2);
            if (isNew)
            {
                row.UpdatedAt = now;
                actions.Add(new TableTransactionAction(TableTransactionActionType.Add, row));
                sizes.Add(size);
            }

            if (request is { AnsweredAt: null })
            {
                request.AnsweredAt = Instant(update.At);
                request.UpdateId = update.Id;
                request.UpdatedAt = now;
                actions.Add(new TableTransactionAction(TableTransactionActionType.UpdateReplace, request, request.ETag));
                sizes.Add(RowShape<FollowUpRequestRow>.Check(request));
            }

            if (actions.Count == 0 || await storage.SubmitAllAsync(actions, sizes, cancellationToken) is null)
            {
                return isNew;
            }

            if (attempt == TableStorage.MaxConflictRetries)
            {
                throw new StoreConflictException($"Other writers kept answering follow-up sheet '{requestId}' of partnership '{update.PartnershipId}'.");
            }
        }
    }

    private async Task<FollowUpScheduleRow?> ScheduleAsync(string partnershipId, CancellationToken cancellationToken)
    {
        await storage.EnsureTablesAsync(cancellationToken);
        return await storage.Data.GetAsync<FollowUpScheduleRow>(partnershipId, FollowUpScheduleRow.Key, cancellationToken);
    }
}
