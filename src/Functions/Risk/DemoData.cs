using Engagement.Analytics.Synthetic;
using Engagement.Core.Domain;
using Engagement.Core.Storage;
using Microsoft.Extensions.Options;

namespace Engagement.Functions.Risk;

/// <summary>Settings section <c>Demo</c>.</summary>
internal sealed class DemoOptions
{
    public const string Section = "Demo";

    /// <summary>
    /// Fill an empty store with a synthetic dataset at start, then train and score (on in the Development
    /// environment, so that <c>dotnet run</c> shows something at once). Never touches a store that holds data.
    /// </summary>
    public bool Enabled { get; set; }

    /// <summary>Synthetic partnerships to create.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 200)]
    public int Partnerships { get; set; } = 6;
}

/// <summary>
/// The demo: a clearly labelled synthetic dataset (names start with "[Synthétique]", e-mails end in
/// synthetique.example) ending today, stored through the store port like any data, then RetrainModel and ScoreRisk.
/// </summary>
internal sealed partial class DemoData(IServiceScopeFactory scopes, IOptions<DemoOptions> options, TimeProvider time, ILogger<DemoData> logger) : IHostedService
{
    /// <summary>Fortnightly scores before today's: a year of them.</summary>
    private const int PastScores = 26;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var partnershipStore = services.GetRequiredService<IPartnershipStore>();
        var rosterStore = services.GetRequiredService<IRosterStore>();
        var attendanceStore = services.GetRequiredService<IAttendanceStore>();
        var formStore = services.GetRequiredService<IFormStore>();
        if ((await partnershipStore.ListPartnershipsAsync(cancellationToken)).Count > 0)
        {
            LogSkipped(logger);
            return;
        }

        const int months = 30;
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var dataset = SyntheticGenerator.Generate(new SyntheticOptions
        {
            Seed = 1,
            Partnerships = options.Value.Partnerships,
            Months = months,
            Start = new DateOnly(today.Year, today.Month, 1).AddMonths(-months),
            ActionPlans = true,
        });
        var plans = services.GetRequiredService<IActionPlanStore>();
        foreach (var history in dataset.Partnerships)
        {
            var id = history.Partnership.Id;
            // E-mails on, unlike a partnership created through the API: the demo shows the whole path, alerts and the
            // e-mails they queue (to synthetique.example addresses; they wait in the outbox unless a provider is set).
            await partnershipStore.UpsertPartnershipAsync(history.Partnership with { AlertEmails = true }, cancellationToken);
            await rosterStore.UpsertOrganizationsAsync(id, history.Organizations, cancellationToken);
            await rosterStore.UpsertPeopleAsync(id, [.. dataset.People.Where(p => p.PartnershipId == id)], cancellationToken);
            await rosterStore.UpsertRepresentationsAsync(id, history.Representations, cancellationToken);
            await attendanceStore.UpsertMeetingsAsync(id, history.Meetings, cancellationToken);
            await attendanceStore.UpsertAttendanceAsync(id, history.Attendance, cancellationToken);
            foreach (var form in dataset.Forms.Where(f => f.PartnershipId == id))
            {
                await formStore.UpsertFormAsync(form, cancellationToken);
            }

            await formStore.UpsertFormSubmissionsAsync(id, history.Submissions, cancellationToken);
            await LoadPlanAsync(plans, history.ActionPlan, time.GetUtcNow(), cancellationToken);
        }

        var risk = scope.ServiceProvider.GetRequiredService<RiskService>();
        var lines = await risk.RetrainAsync(cancellationToken);
        // A year of fortnightly scores, as if the daily scoring had been running: the dashboard's trajectories have a past.
        var now = time.GetUtcNow();
        await risk.ScoreThePastAsync([.. Enumerable.Range(1, PastScores).Reverse().Select(k => now.AddDays(-14 * k))], cancellationToken);
        foreach (var line in lines.Concat(await risk.ScoreAllAsync(cancellationToken)))
        {
            LogLine(logger, line);
        }

        LogLoaded(logger, dataset.Partnerships.Count, dataset.Partnerships.Sum(p => p.Attendance.Count));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Stores a generated plan as it grew: each year's actions recorded on their own day (so the features read the plan
    /// as it was known), the coordinator's updates, the schedule, then each follow-up sheet asked and, when it was,
    /// answered.
    /// </summary>
    internal static async Task LoadPlanAsync(IActionPlanStore store, ActionPlan plan, DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var batch in plan.Actions.GroupBy(a => a.RecordedAt).OrderBy(g => g.Key))
        {
            var objectives = plan.Objectives.Where(o => batch.Any(a => a.ObjectiveId == o.Id)).ToList();
            await store.UpsertPlanAsync(plan.PartnershipId, objectives, [.. batch], [], batch.Key, cancellationToken);
        }

        await store.UpsertPlanAsync(plan.PartnershipId, [], [], [.. plan.Updates.Where(u => u.Source != ActionUpdateSource.Sheet)], now, cancellationToken);
        await store.SetScheduleAsync(plan.Schedule, cancellationToken);
        var updates = plan.Updates.ToDictionary(u => u.Id, StringComparer.Ordinal);
        foreach (var request in plan.Requests)
        {
            await store.AddRequestAsync(request with { AnsweredAt = null, UpdateId = null }, cancellationToken);
            if (request.UpdateId is { } updateId && updates.TryGetValue(updateId, out var update))
            {
                await store.AnswerAsync(update, request.Id, cancellationToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Demo: loaded {Partnerships} SYNTHETIC partnerships ({Records} attendance records; names start with [Synthétique]), trained and scored. Try GET /api/risk.")]
    private static partial void LogLoaded(ILogger logger, int partnerships, int records);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo: {Line}")]
    private static partial void LogLine(ILogger logger, string line);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo: the store already holds data; no synthetic data added.")]
    private static partial void LogSkipped(ILogger logger);
}
