using Engagement.Core.Domain;
using System.Collections.Concurrent;
using System.Threading.Channels;
using Engagement.Core.Storage;
using Engagement.Functions.Storage;
using Microsoft.Extensions.Options;

namespace Engagement.Functions.Risk;

/// <summary>
/// Scores a partnership soon after its attendance changed, off the request path: a write asks for a scoring, which
/// runs <see cref="ScoringOptions.DelaySeconds"/> later with the model that scores today (champion or prior). Requests
/// for a partnership already waiting are absorbed (many batches, one scoring); one that arrives while it is being
/// scored waits for the next round, so nothing written is left unscored. One partnership at a time, in request order.
/// </summary>
internal sealed partial class ScoringQueue(IServiceScopeFactory scopes, IOptions<ScoringOptions> options, TimeProvider time, ILogger<ScoringQueue> logger) : BackgroundService
{
    private readonly Channel<(string PartnershipId, DateTimeOffset Due)> _requests = Channel.CreateUnbounded<(string, DateTimeOffset)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<string, bool> _waiting = new(StringComparer.Ordinal);

    /// <summary>Partnerships waiting to be scored.</summary>
    public int Waiting => _waiting.Count;

    /// <summary>Asks for the partnership to be scored soon; returns at once.</summary>
    public void Request(string partnershipId)
    {
        if (_waiting.TryAdd(partnershipId, true))
        {
            _requests.Writer.TryWrite((partnershipId, time.GetUtcNow().AddSeconds(options.Value.DelaySeconds)));
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var (partnershipId, due) in _requests.Reader.ReadAllAsync(stoppingToken))
        {
            var wait = due - time.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, time, stoppingToken);
            }

            // From here a new write asks again: it may have come after what this scoring reads.
            _waiting.TryRemove(partnershipId, out _);
            try
            {
                await ScoreAsync(partnershipId, stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // The daily ScoreRisk scores it anyway; a failure here must not stop the queue.
                LogFailed(logger, ex, partnershipId);
            }
        }
    }

    private async Task ScoreAsync(string partnershipId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var partnership = await scope.ServiceProvider.GetRequiredService<IPartnershipStore>().GetPartnershipAsync(partnershipId, cancellationToken);
        if (partnership is null)
        {
            return;
        }

        var risk = scope.ServiceProvider.GetRequiredService<RiskService>();
        var model = await risk.ChampionAsync(cancellationToken);
        var scored = await risk.ScoreAsync(partnership, model, time.GetUtcNow(), cancellationToken);
        LogScored(logger, partnershipId, scored.Probability, model.Version);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Scored {PartnershipId} after new attendance: {Probability:P0} with model {ModelVersion}")]
    private static partial void LogScored(ILogger logger, string partnershipId, double probability, string modelVersion);

    [LoggerMessage(Level = LogLevel.Error, Message = "Scoring {PartnershipId} after new attendance failed; the daily ScoreRisk will score it")]
    private static partial void LogFailed(ILogger logger, Exception exception, string partnershipId);
}

/// <summary>Asks for a scoring whenever attendance of a partnership is created or changed, whichever path wrote it.</summary>
internal sealed class ScoringAttendanceStore(IAttendanceStore inner, ScoringQueue queue) : AttendanceStoreDecorator(inner)
{
    public override async Task<WriteCounts> UpsertAttendanceAsync(string partnershipId, IReadOnlyList<Attendance> records, CancellationToken cancellationToken = default)
    {
        var counts = await base.UpsertAttendanceAsync(partnershipId, records, cancellationToken);
        if (counts.Created + counts.Updated > 0)
        {
            queue.Request(partnershipId);
        }

        return counts;
    }
}
