using Engagement.Analytics.Features;
using Engagement.Analytics.Model;
using Engagement.Analytics.Scoring;
using Engagement.Analytics.Tests.Features;

namespace Engagement.Analytics.Tests.Scoring;

public sealed class ReasonsTests
{
    [Fact]
    public void Score_PriorModel_OrganisationAbsentThreeTimes_IsHighWithPlainReasons()
    {
        var timeline = PartnershipTimeline.Build(Histories.Build("PPPPPPAAA", "PPPPPPPPP"));
        var risk = RiskScorer.Score(timeline, PriorModel.Create(), Histories.MeetingStart(9));

        Assert.Equal("prior-2", risk.ModelVersion);
        var absent = risk.Organizations[0];
        Assert.Equal("org0", absent.OrganizationId);
        Assert.Equal(RiskBand.High, absent.Band);
        Assert.InRange(absent.Probability, 0.80, 0.90); // as docs/model.md says of the prior
        Assert.Contains(absent.Reasons, r => r.French == "absente à 3 des 3 dernières rencontres" && r.English == "absent from 3 of the last 3 meetings");
        var regular = risk.Organizations[1];
        Assert.Equal(RiskBand.Low, regular.Band);
        Assert.InRange(regular.Probability, 0.05, 0.12);
        Assert.Empty(regular.Reasons);
        Assert.Equal((absent.Probability + regular.Probability) / 2, risk.Probability, 12);
        Assert.Contains(risk.Reasons, r => r.English == "1 of 2 partners at high risk");
    }

    private static double[] Only(string feature, double contribution = 1.0)
    {
        var contributions = new double[FeatureNames.Count];
        contributions[FeatureNames.IndexOf(feature)] = contribution;
        return contributions;
    }

    private static OrganizationFeatures FeaturesOf(string pattern) =>
        Assert.Single(PartnershipTimeline.Build(Histories.Build(pattern)).FeaturesAt(Histories.MeetingStart(pattern.Length)));

    [Theory]
    [InlineData("PP", true)]
    [InlineData("PPPPP", true)]
    [InlineData("PPPPPP", false)]
    [InlineData("PPPPPPPPPPPPPPPPPPPP", false)]
    public void Top_ShortHistoryPushingTheRiskUp_IsOnlyToldWhenTheHistoryIsShort(string pattern, bool told)
    {
        // A compact model reports log(1 + meetings) under short_history: its contribution can be positive for an
        // organisation with a long record, which "little history" would misstate.
        var reasons = Reasons.Top(FeaturesOf(pattern), Only(FeatureNames.ShortHistory));

        Assert.Equal(told, reasons.Any(r => r.Feature == FeatureNames.ShortHistory));
        Assert.All(reasons, r => Assert.Contains($"{pattern.Length} ", r.English, StringComparison.Ordinal));
    }

    [Fact]
    public void Score_OneMeetingOnRecordAndExcused_QuotesOneOfOneAndSaysExcused()
    {
        // Issue 14, item 3 (a): the text read "absent from 3 of the last 3 meetings".
        var risk = RiskScorer.Score(PartnershipTimeline.Build(Histories.Build("E")), PriorModel.Create(), Histories.MeetingStart(1));

        var reasons = Assert.Single(risk.Organizations).Reasons;
        Assert.Contains(reasons, r => r.French == "absente à 1 rencontre sur 1 jusqu’ici (excusée)" && r.English == "absent from 1 of 1 meeting so far (excused)");
        Assert.DoesNotContain(reasons, r => r.English.Contains("of the last 3", StringComparison.Ordinal) || r.French.Contains("des 3 dernières", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("AA", FeatureNames.AbsenceShort, "absente à 2 rencontres sur 2 jusqu’ici", "absent from 2 of 2 meetings so far")]
    [InlineData("PA", FeatureNames.AbsenceLong, "absente à 1 rencontre sur 2 jusqu’ici", "absent from 1 of 2 meetings so far")]
    [InlineData("PPPPAA", FeatureNames.AbsenceShort, "absente à 2 des 3 dernières rencontres", "absent from 2 of the last 3 meetings")]
    [InlineData("PPPPPEA", FeatureNames.AbsenceShort, "absente à 2 des 3 dernières rencontres (excusée 1 fois)", "absent from 2 of the last 3 meetings (1 excused)")]
    [InlineData("PPPPEE", FeatureNames.AbsenceLong, "absente à 2 des 6 dernières rencontres (excusée chaque fois)", "absent from 2 of the last 6 meetings (excused each time)")]
    [InlineData("PA", FeatureNames.AbsenceStreak, "absente à la dernière rencontre", "absent from the last meeting")]
    [InlineData("PPAAAA", FeatureNames.AbsenceStreak, "absente aux 4 dernières rencontres d’affilée", "missed the last 4 meetings in a row")]
    [InlineData("AAE", FeatureNames.MeetingsSincePresent, "aucune présence à ses 3 rencontres depuis son arrivée (excusée 1 fois)", "not present at any of its 3 meetings since joining (1 excused)")]
    [InlineData("PAAAAAAAAAAAAAA", FeatureNames.MeetingsSincePresent, "aucune présence depuis 14 rencontres", "not present for 14 meetings")]
    [InlineData("PPPPPPPPPAAA", FeatureNames.AbsenceAboveBaseline, "plus d’absences que d’habitude : 100\u00A0% aux 3 dernières rencontres, contre 25\u00A0% depuis son arrivée", "more absences than usual: 100% of the last 3 meetings, against 25% since joining")]
    public void Top_QuotesTheCountsObserved(string pattern, string feature, string french, string english)
    {
        var reason = Assert.Single(Reasons.Top(FeaturesOf(pattern), Only(feature)));
        Assert.Equal(feature, reason.Feature);
        Assert.Equal(french, reason.French);
        Assert.Equal(english, reason.English);
    }

    [Fact]
    public void Top_AttendanceWentUp_IsNoReasonAndNothingReadsPlusMinus()
    {
        // Issue 14, item 3 (b): a trained model may push the risk up on a negative change (negative weight times a
        // negative value); the text read "présence en baisse par rapport à son habitude (+-30 points d’absence)".
        var features = FeaturesOf("AAAAAAPPP");
        Assert.True(features.Values[FeatureNames.IndexOf(FeatureNames.AbsenceAboveBaseline)] < 0);

        Assert.Empty(Reasons.Top(features, Only(FeatureNames.AbsenceAboveBaseline)));
        Assert.Empty(Reasons.Top(features, Only(FeatureNames.Decline)));
        var all = Reasons.Top(features, [.. FeatureNames.All.Select(_ => 1.0)], FeatureNames.Count);
        Assert.DoesNotContain(all, r => r.French.Contains("+-", StringComparison.Ordinal) || r.English.Contains("+-", StringComparison.Ordinal));
        Assert.DoesNotContain(all, r => r.Feature is FeatureNames.AbsenceShort or FeatureNames.AbsenceStreak or FeatureNames.MeetingsSincePresent or FeatureNames.AbsenceAboveBaseline);
    }

    [Fact]
    public void Top_ACountOfZero_IsNeverAReason()
    {
        // Issue 14, item 3 (c): "diverging views on 0 of the 18 self-diagnostic items".
        var features = FeaturesOf("PPPPPP");
        Assert.Empty(Reasons.Top(features, Only(FeatureNames.DiagnosticDispersion)));
        Assert.Empty(Reasons.Top(features, Only(FeatureNames.DiagnosticWeak)));
        Assert.Empty(Reasons.Top(features, Only(FeatureNames.FollowUpGap)));
        Assert.Empty(Reasons.Top(features, Only(FeatureNames.AbsenceShort)));
        Assert.Empty(Reasons.Top(features, Only(FeatureNames.AbsenceStreak)));

        // A share that rounds to zero is no reason either, even with a value the model saw as above zero.
        var tiny = features with { Values = [.. features.Values.Select((v, i) => i == FeatureNames.IndexOf(FeatureNames.AbsenceEwma) ? 0.004 : v)] };
        Assert.Empty(Reasons.Top(tiny, Only(FeatureNames.AbsenceEwma)));
    }

    [Fact]
    public void Top_APercentage_HasANoBreakSpaceBeforeThePercentSignInFrench()
    {
        var reason = Assert.Single(Reasons.Top(FeaturesOf("PPPPPAA"), Only(FeatureNames.AbsenceEwma)));
        Assert.Equal("taux d’absence récent de 51\u00A0% (moyenne pondérée)", reason.French);
        Assert.Equal("recent absence rate of 51% (weighted average)", reason.English);
    }

    [Fact]
    public void Score_RollUp_AgreesInNumber_AndTellsNoOrganisationsCountsForAll()
    {
        // Issue 14, item 3 (d): "{n} partner(s): …" with one organisation's counts repeated for all.
        var twelve = Enumerable.Range(0, 12).Select(i => i % 2 == 0 ? "PPPPPPAAA" : "PPPPPPPAA").Append("PPPPPPPPP").ToArray();
        var many = RiskScorer.Score(PartnershipTimeline.Build(Histories.Build(twelve)), PriorModel.Create(), Histories.MeetingStart(9));
        var common = Assert.Single(many.Reasons, r => r.English.StartsWith("12 partners: ", StringComparison.Ordinal));
        Assert.Equal("12 partenaires : absences aux dernières rencontres", common.French);
        Assert.Equal("12 partners: absences at the latest meetings", common.English);
        var high = many.Organizations.Count(o => o.Band == RiskBand.High);
        Assert.InRange(high, 6, 12);
        Assert.Contains(many.Reasons, r => r.French == $"{high} partenaires sur 13 à risque élevé" && r.English == $"{high} of 13 partners at high risk");

        var one = RiskScorer.Score(PartnershipTimeline.Build(Histories.Build("PPPPPPAAA")), PriorModel.Create(), Histories.MeetingStart(9));
        Assert.Contains(one.Reasons, r => r.French == "1 partenaire sur 1 à risque élevé" && r.English == "1 of 1 partner at high risk");
        Assert.Contains(one.Reasons, r => r.French == "1 partenaire : absences aux dernières rencontres" && r.English == "1 partner: absences at the latest meetings");
        Assert.All(many.Reasons.Concat(one.Reasons), r => Assert.DoesNotContain("(s)", r.French + r.English, StringComparison.Ordinal));
    }

    [Fact]
    public void Contributions_AreWeightTimesDistanceFromTheTrainingMean()
    {
        var model = PriorModel.Create() with { Means = [.. FeatureNames.All.Select(_ => 0.5)], Scales = [.. FeatureNames.All.Select(_ => 2.0)] };
        var values = FeatureNames.All.Select((_, i) => i / 10.0).ToArray();
        var contributions = model.Contributions(values);
        for (var i = 0; i < values.Length; i++)
        {
            Assert.Equal(model.Weights[i] * ((values[i] - 0.5) / 2.0), contributions[i], 12);
        }

        Assert.Equal(model.Intercept + contributions.Sum(), model.LogOdds(values), 12);
    }
}
