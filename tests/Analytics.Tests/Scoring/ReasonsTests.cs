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

        Assert.Equal("prior-1", risk.ModelVersion);
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
