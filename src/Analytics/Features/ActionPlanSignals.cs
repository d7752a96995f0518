using Engagement.Core.Domain;

namespace Engagement.Analytics.Features;

/// <summary>What an organisation carries of the plan at a time: its open actions, the late ones, and how long the late ones have been.</summary>
/// <param name="Carried">Open actions it carries, as lead or partner.</param>
/// <param name="Late">Of those, the late ones.</param>
/// <param name="OldestLateDays">Days the longest-late one has been late.</param>
/// <param name="NewestLateDays">Days the most recently late one has been late.</param>
internal readonly record struct PlanLoad(int Carried, int Late, int OldestLateDays, int NewestLateDays);

/// <summary>The follow-up sheets an organisation has left unanswered in a row, and for how long.</summary>
/// <param name="Unanswered">Sheets asked since its last answer and not answered.</param>
/// <param name="OldestDays">Days since the first of them was sent.</param>
/// <param name="NewestDays">Days since the latest of them was sent.</param>
internal readonly record struct Silence(int Unanswered, int OldestDays, int NewestDays);

/// <summary>
/// A partnership's action plan read for features at any as-of time: lateness comes from <see cref="ActionProgress.At"/>
/// (the one definition of status and lateness, point in time); sheets count from when they were sent and answered.
/// </summary>
internal sealed class ActionPlanSignals(ActionPlan plan, FeatureOptions options)
{
    private readonly Dictionary<string, FollowUpRequest[]> _requests = plan.Requests
        .GroupBy(r => r.OrganizationId, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.OrderBy(r => r.SentAt.UtcTicks).ToArray(), StringComparer.Ordinal);

    /// <summary>What each organisation carries of the plan known at <paramref name="asOf"/> (organisations carrying nothing open are absent).</summary>
    public IReadOnlyDictionary<string, PlanLoad> Loads(DateTimeOffset asOf)
    {
        var loads = new Dictionary<string, PlanLoad>(StringComparer.Ordinal);
        if (plan.Actions.Count == 0)
        {
            return loads;
        }

        foreach (var state in ActionProgress.At(plan, asOf))
        {
            if (state.IsClosed)
            {
                continue;
            }

            foreach (var carrier in state.Action.PartnerOrganizationIds.Prepend(state.Action.LeadOrganizationId).Distinct(StringComparer.Ordinal))
            {
                var load = loads.GetValueOrDefault(carrier);
                loads[carrier] = !state.IsLate
                    ? load with { Carried = load.Carried + 1 }
                    : new PlanLoad(
                        load.Carried + 1,
                        load.Late + 1,
                        Math.Max(load.OldestLateDays, state.DaysLate),
                        load.Late == 0 ? state.DaysLate : Math.Min(load.NewestLateDays, state.DaysLate));
            }
        }

        return loads;
    }

    /// <summary>
    /// The sheets <paramref name="organizationId"/> has left unanswered in a row at <paramref name="asOf"/>: those sent
    /// after its last answer (and within <see cref="FeatureOptions.FormLookbackDays"/>) and not answered by then. A sheet
    /// sent before its last answer is not silence: the organisation was answering after it.
    /// </summary>
    public Silence SilenceOf(string organizationId, DateTimeOffset asOf)
    {
        if (!_requests.TryGetValue(organizationId, out var requests))
        {
            return default;
        }

        var lastAnswer = DateTimeOffset.MinValue;
        foreach (var request in requests)
        {
            if (request.AnsweredAt is { } answered && answered <= asOf && answered > lastAnswer)
            {
                lastAnswer = answered;
            }
        }

        var lookback = TimeSpan.FromDays(options.FormLookbackDays);
        int unanswered = 0, oldest = 0, newest = 0;
        foreach (var request in requests)
        {
            if (request.SentAt > asOf)
            {
                break;
            }

            if (request.SentAt <= lastAnswer || asOf - request.SentAt > lookback || (request.AnsweredAt is { } answered && answered <= asOf))
            {
                continue;
            }

            var days = (int)Math.Floor((asOf - request.SentAt).TotalDays);
            oldest = unanswered == 0 ? days : Math.Max(oldest, days);
            newest = unanswered == 0 ? days : Math.Min(newest, days);
            unanswered++;
        }

        return new Silence(unanswered, oldest, newest);
    }
}
