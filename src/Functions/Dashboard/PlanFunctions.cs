using Engagement.Core.Domain;
using Engagement.Functions.ActionPlans;
using Engagement.Functions.Dashboard.Components;
using Engagement.Functions.Security;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Azure.Functions.Worker;

namespace Engagement.Functions.Dashboard;

/// <summary>
/// The action plan's own page, and the Excel tracker from the dashboard: its template to download, and the coordinator's
/// upload, answered by a page that says what was imported or lists every problem by cell (nothing written then). The
/// same import as the API's.
/// </summary>
internal sealed class PlanFunctions(EngagementReaders stores, TrackerImport import, IAntiforgery antiforgery, TimeProvider time)
{
    [Function("DashboardPlan")]
    [Access(AccessPolicy.Anonymous, PartnershipScope.Request)]
    [ExcludeFromDescription]
    public async Task<IResult> Plan(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dashboard/partnerships/{partnershipId}/plan")] HttpRequest request, string partnershipId, CancellationToken cancellationToken)
    {
        var (partnership, refused) = await DashboardPages.ReadableAsync(request, partnershipId, stores, time, cancellationToken);
        if (partnership is null)
        {
            return refused!;
        }

        var language = PageLanguages.Chosen(request) ?? partnership.Language;
        var roster = await stores.Roster.GetRosterAsync(partnershipId, cancellationToken);
        var plan = PlanView.Of(await stores.ActionPlans.GetPlanAsync(partnershipId, cancellationToken), roster, time.GetUtcNow(), StringComparer.Create(PageLanguages.Culture(language), ignoreCase: true));
        var user = request.HttpContext.User;
        (string, string)? token = user.IsInRole(Roles.Coordinator) || user.IsInRole(Roles.Admin) ? DashboardPages.FormToken(antiforgery, request) : null;

        return new PageResult<PlanPage>(language, new { Context = PageContext.For(request, language, time), Partnership = partnership, Plan = plan, Antiforgery = token });
    }

    [Function("DashboardTrackerTemplate")]
    [Access(AccessPolicy.Anonymous, PartnershipScope.Request)]
    [ExcludeFromDescription]
    public async Task<IResult> Template(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dashboard/partnerships/{partnershipId}/plan/template.xlsx")] HttpRequest request, string partnershipId, CancellationToken cancellationToken)
    {
        var (partnership, refused) = await DashboardPages.ReadableAsync(request, partnershipId, stores, time, cancellationToken);
        if (partnership is null)
        {
            return refused!;
        }

        var language = PageLanguages.Chosen(request) ?? partnership.Language;
        var roster = await stores.Roster.GetRosterAsync(partnershipId, cancellationToken);
        return Results.File(TrackerTemplate.Build(partnership, roster.Organizations, language), TrackerTemplate.ContentType, TrackerTemplate.FileName(partnership, language));
    }

    [Function("DashboardImportTracker")]
    [Access(AccessPolicy.Anonymous, PartnershipScope.Request)]
    [ExcludeFromDescription]
    public async Task<IResult> Import(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "dashboard/partnerships/{partnershipId}/plan/import")] HttpRequest request, string partnershipId, CancellationToken cancellationToken)
    {
        if (await DashboardActions.RefuseAsync(request, partnershipId, stores, antiforgery, time, cancellationToken) is { } refused)
        {
            return refused;
        }

        var language = PageLanguages.Chosen(request) ?? PartnershipLanguage.French;
        var file = await ActionPlansApi.ReadTrackerAsync(request, language, cancellationToken);
        var result = await import.ImportAsync(partnershipId, file, language, cancellationToken);
        var partnership = (await stores.Partnerships.GetPartnershipAsync(partnershipId, cancellationToken))!;
        // This page answers a post: its language toggle leads to the plan in the other language, not to this address.
        var context = PageContext.For(request, language, time) with { OtherLanguageUrl = DashboardPaths.Plan(partnershipId, PageLanguages.Other(language)) };
        return new PageResult<ImportResultPage>(
            language,
            new { Context = context, Partnership = partnership, Result = result },
            result.Succeeded ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest);
    }
}
