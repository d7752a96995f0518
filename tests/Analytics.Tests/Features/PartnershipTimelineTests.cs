using Engagement.Analytics.Features;
using Engagement.Core.Domain;
using FsCheck;
using FsCheck.Fluent;

namespace Engagement.Analytics.Tests.Features;

public sealed class PartnershipTimelineTests
{
    private static double Feature(OrganizationFeatures features, string name) => features.Values[FeatureNames.IndexOf(name)];

    [Fact]
    public void FeaturesAt_AbsentFromTheLastThree_ReadsAsSuch()
    {
        var timeline = PartnershipTimeline.Build(Histories.Build("PPPPPPAAA"));
        var features = Assert.Single(timeline.FeaturesAt(Histories.MeetingStart(9)));

        Assert.Equal(9, features.MeetingsKnown);
        Assert.Equal(1.0, Feature(features, FeatureNames.AbsenceShort));
        Assert.Equal(0.5, Feature(features, FeatureNames.AbsenceLong));
        Assert.Equal(3 / 9.0, features.CumulativeAbsence, 12);
        Assert.Equal(1 - (3 / 9.0), Feature(features, FeatureNames.AbsenceAboveBaseline), 12);
        Assert.Equal(0.5, Feature(features, FeatureNames.AbsenceStreak));
        Assert.Equal(3 / 12.0, Feature(features, FeatureNames.MeetingsSincePresent), 12);
        Assert.True(Feature(features, FeatureNames.Decline) > 0);
        Assert.Equal(1 - Math.Pow(0.7, 3), Feature(features, FeatureNames.AbsenceEwma), 12);
        Assert.Equal(0, Feature(features, FeatureNames.Vacancy));
    }

    [Fact]
    public void FeaturesAt_ExcusedCountsAsNotPresent()
    {
        var timeline = PartnershipTimeline.Build(Histories.Build("PPPEEE"));
        Assert.Equal(1.0, Feature(Assert.Single(timeline.FeaturesAt(Histories.MeetingStart(6))), FeatureNames.AbsenceShort));
    }

    [Fact]
    public void FeaturesAt_UsesOnlyMeetingsStartedBeforeTheAsOfTime()
    {
        var timeline = PartnershipTimeline.Build(Histories.Build("PPPAAA"));
        var atFourthMeeting = Assert.Single(timeline.FeaturesAt(Histories.MeetingStart(3)));
        Assert.Equal(3, atFourthMeeting.MeetingsKnown);
        Assert.Equal(0.0, Feature(atFourthMeeting, FeatureNames.AbsenceShort));
    }

    [Fact]
    public void FeaturesAt_RepresentativeLeftAndNoSuccessor_IsAVacancy()
    {
        var history = Histories.Build("PPPPPP");
        history = history with
        {
            Representations = [history.Representations[0] with { To = Histories.FirstMeeting.AddMonths(4) }],
        };
        var features = Assert.Single(PartnershipTimeline.Build(history).FeaturesAt(Histories.MeetingStart(6)));
        Assert.Equal(1, Feature(features, FeatureNames.Vacancy));
        // The representative's last day was meeting 4; meeting 5 had nobody to attend for the organisation.
        Assert.Equal(1 / 3.0, Feature(features, FeatureNames.AbsenceShort), 12);
    }

    [Fact]
    public void FeaturesAt_NewRepresentative_IsARecentFreshChange()
    {
        var history = Histories.Build("PPPPPP");
        var changeDay = Histories.FirstMeeting.AddMonths(4).AddDays(-5);
        history = history with
        {
            Representations =
            [
                history.Representations[0] with { To = changeDay.AddDays(-1) },
                history.Representations[0] with { Id = "rep0b", PersonId = "newcomer", From = changeDay },
            ],
            Attendance = [.. history.Attendance.Select(a => a.MeetingId is "m04" or "m05" ? a with { PersonId = "newcomer" } : a)],
        };
        var features = Assert.Single(PartnershipTimeline.Build(history).FeaturesAt(Histories.MeetingStart(6)));
        Assert.Equal(1, Feature(features, FeatureNames.RepresentativeChange));
        Assert.Equal(1 - (2 / 6.0), Feature(features, FeatureNames.RepresentativeChangeFresh), 12);
        Assert.Equal(0, Feature(features, FeatureNames.AbsenceShort));
    }

    [Fact]
    public void Examples_LabelIsTwoAbsencesInTheNextThree_AndAlreadyDisengagedAreLeftOut()
    {
        var examples = PartnershipTimeline.Build(Histories.Build("PPPPAAPAAAAP")).Examples().ToList();

        // At meeting k, the label looks at k..k+2; examples exist for k = 1..9.
        var byMeeting = examples.ToDictionary(e => e.Features.MeetingsKnown, e => e.Disengaged);
        Assert.False(byMeeting[1]);   // P P P
        Assert.True(byMeeting[3]);    // P A A
        Assert.True(byMeeting[4]);    // A A P
        Assert.False(byMeeting.ContainsKey(6)); // previous three P A A: already disengaged
        Assert.All(examples, e => Assert.True(e.LabelKnownAt > e.Features.AsOf));
    }

    [Fact]
    public void FeaturesAt_NothingAfterTheAsOfTime_ChangesTheFeatures()
    {
        var gen = from length in Gen.Choose(4, 14)
                  from cut in Gen.Choose(1, 3)
                  from before in Gen.ArrayOf(Gen.Elements('P', 'A', 'E', '-'), length)
                  from after in Gen.ArrayOf(Gen.Elements('P', 'A', 'E', '-'), length)
                  from other in Gen.ArrayOf(Gen.Elements('P', 'A'), length)
                  select (Cut: length - cut, Before: new string(before), After: new string(after), Other: new string(other));
        Prop.ForAll(gen.ToArbitrary(), sample =>
        {
            // Two histories that agree before meeting `Cut` and differ from it on.
            var known = sample.Before[..sample.Cut];
            var first = PartnershipTimeline.Build(Histories.Build(known + sample.Before[sample.Cut..], sample.Other));
            var second = PartnershipTimeline.Build(Histories.Build(known + sample.After[sample.Cut..], sample.Other[..sample.Cut] + new string('A', sample.Other.Length - sample.Cut)));
            var asOf = Histories.MeetingStart(sample.Cut);
            var a = first.FeaturesAt(asOf);
            var b = second.FeaturesAt(asOf);
            return a.Count == b.Count && a.Zip(b).All(pair => pair.First.Values.SequenceEqual(pair.Second.Values) && pair.First.CumulativeAbsence == pair.Second.CumulativeAbsence);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void AbsenceEwma_MoreRecentAbsence_NeverLowersIt()
    {
        var gen = from length in Gen.Choose(1, 15)
                  from pattern in Gen.ArrayOf(Gen.Elements('P', 'A'), length)
                  from position in Gen.Choose(0, length - 1)
                  select (Pattern: new string(pattern), Position: position);
        Prop.ForAll(gen.ToArbitrary(), sample =>
        {
            // Turning any one meeting into an absence can only raise (or keep) the weighted absence at the end.
            var withAbsence = sample.Pattern.ToCharArray();
            withAbsence[sample.Position] = 'A';
            var withPresence = sample.Pattern.ToCharArray();
            withPresence[sample.Position] = 'P';
            var asOf = Histories.MeetingStart(sample.Pattern.Length);
            double Ewma(char[] pattern) => PartnershipTimeline.Build(Histories.Build(new string(pattern))).FeaturesAt(asOf)[0].Values[FeatureNames.IndexOf(FeatureNames.AbsenceEwma)];
            return Ewma(withAbsence) >= Ewma(withPresence);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void FeaturesAt_ObserversSpeakForNoOrganisation()
    {
        var history = Histories.Build("AAAA");
        history = history with
        {
            Representations = [.. history.Representations, new Representation { PartnershipId = "p", Id = "obs", OrganizationId = "org0", PersonId = "guest", Role = RepresentationRole.Observer, From = Histories.FirstMeeting }],
            Attendance = [.. history.Attendance, .. Enumerable.Range(0, 4).Select(i => new Attendance { PartnershipId = "p", MeetingId = $"m{i:D2}", PersonId = "guest", Status = AttendanceStatus.Present })],
        };
        var features = Assert.Single(PartnershipTimeline.Build(history).FeaturesAt(Histories.MeetingStart(4)));
        Assert.Equal(1.0, features.Values[FeatureNames.IndexOf(FeatureNames.AbsenceShort)]);
    }
}
