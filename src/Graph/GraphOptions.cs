using System.ComponentModel.DataAnnotations;

namespace Engagement.Graph;

/// <summary>Settings section <c>Graph</c>: how the app reaches Microsoft Graph (docs/graph-setup.md).</summary>
public sealed class GraphOptions
{
    /// <summary>Section name.</summary>
    public const string Section = "Graph";

    /// <summary>Entra ID tenant (directory) id.</summary>
    public string? TenantId { get; set; }

    /// <summary>The app registration's client id.</summary>
    public string? ClientId { get; set; }

    /// <summary>A client secret (from Key Vault in Azure); without one, the managed identity is used.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>Client id of a user-assigned managed identity, when that is what signs in.</summary>
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>Graph's base URL. Only tests change it, to a fake Graph on loopback.</summary>
    public string BaseUrl { get; set; } = "https://graph.microsoft.com/v1.0";

    /// <summary>
    /// Hours after a Teams meeting's end (or its last session's, when later) during which each run reads its attendance
    /// reports again, since a report read during or just after the meeting may be incomplete (0 to 168, default 6). Only
    /// then is a report kept as read and a representative missing from every report recorded absent.
    /// </summary>
    [Range(0, 168)]
    public int AttendanceReportGraceHours { get; set; } = 6;

    /// <summary>Whether enough is configured to call Graph.</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(TenantId) && !string.IsNullOrWhiteSpace(ClientId)
        || !string.IsNullOrWhiteSpace(ManagedIdentityClientId);
}
