using Engagement.Core.Alerts;
using Engagement.Core.Domain;
using Engagement.Functions.Security;
using Microsoft.AspNetCore.Antiforgery;

namespace Engagement.Functions.Dashboard;

/// <summary>
/// What a coordinator does from the dashboard's pages: forms posted with the session cookie and an antiforgery field,
/// answered by a redirect back to the page (post, redirect, get), so reloading never posts twice.
/// </summary>
internal static class DashboardActions
{
    public static async Task<IResult> ChangeAlertAsync(HttpRequest request, string partnershipId, string alertId, EngagementReaders stores, IAntiforgery antiforgery, Func<Alert, Alert> change, TimeProvider time, CancellationToken ct)
    {
        if (await RefuseAsync(request, partnershipId, stores, antiforgery, time, ct) is { } refused)
        {
            return refused;
        }

        var alert = (await stores.Alerts.ListAlertsAsync(partnershipId, ct)).FirstOrDefault(a => a.Id == alertId);
        var language = PageLanguages.Chosen(request) ?? PartnershipLanguage.French;
        if (alert is null)
        {
            return DashboardPages.Message(request, language, time, StatusCodes.Status404NotFound, "NotFound.Title", "NotFound.Alert", DashboardPaths.Partnership(partnershipId, language), "Alerts.Back");
        }

        await stores.Alerts.SaveAlertsAsync(partnershipId, [change(alert)], [], ct);
        return Results.Redirect(BackTo(request, partnershipId, language) + "#open-alerts", permanent: false, preserveMethod: false);
    }

    /// <summary>Turns the partnership's alert e-mails on or off (form field <c>on</c>: <c>true</c> or <c>false</c>).</summary>
    public static async Task<IResult> SwitchAlertEmailsAsync(HttpRequest request, string partnershipId, EngagementReaders stores, IAntiforgery antiforgery, TimeProvider time, CancellationToken ct)
    {
        if (await RefuseAsync(request, partnershipId, stores, antiforgery, time, ct) is { } refused)
        {
            return refused;
        }

        var language = PageLanguages.Chosen(request) ?? PartnershipLanguage.French;
        if (!bool.TryParse((await request.ReadFormAsync(ct))["on"].ToString(), out var on))
        {
            return DashboardPages.Message(request, language, time, StatusCodes.Status400BadRequest, "Actions.Expired", "Actions.ExpiredText", DashboardPaths.Partnership(partnershipId, language), "Alerts.Back");
        }

        var partnership = (await stores.Partnerships.GetPartnershipAsync(partnershipId, ct))!;
        if (partnership.AlertEmails != on)
        {
            await stores.Partnerships.UpsertPartnershipAsync(partnership with { AlertEmails = on }, ct);
        }

        return Results.Redirect(BackTo(request, partnershipId, language) + "#alert-emails", permanent: false, preserveMethod: false);
    }

    /// <summary>The page the form came from: its period and language kept.</summary>
    private static string BackTo(HttpRequest request, string partnershipId, PartnershipLanguage language)
    {
        var period = request.Query["period"].FirstOrDefault() is "6" or "12" or "24" or "all" ? "period=" + request.Query["period"] : null;
        return DashboardPaths.Partnership(partnershipId, language, period);
    }

    /// <summary>
    /// Null when the post may act: a signed-in coordinator or admin of this partnership, with a valid antiforgery field.
    /// Otherwise the answer: the sign-in page, 403 or 404 as a page, or 400 for a missing or wrong antiforgery field.
    /// </summary>
    internal static async Task<IResult?> RefuseAsync(HttpRequest request, string partnershipId, EngagementReaders stores, IAntiforgery antiforgery, TimeProvider time, CancellationToken ct)
    {
        var user = request.HttpContext.User;
        var language = PageLanguages.Chosen(request) ?? PartnershipLanguage.French;
        if (!DashboardPages.MayRead(user))
        {
            return Results.Redirect(DashboardPaths.Login(PageLanguages.Chosen(request)));
        }

        if (!user.CanAccess(partnershipId) || await stores.Partnerships.GetPartnershipAsync(partnershipId, ct) is null)
        {
            return DashboardPages.Message(request, language, time, StatusCodes.Status404NotFound, "NotFound.Title", "NotFound.Partnership", DashboardPaths.Overview(language), "Frame.AllPartnerships");
        }

        if (!user.IsInRole(Roles.Coordinator) && !user.IsInRole(Roles.Admin))
        {
            return DashboardPages.Message(request, language, time, StatusCodes.Status403Forbidden, "Actions.Forbidden", "Actions.ForbiddenText", DashboardPaths.Partnership(partnershipId, language), "Alerts.Back");
        }

        if (!request.HasFormContentType || !await antiforgery.IsRequestValidAsync(request.HttpContext))
        {
            return DashboardPages.Message(request, language, time, StatusCodes.Status400BadRequest, "Actions.Expired", "Actions.ExpiredText", DashboardPaths.Partnership(partnershipId, language), "Alerts.Back");
        }

        return null;
    }
}
