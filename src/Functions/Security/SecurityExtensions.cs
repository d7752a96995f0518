using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Options;

namespace Engagement.Functions.Security;

internal static class SecurityExtensions
{
    public static IHostApplicationBuilder AddSecurity(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>();
        builder.Services.AddSingleton<ApiKeyRegistry>();
        builder.Services.AddSingleton<ApiKeyAuthenticator>();
        builder.Services.AddSingleton<FunctionAuthorizer>();
        builder.Services.AddDataProtection().SetApplicationName("EngagementFunctions");
        builder.Services.AddSingleton<IConfigureOptions<KeyManagementOptions>, Dashboard.DashboardKeyRing>();
        builder.Services.AddSingleton<Dashboard.DashboardSessions>();
        builder.Services.AddHostedService<DevelopmentKeyAnnouncer>();
        return builder;
    }
}

/// <summary>
/// With no key configured in the Development environment, creates an admin key for this run only and prints it,
/// so a newcomer can try the API at once. Never in any other environment: nothing ships with a default key.
/// </summary>
internal sealed partial class DevelopmentKeyAnnouncer(
    IHostEnvironment environment,
    IOptions<AuthOptions> options,
    ApiKeyRegistry keys,
    ILogger<DevelopmentKeyAnnouncer> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (environment.IsDevelopment() && options.Value.GenerateDevelopmentKey && keys.IsEmpty)
        {
            LogDevelopmentKey(logger, keys.AddDevelopmentAdminKey());
        }
        else if (keys.IsEmpty)
        {
            LogNoKeys(logger);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "No API key is configured: this run accepts the development admin key {Key} (valid until the app stops). Configure Auth:ApiKeys for real use.")]
    private static partial void LogDevelopmentKey(ILogger logger, string key);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No API key is configured (Auth:ApiKeys): every route except /api/health will answer 401.")]
    private static partial void LogNoKeys(ILogger logger);
}
