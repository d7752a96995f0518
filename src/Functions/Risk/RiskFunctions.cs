using Engagement.Functions.Hosting;

namespace Engagement.Functions.Risk;

/// <summary>The ScoreRisk timer: features → model → snapshots, for every partnership, once per day (idempotent per day).</summary>
internal sealed class ScoreRiskFunction(RiskService risk) : ITimerFunction
{
    public Task<IReadOnlyList<string>> RunAsync(TimerInvocation invocation, CancellationToken cancellationToken) =>
        risk.ScoreAllAsync(cancellationToken);
}

/// <summary>The RetrainModel timer: trains a challenger and promotes it only if it beats the champion on the later slice.</summary>
internal sealed class RetrainModelFunction(RiskService risk) : ITimerFunction
{
    public Task<IReadOnlyList<string>> RunAsync(TimerInvocation invocation, CancellationToken cancellationToken) =>
        risk.RetrainAsync(cancellationToken);
}
