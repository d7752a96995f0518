using System.Globalization;
using System.Text.Json;
using Engagement.Analytics;
using Engagement.Analytics.Evaluation;
using Engagement.Analytics.Features;
using Engagement.Analytics.Model;
using Engagement.Analytics.Scoring;
using Engagement.Core.Domain;
using Engagement.Core.Storage;
using Microsoft.Extensions.Options;

namespace Engagement.Functions.Risk;

/// <summary>Settings section <c>Risk</c>.</summary>
internal sealed class RiskOptions
{
    public const string Section = "Risk";

    /// <summary>From this probability an organisation or partnership is in the medium band (default 0.30).</summary>
    [System.ComponentModel.DataAnnotations.Range(0.0, 1.0)]
    public double MediumThreshold { get; set; } = 0.30;

    /// <summary>From this probability it is in the high band (default 0.60).</summary>
    [System.ComponentModel.DataAnnotations.Range(0.0, 1.0)]
    public double HighThreshold { get; set; } = 0.60;

    public BandThresholds Bands => new() { Medium = MediumThreshold, High = HighThreshold };
}

/// <summary>
/// The product side of analytics: reads a partnership's history from the store, scores it with the champion model
/// (the documented prior while none was trained), keeps one snapshot per day and organisation with its reasons, and
/// retrains a challenger that replaces the champion only when it does better on the later slice.
/// </summary>
internal sealed partial class RiskService(LoadedModels loadedModels, IPartnershipStore partnershipStore, IRosterStore rosterStore, IAttendanceStore attendanceStore, IFormStore formStore, IActionPlanStore actionPlanStore, IRiskStore riskStore, IModelStore modelStore, TimeProvider time, IOptions<RiskOptions> options, Alerts.AlertService alerts, Telemetry.EngagementMetrics metrics, ILogger<RiskService> logger)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public async Task<PartnershipHistory> LoadHistoryAsync(Partnership partnership, CancellationToken cancellationToken)
    {
        var roster = await rosterStore.GetRosterAsync(partnership.Id, cancellationToken);
        var meetings = await attendanceStore.ListMeetingsAsync(partnership.Id, cancellationToken);
        return new PartnershipHistory
        {
            Partnership = partnership,
            Organizations = roster.Organizations,
            Representations = roster.Representations,
            Meetings = [.. meetings.Select(m => m.Meeting)],
            Attendance = await attendanceStore.ListAttendanceAsync(partnership.Id, cancellationToken),
            Submissions = await formStore.ListFormSubmissionsAsync(partnership.Id, cancellationToken),
            ActionPlan = await actionPlanStore.GetPlanAsync(partnership.Id, cancellationToken),
        };
    }

    /// <summary>The champion, or the prior while none was promoted (or the stored one reads a feature no longer computed).</summary>
    public async Task<RiskModel> ChampionAsync(CancellationToken cancellationToken)
    {
        if (await modelStore.GetChampionAsync(cancellationToken) is { } stored)
        {
            var model = loadedModels.Get(stored);
            if (model.CanScore())
            {
                return model;
            }

            LogStaleChampion(logger, model.Version);
        }

        return PriorModel.Create();
    }

    /// <summary>Scores every partnership today and stores the snapshots; scoring the same day again replaces them.</summary>
    public async Task<IReadOnlyList<string>> ScoreAllAsync(CancellationToken cancellationToken)
    {
        var model = await ChampionAsync(cancellationToken);
        var now = time.GetUtcNow();
        var logs = new List<string>();
        var partnerships = await partnershipStore.ListPartnershipsAsync(cancellationToken);
        foreach (var partnership in partnerships)
        {
            var risk = await ScoreAsync(partnership, model, now, cancellationToken);
            logs.Add(string.Create(CultureInfo.InvariantCulture, $"{partnership.Id}: {risk.Probability:P0} ({risk.Band.ToString().ToLowerInvariant()}), {risk.Organizations.Count(o => o.Band == RiskBand.High)} of {risk.Organizations.Count} organisations high"));
        }

        logs.Add(string.Create(CultureInfo.InvariantCulture, $"scored {partnerships.Count} partnerships with model {model.Version}{(model.IsPrior ? " (cold-start prior: too little history to train yet)" : string.Empty)}"));
        return logs;
    }

    public async Task<PartnershipRisk> ScoreAsync(Partnership partnership, RiskModel model, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var (risk, previousSnapshots) = await ScoreAndStoreAsync(partnership, PartnershipTimeline.Build(await LoadHistoryAsync(partnership, cancellationToken)), model, now, cancellationToken);
        var (changedAlerts, emails) = await alerts.ProcessAsync(partnership, risk, previousSnapshots, cancellationToken);
        LogScored(logger, partnership.Id, risk.Probability, model.Version, changedAlerts, emails);
        return risk;
    }

    /// <summary>
    /// The scores the daily scoring would have left at each of <paramref name="days"/> (oldest first; point-in-time, from
    /// what was known then), stored without raising alerts: a history for a store filled at once (the demo).
    /// </summary>
    public async Task ScoreThePastAsync(IReadOnlyList<DateTimeOffset> days, CancellationToken cancellationToken)
    {
        var model = await ChampionAsync(cancellationToken);
        foreach (var partnership in await partnershipStore.ListPartnershipsAsync(cancellationToken))
        {
            var timeline = PartnershipTimeline.Build(await LoadHistoryAsync(partnership, cancellationToken));
            foreach (var day in days)
            {
                await ScoreAndStoreAsync(partnership, timeline, model, day, cancellationToken);
            }
        }
    }

    /// <summary>Scores one partnership as of <paramref name="now"/> and stores its snapshots; answers the risk and the previous scores.</summary>
    private async Task<(PartnershipRisk Risk, Dictionary<string, (double Probability, string Band)> Previous)> ScoreAndStoreAsync(Partnership partnership, PartnershipTimeline timeline, RiskModel model, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var risk = RiskScorer.Score(timeline, model, now, options.Value.Bands);
        var day = DateOnly.FromDateTime(now.UtcDateTime);
        var previousSnapshots = (await riskStore.ListRiskSnapshotsAsync(partnership.Id, day.AddDays(-400), day.AddDays(-1), cancellationToken))
            .GroupBy(s => s.OrganizationId ?? string.Empty, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (g.Last().Probability, g.Last().Band), StringComparer.Ordinal);
        var previous = previousSnapshots.ToDictionary(p => p.Key, p => p.Value.Probability, StringComparer.Ordinal);
        var snapshots = new List<RiskSnapshot>
        {
            Snapshot(partnership.Id, null, day, now, risk.Probability, risk.Band, model, previous.GetValueOrDefault(string.Empty, double.NaN), risk.Reasons, null),
        };
        snapshots.AddRange(risk.Organizations.Select(o =>
            Snapshot(partnership.Id, o.OrganizationId, day, now, o.Probability, o.Band, model, previous.GetValueOrDefault(o.OrganizationId, double.NaN), o.Reasons, o.Features.Values)));
        await riskStore.UpsertRiskSnapshotsAsync(partnership.Id, snapshots, cancellationToken);
        metrics.PartnershipScored(risk.Organizations.Count);
        return (risk, previousSnapshots);
    }

    /// <summary>Trains a challenger on every partnership's labelled history and promotes it only if it beats the champion.</summary>
    public async Task<IReadOnlyList<string>> RetrainAsync(CancellationToken cancellationToken)
    {
        var examples = new List<LabelledExample>();
        foreach (var partnership in await partnershipStore.ListPartnershipsAsync(cancellationToken))
        {
            examples.AddRange(PartnershipTimeline.Build(await LoadHistoryAsync(partnership, cancellationToken)).Examples());
        }

        var champion = await ChampionAsync(cancellationToken);
        if (!ModelTrainer.CanTrain(examples))
        {
            return [string.Create(CultureInfo.InvariantCulture, $"{examples.Count} labelled examples ({examples.Count(e => e.Disengaged)} disengaged): too little history to train (at least {ModelTrainer.MinimumExamples} with 10 of each outcome); {champion.Version} keeps scoring")];
        }

        var now = time.GetUtcNow();
        var decision = ModelEvaluator.Retrain(examples, champion, now);
        await modelStore.SaveModelAsync(new StoredModel { Version = decision.Challenger.Version, Kind = decision.Challenger.Kind, CreatedAt = now, Artifact = decision.Challenger.ToJson() }, cancellationToken);
        if (champion.IsPrior && await modelStore.GetModelAsync(champion.Version, cancellationToken) is null)
        {
            await modelStore.SaveModelAsync(new StoredModel { Version = champion.Version, Kind = champion.Kind, CreatedAt = now, Artifact = champion.ToJson() }, cancellationToken);
        }

        await modelStore.SaveRetrainingAsync(new RetrainingRecord
        {
            RanAt = now,
            ChallengerVersion = decision.Challenger.Version,
            ChampionVersion = champion.Version,
            Promoted = decision.Promote,
            Reason = decision.Reason,
            ChallengerEvaluation = JsonSerializer.Serialize(decision.ChallengerReport, Json),
            ChampionEvaluation = JsonSerializer.Serialize(decision.ChampionReport, Json),
        }, cancellationToken);
        if (decision.Promote)
        {
            await modelStore.SetChampionAsync(decision.Challenger.Version, cancellationToken);
        }

        LogRetrained(logger, decision.Challenger.Version, champion.Version, decision.Promote, decision.Reason);
        return
        [
            string.Create(CultureInfo.InvariantCulture, $"{examples.Count} labelled examples; split at {decision.ChallengerReport.Cutoff:yyyy-MM-dd}: {decision.ChallengerReport.TrainRows} to train, {decision.ChallengerReport.TestRows} to test"),
            string.Create(CultureInfo.InvariantCulture, $"challenger {decision.Challenger.Version}: ROC AUC {decision.ChallengerReport.Model.RocAuc:F3}, Brier {decision.ChallengerReport.Model.Brier:F4}; champion {champion.Version}: ROC AUC {decision.ChampionReport.Model.RocAuc:F3}, Brier {decision.ChampionReport.Model.Brier:F4}; baseline ROC AUC {decision.ChallengerReport.Baseline.RocAuc:F3}"),
            decision.Promote ? $"promoted {decision.Challenger.Version}: {decision.Reason}" : $"kept {champion.Version}: {decision.Reason}",
        ];
    }

    private static RiskSnapshot Snapshot(string partnershipId, string? organizationId, DateOnly day, DateTimeOffset now, double probability, RiskBand band, RiskModel model, double previous, IReadOnlyList<Reason> reasons, double[]? features) => new()
    {
        PartnershipId = partnershipId,
        OrganizationId = organizationId,
        AsOfDate = day,
        ScoredAt = now,
        Probability = Math.Round(probability, 6),
        Band = band.ToString().ToLowerInvariant(),
        ModelVersion = model.Version,
        PriorModel = model.IsPrior,
        PreviousProbability = double.IsNaN(previous) ? null : previous,
        Reasons = [.. reasons.Select(r => new SnapshotReason(r.Feature, Math.Round(r.Contribution, 6), Math.Round(r.Value, 6), r.French, r.English))],
        Features = features is null ? new Dictionary<string, double>() : FeatureNames.All.Select((name, i) => (name, i)).ToDictionary(x => x.name, x => Math.Round(features[x.i], 6), StringComparer.Ordinal),
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Partnership {PartnershipId} scored {Probability:P0} with model {ModelVersion}; {Alerts} alert(s) changed, {Emails} e-mail(s) queued")]
    private static partial void LogScored(ILogger logger, string partnershipId, double probability, string modelVersion, int alerts, int emails);

    [LoggerMessage(Level = LogLevel.Information, Message = "Retraining: challenger {Challenger} against champion {Champion}: promoted {Promoted} ({Reason})")]
    private static partial void LogRetrained(ILogger logger, string challenger, string champion, bool promoted, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The champion model {Version} reads features this version no longer computes; the prior scores until a retraining promotes a new model")]
    private static partial void LogStaleChampion(ILogger logger, string version);
}
