using Azure.Monitor.OpenTelemetry.Exporter;
using Engagement.Core.Storage;
using Engagement.Functions.Hosting;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Engagement.Functions.Telemetry;

/// <summary>
/// One OpenTelemetry pipeline in both hosts: logs (message-template arguments kept as attributes), traces (incoming
/// ASP.NET Core requests; under the host, each function invocation; outgoing HTTP, so Table Storage, Blob and Graph
/// calls, sendMail included; SMTP sends) and metrics (the app's counters, <see cref="EngagementMetrics"/>). Exported to
/// Application Insights when <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> is set, with the managed identity of
/// <c>APPLICATIONINSIGHTS_AUTHENTICATION_STRING</c>; traces and metrics to the console when <c>Telemetry:Console</c> is on.
/// </summary>
/// <remarks>
/// Why OpenTelemetry (Microsoft.Azure.Functions.Worker.OpenTelemetry + Azure.Monitor.OpenTelemetry.Exporter) rather than
/// Microsoft.Azure.Functions.Worker.ApplicationInsights: the latter is the classic Application Insights SDK wired to the
/// worker only, so standalone would need a second, different setup, and its telemetry can only be checked by sending it
/// somewhere. OpenTelemetry is the same code in both hosts (the worker package only adds the Functions resource
/// attributes, the invocation spans and tells the host not to report the worker's logs a second time), a test reads
/// every signal with an in-memory exporter, and the exporter could be swapped for OTLP without touching the app.
/// </remarks>
internal static class TelemetryExtensions
{
    public static IHostApplicationBuilder AddTelemetry(this IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new TelemetryOptions();
        builder.Services.AddSingleton<EngagementMetrics>();
        builder.Services.Decorate<IRosterStore>((services, store) => new CountingRosterStore(store, services.GetRequiredService<EngagementMetrics>()));
        builder.Services.Decorate<IAttendanceStore>((services, store) => new CountingAttendanceStore(store, services.GetRequiredService<EngagementMetrics>()));
        builder.Services.Decorate<IFormStore>((services, store) => new CountingFormStore(store, services.GetRequiredService<EngagementMetrics>()));

        var telemetry = builder.Services.AddOpenTelemetry()
            .UseFunctionsWorkerDefaults()
            .WithTracing(tracing => tracing
                .AddSource(EngagementActivities.SourceName)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation(http =>
                {
                    http.FilterHttpRequestMessage = request => !OutgoingHttp.IsFunctionsHostChannel(request);
                    http.EnrichWithHttpRequestMessage = OutgoingHttp.RedactAddresses;
                }))
            // Only the app's counters: request and dependency rates, durations and failures come from the spans
            // (Application Insights derives its standard metrics from them), so ASP.NET Core's and Kestrel's own meters
            // would be a second, billed copy.
            .WithMetrics(metrics => metrics.AddMeter(EngagementMetrics.MeterName))
            .WithLogging(configureBuilder: null, configureOptions: logging =>
            {
                logging.IncludeFormattedMessage = true;
                logging.IncludeScopes = true;
            });

        if (builder.Configuration[TelemetryOptions.ConnectionStringSetting] is { Length: > 0 } connectionString)
        {
            var credential = ApplicationInsightsAuthentication.Credential(builder.Configuration[TelemetryOptions.AuthenticationStringSetting]);
            telemetry.UseAzureMonitorExporter(azure =>
            {
                azure.ConnectionString = connectionString;
                azure.Credential = credential;
            });
        }

        if (options.Console)
        {
            telemetry.WithTracing(tracing => tracing.AddConsoleExporter()).WithMetrics(metrics => metrics.AddConsoleExporter());
        }

        return builder;
    }
}
