using System.Text;
using Azure.Storage.Queues;
using Engagement.Functions.Risk;
using Engagement.Tests;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Engagement.Functions.Tests.Risk;

/// <summary>Under the Functions host, scoring requests go to a Storage queue on a real Azurite, as the queue trigger reads them.</summary>
public sealed class StorageScoringQueueTests : IAsyncLifetime
{
    private Azurite _azurite = null!;

    public async Task InitializeAsync() => _azurite = await Azurite.StartQueuesAsync();

    public async Task DisposeAsync() => await _azurite.DisposeAsync();

    private IConfiguration Settings() => new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["AzureWebJobsStorage"] = _azurite.ConnectionString }).Build();

    [Fact]
    public async Task ABurstOfWrites_SendsOneMessage_InvisibleForTheDelay_Base64AsTheTriggerReadsIt()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 3, 10, 22, 0, 0, TimeSpan.Zero));
        var queue = StorageScoringQueue.Connect(Settings());
        var requests = new StorageScoringQueue(queue, Options.Create(new ScoringOptions { DelaySeconds = 30 }), clock, NullLogger<StorageScoringQueue>.Instance);

        await requests.RequestAsync("p1", CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(10));
        await requests.RequestAsync("p1", CancellationToken.None);
        await requests.RequestAsync("p2", CancellationToken.None);

        var raw = new QueueClient(_azurite.ConnectionString, ScoringFunctions.QueueName);
        Assert.Equal(2, (await raw.GetPropertiesAsync()).Value.ApproximateMessagesCount);
        Assert.Empty((await raw.PeekMessagesAsync(10)).Value);

        // After the delay (of the clock the app reads), a new write asks again.
        clock.Advance(TimeSpan.FromSeconds(21));
        await requests.RequestAsync("p1", CancellationToken.None);
        Assert.Equal(3, (await raw.GetPropertiesAsync()).Value.ApproximateMessagesCount);

        var sent = await SendOneVisibleAsync(raw);
        Assert.Equal(new ScoringRequest("p9", new DateTimeOffset(2026, 3, 10, 22, 0, 31, TimeSpan.Zero)), ScoringRequest.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(sent))));
    }

    [Fact]
    public async Task AnUnreachableQueue_IsLogged_AndTheWriteGoesOn()
    {
        var settings = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = $"DefaultEndpointsProtocol=http;AccountName={Azurite.AccountName};AccountKey={Azurite.AccountKey};QueueEndpoint=http://127.0.0.1:{Azurite.FreePort()}/{Azurite.AccountName}",
        }).Build();
        var queue = new QueueClient(settings["AzureWebJobsStorage"], ScoringFunctions.QueueName, new QueueClientOptions { Retry = { MaxRetries = 0 } });
        var requests = new StorageScoringQueue(queue, Options.Create(new ScoringOptions()), TimeProvider.System, NullLogger<StorageScoringQueue>.Instance);

        await requests.RequestAsync("p1", CancellationToken.None);
    }

    [Theory]
    [InlineData("AzureWebJobsStorage:queueServiceUri", "https://steng.queue.core.windows.net/", "https://steng.queue.core.windows.net/partnership-scoring")]
    [InlineData("AzureWebJobsStorage:accountName", "steng", "https://steng.queue.core.windows.net/partnership-scoring")]
    public void Connect_WithAnIdentityBasedConnection_UsesTheQueueServiceOfTheHostsStorage(string key, string value, string expected)
    {
        var settings = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [key] = value, ["AzureWebJobsStorage:clientId"] = "00000000-0000-0000-0000-000000000001" }).Build();

        Assert.Equal(new Uri(expected), StorageScoringQueue.Connect(settings).Uri);
    }

    [Fact]
    public void Connect_WithoutTheHostsStorage_SaysWhatToSet()
    {
        var error = Assert.Throws<InvalidOperationException>(() => StorageScoringQueue.Connect(new ConfigurationBuilder().Build()));

        Assert.Contains("AzureWebJobsStorage__queueServiceUri", error.Message, StringComparison.Ordinal);
        Assert.Contains("Scoring__Enabled=false", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Sends one visible message through the app's client and reads it back raw, as the trigger would.</summary>
    private async Task<string> SendOneVisibleAsync(QueueClient raw)
    {
        var queue = StorageScoringQueue.Connect(Settings());
        await raw.ClearMessagesAsync();
        await queue.SendMessageAsync(new ScoringRequest("p9", new DateTimeOffset(2026, 3, 10, 22, 0, 31, TimeSpan.Zero)).ToMessage());
        return Assert.Single((await raw.ReceiveMessagesAsync(1)).Value).MessageText;
    }
}
