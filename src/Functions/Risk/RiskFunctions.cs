using Engagement.Core.Ingestion;
using Engagement.Core.Storage;
using Engagement.Functions.Hosting;
using Engagement.Functions.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;

namespace Engagement.Functions.Risk;

/// <summary>Disengagement risk: the scores as read by coordinators, the models and retraining decisions as an admin reads them, and the timers that score and retrain.</summary>
[Tags("Risk")]
internal sealed class RiskFunctions(RiskService risk, IngestionService ingestion, IPartnershipStore partnershipStore, IRosterStore rosterStore, IRiskStore riskStore, IModelStore modelStore, TimeProvider time, TimerRun run)
{
    [Function("ListRisk")]
    [Access(AccessPolicy.Read, PartnershipScope.Listing)]
    [EndpointSummary("Every partnership this key may see, highest risk first, with its latest score.")]
    public Task<Ok<IReadOnlyList<PartnershipRiskSummary>>> List(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "risk")] HttpRequest request, CancellationToken cancellationToken) =>
        RiskApi.ListAsync(partnershipStore, riskStore, request.HttpContext.User, time, cancellationToken);

    [Function("GetPartnershipRisk")]
    [Access(AccessPolicy.Read, PartnershipScope.Route)]
    [EndpointSummary("A partnership's current risk, its organisations' risks with reasons, and the history of scores.")]
    public Task<Ok<PartnershipRiskDetail>> Get(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "partnerships/{partnershipId}/risk")] HttpRequest request, string partnershipId, CancellationToken cancellationToken) =>
        RiskApi.GetAsync(partnershipId, ingestion, rosterStore, riskStore, time, cancellationToken);

    [Function("ListModels")]
    [Access(AccessPolicy.Administer, PartnershipScope.None)]
    [EndpointSummary("The champion model (null while the documented prior scores) and the retraining decisions, newest first, with both evaluations; ?top= (1–500, default 50) limits the decisions.")]
    public Task<Ok<ModelsView>> ListModels(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "risk/models")] HttpRequest request, CancellationToken cancellationToken) =>
        RiskApi.ListModelsAsync(request, modelStore, cancellationToken);

    /// <summary>Features → model → snapshots, for every partnership, once per day (idempotent per day); alerts follow.</summary>
    [Function("ScoreRisk")]
    public Task ScoreRisk([TimerTrigger("%Schedules:ScoreRisk%")] TimerInfo timer, CancellationToken cancellationToken) =>
        run.RunAsync("ScoreRisk", timer, () => risk.ScoreAllAsync(cancellationToken));

    /// <summary>Trains a challenger; promotes it only if it beats the champion on the later time slice.</summary>
    [Function("RetrainModel")]
    public Task RetrainModel([TimerTrigger("%Schedules:RetrainModel%")] TimerInfo timer, CancellationToken cancellationToken) =>
        run.RunAsync("RetrainModel", timer, () => risk.RetrainAsync(cancellationToken));
}
