using Engagement.Core.Domain;
using Engagement.Core.Ingestion;
using Engagement.Core.Storage;
using Engagement.Core.Validation;

namespace Engagement.Functions.ActionPlans;

/// <summary>
/// The action plan through the API: reads it as it stands today, upserts objectives and actions, records the
/// coordinator's word on an action, sets the follow-up sheets' schedule. Every input is checked whole — ids, texts,
/// references to the plan and the roster — before anything is written.
/// </summary>
internal sealed class ActionPlanService(IngestionService ingestion, IRosterStore rosterStore, IActionPlanStore planStore, TimeProvider time)
{
    /// <summary>Most objectives, and most actions, in one request.</summary>
    public const int MaxItems = 2_000;

    /// <summary>Longest multi-line text (descriptions, deliverables, the report's narrative, an update's texts).</summary>
    public const int MaxLongText = TrackerSheet.MaxLongText;

    /// <summary>How far ahead of the clock an update's time may be (clocks differ a little).</summary>
    private static readonly TimeSpan Skew = TimeSpan.FromMinutes(5);

    public async Task<PlanView> ReadAsync(string partnershipId, CancellationToken cancellationToken)
    {
        await ingestion.RequirePartnershipAsync(partnershipId, cancellationToken);
        var roster = await rosterStore.GetRosterAsync(partnershipId, cancellationToken);
        var plan = await planStore.GetPlanAsync(partnershipId, cancellationToken);
        return PlanViews.From(plan, roster.Organizations, time.GetUtcNow());
    }

    public async Task<PlanWriteCounts> PutAsync(string partnershipId, PlanInput? input, CancellationToken cancellationToken)
    {
        await ingestion.RequirePartnershipAsync(partnershipId, cancellationToken);
        var errors = new ValidationErrors();
        if (input is null || ((input.Objectives?.Count ?? 0) + (input.Actions?.Count ?? 0)) == 0)
        {
            errors.Add("body", "A JSON object with a non-empty 'objectives' or 'actions' array is required.");
            throw new ValidationFailedException(errors);
        }

        foreach (var (field, count) in new[] { ("objectives", input.Objectives?.Count ?? 0), ("actions", input.Actions?.Count ?? 0) })
        {
            if (count > MaxItems)
            {
                throw new BatchTooLargeException(field, count, MaxItems);
            }
        }

        var roster = await rosterStore.GetRosterAsync(partnershipId, cancellationToken);
        var plan = await planStore.GetPlanAsync(partnershipId, cancellationToken);
        var objectives = Objectives(partnershipId, input.Objectives ?? [], plan, errors);
        var known = plan.Objectives.Select(o => o.Id).Concat(objectives.Select(o => o.Id)).ToHashSet(StringComparer.Ordinal);
        var organizations = roster.Organizations.Select(o => o.Id).ToHashSet(StringComparer.Ordinal);
        var actions = Actions(partnershipId, input.Actions ?? [], known, organizations, errors);
        if (!errors.IsValid)
        {
            throw new ValidationFailedException(errors);
        }

        return await planStore.UpsertPlanAsync(partnershipId, objectives, actions, [], time.GetUtcNow(), cancellationToken);
    }

    /// <summary>Records the coordinator's word on an action; true when it is new (a retry answers the stored update).</summary>
    public async Task<(bool Created, ActionUpdate Update)> AddUpdateAsync(string partnershipId, string actionId, ActionUpdateInput? input, CancellationToken cancellationToken)
    {
        await ingestion.RequirePartnershipAsync(partnershipId, cancellationToken);
        var plan = await planStore.GetPlanAsync(partnershipId, cancellationToken);
        if (!plan.Actions.Any(a => a.Id == actionId))
        {
            throw new NotFoundException("actionId", $"Action '{actionId}' is not in the plan of partnership '{partnershipId}'.");
        }

        var errors = new ValidationErrors();
        if (input is null)
        {
            errors.Add("body", "A JSON object with 'status' is required.");
            throw new ValidationFailedException(errors);
        }

        var now = time.GetUtcNow();
        var status = Check.Enum<ActionStatus>(input.Status, "status", errors);
        var done = LongText(input.Done, "done", errors);
        var obstacles = LongText(input.Obstacles, "obstacles", errors);
        var helpNeeded = LongText(input.HelpNeeded, "helpNeeded", errors);
        var at = input.At is null ? now : Check.Timestamp(input.At, "at", errors);
        if (input.At is not null && at > now + Skew)
        {
            errors.Add("at", $"'at' ({at:O}) is in the future; an update says where an action stood, not where it will stand.");
        }

        var clientId = input.Id is null ? null : Check.Id(input.Id, "id", errors);
        if (!errors.IsValid)
        {
            throw new ValidationFailedException(errors);
        }

        // Without a time or an id of the client's, a retry would be a new update a moment later: the same word as the
        // action's latest update, from the coordinator, is that update.
        var latest = plan.Updates.Where(u => u.ActionId == actionId).OrderBy(u => u.At.UtcDateTime).ThenBy(u => u.Id, StringComparer.Ordinal).LastOrDefault();
        if (clientId is null && input.At is null && latest is { Source: ActionUpdateSource.Coordinator } && latest.Status == status
            && latest.Done == done && latest.Obstacles == obstacles && latest.HelpNeeded == helpNeeded)
        {
            return (false, latest);
        }

        var update = new ActionUpdate
        {
            PartnershipId = partnershipId,
            ActionId = actionId,
            Id = "coordinator." + (clientId is not null
                ? TrackerPlan.Hash(actionId, "client", clientId)
                : TrackerPlan.Hash(actionId, WireNames.Format(status), at.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture), done, obstacles, helpNeeded)),
            At = at,
            Status = status,
            Source = ActionUpdateSource.Coordinator,
            Done = done,
            Obstacles = obstacles,
            HelpNeeded = helpNeeded,
        };
        var counts = await planStore.UpsertPlanAsync(partnershipId, [], [], [update], now, cancellationToken);
        if (counts.Updates.Created == 1)
        {
            return (true, update);
        }

        // Kept as first written: answer what is stored.
        var stored = (await planStore.GetPlanAsync(partnershipId, cancellationToken)).Updates.FirstOrDefault(u => u.Id == update.Id) ?? update;
        return (false, stored);
    }

    public async Task<FollowUpSchedule> SetScheduleAsync(string partnershipId, ScheduleInput? input, CancellationToken cancellationToken)
    {
        await ingestion.RequirePartnershipAsync(partnershipId, cancellationToken);
        var errors = new ValidationErrors();
        if (input is null)
        {
            errors.Add("body", "A JSON object with 'everyDays' is required.");
            throw new ValidationFailedException(errors);
        }

        var everyDays = input.EveryDays ?? 0;
        if (input.EveryDays is null)
        {
            errors.Add("everyDays", "'everyDays' is required: 0 turns the follow-up sheets off, else 7 to 365 days between rounds.");
        }
        else if (everyDays != 0 && everyDays is < 7 or > 365)
        {
            errors.Add("everyDays", $"'everyDays' is {everyDays}; use 0 to turn the follow-up sheets off, else 7 to 365 days between rounds.");
        }

        var reminder = input.ReminderAfterDays ?? (everyDays >= 7 ? Math.Min(7, everyDays - 1) : 0);
        if (reminder != 0 && (everyDays < 7 || reminder < 1 || reminder > everyDays - 1))
        {
            errors.Add("reminderAfterDays", everyDays >= 7
                ? $"'reminderAfterDays' is {reminder}; use 0 for no reminder, else 1 to {everyDays - 1} (before the next round)."
                : $"'reminderAfterDays' is {reminder}; with the sheets off it must be 0.");
        }

        var startOn = Check.Date(input.StartOn, "startOn", errors, required: everyDays > 0);
        if (!errors.IsValid)
        {
            throw new ValidationFailedException(errors);
        }

        var schedule = new FollowUpSchedule { PartnershipId = partnershipId, EveryDays = everyDays, ReminderAfterDays = reminder, StartOn = startOn };
        await planStore.SetScheduleAsync(schedule, cancellationToken);
        return schedule;
    }

    private static List<Objective> Objectives(string partnershipId, IReadOnlyList<ObjectiveInput?> inputs, ActionPlan plan, ValidationErrors errors)
    {
        var stored = plan.Objectives.ToDictionary(o => o.Id, StringComparer.Ordinal);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var nextOrder = plan.Objectives.Select(o => o.Order).Concat(inputs.Select(i => i?.Order ?? 0)).DefaultIfEmpty(0).Max();
        var objectives = new List<Objective>(inputs.Count);
        for (var i = 0; i < inputs.Count; i++)
        {
            var p = $"objectives[{i}]";
            if (inputs[i] is not { } input)
            {
                errors.Add(p, $"'{p}' must be an object.");
                continue;
            }

            var id = Check.Id(input.Id, $"{p}.id", errors);
            Unique(seen, id, i, $"{p}.id", errors);
            if (input.Order is < 0 or > 100_000)
            {
                errors.Add($"{p}.order", $"'{p}.order' must be 0 to 100000.");
            }

            var known = stored.GetValueOrDefault(id);
            objectives.Add(new Objective
            {
                PartnershipId = partnershipId,
                Id = id,
                Title = Check.RequiredText(input.Title, $"{p}.title", errors),
                Order = input.Order ?? known?.Order ?? ++nextOrder,
                Description = Narrative(input.Description, known?.Description, $"{p}.description", errors),
                Results = Narrative(input.Results, known?.Results, $"{p}.results", errors),
                Means = Narrative(input.Means, known?.Means, $"{p}.means", errors),
                Adjustments = Narrative(input.Adjustments, known?.Adjustments, $"{p}.adjustments", errors),
                Learnings = Narrative(input.Learnings, known?.Learnings, $"{p}.learnings", errors),
            });
        }

        return objectives;
    }

    private static List<PlanAction> Actions(string partnershipId, IReadOnlyList<PlanActionInput?> inputs, HashSet<string> objectives, HashSet<string> organizations, ValidationErrors errors)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var actions = new List<PlanAction>(inputs.Count);
        for (var i = 0; i < inputs.Count; i++)
        {
            var p = $"actions[{i}]";
            if (inputs[i] is not { } input)
            {
                errors.Add(p, $"'{p}' must be an object.");
                continue;
            }

            var id = Check.Id(input.Id, $"{p}.id", errors);
            Unique(seen, id, i, $"{p}.id", errors);
            var objectiveId = Check.Id(input.ObjectiveId, $"{p}.objectiveId", errors);
            if (objectiveId.Length > 0 && !objectives.Contains(objectiveId))
            {
                errors.Add($"{p}.objectiveId", $"Objective '{objectiveId}' is neither in this request nor in the partnership's plan.");
            }

            var lead = Organization(input.LeadOrganizationId, $"{p}.leadOrganizationId", partnershipId, organizations, errors);
            var partners = Partners(input.PartnerOrganizationIds ?? [], lead, p, partnershipId, organizations, errors);
            var startOn = Check.Date(input.StartOn, $"{p}.startOn", errors, required: false);
            var dueOn = Check.Date(input.DueOn, $"{p}.dueOn", errors, required: false);
            if (startOn is { } start && dueOn is { } due && due < start)
            {
                errors.Add($"{p}.dueOn", $"'{p}.dueOn' ({due:yyyy-MM-dd}) is before '{p}.startOn' ({start:yyyy-MM-dd}).");
            }

            actions.Add(new PlanAction
            {
                PartnershipId = partnershipId,
                Id = id,
                ObjectiveId = objectiveId,
                Title = Check.RequiredText(input.Title, $"{p}.title", errors),
                LeadOrganizationId = lead,
                PartnerOrganizationIds = partners,
                StartOn = startOn,
                DueOn = dueOn,
                Deliverables = LongText(input.Deliverables, $"{p}.deliverables", errors),
                Resources = LongText(input.Resources, $"{p}.resources", errors),
            });
        }

        return actions;
    }

    // Each registered, listed once, and not the lead.
    private static List<string> Partners(IReadOnlyList<string?> list, string lead, string p, string partnershipId, HashSet<string> organizations, ValidationErrors errors)
    {
        var partners = new List<string>();
        for (var j = 0; j < list.Count; j++)
        {
            var field = $"{p}.partnerOrganizationIds[{j}]";
            var partner = Organization(list[j], field, partnershipId, organizations, errors);
            if (partner.Length == 0)
            {
                continue;
            }

            if (partner == lead)
            {
                errors.Add(field, $"'{partner}' is the action's lead; partners are the other organisations that carry it.");
            }
            else if (partners.Contains(partner, StringComparer.Ordinal))
            {
                errors.Add(field, $"'{partner}' is listed twice.");
            }
            else
            {
                partners.Add(partner);
            }
        }

        return partners;
    }

    private static string Organization(string? value, string field, string partnershipId, HashSet<string> organizations, ValidationErrors errors)
    {
        var id = Check.Id(value, field, errors);
        if (id.Length > 0 && !organizations.Contains(id))
        {
            errors.Add(field, $"Organisation '{id}' is not registered in partnership '{partnershipId}'.");
        }

        return id;
    }

    private static void Unique(Dictionary<string, int> seen, string id, int index, string field, ValidationErrors errors)
    {
        if (id.Length > 0 && !seen.TryAdd(id, index))
        {
            errors.Add(field, $"Duplicate id: '{id}' already appears at index {seen[id]} of this request.");
        }
    }

    // Left out keeps what is stored; an empty string clears it.
    private static string? Narrative(string? value, string? stored, string field, ValidationErrors errors) =>
        value is null ? stored : LongText(value, field, errors);

    /// <summary>A text of several lines (line breaks kept as \n), trimmed and bounded; blank becomes null.</summary>
    public static string? LongText(string? value, string field, ValidationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var text = value.ReplaceLineEndings("\n").Trim();
        if (text.Length > MaxLongText)
        {
            errors.Add(field, $"'{field}' must be at most {MaxLongText} characters.");
        }

        if (text.Any(c => char.IsControl(c) && c is not ('\n' or '\t')))
        {
            errors.Add(field, $"'{field}' must not contain control characters other than line breaks and tabs.");
        }

        return text;
    }
}
