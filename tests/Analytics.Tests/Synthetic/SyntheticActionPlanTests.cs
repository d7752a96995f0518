using System.Text.Json;
using Engagement.Analytics.Features;
using Engagement.Analytics.Model;
using Engagement.Analytics.Scoring;
using Engagement.Analytics.Synthetic;
using Engagement.Core.Domain;
using Xunit.Abstractions;

namespace Engagement.Analytics.Tests.Synthetic;

/// <summary>The synthetic action plans: off by default, drawn apart from the rest, coherent, and slipping as organisations disengage.</summary>
public sealed class SyntheticActionPlanTests(ITestOutputHelper output)
{
    private static readonly SyntheticOptions Options = new() { Seed = 2026, Partnerships = 12, Months = 36, ActionPlans = true };

    private static readonly Lazy<SyntheticDataset> Dataset = new(() => SyntheticGenerator.Generate(Options));

    private static DateOnly End => Options.Start.AddMonths(Options.Months);

    [Fact]
    public void Generate_ByDefault_DrawsNoPlan()
    {
        var dataset = SyntheticGenerator.Generate(new SyntheticOptions { Seed = 7, Partnerships = 3 });

        Assert.All(dataset.Partnerships, h => Assert.Empty(h.ActionPlan.Actions));
        Assert.All(dataset.Partnerships, h => Assert.Equal(0, h.ActionPlan.Schedule.EveryDays));
    }

    [Fact]
    public void Generate_WithPlans_ChangesNothingElse_AndIsDeterministic()
    {
        var without = SyntheticGenerator.Generate(Options with { ActionPlans = false });
        var with = Dataset.Value;
        static string Json(SyntheticDataset d) => JsonSerializer.Serialize(d with
        {
            Options = d.Options with { ActionPlans = false },
            Partnerships = [.. d.Partnerships.Select(h => h with { ActionPlan = ActionPlan.Empty(h.Partnership.Id) })],
        });

        Assert.Equal(Json(without), Json(with));
        Assert.Equal(JsonSerializer.Serialize(with), JsonSerializer.Serialize(SyntheticGenerator.Generate(Options with { })));
        Assert.All(with.Partnerships, h => Assert.NotEmpty(h.ActionPlan.Actions));
    }

    [Fact]
    public void Generate_Plans_AreCoherent_AndEndWithThePeriod()
    {
        var end = new DateTimeOffset(End.ToDateTime(TimeOnly.MinValue), TimeSpan.FromHours(-4));
        foreach (var history in Dataset.Value.Partnerships)
        {
            var plan = history.ActionPlan;
            var organizations = history.Organizations.Select(o => o.Id).ToHashSet(StringComparer.Ordinal);
            Assert.Equal(plan.Objectives.Count, plan.Objectives.Select(o => o.Id).Distinct().Count());
            Assert.Equal(plan.Actions.Count, plan.Actions.Select(a => a.Id).Distinct().Count());
            Assert.Equal(plan.Updates.Count, plan.Updates.Select(u => u.Id).Distinct().Count());
            Assert.Equal(plan.Requests.Count, plan.Requests.Select(r => r.Id).Distinct().Count());
            Assert.All(plan.Actions, a =>
            {
                Assert.Contains(a.ObjectiveId, plan.Objectives.Select(o => o.Id));
                Assert.Contains(a.LeadOrganizationId, organizations);
                Assert.All(a.PartnerOrganizationIds, p => Assert.Contains(p, organizations));
                Assert.DoesNotContain(a.LeadOrganizationId, a.PartnerOrganizationIds);
                Assert.True(a.StartOn <= a.DueOn);
                Assert.True(a.RecordedAt < end);
            });
            Assert.Equal(plan.Updates.OrderBy(u => u.At).ThenBy(u => u.Id, StringComparer.Ordinal), plan.Updates);
            Assert.All(plan.Updates, u => Assert.True(u.At < end && u.At >= plan.Actions.Single(a => a.Id == u.ActionId).RecordedAt, u.Id));
            Assert.All(plan.Requests, r =>
            {
                var action = plan.Actions.Single(a => a.Id == r.ActionId);
                Assert.Equal(action.LeadOrganizationId, r.OrganizationId);
                Assert.True(r.SentAt >= action.RecordedAt && r.SentAt < end);
                Assert.Equal(r.Round, plan.Schedule.RoundOn(r.Round));
                Assert.True(r.RemindedAt is null || r.RemindedAt == r.SentAt.AddDays(plan.Schedule.ReminderAfterDays));
                if (r.AnsweredAt is { } answered)
                {
                    var update = plan.Updates.Single(u => u.Id == r.UpdateId);
                    Assert.Equal((ActionUpdateSource.Sheet, r.OrganizationId, answered), (update.Source, update.OrganizationId!, update.At));
                    Assert.True(answered >= r.SentAt && answered < end);
                    Assert.NotNull(update.PersonId);
                }
                else
                {
                    Assert.Null(r.UpdateId);
                }
            });
        }
    }

    [Fact]
    public void Generate_DriftingOrganisations_LetTheirActionsSlip_AndStopAnsweringTheirSheets()
    {
        // Actions led by an organisation whose drift had started by their due day, against the others.
        var dataset = Dataset.Value;
        var (drifting, steady) = (new List<bool>(), new List<bool>());
        var (driftingAnswers, steadyAnswers) = (new List<bool>(), new List<bool>());
        foreach (var history in dataset.Partnerships)
        {
            var plan = history.ActionPlan;
            foreach (var action in plan.Actions.Where(a => a.DueOn < End.AddMonths(-6)))
            {
                var truth = dataset.GroundTruth.Find(history.Partnership.Id, action.LeadOrganizationId)!;
                var closedOnTime = plan.Updates.Any(u => u.ActionId == action.Id && u.Status == ActionStatus.Done && DateOnly.FromDateTime(u.At.DateTime) <= action.DueOn!.Value.AddDays(31));
                (truth.Drifts && truth.DriftStart <= action.DueOn ? drifting : steady).Add(closedOnTime);
            }

            foreach (var request in plan.Requests)
            {
                var truth = dataset.GroundTruth.Find(history.Partnership.Id, request.OrganizationId)!;
                (truth.Drifts && truth.DriftStart <= request.Round ? driftingAnswers : steadyAnswers).Add(request.AnsweredAt is not null);
            }
        }

        static double Share(List<bool> list) => list.Count(x => x) / (double)list.Count;
        output.WriteLine($"done within a month of the due day: drifting leads {Share(drifting):P0} of {drifting.Count}, others {Share(steady):P0} of {steady.Count}");
        output.WriteLine($"sheets answered: drifting {Share(driftingAnswers):P0} of {driftingAnswers.Count}, others {Share(steadyAnswers):P0} of {steadyAnswers.Count}");
        Assert.True(drifting.Count >= 20 && driftingAnswers.Count >= 50);
        Assert.True(Share(drifting) < Share(steady) - 0.15);
        Assert.True(Share(driftingAnswers) < Share(steadyAnswers) - 0.15);
    }

    [Fact]
    public void Score_ASyntheticPartnership_ItsSlippingActionsRaiseTheRiskOfTheirCarrier_AndSayWhy()
    {
        // The same partnership scored with its plan and without it, with the cold-start prior: an organisation whose actions
        // are late is more at risk, and the reason says how many and for how long.
        var history = Dataset.Value.Partnerships[0];
        var asOf = history.Meetings[^1].Start;
        var with = RiskScorer.Score(PartnershipTimeline.Build(history), PriorModel.Create(), asOf);
        var without = RiskScorer.Score(PartnershipTimeline.Build(history with { ActionPlan = ActionPlan.Empty(history.Partnership.Id) }), PriorModel.Create(), asOf);

        var late = with.Organizations.Where(o => o.Features.Facts.LateActions > 0).ToList();
        Assert.NotEmpty(late);
        foreach (var organization in late)
        {
            var before = without.Organizations.Single(o => o.OrganizationId == organization.OrganizationId);
            Assert.True(organization.Probability > before.Probability, organization.OrganizationId);
            Assert.DoesNotContain(before.Reasons, r => r.Feature == FeatureNames.ActionsLate);
            if (organization.Reasons.SingleOrDefault(r => r.Feature == FeatureNames.ActionsLate) is { } reason)
            {
                Assert.StartsWith($"{organization.Features.Facts.LateActions} action", reason.French, StringComparison.Ordinal);
                Assert.Contains(" en retard", reason.French, StringComparison.Ordinal);
            }
            else
            {
                // Only three reasons are told: here three others weighed more.
                var weight = PriorModel.Create().Contributions(organization.Features)[FeatureNames.IndexOf(FeatureNames.ActionsLate)];
                Assert.Equal(3, organization.Reasons.Count);
                Assert.All(organization.Reasons, r => Assert.True(r.Contribution >= weight, r.Feature));
            }
        }

        Assert.Contains(late, o => o.Reasons.Any(r => r.Feature == FeatureNames.ActionsLate));

        // Organisations carrying nothing late and asked nothing score as before.
        Assert.All(with.Organizations.Where(o => o.Features.Facts.LateActions == 0 && o.Features.Facts.SheetsUnanswered == 0),
            o => Assert.Equal(without.Organizations.Single(w => w.OrganizationId == o.OrganizationId).Probability, o.Probability, 12));
        output.WriteLine(string.Join(Environment.NewLine, late.Select(o => $"{o.OrganizationId}: {without.Organizations.Single(w => w.OrganizationId == o.OrganizationId).Probability:P0} → {o.Probability:P0} ({string.Join("; ", o.Reasons.Select(r => r.French))})")));
    }
}
