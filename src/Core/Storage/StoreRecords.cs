using Engagement.Core.Domain;

namespace Engagement.Core.Storage;

/// <summary>Whether the store answers.</summary>
/// <param name="Provider">Which store.</param>
/// <param name="Healthy">Whether it answered.</param>
/// <param name="Detail">What was checked, or the failure.</param>
public sealed record StoreHealth(string Provider, bool Healthy, string Detail);

/// <summary>The ids known in a partnership.</summary>
public sealed record PartnershipKeys
{
    /// <summary>Organisation ids.</summary>
    public required IReadOnlySet<string> OrganizationIds { get; init; }
    /// <summary>Person ids.</summary>
    public required IReadOnlySet<string> PersonIds { get; init; }
    /// <summary>Lower-cased e-mail → person id, for people whose e-mail is known.</summary>
    public required IReadOnlyDictionary<string, string> PersonIdsByEmail { get; init; }
    /// <summary>Meeting ids.</summary>
    public required IReadOnlySet<string> MeetingIds { get; init; }
    /// <summary>Representation ids.</summary>
    public required IReadOnlySet<string> RepresentationIds { get; init; }
}

/// <summary>Who belongs to a partnership, and since when.</summary>
public sealed record Roster
{
    /// <summary>Organisations, by id.</summary>
    public required IReadOnlyList<Organization> Organizations { get; init; }
    /// <summary>People, by id.</summary>
    public required IReadOnlyList<Person> People { get; init; }
    /// <summary>Representations, by start date.</summary>
    public required IReadOnlyList<Representation> Representations { get; init; }
}

/// <summary>Identifies one attendance record of a partnership: where a resumed attendance stream starts after.</summary>
public readonly record struct AttendanceKey(string MeetingId, string PersonId);

/// <summary>A meeting with its attendance counts.</summary>
public sealed record MeetingSummary
{
    /// <summary>The meeting.</summary>
    public required Meeting Meeting { get; init; }
    /// <summary>People recorded present.</summary>
    public int Present { get; init; }
    /// <summary>People recorded absent.</summary>
    public int Absent { get; init; }
    /// <summary>People who sent regrets.</summary>
    public int Excused { get; init; }
}

/// <summary>The latest traces of a person's activity in a partnership.</summary>
public sealed record PersonActivity
{
    /// <summary>The person.</summary>
    public required Person Person { get; init; }
    /// <summary>When their record was last created or changed by a caller.</summary>
    public required DateTimeOffset RecordUpdatedAt { get; init; }
    /// <summary>Start of the latest meeting they attended (present or excused).</summary>
    public DateTimeOffset? LastAttendedAt { get; init; }
    /// <summary>Latest form submission.</summary>
    public DateTimeOffset? LastSubmittedAt { get; init; }
    /// <summary>Whether any representation of theirs is open-ended.</summary>
    public bool HasOpenRepresentation { get; init; }
    /// <summary>Latest end date of their representations.</summary>
    public DateOnly? LastRepresentationEnd { get; init; }
}
