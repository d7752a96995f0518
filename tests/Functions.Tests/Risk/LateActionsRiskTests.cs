using System.Diagnostics;
using Engagement.Analytics;
using Engagement.Analytics.Features;
using Engagement.Analytics.Model;
using Engagement.Analytics.Scoring;
using Engagement.Analytics.Synthetic;
using Engagement.Core.Alerts;
using Engagement.Core.Domain;
using Engagement.Core.Storage;
using Engagement.Functions.Risk;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Engagement.Functions.Tests.Risk;

/// <summary>
/// A synthetic partnership whose action plan slips, scored through the product's own path (the stores on SQLite,
/// <see cref="RiskService"/>, the alerts): the same partnership without its plan and with it.
/// </summary>
public sealed class LateActionsRiskTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly SyntheticDataset Dataset = SyntheticGenerator.Generate(new SyntheticOptions { Seed = 2026, Partnerships = 2, Months = 36, Start = new DateOnly(2023, 9, 1), ActionPlans = true });

    private static PartnershipHistory History => Dataset.Partnerships[0];

    /// <summary>The morning after the simulated period.</summary>
    private static readonly DateTimeOffset Now = new(2026, 9, 1, 10, 0, 0, TimeSpan.Zero);

    private readonly EngagementApp _app = new();

    private EngagementStores Store => _app.Services.GetRequiredService<EngagementStores>();

    public async Task InitializeAsync()
    {
        _app.Clock.UtcNow = Now;
        var id = History.Partnership.Id;
        await Store.Partnerships.UpsertPartnershipAsync(History.Partnership with { AlertEmails = true });
        await Store.Roster.UpsertOrganizationsAsync(id, History.Organizations);
        await Store.Roster.UpsertPeopleAsync(id, [.. Dataset.People.Where(p => p.PartnershipId == id)]);
        await Store.Roster.UpsertRepresentationsAsync(id, History.Representations);
        await Store.Attendance.UpsertMeetingsAsync(id, History.Meetings);
        await Store.Attendance.UpsertAttendanceAsync(id, History.Attendance);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    /// <summary>Stores a plan as it was recorded: each batch of actions on the day it was adopted, then the sheets asked and answered.</summary>
    private Task LoadPlanAsync(ActionPlan plan) => DemoData.LoadPlanAsync(Store.ActionPlans, plan, Now, default);

    private async Task<(PartnershipRisk Risk, TimeSpan Median)> ScoreAsync(int times = 1)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var service = scope.ServiceProvider.GetRequiredService<RiskService>();
        var model = await service.ChampionAsync(default);
        var partnership = (await Store.Partnerships.GetPartnershipAsync(History.Partnership.Id))!;
        PartnershipRisk? risk = null;
        var durations = new List<TimeSpan>();
        for (var i = 0; i < times; i++)
        {
            var watch = Stopwatch.StartNew();
            risk = await service.ScoreAsync(partnership, model, _app.Clock.GetUtcNow(), default);
            durations.Add(watch.Elapsed);
        }

        return (risk!, durations.Order().ElementAt(durations.Count / 2));
    }

    [Fact]
    public async Task ScoreRisk_AnOrganisationWhoseActionsSlip_RisesAndIsToldWhy_AndItsLateActionsAlertIsRaisedOnce()
    {
        var (before, _) = await ScoreAsync();
        await LoadPlanAsync(History.ActionPlan);
        Assert.Equal(History.ActionPlan.Actions.Count, (await Store.ActionPlans.GetPlanAsync(History.Partnership.Id)).Actions.Count);
        var (after, _) = await ScoreAsync();

        // Scored by the cold-start prior, which weighs late actions: each organisation carrying late ones rises.
        Assert.Equal(PriorModel.Version, after.ModelVersion);
        var late = after.Organizations.Where(o => o.Features.Facts.LateActions > 0).ToList();
        Assert.NotEmpty(late);
        foreach (var organization in late)
        {
            Assert.True(organization.Probability > before.Organizations.Single(o => o.OrganizationId == organization.OrganizationId).Probability, organization.OrganizationId);
        }

        var told = late.Where(o => o.Reasons.Any(r => r.Feature == FeatureNames.ActionsLate)).ToList();
        Assert.NotEmpty(told);
        foreach (var organization in told)
        {
            var facts = organization.Features.Facts;
            var reason = organization.Reasons.Single(r => r.Feature == FeatureNames.ActionsLate);
            Assert.StartsWith($"{facts.LateActions} action", reason.French, StringComparison.Ordinal);
            Assert.EndsWith($"{facts.OldestLateDays} jours", reason.French, StringComparison.Ordinal);
            Assert.EndsWith($"{facts.OldestLateDays} days", reason.English, StringComparison.Ordinal);
        }

        // The snapshot keeps the new features by name.
        var day = DateOnly.FromDateTime(Now.UtcDateTime);
        var snapshot = (await Store.Risk.ListRiskSnapshotsAsync(History.Partnership.Id, day, day)).Single(s => s.OrganizationId == told[0].OrganizationId);
        Assert.True(snapshot.Features[FeatureNames.ActionsLate] > 0);
        Assert.Contains(snapshot.Reasons, r => r.Feature == FeatureNames.ActionsLate);

        // Every organisation whose late actions pass the threshold (one late for 30 days) has one live alert that tells them.
        var alerts = await Store.Alerts.ListAlertsAsync(History.Partnership.Id);
        var beyond = after.Organizations.Where(o => o.Features.Facts.LateActions >= 1 && o.Features.Facts.OldestLateDays >= 30).ToList();
        Assert.NotEmpty(beyond);
        foreach (var organization in beyond)
        {
            var alert = Assert.Single(alerts, a => a.OrganizationId == organization.OrganizationId && a.Status != AlertStatus.Resolved);
            Assert.Contains(alert.Reasons, r => r.Feature == FeatureNames.ActionsLate);
        }

        var lateAlerts = alerts.Where(a => a.Type == AlertType.LateActions).ToList();
        Assert.NotEmpty(lateAlerts);
        Assert.All(lateAlerts, a => Assert.Equal(FeatureNames.ActionsLate, a.Reasons[0].Feature));
        Assert.All(lateAlerts, a => Assert.EndsWith(".late-actions", a.Id, StringComparison.Ordinal));

        // The e-mail of the run says what to do about them, in the partnership's language.
        var mail = Assert.Single(await Store.Alerts.ListPendingNotificationsAsync(History.Partnership.Id), m => m.Text.Contains("plan d’action", StringComparison.Ordinal));
        Assert.Contains("Offrir de l’aide à l’organisation porteuse", mail.Text, StringComparison.Ordinal);
        Assert.Contains("Jumeler l’action avec une organisation partenaire", mail.Text, StringComparison.Ordinal);

        // Scored again the next day: the same alerts are updated, none raised or e-mailed again.
        var pending = (await Store.Alerts.ListPendingNotificationsAsync(History.Partnership.Id)).Count;
        _app.Clock.Advance(TimeSpan.FromDays(1));
        await ScoreAsync();
        var again = await Store.Alerts.ListAlertsAsync(History.Partnership.Id);
        Assert.Equal(alerts.Select(a => a.Id).Order(StringComparer.Ordinal), again.Select(a => a.Id).Order(StringComparer.Ordinal));
        Assert.All(again.Where(a => a.Type == AlertType.LateActions), a => Assert.Equal(1, a.Notifications));
        Assert.Equal(pending, (await Store.Alerts.ListPendingNotificationsAsync(History.Partnership.Id)).Count);
    }

    [Fact]
    public async Task ScoreRisk_OnePartnership_WithoutAndWithItsPlan_HowLongItTakes()
    {
        await ScoreAsync(); // warm up: the first scoring reads everything cold
        var (_, without) = await ScoreAsync(times: 7);
        await LoadPlanAsync(History.ActionPlan);
        var (_, with) = await ScoreAsync(times: 7);
        var watch = Stopwatch.StartNew();
        var plan = await Store.ActionPlans.GetPlanAsync(History.Partnership.Id);
        var read = watch.Elapsed;

        output.WriteLine($"{History.Organizations.Count} organisations, {History.Meetings.Count} meetings, {History.Attendance.Count} attendance rows; plan: {plan.Actions.Count} actions, {plan.Updates.Count} updates, {plan.Requests.Count} sheets");
        output.WriteLine($"ScoreRisk of one partnership (median of 7): without a plan {without.TotalMilliseconds:F0} ms, with it {with.TotalMilliseconds:F0} ms; reading the plan alone {read.TotalMilliseconds:F0} ms");
        Assert.True(with < without * 3 + TimeSpan.FromMilliseconds(200), $"{with} against {without}");
    }

    [Fact]
    public async Task ScoreRisk_AChampionStoredBeforeThePlansFeatures_StillScores()
    {
        // A model artifact written when the product computed 19 features (tests/Analytics.Tests/Model/StoredModels).
        var artifact = await File.ReadAllTextAsync(Path.Combine(Hosting.CodeSettings.RepositoryRoot().FullName, "tests", "Analytics.Tests", "Model", "StoredModels", "lr-full.json"));
        var old = RiskModel.FromJson(artifact);
        await Store.Models.SaveModelAsync(new StoredModel { Version = old.Version, Kind = old.Kind, CreatedAt = Now.AddDays(-200), Artifact = artifact });
        await Store.Models.SetChampionAsync(old.Version);
        await LoadPlanAsync(History.ActionPlan);

        var (risk, _) = await ScoreAsync();

        Assert.Equal(old.Version, risk.ModelVersion);
        Assert.All(risk.Organizations, o => Assert.InRange(o.Probability, 0, 1));
        Assert.DoesNotContain(risk.Organizations.SelectMany(o => o.Reasons), r => r.Feature is FeatureNames.ActionsLate or FeatureNames.SheetSilence);
    }
}
