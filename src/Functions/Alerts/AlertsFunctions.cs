using Engagement.Core.Alerts;
using Engagement.Core.Storage;
using Engagement.Functions.Hosting;
using Engagement.Functions.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;

namespace Engagement.Functions.Alerts;

/// <summary>Coordinator alerts: list, acknowledge and resolve; the signed e-mail link; the outbox and digest timers.</summary>
[Tags("Alerts")]
internal sealed class AlertsFunctions(AlertService alerts, AlertLinks links, IPartnershipStore partnershipStore, IAlertStore alertStore, TimeProvider time, TimerRun run)
{
    [Function("ListAlerts")]
    [Access(AccessPolicy.ReadPersonal, PartnershipScope.Listing)]
    [EndpointSummary("Alerts of the partnerships this key may see; filter with ?partnershipId= and ?status=open|acknowledged|resolved.")]
    public Task<Ok<IReadOnlyList<AlertView>>> List(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "alerts")] HttpRequest request, CancellationToken cancellationToken) =>
        AlertsApi.ListAsync(request, request.HttpContext.User, partnershipStore, alertStore, cancellationToken);

    [Function("AcknowledgeAlert")]
    [Access(AccessPolicy.Configure, PartnershipScope.Route)]
    [EndpointSummary("The coordinator has seen the alert: no more e-mails unless it escalates.")]
    public Task<Ok<AlertView>> Acknowledge(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "alerts/{partnershipId}/{alertId}/acknowledge")] HttpRequest request,
        string partnershipId, string alertId, CancellationToken cancellationToken) =>
        AlertsApi.ChangeAsync(partnershipId, alertId, request.HttpContext.User, alertStore,
            a => AlertPolicy.Acknowledge(a, request.HttpContext.User.Identity?.Name ?? "api", time.GetUtcNow()), cancellationToken);

    [Function("ResolveAlert")]
    [Access(AccessPolicy.Configure, PartnershipScope.Route)]
    [EndpointSummary("Closes the alert.")]
    public Task<Ok<AlertView>> Resolve(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "alerts/{partnershipId}/{alertId}/resolve")] HttpRequest request,
        string partnershipId, string alertId, CancellationToken cancellationToken) =>
        AlertsApi.ChangeAsync(partnershipId, alertId, request.HttpContext.User, alertStore, a => AlertPolicy.Resolve(a, time.GetUtcNow()), cancellationToken);

    /// <summary>The signed link of an e-mail shows a confirmation page; no API key: the signature is the key.</summary>
    [Function("AcknowledgeLinkPage")]
    [Access(AccessPolicy.Anonymous, PartnershipScope.Request)]
    [ExcludeFromDescription]
    public IResult LinkPage([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "acknowledge")] HttpRequest request) =>
        AlertsApi.AcknowledgePage(request, links, time, acknowledged: false);

    /// <summary>The confirmation page's button: acknowledges (a GET never does, so mail scanners that follow links change nothing).</summary>
    [Function("AcknowledgeByLink")]
    [Access(AccessPolicy.Anonymous, PartnershipScope.Request)]
    [ExcludeFromDescription]
    public Task<IResult> AcknowledgeByLink(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "acknowledge")] HttpRequest request, CancellationToken cancellationToken) =>
        AlertsApi.AcknowledgeByLinkAsync(request, links, alertStore, time, cancellationToken);

    /// <summary>Delivers pending alert e-mails from the outbox, each exactly once.</summary>
    [Function("SendAlerts")]
    public Task SendAlerts([TimerTrigger("%Schedules:SendAlerts%")] TimerInfo timer, CancellationToken cancellationToken) =>
        run.RunAsync("SendAlerts", timer, () => alerts.SendPendingAsync(cancellationToken));

    /// <summary>Queues the weekly summary of open alerts for each partnership's coordinators (Mondays).</summary>
    [Function("SendDigest")]
    public Task SendDigest([TimerTrigger("%Schedules:SendDigest%")] TimerInfo timer, CancellationToken cancellationToken) =>
        run.RunAsync("SendDigest", timer, () => alerts.QueueDigestsAsync(cancellationToken));
}
