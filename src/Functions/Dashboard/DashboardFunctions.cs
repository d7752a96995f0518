using Engagement.Core.Alerts;
using Engagement.Functions.Security;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;

namespace Engagement.Functions.Dashboard;

/// <summary>
/// The coordinators' dashboard pages. Anonymous at the host and the authoriser: a page without a signed-in key sends
/// the browser to the sign-in page instead of answering 401, and a partnership outside the key answers 404.
/// </summary>
internal sealed class DashboardFunctions(ApiKeyRegistry keys, DashboardSessions sessions, IOptions<Exports.ExportOptions> exports, EngagementReaders stores, IAntiforgery antiforgery, TimeProvider time)
{
    [Function("DashboardLoginPage")]
    [Access(AccessPolicy.Anonymous)]
    [ExcludeFromDescription]
    public IResult LoginPage([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dashboard/login")] HttpRequest request) =>
        DashboardPages.LoginPage(request, time);

    [Function("DashboardLogin")]
    [Access(AccessPolicy.Anonymous)]
    [ExcludeFromDescription]
    public Task<IResult> Login([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "dashboard/login")] HttpRequest request) =>
        DashboardPages.LoginAsync(request, keys, sessions, time);

    [Function("DashboardOverview")]
    [Access(AccessPolicy.Anonymous, PartnershipScope.Listing)]
    [ExcludeFromDescription]
    public Task<IResult> Overview([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dashboard")] HttpRequest request, CancellationToken cancellationToken) =>
        DashboardPages.OverviewAsync(request, request.HttpContext.User, stores, time, cancellationToken);

    [Function("DashboardPartnership")]
    [Access(AccessPolicy.Anonymous, PartnershipScope.Request)]
    [ExcludeFromDescription]
    public Task<IResult> Partnership(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dashboard/partnerships/{partnershipId}")] HttpRequest request, string partnershipId, CancellationToken cancellationToken) =>
        DashboardPages.PartnershipAsync(partnershipId, request, request.HttpContext.User, stores, exports.Value.SecretBytes(), antiforgery, time, cancellationToken);

    [Function("DashboardOrganization")]
    [Access(AccessPolicy.Anonymous, PartnershipScope.Request)]
    [ExcludeFromDescription]
    public Task<IResult> Organization(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dashboard/partnerships/{partnershipId}/organizations/{organizationId}")] HttpRequest request, string partnershipId, string organizationId, CancellationToken cancellationToken) =>
        DashboardPages.OrganizationAsync(partnershipId, organizationId, request, request.HttpContext.User, stores, exports.Value.SecretBytes(), antiforgery, time, cancellationToken);

    [Function("DashboardAcknowledgeAlert")]
    [Access(AccessPolicy.Anonymous, PartnershipScope.Request)]
    [ExcludeFromDescription]
    public Task<IResult> AcknowledgeAlert(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "dashboard/partnerships/{partnershipId}/alerts/{alertId}/acknowledge")] HttpRequest request, string partnershipId, string alertId, CancellationToken cancellationToken) =>
        DashboardActions.ChangeAlertAsync(request, partnershipId, alertId, stores, antiforgery, a => AlertPolicy.Acknowledge(a, "dashboard: " + (request.HttpContext.User.Identity?.Name ?? "key"), time.GetUtcNow()), time, cancellationToken);

    [Function("DashboardResolveAlert")]
    [Access(AccessPolicy.Anonymous, PartnershipScope.Request)]
    [ExcludeFromDescription]
    public Task<IResult> ResolveAlert(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "dashboard/partnerships/{partnershipId}/alerts/{alertId}/resolve")] HttpRequest request, string partnershipId, string alertId, CancellationToken cancellationToken) =>
        DashboardActions.ChangeAlertAsync(request, partnershipId, alertId, stores, antiforgery, a => AlertPolicy.Resolve(a, time.GetUtcNow()), time, cancellationToken);

    [Function("DashboardAlertEmails")]
    [Access(AccessPolicy.Anonymous, PartnershipScope.Request)]
    [ExcludeFromDescription]
    public Task<IResult> AlertEmails(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "dashboard/partnerships/{partnershipId}/alert-emails")] HttpRequest request, string partnershipId, CancellationToken cancellationToken) =>
        DashboardActions.SwitchAlertEmailsAsync(request, partnershipId, stores, antiforgery, time, cancellationToken);
}
