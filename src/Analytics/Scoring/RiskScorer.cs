using Engagement.Analytics.Features;
using Engagement.Analytics.Model;

namespace Engagement.Analytics.Scoring;

/// <summary>Risk bands.</summary>
public enum RiskBand
{
    /// <summary>Below the medium threshold.</summary>
    Low,
    /// <summary>Between the thresholds.</summary>
    Medium,
    /// <summary>At or above the high threshold.</summary>
    High,
}

/// <summary>Band thresholds on the probability of disengagement.</summary>
public sealed record BandThresholds
{
    /// <summary>From this probability the band is medium (default 0.30).</summary>
    public double Medium { get; init; } = 0.30;

    /// <summary>From this probability the band is high (default 0.60).</summary>
    public double High { get; init; } = 0.60;

    /// <summary>The band of a probability.</summary>
    public RiskBand BandOf(double probability) =>
        probability >= High ? RiskBand.High : probability >= Medium ? RiskBand.Medium : RiskBand.Low;
}

/// <summary>A partner organisation's risk at an as-of time, with its reasons and the model that scored it.</summary>
/// <param name="OrganizationId">The organisation.</param>
/// <param name="Probability">Probability of being disengaged over the next meetings.</param>
/// <param name="Band">Its band.</param>
/// <param name="Reasons">The top reasons, largest first.</param>
/// <param name="Features">The features the model read.</param>
public sealed record OrganizationRisk(string OrganizationId, double Probability, RiskBand Band, IReadOnlyList<Reason> Reasons, OrganizationFeatures Features);

/// <summary>A partnership's risk: the organisations' risks rolled up.</summary>
/// <param name="PartnershipId">The partnership.</param>
/// <param name="AsOf">The as-of time.</param>
/// <param name="ModelVersion">The model that scored (e.g. <c>prior-1</c> during cold start).</param>
/// <param name="Probability">Expected share of partner organisations disengaging (mean of their probabilities).</param>
/// <param name="Band">Its band.</param>
/// <param name="Organizations">Every organisation's risk, highest first.</param>
/// <param name="Reasons">The partnership's main reasons (how many partners are at risk, turnover, and the most common organisation reasons).</param>
public sealed record PartnershipRisk(string PartnershipId, DateTimeOffset AsOf, string ModelVersion, double Probability, RiskBand Band, IReadOnlyList<OrganizationRisk> Organizations, IReadOnlyList<Reason> Reasons);

/// <summary>Scores every organisation of a partnership with a model, and rolls the scores up to the partnership.</summary>
public static class RiskScorer
{
    /// <summary>Scores a partnership at <paramref name="asOf"/>.</summary>
    public static PartnershipRisk Score(PartnershipTimeline timeline, RiskModel model, DateTimeOffset asOf, BandThresholds? bands = null)
    {
        ArgumentNullException.ThrowIfNull(timeline);
        ArgumentNullException.ThrowIfNull(model);
        bands ??= new BandThresholds();
        var organizations = timeline.FeaturesAt(asOf)
            .Select(f =>
            {
                var probability = model.Probability(f);
                return new OrganizationRisk(f.OrganizationId, probability, bands.BandOf(probability), Reasons.Top(f, model.Contributions(f)), f);
            })
            .OrderByDescending(o => o.Probability)
            .ThenBy(o => o.OrganizationId, StringComparer.Ordinal)
            .ToList();
        var probability = organizations.Count == 0 ? 0 : organizations.Average(o => o.Probability);
        return new PartnershipRisk(timeline.PartnershipId, asOf, model.Version, probability, bands.BandOf(probability), organizations, RollUp(organizations));
    }

    private static List<Reason> RollUp(List<OrganizationRisk> organizations)
    {
        var reasons = new List<Reason>();
        if (organizations.Count == 0)
        {
            return reasons;
        }

        var high = organizations.Count(o => o.Band == RiskBand.High);
        if (high > 0)
        {
            var (french, english) = ReasonTexts.CountEach("RollUp.High", high, organizations.Count, high, organizations.Count);
            reasons.Add(new Reason("organizations_high", high, high, french, english));
        }

        var turnover = organizations.Count(o => o.Features.Values[FeatureNames.IndexOf(FeatureNames.RepresentativeChange)] > 0);
        if (turnover > 0)
        {
            var (french, english) = ReasonTexts.Count("RollUp.Turnover", turnover, turnover);
            reasons.Add(new Reason("turnover", turnover, turnover, french, english));
        }

        var vacant = organizations.Count(o => o.Features.Values[FeatureNames.IndexOf(FeatureNames.Vacancy)] > 0);
        if (vacant > 0)
        {
            var (french, english) = ReasonTexts.Count("RollUp.Vacant", vacant, vacant);
            reasons.Add(new Reason("vacancies", vacant, vacant, french, english));
        }

        // The organisation reason most often at the top among those at risk, told without any one organisation's
        // counts (they would not be true of the others).
        var common = organizations.Where(o => o.Band != RiskBand.Low && o.Reasons.Count > 0)
            .GroupBy(o => o.Reasons[0].Feature, StringComparer.Ordinal)
            .OrderByDescending(g => g.Count())
            .FirstOrDefault();
        if (common is not null && reasons.Count < 3)
        {
            var example = common.First().Reasons[0];
            var (headlineFrench, headlineEnglish) = Reasons.Headline(example.Feature);
            var n = common.Count();
            reasons.Add(example with
            {
                Contribution = n,
                French = ReasonTexts.Count("RollUp.Common", n, n, headlineFrench).French,
                English = ReasonTexts.Count("RollUp.Common", n, n, headlineEnglish).English,
            });
        }

        return reasons;
    }
}
