namespace Engagement.Core.Domain;

/// <summary>Where one action stands on a day: its status, whether it is late and since when.</summary>
/// <param name="Action">The action.</param>
/// <param name="Status">Its latest update's status (not started when it has none).</param>
/// <param name="Latest">Its latest update, if any.</param>
/// <param name="LateSince">
/// The first day it has been late without a break: the day after its due day, or the day an update first said late,
/// whichever came first; null when it is not late.
/// </param>
/// <param name="Day">The day it was read on.</param>
public sealed record ActionState(PlanAction Action, ActionStatus Status, ActionUpdate? Latest, DateOnly? LateSince, DateOnly Day)
{
    /// <summary>Done or abandoned: nothing more is expected of it.</summary>
    public bool IsClosed => Status is ActionStatus.Done or ActionStatus.Abandoned;

    /// <summary>Open and past its due day, or said late.</summary>
    public bool IsLate => LateSince is not null;

    /// <summary>Days it has been late on <see cref="Day"/> (0 when it is not).</summary>
    public int DaysLate => LateSince is { } since ? Math.Max(0, Day.DayNumber - since.DayNumber) : 0;
}

/// <summary>
/// Reads an action plan at a point in time: the actions known then, each with the status its latest update gave it by
/// then. The dashboard, the progress report, the features and the alerts all read lateness here, so they agree.
/// </summary>
public static class ActionProgress
{
    /// <summary>
    /// The actions of <paramref name="plan"/> known at <paramref name="asOf"/> (recorded at or before it), with their state
    /// on the Montréal day of <paramref name="asOf"/> from the updates made at or before it; in the plan's order.
    /// </summary>
    public static IReadOnlyList<ActionState> At(ActionPlan plan, DateTimeOffset asOf)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var day = DateOnly.FromDateTime(MontrealClock.ToLocal(asOf).DateTime);
        var updates = plan.Updates
            .Where(u => u.At <= asOf)
            .GroupBy(u => u.ActionId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderBy(u => u.At.UtcDateTime).ThenBy(u => u.Id, StringComparer.Ordinal).ToList(), StringComparer.Ordinal);
        return
        [
            .. plan.Actions
                .Where(a => a.RecordedAt <= asOf)
                .Select(a => StateOf(a, updates.TryGetValue(a.Id, out var list) ? list : [], day)),
        ];
    }

    /// <summary>The state on <paramref name="day"/> of an action given its updates up to then, oldest first.</summary>
    public static ActionState StateOf(PlanAction action, IReadOnlyList<ActionUpdate> updates, DateOnly day)
    {
        ArgumentNullException.ThrowIfNull(action);
        ArgumentNullException.ThrowIfNull(updates);
        var latest = updates.Count == 0 ? null : updates[^1];
        var status = latest?.Status ?? ActionStatus.NotStarted;
        if (status is ActionStatus.Done or ActionStatus.Abandoned)
        {
            return new ActionState(action, status, latest, null, day);
        }

        DateOnly? since = null;
        if (action.DueOn is { } due && due < day)
        {
            since = due.AddDays(1);
        }

        if (status == ActionStatus.Late)
        {
            // The current run of "late" updates: from the first one after the last update that said otherwise.
            var first = updates.Count - 1;
            while (first > 0 && updates[first - 1].Status == ActionStatus.Late)
            {
                first--;
            }

            var saidOn = DateOnly.FromDateTime(MontrealClock.ToLocal(updates[first].At).DateTime);
            since = since is { } s && s < saidOn ? s : saidOn;
        }

        return new ActionState(action, status, latest, since, day);
    }
}
