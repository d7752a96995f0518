namespace Engagement.Analytics.Features;

/// <summary>Settings of feature extraction and labelling. Defaults follow ARCHITECTURE.md §5.</summary>
public sealed record FeatureOptions
{
    /// <summary>Short attendance window, in meetings (default 3).</summary>
    public int ShortWindow { get; init; } = 3;

    /// <summary>Long attendance window, in meetings (default 6).</summary>
    public int LongWindow { get; init; } = 6;

    /// <summary>Weight of the latest meeting in the exponentially weighted absence average (default 0.3).</summary>
    public double EwmaAlpha { get; init; } = 0.3;

    /// <summary>How far back a representative or coordinator change counts as recent, in days (default 180).</summary>
    public int RecentChangeDays { get; init; } = 180;

    /// <summary>How far back follow-up forms and diagnostics are read, in days (default 365).</summary>
    public int FormLookbackDays { get; init; } = 365;

    /// <summary>Days of unanswered follow-up sheets at which <see cref="FeatureNames.SheetSilence"/> reaches 1 (default 90: three monthly rounds).</summary>
    public int SheetSilenceDays { get; init; } = 90;

    /// <summary>Label horizon: the next this-many meetings (default 3).</summary>
    public int LabelHorizon { get; init; } = 3;

    /// <summary>An organisation is disengaged when absent from at least this many of the horizon's meetings (default 2).</summary>
    public int LabelAbsences { get; init; } = 2;

    /// <summary>Throws when a value is out of range, listing every problem.</summary>
    public void Validate()
    {
        var problems = new List<string>();
        if (ShortWindow < 1)
        {
            problems.Add($"{nameof(ShortWindow)} must be at least 1.");
        }

        if (LongWindow < ShortWindow)
        {
            problems.Add($"{nameof(LongWindow)} must be at least {nameof(ShortWindow)}.");
        }

        if (EwmaAlpha is <= 0 or > 1)
        {
            problems.Add($"{nameof(EwmaAlpha)} must be in (0, 1].");
        }

        if (RecentChangeDays < 1 || FormLookbackDays < 1 || SheetSilenceDays < 1)
        {
            problems.Add("Look-back periods must be at least one day.");
        }

        if (LabelHorizon < 1 || LabelAbsences < 1 || LabelAbsences > LabelHorizon)
        {
            problems.Add($"{nameof(LabelAbsences)} must be between 1 and {nameof(LabelHorizon)}.");
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", problems));
        }
    }
}
