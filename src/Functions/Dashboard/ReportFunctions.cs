using Engagement.Core.Domain;
using Engagement.Functions.Dashboard.Components;
using Engagement.Functions.Security;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Localization;

namespace Engagement.Functions.Dashboard;

/// <summary>
/// The progress report ("bilan") of a partnership for a period, as a printable page and as a Word document. Read by
/// the dashboard's keys (coordinator, analyst, admin) in the browser session or with the key in the header; a
/// partnership outside the key answers 404, like the other pages.
/// </summary>
internal sealed class ReportFunctions(EngagementReaders stores, IStringLocalizer<Strings> strings, TimeProvider time)
{
    [Function("DashboardReport")]
    [Access(AccessPolicy.Anonymous, PartnershipScope.Request)]
    [ExcludeFromDescription]
    public async Task<IResult> Report(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dashboard/partnerships/{partnershipId}/report")] HttpRequest request, string partnershipId, CancellationToken cancellationToken)
    {
        if (await ReadAsync(request, partnershipId, cancellationToken) is not ({ } model, var language))
        {
            return NotFound(request);
        }

        return new PageResult<ReportPage>(language, new { Context = PageContext.For(request, language, time), Model = model });
    }

    [Function("DashboardReportDocx")]
    [Access(AccessPolicy.Anonymous, PartnershipScope.Request)]
    [ExcludeFromDescription]
    public async Task<IResult> ReportDocument(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dashboard/partnerships/{partnershipId}/report.docx")] HttpRequest request, string partnershipId, CancellationToken cancellationToken)
    {
        if (await ReadAsync(request, partnershipId, cancellationToken) is not ({ } model, var language))
        {
            return NotFound(request);
        }

        byte[] bytes = [];
        await PageLanguages.InAsync(language, () =>
        {
            bytes = ReportDocx.Write(model, strings);
            return Task.CompletedTask;
        });
        var name = $"{(language == PartnershipLanguage.English ? "progress-report" : "bilan")}-{model.Partnership.Id}-{Fmt.Iso(model.From)}-{Fmt.Iso(model.To)}.docx";
        request.HttpContext.Response.Headers.CacheControl = "no-store";
        return Results.File(bytes, ReportDocx.ContentType, name);
    }

    private async Task<(ReportModel? Model, PartnershipLanguage Language)> ReadAsync(HttpRequest request, string partnershipId, CancellationToken ct)
    {
        var user = request.HttpContext.User;
        if (!DashboardPages.MayRead(user) || !user.CanAccess(partnershipId) || await stores.Partnerships.GetPartnershipAsync(partnershipId, ct) is not { } partnership)
        {
            return (null, default);
        }

        var language = PageLanguages.Chosen(request) ?? partnership.Language;
        var now = time.GetUtcNow();
        var (from, to) = ReportModel.PeriodOf(request, Fmt.DayOf(now));
        return (await ReportModel.ReadAsync(partnership, stores, from, to, now, language, ct), language);
    }

    private IResult NotFound(HttpRequest request)
    {
        if (!DashboardPages.MayRead(request.HttpContext.User))
        {
            return Results.Redirect(DashboardPaths.Login(PageLanguages.Chosen(request)));
        }

        var language = PageLanguages.Chosen(request) ?? PartnershipLanguage.French;
        return DashboardPages.Message(request, language, time, StatusCodes.Status404NotFound, "NotFound.Title", "NotFound.Partnership", DashboardPaths.Overview(language), "Frame.AllPartnerships");
    }
}
