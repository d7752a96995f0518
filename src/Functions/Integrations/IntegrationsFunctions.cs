using Engagement.Core.Domain;
using Engagement.Core.Ingestion;
using Engagement.Core.Storage;
using Engagement.Functions.Hosting;
using Engagement.Functions.Partnerships;
using Engagement.Functions.OpenApi;
using Engagement.Functions.Security;
using Engagement.Graph.Teams;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;

namespace Engagement.Functions.Integrations;

/// <summary>Microsoft 365 sources of a partnership, and the timers that sync them through Microsoft Graph.</summary>
[Tags("Microsoft 365")]
internal sealed class IntegrationsFunctions(IngestionService ingestion, IRosterStore rosterStore, IAttendanceStore attendanceStore, IFormStore formStore, IIntegrationStore integrationStore, TeamsOrganizers organizers, GraphSyncs syncs, TimerRun run)
{
    [Function("ListIntegrations")]
    [Access(AccessPolicy.Configure, PartnershipScope.Route)]
    [EndpointSummary("The Teams meetings, Forms workbooks and groups registered for the partnership, with their sync checkpoints.")]
    public Task<Ok<IReadOnlyList<IntegrationView>>> List(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "partnerships/{partnershipId}/integrations")] HttpRequest request, string partnershipId, CancellationToken cancellationToken) =>
        IntegrationsApi.ListAsync(partnershipId, ingestion, integrationStore, cancellationToken);

    [Function("PutIntegration")]
    [Access(AccessPolicy.Configure, PartnershipScope.Route)]
    [Accepts(typeof(Dictionary<string, string>), "application/json")]
    [EndpointSummary("Registers a source. teams-meeting/{meetingId}: organizerUserId (object id, or user principal name looked up in Graph) and joinUrl (or onlineMeetingId).")]
    public Task<Results<Created<WriteResponse>, Ok<WriteResponse>>> Put(
        [HttpTrigger(AuthorizationLevel.Function, "put", Route = "partnerships/{partnershipId}/integrations/{kind}/{id}")] HttpRequest request,
        string partnershipId, string kind, string id, CancellationToken cancellationToken) =>
        IntegrationsApi.PutAsync(partnershipId, kind, id, request, ingestion, rosterStore, attendanceStore, formStore, integrationStore, organizers, cancellationToken);

    [Function("DeleteIntegration")]
    [Access(AccessPolicy.Configure, PartnershipScope.Route)]
    [EndpointSummary("Stops following a source; what it stored stays.")]
    public Task<NoContent> Delete(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = "partnerships/{partnershipId}/integrations/{kind}/{id}")] HttpRequest request,
        string partnershipId, string kind, string id, CancellationToken cancellationToken) =>
        IntegrationsApi.DeleteAsync(partnershipId, kind, id, integrationStore, cancellationToken);

    /// <summary>Reads new Teams attendance reports of the registered meetings.</summary>
    [Function("SyncTeamsAttendance")]
    public Task SyncTeamsAttendance([TimerTrigger("%Schedules:SyncTeamsAttendance%")] TimerInfo timer, CancellationToken cancellationToken) =>
        run.RunAsync("SyncTeamsAttendance", timer, () => syncs.RunAsync(IntegrationKind.TeamsMeeting, cancellationToken));

    /// <summary>Reads new rows of the registered Forms workbooks as form submissions.</summary>
    [Function("SyncFormsWorkbook")]
    public Task SyncFormsWorkbook([TimerTrigger("%Schedules:SyncFormsWorkbook%")] TimerInfo timer, CancellationToken cancellationToken) =>
        run.RunAsync("SyncFormsWorkbook", timer, () => syncs.RunAsync(IntegrationKind.FormsWorkbook, cancellationToken));

    /// <summary>Turns group membership changes into representations started and ended (turnover).</summary>
    [Function("SyncGroupMembership")]
    public Task SyncGroupMembership([TimerTrigger("%Schedules:SyncGroupMembership%")] TimerInfo timer, CancellationToken cancellationToken) =>
        run.RunAsync("SyncGroupMembership", timer, () => syncs.RunAsync(IntegrationKind.Group, cancellationToken));
}
