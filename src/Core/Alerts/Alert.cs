using Engagement.Core.Domain;

namespace Engagement.Core.Alerts;

/// <summary>What an alert is about.</summary>
public enum AlertType
{
    /// <summary>Attendance is falling (<c>falling-attendance</c>).</summary>
    FallingAttendance,
    /// <summary>A representative left, changed or the seat is vacant (<c>representative-turnover</c>).</summary>
    RepresentativeTurnover,
    /// <summary>The partnership's coordination changed (<c>coordinator-change</c>).</summary>
    CoordinatorChange,
    /// <summary>Self-diagnostic answers weakened (<c>diagnostic-decline</c>).</summary>
    DiagnosticDecline,
    /// <summary>The organisation's actions of the action plan are late, or it stopped answering their follow-up sheets (<c>late-actions</c>).</summary>
    LateActions,
}

/// <summary>Where an alert stands.</summary>
public enum AlertStatus
{
    /// <summary>Raised, waiting for the coordinator (<c>open</c>).</summary>
    Open,
    /// <summary>The coordinator has seen it (<c>acknowledged</c>); no more e-mails unless it escalates.</summary>
    Acknowledged,
    /// <summary>Over: the risk fell back, or the coordinator closed it (<c>resolved</c>).</summary>
    Resolved,
}

/// <summary>
/// A coordinator alert, deduplicated by (partnership, organisation or none, type): while it is open it is updated
/// rather than raised again; it escalates when the band rises; it can be acknowledged and resolved.
/// </summary>
public sealed record Alert
{
    /// <summary>The partnership.</summary>
    public required string PartnershipId { get; init; }
    /// <summary>The organisation, or null for the partnership as a whole.</summary>
    public string? OrganizationId { get; init; }
    /// <summary>What it is about.</summary>
    public required AlertType Type { get; init; }
    /// <summary>Where it stands.</summary>
    public required AlertStatus Status { get; init; }
    /// <summary>Current band: <c>medium</c> or <c>high</c> (or <c>low</c> once resolved by the score).</summary>
    public required string Band { get; init; }
    /// <summary>Current probability.</summary>
    public required double Probability { get; init; }
    /// <summary>Probability of the score before the one that raised or last updated it.</summary>
    public double? PreviousProbability { get; init; }
    /// <summary>The model that scored it.</summary>
    public required string ModelVersion { get; init; }
    /// <summary>The latest reasons.</summary>
    public IReadOnlyList<SnapshotReason> Reasons { get; init; } = [];
    /// <summary>When it was raised.</summary>
    public required DateTimeOffset OpenedAt { get; init; }
    /// <summary>When it last changed.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }
    /// <summary>When and by whom it was acknowledged.</summary>
    public DateTimeOffset? AcknowledgedAt { get; init; }
    /// <summary>Who acknowledged it (key name or e-mail link).</summary>
    public string? AcknowledgedBy { get; init; }
    /// <summary>When it was resolved.</summary>
    public DateTimeOffset? ResolvedAt { get; init; }
    /// <summary>When coordinators were last e-mailed about it.</summary>
    public DateTimeOffset? LastNotifiedAt { get; init; }
    /// <summary>The band they were last e-mailed about.</summary>
    public string? LastNotifiedBand { get; init; }
    /// <summary>How many times coordinators were e-mailed about it.</summary>
    public int Notifications { get; init; }

    /// <summary>The alert's key within its partnership: organisation (or <c>partnership</c>) and type.</summary>
    public string Id => Key(OrganizationId, Type);

    /// <summary>The key of an alert: <c>{organisation or "partnership"}.{type}</c>.</summary>
    public static string Key(string? organizationId, AlertType type) => $"{organizationId ?? "partnership"}.{WireNames.Format(type)}";
}

/// <summary>An e-mail waiting in (or gone from) the outbox. Its Message-ID is fixed when it is written, so a re-send reuses it.</summary>
public sealed record AlertNotification
{
    /// <summary>The partnership.</summary>
    public required string PartnershipId { get; init; }
    /// <summary>Unique id: alert key, sequence and recipient.</summary>
    public required string Id { get; init; }
    /// <summary>The alert it is about.</summary>
    public required string AlertId { get; init; }
    /// <summary>Recipient address.</summary>
    public required string Recipient { get; init; }
    /// <summary>Subject line.</summary>
    public required string Subject { get; init; }
    /// <summary>Plain-text body.</summary>
    public required string Text { get; init; }
    /// <summary>HTML body (no external resources).</summary>
    public required string Html { get; init; }
    /// <summary>RFC 5322 Message-ID, angle brackets included.</summary>
    public required string MessageId { get; init; }
    /// <summary>When it was written to the outbox.</summary>
    public required DateTimeOffset CreatedAt { get; init; }
    /// <summary>When the mail server accepted it, or null while pending.</summary>
    public DateTimeOffset? SentAt { get; init; }
    /// <summary>Delivery attempts so far.</summary>
    public int Attempts { get; init; }
    /// <summary>The last delivery error, if any.</summary>
    public string? LastError { get; init; }
}
