namespace Engagement.Core.Domain;

/// <summary>
/// Someone signed in at the door of a meeting, from the participants' sign-in page: who, for which organisation, when.
/// The attendance record (present) is written with it; this record keeps what attendance does not say — the
/// organisation they came for, and whether they typed a name that was not among its representatives.
/// </summary>
public sealed record MeetingSignIn
{
    /// <summary>Owning partnership.</summary>
    public required string PartnershipId { get; init; }
    /// <summary>The meeting.</summary>
    public required string MeetingId { get; init; }
    /// <summary>The person who signed in.</summary>
    public required string PersonId { get; init; }
    /// <summary>The organisation they signed in for.</summary>
    public required string OrganizationId { get; init; }
    /// <summary>When they first signed in.</summary>
    public required DateTimeOffset SignedInAt { get; init; }
    /// <summary>
    /// They typed their name, which matched none of the organisation's representatives: a person the coordinator confirms
    /// (by giving them a representation of the organisation) before they count for it.
    /// </summary>
    public bool NewName { get; init; }
}

/// <summary>A meeting's sign-in sheet: who signed in, in order, and whether the coordinator closed it.</summary>
public sealed record SignInSheet
{
    /// <summary>Owning partnership.</summary>
    public required string PartnershipId { get; init; }
    /// <summary>The meeting.</summary>
    public required string MeetingId { get; init; }
    /// <summary>Sign-ins by time, then person id.</summary>
    public required IReadOnlyList<MeetingSignIn> SignIns { get; init; }
    /// <summary>When the coordinator closed the sheet (everyone else marked absent or excused), or null while it is open.</summary>
    public DateTimeOffset? ClosedAt { get; init; }
}
