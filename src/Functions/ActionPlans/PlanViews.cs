using Engagement.Core.Domain;
using Engagement.Core.Storage;
using Engagement.Functions.Partnerships;

namespace Engagement.Functions.ActionPlans;

// Wire shapes of what the action plan's API answers; kept apart from the domain records so either can change alone.

/// <summary>A partnership's plan as it stands on a day.</summary>
internal sealed record PlanView(string PartnershipId, DateTimeOffset AsOf, DateOnly Day, PlanSummaryView Summary, IReadOnlyList<ObjectiveView> Objectives, ScheduleView Schedule);

/// <summary>Counts over the whole plan.</summary>
internal sealed record PlanSummaryView(int Objectives, int Actions, int Late, int Done, int Abandoned, int UnansweredSheets);

internal sealed record ObjectiveView(
    string Id,
    string Title,
    string? Description,
    int Order,
    string? Results,
    string? Means,
    string? Adjustments,
    string? Learnings,
    IReadOnlyList<ActionView> Actions);

internal sealed record OrganizationRefView(string Id, string? Name);

internal sealed record ActionView(
    string Id,
    string ObjectiveId,
    string Title,
    string Status,
    bool Closed,
    bool Late,
    DateOnly? LateSince,
    int DaysLate,
    OrganizationRefView Lead,
    IReadOnlyList<OrganizationRefView> Partners,
    DateOnly? StartOn,
    DateOnly? DueOn,
    string? Deliverables,
    string? Resources,
    DateTimeOffset RecordedAt,
    ActionUpdateView? LatestUpdate,
    IReadOnlyList<FollowUpSheetView> UnansweredSheets);

internal sealed record ActionUpdateView(string Id, string ActionId, DateTimeOffset At, string Status, string Source, string? OrganizationId, string? Done, string? Obstacles, string? HelpNeeded)
{
    public static ActionUpdateView From(ActionUpdate u) =>
        new(u.Id, u.ActionId, u.At, WireNames.Format(u.Status), WireNames.Format(u.Source), u.OrganizationId, u.Done, u.Obstacles, u.HelpNeeded);
}

/// <summary>A follow-up sheet asked of an organisation and not answered yet.</summary>
internal sealed record FollowUpSheetView(string Id, string OrganizationId, string? OrganizationName, DateOnly Round, DateTimeOffset SentAt, DateTimeOffset? RemindedAt);

internal sealed record ScheduleView(bool On, int EveryDays, int ReminderAfterDays, DateOnly? StartOn)
{
    public static ScheduleView From(FollowUpSchedule s) => new(s.EveryDays > 0, s.EveryDays, s.ReminderAfterDays, s.StartOn);
}

/// <summary>What a plan write did, per kind of record.</summary>
internal sealed record PlanWriteView(WriteResponse Objectives, WriteResponse Actions, WriteResponse Updates)
{
    public static PlanWriteView From(PlanWriteCounts counts) =>
        new(WriteResponse.From(counts.Objectives), WriteResponse.From(counts.Actions), WriteResponse.From(counts.Updates));
}

/// <summary>What an import read and wrote.</summary>
internal sealed record TrackerImportView(string Sheet, int HeaderRow, int ActionsRead, IReadOnlyList<string> IgnoredColumns, WriteResponse Objectives, WriteResponse Actions, WriteResponse Updates)
{
    public static TrackerImportView From(TrackerImportResult result) => new(
        result.Sheet ?? string.Empty,
        result.HeaderRow ?? 0,
        result.Actions,
        result.IgnoredColumns,
        WriteResponse.From(result.Counts.Objectives),
        WriteResponse.From(result.Counts.Actions),
        WriteResponse.From(result.Counts.Updates));
}

/// <summary>Builds <see cref="PlanView"/> from the stored plan, its state read by <see cref="ActionProgress"/>.</summary>
internal static class PlanViews
{
    public static PlanView From(ActionPlan plan, IReadOnlyList<Organization> organizations, DateTimeOffset asOf)
    {
        var names = organizations.ToDictionary(o => o.Id, o => o.Name, StringComparer.Ordinal);
        OrganizationRefView Org(string id) => new(id, names.GetValueOrDefault(id));
        var unanswered = plan.Requests.Where(r => r.AnsweredAt is null).ToLookup(r => r.ActionId, StringComparer.Ordinal);
        var states = ActionProgress.At(plan, asOf);
        var byObjective = states.ToLookup(s => s.Action.ObjectiveId, StringComparer.Ordinal);
        var day = states.Count > 0 ? states[0].Day : DateOnly.FromDateTime(MontrealClock.ToLocal(asOf).DateTime);

        ActionView Action(ActionState s) => new(
            s.Action.Id,
            s.Action.ObjectiveId,
            s.Action.Title,
            WireNames.Format(s.Status),
            s.IsClosed,
            s.IsLate,
            s.LateSince,
            s.DaysLate,
            Org(s.Action.LeadOrganizationId),
            [.. s.Action.PartnerOrganizationIds.Select(Org)],
            s.Action.StartOn,
            s.Action.DueOn,
            s.Action.Deliverables,
            s.Action.Resources,
            s.Action.RecordedAt,
            s.Latest is { } latest ? ActionUpdateView.From(latest) : null,
            [.. unanswered[s.Action.Id].Select(r => new FollowUpSheetView(r.Id, r.OrganizationId, names.GetValueOrDefault(r.OrganizationId), r.Round, r.SentAt, r.RemindedAt))]);

        var objectives = plan.Objectives.Select(o => new ObjectiveView(
            o.Id, o.Title, o.Description, o.Order, o.Results, o.Means, o.Adjustments, o.Learnings,
            [.. byObjective[o.Id].OrderBy(s => s.Action.Id, NaturalOrder.Instance).Select(Action)])).ToList();
        var summary = new PlanSummaryView(
            plan.Objectives.Count,
            states.Count,
            states.Count(s => s.IsLate),
            states.Count(s => s.Status == ActionStatus.Done),
            states.Count(s => s.Status == ActionStatus.Abandoned),
            states.Sum(s => unanswered[s.Action.Id].Count()));
        return new PlanView(plan.PartnershipId, asOf, day, summary, objectives, ScheduleView.From(plan.Schedule));
    }
}

/// <summary>Orders ids as people number them: <c>O1.2</c> before <c>O1.10</c>.</summary>
internal sealed class NaturalOrder : IComparer<string>
{
    public static readonly NaturalOrder Instance = new();

    public int Compare(string? x, string? y)
    {
        if (x is null || y is null)
        {
            return string.CompareOrdinal(x, y);
        }

        int i = 0, j = 0;
        while (i < x.Length && j < y.Length)
        {
            if (char.IsAsciiDigit(x[i]) && char.IsAsciiDigit(y[j]))
            {
                var (a, nextI) = Digits(x, i);
                var (b, nextJ) = Digits(y, j);
                var byValue = a.TrimStart('0').Length != b.TrimStart('0').Length
                    ? a.TrimStart('0').Length.CompareTo(b.TrimStart('0').Length)
                    : string.CompareOrdinal(a.TrimStart('0'), b.TrimStart('0'));
                if (byValue != 0)
                {
                    return byValue;
                }

                (i, j) = (nextI, nextJ);
                continue;
            }

            if (x[i] != y[j])
            {
                return x[i].CompareTo(y[j]);
            }

            i++;
            j++;
        }

        return (x.Length - i).CompareTo(y.Length - j) is var rest && rest != 0 ? rest : string.CompareOrdinal(x, y);
    }

    private static (string Digits, int Next) Digits(string s, int start)
    {
        var end = start;
        while (end < s.Length && char.IsAsciiDigit(s[end]))
        {
            end++;
        }

        return (s[start..end], end);
    }
}
