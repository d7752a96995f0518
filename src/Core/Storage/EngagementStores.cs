namespace Engagement.Core.Storage;

/// <summary>
/// The ports of one backend, for the places that compose them: the app's service registration, the contract suites
/// and the benchmarks. Code that uses the store takes the ports it needs, never this.
/// </summary>
public sealed record EngagementStores
{
    /// <summary>Whether the backend answers.</summary>
    public required IStoreHealth Health { get; init; }
    /// <summary>Partnerships.</summary>
    public required IPartnershipStore Partnerships { get; init; }
    /// <summary>Organisations, people, representations.</summary>
    public required IRosterStore Roster { get; init; }
    /// <summary>Meetings and attendance.</summary>
    public required IAttendanceStore Attendance { get; init; }
    /// <summary>Form registrations and submissions.</summary>
    public required IFormStore Forms { get; init; }
    /// <summary>Risk snapshots.</summary>
    public required IRiskStore Risk { get; init; }
    /// <summary>Models, the champion and retraining decisions.</summary>
    public required IModelStore Models { get; init; }
    /// <summary>Alerts and their notification outbox.</summary>
    public required IAlertStore Alerts { get; init; }
    /// <summary>The export audit log.</summary>
    public required IExportAuditStore ExportAudit { get; init; }
    /// <summary>Microsoft 365 source registrations.</summary>
    public required IIntegrationStore Integrations { get; init; }
    /// <summary>What the retention policy reads and erases.</summary>
    public required IPrivacyStore Privacy { get; init; }
    /// <summary>The sign-in sheets of in-person meetings.</summary>
    public required ISignInStore SignIns { get; init; }
    /// <summary>Action plans and their follow-up sheets.</summary>
    public required IActionPlanStore ActionPlans { get; init; }
}
