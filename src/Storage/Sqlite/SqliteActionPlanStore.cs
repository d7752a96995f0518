using System.Text.Json;
using Engagement.Core.Domain;
using Engagement.Core.Storage;
using static Engagement.Storage.StoredValues;
using static Engagement.Storage.Sqlite.SqliteDatabase;

namespace Engagement.Storage.Sqlite;

/// <summary>
/// Action plans in SQLite: <c>objectives</c>, <c>plan_actions</c> and <c>action_updates</c> written in one transaction,
/// <c>follow_up_requests</c> (inserted once, then stamped) and <c>follow_up_schedules</c>.
/// </summary>
public sealed class SqliteActionPlanStore(SqliteDatabase db) : IActionPlanStore
{
    public Task<PlanWriteCounts> UpsertPlanAsync(
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
        var objectiveRows = objectives.Select(o => new object?[]
        {
            Same(partnershipId, o.PartnershipId), o.Id, o.Title, o.Description, o.Order, o.Results, o.Means, o.Adjustments, o.Learnings,
        }).ToList();
        var actionRows = actions.Select(a => new object?[]
        {
            Same(partnershipId, a.PartnershipId), a.Id, a.ObjectiveId, a.Title, a.LeadOrganizationId, JsonSerializer.Serialize(a.PartnerOrganizationIds, Json),
            a.StartOn is { } start ? Date(start) : null, a.DueOn is { } due ? Date(due) : null, a.Deliverables, a.Resources, Instant(recordedAt),
        }).ToList();
        var updateRows = updates.Select(u => UpdateRow(Same(partnershipId, u.PartnershipId), u)).ToList();
        return RunAsync(() => db.InTransactionAsync(
            async (connection, transaction) => new PlanWriteCounts(
                await db.UpsertRowsAsync(connection, transaction, SqlTables.Objectives, objectiveRows, cancellationToken),
                await db.UpsertRowsAsync(connection, transaction, SqlTables.PlanActions, actionRows, cancellationToken),
                await db.UpsertRowsAsync(connection, transaction, SqlTables.ActionUpdates, updateRows, cancellationToken)),
            cancellationToken));
    }

    public async Task<ActionPlan> GetPlanAsync(string partnershipId, CancellationToken cancellationToken = default)
    {
        var objectives = await db.QueryAsync(
            "SELECT id, title, description, sort_order, results, means, adjustments, learnings FROM objectives WHERE partnership_id = $p0 ORDER BY sort_order, id",
            [partnershipId],
            r => new Objective
            {
                PartnershipId = partnershipId,
                Id = r.GetString(0),
                Title = r.GetString(1),
                Description = Text(r, 2),
                Order = r.GetInt32(3),
                Results = Text(r, 4),
                Means = Text(r, 5),
                Adjustments = Text(r, 6),
                Learnings = Text(r, 7),
            },
            cancellationToken);
        var actions = await db.QueryAsync(
            "SELECT id, objective_id, title, lead_organization_id, partner_organization_ids, start_on, due_on, deliverables, resources, recorded_at FROM plan_actions WHERE partnership_id = $p0 ORDER BY objective_id, id",
            [partnershipId],
            r => new PlanAction
            {
                PartnershipId = partnershipId,
                Id = r.GetString(0),
                ObjectiveId = r.GetString(1),
                Title = r.GetString(2),
                LeadOrganizationId = r.GetString(3),
                PartnerOrganizationIds = JsonSerializer.Deserialize<List<string>>(r.GetString(4), Json) ?? [],
                StartOn = r.IsDBNull(5) ? null : ParseDate(r.GetString(5)),
                DueOn = r.IsDBNull(6) ? null : ParseDate(r.GetString(6)),
                Deliverables = Text(r, 7),
                Resources = Text(r, 8),
                RecordedAt = ParseInstant(r.GetString(9)),
            },
            cancellationToken);
        var updates = await db.QueryAsync(
            "SELECT id, action_id, at, status, source, organization_id, person_id, done, obstacles, help_needed FROM action_updates WHERE partnership_id = $p0 ORDER BY at_utc, id",
            [partnershipId],
            r => new ActionUpdate
            {
                PartnershipId = partnershipId,
                Id = r.GetString(0),
                ActionId = r.GetString(1),
                At = ParseInstant(r.GetString(2)),
                Status = Parse<ActionStatus>(r.GetString(3)),
                Source = Parse<ActionUpdateSource>(r.GetString(4)),
                OrganizationId = Text(r, 5),
                PersonId = Text(r, 6),
                Done = Text(r, 7),
                Obstacles = Text(r, 8),
                HelpNeeded = Text(r, 9),
            },
            cancellationToken);
        var requests = await db.QueryAsync(
            "SELECT action_id, organization_id, round, sent_at, reminded_at, answered_at, update_id FROM follow_up_requests WHERE partnership_id = $p0 ORDER BY round, id",
            [partnershipId],
            r => new FollowUpRequest
            {
                PartnershipId = partnershipId,
                ActionId = r.GetString(0),
                OrganizationId = r.GetString(1),
                Round = ParseDate(r.GetString(2)),
                SentAt = ParseInstant(r.GetString(3)),
                RemindedAt = r.IsDBNull(4) ? null : ParseInstant(r.GetString(4)),
                AnsweredAt = r.IsDBNull(5) ? null : ParseInstant(r.GetString(5)),
                UpdateId = Text(r, 6),
            },
            cancellationToken);
        var schedules = await db.QueryAsync(
            "SELECT every_days, reminder_after_days, start_on FROM follow_up_schedules WHERE partnership_id = $p0",
            [partnershipId],
            r => new FollowUpSchedule
            {
                PartnershipId = partnershipId,
                EveryDays = r.GetInt32(0),
                ReminderAfterDays = r.GetInt32(1),
                StartOn = r.IsDBNull(2) ? null : ParseDate(r.GetString(2)),
            },
            cancellationToken);
        return new ActionPlan
        {
            PartnershipId = partnershipId,
            Objectives = objectives,
            Actions = actions,
            Updates = updates,
            Requests = requests,
            Schedule = schedules.Count == 0 ? FollowUpSchedule.Off(partnershipId) : schedules[0],
        };
    }

    public Task SetScheduleAsync(FollowUpSchedule schedule, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        return db.ExecuteAsync(
            "INSERT INTO follow_up_schedules (partnership_id, every_days, reminder_after_days, start_on) VALUES ($p0, $p1, $p2, $p3) ON CONFLICT (partnership_id) DO UPDATE SET every_days = excluded.every_days, reminder_after_days = excluded.reminder_after_days, start_on = excluded.start_on",
            [schedule.PartnershipId, schedule.EveryDays, schedule.ReminderAfterDays, schedule.StartOn is { } start ? Date(start) : null],
            cancellationToken);
    }

    public async Task<bool> AddRequestAsync(FollowUpRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return await db.ExecuteAsync(
            "INSERT INTO follow_up_requests (partnership_id, id, action_id, organization_id, round, sent_at, reminded_at, answered_at, update_id) VALUES ($p0, $p1, $p2, $p3, $p4, $p5, $p6, $p7, $p8) ON CONFLICT DO NOTHING",
            [
                request.PartnershipId, request.Id, request.ActionId, request.OrganizationId, Date(request.Round), Instant(request.SentAt),
                request.RemindedAt is { } reminded ? Instant(reminded) : null, request.AnsweredAt is { } answered ? Instant(answered) : null, request.UpdateId,
            ],
            cancellationToken) == 1;
    }

    public Task MarkRemindedAsync(string partnershipId, string requestId, DateTimeOffset remindedAt, CancellationToken cancellationToken = default) =>
        db.ExecuteAsync(
            "UPDATE follow_up_requests SET reminded_at = $p2 WHERE partnership_id = $p0 AND id = $p1 AND reminded_at IS NULL",
            [partnershipId, requestId, Instant(remindedAt)],
            cancellationToken);

    public Task<bool> AnswerAsync(ActionUpdate update, string requestId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        var row = UpdateRow(update.PartnershipId, update);
        return RunAsync(() => db.InTransactionAsync(
            async (connection, transaction) =>
            {
                var counts = await db.UpsertRowsAsync(connection, transaction, SqlTables.ActionUpdates, [row], cancellationToken);
                await using var stamp = Command(
                    connection,
                    "UPDATE follow_up_requests SET answered_at = $p2, update_id = $p3 WHERE partnership_id = $p0 AND id = $p1 AND answered_at IS NULL",
                    [update.PartnershipId, requestId, Instant(update.At), update.Id],
                    transaction);
                await stamp.ExecuteNonQueryAsync(cancellationToken);
                return counts.Created == 1;
            },
            cancellationToken));
    }

    private static object?[] UpdateRow(string partnershipId, ActionUpdate u) =>
    [
        partnershipId, u.Id, u.ActionId, Instant(u.At), Utc(u.At), WireNames.Format(u.Status), WireNames.Format(u.Source),
        u.OrganizationId, u.PersonId, u.Done, u.Obstacles, u.HelpNeeded,
    ];

    private static string? Text(Microsoft.Data.Sqlite.SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);
}
