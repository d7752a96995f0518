using System.Security.Claims;
using Engagement.Core.Alerts;
using Engagement.Core.Domain;
using Engagement.Core.Storage;
using Engagement.Core.Validation;
using Engagement.Functions.Hosting;
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

/// <summary>Coordinator alerts: <c>GET /api/alerts</c>, acknowledge and resolve.</summary>
internal static class AlertsApi
{
    public static WebApplicationBuilder AddAlerts(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<AlertOptions>().BindConfiguration(AlertOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton(sp => sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<AlertOptions>>().Value);
        builder.Services.AddScoped<AlertService>();
        return builder;
    }

    public static IEndpointRouteBuilder MapAlerts(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/alerts").WithTags("Alerts");
        group.MapGet("/", ListAsync).RequireAuthorization(SecurityExtensions.ReadPersonal)
            .WithSummary("Alerts of the partnerships this key may see; filter with ?partnershipId= and ?status=open|acknowledged|resolved.");
        group.MapPost("/{partnershipId}/{alertId}/acknowledge", (string partnershipId, string alertId, ClaimsPrincipal user, IEngagementStore store, TimeProvider time, CancellationToken ct) =>
                ChangeAsync(partnershipId, alertId, user, store, a => AlertPolicy.Acknowledge(a, user.Identity?.Name ?? "api", time.GetUtcNow()), ct))
            .RequireAuthorization(SecurityExtensions.Configure).RequirePartnershipAccess()
            .WithSummary("The coordinator has seen the alert: no more e-mails unless it escalates.");
        group.MapPost("/{partnershipId}/{alertId}/resolve", (string partnershipId, string alertId, ClaimsPrincipal user, IEngagementStore store, TimeProvider time, CancellationToken ct) =>
                ChangeAsync(partnershipId, alertId, user, store, a => AlertPolicy.Resolve(a, time.GetUtcNow()), ct))
            .RequireAuthorization(SecurityExtensions.Configure).RequirePartnershipAccess()
            .WithSummary("Closes the alert.");
        return app;
    }

    private static async Task<Ok<IReadOnlyList<AlertView>>> ListAsync(HttpRequest request, ClaimsPrincipal user, IEngagementStore store, CancellationToken cancellationToken)
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
        foreach (var partnership in (await store.ListPartnershipsAsync(cancellationToken)).Where(p => user.CanAccess(p.Id) && (partnershipFilter is null || p.Id == partnershipFilter)))
        {
            alerts.AddRange((await store.ListAlertsAsync(partnership.Id, cancellationToken)).Where(a => status is null || a.Status == status).Select(AlertView.From));
        }

        return TypedResults.Ok<IReadOnlyList<AlertView>>([.. alerts.OrderBy(a => a.Status == "resolved").ThenByDescending(a => a.Probability)]);
    }

    private static async Task<Ok<AlertView>> ChangeAsync(string partnershipId, string alertId, ClaimsPrincipal user, IEngagementStore store, Func<Alert, Alert> change, CancellationToken cancellationToken)
    {
        var alert = (await store.ListAlertsAsync(partnershipId, cancellationToken)).FirstOrDefault(a => a.Id == alertId)
            ?? throw new NotFoundException("alertId", $"Alert '{alertId}' does not exist in partnership '{partnershipId}'.");
        var changed = change(alert);
        await store.SaveAlertsAsync(partnershipId, [changed], [], cancellationToken);
        return TypedResults.Ok(AlertView.From(changed));
    }
}

/// <summary>The SendAlerts timer: delivers the outbox.</summary>
internal sealed class SendAlertsFunction(AlertService alerts) : ITimerFunction
{
    public Task<IReadOnlyList<string>> RunAsync(TimerInvocation invocation, CancellationToken cancellationToken) =>
        alerts.SendPendingAsync(cancellationToken);
}
