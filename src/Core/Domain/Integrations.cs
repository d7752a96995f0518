namespace Engagement.Core.Domain;

/// <summary>What a Microsoft 365 registration follows.</summary>
public enum IntegrationKind
{
    /// <summary>A Teams online meeting whose attendance reports become a meeting's attendance (<c>teams-meeting</c>).</summary>
    TeamsMeeting,
    /// <summary>An Excel workbook that Microsoft Forms keeps in sync (<c>forms-workbook</c>).</summary>
    FormsWorkbook,
    /// <summary>A Microsoft 365 group whose members are the partnership's representatives (<c>group</c>).</summary>
    Group,
}

/// <summary>
/// A Microsoft 365 source registered for a partnership, with its settings (e.g. <c>organizerUserId</c>,
/// <c>joinUrl</c>) and the sync checkpoint (which reports were read, the last Forms row, the delta link).
/// </summary>
public sealed record IntegrationRegistration
{
    /// <summary>The partnership.</summary>
    public required string PartnershipId { get; init; }
    /// <summary>What it follows.</summary>
    public required IntegrationKind Kind { get; init; }
    /// <summary>Id within the partnership and kind (our meeting id, form id or group id).</summary>
    public required string Id { get; init; }
    /// <summary>Settings given at registration.</summary>
    public required IReadOnlyDictionary<string, string> Settings { get; init; }
    /// <summary>Where the last successful sync stopped (opaque to everything but its sync), or null.</summary>
    public string? Checkpoint { get; init; }
}
