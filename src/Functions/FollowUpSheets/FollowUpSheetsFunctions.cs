using Engagement.Functions.Hosting;
using Engagement.Functions.Security;
using Microsoft.Azure.Functions.Worker;

namespace Engagement.Functions.FollowUpSheets;

/// <summary>
/// The follow-up sheets of the action plans: the timer that asks each open action's lead organisation on the schedule
/// the coordinator sets (and reminds once), and the sheet's page its representatives answer from the e-mail's signed
/// link, without an account.
/// </summary>
[Tags("Participants")]
internal sealed class FollowUpSheetsFunctions(FollowUpSheetPages pages, FollowUpSheetService sheets, TimerRun run)
{
    [Function("ParticipantFollowUpPage")]
    [Access(AccessPolicy.Anonymous, PartnershipScope.Request)]
    [ExcludeFromDescription]
    public Task<IResult> Page([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "follow-up")] HttpRequest request, CancellationToken cancellationToken) =>
        pages.PageAsync(request, cancellationToken);

    [Function("ParticipantFollowUp")]
    [Access(AccessPolicy.Anonymous, PartnershipScope.Request)]
    [ExcludeFromDescription]
    public Task<IResult> Answer([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "follow-up")] HttpRequest request, CancellationToken cancellationToken) =>
        pages.AnswerAsync(request, cancellationToken);

    /// <summary>Asks this round's follow-up sheets and reminds the unanswered ones; SendAlerts delivers their e-mails.</summary>
    [Function("SendFollowUpSheets")]
    public Task SendFollowUpSheets([TimerTrigger("%Schedules:SendFollowUpSheets%")] TimerInfo timer, CancellationToken cancellationToken) =>
        run.RunAsync("SendFollowUpSheets", timer, () => sheets.RunAsync(cancellationToken));
}

/// <summary>Wiring of the follow-up sheets (the pages reuse the participants' links, rate limits and replies).</summary>
internal static class FollowUpSheetsExtensions
{
    public static IHostApplicationBuilder AddFollowUpSheets(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<FollowUpSheetService>();
        builder.Services.AddScoped<FollowUpSheetPages>();
        builder.Services.AddSingleton<FollowUpSheetEmail>();
        return builder;
    }
}
