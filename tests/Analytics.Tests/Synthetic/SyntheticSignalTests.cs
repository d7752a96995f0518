using Engagement.Analytics.Synthetic;
using Engagement.Core.Domain;
using Xunit.Abstractions;

namespace Engagement.Analytics.Tests.Synthetic;

/// <summary>The signals a model must be able to learn are really in the data, aggregated over many organisations.</summary>
public class SyntheticSignalTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    public void Generate_DriftingOrganizations_AttendClearlyLessInLastSixMonthsThanInFirstSix(int seed)
    {
        var options = new SyntheticOptions { Seed = seed, Partnerships = 30 };
        var dataset = SyntheticGenerator.Generate(options);
        var firstEnd = options.Start.AddMonths(6);
        var lastStart = options.Start.AddMonths(options.Months - 6);
        (int Present, int Rows) driftFirst = default, driftLast = default, stableFirst = default, stableLast = default;

        for (var p = 0; p < dataset.Partnerships.Count; p++)
        {
            var history = dataset.Partnerships[p];
            var attendance = OrganizationAttendance.Of(history);
            var days = history.Meetings.Select(OrganizationAttendance.Day).ToList();
            var first = Enumerable.Range(0, days.Count).Where(j => days[j] < firstEnd).ToList();
            var last = Enumerable.Range(0, days.Count).Where(j => days[j] >= lastStart).ToList();
            foreach (var truth in dataset.GroundTruth.Partnerships[p].Organizations)
            {
                var rows = attendance[truth.OrganizationId];
                var (a, b) = (OrganizationAttendance.Count(rows, first), OrganizationAttendance.Count(rows, last));
                if (truth.Drifts && !truth.DriftAfterTurnover)
                {
                    driftFirst = (driftFirst.Present + a.Present, driftFirst.Rows + a.Rows);
                    driftLast = (driftLast.Present + b.Present, driftLast.Rows + b.Rows);
                }
                else if (!truth.Drifts)
                {
                    stableFirst = (stableFirst.Present + a.Present, stableFirst.Rows + a.Rows);
                    stableLast = (stableLast.Present + b.Present, stableLast.Rows + b.Rows);
                }
            }
        }

        var (driftBefore, driftAfter) = (Rate(driftFirst), Rate(driftLast));
        var (stableBefore, stableAfter) = (Rate(stableFirst), Rate(stableLast));
        output.WriteLine($"drifting: {driftBefore:P0} → {driftAfter:P0} ({driftFirst.Rows} / {driftLast.Rows} rows); stable: {stableBefore:P0} → {stableAfter:P0}");
        Assert.True(driftFirst.Rows > 200 && driftLast.Rows > 200);
        Assert.True(driftAfter < driftBefore - 0.35, $"drifting organisations: {driftBefore:P0} → {driftAfter:P0}");
        Assert.True(Math.Abs(stableAfter - stableBefore) < 0.08, $"stable organisations: {stableBefore:P0} → {stableAfter:P0}");
    }

    [Fact]
    public void Generate_DriftingOrganizations_LatentEngagementDeclinesAfterDriftStart()
    {
        var dataset = SyntheticGenerator.Generate(new SyntheticOptions { Seed = 5, Partnerships = 20 });
        var drifters = dataset.GroundTruth.Partnerships.SelectMany(p => p.Organizations).Where(o => o.Drifts).ToList();

        Assert.NotEmpty(drifters);
        Assert.All(drifters, o => Assert.InRange(o.DriftMonths!.Value, 6, 12));
        Assert.All(drifters, o => Assert.Single(o.Events, e => e.Kind == SyntheticEventKind.DriftStarted && e.Date == o.DriftStart));
        Assert.DoesNotContain(dataset.GroundTruth.Partnerships.SelectMany(p => p.Organizations), o => o.IsCoordinator && o.Drifts);
        var completed = drifters.Select(o => (o, start: o.Events.Single(e => e.Kind == SyntheticEventKind.DriftStarted).MeetingIndex))
            .Where(x => x.start >= 3 && x.start + 12 < x.o.Engagement.Count)
            .ToList();
        Assert.True(completed.Count > 10, $"{completed.Count} completed drifts");
        var before = completed.Average(x => x.o.Engagement.Take(x.start).TakeLast(3).Average());
        var after = completed.Average(x => x.o.Engagement.Skip(x.start + 12).Average());
        Assert.True(after < before - 0.4, $"latent engagement {before:P0} before, {after:P0} a year after the drift started");
    }

    [Theory]
    [InlineData(21)]
    [InlineData(22)]
    public void Generate_TurnoverShock_LowersAttendanceInFollowingThreeMeetings(int seed)
    {
        var dataset = SyntheticGenerator.Generate(new SyntheticOptions { Seed = seed, Partnerships = 40, TurnoverRate = 0.04 });
        (int Present, int Rows) before = default, after = default;
        var shocks = 0;

        for (var p = 0; p < dataset.Partnerships.Count; p++)
        {
            var attendance = OrganizationAttendance.Of(dataset.Partnerships[p]);
            foreach (var truth in dataset.GroundTruth.Partnerships[p].Organizations)
            {
                var rows = attendance[truth.OrganizationId];
                var events = truth.Events.Where(e => e.Kind is SyntheticEventKind.RepresentativeLeft or SyntheticEventKind.RepresentativeJoined).ToList();
                for (var i = 0; i + 1 < events.Count; i++)
                {
                    var (left, joined) = (events[i], events[i + 1]);
                    if (left.Kind != SyntheticEventKind.RepresentativeLeft || joined.MeetingIndex + 3 > rows.Length || left.MeetingIndex < 3)
                    {
                        continue;
                    }

                    var (b, a) = (OrganizationAttendance.Count(rows, Enumerable.Range(left.MeetingIndex - 3, 3)),
                        OrganizationAttendance.Count(rows, Enumerable.Range(joined.MeetingIndex, 3)));
                    before = (before.Present + b.Present, before.Rows + b.Rows);
                    after = (after.Present + a.Present, after.Rows + a.Rows);
                    shocks++;
                }
            }
        }

        output.WriteLine($"{shocks} turnovers: {Rate(before):P0} in the 3 meetings before, {Rate(after):P0} in the new representative's first 3");
        Assert.True(shocks > 50, $"{shocks} turnovers");
        Assert.True(Rate(after) < Rate(before) - 0.1, $"{Rate(before):P0} before, {Rate(after):P0} after");
    }

    [Fact]
    public void Generate_Turnover_RaisesTheShareOfOrganizationsThatLaterDrift()
    {
        var dataset = SyntheticGenerator.Generate(new SyntheticOptions { Seed = 31, Partnerships = 40, TurnoverRate = 0.04, DriftShare = 0.1 });
        var organizations = dataset.GroundTruth.Partnerships.SelectMany(p => p.Organizations).Where(o => !o.IsCoordinator).ToList();
        var turned = organizations.Where(o => o.Events.Any(e => e.Kind == SyntheticEventKind.RepresentativeJoined)).ToList();
        var unturned = organizations.Except(turned).ToList();

        var turnedDrift = turned.Count(o => o.Drifts) / (double)turned.Count;
        var unturnedDrift = unturned.Count(o => o.Drifts) / (double)unturned.Count;
        output.WriteLine($"drift after a turnover: {turnedDrift:P0} of {turned.Count}; without: {unturnedDrift:P0} of {unturned.Count}");
        Assert.True(turnedDrift > unturnedDrift + 0.1);
        Assert.All(turned.Where(o => o.DriftAfterTurnover), o => Assert.Contains(o.Events, e => e.Kind == SyntheticEventKind.RepresentativeJoined && e.Date == o.DriftStart));
    }

    [Fact]
    public void Generate_SummerDip_LowersAugustAttendanceButNotLatentEngagement()
    {
        var dataset = SyntheticGenerator.Generate(new SyntheticOptions { Seed = 41, Partnerships = 30, DriftShare = 0, TurnoverRate = 0 });
        (int Present, int Rows) august = default, around = default;
        double augustLatent = 0, aroundLatent = 0;
        int augustCount = 0, aroundCount = 0;

        for (var p = 0; p < dataset.Partnerships.Count; p++)
        {
            var history = dataset.Partnerships[p];
            var attendance = OrganizationAttendance.Of(history);
            var augustMeetings = Enumerable.Range(0, history.Meetings.Count).Where(j => history.Meetings[j].Start.Month == 8).ToList();
            var aroundMeetings = Enumerable.Range(0, history.Meetings.Count).Where(j => history.Meetings[j].Start.Month is 6 or 9).ToList();
            foreach (var truth in dataset.GroundTruth.Partnerships[p].Organizations)
            {
                var (a, b) = (OrganizationAttendance.Count(attendance[truth.OrganizationId], augustMeetings), OrganizationAttendance.Count(attendance[truth.OrganizationId], aroundMeetings));
                august = (august.Present + a.Present, august.Rows + a.Rows);
                around = (around.Present + b.Present, around.Rows + b.Rows);
                augustLatent += augustMeetings.Sum(j => truth.Engagement[j]);
                augustCount += augustMeetings.Count;
                aroundLatent += aroundMeetings.Sum(j => truth.Engagement[j]);
                aroundCount += aroundMeetings.Count;
            }
        }

        var (latentAugust, latentAround) = (augustLatent / augustCount, aroundLatent / aroundCount);
        output.WriteLine($"attendance: August {Rate(august):P0}, June/September {Rate(around):P0}; latent: {latentAugust:P0} vs {latentAround:P0}");
        Assert.True(Rate(august) < Rate(around) - 0.1);
        Assert.True(Math.Abs(latentAugust - latentAround) < 0.03);
    }

    [Fact]
    public void Generate_Engagement_CorrelatesWithFollowUpResponseRate()
    {
        var dataset = SyntheticGenerator.Generate(new SyntheticOptions { Seed = 51, Partnerships = 30, FollowUpShare = 1 });
        var points = new List<(double Engagement, double ResponseRate)>();

        for (var p = 0; p < dataset.Partnerships.Count; p++)
        {
            var history = dataset.Partnerships[p];
            var organizationOf = history.Representations.ToDictionary(r => r.PersonId, r => r.OrganizationId, StringComparer.Ordinal);
            var rows = history.Attendance.GroupBy(a => organizationOf[a.PersonId]).ToDictionary(g => g.Key, g => g.Count());
            var responses = history.Submissions.Where(s => s.Kind == FormKind.FollowUp)
                .GroupBy(s => organizationOf[s.RespondentPersonId!]).ToDictionary(g => g.Key, g => g.Count());
            foreach (var truth in dataset.GroundTruth.Partnerships[p].Organizations)
            {
                if (rows.TryGetValue(truth.OrganizationId, out var count) && count >= 10)
                {
                    points.Add((truth.Engagement.Average(), responses.GetValueOrDefault(truth.OrganizationId) / (double)count));
                }
            }
        }

        var correlation = Pearson(points.Select(x => x.Engagement).ToList(), points.Select(x => x.ResponseRate).ToList());
        output.WriteLine($"{points.Count} organisations, correlation {correlation:F2}");
        Assert.True(correlation > 0.6, $"correlation {correlation:F2}");
    }

    [Fact]
    public void Generate_Diagnostics_WeakerPartnershipsAndLessEngagedOrganizationsAnswerWorse()
    {
        var dataset = SyntheticGenerator.Generate(new SyntheticOptions { Seed = 61, Partnerships = 40 });
        var median = dataset.GroundTruth.Partnerships.Select(p => p.Strength).Order().ElementAt(20);
        var (weakA, weakC, weakN, strongA, strongC, strongN) = (0, 0, 0, 0, 0, 0);
        var points = new List<(double Engagement, double Score)>();

        for (var p = 0; p < dataset.Partnerships.Count; p++)
        {
            var history = dataset.Partnerships[p];
            var truth = dataset.GroundTruth.Partnerships[p];
            var organizationOf = history.Representations.ToDictionary(r => r.PersonId, r => r.OrganizationId, StringComparer.Ordinal);
            foreach (var submission in history.Submissions.Where(s => s.Kind == FormKind.Diagnostic))
            {
                var answers = submission.DiagnosticItems!.Values.ToList();
                var (a, c) = (answers.Count(x => x == DiagnosticAnswer.A), answers.Count(x => x == DiagnosticAnswer.C));
                if (truth.Strength < median)
                {
                    (weakA, weakC, weakN) = (weakA + a, weakC + c, weakN + answers.Count);
                }
                else
                {
                    (strongA, strongC, strongN) = (strongA + a, strongC + c, strongN + answers.Count);
                }

                var organization = dataset.GroundTruth.Find(history.Partnership.Id, organizationOf[submission.RespondentPersonId!])!;
                var wave = history.Meetings.Count(m => m.Start < submission.SubmittedAt);
                points.Add((organization.Engagement[Math.Max(0, wave - 1)], (a - c) / 18.0));
            }
        }

        var correlation = Pearson(points.Select(x => x.Engagement).ToList(), points.Select(x => x.Score).ToList());
        output.WriteLine($"weak partnerships: {weakA / (double)weakN:P0} A, {weakC / (double)weakN:P0} C; strong: {strongA / (double)strongN:P0} A, {strongC / (double)strongN:P0} C; engagement–score correlation {correlation:F2}");
        Assert.True(weakC / (double)weakN > strongC / (double)strongN + 0.1);
        Assert.True(strongA / (double)strongN > weakA / (double)weakN + 0.1);
        Assert.True(correlation > 0.4, $"correlation {correlation:F2}");
    }

    [Fact]
    public void Generate_Diagnostics_LessEngagedOrganizationsRespondLess()
    {
        var dataset = SyntheticGenerator.Generate(new SyntheticOptions { Seed = 71, Partnerships = 40 });
        var responded = new List<double>();
        var silent = new List<double>();

        for (var p = 0; p < dataset.Partnerships.Count; p++)
        {
            var history = dataset.Partnerships[p];
            var attendance = OrganizationAttendance.Of(history);
            var organizationOf = history.Representations.ToDictionary(r => r.PersonId, r => r.OrganizationId, StringComparer.Ordinal);
            foreach (var wave in history.Submissions.Where(s => s.Kind == FormKind.Diagnostic).GroupBy(s => s.FormId))
            {
                // Organisations seated at the last meeting before the wave, and their engagement then.
                var opened = wave.Min(s => s.SubmittedAt);
                var meeting = history.Meetings.Count(m => m.Start < opened) - 1;
                var respondents = wave.Select(s => organizationOf[s.RespondentPersonId!]).ToHashSet();
                foreach (var truth in dataset.GroundTruth.Partnerships[p].Organizations.Where(o => attendance[o.OrganizationId][meeting] >= 0))
                {
                    (respondents.Contains(truth.OrganizationId) ? responded : silent).Add(truth.Engagement[meeting]);
                }
            }
        }

        output.WriteLine($"engagement at the wave: {responded.Average():P0} over {responded.Count} responses, {silent.Average():P0} over {silent.Count} non-responses");
        Assert.True(silent.Count > 100);
        Assert.True(responded.Average() > silent.Average() + 0.1);
    }

    private static double Rate((int Present, int Rows) count) => count.Rows == 0 ? double.NaN : count.Present / (double)count.Rows;

    private static double Pearson(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        double mx = x.Average(), my = y.Average(), sxy = 0, sxx = 0, syy = 0;
        for (var i = 0; i < x.Count; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }

        return sxy / Math.Sqrt(sxx * syy);
    }
}
