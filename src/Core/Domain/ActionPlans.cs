namespace Engagement.Core.Domain;

/// <summary>Where an action of the plan stands, as its carrier or the coordinator last said.</summary>
public enum ActionStatus
{
    /// <summary>Not started yet (<c>not-started</c>).</summary>
    NotStarted,
    /// <summary>Under way and on time (<c>on-track</c>).</summary>
    OnTrack,
    /// <summary>Behind its schedule (<c>late</c>).</summary>
    Late,
    /// <summary>Done: its deliverables are delivered (<c>done</c>).</summary>
    Done,
    /// <summary>Given up by the partnership (<c>abandoned</c>).</summary>
    Abandoned,
}

/// <summary>Who said where an action stands.</summary>
public enum ActionUpdateSource
{
    /// <summary>A representative of an organisation carrying it, on a follow-up sheet (<c>sheet</c>).</summary>
    Sheet,
    /// <summary>The coordinator, through the API or the dashboard (<c>coordinator</c>).</summary>
    Coordinator,
    /// <summary>The status column of an imported tracker (<c>import</c>).</summary>
    Import,
}

/// <summary>
/// An objective of a partnership's action plan ("mise en œuvre"), with what the progress report ("bilan") says of it.
/// The narrative — results, means, adjustments, learnings — is written once by the coordinator; every figure of the
/// report is recomputed from the stored data.
/// </summary>
public sealed record Objective
{
    /// <summary>Owning partnership.</summary>
    public required string PartnershipId { get; init; }
    /// <summary>Id unique within the partnership (e.g. <c>O1</c>).</summary>
    public required string Id { get; init; }
    /// <summary>What the partnership wants to achieve.</summary>
    public required string Title { get; init; }
    /// <summary>More about it, optional.</summary>
    public string? Description { get; init; }
    /// <summary>Position in the plan (objectives are listed by it, then by id).</summary>
    public int Order { get; init; }
    /// <summary>The report's narrative: results obtained.</summary>
    public string? Results { get; init; }
    /// <summary>The report's narrative: the means used.</summary>
    public string? Means { get; init; }
    /// <summary>The report's narrative: the adjustments made (and why).</summary>
    public string? Adjustments { get; init; }
    /// <summary>The report's narrative: what was learned.</summary>
    public string? Learnings { get; init; }
}

/// <summary>An action of the plan: what is to be done for an objective, by whom, by when.</summary>
public sealed record PlanAction
{
    /// <summary>Owning partnership.</summary>
    public required string PartnershipId { get; init; }
    /// <summary>Id unique within the partnership (e.g. <c>O1.A2</c>).</summary>
    public required string Id { get; init; }
    /// <summary>The objective it serves.</summary>
    public required string ObjectiveId { get; init; }
    /// <summary>What is to be done.</summary>
    public required string Title { get; init; }
    /// <summary>The organisation that leads it (it receives the follow-up sheets).</summary>
    public required string LeadOrganizationId { get; init; }
    /// <summary>The other organisations that carry it with the lead, by id.</summary>
    public IReadOnlyList<string> PartnerOrganizationIds { get; init; } = [];
    /// <summary>First day, when planned.</summary>
    public DateOnly? StartOn { get; init; }
    /// <summary>Due day, when planned: past it, an action not done is late.</summary>
    public DateOnly? DueOn { get; init; }
    /// <summary>The expected deliverables.</summary>
    public string? Deliverables { get; init; }
    /// <summary>The resources it needs (people, money, rooms…).</summary>
    public string? Resources { get; init; }
    /// <summary>
    /// When the product first knew of the action (set by the store on its first write and kept after): features read
    /// the plan as it was known at their as-of time.
    /// </summary>
    public DateTimeOffset RecordedAt { get; init; }

    /// <summary>Whether an organisation carries the action, as its lead or as a partner.</summary>
    public bool IsCarriedBy(string organizationId) =>
        LeadOrganizationId == organizationId || PartnerOrganizationIds.Contains(organizationId);
}

/// <summary>
/// Where an action stood at a time, and who said so: a follow-up sheet's answer, the coordinator's word, or an imported
/// tracker's status. An action's status is its latest update (not started when it has none).
/// </summary>
public sealed record ActionUpdate
{
    /// <summary>Owning partnership.</summary>
    public required string PartnershipId { get; init; }
    /// <summary>The action.</summary>
    public required string ActionId { get; init; }
    /// <summary>Id unique within the partnership, derived from its source so that the same update twice is stored once.</summary>
    public required string Id { get; init; }
    /// <summary>When it was said.</summary>
    public required DateTimeOffset At { get; init; }
    /// <summary>The status said.</summary>
    public required ActionStatus Status { get; init; }
    /// <summary>Who said it.</summary>
    public required ActionUpdateSource Source { get; init; }
    /// <summary>For a sheet: the organisation that answered.</summary>
    public string? OrganizationId { get; init; }
    /// <summary>For a sheet: the person who answered, when known.</summary>
    public string? PersonId { get; init; }
    /// <summary>What was done since the last sheet.</summary>
    public string? Done { get; init; }
    /// <summary>The obstacles met.</summary>
    public string? Obstacles { get; init; }
    /// <summary>The help needed from the partnership.</summary>
    public string? HelpNeeded { get; init; }
}

/// <summary>
/// A follow-up sheet asked of an organisation for one action in one round of the schedule: when it was sent, reminded
/// and answered. Its id is derived from the action, the organisation and the round, so a round is asked once.
/// </summary>
public sealed record FollowUpRequest
{
    /// <summary>Owning partnership.</summary>
    public required string PartnershipId { get; init; }
    /// <summary>The action.</summary>
    public required string ActionId { get; init; }
    /// <summary>The organisation asked.</summary>
    public required string OrganizationId { get; init; }
    /// <summary>The round: the day of the schedule it belongs to.</summary>
    public required DateOnly Round { get; init; }
    /// <summary>When the sheet was sent.</summary>
    public required DateTimeOffset SentAt { get; init; }
    /// <summary>When the reminder was sent, if it was.</summary>
    public DateTimeOffset? RemindedAt { get; init; }
    /// <summary>When it was answered, if it was.</summary>
    public DateTimeOffset? AnsweredAt { get; init; }
    /// <summary>The update its answer recorded.</summary>
    public string? UpdateId { get; init; }

    /// <summary>The request's id within the partnership.</summary>
    public string Id => IdOf(ActionId, OrganizationId, Round);

    /// <summary>The id of the request for an action, an organisation and a round.</summary>
    public static string IdOf(string actionId, string organizationId, DateOnly round) => $"{actionId}.{organizationId}.{round:yyyyMMdd}";
}

/// <summary>How often a partnership's carriers are asked for a follow-up sheet, and when they are reminded.</summary>
public sealed record FollowUpSchedule
{
    /// <summary>Owning partnership.</summary>
    public required string PartnershipId { get; init; }
    /// <summary>Days between rounds; 0 turns the sheets off (the default).</summary>
    public int EveryDays { get; init; }
    /// <summary>Days after a sheet is sent when an unanswered one is reminded once; 0 sends no reminder.</summary>
    public int ReminderAfterDays { get; init; } = 7;
    /// <summary>The first round's day; rounds fall every <see cref="EveryDays"/> after it.</summary>
    public DateOnly? StartOn { get; init; }

    /// <summary>No sheets: the schedule of a partnership that set none.</summary>
    public static FollowUpSchedule Off(string partnershipId) => new() { PartnershipId = partnershipId };

    /// <summary>The latest round on or before <paramref name="day"/>, or null when the schedule is off or has not begun.</summary>
    public DateOnly? RoundOn(DateOnly day)
    {
        if (EveryDays <= 0 || StartOn is not { } start || day < start)
        {
            return null;
        }

        return start.AddDays((day.DayNumber - start.DayNumber) / EveryDays * EveryDays);
    }
}

/// <summary>A partnership's action plan as stored: objectives, actions, their updates, the sheets asked and the schedule.</summary>
public sealed record ActionPlan
{
    /// <summary>Owning partnership.</summary>
    public required string PartnershipId { get; init; }
    /// <summary>Objectives, by order then id.</summary>
    public required IReadOnlyList<Objective> Objectives { get; init; }
    /// <summary>Actions, by objective then id.</summary>
    public required IReadOnlyList<PlanAction> Actions { get; init; }
    /// <summary>Updates, by time then id.</summary>
    public required IReadOnlyList<ActionUpdate> Updates { get; init; }
    /// <summary>Follow-up sheets asked, by round then id.</summary>
    public required IReadOnlyList<FollowUpRequest> Requests { get; init; }
    /// <summary>The sheets' schedule.</summary>
    public required FollowUpSchedule Schedule { get; init; }

    /// <summary>An empty plan.</summary>
    public static ActionPlan Empty(string partnershipId) => new()
    {
        PartnershipId = partnershipId,
        Objectives = [],
        Actions = [],
        Updates = [],
        Requests = [],
        Schedule = FollowUpSchedule.Off(partnershipId),
    };
}
