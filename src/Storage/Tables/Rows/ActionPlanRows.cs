using System.Runtime.Serialization;
using System.Text.Json;
using Engagement.Core.Domain;
using static Engagement.Storage.StoredValues;

#pragma warning disable CA1051 // Fields, so that LongText can fill them by reference.

namespace Engagement.Storage.Tables.Rows;

// An action plan lives in its partnership's partition of {prefix}Data, one key range per kind. The texts people write at
// length (an objective's narrative, an action's deliverables, a follow-up sheet's answers) span several properties as
// long answers do (LongText), so whatever SQLite holds, Tables holds too.

/// <summary>An objective of the plan, in <c>{prefix}Data</c>: RowKey <c>objective|id</c>.</summary>
internal sealed class ObjectiveRow : TableRow
{
    public const string Prefix = "objective";

    public string? Id { get; set; }

    public string? Title { get; set; }

    public int Order { get; set; }

    [IgnoreDataMember]
    public string? Description
    {
        get => LongText.Join(DescriptionParts, Description0, Description1, Description2, Description3, Description4, Description5, Description6, Description7, Description8, Description9, Description10, Description11, Description12, Description13, Description14, Description15);
        set => DescriptionParts = LongText.Split("Description", value, ref Description0, ref Description1, ref Description2, ref Description3, ref Description4, ref Description5, ref Description6, ref Description7, ref Description8, ref Description9, ref Description10, ref Description11, ref Description12, ref Description13, ref Description14, ref Description15);
    }

    public int? DescriptionParts { get; set; }

    public string? Description0, Description1, Description2, Description3, Description4, Description5, Description6, Description7, Description8, Description9, Description10, Description11, Description12, Description13, Description14, Description15;

    [IgnoreDataMember]
    public string? Results
    {
        get => LongText.Join(ResultsParts, Results0, Results1, Results2, Results3, Results4, Results5, Results6, Results7, Results8, Results9, Results10, Results11, Results12, Results13, Results14, Results15);
        set => ResultsParts = LongText.Split("Results", value, ref Results0, ref Results1, ref Results2, ref Results3, ref Results4, ref Results5, ref Results6, ref Results7, ref Results8, ref Results9, ref Results10, ref Results11, ref Results12, ref Results13, ref Results14, ref Results15);
    }

    public int? ResultsParts { get; set; }

    public string? Results0, Results1, Results2, Results3, Results4, Results5, Results6, Results7, Results8, Results9, Results10, Results11, Results12, Results13, Results14, Results15;

    [IgnoreDataMember]
    public string? Means
    {
        get => LongText.Join(MeansParts, Means0, Means1, Means2, Means3, Means4, Means5, Means6, Means7, Means8, Means9, Means10, Means11, Means12, Means13, Means14, Means15);
        set => MeansParts = LongText.Split("Means", value, ref Means0, ref Means1, ref Means2, ref Means3, ref Means4, ref Means5, ref Means6, ref Means7, ref Means8, ref Means9, ref Means10, ref Means11, ref Means12, ref Means13, ref Means14, ref Means15);
    }

    public int? MeansParts { get; set; }

    public string? Means0, Means1, Means2, Means3, Means4, Means5, Means6, Means7, Means8, Means9, Means10, Means11, Means12, Means13, Means14, Means15;

    [IgnoreDataMember]
    public string? Adjustments
    {
        get => LongText.Join(AdjustmentsParts, Adjustments0, Adjustments1, Adjustments2, Adjustments3, Adjustments4, Adjustments5, Adjustments6, Adjustments7, Adjustments8, Adjustments9, Adjustments10, Adjustments11, Adjustments12, Adjustments13, Adjustments14, Adjustments15);
        set => AdjustmentsParts = LongText.Split("Adjustments", value, ref Adjustments0, ref Adjustments1, ref Adjustments2, ref Adjustments3, ref Adjustments4, ref Adjustments5, ref Adjustments6, ref Adjustments7, ref Adjustments8, ref Adjustments9, ref Adjustments10, ref Adjustments11, ref Adjustments12, ref Adjustments13, ref Adjustments14, ref Adjustments15);
    }

    public int? AdjustmentsParts { get; set; }

    public string? Adjustments0, Adjustments1, Adjustments2, Adjustments3, Adjustments4, Adjustments5, Adjustments6, Adjustments7, Adjustments8, Adjustments9, Adjustments10, Adjustments11, Adjustments12, Adjustments13, Adjustments14, Adjustments15;

    [IgnoreDataMember]
    public string? Learnings
    {
        get => LongText.Join(LearningsParts, Learnings0, Learnings1, Learnings2, Learnings3, Learnings4, Learnings5, Learnings6, Learnings7, Learnings8, Learnings9, Learnings10, Learnings11, Learnings12, Learnings13, Learnings14, Learnings15);
        set => LearningsParts = LongText.Split("Learnings", value, ref Learnings0, ref Learnings1, ref Learnings2, ref Learnings3, ref Learnings4, ref Learnings5, ref Learnings6, ref Learnings7, ref Learnings8, ref Learnings9, ref Learnings10, ref Learnings11, ref Learnings12, ref Learnings13, ref Learnings14, ref Learnings15);
    }

    public int? LearningsParts { get; set; }

    public string? Learnings0, Learnings1, Learnings2, Learnings3, Learnings4, Learnings5, Learnings6, Learnings7, Learnings8, Learnings9, Learnings10, Learnings11, Learnings12, Learnings13, Learnings14, Learnings15;

    public static string Key(string id) => TableKeys.Compose(Prefix, id);

    public static ObjectiveRow From(string partitionKey, Objective objective) => new()
    {
        PartitionKey = partitionKey,
        RowKey = Key(objective.Id),
        Id = objective.Id,
        Title = objective.Title,
        Order = objective.Order,
        Description = objective.Description,
        Results = objective.Results,
        Means = objective.Means,
        Adjustments = objective.Adjustments,
        Learnings = objective.Learnings,
    };

    public Objective ToObjective() => new()
    {
        PartnershipId = PartitionKey,
        Id = Id!,
        Title = Title!,
        Order = Order,
        Description = Description,
        Results = Results,
        Means = Means,
        Adjustments = Adjustments,
        Learnings = Learnings,
    };
}

/// <summary>An action of the plan, in <c>{prefix}Data</c>: RowKey <c>action|id</c>.</summary>
internal sealed class PlanActionRow : TableRow
{
    public const string Prefix = "action";

    public string? Id { get; set; }

    public string? ObjectiveId { get; set; }

    public string? Title { get; set; }

    public string? LeadOrganizationId { get; set; }

    /// <summary>JSON array, in the order given.</summary>
    public string? PartnerOrganizationIds { get; set; }

    /// <summary><c>yyyy-MM-dd</c>, or null.</summary>
    public string? StartOn { get; set; }

    /// <summary><c>yyyy-MM-dd</c>, or null.</summary>
    public string? DueOn { get; set; }

    /// <summary>When the store first wrote the action, with its offset; kept by every later write.</summary>
    public string? RecordedAt { get; set; }

    [IgnoreDataMember]
    public string? Deliverables
    {
        get => LongText.Join(DeliverablesParts, Deliverables0, Deliverables1, Deliverables2, Deliverables3, Deliverables4, Deliverables5, Deliverables6, Deliverables7, Deliverables8, Deliverables9, Deliverables10, Deliverables11, Deliverables12, Deliverables13, Deliverables14, Deliverables15);
        set => DeliverablesParts = LongText.Split("Deliverables", value, ref Deliverables0, ref Deliverables1, ref Deliverables2, ref Deliverables3, ref Deliverables4, ref Deliverables5, ref Deliverables6, ref Deliverables7, ref Deliverables8, ref Deliverables9, ref Deliverables10, ref Deliverables11, ref Deliverables12, ref Deliverables13, ref Deliverables14, ref Deliverables15);
    }

    public int? DeliverablesParts { get; set; }

    public string? Deliverables0, Deliverables1, Deliverables2, Deliverables3, Deliverables4, Deliverables5, Deliverables6, Deliverables7, Deliverables8, Deliverables9, Deliverables10, Deliverables11, Deliverables12, Deliverables13, Deliverables14, Deliverables15;

    [IgnoreDataMember]
    public string? Resources
    {
        get => LongText.Join(ResourcesParts, Resources0, Resources1, Resources2, Resources3, Resources4, Resources5, Resources6, Resources7, Resources8, Resources9, Resources10, Resources11, Resources12, Resources13, Resources14, Resources15);
        set => ResourcesParts = LongText.Split("Resources", value, ref Resources0, ref Resources1, ref Resources2, ref Resources3, ref Resources4, ref Resources5, ref Resources6, ref Resources7, ref Resources8, ref Resources9, ref Resources10, ref Resources11, ref Resources12, ref Resources13, ref Resources14, ref Resources15);
    }

    public int? ResourcesParts { get; set; }

    public string? Resources0, Resources1, Resources2, Resources3, Resources4, Resources5, Resources6, Resources7, Resources8, Resources9, Resources10, Resources11, Resources12, Resources13, Resources14, Resources15;

    public static string Key(string id) => TableKeys.Compose(Prefix, id);

    /// <summary>The row for an action as written: <see cref="PlanAction.RecordedAt"/> is the store's to set, never taken from the caller.</summary>
    public static PlanActionRow From(string partitionKey, PlanAction action, DateTimeOffset recordedAt) => new()
    {
        PartitionKey = partitionKey,
        RowKey = Key(action.Id),
        Id = action.Id,
        ObjectiveId = action.ObjectiveId,
        Title = action.Title,
        LeadOrganizationId = action.LeadOrganizationId,
        PartnerOrganizationIds = JsonSerializer.Serialize(action.PartnerOrganizationIds, RowJson.Web),
        StartOn = action.StartOn is { } start ? Date(start) : null,
        DueOn = action.DueOn is { } due ? Date(due) : null,
        RecordedAt = Instant(recordedAt),
        Deliverables = action.Deliverables,
        Resources = action.Resources,
    };

    /// <summary>An action written again keeps the time the store first knew of it.</summary>
    public static void KeepRecordedAt(PlanActionRow candidate, PlanActionRow? stored)
    {
        if (stored?.RecordedAt is { } recordedAt)
        {
            candidate.RecordedAt = recordedAt;
        }
    }

    public PlanAction ToAction() => new()
    {
        PartnershipId = PartitionKey,
        Id = Id!,
        ObjectiveId = ObjectiveId!,
        Title = Title!,
        LeadOrganizationId = LeadOrganizationId!,
        PartnerOrganizationIds = JsonSerializer.Deserialize<List<string>>(PartnerOrganizationIds ?? "[]", RowJson.Web) ?? [],
        StartOn = StartOn is { } start ? ParseDate(start) : null,
        DueOn = DueOn is { } due ? ParseDate(due) : null,
        Deliverables = Deliverables,
        Resources = Resources,
        RecordedAt = ParseInstant(RecordedAt!),
    };
}

/// <summary>What was said of an action at a time, in <c>{prefix}Data</c>: RowKey <c>actionupdate|id</c>; kept as first written.</summary>
internal sealed class ActionUpdateRow : TableRow
{
    public const string Prefix = "actionupdate";

    public string? Id { get; set; }

    public string? ActionId { get; set; }

    /// <summary>When it was said, with its offset, as given.</summary>
    public string? At { get; set; }

    /// <summary>The instant, typed, to order and select by.</summary>
    public DateTimeOffset? AtUtc { get; set; }

    public string? Status { get; set; }

    public string? Source { get; set; }

    public string? OrganizationId { get; set; }

    public string? PersonId { get; set; }

    [IgnoreDataMember]
    public string? Done
    {
        get => LongText.Join(DoneParts, Done0, Done1, Done2, Done3, Done4, Done5, Done6, Done7, Done8, Done9, Done10, Done11, Done12, Done13, Done14, Done15);
        set => DoneParts = LongText.Split("Done", value, ref Done0, ref Done1, ref Done2, ref Done3, ref Done4, ref Done5, ref Done6, ref Done7, ref Done8, ref Done9, ref Done10, ref Done11, ref Done12, ref Done13, ref Done14, ref Done15);
    }

    public int? DoneParts { get; set; }

    public string? Done0, Done1, Done2, Done3, Done4, Done5, Done6, Done7, Done8, Done9, Done10, Done11, Done12, Done13, Done14, Done15;

    [IgnoreDataMember]
    public string? Obstacles
    {
        get => LongText.Join(ObstaclesParts, Obstacles0, Obstacles1, Obstacles2, Obstacles3, Obstacles4, Obstacles5, Obstacles6, Obstacles7, Obstacles8, Obstacles9, Obstacles10, Obstacles11, Obstacles12, Obstacles13, Obstacles14, Obstacles15);
        set => ObstaclesParts = LongText.Split("Obstacles", value, ref Obstacles0, ref Obstacles1, ref Obstacles2, ref Obstacles3, ref Obstacles4, ref Obstacles5, ref Obstacles6, ref Obstacles7, ref Obstacles8, ref Obstacles9, ref Obstacles10, ref Obstacles11, ref Obstacles12, ref Obstacles13, ref Obstacles14, ref Obstacles15);
    }

    public int? ObstaclesParts { get; set; }

    public string? Obstacles0, Obstacles1, Obstacles2, Obstacles3, Obstacles4, Obstacles5, Obstacles6, Obstacles7, Obstacles8, Obstacles9, Obstacles10, Obstacles11, Obstacles12, Obstacles13, Obstacles14, Obstacles15;

    [IgnoreDataMember]
    public string? HelpNeeded
    {
        get => LongText.Join(HelpNeededParts, HelpNeeded0, HelpNeeded1, HelpNeeded2, HelpNeeded3, HelpNeeded4, HelpNeeded5, HelpNeeded6, HelpNeeded7, HelpNeeded8, HelpNeeded9, HelpNeeded10, HelpNeeded11, HelpNeeded12, HelpNeeded13, HelpNeeded14, HelpNeeded15);
        set => HelpNeededParts = LongText.Split("HelpNeeded", value, ref HelpNeeded0, ref HelpNeeded1, ref HelpNeeded2, ref HelpNeeded3, ref HelpNeeded4, ref HelpNeeded5, ref HelpNeeded6, ref HelpNeeded7, ref HelpNeeded8, ref HelpNeeded9, ref HelpNeeded10, ref HelpNeeded11, ref HelpNeeded12, ref HelpNeeded13, ref HelpNeeded14, ref HelpNeeded15);
    }

    public int? HelpNeededParts { get; set; }

    public string? HelpNeeded0, HelpNeeded1, HelpNeeded2, HelpNeeded3, HelpNeeded4, HelpNeeded5, HelpNeeded6, HelpNeeded7, HelpNeeded8, HelpNeeded9, HelpNeeded10, HelpNeeded11, HelpNeeded12, HelpNeeded13, HelpNeeded14, HelpNeeded15;

    public static string Key(string id) => TableKeys.Compose(Prefix, id);

    public static ActionUpdateRow From(string partitionKey, ActionUpdate update) => new()
    {
        PartitionKey = partitionKey,
        RowKey = Key(update.Id),
        Id = update.Id,
        ActionId = update.ActionId,
        At = Instant(update.At),
        AtUtc = update.At.ToUniversalTime(),
        Status = WireNames.Format(update.Status),
        Source = WireNames.Format(update.Source),
        OrganizationId = update.OrganizationId,
        PersonId = update.PersonId,
        Done = update.Done,
        Obstacles = update.Obstacles,
        HelpNeeded = update.HelpNeeded,
    };

    /// <summary>An update is kept as first written: the same id again changes nothing.</summary>
    public static void KeepFirst(ActionUpdateRow candidate, ActionUpdateRow? stored)
    {
        if (stored is null)
        {
            return;
        }

        candidate.ActionId = stored.ActionId;
        candidate.At = stored.At;
        candidate.AtUtc = stored.AtUtc;
        candidate.Status = stored.Status;
        candidate.Source = stored.Source;
        candidate.OrganizationId = stored.OrganizationId;
        candidate.PersonId = stored.PersonId;
        candidate.Done = stored.Done;
        candidate.Obstacles = stored.Obstacles;
        candidate.HelpNeeded = stored.HelpNeeded;
    }

    public ActionUpdate ToUpdate() => new()
    {
        PartnershipId = PartitionKey,
        Id = Id!,
        ActionId = ActionId!,
        At = ParseInstant(At!),
        Status = Parse<ActionStatus>(Status),
        Source = Parse<ActionUpdateSource>(Source),
        OrganizationId = OrganizationId,
        PersonId = PersonId,
        Done = Done,
        Obstacles = Obstacles,
        HelpNeeded = HelpNeeded,
    };
}

/// <summary>
/// A follow-up sheet asked, in <c>{prefix}Data</c>: RowKey <c>followup|request id</c>. Inserted once; then only its
/// reminder and its answer are stamped, each the first time.
/// </summary>
internal sealed class FollowUpRequestRow : TableRow
{
    public const string Prefix = "followup";

    public string? ActionId { get; set; }

    public string? OrganizationId { get; set; }

    /// <summary><c>yyyy-MM-dd</c>.</summary>
    public string? Round { get; set; }

    /// <summary>Instants with their offsets, as given.</summary>
    public string? SentAt { get; set; }

    public string? RemindedAt { get; set; }

    public string? AnsweredAt { get; set; }

    public string? UpdateId { get; set; }

    public static string Key(string requestId) => TableKeys.Compose(Prefix, requestId);

    public static FollowUpRequestRow From(FollowUpRequest request) => new()
    {
        PartitionKey = request.PartnershipId,
        RowKey = Key(request.Id),
        ActionId = request.ActionId,
        OrganizationId = request.OrganizationId,
        Round = Date(request.Round),
        SentAt = Instant(request.SentAt),
        RemindedAt = request.RemindedAt is { } reminded ? Instant(reminded) : null,
        AnsweredAt = request.AnsweredAt is { } answered ? Instant(answered) : null,
        UpdateId = request.UpdateId,
    };

    public FollowUpRequest ToRequest() => new()
    {
        PartnershipId = PartitionKey,
        ActionId = ActionId!,
        OrganizationId = OrganizationId!,
        Round = ParseDate(Round!),
        SentAt = ParseInstant(SentAt!),
        RemindedAt = RemindedAt is { } reminded ? ParseInstant(reminded) : null,
        AnsweredAt = AnsweredAt is { } answered ? ParseInstant(answered) : null,
        UpdateId = UpdateId,
    };
}

/// <summary>The follow-up sheets' schedule, in <c>{prefix}Data</c>: the one row <c>followupschedule</c> of the partition.</summary>
internal sealed class FollowUpScheduleRow : TableRow
{
    public const string Key = "followupschedule";

    public int EveryDays { get; set; }

    public int ReminderAfterDays { get; set; }

    /// <summary><c>yyyy-MM-dd</c>, or null.</summary>
    public string? StartOn { get; set; }

    public static FollowUpScheduleRow From(FollowUpSchedule schedule) => new()
    {
        PartitionKey = schedule.PartnershipId,
        RowKey = Key,
        EveryDays = schedule.EveryDays,
        ReminderAfterDays = schedule.ReminderAfterDays,
        StartOn = schedule.StartOn is { } start ? Date(start) : null,
    };

    public FollowUpSchedule ToSchedule() => new()
    {
        PartnershipId = PartitionKey,
        EveryDays = EveryDays,
        ReminderAfterDays = ReminderAfterDays,
        StartOn = StartOn is { } start ? ParseDate(start) : null,
    };
}
