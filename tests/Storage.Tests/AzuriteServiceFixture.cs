using Engagement.Tests;

namespace Engagement.Storage.Tests;

/// <summary>One Azurite service (started by <paramref name="start"/>) for a test class, stopped after it.</summary>
public abstract class AzuriteServiceFixture(Func<Task<Azurite>> start) : IAsyncLifetime
{
    private Azurite? _azurite;

    public Azurite Azurite => _azurite ?? throw new InvalidOperationException("Azurite is not started.");

    public async Task InitializeAsync() => _azurite = await start();

    public async Task DisposeAsync()
    {
        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }
    }
}
