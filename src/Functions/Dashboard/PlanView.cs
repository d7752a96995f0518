using Engagement.Core.Domain;
using Engagement.Core.Storage;

namespace Engagement.Functions.Dashboard;

/// <summary>An action as the pages show it: its state, who carries it, and the follow-up sheets it is waiting for.</summary>
/// <param name="State">Its state on the day read.</param>
/// <param name="Lead">The lead organisation's name.</param>
/// <param name="Partners">The partner organisations' names.</param>
/// <param name="Unanswered">Follow-up sheets asked for it and not answered.</param>
/// <param name="LastSheetOn">The day of its latest follow-up sheet answer, if any.</param>
public sealed record PlanActionLine(ActionState State, string Lead, IReadOnlyList<string> Partners, int Unanswered, DateOnly? LastSheetOn)
{
    /// <summary>The action.</summary>
    public PlanAction Action => State.Action;
}

/// <summary>An objective with its actions.</summary>
public sealed record PlanObjectiveLine(Objective Objective, IReadOnlyList<PlanActionLine> Actions);

/// <summary>What one organisation carries: the actions it leads and those it partners in, how many are late, its sheets.</summary>
public sealed record CarrierLine(Organization Organization, int Leads, int Partners, int Late, int Unanswered, DateOnly? LastSheetOn);

/// <summary>A follow-up sheet asked and not answered.</summary>
public sealed record UnansweredSheet(FollowUpRequest Request, string ActionTitle, string Organization);

/// <summary>A partnership's action plan as the dashboard shows it on a day.</summary>
public sealed record PlanView
{
    public required IReadOnlyList<PlanObjectiveLine> Objectives { get; init; }
    public required IReadOnlyList<CarrierLine> Carriers { get; init; }
    public required IReadOnlyList<UnansweredSheet> Unanswered { get; init; }
    public required FollowUpSchedule Schedule { get; init; }

    /// <summary>Every action of the plan known on the day.</summary>
    public IEnumerable<PlanActionLine> Actions => Objectives.SelectMany(o => o.Actions);

    /// <summary>Whether the partnership has a plan at all.</summary>
    public bool IsEmpty => Objectives.Count == 0;

    /// <summary>
    /// The plan at <paramref name="asOf"/>: states from <see cref="ActionProgress"/>, names from the roster (an id when an
    /// organisation is unknown), carriers by name, unanswered sheets of actions still open, oldest first.
    /// </summary>
    internal static PlanView Of(ActionPlan plan, Roster roster, DateTimeOffset asOf, StringComparer names)
    {
        var organizationNames = roster.Organizations.ToDictionary(o => o.Id, o => o.Name, StringComparer.Ordinal);
        string Name(string id) => organizationNames.GetValueOrDefault(id, id);
        var states = ActionProgress.At(plan, asOf);
        var open = states.Where(s => !s.IsClosed).Select(s => s.Action.Id).ToHashSet(StringComparer.Ordinal);
        var requests = plan.Requests.Where(r => r.SentAt <= asOf).ToList();
        var waiting = requests.Where(r => r.AnsweredAt is not { } answered || answered > asOf).Where(r => open.Contains(r.ActionId)).ToList();
        var sheets = plan.Updates.Where(u => u.Source == ActionUpdateSource.Sheet && u.At <= asOf).ToList();
        var lines = states.Select(s => new PlanActionLine(
            s,
            Name(s.Action.LeadOrganizationId),
            [.. s.Action.PartnerOrganizationIds.Select(Name)],
            waiting.Count(r => r.ActionId == s.Action.Id),
            sheets.Where(u => u.ActionId == s.Action.Id).Select(u => (DateOnly?)Fmt.DayOf(u.At)).Max())).ToList();
        var byObjective = lines.ToLookup(l => l.Action.ObjectiveId, StringComparer.Ordinal);
        var carriers = roster.Organizations
            .Select(o => new CarrierLine(
                o,
                lines.Count(l => l.Action.LeadOrganizationId == o.Id),
                lines.Count(l => l.Action.PartnerOrganizationIds.Contains(o.Id)),
                lines.Count(l => l.State.IsLate && l.Action.IsCarriedBy(o.Id)),
                waiting.Count(r => r.OrganizationId == o.Id),
                sheets.Where(u => u.OrganizationId == o.Id).Select(u => (DateOnly?)Fmt.DayOf(u.At)).Max()))
            .Where(c => c.Leads + c.Partners + c.Unanswered > 0)
            .OrderByDescending(c => c.Late).ThenByDescending(c => c.Unanswered).ThenBy(c => c.Organization.Name, names)
            .ToList();
        var titles = plan.Actions.ToDictionary(a => a.Id, a => a.Title, StringComparer.Ordinal);
        return new PlanView
        {
            Objectives = [.. plan.Objectives.Select(o => new PlanObjectiveLine(o, [.. byObjective[o.Id]]))],
            Carriers = carriers,
            Unanswered = [.. waiting.OrderBy(r => r.SentAt.UtcDateTime).ThenBy(r => r.Id, StringComparer.Ordinal)
                .Select(r => new UnansweredSheet(r, titles.GetValueOrDefault(r.ActionId, r.ActionId), Name(r.OrganizationId)))],
            Schedule = plan.Schedule,
        };
    }
}
