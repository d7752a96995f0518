using Engagement.Core.Domain;

namespace Engagement.Analytics.Synthetic;

/// <summary>What <see cref="SyntheticGenerator.Generate"/> makes: the histories, what they reference, and the truth behind them.</summary>
public sealed record SyntheticDataset
{
    /// <summary>The options it was made from.</summary>
    public required SyntheticOptions Options { get; init; }

    /// <summary>One history per partnership, in id order; meetings are in chronological order.</summary>
    public required IReadOnlyList<PartnershipHistory> Partnerships { get; init; }

    /// <summary>Every representative of every partnership (one person per representation).</summary>
    public required IReadOnlyList<Person> People { get; init; }

    /// <summary>The follow-up and diagnostic forms the submissions answer, so a demo can register them.</summary>
    public required IReadOnlyList<FormDefinition> Forms { get; init; }

    /// <summary>The latent engagement and events the data was drawn from.</summary>
    public required SyntheticGroundTruth GroundTruth { get; init; }
}

/// <summary>The known truth behind a synthetic dataset, so tests and evaluations can check that a signal exists.</summary>
public sealed record SyntheticGroundTruth
{
    /// <summary>One entry per partnership, in the order of <see cref="SyntheticDataset.Partnerships"/>.</summary>
    public required IReadOnlyList<PartnershipTruth> Partnerships { get; init; }

    /// <summary>The truth about one organisation, or null when the ids are unknown.</summary>
    public OrganizationTruth? Find(string partnershipId, string organizationId)
    {
        foreach (var partnership in Partnerships)
        {
            if (!string.Equals(partnership.PartnershipId, partnershipId, StringComparison.Ordinal))
            {
                continue;
            }

            foreach (var organization in partnership.Organizations)
            {
                if (string.Equals(organization.OrganizationId, organizationId, StringComparison.Ordinal))
                {
                    return organization;
                }
            }
        }

        return null;
    }
}

/// <summary>The truth about one partnership.</summary>
public sealed record PartnershipTruth
{
    /// <summary>The partnership.</summary>
    public required string PartnershipId { get; init; }

    /// <summary>Large network or committee.</summary>
    public required SyntheticPartnershipKind Kind { get; init; }

    /// <summary>
    /// How strong the partnership is, on the logit scale of attendance (typically 0.2–2.6): weaker partnerships
    /// attend less and answer the CACIS diagnostic worse.
    /// </summary>
    public required double Strength { get; init; }

    /// <summary>One entry per organisation, in the order of <see cref="PartnershipHistory.Organizations"/>.</summary>
    public required IReadOnlyList<OrganizationTruth> Organizations { get; init; }
}

/// <summary>
/// The truth about one organisation. Both trajectories have one value per meeting of its partnership, aligned with
/// <see cref="PartnershipHistory.Meetings"/>.
/// </summary>
public sealed record OrganizationTruth
{
    /// <summary>The partnership.</summary>
    public required string PartnershipId { get; init; }

    /// <summary>The organisation.</summary>
    public required string OrganizationId { get; init; }

    /// <summary>Whether it is the coordinating organisation (its representative has the coordinator role).</summary>
    public required bool IsCoordinator { get; init; }

    /// <summary>
    /// Latent engagement per meeting, as a probability of attending: the organisation's baseline, a slow random walk
    /// and any drift. It leaves out what is noise or circumstance: the summer dip, the shock of a new representative,
    /// the common noise of one meeting, and vacancies.
    /// </summary>
    public required IReadOnlyList<double> Engagement { get; init; }

    /// <summary>
    /// The probability with which its attendance was drawn at each meeting: the latent engagement plus the summer dip,
    /// the new-representative shock and the meeting's common noise; 0 while the seat is vacant (no attendance row).
    /// </summary>
    public required IReadOnlyList<double> AttendanceProbability { get; init; }

    /// <summary>Whether it drifts away during the period (from the start, or after a turnover).</summary>
    public required bool Drifts { get; init; }

    /// <summary>When the drift starts, if it drifts.</summary>
    public DateOnly? DriftStart { get; init; }

    /// <summary>Months over which engagement declines to its low level, if it drifts (6–12).</summary>
    public int? DriftMonths { get; init; }

    /// <summary>Whether the drift was set off by a change of representative.</summary>
    public bool DriftAfterTurnover { get; init; }

    /// <summary>Turnovers and drift starts, in chronological order.</summary>
    public required IReadOnlyList<SyntheticEvent> Events { get; init; }
}

/// <summary>What happened to an organisation.</summary>
public enum SyntheticEventKind
{
    /// <summary>Its representative left; <see cref="SyntheticEvent.Date"/> is their last day.</summary>
    RepresentativeLeft,
    /// <summary>A new representative started; <see cref="SyntheticEvent.Date"/> is their first day.</summary>
    RepresentativeJoined,
    /// <summary>It started drifting away; engagement declines from <see cref="SyntheticEvent.Date"/>.</summary>
    DriftStarted,
}

/// <summary>One event of an organisation's ground truth.</summary>
public sealed record SyntheticEvent
{
    /// <summary>What happened.</summary>
    public required SyntheticEventKind Kind { get; init; }

    /// <summary>When (see <see cref="SyntheticEventKind"/> for which day).</summary>
    public required DateOnly Date { get; init; }

    /// <summary>
    /// Index in <see cref="PartnershipHistory.Meetings"/> of the first meeting affected: the first one without the
    /// leaving representative, the new representative's first meeting, or the first meeting of the drift.
    /// Equal to the meeting count when the event falls after the last meeting.
    /// </summary>
    public required int MeetingIndex { get; init; }

    /// <summary>The representative who left or joined.</summary>
    public string? PersonId { get; init; }

    /// <summary>For <see cref="SyntheticEventKind.RepresentativeLeft"/>: meetings the seat then stayed vacant (0–3 by default).</summary>
    public int VacancyMeetings { get; init; }
}
