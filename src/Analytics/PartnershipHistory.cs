using Engagement.Core.Domain;

namespace Engagement.Analytics;

/// <summary>
/// Everything known about one partnership, as read from the store: the input of feature extraction, labelling and
/// scoring. Analytics never reads a store itself; the caller builds this record.
/// </summary>
public sealed record PartnershipHistory
{
    /// <summary>The partnership.</summary>
    public required Partnership Partnership { get; init; }
    /// <summary>Its partner organisations.</summary>
    public required IReadOnlyList<Organization> Organizations { get; init; }
    /// <summary>Who represented which organisation, from when to when.</summary>
    public required IReadOnlyList<Representation> Representations { get; init; }
    /// <summary>Its meetings (cancelled ones are ignored).</summary>
    public required IReadOnlyList<Meeting> Meetings { get; init; }
    /// <summary>Attendance records of its meetings.</summary>
    public required IReadOnlyList<Attendance> Attendance { get; init; }
    /// <summary>Form submissions (follow-up sheets, CACIS diagnostics…).</summary>
    public IReadOnlyList<FormSubmission> Submissions { get; init; } = [];

    /// <summary>
    /// Its action plan: actions, their updates and the follow-up sheets asked (an empty plan when none was given, e.g. an
    /// attendance file).
    /// </summary>
    public ActionPlan ActionPlan
    {
        get => _actionPlan ?? ActionPlan.Empty(Partnership.Id);
        init => _actionPlan = value;
    }

    private readonly ActionPlan? _actionPlan;
}
