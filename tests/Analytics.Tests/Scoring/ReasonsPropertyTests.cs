using System.Text.RegularExpressions;
using Engagement.Analytics.Features;
using Engagement.Analytics.Model;
using Engagement.Analytics.Scoring;
using Engagement.Analytics.Tests.Features;
using Engagement.Core.Domain;
using FsCheck;
using FsCheck.Fluent;

namespace Engagement.Analytics.Tests.Scoring;

/// <summary>
/// Issue 14, item 3: every reason rendered for a random timeline is a true statement about it. The counts are
/// re-derived here from what the generator wrote (each organisation's status at each meeting, its representatives'
/// dates, the forms), independently of <see cref="PartnershipTimeline"/>, and compared with the numbers in the text.
/// </summary>
public sealed partial class ReasonsPropertyTests
{
    private const int RecentChangeDays = 180, LookbackDays = 365;

    /// <summary>One organisation as generated: when it joined, its status at every meeting, its representatives.</summary>
    private sealed record Org(int Join, string Statuses, int ChangeAfter, int VacantAfter);

    private sealed record FollowUp(string FormId, int AfterMeeting, int Organization);

    private sealed record Diagnostic(int AfterMeeting, (int Item, DiagnosticAnswer Answer)[] Answers);

    /// <summary>An action of the plan: its lead and partner, its due day (days after the first meeting), when it was recorded, done or said late (after which meeting).</summary>
    private sealed record PlanItem(int Lead, int Partner, int DueDay, int RecordedAfter, int DoneAfter, int SaidLateAfter);

    /// <summary>A follow-up sheet asked of an organisation after a meeting, answered so many days later (or not, when negative).</summary>
    private sealed record Sheet(int Organization, int SentAfter, int AnsweredDays);

    private sealed record Sample(int Meetings, Org[] Orgs, FollowUp[] FollowUps, Diagnostic[] Diagnostics, int AsOf, double[] Contributions)
    {
        public PlanItem[] Actions { get; init; } = [];

        public Sheet[] Sheets { get; init; } = [];

        public override string ToString() =>
            $"meetings {Meetings}, as of {AsOf}; orgs {string.Join(" | ", Orgs.Select(o => $"join {o.Join} {o.Statuses} change {o.ChangeAfter} vacant {o.VacantAfter}"))}; " +
            $"follow-ups {string.Join(",", FollowUps.Select(f => $"{f.FormId}@{f.AfterMeeting}/org{f.Organization}"))}; diagnostics {Diagnostics.Length}";
    }

    private static DateOnly Day(int meeting) => Histories.FirstMeeting.AddMonths(meeting);

    /// <summary>A day between meeting <paramref name="meeting"/> and the next, <paramref name="offset"/> days after it.</summary>
    private static DateTimeOffset After(int meeting, int offset) => Histories.MeetingStart(meeting).AddDays(offset);

    private static Gen<Sample> Samples() =>
        from meetings in Gen.Choose(1, 16)
        from orgCount in Gen.Choose(1, 4)
        from orgs in Gen.ArrayOf(OrgGen(meetings), orgCount)
        from followUps in Gen.ListOf(
            from form in Gen.Elements("f0", "f1", "f2", "f3")
            from after in Gen.Choose(0, meetings - 1)
            from org in Gen.Choose(-1, orgCount - 1)
            select new FollowUp(form, after, org))
        from diagnostics in Gen.ListOf(
            from after in Gen.Choose(0, meetings - 1)
            from items in Gen.ListOf(
                from item in Gen.Choose(1, Cacis.ItemCount)
                from answer in Gen.Elements(DiagnosticAnswer.A, DiagnosticAnswer.B, DiagnosticAnswer.C)
                select (Item: item, Answer: answer))
            select new Diagnostic(after, [.. items.DistinctBy(i => i.Item).Take(Cacis.ItemCount)]))
        from actions in Gen.ListOf(
            from lead in Gen.Choose(0, orgCount - 1)
            from partner in Gen.Choose(-1, orgCount - 1)
            from due in Gen.Choose(0, 31 * meetings)
            from recorded in Gen.Choose(-1, meetings - 1)
            from done in Gen.Frequency((3, Gen.Constant(-1)), (1, Gen.Choose(0, meetings - 1)))
            from saidLate in Gen.Frequency((3, Gen.Constant(-1)), (1, Gen.Choose(0, meetings - 1)))
            select new PlanItem(lead, partner, due, recorded, done, saidLate))
        from sheets in Gen.ListOf(
            from org in Gen.Choose(0, orgCount - 1)
            from sent in Gen.Choose(0, meetings - 1)
            from answered in Gen.Frequency((1, Gen.Constant(-1)), (1, Gen.Choose(0, 40)))
            select new Sheet(org, sent, answered))
        from asOf in Gen.Choose(0, meetings)
        from contributions in Gen.ArrayOf(Gen.Choose(-100, 300).Select(c => c / 100.0), FeatureNames.Count)
        select new Sample(meetings, orgs, [.. followUps.Take(12)], [.. diagnostics.Take(6)], asOf, contributions) { Actions = [.. actions.Take(8)], Sheets = [.. sheets.Take(10)] };

    private static Gen<Org> OrgGen(int meetings) =>
        from joined in Gen.Frequency((3, Gen.Constant(0)), (1, Gen.Choose(0, meetings)))
        from statuses in Gen.ArrayOf(Gen.Frequency((4, Gen.Constant('P')), (2, Gen.Constant('A')), (2, Gen.Constant('E')), (1, Gen.Constant('-'))), meetings)
        from change in Gen.Frequency((2, Gen.Constant(-1)), (1, Gen.Choose(joined, Math.Max(joined, meetings - 1))))
        from vacant in Math.Max(joined, change + 1) > meetings - 1
            ? Gen.Constant(-1)
            : Gen.Frequency((4, Gen.Constant(-1)), (1, Gen.Choose(Math.Max(joined, change + 1), meetings - 1)))
        select new Org(joined, new string(statuses), change, vacant);

    /// <summary>The history the generator describes. Representatives change 10 days after a meeting; a seat falls vacant 5 days after one.</summary>
    private static PartnershipHistory History(Sample sample)
    {
        var meetings = Enumerable.Range(0, sample.Meetings).Select(i => new Meeting
        {
            PartnershipId = "p",
            Id = $"m{i:D2}",
            Start = Histories.MeetingStart(i),
            End = Histories.MeetingStart(i).AddHours(2),
        }).ToList();
        var representations = new List<Representation>();
        var attendance = new List<Attendance>();
        for (var o = 0; o < sample.Orgs.Length; o++)
        {
            var org = sample.Orgs[o];
            var vacantFrom = org.VacantAfter >= 0 ? Day(org.VacantAfter).AddDays(5) : (DateOnly?)null;
            var join = Day(org.Join).AddDays(-10);
            if (org.ChangeAfter >= 0)
            {
                var change = Day(org.ChangeAfter).AddDays(10);
                representations.Add(Rep(o, "a", join, change.AddDays(-1)));
                representations.Add(Rep(o, "b", change, vacantFrom?.AddDays(-1)));
            }
            else
            {
                representations.Add(Rep(o, "a", join, vacantFrom?.AddDays(-1)));
            }

            for (var m = org.Join; m < sample.Meetings; m++)
            {
                var status = org.Statuses[m] switch { 'P' => AttendanceStatus.Present, 'A' => AttendanceStatus.Absent, 'E' => AttendanceStatus.Excused, _ => (AttendanceStatus?)null };
                if (status is { } s && Effective(sample, o, m) != '-')
                {
                    attendance.Add(new Attendance
                    {
                        PartnershipId = "p",
                        MeetingId = meetings[m].Id,
                        PersonId = PersonAt(org, o, Day(m)),
                        Status = s,
                        SecondsAttended = s == AttendanceStatus.Present && m % 3 == 0 ? (m * 997 % 7200) : null,
                    });
                }
            }
        }

        var submissions = new List<FormSubmission>();
        var n = 0;
        foreach (var f in sample.FollowUps)
        {
            var at = After(f.AfterMeeting, 3);
            submissions.Add(new FormSubmission
            {
                PartnershipId = "p",
                FormId = f.FormId,
                ResponseId = $"r{n++}",
                Kind = FormKind.FollowUp,
                RespondentPersonId = f.Organization < 0 ? null : PersonAt(sample.Orgs[f.Organization], f.Organization, DateOnly.FromDateTime(at.DateTime)),
                SubmittedAt = at,
                Answers = new Dictionary<string, IReadOnlyList<string>>(),
            });
        }

        foreach (var d in sample.Diagnostics)
        {
            submissions.Add(new FormSubmission
            {
                PartnershipId = "p",
                FormId = "cacis",
                ResponseId = $"r{n++}",
                Kind = FormKind.Diagnostic,
                SubmittedAt = After(d.AfterMeeting, 4),
                Answers = new Dictionary<string, IReadOnlyList<string>>(),
                DiagnosticItems = d.Answers.ToDictionary(a => a.Item, a => a.Answer),
            });
        }

        return new PartnershipHistory
        {
            Partnership = new Partnership { Id = "p", Name = "Table" },
            Organizations = [.. sample.Orgs.Select((_, o) => new Organization { PartnershipId = "p", Id = $"org{o}", Name = $"Organisation {o}" })],
            Representations = representations,
            Meetings = meetings,
            Attendance = attendance,
            Submissions = submissions,
            ActionPlan = PlanOf(sample),
        };

        static Representation Rep(int o, string who, DateOnly from, DateOnly? to) => new()
        {
            PartnershipId = "p",
            Id = $"rep{o}{who}",
            OrganizationId = $"org{o}",
            PersonId = $"person{o}{who}",
            From = from,
            To = to,
        };
    }

    /// <summary>
    /// The sample's action plan: an action recorded 2 days after a meeting (or before the first), done 1 day after one,
    /// said late 6 days after one; a sheet sent 7 days after a meeting.
    /// </summary>
    private static ActionPlan PlanOf(Sample sample)
    {
        var actions = sample.Actions.Select((a, i) => new PlanAction
        {
            PartnershipId = "p",
            Id = $"a{i}",
            ObjectiveId = "O1",
            Title = $"Action {i}",
            LeadOrganizationId = $"org{a.Lead}",
            PartnerOrganizationIds = a.Partner >= 0 && a.Partner != a.Lead ? [$"org{a.Partner}"] : [],
            DueOn = Day(0).AddDays(a.DueDay),
            RecordedAt = a.RecordedAfter < 0 ? Histories.MeetingStart(0).AddDays(-30) : After(a.RecordedAfter, 2),
        }).ToList();
        var updates = sample.Actions.SelectMany((a, i) => new[]
        {
            a.DoneAfter >= 0 ? new ActionUpdate { PartnershipId = "p", ActionId = $"a{i}", Id = $"done{i}", At = After(a.DoneAfter, 1), Status = ActionStatus.Done, Source = ActionUpdateSource.Coordinator } : null,
            a.SaidLateAfter >= 0 ? new ActionUpdate { PartnershipId = "p", ActionId = $"a{i}", Id = $"late{i}", At = After(a.SaidLateAfter, 6), Status = ActionStatus.Late, Source = ActionUpdateSource.Sheet } : null,
        }).OfType<ActionUpdate>().OrderBy(u => u.At).ToList();
        var requests = sample.Sheets.Select((s, i) => new FollowUpRequest
        {
            PartnershipId = "p",
            ActionId = $"a{i}",
            OrganizationId = $"org{s.Organization}",
            Round = Day(s.SentAfter).AddDays(7),
            SentAt = After(s.SentAfter, 7),
            AnsweredAt = s.AnsweredDays >= 0 ? After(s.SentAfter, 7).AddDays(s.AnsweredDays) : null,
        }).ToList();
        return ActionPlan.Empty("p") with { Actions = actions, Updates = updates, Requests = requests };
    }

    /// <summary>The person who speaks for the organisation on a day (the first before the change, the second after).</summary>
    private static string PersonAt(Org org, int o, DateOnly day) =>
        org.ChangeAfter >= 0 && day >= Day(org.ChangeAfter).AddDays(10) ? $"person{o}b" : $"person{o}a";

    /// <summary>Whether someone represented the organisation on a day.</summary>
    private static bool Represented(Org org, DateOnly day) =>
        day >= Day(org.Join).AddDays(-10) && (org.VacantAfter < 0 || day < Day(org.VacantAfter).AddDays(5));

    /// <summary>The organisation's status at a meeting: P, A, E, or - (no record, or nobody to attend).</summary>
    private static char Effective(Sample sample, int o, int m) =>
        Represented(sample.Orgs[o], Day(m)) ? sample.Orgs[o].Statuses[m] : '-';

    /// <summary>What the test knows about one organisation at the as-of meeting, counted from the sample.</summary>
    private sealed record Truth(int Known, string Seen, DateOnly? RecentChange, int MeetingsSinceChange, bool Vacant, int Forms, int Answered, int Answers, int AnswersC, int Diverging)
    {
        /// <summary>Late actions it carries, and the days late of the longest and of the most recent.</summary>
        public (int Count, int Oldest, int Newest) Late { get; init; }

        /// <summary>Sheets unanswered since its last answer, and the days since the first and the latest was sent.</summary>
        public (int Count, int Oldest, int Newest) Silent { get; init; }

        public (int Meetings, int Absences, int Excused) Window(int size)
        {
            var last = Seen[Math.Max(0, Seen.Length - size)..];
            return (last.Length, last.Count(c => c != 'P'), last.Count(c => c == 'E'));
        }

        public int Streak => Seen.Length - 1 - Seen.LastIndexOf('P');

        public int StreakExcused => Seen[(Seen.LastIndexOf('P') + 1)..].Count(c => c == 'E');

        public bool EverPresent => Seen.Contains('P', StringComparison.Ordinal);
    }

    private static Truth TruthOf(Sample sample, int o)
    {
        var org = sample.Orgs[o];
        var k = sample.AsOf;
        var asOf = Histories.MeetingStart(k);
        var day = Day(k);
        var seen = new string([.. Enumerable.Range(org.Join, Math.Max(0, k - org.Join)).Select(m => Effective(sample, o, m))]);
        DateOnly? change = org.ChangeAfter >= 0 && Day(org.ChangeAfter).AddDays(10) is var c && c <= day && day.DayNumber - c.DayNumber <= RecentChangeDays ? c : null;
        var sinceChange = change is { } changed ? Enumerable.Range(org.Join, Math.Max(0, k - org.Join)).Count(m => Day(m) >= changed) : 0;

        bool Recent(DateTimeOffset at) => at < asOf && asOf - at <= TimeSpan.FromDays(LookbackDays);
        var followUps = sample.FollowUps.Where(f => Recent(After(f.AfterMeeting, 3))).ToList();
        var forms = followUps.Select(f => f.FormId).Distinct().Count();
        var answered = followUps.Where(f => f.Organization == o && Represented(org, DateOnly.FromDateTime(After(f.AfterMeeting, 3).DateTime))).Select(f => f.FormId).Distinct().Count();
        var answers = sample.Diagnostics.Where(d => Recent(After(d.AfterMeeting, 4))).SelectMany(d => d.Answers).ToList();
        var diverging = answers.GroupBy(a => a.Item).Count(g => g.Count() >= 2 && g.Any(a => a.Answer == DiagnosticAnswer.A) && g.Any(a => a.Answer == DiagnosticAnswer.C));
        return new Truth(seen.Length, seen, change, sinceChange, !Represented(org, day), forms, answered, answers.Count, answers.Count(a => a.Answer == DiagnosticAnswer.C), diverging)
        {
            Late = LateOf(sample, o, asOf),
            Silent = SilenceOf(sample, o, asOf),
        };
    }

    /// <summary>The organisation's late actions, read with the product's one definition of lateness (<see cref="ActionProgress"/>).</summary>
    private static (int, int, int) LateOf(Sample sample, int o, DateTimeOffset asOf)
    {
        var late = ActionProgress.At(PlanOf(sample), asOf).Where(s => !s.IsClosed && s.IsLate && s.Action.IsCarriedBy($"org{o}")).Select(s => s.DaysLate).ToList();
        return late.Count == 0 ? (0, 0, 0) : (late.Count, late.Max(), late.Min());
    }

    /// <summary>The sheets the organisation left unanswered since it last answered one, counted from the sample.</summary>
    private static (int, int, int) SilenceOf(Sample sample, int o, DateTimeOffset asOf)
    {
        var mine = sample.Sheets.Where(s => s.Organization == o).Select(s => (Sent: After(s.SentAfter, 7), Answered: s.AnsweredDays >= 0 ? After(s.SentAfter, 7).AddDays(s.AnsweredDays) : (DateTimeOffset?)null)).ToList();
        var answers = mine.Where(s => s.Answered <= asOf).Select(s => s.Answered!.Value).ToList();
        var lastAnswer = answers.Count == 0 ? DateTimeOffset.MinValue : answers.Max();
        var days = mine.Where(s => s.Sent <= asOf && s.Sent > lastAnswer && asOf - s.Sent <= TimeSpan.FromDays(LookbackDays) && !(s.Answered <= asOf))
            .Select(s => (int)Math.Floor((asOf - s.Sent).TotalDays)).ToList();
        return days.Count == 0 ? (0, 0, 0) : (days.Count, days.Max(), days.Min());
    }

    [Fact]
    public void EveryReason_IsTrueOfItsTimeline()
    {
        Prop.ForAll(Samples().ToArbitrary(), sample =>
        {
            var timeline = PartnershipTimeline.Build(History(sample));
            var asOf = Histories.MeetingStart(sample.AsOf);
            foreach (var features in timeline.FeaturesAt(asOf))
            {
                var o = int.Parse(features.OrganizationId[3..], System.Globalization.CultureInfo.InvariantCulture);
                var truth = TruthOf(sample, o);
                Assert.Equal(truth.Known, features.MeetingsKnown);

                // Each feature alone, so that every feature is rendered whenever it can be…
                for (var i = 0; i < FeatureNames.Count; i++)
                {
                    var only = new double[FeatureNames.Count];
                    only[i] = 1;
                    foreach (var reason in Reasons.Top(features, only))
                    {
                        Assert.Equal(FeatureNames.All[i], reason.Feature);
                        Check(reason, features, truth);
                    }
                }

                // …and the model's ranking: only contributions that raise the risk, largest first, one per topic.
                var top = Reasons.Top(features, sample.Contributions, FeatureNames.Count);
                Assert.All(top, r => Assert.True(r.Contribution >= Reasons.MinimumContribution));
                Assert.Equal(top.OrderByDescending(r => r.Contribution).Select(r => r.Feature), top.Select(r => r.Feature));
                Assert.All(top, r => Check(r, features, truth));
            }

            var risk = RiskScorer.Score(timeline, PriorModel.Create(), asOf);
            foreach (var organization in risk.Organizations)
            {
                var truth = TruthOf(sample, int.Parse(organization.OrganizationId[3..], System.Globalization.CultureInfo.InvariantCulture));
                Assert.All(organization.Reasons, r => Check(r, organization.Features, truth));
            }

            Assert.All(risk.Reasons, r => CheckWords(r.French, r.English));
        }).QuickCheckThrowOnFailure();
    }

    private static void Check(Reason reason, OrganizationFeatures features, Truth truth)
    {
        var (fr, en) = (reason.French, reason.English);
        CheckWords(fr, en);
        Assert.True(reason.Value > 0, $"{reason.Feature} = {reason.Value} is no concern: {en}");
        Assert.Equal(features.Values[FeatureNames.IndexOf(reason.Feature)], reason.Value);
        switch (reason.Feature)
        {
            case FeatureNames.AbsenceShort:
                CheckAbsences(fr, en, truth, 3);
                break;
            case FeatureNames.AbsenceLong:
                CheckAbsences(fr, en, truth, 6);
                break;
            case FeatureNames.AbsenceStreak or FeatureNames.MeetingsSincePresent:
                CheckStreak(fr, en, truth);
                break;
            case FeatureNames.AbsenceAboveBaseline:
            {
                var e = Match(en, @"^more absences than usual: (\d+)% of the last (\d+) meetings, against (\d+)% since joining$");
                var f = Match(fr, @"^plus d’absences que d’habitude : (\d+)\u00A0% aux (\d+) dernières rencontres, contre (\d+)\u00A0% depuis son arrivée$");
                Assert.Equal(e, f);
                var (meetings, absences, _) = truth.Window(3);
                Assert.Equal(meetings, e[1]);
                Assert.Equal(Percent(absences, meetings), e[0]);
                Assert.Equal(Percent(truth.Seen.Count(c => c != 'P'), truth.Known), e[2]);
                Assert.True(e[0] > e[2]);
                break;
            }

            case FeatureNames.AbsenceEwma:
            {
                var e = Match(en, @"^recent absence rate of (\d+)% \(weighted average\)$");
                Assert.Equal(e, Match(fr, @"^taux d’absence récent de (\d+)\u00A0% \(moyenne pondérée\)$"));
                Assert.InRange(e[0], 1, 100);
                Assert.Contains(truth.Seen, c => c != 'P');
                break;
            }

            case FeatureNames.Decline:
            {
                var e = Match(en, @"^attendance declining over the last (\d+) meetings$");
                Assert.Equal(e, Match(fr, @"^présence en déclin sur les (\d+) dernières rencontres$"));
                Assert.Equal(Math.Min(6, truth.Known), e[0]);
                var last = truth.Seen[^e[0]..];
                Assert.True(Slope(last) < 0, $"presence {last} is not declining");
                break;
            }

            case FeatureNames.TimeMissed:
            {
                var e = Match(en, @"^missed on average (\d+)% of online meeting time$");
                Assert.Equal(e, Match(fr, @"^a manqué en moyenne (\d+)\u00A0% du temps des rencontres en ligne$"));
                Assert.InRange(e[0], 1, 100);
                Assert.Contains(truth.Seen, c => c == 'P');
                break;
            }

            case FeatureNames.RepresentativeChange or FeatureNames.RepresentativeChangeFresh:
            {
                Assert.NotNull(truth.RecentChange);
                if (en == "new representative, no meeting since the change yet")
                {
                    Assert.Equal("nouveau représentant, aucune rencontre depuis le changement", fr);
                    Assert.Equal(0, truth.MeetingsSinceChange);
                }
                else if (en == "representative changed in the last 6 months")
                {
                    Assert.Equal("changement de représentant au cours des 6 derniers mois", fr);
                    Assert.True(truth.MeetingsSinceChange >= 6);
                }
                else
                {
                    var e = Match(en, @"^new representative for (\d+) meetings?$");
                    Assert.Equal(e, Match(fr, @"^nouveau représentant depuis (\d+) rencontres?$"));
                    Assert.Equal(truth.MeetingsSinceChange, e[0]);
                }

                break;
            }

            case FeatureNames.Vacancy:
                Assert.True(truth.Vacant);
                Assert.Equal("no representative in place", en);
                break;
            case FeatureNames.FollowUpGap:
            {
                var e = Match(en, @"^did not answer (\d+) of (\d+) recent follow-up sheets?$");
                Assert.Equal(e, Match(fr, @"^n’a pas répondu à (\d+) fiches? de suivi récentes? sur (\d+)$"));
                Assert.Equal(truth.Forms, e[1]);
                Assert.Equal(truth.Forms - truth.Answered, e[0]);
                break;
            }

            case FeatureNames.DiagnosticWeak:
            {
                var e = Match(en, @"^(\d+) C answers? out of (\d+) in the partnership's recent self-diagnostic$");
                Assert.Equal(e, Match(fr, @"^(\d+) réponses? C sur (\d+) à l’autodiagnostic récent du partenariat$"));
                Assert.Equal(new[] { truth.AnswersC, truth.Answers }, e);
                break;
            }

            case FeatureNames.DiagnosticDispersion:
            {
                var e = Match(en, @"^diverging views on (\d+) of the 18 self-diagnostic items$");
                Assert.Equal(e, Match(fr, @"^points de vue divergents sur (\d+) des 18 énoncés de l’autodiagnostic$"));
                Assert.Equal(truth.Diverging, e[0]);
                break;
            }

            case FeatureNames.ShortHistory:
                if (truth.Known == 0)
                {
                    Assert.Equal("no meeting yet since joining", en);
                }
                else
                {
                    var e = Match(en, @"^little history: (\d+) meetings? since joining$");
                    Assert.Equal(e, Match(fr, @"^peu d’historique : (\d+) rencontres? depuis son arrivée$"));
                    Assert.Equal(truth.Known, e[0]);
                }

                break;
            case FeatureNames.ActionsLate:
                CheckSeveral(fr, en, truth.Late, "actions?", "late", "en retard");
                break;
            case FeatureNames.SheetSilence:
                CheckSeveral(fr, en, truth.Silent, "follow-up sheets?", "unanswered", "sans réponse", "fiches? de suivi");
                break;
            default:
                Assert.Fail($"{reason.Feature} has no words: {en}");
                break;
        }
    }

    /// <summary>
    /// "N things late for D days" (each of them: D is both the longest and the shortest), "N things late, the oldest for D
    /// days", or "… since today" (D = 0), in both languages.
    /// </summary>
    private static void CheckSeveral(string fr, string en, (int Count, int Oldest, int Newest) truth, string englishNoun, string englishState, string frenchState, string? frenchNoun = null)
    {
        frenchNoun ??= englishNoun;
        var e = Regex.Match(en, $@"^(\d+) {englishNoun} {englishState}(, the oldest)? (for (\d+) days?|since today)$");
        var f = Regex.Match(fr, $@"^(\d+) {frenchNoun} {frenchState}(, la plus ancienne)? depuis ((\d+) jours?|aujourd’hui)$");
        Assert.True(e.Success, $"'{en}' does not read as expected");
        Assert.True(f.Success, $"'{fr}' does not read as expected");
        var count = int.Parse(e.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var days = e.Groups[4].Success ? int.Parse(e.Groups[4].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
        Assert.Equal(e.Groups[1].Value, f.Groups[1].Value);
        Assert.Equal(e.Groups[2].Success, f.Groups[2].Success);
        Assert.Equal(e.Groups[4].Value, f.Groups[4].Value);
        Assert.Equal(truth.Count, count);
        Assert.Equal(truth.Oldest, days);
        if (!e.Groups[2].Success)
        {
            Assert.Equal(truth.Oldest, truth.Newest); // the days are true of every one counted
        }
    }

    private static void CheckAbsences(string fr, string en, Truth truth, int size)
    {
        var (meetings, absences, excused) = truth.Window(size);
        var (enBody, enExcused) = SplitExcused(en, @" \((excused|excused each time|(\d+) excused)\)$");
        var (frBody, frExcused) = SplitExcused(fr, @" \((excusée|excusée chaque fois|excusée (\d+) fois)\)$");
        if (meetings < size)
        {
            var e = Match(enBody, @"^absent from (\d+) of (\d+) meetings? so far$");
            Assert.Equal(e, Match(frBody, @"^absente à (\d+) rencontres? sur (\d+) jusqu’ici$"));
            Assert.Equal(new[] { absences, meetings }, e);
            Assert.Equal(truth.Known, meetings);
        }
        else
        {
            var e = Match(enBody, @"^absent from (\d+) of the last (\d+) meetings$");
            Assert.Equal(e, Match(frBody, @"^absente à (\d+) des (\d+) dernières rencontres$"));
            Assert.Equal(new[] { absences, size }, e);
        }

        CheckExcused(absences, excused, enExcused, frExcused);
    }

    private static void CheckStreak(string fr, string en, Truth truth)
    {
        var (enBody, enExcused) = SplitExcused(en, @" \((excused|excused each time|(\d+) excused)\)$");
        var (frBody, frExcused) = SplitExcused(fr, @" \((excusée|excusée chaque fois|excusée (\d+) fois)\)$");
        int streak;
        if (enBody == "absent from the last meeting")
        {
            Assert.Equal("absente à la dernière rencontre", frBody);
            streak = 1;
        }
        else if (Regex.Match(enBody, @"^not present at any of its (\d+) meetings since joining$") is { Success: true } never)
        {
            streak = int.Parse(never.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(new[] { streak }, Match(frBody, @"^aucune présence à ses (\d+) rencontres depuis son arrivée$"));
            Assert.False(truth.EverPresent);
            Assert.Equal(truth.Known, streak);
        }
        else if (Regex.Match(enBody, @"^missed the last (\d+) meetings in a row$") is { Success: true } row)
        {
            streak = int.Parse(row.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(new[] { streak }, Match(frBody, @"^absente aux (\d+) dernières rencontres d’affilée$"));
        }
        else
        {
            streak = Match(enBody, @"^not present for (\d+) meetings$")[0];
            Assert.Equal(new[] { streak }, Match(frBody, @"^aucune présence depuis (\d+) rencontres$"));
            Assert.True(truth.EverPresent);
        }

        Assert.Equal(truth.Streak, streak);
        CheckExcused(streak, truth.StreakExcused, enExcused, frExcused);
    }

    private static (string Body, Match Excused) SplitExcused(string text, string pattern)
    {
        var match = Regex.Match(text, pattern);
        return (match.Success ? text[..match.Index] : text, match);
    }

    private static void CheckExcused(int absences, int excused, Match en, Match fr)
    {
        Assert.Equal(en.Success, fr.Success);
        if (excused == 0)
        {
            Assert.False(en.Success, "regrets told where none were sent");
            return;
        }

        Assert.True(en.Success, $"{excused} of {absences} absences were excused and the text does not say so");
        if (excused == absences)
        {
            Assert.Equal(absences == 1 ? "excused" : "excused each time", en.Groups[1].Value);
            Assert.Equal(absences == 1 ? "excusée" : "excusée chaque fois", fr.Groups[1].Value);
        }
        else
        {
            Assert.Equal(excused.ToString(System.Globalization.CultureInfo.InvariantCulture), en.Groups[2].Value);
            Assert.Equal(excused.ToString(System.Globalization.CultureInfo.InvariantCulture), fr.Groups[2].Value);
        }
    }

    /// <summary>What any reason must respect: no "+-", no "(s)", no count of zero, singular after 1 and plural after more, a no-break space before % in French.</summary>
    private static void CheckWords(string fr, string en)
    {
        foreach (var text in new[] { fr, en })
        {
            Assert.DoesNotContain("+-", text, StringComparison.Ordinal);
            Assert.DoesNotContain("(s)", text, StringComparison.Ordinal);
            Assert.DoesNotMatch(Zero(), text);
            Assert.DoesNotMatch(OnePlural(), text);
            Assert.DoesNotMatch(ManySingular(), text);
        }

        Assert.DoesNotMatch(FrenchPercentWithoutNoBreakSpace(), fr);
        Assert.DoesNotMatch(EnglishPercentWithSpace(), en);
    }

    private static int[] Match(string text, string pattern)
    {
        var match = Regex.Match(text, pattern);
        Assert.True(match.Success, $"'{text}' does not read as /{pattern}/");
        return [.. match.Groups.Cast<Group>().Skip(1).Select(g => int.Parse(g.Value, System.Globalization.CultureInfo.InvariantCulture))];
    }

    private static int Percent(int part, int whole) => (int)Math.Round(100.0 * part / whole, MidpointRounding.AwayFromZero);

    private static double Slope(string seen)
    {
        var n = seen.Length;
        var meanX = (n - 1) / 2.0;
        var meanY = seen.Count(c => c == 'P') / (double)n;
        double covariance = 0, variance = 0;
        for (var i = 0; i < n; i++)
        {
            covariance += (i - meanX) * ((seen[i] == 'P' ? 1 : 0) - meanY);
            variance += (i - meanX) * (i - meanX);
        }

        return covariance / variance;
    }

    [GeneratedRegex(@"(?<![\d.,])0(?![\d.,])")]
    private static partial Regex Zero();

    [GeneratedRegex(@"(?<!\d)1 (rencontres|meetings|fiches|sheets|partenaires|partners|réponses|answers|sièges|seats|actions|jours|days|follow-up sheets)\b")]
    private static partial Regex OnePlural();

    [GeneratedRegex(@"(?<!\d)([2-9]|\d{2,}) (rencontre|meeting|fiche|sheet|partenaire|partner|réponse|answer|siège|seat|action|jour|day|follow-up sheet)(?![\w])")]
    private static partial Regex ManySingular();

    [GeneratedRegex(@"(?<!\u00A0)%")]
    private static partial Regex FrenchPercentWithoutNoBreakSpace();

    [GeneratedRegex(@"\s%")]
    private static partial Regex EnglishPercentWithSpace();
}
