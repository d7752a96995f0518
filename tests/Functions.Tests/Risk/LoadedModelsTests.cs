using Engagement.Analytics.Model;
using Engagement.Core.Domain;
using Engagement.Functions.Risk;

namespace Engagement.Functions.Tests.Risk;

public sealed class LoadedModelsTests
{
    private static StoredModel Stored(RiskModel model) =>
        new() { Version = model.Version, Kind = model.Kind, CreatedAt = DateTimeOffset.UnixEpoch, Artifact = model.ToJson() };

    [Fact]
    public void TheSameArtifact_IsReadOnce_AndAChangedOneIsReadAgain()
    {
        var models = new LoadedModels();
        var prior = PriorModel.Create();

        var first = models.Get(Stored(prior));
        Assert.Same(first, models.Get(Stored(prior)));

        var changed = Stored(prior with { Intercept = prior.Intercept - 1 });
        var reread = models.Get(changed);
        Assert.NotSame(first, reread);
        Assert.Equal(prior.Intercept - 1, reread.Intercept);
    }
}
