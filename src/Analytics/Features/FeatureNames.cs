namespace Engagement.Analytics.Features;

/// <summary>
/// The features of a partner organisation at an as-of time, in the order of a feature vector. Each is oriented so
/// that a larger value means more concern (an absence rate, not an attendance rate), which keeps explanations
/// readable: a positive contribution always pushes the risk up.
/// </summary>
public static class FeatureNames
{
    /// <summary>Absence share over the last 3 meetings.</summary>
    public const string AbsenceShort = "absence_last3";
    /// <summary>Absence share over the last 6 meetings.</summary>
    public const string AbsenceLong = "absence_last6";
    /// <summary>Short-window absence minus the organisation's own long-run absence (its baseline).</summary>
    public const string AbsenceAboveBaseline = "absence_above_baseline";
    /// <summary>Exponentially weighted average of absence.</summary>
    public const string AbsenceEwma = "absence_ewma";
    /// <summary>Current run of consecutive absences (capped at 6).</summary>
    public const string AbsenceStreak = "absence_streak";
    /// <summary>Meetings since the organisation was last present (capped at 12).</summary>
    public const string MeetingsSincePresent = "meetings_since_present";
    /// <summary>Falling trend: minus the slope of presence over the last 6 meetings.</summary>
    public const string Decline = "decline_slope";
    /// <summary>Share of meeting time missed when present on Teams (0 when unknown).</summary>
    public const string TimeMissed = "time_missed_share";
    /// <summary>1 when a new representative started recently (not the organisation's first).</summary>
    public const string RepresentativeChange = "representative_change";
    /// <summary>Meetings since the representative changed, as a fading signal: 1 at the change, 0 after 6 meetings.</summary>
    public const string RepresentativeChangeFresh = "representative_change_fresh";
    /// <summary>1 when the organisation has no active representative.</summary>
    public const string Vacancy = "vacancy";
    /// <summary>1 when the partnership's coordinator changed recently.</summary>
    public const string CoordinatorChange = "coordinator_change";
    /// <summary>Share of the partnership's recent follow-up forms the organisation did not answer (0 when none).</summary>
    public const string FollowUpGap = "follow_up_gap";
    /// <summary>Share of C (weakest) answers in the partnership's latest CACIS diagnostic (0 when none).</summary>
    public const string DiagnosticWeak = "cacis_share_c";
    /// <summary>Share of items on which respondents span A and C: divergent viewpoints (0 when none).</summary>
    public const string DiagnosticDispersion = "cacis_dispersion";
    /// <summary>How little history there is: 1 / (1 + meetings known).</summary>
    public const string ShortHistory = "short_history";
    /// <summary>Absence share over the last 12 meetings: the organisation's recent level, less noisy than 3 or 6.</summary>
    public const string AbsenceYear = "absence_last12";
    /// <summary>Absence share of all the partnership's organisations over its last 6 meetings: how the table is doing.</summary>
    public const string PartnershipAbsence = "partnership_absence";
    /// <summary>Share of the next 90 days falling in July or August, when Quebec partnerships slow down (a calendar fact).</summary>
    public const string SummerAhead = "summer_ahead";
    /// <summary>
    /// Share of the open actions of the partnership's action plan the organisation carries (as lead or partner) that are
    /// late (0 when it carries none).
    /// </summary>
    public const string ActionsLate = "actions_late_share";
    /// <summary>
    /// How long the organisation has left its follow-up sheets unanswered: days since the first sheet asked of it after
    /// its last answer, over <see cref="FeatureOptions.SheetSilenceDays"/>, capped at 1 (0 when it was never asked, or
    /// answered everything asked).
    /// </summary>
    public const string SheetSilence = "sheet_silence";

    /// <summary>
    /// All names, in vector order. Features are only ever appended: a stored model reads its features by name, so a model
    /// trained before a feature existed still scores.
    /// </summary>
    public static IReadOnlyList<string> All { get; } =
    [
        AbsenceShort, AbsenceLong, AbsenceAboveBaseline, AbsenceEwma, AbsenceStreak, MeetingsSincePresent, Decline, TimeMissed,
        RepresentativeChange, RepresentativeChangeFresh, Vacancy, CoordinatorChange, FollowUpGap, DiagnosticWeak, DiagnosticDispersion, ShortHistory,
        AbsenceYear, PartnershipAbsence, SummerAhead, ActionsLate, SheetSilence,
    ];

    /// <summary>Number of features.</summary>
    public static int Count => All.Count;

    private static readonly Dictionary<string, int> Indexes = All.Select((name, i) => (name, i)).ToDictionary(x => x.name, x => x.i, StringComparer.Ordinal);

    /// <summary>The index of a feature in the vector.</summary>
    public static int IndexOf(string name) =>
        Indexes.TryGetValue(name, out var index) ? index : throw new ArgumentException($"Unknown feature '{name}'.", nameof(name));
}
