using Engagement.Core.Storage;
using Engagement.Functions.Security;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;

namespace Engagement.Functions.Dashboard;

/// <summary>
/// The coordinators' dashboard pages. Anonymous at the host and the authoriser: a page without a signed-in key sends
/// the browser to the sign-in page instead of answering 401, and a partnership outside the key answers 404.
/// </summary>
internal sealed class DashboardFunctions(ApiKeyRegistry keys, DashboardSessions sessions, IOptions<Exports.ExportOptions> exports, IPartnershipStore partnershipStore, IRosterStore rosterStore, IAttendanceStore attendanceStore, IFormStore formStore, IRiskStore riskStore, IAlertStore alertStore, TimeProvider time)
{
    [Function("DashboardLoginPage")]
    [Access(AccessPolicy.Anonymous)]
    [ExcludeFromDescription]
    public IResult LoginPage([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dashboard/login")] HttpRequest request) =>
        DashboardPages.LoginPage(request);

    [Function("DashboardLogin")]
    [Access(AccessPolicy.Anonymous)]
    [ExcludeFromDescription]
    public Task<IResult> Login([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "dashboard/login")] HttpRequest request) =>
        DashboardPages.LoginAsync(request, keys, sessions);

    [Function("DashboardOverview")]
    [Access(AccessPolicy.Anonymous, PartnershipScope.Listing)]
    [ExcludeFromDescription]
    public Task<IResult> Overview([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dashboard")] HttpRequest request, CancellationToken cancellationToken) =>
        DashboardPages.OverviewAsync(request, request.HttpContext.User, partnershipStore, attendanceStore, riskStore, time, cancellationToken);

    [Function("DashboardPartnership")]
    [Access(AccessPolicy.Anonymous, PartnershipScope.Request)]
    [ExcludeFromDescription]
    public Task<IResult> Partnership(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dashboard/partnerships/{partnershipId}")] HttpRequest request, string partnershipId, CancellationToken cancellationToken) =>
        DashboardPages.PartnershipAsync(partnershipId, request, request.HttpContext.User, partnershipStore, rosterStore, attendanceStore, formStore, riskStore, alertStore, exports.Value.SecretBytes(), time, cancellationToken);
}
