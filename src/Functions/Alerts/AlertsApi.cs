using System.Security.Claims;
using Engagement.Core.Alerts;
using Engagement.Core.Domain;
using Engagement.Core.Storage;
using Engagement.Core.Validation;
using Engagement.Functions.Dashboard;
using Engagement.Functions.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Engagement.Functions.Alerts;

internal sealed record AlertView(
    string PartnershipId,
    string Id,
    string? OrganizationId,
    string Type,
    string Status,
    string Band,
    double Probability,
    double? PreviousProbability,
    string ModelVersion,
    IReadOnlyList<SnapshotReason> Reasons,
    DateTimeOffset OpenedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? AcknowledgedAt,
    string? AcknowledgedBy,
    DateTimeOffset? ResolvedAt,
    int Notifications)
{
    public static AlertView From(Alert a) => new(
        a.PartnershipId, a.Id, a.OrganizationId, WireNames.Format(a.Type), WireNames.Format(a.Status), a.Band, a.Probability, a.PreviousProbability,
        a.ModelVersion, a.Reasons, a.OpenedAt, a.UpdatedAt, a.AcknowledgedAt, a.AcknowledgedBy, a.ResolvedAt, a.Notifications);
}

/// <summary>Coordinator alerts: the handlers of <see cref="AlertsFunctions"/>.</summary>
internal static class AlertsApi
{
    public static IHostApplicationBuilder AddAlerts(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AlertOptions>().BindConfiguration(AlertOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton(sp => sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<AlertOptions>>().Value);
        builder.Services.AddScoped<AlertService>();
        // The e-mails are rendered by components with the pages' strings and HTML encoder.
        builder.Services.AddComponentRendering();
        builder.Services.AddSingleton<AlertEmail>();
        builder.Services.AddSingleton<AlertLinks>();
        return builder;
    }

    internal static IResult AcknowledgePage(HttpRequest request, AlertLinks links, TimeProvider time, bool acknowledged)
    {
        var q = request.Query;
        var check = links.Check(q["p"], q["a"], q["e"], q["s"], time.GetUtcNow());
        if (check != LinkCheck.Valid)
        {
            return LinkProblem(request, check, time);
        }

        var language = Dashboard.PageLanguages.Chosen(request) ?? PartnershipLanguage.French;
        var context = Dashboard.PageContext.For(request, language, time, showOverviewLink: false);
        return new Dashboard.PageResult<Dashboard.Components.AcknowledgePage>(language, new { Context = context, Action = request.PathBase + request.Path + request.QueryString, Done = acknowledged });
    }

    internal static async Task<IResult> AcknowledgeByLinkAsync(HttpRequest request, AlertLinks links, IAlertStore alertStore, TimeProvider time, CancellationToken cancellationToken)
    {
        var q = request.Query;
        var check = links.Check(q["p"], q["a"], q["e"], q["s"], time.GetUtcNow());
        if (check != LinkCheck.Valid)
        {
            return LinkProblem(request, check, time);
        }

        var partnershipId = q["p"].ToString();
        var alertId = q["a"].ToString();
        var alert = (await alertStore.ListAlertsAsync(partnershipId, cancellationToken)).FirstOrDefault(a => a.Id == alertId);
        if (alert is null)
        {
            return WantsPage(request)
                ? LinkPage(request, time, StatusCodes.Status404NotFound, "NotFound.Title", "NotFound.Alert")
                : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: "This alert no longer exists.");
        }

        await alertStore.SaveAlertsAsync(partnershipId, [AlertPolicy.Acknowledge(alert, "e-mail link", time.GetUtcNow())], [], cancellationToken);
        return AcknowledgePage(request, links, time, acknowledged: true);
    }

    /// <summary>
    /// A refused link: a page in the browser that opened it from an e-mail (with the language toggle), problem details
    /// for any other client.
    /// </summary>
    private static IResult LinkProblem(HttpRequest request, LinkCheck check, TimeProvider time)
    {
        var expired = check == LinkCheck.Expired;
        if (WantsPage(request))
        {
            return expired
                ? LinkPage(request, time, StatusCodes.Status410Gone, "Ack.Expired", "Ack.ExpiredText")
                : LinkPage(request, time, StatusCodes.Status403Forbidden, "Ack.Invalid", "Ack.InvalidText");
        }

        return expired
            ? TypedResults.Problem(statusCode: StatusCodes.Status410Gone, title: "Link expired", detail: "This acknowledge link has expired; acknowledge the alert from the API or wait for the next e-mail.")
            : TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Invalid link", detail: "This acknowledge link is not valid.");
    }

    private static bool WantsPage(HttpRequest request) =>
        request.Headers.Accept.Any(a => a is not null && a.Contains("text/html", StringComparison.OrdinalIgnoreCase));

    private static IResult LinkPage(HttpRequest request, TimeProvider time, int status, string heading, string text)
    {
        var language = Dashboard.PageLanguages.Chosen(request) ?? PartnershipLanguage.French;
        return Dashboard.DashboardPages.Message(request, language, time, status, heading, text, Dashboard.DashboardPaths.Overview(language), "Ack.Dashboard");
    }

    internal static async Task<Ok<IReadOnlyList<AlertView>>> ListAsync(HttpRequest request, ClaimsPrincipal user, IPartnershipStore partnershipStore, IAlertStore alertStore, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var partnershipFilter = request.Query["partnershipId"].FirstOrDefault();
        var statusText = request.Query["status"].FirstOrDefault();
        AlertStatus? status = statusText is null ? null : Check.Enum<AlertStatus>(statusText, "status", errors);
        if (!errors.IsValid)
        {
            throw new ValidationFailedException(errors);
        }

        if (partnershipFilter is not null)
        {
            user.RequireAccess(partnershipFilter);
        }

        var alerts = new List<AlertView>();
        foreach (var partnership in (await partnershipStore.ListPartnershipsAsync(cancellationToken)).Where(p => user.CanAccess(p.Id) && (partnershipFilter is null || p.Id == partnershipFilter)))
        {
            alerts.AddRange((await alertStore.ListAlertsAsync(partnership.Id, cancellationToken)).Where(a => status is null || a.Status == status).Select(AlertView.From));
        }

        return TypedResults.Ok<IReadOnlyList<AlertView>>([.. alerts.OrderBy(a => a.Status == "resolved").ThenByDescending(a => a.Probability)]);
    }

    internal static async Task<Ok<AlertView>> ChangeAsync(string partnershipId, string alertId, ClaimsPrincipal user, IAlertStore alertStore, Func<Alert, Alert> change, CancellationToken cancellationToken)
    {
        var alert = (await alertStore.ListAlertsAsync(partnershipId, cancellationToken)).FirstOrDefault(a => a.Id == alertId)
            ?? throw new NotFoundException("alertId", $"Alert '{alertId}' does not exist in partnership '{partnershipId}'.");
        var changed = change(alert);
        await alertStore.SaveAlertsAsync(partnershipId, [changed], [], cancellationToken);
        return TypedResults.Ok(AlertView.From(changed));
    }
}
