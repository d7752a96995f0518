using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using Azure.Storage.Queues;
using Engagement.Core.Domain;
using Engagement.Core.Storage;
using Engagement.Functions.Hosting;
using Engagement.Functions.Storage;
using Microsoft.Extensions.Options;

namespace Engagement.Functions.Risk;

/// <summary>
/// A message of the scoring queue: which partnership, and when its attendance changed. A scoring that started after
/// <see cref="RequestedAt"/> has read that change, so the message is done.
/// </summary>
internal sealed record ScoringRequest(string PartnershipId, DateTimeOffset RequestedAt)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string ToMessage() => JsonSerializer.Serialize(this, Json);

    /// <summary>The request in a message, or null when the message is not one.</summary>
    public static ScoringRequest? Parse(string? message)
    {
        try
        {
            return message is null ? null : JsonSerializer.Deserialize<ScoringRequest>(message, Json) is { PartnershipId.Length: > 0 } request ? request : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>Where attendance writes ask for a partnership to be scored soon: returns at once, scores nothing itself.</summary>
internal interface IScoringRequests
{
    Task RequestAsync(string partnershipId, CancellationToken cancellationToken);
}

/// <summary>
/// Standalone: an in-process queue. The first request of a partnership is delivered to the <c>ScorePartnership</c>
/// function <see cref="ScoringOptions.DelaySeconds"/> later, the requests meanwhile ride along; off the request path.
/// </summary>
internal sealed partial class ScoringQueue(IServiceScopeFactory scopes, FunctionCatalog catalog, IOptions<ScoringOptions> options, TimeProvider time, ILogger<ScoringQueue> logger)
    : BackgroundService, IScoringRequests
{
    private readonly Channel<ScoringRequest> _requests = Channel.CreateUnbounded<ScoringRequest>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<string, bool> _waiting = new(StringComparer.Ordinal);

    /// <summary>Partnerships waiting to be scored.</summary>
    public int Waiting => _waiting.Count;

    public Task RequestAsync(string partnershipId, CancellationToken cancellationToken)
    {
        if (_waiting.TryAdd(partnershipId, true))
        {
            _requests.Writer.TryWrite(new ScoringRequest(partnershipId, time.GetUtcNow()));
        }

        return Task.CompletedTask;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var function = catalog.Queue(ScoringFunctions.QueueName);
        await foreach (var request in _requests.Reader.ReadAllAsync(stoppingToken))
        {
            var wait = request.RequestedAt.AddSeconds(options.Value.DelaySeconds) - time.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, time, stoppingToken);
            }

            // From here a new write asks again: it may have come after what this scoring reads.
            _waiting.TryRemove(request.PartnershipId, out _);
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await FunctionInvoker.InvokeAsync(function.Method, scope.ServiceProvider, parameter =>
                    parameter.ParameterType == typeof(string) ? request.ToMessage() : stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // The daily ScoreRisk scores it anyway; a failure here must not stop the queue.
                LogFailed(logger, ex, request.PartnershipId);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Scoring {PartnershipId} after new attendance failed; the daily ScoreRisk will score it")]
    private static partial void LogFailed(ILogger logger, Exception exception, string partnershipId);
}

/// <summary>
/// Under the Functions host: a message on the Storage queue of the host's own storage (<c>AzureWebJobsStorage</c>),
/// invisible for <see cref="ScoringOptions.DelaySeconds"/>, so that the host's queue trigger delivers it to
/// <c>ScorePartnership</c> on whichever instance is free. An instance sends one message per partnership per delay;
/// messages sent by other instances meanwhile find the partnership already scored. A failed send is logged and the
/// write it followed still succeeds: the daily ScoreRisk scores the partnership anyway.
/// </summary>
internal sealed partial class StorageScoringQueue(QueueClient queue, IOptions<ScoringOptions> options, TimeProvider time, ILogger<StorageScoringQueue> logger) : IScoringRequests
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _sentUntil = new(StringComparer.Ordinal);
    private readonly Lazy<Task> _created = new(() => queue.CreateIfNotExistsAsync());

    public async Task RequestAsync(string partnershipId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var delay = TimeSpan.FromSeconds(options.Value.DelaySeconds);
        if (_sentUntil.TryGetValue(partnershipId, out var until) && until > now)
        {
            return;
        }

        _sentUntil[partnershipId] = now + delay;
        try
        {
            await _created.Value.WaitAsync(cancellationToken);
            await queue.SendMessageAsync(new ScoringRequest(partnershipId, now).ToMessage(), visibilityTimeout: delay, cancellationToken: cancellationToken);
        }
        catch (Exception ex) when (ex is Azure.RequestFailedException or HttpRequestException or TimeoutException or OperationCanceledException)
        {
            _sentUntil.TryRemove(partnershipId, out _);
            LogSendFailed(logger, ex, partnershipId, queue.Name);
        }
    }

    /// <summary>
    /// The scoring queue on the host's storage connection, as the host resolves <c>AzureWebJobsStorage</c>: a connection
    /// string, or <c>AzureWebJobsStorage__queueServiceUri</c> (or <c>__accountName</c>) with an Entra ID credential
    /// (<c>__clientId</c> for a user-assigned identity). Messages are Base64, the queue trigger's default encoding.
    /// </summary>
    public static QueueClient Connect(IConfiguration configuration)
    {
        var options = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        var section = configuration.GetSection("AzureWebJobsStorage");
        if (!string.IsNullOrWhiteSpace(section.Value))
        {
            return new QueueClient(section.Value, ScoringFunctions.QueueName, options);
        }

        var service = section["queueServiceUri"] is { Length: > 0 } uri ? new Uri(uri)
            : section["accountName"] is { Length: > 0 } account ? new Uri($"https://{account}.queue.core.windows.net")
            : throw new InvalidOperationException(
                "Scoring under the Functions host sends to a Storage queue on the host's storage: set AzureWebJobsStorage (a connection string) or AzureWebJobsStorage__queueServiceUri, or turn it off with Scoring__Enabled=false.");
        return new QueueClient(new Uri(service, ScoringFunctions.QueueName), AzureCredentials.For(section["clientId"]), options);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not ask for {PartnershipId} to be scored on the queue {Queue}; the daily ScoreRisk will score it")]
    private static partial void LogSendFailed(ILogger logger, Exception exception, string partnershipId, string queue);
}

/// <summary>Asks for a scoring whenever attendance of a partnership is created or changed, whichever path wrote it.</summary>
internal sealed class ScoringAttendanceStore(IAttendanceStore inner, IScoringRequests queue) : AttendanceStoreDecorator(inner)
{
    public override async Task<WriteCounts> UpsertAttendanceAsync(string partnershipId, IReadOnlyList<Attendance> records, CancellationToken cancellationToken = default)
    {
        var counts = await base.UpsertAttendanceAsync(partnershipId, records, cancellationToken);
        if (counts.Created + counts.Updated > 0)
        {
            await queue.RequestAsync(partnershipId, cancellationToken);
        }

        return counts;
    }
}
