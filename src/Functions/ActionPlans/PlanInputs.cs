namespace Engagement.Functions.ActionPlans;

// Wire shapes of what the action plan's API reads: text members are nullable so that a wrong value is reported by
// name, with the field's path, rather than failing deserialisation as a whole.

/// <summary>Body of <c>PUT /api/partnerships/{id}/plan</c>: objectives and actions to upsert.</summary>
internal sealed record PlanInput
{
    public IReadOnlyList<ObjectiveInput?>? Objectives { get; init; }
    public IReadOnlyList<PlanActionInput?>? Actions { get; init; }
}

/// <summary>An objective. A narrative field left out keeps what is stored; an empty string clears it.</summary>
internal sealed record ObjectiveInput
{
    public string? Id { get; init; }
    public string? Title { get; init; }
    public string? Description { get; init; }
    /// <summary>Position in the plan; left out, a stored objective keeps its own and a new one goes last.</summary>
    public int? Order { get; init; }
    public string? Results { get; init; }
    public string? Means { get; init; }
    public string? Adjustments { get; init; }
    public string? Learnings { get; init; }
}

/// <summary>An action of the plan.</summary>
internal sealed record PlanActionInput
{
    public string? Id { get; init; }
    public string? ObjectiveId { get; init; }
    public string? Title { get; init; }
    public string? LeadOrganizationId { get; init; }
    public IReadOnlyList<string?>? PartnerOrganizationIds { get; init; }
    /// <summary>yyyy-MM-dd.</summary>
    public string? StartOn { get; init; }
    /// <summary>yyyy-MM-dd, not before <see cref="StartOn"/>.</summary>
    public string? DueOn { get; init; }
    public string? Deliverables { get; init; }
    public string? Resources { get; init; }
}

/// <summary>Body of <c>POST …/plan/actions/{actionId}/updates</c>: the coordinator's word on an action.</summary>
internal sealed record ActionUpdateInput
{
    /// <summary>The client's id for the update, so a retry is stored once; derived from the update when left out.</summary>
    public string? Id { get; init; }
    /// <summary>not-started, on-track, late, done or abandoned (French words accepted).</summary>
    public string? Status { get; init; }
    public string? Done { get; init; }
    public string? Obstacles { get; init; }
    public string? HelpNeeded { get; init; }
    /// <summary>When it was said (ISO 8601 with an offset); now when left out.</summary>
    public string? At { get; init; }
}

/// <summary>Body of <c>PUT …/plan/schedule</c>: how often the follow-up sheets are sent.</summary>
internal sealed record ScheduleInput
{
    /// <summary>Days between rounds: 0 turns the sheets off, else 7 to 365.</summary>
    public int? EveryDays { get; init; }
    /// <summary>Days after a sheet is sent when an unanswered one is reminded: 0 for none, else 1 to everyDays - 1.</summary>
    public int? ReminderAfterDays { get; init; }
    /// <summary>The first round's day (yyyy-MM-dd), required when the sheets are on.</summary>
    public string? StartOn { get; init; }
}
