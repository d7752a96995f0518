namespace Engagement.Core.Domain;

/// <summary>One reason stored with a risk snapshot: the feature, its push on the log-odds and the words for it.</summary>
/// <param name="Feature">Feature (or roll-up) name.</param>
/// <param name="Contribution">Contribution to the log-odds (for roll-ups: a count).</param>
/// <param name="Value">The feature's value.</param>
/// <param name="French">The reason in French.</param>
/// <param name="English">The reason in English.</param>
public sealed record SnapshotReason(string Feature, double Contribution, double Value, string French, string English);

/// <summary>
/// A disengagement risk score kept for history: one per partnership (organisation null) or partner organisation and
/// as-of day. Scoring the same day again replaces the day's snapshot, so a retried run stores nothing twice.
/// </summary>
public sealed record RiskSnapshot
{
    /// <summary>The partnership.</summary>
    public required string PartnershipId { get; init; }
    /// <summary>The organisation, or null for the partnership as a whole.</summary>
    public string? OrganizationId { get; init; }
    /// <summary>The day scored (UTC).</summary>
    public required DateOnly AsOfDate { get; init; }
    /// <summary>When it was scored.</summary>
    public required DateTimeOffset ScoredAt { get; init; }
    /// <summary>Probability of disengagement over the next meetings.</summary>
    public required double Probability { get; init; }
    /// <summary><c>low</c>, <c>medium</c> or <c>high</c>.</summary>
    public required string Band { get; init; }
    /// <summary>The model that scored it (e.g. <c>prior-1</c> during cold start).</summary>
    public required string ModelVersion { get; init; }
    /// <summary>Whether the cold-start prior model scored it.</summary>
    public bool PriorModel { get; init; }
    /// <summary>Probability of the previous snapshot, if any.</summary>
    public double? PreviousProbability { get; init; }
    /// <summary>The top reasons, largest first.</summary>
    public IReadOnlyList<SnapshotReason> Reasons { get; init; } = [];
    /// <summary>The feature values the model read (empty for a partnership).</summary>
    public IReadOnlyDictionary<string, double> Features { get; init; } = new Dictionary<string, double>();
}

/// <summary>A model artifact as stored: its JSON and whether it is the champion that scores.</summary>
public sealed record StoredModel
{
    /// <summary>Version (unique).</summary>
    public required string Version { get; init; }
    /// <summary><c>trained</c> or <c>prior</c>.</summary>
    public required string Kind { get; init; }
    /// <summary>When it was stored.</summary>
    public required DateTimeOffset CreatedAt { get; init; }
    /// <summary>The artifact (JSON: features, scaling, weights, training window, metrics).</summary>
    public required string Artifact { get; init; }
}

/// <summary>A retraining run: the challenger against the champion on the later slice, and the decision.</summary>
public sealed record RetrainingRecord
{
    /// <summary>When it ran.</summary>
    public required DateTimeOffset RanAt { get; init; }
    /// <summary>The challenger's version.</summary>
    public required string ChallengerVersion { get; init; }
    /// <summary>The champion's version at the time.</summary>
    public required string ChampionVersion { get; init; }
    /// <summary>Whether the challenger became the champion.</summary>
    public required bool Promoted { get; init; }
    /// <summary>Why, in words.</summary>
    public required string Reason { get; init; }
    /// <summary>The challenger's evaluation (JSON).</summary>
    public required string ChallengerEvaluation { get; init; }
    /// <summary>The champion's evaluation on the same slice (JSON).</summary>
    public required string ChampionEvaluation { get; init; }
}

/// <summary>One export request, as the audit log keeps it (Quebec's Law 25: who took which data, when).</summary>
public sealed record ExportAudit
{
    /// <summary>When.</summary>
    public required DateTimeOffset At { get; init; }
    /// <summary>Who (the API key's name).</summary>
    public required string Caller { get; init; }
    /// <summary>What (the table or feed).</summary>
    public required string What { get; init; }
    /// <summary>Rows sent.</summary>
    public required int Rows { get; init; }
    /// <summary>Whether names and e-mails were included.</summary>
    public required bool PersonalData { get; init; }
    /// <summary>The filter asked for, as text.</summary>
    public string? Filter { get; init; }
}

/// <summary>A score without its reasons and feature values: one point of a chart of the risk over time.</summary>
/// <param name="OrganizationId">The organisation, or null for the partnership as a whole.</param>
/// <param name="AsOfDate">The day scored (UTC).</param>
/// <param name="ScoredAt">When it was scored.</param>
/// <param name="Probability">Probability of disengagement.</param>
/// <param name="Band"><c>low</c>, <c>medium</c> or <c>high</c>.</param>
public sealed record RiskPoint(string? OrganizationId, DateOnly AsOfDate, DateTimeOffset ScoredAt, double Probability, string Band);
