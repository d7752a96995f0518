using Engagement.Functions.ActionPlans;
using Engagement.Functions.Alerts;
using Engagement.Functions.Dashboard;
using Engagement.Functions.Datasets;
using Engagement.Functions.Exports;
using Engagement.Functions.FollowUpSheets;
using Engagement.Functions.Ingestion;
using Engagement.Functions.Integrations;
using Engagement.Functions.Participants;
using Engagement.Functions.Privacy;
using Engagement.Functions.Problems;
using Engagement.Functions.Risk;
using Engagement.Functions.Security;
using Engagement.Functions.Storage;
using Engagement.Functions.Telemetry;

namespace Engagement.Functions.Hosting;

internal static class AppExtensions
{
    /// <summary>
    /// Everything the functions need, the same in both hosts but for what only one of them has (under the Functions
    /// host, the scoring queue is a Storage queue its trigger reads).
    /// </summary>
    public static IHostApplicationBuilder AddEngagement(this IHostApplicationBuilder builder, bool underFunctionsHost = false)
    {
        builder.Services.AddSingleton(FunctionCatalog.App);
        builder.Services.AddScoped<TimerRun>();
        builder.AddProblems();
        builder.AddStorage();
        builder.AddSecurity();
        builder.AddIngestion();
        builder.AddPrivacy();
        builder.AddRisk(underFunctionsHost);
        builder.AddIntegrations();
        builder.AddAlerts();
        builder.AddDashboard();
        builder.AddParticipants();
        builder.AddFollowUpSheets();
        builder.AddActionPlans();
        builder.AddExports();
        builder.AddDatasets();
        builder.AddTelemetry();
        return builder;
    }
}
