using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Engagement.Core.Domain;
using Engagement.Core.Ingestion;
using Engagement.Core.Storage;
using Engagement.Core.Validation;
using Engagement.Functions.Hosting;
using Engagement.Functions.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Engagement.Functions.Risk;

internal sealed record RiskReasonView(string Feature, double Contribution, string French, string English, string Text);

internal sealed record RiskView(double Probability, string Band, string Trend, double? PreviousProbability, IReadOnlyList<RiskReasonView> Reasons);

internal sealed record OrganizationRiskView(string Id, string Name, string Sector, double Probability, string Band, string Trend, double? PreviousProbability, IReadOnlyList<RiskReasonView> Reasons);

internal sealed record RiskHistoryPoint(DateOnly Date, double Probability, string Band);

internal sealed record PartnershipRiskSummary(string Id, string Name, DateOnly AsOf, double Probability, string Band, string Trend, string ModelVersion, bool PriorModel, int OrganizationsHigh, IReadOnlyList<RiskReasonView> Reasons);

internal sealed record PartnershipRiskDetail(
    string Id,
    string Name,
    DateOnly AsOf,
    string ModelVersion,
    bool PriorModel,
    string ModelNote,
    RiskView Partnership,
    IReadOnlyList<OrganizationRiskView> Organizations,
    IReadOnlyList<RiskHistoryPoint> History);

internal sealed record ChampionView(string Version, string Kind, DateTimeOffset CreatedAt);

/// <summary>A retraining decision; the evaluations are the JSON reports stored with it (metrics, baseline, reliability).</summary>
internal sealed record RetrainingView(
    DateTimeOffset RanAt,
    string ChallengerVersion,
    string ChampionVersion,
    bool Promoted,
    string Reason,
    JsonElement ChallengerEvaluation,
    JsonElement ChampionEvaluation);

/// <summary>The champion (null while the documented prior scores) and the retraining decisions, newest first.</summary>
internal sealed record ModelsView(ChampionView? Champion, IReadOnlyList<RetrainingView> Retrainings);

/// <summary>Risk scores: the handlers of <see cref="RiskFunctions"/>.</summary>
internal static class RiskApi
{
    public static IHostApplicationBuilder AddRisk(this IHostApplicationBuilder builder, bool underFunctionsHost)
    {
        builder.Services.AddOptions<RiskOptions>().BindConfiguration(RiskOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddScoped<RiskService>();
        builder.Services.AddSingleton<LoadedModels>();
        builder.Services.AddOptions<DemoOptions>().BindConfiguration(DemoOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddHostedService<DemoData>();
        builder.Services.AddOptions<ScoringOptions>().BindConfiguration(ScoringOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        if (builder.Configuration.GetSection(ScoringOptions.Section).Get<ScoringOptions>() is not { Enabled: false })
        {
            // Under the Functions host, a Storage queue the host's trigger reads on any instance; standalone, in-process.
            if (underFunctionsHost)
            {
                var queue = StorageScoringQueue.Connect(builder.Configuration);
                builder.Services.AddSingleton<IScoringRequests>(services => ActivatorUtilities.CreateInstance<StorageScoringQueue>(services, queue));
            }
            else
            {
                builder.Services.AddSingleton<ScoringQueue>();
                builder.Services.AddSingleton<IScoringRequests>(services => services.GetRequiredService<ScoringQueue>());
                builder.Services.AddHostedService(services => services.GetRequiredService<ScoringQueue>());
            }

            builder.Services.Decorate<IAttendanceStore>((services, store) => new ScoringAttendanceStore(store, services.GetRequiredService<IScoringRequests>()));
        }

        return builder;
    }

    internal static async Task<Ok<IReadOnlyList<PartnershipRiskSummary>>> ListAsync(IPartnershipStore partnershipStore, IRiskStore riskStore, ClaimsPrincipal user, TimeProvider time, CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var summaries = new List<PartnershipRiskSummary>();
        foreach (var partnership in (await partnershipStore.ListPartnershipsAsync(cancellationToken)).Where(p => user.CanAccess(p.Id)))
        {
            var snapshots = await riskStore.ListRiskSnapshotsAsync(partnership.Id, today.AddDays(-400), today, cancellationToken);
            if (snapshots.LastOrDefault() is not { } last)
            {
                continue;
            }

            var latest = snapshots.Where(s => s.AsOfDate == last.AsOfDate).ToList();
            var whole = latest.First(s => s.OrganizationId is null);
            summaries.Add(new PartnershipRiskSummary(
                partnership.Id, partnership.Name, whole.AsOfDate, whole.Probability, whole.Band, Trend(whole), whole.ModelVersion, whole.PriorModel,
                latest.Count(s => s.OrganizationId is not null && s.Band == "high"), Reasons(whole, partnership.Language)));
        }

        return TypedResults.Ok<IReadOnlyList<PartnershipRiskSummary>>([.. summaries.OrderByDescending(s => s.Probability).ThenBy(s => s.Id, StringComparer.Ordinal)]);
    }

    internal static async Task<Ok<PartnershipRiskDetail>> GetAsync(string partnershipId, IngestionService ingestion, IRosterStore rosterStore, IRiskStore riskStore, TimeProvider time, CancellationToken cancellationToken)
    {
        var partnership = await ingestion.RequirePartnershipAsync(partnershipId, cancellationToken);
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var snapshots = await riskStore.ListRiskSnapshotsAsync(partnershipId, today.AddDays(-730), today, cancellationToken);
        if (snapshots.LastOrDefault() is not { } last)
        {
            throw new NotFoundException("partnershipId", $"Partnership '{partnershipId}' has not been scored yet; the ScoreRisk timer scores every partnership daily.");
        }

        var latest = snapshots.Where(s => s.AsOfDate == last.AsOfDate).ToList();
        var whole = latest.First(s => s.OrganizationId is null);
        var organizations = (await rosterStore.GetRosterAsync(partnershipId, cancellationToken)).Organizations.ToDictionary(o => o.Id, StringComparer.Ordinal);
        var language = partnership.Language;
        return TypedResults.Ok(new PartnershipRiskDetail(
            partnership.Id,
            partnership.Name,
            whole.AsOfDate,
            whole.ModelVersion,
            whole.PriorModel,
            whole.PriorModel
                ? "Scored by the documented prior model: there is not enough history yet to train one on this installation's data."
                : $"Scored by model {whole.ModelVersion}, trained on this installation's history.",
            new RiskView(whole.Probability, whole.Band, Trend(whole), whole.PreviousProbability, Reasons(whole, language)),
            [.. latest.Where(s => s.OrganizationId is not null).OrderByDescending(s => s.Probability).Select(s =>
            {
                var organization = organizations.GetValueOrDefault(s.OrganizationId!);
                return new OrganizationRiskView(s.OrganizationId!, organization?.Name ?? s.OrganizationId!, WireNames.Format(organization?.Sector ?? Sector.Other), s.Probability, s.Band, Trend(s), s.PreviousProbability, Reasons(s, language));
            })],
            [.. snapshots.Where(s => s.OrganizationId is null).Select(s => new RiskHistoryPoint(s.AsOfDate, s.Probability, s.Band))]));
    }

    /// <summary>How many retraining decisions <c>GET /api/risk/models</c> answers unless <c>?top=</c> says otherwise, and at most.</summary>
    internal const int DefaultTop = 50, MaxTop = 500;

    internal static async Task<Ok<ModelsView>> ListModelsAsync(HttpRequest request, IModelStore modelStore, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var top = Top(request.Query["top"].FirstOrDefault(), errors);
        if (!errors.IsValid)
        {
            throw new ValidationFailedException(errors);
        }

        var champion = await modelStore.GetChampionAsync(cancellationToken);
        var retrainings = await modelStore.ListRetrainingsAsync(cancellationToken);
        return TypedResults.Ok(new ModelsView(
            champion is null ? null : new ChampionView(champion.Version, champion.Kind, champion.CreatedAt),
            [.. retrainings.Take(top).Select(r => new RetrainingView(r.RanAt, r.ChallengerVersion, r.ChampionVersion, r.Promoted, r.Reason, ParseJson(r.ChallengerEvaluation), ParseJson(r.ChampionEvaluation)))]));
    }

    private static int Top(string? value, ValidationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return DefaultTop;
        }

        if (int.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var top) && top is >= 1 and <= MaxTop)
        {
            return top;
        }

        errors.Add("top", $"'top' is a whole number from 1 to {MaxTop} (default {DefaultTop}); got '{Check.Shorten(value)}'.");
        return DefaultTop;
    }

    private static JsonElement ParseJson(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    /// <summary><c>up</c> or <c>down</c> when the probability moved by 5 points or more since the previous score, else <c>stable</c>; <c>new</c> for a first score.</summary>
    internal static string Trend(RiskSnapshot snapshot) => snapshot.PreviousProbability switch
    {
        null => "new",
        { } previous when snapshot.Probability - previous >= 0.05 => "up",
        { } previous when previous - snapshot.Probability >= 0.05 => "down",
        _ => "stable",
    };

    private static List<RiskReasonView> Reasons(RiskSnapshot snapshot, PartnershipLanguage language) =>
        [.. snapshot.Reasons.Select(r => new RiskReasonView(r.Feature, r.Contribution, r.French, r.English, language == PartnershipLanguage.French ? r.French : r.English))];
}
