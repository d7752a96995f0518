using Engagement.Core.Domain;

namespace Engagement.Analytics.Features;

/// <summary>Attendance observed over a window of an organisation's latest meetings.</summary>
/// <param name="Size">The window's size, in meetings (e.g. 3): how many it looks at when the history is long enough.</param>
/// <param name="Meetings">Meetings actually observed in it: fewer than <paramref name="Size"/> when the organisation joined recently.</param>
/// <param name="Absences">Meetings at which the organisation was not present (absent, excused or no record).</param>
/// <param name="Excused">Of those absences, the ones for which its representative sent regrets.</param>
public sealed record AttendanceWindow(int Size, int Meetings, int Absences, int Excused)
{
    /// <summary>An empty window of the given size.</summary>
    public static AttendanceWindow Empty(int size) => new(size, 0, 0, 0);
}

/// <summary>
/// What was observed about a partner organisation at an as-of time, point-in-time like its features: the counts
/// its reasons quote. Features are shares and capped signals for a model; facts are what a coordinator can check.
/// </summary>
public sealed record OrganizationFacts
{
    /// <summary>No facts: every count is zero, so no count-based reason can be said.</summary>
    public static OrganizationFacts None { get; } = new();

    /// <summary>Meetings of the partnership since the organisation joined, before the as-of time.</summary>
    public int MeetingsKnown { get; init; }

    /// <summary>The short window (<see cref="FeatureOptions.ShortWindow"/> latest meetings).</summary>
    public AttendanceWindow Short { get; init; } = AttendanceWindow.Empty(0);

    /// <summary>The long window (<see cref="FeatureOptions.LongWindow"/> latest meetings).</summary>
    public AttendanceWindow Long { get; init; } = AttendanceWindow.Empty(0);

    /// <summary>Every meeting since the organisation joined (its baseline).</summary>
    public AttendanceWindow All { get; init; } = AttendanceWindow.Empty(0);

    /// <summary>Consecutive latest meetings without the organisation (uncapped): also the meetings since it was last present.</summary>
    public int Streak { get; init; }

    /// <summary>Of the <see cref="Streak"/> meetings, those for which regrets were sent.</summary>
    public int StreakExcused { get; init; }

    /// <summary>Whether the organisation was present at least once since it joined.</summary>
    public bool EverPresent { get; init; }

    /// <summary>Present meetings with a known time in the room (e.g. Teams reports) behind the time-missed share.</summary>
    public int TimedMeetings { get; init; }

    /// <summary>Day of the latest representative change, when recent (within <see cref="FeatureOptions.RecentChangeDays"/>).</summary>
    public DateOnly? RepresentativeChangedOn { get; init; }

    /// <summary>Meetings held since that change, before the as-of time (0 when none yet).</summary>
    public int MeetingsSinceRepresentativeChange { get; init; }

    /// <summary>Whether the organisation has no active representative.</summary>
    public bool Vacant { get; init; }

    /// <summary>Whether the partnership's coordinator changed recently.</summary>
    public bool CoordinatorChanged { get; init; }

    /// <summary>The partnership's recent follow-up sheets (distinct forms within <see cref="FeatureOptions.FormLookbackDays"/>).</summary>
    public int FollowUpForms { get; init; }

    /// <summary>Of those, the ones a representative of the organisation answered.</summary>
    public int FollowUpFormsAnswered { get; init; }

    /// <summary>Answers in the partnership's recent self-diagnostics (all respondents, all items).</summary>
    public int DiagnosticAnswers { get; init; }

    /// <summary>Of those, the C (weakest) answers.</summary>
    public int DiagnosticAnswersC { get; init; }

    /// <summary>Items answered at least twice whose answers span A and C (diverging views).</summary>
    public int DiagnosticItemsDiverging { get; init; }

    /// <summary>Open actions of the plan (known at the as-of time, not done nor abandoned) the organisation carries, as lead or partner.</summary>
    public int ActionsCarried { get; init; }

    /// <summary>Of those, the late ones (<see cref="ActionProgress"/>: past their due day, or said late).</summary>
    public int LateActions { get; init; }

    /// <summary>Days the longest-late of those has been late (0 when none, or when it became late on the as-of day).</summary>
    public int OldestLateDays { get; init; }

    /// <summary>Days the most recently late of those has been late.</summary>
    public int NewestLateDays { get; init; }

    /// <summary>
    /// Follow-up sheets asked of the organisation since it last answered one (within <see cref="FeatureOptions.FormLookbackDays"/>)
    /// and still unanswered at the as-of time: the sheets it has left unanswered in a row.
    /// </summary>
    public int SheetsUnanswered { get; init; }

    /// <summary>Days since the first of those was sent: how long it has been silent.</summary>
    public int OldestUnansweredDays { get; init; }

    /// <summary>Days since the latest of those was sent.</summary>
    public int NewestUnansweredDays { get; init; }
}
