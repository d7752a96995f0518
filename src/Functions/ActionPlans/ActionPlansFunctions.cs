using Engagement.Core.Ingestion;
using Engagement.Core.Storage;
using Engagement.Functions.OpenApi;
using Engagement.Functions.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;

namespace Engagement.Functions.ActionPlans;

/// <summary>
/// A partnership's action plan: objectives, the actions partners carry and where each stands, recorded by API or by
/// importing the Excel tracker the coordinator already keeps; the follow-up sheets' schedule.
/// </summary>
[Tags("Action plans")]
internal sealed class ActionPlansFunctions(ActionPlanService plans, TrackerImport import, IngestionService ingestion, IRosterStore rosterStore)
{
    [Function("GetActionPlan")]
    [Access(AccessPolicy.Read, PartnershipScope.Route)]
    [EndpointSummary("The plan as it stands today: objectives in order, each action's status and lateness, who carries it, its latest update and the follow-up sheets not answered; the sheets' schedule.")]
    public Task<Ok<PlanView>> Get(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "partnerships/{partnershipId}/plan")] HttpRequest request, string partnershipId, CancellationToken cancellationToken) =>
        ActionPlansApi.GetAsync(partnershipId, plans, cancellationToken);

    [Function("PutActionPlan")]
    [Access(AccessPolicy.Configure, PartnershipScope.Route)]
    [Accepts(typeof(PlanInput), "application/json")]
    [EndpointSummary("Upserts objectives and actions of the plan (idempotent); answers what was created, updated or unchanged.")]
    [EndpointDescription("An objective's narrative (description, results, means, adjustments, learnings) left out keeps what is stored; an empty string clears it. Actions not in the request are left as they are.")]
    public Task<Ok<PlanWriteView>> Put(
        [HttpTrigger(AuthorizationLevel.Function, "put", Route = "partnerships/{partnershipId}/plan")] HttpRequest request, string partnershipId, CancellationToken cancellationToken) =>
        ActionPlansApi.PutAsync(partnershipId, request, plans, cancellationToken);

    [Function("PostActionUpdate")]
    [Access(AccessPolicy.Configure, PartnershipScope.Route)]
    [Accepts(typeof(ActionUpdateInput), "application/json")]
    [EndpointSummary("Records the coordinator's word on an action: its status, what was done, the obstacles, the help needed.")]
    [EndpointDescription("A retry of the same request stores one update: send an 'id' of your own, or the same 'at'; without either, the same word as the action's latest update from the coordinator is that update.")]
    public Task<Results<Created<ActionUpdateView>, Ok<ActionUpdateView>>> PostUpdate(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "partnerships/{partnershipId}/plan/actions/{actionId}/updates")] HttpRequest request, string partnershipId, string actionId, CancellationToken cancellationToken) =>
        ActionPlansApi.PostUpdateAsync(partnershipId, actionId, request, plans, cancellationToken);

    [Function("PutFollowUpSchedule")]
    [Access(AccessPolicy.Configure, PartnershipScope.Route)]
    [Accepts(typeof(ScheduleInput), "application/json")]
    [EndpointSummary("Sets how often the carriers of actions get a follow-up sheet (everyDays: 0 off, else 7-365), when an unanswered one is reminded, and the first round's day.")]
    public Task<Ok<ScheduleView>> PutSchedule(
        [HttpTrigger(AuthorizationLevel.Function, "put", Route = "partnerships/{partnershipId}/plan/schedule")] HttpRequest request, string partnershipId, CancellationToken cancellationToken) =>
        ActionPlansApi.PutScheduleAsync(partnershipId, request, plans, cancellationToken);

    [Function("ImportTracker")]
    [Access(AccessPolicy.Configure, PartnershipScope.Route)]
    [Accepts(typeof(byte[]), TrackerTemplate.ContentType, "multipart/form-data")]
    [EndpointSummary("Imports the Excel tracker (.xlsx, French or English headers): the body itself, or a form upload with the file in 'tracker'. Nothing is written when a cell is wrong.")]
    [EndpointDescription("Problems are listed in the partnership's language, each under its cell (e.g. 'F14': « ligne 14, colonne « Échéance » : date illisible « 31 juin » »). Importing the same file twice changes nothing; an edited file updates in place. At most 5 MB and 2,000 rows.")]
    public Task<Ok<TrackerImportView>> Import(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "partnerships/{partnershipId}/plan/import")] HttpRequest request, string partnershipId, CancellationToken cancellationToken) =>
        ActionPlansApi.ImportAsync(partnershipId, request, ingestion, import, cancellationToken);

    [Function("GetTrackerTemplate")]
    [Access(AccessPolicy.Read, PartnershipScope.Route)]
    [Microsoft.AspNetCore.Mvc.Produces(TrackerTemplate.ContentType)]
    [EndpointSummary("A tracker template to fill in and import: the columns, a sheet explaining each and the statuses, the partnership's organisations (?lang=fr|en, default the partnership's language).")]
    public Task<IResult> Template(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "partnerships/{partnershipId}/plan/template.xlsx")] HttpRequest request, string partnershipId, CancellationToken cancellationToken) =>
        ActionPlansApi.TemplateAsync(partnershipId, request, ingestion, rosterStore, cancellationToken);
}
