using Engagement.Core.Storage;
using Microsoft.Azure.Functions.Worker;

namespace Engagement.Functions.Risk;

/// <summary>The function the scoring queue triggers, in both hosts.</summary>
internal sealed partial class ScoringFunctions(IPartnershipStore partnerships, IRiskStore risks, RiskService risk, TimeProvider time, ILogger<ScoringFunctions> logger)
{
    /// <summary>The scoring queue.</summary>
    public const string QueueName = "partnership-scoring";

    /// <summary>
    /// Scores the partnership of the message, unless a scoring started since the request (it read the change already).
    /// A message that is not a scoring request is logged and dropped, not retried.
    /// </summary>
    [Function("ScorePartnership")]
    public async Task ScorePartnership([QueueTrigger(QueueName)] string message, CancellationToken cancellationToken)
    {
        if (ScoringRequest.Parse(message) is not { } request)
        {
            LogNotARequest(logger, message.Length > 200 ? message[..200] : message);
            return;
        }

        if (await partnerships.GetPartnershipAsync(request.PartnershipId, cancellationToken) is not { } partnership)
        {
            return;
        }

        var now = time.GetUtcNow();
        var snapshots = await risks.ListRiskSnapshotsAsync(partnership.Id, DateOnly.FromDateTime(request.RequestedAt.UtcDateTime), DateOnly.FromDateTime(now.UtcDateTime), cancellationToken);
        if (snapshots.Where(s => s.OrganizationId is null).Select(s => (DateTimeOffset?)s.ScoredAt).Max() is { } scoredAt && scoredAt >= request.RequestedAt)
        {
            LogAlreadyScored(logger, partnership.Id, scoredAt);
            return;
        }

        var model = await risk.ChampionAsync(cancellationToken);
        var scored = await risk.ScoreAsync(partnership, model, now, cancellationToken);
        LogScored(logger, partnership.Id, scored.Probability, model.Version);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Scored {PartnershipId} after new attendance: {Probability:P0} with model {ModelVersion}")]
    private static partial void LogScored(ILogger logger, string partnershipId, double probability, string modelVersion);

    [LoggerMessage(Level = LogLevel.Information, Message = "{PartnershipId} was scored at {ScoredAt:o}, after the request: nothing to do")]
    private static partial void LogAlreadyScored(ILogger logger, string partnershipId, DateTimeOffset scoredAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A message of the scoring queue is not a scoring request and is dropped: {Message}")]
    private static partial void LogNotARequest(ILogger logger, string message);
}
