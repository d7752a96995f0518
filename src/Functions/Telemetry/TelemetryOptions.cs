namespace Engagement.Functions.Telemetry;

/// <summary>Settings section <c>Telemetry</c>.</summary>
internal sealed class TelemetryOptions
{
    public const string Section = "Telemetry";

    /// <summary>The Application Insights connection string (a root setting, as the Functions host and the portal name it).</summary>
    public const string ConnectionStringSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    /// <summary><c>ClientId=&lt;id&gt;;Authorization=AAD</c>: send to Application Insights with that managed identity (a root setting).</summary>
    public const string AuthenticationStringSetting = "APPLICATIONINSIGHTS_AUTHENTICATION_STRING";

    /// <summary>
    /// Also write traces and metrics to the console (default false): for a developer looking at one request. Logs go to
    /// the console anyway; spans and metric dumps would bury them, so they are off unless asked for.
    /// </summary>
    public bool Console { get; set; }
}
