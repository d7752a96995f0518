using Engagement.Core.Domain;

namespace Engagement.Analytics.Features;

/// <summary>Features of one organisation at one as-of time.</summary>
/// <param name="PartnershipId">The partnership.</param>
/// <param name="OrganizationId">The organisation.</param>
/// <param name="AsOf">The as-of time: only facts from before it were used.</param>
/// <param name="Values">Feature values in <see cref="FeatureNames.All"/> order.</param>
/// <param name="MeetingsKnown">Meetings of the partnership since the organisation joined, before the as-of time.</param>
/// <param name="CumulativeAbsence">The organisation's absence rate over all those meetings: the rules baseline's score.</param>
public sealed record OrganizationFeatures(string PartnershipId, string OrganizationId, DateTimeOffset AsOf, double[] Values, int MeetingsKnown, double CumulativeAbsence)
{
    /// <summary>The counts behind the features, as of the same time: what reasons quote (none when not computed).</summary>
    public OrganizationFacts Facts { get; init; } = OrganizationFacts.None;
}

/// <summary>A training or evaluation example: features at a meeting's start and what happened at the next meetings.</summary>
/// <param name="Features">Features at the start of the meeting.</param>
/// <param name="Disengaged">Whether the organisation was absent from enough of the next meetings (the label).</param>
/// <param name="LabelKnownAt">Start of the last meeting of the label's horizon: when the outcome became known.</param>
public sealed record LabelledExample(OrganizationFeatures Features, bool Disengaged, DateTimeOffset LabelKnownAt);

/// <summary>
/// One partnership's history arranged for fast point-in-time questions: meetings in time order and, for each
/// organisation, whether a representative was present at each meeting. Every answer for an as-of time uses only
/// meetings that started before it, representations as they stood on its day, forms submitted before it, and the action
/// plan as it was known then (<see cref="ActionProgress.At"/>: actions recorded, updates made and sheets sent or answered
/// by then).
/// </summary>
public sealed class PartnershipTimeline
{
    private const int StreakCap = 6, SincePresentCap = 12, FreshMeetings = 6;
    private static readonly int ActionsLateIndex = FeatureNames.IndexOf(FeatureNames.ActionsLate);
    private static readonly int SheetSilenceIndex = FeatureNames.IndexOf(FeatureNames.SheetSilence);

    private readonly FeatureOptions _options;
    private readonly string _partnershipId;
    private readonly long[] _meetingTicks;
    private readonly DateOnly[] _meetingDays;
    private readonly OrgTrack[] _orgs;
    private readonly DateOnly[] _coordinatorChanges;
    private readonly List<FollowUp> _followUps;
    private readonly List<DiagnosticAnswerSet> _diagnostics;
    private readonly ActionPlanSignals _plan;

    private PartnershipTimeline(string partnershipId, FeatureOptions options, long[] ticks, DateOnly[] days, OrgTrack[] orgs, DateOnly[] coordinatorChanges, List<FollowUp> followUps, List<DiagnosticAnswerSet> diagnostics, ActionPlan plan)
    {
        _plan = new ActionPlanSignals(plan, options);
        _partnershipId = partnershipId;
        _options = options;
        _meetingTicks = ticks;
        _meetingDays = days;
        _orgs = orgs;
        _coordinatorChanges = coordinatorChanges;
        _followUps = followUps;
        _diagnostics = diagnostics;
    }

    /// <summary>The partnership.</summary>
    public string PartnershipId => _partnershipId;

    /// <summary>Number of (not cancelled) meetings.</summary>
    public int MeetingCount => _meetingTicks.Length;

    /// <summary>Start of meeting <paramref name="index"/> in time order, UTC.</summary>
    public DateTimeOffset MeetingStart(int index) => new(_meetingTicks[index], TimeSpan.Zero);

    /// <summary>Arranges a partnership's history.</summary>
    public static PartnershipTimeline Build(PartnershipHistory history, FeatureOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(history);
        options ??= new FeatureOptions();
        options.Validate();
        var meetings = history.Meetings.Where(m => !m.Cancelled).OrderBy(m => m.Start.UtcTicks).ThenBy(m => m.Id, StringComparer.Ordinal).ToArray();
        var meetingIndex = new Dictionary<string, int>(meetings.Length, StringComparer.Ordinal);
        for (var i = 0; i < meetings.Length; i++)
        {
            meetingIndex[meetings[i].Id] = i;
        }

        var ticks = meetings.Select(m => m.Start.UtcTicks).ToArray();
        var days = meetings.Select(m => DateOnly.FromDateTime(m.Start.DateTime)).ToArray();
        var durations = meetings.Select(m => Math.Max(1.0, (m.End - m.Start).TotalSeconds)).ToArray();

        // Who represents which organisation: observers speak for no organisation.
        var representations = history.Representations.Where(r => r.Role != RepresentationRole.Observer).ToList();
        var byPerson = representations.GroupBy(r => r.PersonId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
        var orgIds = history.Organizations.Select(o => o.Id).Concat(representations.Select(r => r.OrganizationId)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var orgIndex = orgIds.Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i, StringComparer.Ordinal);
        var present = orgIds.Select(_ => new bool[meetings.Length]).ToArray();
        var excused = orgIds.Select(_ => new bool[meetings.Length]).ToArray();
        var share = orgIds.Select(_ => Enumerable.Repeat(double.NaN, meetings.Length).ToArray()).ToArray();
        foreach (var record in history.Attendance)
        {
            if (record.Status == AttendanceStatus.Absent || !meetingIndex.TryGetValue(record.MeetingId, out var m) || !byPerson.TryGetValue(record.PersonId, out var reps))
            {
                continue;
            }

            foreach (var rep in reps)
            {
                if (rep.IsActiveOn(days[m]) && record.Status == AttendanceStatus.Excused)
                {
                    // Regrets: the organisation is still not present, but said so.
                    excused[orgIndex[rep.OrganizationId]][m] = true;
                }
                else if (rep.IsActiveOn(days[m]))
                {
                    var o = orgIndex[rep.OrganizationId];
                    present[o][m] = true;
                    if (record.SecondsAttended is { } seconds)
                    {
                        var s = Math.Clamp(seconds / durations[m], 0, 1);
                        share[o][m] = double.IsNaN(share[o][m]) ? s : Math.Max(share[o][m], s);
                    }
                }
            }
        }

        var orgs = new OrgTrack[orgIds.Length];
        for (var o = 0; o < orgIds.Length; o++)
        {
            var reps = representations.Where(r => r.OrganizationId == orgIds[o]).OrderBy(r => r.From).ToArray();
            var join = reps.Length == 0 ? DateOnly.MaxValue : reps[0].From;
            var first = Array.FindIndex(days, d => d >= join);
            orgs[o] = new OrgTrack(orgIds[o], reps, first < 0 ? meetings.Length : first, present[o], excused[o], share[o], options.EwmaAlpha);
        }

        var coordinators = representations.Where(r => r.Role == RepresentationRole.Coordinator).OrderBy(r => r.From).ToArray();
        var coordinatorChanges = coordinators.Skip(1).Select(r => r.From).ToArray();

        var followUps = new List<FollowUp>();
        var diagnostics = new List<DiagnosticAnswerSet>();
        foreach (var submission in history.Submissions)
        {
            var day = DateOnly.FromDateTime(submission.SubmittedAt.DateTime);
            if (submission.Kind == FormKind.FollowUp)
            {
                var orgsOfRespondent = submission.RespondentPersonId is { } p && byPerson.TryGetValue(p, out var reps)
                    ? reps.Where(r => r.IsActiveOn(day)).Select(r => r.OrganizationId).ToArray()
                    : [];
                followUps.Add(new FollowUp(submission.SubmittedAt.UtcTicks, submission.FormId, orgsOfRespondent));
            }
            else if (submission.Kind == FormKind.Diagnostic && submission.DiagnosticItems is { Count: > 0 } items)
            {
                diagnostics.Add(new DiagnosticAnswerSet(submission.SubmittedAt.UtcTicks, items));
            }
        }

        return new PartnershipTimeline(history.Partnership.Id, options, ticks, days, orgs, coordinatorChanges, followUps, diagnostics, history.ActionPlan);
    }

    /// <summary>Features of every organisation that had joined by <paramref name="asOf"/>.</summary>
    public IReadOnlyList<OrganizationFeatures> FeaturesAt(DateTimeOffset asOf)
    {
        var k = MeetingsBefore(asOf.UtcTicks);
        var day = DateOnly.FromDateTime(asOf.DateTime);
        var context = PartnershipContext(asOf, day);
        var result = new List<OrganizationFeatures>(_orgs.Length);
        foreach (var org in _orgs)
        {
            if (org.Representations.Length > 0 && org.Representations[0].From <= day)
            {
                result.Add(Compute(org, k, asOf, day, context));
            }
        }

        return result;
    }

    /// <summary>
    /// Labelled examples at the start of every meeting whose outcome is known: the organisation had joined and had
    /// at least one earlier meeting, the next <see cref="FeatureOptions.LabelHorizon"/> meetings exist, and the
    /// organisation was not already disengaged (absent from enough of the previous meetings).
    /// </summary>
    public IEnumerable<LabelledExample> Examples()
    {
        var horizon = _options.LabelHorizon;
        for (var k = 1; k + horizon <= _meetingTicks.Length; k++)
        {
            var asOf = new DateTimeOffset(_meetingTicks[k], TimeSpan.Zero);
            var day = _meetingDays[k];
            PartnershipSignals? context = null;
            foreach (var org in _orgs)
            {
                if (k - org.FirstMeeting < 1)
                {
                    continue;
                }

                if (k - org.FirstMeeting >= horizon && org.AbsencesIn(k - horizon, k) >= _options.LabelAbsences)
                {
                    continue;
                }

                context ??= PartnershipContext(asOf, day);
                var disengaged = org.AbsencesIn(k, k + horizon) >= _options.LabelAbsences;
                yield return new LabelledExample(Compute(org, k, asOf, day, context), disengaged, new DateTimeOffset(_meetingTicks[k + horizon - 1], TimeSpan.Zero));
            }
        }
    }

    private int MeetingsBefore(long ticks)
    {
        var index = Array.BinarySearch(_meetingTicks, ticks);
        if (index < 0)
        {
            return ~index;
        }

        while (index > 0 && _meetingTicks[index - 1] == ticks)
        {
            index--;
        }

        return index;
    }

    private OrganizationFeatures Compute(OrgTrack org, int k, DateTimeOffset asOf, DateOnly day, PartnershipSignals context)
    {
        var known = Math.Max(0, k - org.FirstMeeting);
        var values = new double[FeatureNames.Count];
        var cumulativeAbsence = known == 0 ? 0 : (double)org.AbsencesIn(org.FirstMeeting, k) / known;
        var facts = new OrganizationFacts
        {
            MeetingsKnown = known,
            Short = org.Window(_options.ShortWindow, k),
            Long = org.Window(_options.LongWindow, k),
            All = org.Window(known, k),
            CoordinatorChanged = context.CoordinatorChanged,
            FollowUpForms = context.FollowUpForms,
            FollowUpFormsAnswered = context.FollowUpsAnsweredBy.GetValueOrDefault(org.Id),
            DiagnosticAnswers = context.DiagnosticAnswers,
            DiagnosticAnswersC = context.DiagnosticAnswersC,
            DiagnosticItemsDiverging = context.DiagnosticItemsDiverging,
        };
        var load = context.Plan.GetValueOrDefault(org.Id);
        var silence = _plan.SilenceOf(org.Id, asOf);
        facts = facts with
        {
            ActionsCarried = load.Carried,
            LateActions = load.Late,
            OldestLateDays = load.OldestLateDays,
            NewestLateDays = load.NewestLateDays,
            SheetsUnanswered = silence.Unanswered,
            OldestUnansweredDays = silence.OldestDays,
            NewestUnansweredDays = silence.NewestDays,
        };
        if (known > 0)
        {
            var shortN = Math.Min(_options.ShortWindow, known);
            var longN = Math.Min(_options.LongWindow, known);
            var absenceShort = (double)org.AbsencesIn(k - shortN, k) / shortN;
            values[0] = absenceShort;
            values[1] = (double)org.AbsencesIn(k - longN, k) / longN;
            values[2] = absenceShort - cumulativeAbsence;
            values[3] = org.Ewma[k - 1];
            values[4] = Math.Min(org.Streak[k - 1], StreakCap) / (double)StreakCap;
            var lastPresent = org.LastPresent[k - 1];
            var since = lastPresent < org.FirstMeeting ? known : k - 1 - lastPresent;
            values[5] = Math.Min(since, SincePresentCap) / (double)SincePresentCap;
            values[6] = -org.Slope(k - longN, k);
            values[7] = org.TimeMissed(k, _options.ShortWindow, _options.LongWindow * 2, out var timed);
            facts = facts with
            {
                Streak = org.Streak[k - 1],
                StreakExcused = org.ExcusedIn(k - org.Streak[k - 1], k),
                EverPresent = lastPresent >= org.FirstMeeting,
                TimedMeetings = timed,
            };
        }

        var change = org.LastChangeOnOrBefore(day);
        if (change is { } changed && day.DayNumber - changed.DayNumber <= _options.RecentChangeDays)
        {
            values[8] = 1;
            var meetingsSince = k - Math.Max(org.FirstMeeting, FirstMeetingOnOrAfter(changed));
            values[9] = Math.Max(0, 1 - (Math.Max(0, meetingsSince) / (double)FreshMeetings));
            facts = facts with { RepresentativeChangedOn = changed, MeetingsSinceRepresentativeChange = Math.Max(0, meetingsSince) };
        }

        values[10] = org.Representations.Any(r => r.IsActiveOn(day)) ? 0 : 1;
        facts = facts with { Vacant = values[10] > 0 };
        values[11] = context.CoordinatorChanged ? 1 : 0;
        values[12] = context.FollowUpForms == 0 ? 0 : 1 - ((double)context.FollowUpsAnsweredBy.GetValueOrDefault(org.Id) / context.FollowUpForms);
        values[13] = context.DiagnosticShareC;
        values[14] = context.DiagnosticDispersion;
        values[15] = 1.0 / (1 + known);
        if (known > 0)
        {
            var yearN = Math.Min(12, known);
            values[16] = (double)org.AbsencesIn(k - yearN, k) / yearN;
        }

        values[17] = context.PartnershipAbsence;
        values[18] = SummerShare(day);
        values[ActionsLateIndex] = load.Carried == 0 ? 0 : (double)load.Late / load.Carried;
        values[SheetSilenceIndex] = silence.Unanswered == 0 ? 0 : Math.Min(1, silence.OldestDays / (double)_options.SheetSilenceDays);
        return new OrganizationFeatures(_partnershipId, org.Id, asOf, values, known, cumulativeAbsence) { Facts = facts };
    }

    private int FirstMeetingOnOrAfter(DateOnly day)
    {
        var index = Array.FindIndex(_meetingDays, d => d >= day);
        return index < 0 ? _meetingDays.Length : index;
    }

    private PartnershipSignals PartnershipContext(DateTimeOffset asOf, DateOnly day)
    {
        var asOfTicks = asOf.UtcTicks;
        var coordinatorChanged = _coordinatorChanges.Any(c => c <= day && day.DayNumber - c.DayNumber <= _options.RecentChangeDays);
        var lookback = TimeSpan.FromDays(_options.FormLookbackDays).Ticks;
        var recent = _followUps.Where(f => f.Ticks < asOfTicks && asOfTicks - f.Ticks <= lookback).ToList();
        var forms = recent.Select(f => f.FormId).Distinct(StringComparer.Ordinal).Count();
        var answered = recent.SelectMany(f => f.Organizations.Select(o => (o, f.FormId))).Distinct()
            .GroupBy(x => x.o, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

        double shareC = 0, dispersion = 0;
        int answerCount = 0, answersC = 0, diverging = 0;
        var wave = _diagnostics.Where(d => d.Ticks < asOfTicks && asOfTicks - d.Ticks <= lookback).ToList();
        if (wave.Count > 0)
        {
            var answers = wave.SelectMany(w => w.Items).ToList();
            answerCount = answers.Count;
            answersC = answers.Count(a => a.Value == DiagnosticAnswer.C);
            shareC = answersC / (double)answerCount;
            var items = answers.GroupBy(a => a.Key).Where(g => g.Count() >= 2).ToList();
            diverging = items.Count(g => g.Any(a => a.Value == DiagnosticAnswer.A) && g.Any(a => a.Value == DiagnosticAnswer.C));
            dispersion = items.Count == 0 ? 0 : diverging / (double)Core.Domain.Cacis.ItemCount;
        }

        var k = MeetingsBefore(asOfTicks);
        int absences = 0, seats = 0;
        foreach (var org in _orgs)
        {
            var from = Math.Max(org.FirstMeeting, k - _options.LongWindow);
            if (k > from)
            {
                absences += org.AbsencesIn(from, k);
                seats += k - from;
            }
        }

        return new PartnershipSignals(coordinatorChanged, forms, answered, shareC, dispersion, seats == 0 ? 0 : (double)absences / seats, answerCount, answersC, diverging, _plan.Loads(asOf));
    }

    /// <summary>Share of the 90 days from <paramref name="day"/> that fall in July or August.</summary>
    private static double SummerShare(DateOnly day)
    {
        var summer = 0;
        for (var d = 0; d < 90; d++)
        {
            if (day.AddDays(d).Month is 7 or 8)
            {
                summer++;
            }
        }

        return summer / 90.0;
    }

    private sealed record PartnershipSignals(bool CoordinatorChanged, int FollowUpForms, Dictionary<string, int> FollowUpsAnsweredBy, double DiagnosticShareC, double DiagnosticDispersion, double PartnershipAbsence, int DiagnosticAnswers, int DiagnosticAnswersC, int DiagnosticItemsDiverging, IReadOnlyDictionary<string, PlanLoad> Plan);

    private sealed record FollowUp(long Ticks, string FormId, string[] Organizations);

    private sealed record DiagnosticAnswerSet(long Ticks, IReadOnlyDictionary<int, DiagnosticAnswer> Items);

    /// <summary>One organisation's presence per meeting, with prefix arrays for constant-time window questions.</summary>
    private sealed class OrgTrack
    {
        private readonly int[] _absencePrefix;
        private readonly int[] _excusedPrefix;
        private readonly bool[] _present;
        private readonly double[] _share;
        private readonly DateOnly[] _changes;

        public OrgTrack(string id, Representation[] representations, int firstMeeting, bool[] present, bool[] excused, double[] share, double alpha)
        {
            Id = id;
            Representations = representations;
            FirstMeeting = firstMeeting;
            _present = present;
            _share = share;
            _changes = representations.Skip(1).Select(r => r.From).Distinct().Order().ToArray();
            var n = present.Length;
            _absencePrefix = new int[n + 1];
            _excusedPrefix = new int[n + 1];
            Ewma = new double[n];
            Streak = new int[n];
            LastPresent = new int[n];
            var ewma = 0.0;
            var streak = 0;
            var last = -1;
            for (var i = 0; i < n; i++)
            {
                var absent = i >= firstMeeting && !present[i];
                _absencePrefix[i + 1] = _absencePrefix[i] + (absent ? 1 : 0);
                _excusedPrefix[i + 1] = _excusedPrefix[i] + (absent && excused[i] ? 1 : 0);
                if (i >= firstMeeting)
                {
                    ewma = (alpha * (absent ? 1 : 0)) + ((1 - alpha) * ewma);
                    streak = absent ? streak + 1 : 0;
                    if (!absent)
                    {
                        last = i;
                    }
                }

                Ewma[i] = ewma;
                Streak[i] = streak;
                LastPresent[i] = last;
            }
        }

        public string Id { get; }
        public Representation[] Representations { get; }
        public int FirstMeeting { get; }
        public double[] Ewma { get; }
        public int[] Streak { get; }
        public int[] LastPresent { get; }

        public int AbsencesIn(int from, int to) => _absencePrefix[Math.Max(from, FirstMeeting)] is var start && to > from ? _absencePrefix[to] - start : 0;

        /// <summary>Absences with regrets over [from, to).</summary>
        public int ExcusedIn(int from, int to) => _excusedPrefix[Math.Max(from, FirstMeeting)] is var start && to > from ? _excusedPrefix[to] - start : 0;

        /// <summary>The latest <paramref name="size"/> meetings before meeting <paramref name="before"/>, as far as the organisation was there to attend.</summary>
        public AttendanceWindow Window(int size, int before)
        {
            var meetings = Math.Clamp(Math.Min(size, before - FirstMeeting), 0, size);
            return new AttendanceWindow(size, meetings, AbsencesIn(before - meetings, before), ExcusedIn(before - meetings, before));
        }

        /// <summary>Least-squares slope of presence (1/0) against meeting number over [from, to).</summary>
        public double Slope(int from, int to)
        {
            var n = to - from;
            if (n < 3)
            {
                return 0;
            }

            double meanX = (n - 1) / 2.0, meanY = 0, covariance = 0, variance = 0;
            for (var i = from; i < to; i++)
            {
                meanY += _present[i] ? 1 : 0;
            }

            meanY /= n;
            for (var i = from; i < to; i++)
            {
                var x = i - from - meanX;
                covariance += x * ((_present[i] ? 1 : 0) - meanY);
                variance += x * x;
            }

            return covariance / variance;
        }

        /// <summary>Average share of meeting time missed over the latest present meetings with a known duration.</summary>
        public double TimeMissed(int before, int wanted, int maxLookBack, out int count)
        {
            double sum = 0;
            count = 0;
            for (var i = before - 1; i >= Math.Max(FirstMeeting, before - maxLookBack) && count < wanted; i--)
            {
                if (_present[i] && !double.IsNaN(_share[i]))
                {
                    sum += 1 - _share[i];
                    count++;
                }
            }

            return count == 0 ? 0 : sum / count;
        }

        public DateOnly? LastChangeOnOrBefore(DateOnly day)
        {
            DateOnly? last = null;
            foreach (var change in _changes)
            {
                if (change <= day)
                {
                    last = change;
                }
            }

            return last;
        }
    }
}
