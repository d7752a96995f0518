using Engagement.Functions.Alerts;
using Engagement.Functions.Datasets;
using Engagement.Functions.Exports;
using Engagement.Functions.Ingestion;
using Engagement.Functions.Integrations;
using Engagement.Functions.Privacy;
using Engagement.Functions.Problems;
using Engagement.Functions.Risk;
using Engagement.Functions.Security;
using Engagement.Functions.Storage;
using Engagement.Functions.Telemetry;

namespace Engagement.Functions.Hosting;

internal static class AppExtensions
{
    /// <summary>Everything the functions need, the same in both hosts.</summary>
    public static IHostApplicationBuilder AddEngagement(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(FunctionCatalog.App);
        builder.Services.AddScoped<TimerRun>();
        builder.AddProblems();
        builder.AddStorage();
        builder.AddSecurity();
        builder.AddIngestion();
        builder.AddPrivacy();
        builder.AddRisk();
        builder.AddIntegrations();
        builder.AddAlerts();
        builder.AddExports();
        builder.AddDatasets();
        builder.AddTelemetry();
        return builder;
    }
}
