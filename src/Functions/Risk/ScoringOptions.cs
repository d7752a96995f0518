using System.ComponentModel.DataAnnotations;

namespace Engagement.Functions.Risk;

/// <summary>Settings section <c>Scoring</c>: scoring a partnership soon after its attendance changes.</summary>
internal sealed class ScoringOptions
{
    public const string Section = "Scoring";

    /// <summary>Score a partnership shortly after new or changed attendance (default on); ScoreRisk still runs daily.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Seconds between the first attendance write of a burst and the scoring (1 to 3600, default 30): the batches that
    /// arrive meanwhile are scored together, once.
    /// </summary>
    [Range(1, 3600)]
    public int DelaySeconds { get; set; } = 30;
}
