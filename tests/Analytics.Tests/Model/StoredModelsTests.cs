using System.Globalization;
using Engagement.Analytics.Features;
using Engagement.Analytics.Model;
using Engagement.Analytics.Synthetic;

namespace Engagement.Analytics.Tests.Model;

/// <summary>
/// Models stored before the action plan's features were appended (19 features; <c>StoredModels/</c>, written by that
/// version with the scores it gave in <c>expected.csv</c>) still load and score the same, and give the new features 0.
/// </summary>
public sealed class StoredModelsTests
{
    private static readonly Lazy<Dictionary<(string, string, DateTimeOffset), OrganizationFeatures>> Examples = new(() =>
        SyntheticGenerator.Generate(new SyntheticOptions { Seed = 31, Partnerships = 8, Months = 30 }).Partnerships
            .SelectMany(h => PartnershipTimeline.Build(h).Examples())
            .ToDictionary(e => (e.Features.PartnershipId, e.Features.OrganizationId, e.Features.AsOf), e => e.Features));

    private static string Artifact(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Model", "StoredModels", name + ".json"));

    public static TheoryData<string> StoredArtifacts() => new() { "lr-full", "gam-full", "fasttree-full", "prior-1" };

    [Theory]
    [MemberData(nameof(StoredArtifacts))]
    public void AModelOfNineteenFeatures_StillLoads_AndScoresAsItDidThen(string name)
    {
        var model = RiskModel.FromJson(Artifact(name));
        Assert.Equal(19, model.Features.Count);
        Assert.True(model.CanScore());

        var rows = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Model", "StoredModels", "expected.csv")).Select(l => l.Split(',')).Where(r => r[0] == name).ToList();
        Assert.NotEmpty(rows);
        foreach (var row in rows)
        {
            var features = Examples.Value[(row[1], row[2], DateTimeOffset.Parse(row[3], CultureInfo.InvariantCulture))];
            Assert.Equal(FeatureNames.Count, features.Values.Length);
            Assert.Equal(double.Parse(row[4], CultureInfo.InvariantCulture), model.Probability(features), 12);
            var (bias, contributions) = model.Explain(features);
            var expected = row[5].Split(';').Select(c => double.Parse(c, CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal(FeatureNames.Count, contributions.Length);
            Assert.All(expected.Select((c, i) => (c, i)), x => Assert.Equal(x.c, contributions[x.i], 12));
            Assert.Equal(0, contributions[FeatureNames.IndexOf(FeatureNames.ActionsLate)]);
            Assert.Equal(0, contributions[FeatureNames.IndexOf(FeatureNames.SheetSilence)]);
            Assert.Equal(model.LogOdds(features), bias + contributions.Sum(), 9);

            // It does not read the new features: late actions change nothing for it.
            var values = (double[])features.Values.Clone();
            values[FeatureNames.IndexOf(FeatureNames.ActionsLate)] = 1;
            values[FeatureNames.IndexOf(FeatureNames.SheetSilence)] = 1;
            Assert.Equal(model.Probability(features), model.Probability(features with { Values = values }), 12);
        }
    }

    [Fact]
    public void AModelReadingAFeatureNoLongerComputed_CannotScore()
    {
        var json = Artifact("lr-full").Replace("\"summer_ahead\"", "\"weather_ahead\"", StringComparison.Ordinal);
        Assert.False(RiskModel.FromJson(json).CanScore());
        Assert.False(RiskModel.FromJson(Artifact("prior-1").Replace("\"vacancy\"", "\"vacant_seat\"", StringComparison.Ordinal)).CanScore());
    }
}
