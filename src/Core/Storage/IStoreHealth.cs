namespace Engagement.Core.Storage;

/// <summary>Whether the store answers: what the health endpoint reports.</summary>
public interface IStoreHealth
{
    /// <summary>Checks that the store answers; never throws for an unavailable store.</summary>
    Task<StoreHealth> CheckHealthAsync(CancellationToken cancellationToken = default);
}
