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
internal sealed class ReportFunctions(EngagementReaders stores, IStringLocalizer<Strings> strings, Microsoft.AspNetCore.Antiforgery.IAntiforgery antiforgery, TimeProvider time)
{
    [Function("DashboardReport")]
    [Access(AccessPolicy.Anonymous, PartnershipScope.Request)]
    [ExcludeFromDescription]
    public async Task<IResult> Report(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dashboard/partnerships/{partnershipId}/report")] HttpRequest request, string partnershipId, CancellationToken cancellationToken)
    {
        var (partnership, refused) = await DashboardPages.ReadableAsync(request, partnershipId, stores, time, cancellationToken);
        if (partnership is null)
        {
            return refused!;
        }

        var (model, language) = await ReadAsync(request, partnership, cancellationToken);

        return new PageResult<ReportPage>(language, new { Context = PageContext.For(request, language, time), Model = model });
    }

    [Function("DashboardReportDocx")]
    [Access(AccessPolicy.Anonymous, PartnershipScope.Request)]
    [ExcludeFromDescription]
    public async Task<IResult> ReportDocument(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dashboard/partnerships/{partnershipId}/report.docx")] HttpRequest request, string partnershipId, CancellationToken cancellationToken)
    {
        var (partnership, refused) = await DashboardPages.ReadableAsync(request, partnershipId, stores, time, cancellationToken);
        if (partnership is null)
        {
            return refused!;
        }

        var (model, language) = await ReadAsync(request, partnership, cancellationToken);

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

    [Function("DashboardNarrativePage")]
    [Access(AccessPolicy.Anonymous, PartnershipScope.Request)]
    [ExcludeFromDescription]
    public async Task<IResult> NarrativePage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dashboard/partnerships/{partnershipId}/report/objectives/{objectiveId}")] HttpRequest request, string partnershipId, string objectiveId, CancellationToken cancellationToken)
    {
        var (partnership, refused) = await DashboardPages.ReadableAsync(request, partnershipId, stores, time, cancellationToken);
        if (partnership is null)
        {
            return refused!;
        }

        var user = request.HttpContext.User;

        var language = PageLanguages.Chosen(request) ?? partnership.Language;
        if (!user.IsInRole(Roles.Coordinator) && !user.IsInRole(Roles.Admin))
        {
            return DashboardPages.Message(request, language, time, StatusCodes.Status403Forbidden, "Actions.Forbidden", "Actions.ForbiddenText", DashboardPaths.Report(partnershipId, language), "Report.Back");
        }

        if (await FindObjectiveAsync(partnershipId, objectiveId, cancellationToken) is not { } objective)
        {
            return DashboardPages.Message(request, language, time, StatusCodes.Status404NotFound, "NotFound.Title", "NotFound.Objective", DashboardPaths.Report(partnershipId, language), "Report.Back");
        }

        return new PageResult<NarrativePage>(language, new
        {
            Context = PageContext.For(request, language, time),
            Objective = objective,
            Action = DashboardPaths.Narrative(partnershipId, objectiveId, language, PeriodQuery(request)),
            Back = DashboardPaths.Report(partnershipId, language, PeriodQuery(request)),
            Antiforgery = DashboardPages.FormToken(antiforgery, request),
        });
    }

    /// <summary>Saves an objective's narrative (form fields <c>results</c>, <c>means</c>, <c>adjustments</c>, <c>learnings</c>; an empty one clears it) and returns to the report.</summary>
    [Function("DashboardNarrative")]
    [Access(AccessPolicy.Anonymous, PartnershipScope.Request)]
    [ExcludeFromDescription]
    public async Task<IResult> Narrative(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "dashboard/partnerships/{partnershipId}/report/objectives/{objectiveId}")] HttpRequest request, string partnershipId, string objectiveId, CancellationToken cancellationToken)
    {
        if (await DashboardActions.RefuseAsync(request, partnershipId, stores, antiforgery, time, cancellationToken) is { } refused)
        {
            return refused;
        }

        var language = PageLanguages.Chosen(request) ?? PartnershipLanguage.French;
        var back = DashboardPaths.Report(partnershipId, language, PeriodQuery(request));
        if (await FindObjectiveAsync(partnershipId, objectiveId, cancellationToken) is not { } objective)
        {
            return DashboardPages.Message(request, language, time, StatusCodes.Status404NotFound, "NotFound.Title", "NotFound.Objective", back, "Report.Back");
        }

        var form = await request.ReadFormAsync(cancellationToken);
        string? Field(string name) => form[name].ToString().Replace("\r\n", "\n", StringComparison.Ordinal).Trim() is { Length: > 0 } text ? text : null;
        var changed = objective with { Results = Field("results"), Means = Field("means"), Adjustments = Field("adjustments"), Learnings = Field("learnings") };
        if (new[] { changed.Results, changed.Means, changed.Adjustments, changed.Learnings }.Any(t => t?.Length > ReportModel.MaxNarrative))
        {
            return DashboardPages.Message(request, language, time, StatusCodes.Status400BadRequest, "Narrative.TooLong", "Narrative.TooLongText", DashboardPaths.Narrative(partnershipId, objectiveId, language, PeriodQuery(request)), "Narrative.Title");
        }

        if (changed != objective)
        {
            await stores.ActionPlans.UpsertPlanAsync(partnershipId, [changed], [], [], time.GetUtcNow(), cancellationToken);
        }

        return Results.Redirect(back, permanent: false, preserveMethod: false);
    }

    private async Task<Objective?> FindObjectiveAsync(string partnershipId, string objectiveId, CancellationToken ct) =>
        (await stores.ActionPlans.GetPlanAsync(partnershipId, ct)).Objectives.FirstOrDefault(o => o.Id == objectiveId);

    /// <summary>The report's period as asked, kept through the edit page and back (only well-formed days).</summary>
    private static string? PeriodQuery(HttpRequest request)
    {
        var parts = new[] { "from", "to" }
            .Select(f => (f, request.Query[f].FirstOrDefault()))
            .Where(p => DateOnly.TryParseExact(p.Item2, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out _))
            .Select(p => $"{p.f}={p.Item2}")
            .ToList();
        return parts.Count == 0 ? null : string.Join("&", parts);
    }

    /// <summary>The report the request asks for (its period and language) of a partnership it may read.</summary>
    private async Task<(ReportModel Model, PartnershipLanguage Language)> ReadAsync(HttpRequest request, Partnership partnership, CancellationToken ct)
    {
        var user = request.HttpContext.User;
        var language = PageLanguages.Chosen(request) ?? partnership.Language;
        var now = time.GetUtcNow();
        var (from, to) = ReportModel.PeriodOf(request, Fmt.DayOf(now));
        var model = await ReportModel.ReadAsync(partnership, stores, from, to, now, language, ct);
        return (model with { CanWrite = user.IsInRole(Roles.Coordinator) || user.IsInRole(Roles.Admin) }, language);
    }
}
