using Azure.Core;
using Azure.Identity;

namespace Engagement.Functions.Telemetry;

/// <summary>
/// Reads <c>APPLICATIONINSIGHTS_AUTHENTICATION_STRING</c> (<c>ClientId=&lt;id&gt;;Authorization=AAD</c>, the form the Functions
/// host and Application Insights' own SDKs document) into the managed identity that signs telemetry. The Azure Monitor
/// exporter does not read this setting itself (1.10.0 knows only the connection string), so without this the
/// resource, whose local authentication is off, would refuse every item.
/// </summary>
internal static class ApplicationInsightsAuthentication
{
    /// <summary>The credential the string names, or null when it is empty (the connection string's key is used then).</summary>
    public static TokenCredential? Credential(string? authenticationString)
    {
        if (string.IsNullOrWhiteSpace(authenticationString))
        {
            return null;
        }

        string? clientId = null;
        string? authorization = null;
        foreach (var part in authenticationString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            var key = equals > 0 ? part[..equals].Trim() : part;
            var value = equals > 0 ? part[(equals + 1)..].Trim() : string.Empty;
            if (key.Equals("ClientId", StringComparison.OrdinalIgnoreCase))
            {
                clientId = value;
            }
            else if (key.Equals("Authorization", StringComparison.OrdinalIgnoreCase))
            {
                authorization = value;
            }
            else
            {
                throw Invalid($"it has an unknown part '{key}'");
            }
        }

        if (!string.Equals(authorization, "AAD", StringComparison.OrdinalIgnoreCase))
        {
            throw Invalid("it must say Authorization=AAD");
        }

        // Without a client id the app's system-assigned identity signs, as the Functions host does.
        return new ManagedIdentityCredential(string.IsNullOrEmpty(clientId) ? ManagedIdentityId.SystemAssigned : ManagedIdentityId.FromUserAssignedClientId(clientId));
    }

    private static InvalidOperationException Invalid(string reason) =>
        new($"{TelemetryOptions.AuthenticationStringSetting} is not valid: {reason} (expected 'ClientId=<client id of the managed identity>;Authorization=AAD').");
}
