
namespace Engagement.Storage.Tests.Contract;

/// <summary>Whether a backend reports itself healthy.</summary>
public abstract class StoreHealthContract(IStoreBackend backend) : StoreContract(backend)
{
    [Fact]
    public async Task CheckHealthAsync_FreshStore_ReportsHealthy()
    {
        var health = await Stores.Health.CheckHealthAsync();

        Assert.True(health.Healthy, health.Detail);
        Assert.False(string.IsNullOrWhiteSpace(health.Provider));
    }
}
