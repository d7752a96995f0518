using Engagement.Core.Domain;
using Engagement.Core.Storage;

namespace Engagement.Storage.Tests.Contract;

/// <summary>The behaviour every <see cref="IActionPlanStore"/> must have.</summary>
public abstract class ActionPlanStoreContract(IStoreBackend backend) : StoreContract(backend)
{
    private static readonly TimeSpan Summer = TimeSpan.FromHours(-4);
    private static readonly DateTimeOffset Recorded = new(2026, 2, 2, 9, 15, 0, Montreal);

    private static Objective NewObjective(string id, int order = 1, string partnershipId = P) =>
        new() { PartnershipId = partnershipId, Id = id, Title = "Objectif " + id, Order = order };

    private static PlanAction NewAction(string id, string objectiveId, string lead = "cdc", string partnershipId = P) => new()
    {
        PartnershipId = partnershipId,
        Id = id,
        ObjectiveId = objectiveId,
        Title = "Action " + id,
        LeadOrganizationId = lead,
        PartnerOrganizationIds = ["ville", "ecole"],
        StartOn = new DateOnly(2026, 1, 15),
        DueOn = new DateOnly(2026, 6, 30),
        Deliverables = "Un dépliant",
    };

    private static ActionUpdate NewUpdate(string id, string actionId, DateTimeOffset at, ActionStatus status = ActionStatus.OnTrack, string partnershipId = P) => new()
    {
        PartnershipId = partnershipId,
        Id = id,
        ActionId = actionId,
        At = at,
        Status = status,
        Source = ActionUpdateSource.Sheet,
        OrganizationId = "cdc",
        PersonId = "marie",
        Done = "Rencontre tenue",
    };

    private static FollowUpRequest NewRequest(string actionId, string organizationId, DateOnly round, string partnershipId = P) => new()
    {
        PartnershipId = partnershipId,
        ActionId = actionId,
        OrganizationId = organizationId,
        Round = round,
        SentAt = new DateTimeOffset(round.ToDateTime(new TimeOnly(8, 0)), Montreal),
    };

    private Task<PlanWriteCounts> UpsertAsync(IReadOnlyList<Objective> objectives, IReadOnlyList<PlanAction> actions, IReadOnlyList<ActionUpdate> updates, DateTimeOffset? recordedAt = null, string partnershipId = P) =>
        Stores.ActionPlans.UpsertPlanAsync(partnershipId, objectives, actions, updates, recordedAt ?? Recorded);

    /// <summary>Records compare their lists by reference: an action is compared field by field, its partners as a sequence.</summary>
    private static void AssertSameAction(PlanAction expected, PlanAction actual)
    {
        Assert.Equal(expected with { PartnerOrganizationIds = [] }, actual with { PartnerOrganizationIds = [] });
        Assert.Equal(expected.PartnerOrganizationIds, actual.PartnerOrganizationIds);
        Assert.Equal(expected.RecordedAt.Offset, actual.RecordedAt.Offset);
    }

    [Fact]
    public async Task UpsertPlanAsync_NewThenSameThenChanged_CountsCreatedUnchangedUpdated()
    {
        await SeedRosterAsync();
        Objective[] objectives = [NewObjective("O1"), NewObjective("O2", 2)];
        PlanAction[] actions = [NewAction("O1.A1", "O1"), NewAction("O1.A2", "O1"), NewAction("O2.A1", "O2")];
        ActionUpdate[] updates = [NewUpdate("u1", "O1.A1", Jan13)];

        var created = await UpsertAsync(objectives, actions, updates);
        var same = await UpsertAsync(objectives, actions, updates, Recorded.AddDays(3));
        var changed = await UpsertAsync(
            [objectives[0] with { Results = "Trois ateliers tenus" }, objectives[1], NewObjective("O3", 3)],
            [actions[0] with { PartnerOrganizationIds = ["ville"] }, actions[1] with { DueOn = new DateOnly(2026, 9, 30) }, actions[2]],
            [updates[0], NewUpdate("u2", "O1.A2", Feb10)]);

        Assert.Equal(new PlanWriteCounts(new WriteCounts(2, 0, 0), new WriteCounts(3, 0, 0), new WriteCounts(1, 0, 0)), created);
        Assert.Equal(new PlanWriteCounts(new WriteCounts(0, 0, 2), new WriteCounts(0, 0, 3), new WriteCounts(0, 0, 1)), same);
        Assert.Equal(new PlanWriteCounts(new WriteCounts(1, 1, 1), new WriteCounts(0, 2, 1), new WriteCounts(1, 0, 1)), changed);
        var plan = await Stores.ActionPlans.GetPlanAsync(P);
        Assert.Equal("Trois ateliers tenus", plan.Objectives[0].Results);
        Assert.Equal(["ville"], plan.Actions[0].PartnerOrganizationIds);
        Assert.Equal(new DateOnly(2026, 9, 30), plan.Actions[1].DueOn);
    }

    [Fact]
    public async Task UpsertPlanAsync_ManyRecords_CountsEachOnce()
    {
        await SeedRosterAsync();
        var actions = Enumerable.Range(0, 130).Select(i => NewAction($"O1.A{i:000}", "O1")).ToList();
        var updates = actions.Select((a, i) => NewUpdate($"u{i:000}", a.Id, Jan13.AddHours(i))).ToList();

        var created = await UpsertAsync([NewObjective("O1")], actions, updates);
        var again = await UpsertAsync([NewObjective("O1")], [.. actions.Select((a, i) => i % 10 == 0 ? a with { Title = "Renommée" } : a)], [.. updates.Select(u => u with { Status = ActionStatus.Late })]);

        Assert.Equal(new PlanWriteCounts(new WriteCounts(1, 0, 0), new WriteCounts(130, 0, 0), new WriteCounts(130, 0, 0)), created);
        Assert.Equal(new PlanWriteCounts(new WriteCounts(0, 0, 1), new WriteCounts(0, 13, 117), new WriteCounts(0, 0, 130)), again);
        var plan = await Stores.ActionPlans.GetPlanAsync(P);
        Assert.Equal(130, plan.Actions.Count);
        Assert.All(plan.Updates, u => Assert.Equal(ActionStatus.OnTrack, u.Status));
    }

    [Fact]
    public async Task UpsertPlanAsync_AnActionWrittenAgain_KeepsItsFirstRecordedAt_WithItsOffset()
    {
        await SeedRosterAsync();
        var first = new DateTimeOffset(2026, 2, 2, 9, 15, 30, Montreal);
        await UpsertAsync([NewObjective("O1")], [NewAction("O1.A1", "O1")], [], first);

        await UpsertAsync([NewObjective("O1")], [NewAction("O1.A1", "O1") with { Title = "Renommée" }, NewAction("O1.A2", "O1")], [], new DateTimeOffset(2026, 4, 1, 10, 0, 0, Summer));

        var actions = (await Stores.ActionPlans.GetPlanAsync(P)).Actions;
        AssertSameAction(NewAction("O1.A1", "O1") with { Title = "Renommée", RecordedAt = first }, actions[0]);
        AssertSameAction(NewAction("O1.A2", "O1") with { RecordedAt = new DateTimeOffset(2026, 4, 1, 10, 0, 0, Summer) }, actions[1]);
    }

    [Fact]
    public async Task UpsertPlanAsync_AnUpdateWrittenAgain_IsKeptAsFirstWritten()
    {
        await SeedRosterAsync();
        var first = NewUpdate("u1", "O1.A1", Jan13, ActionStatus.Late) with { Obstacles = "Départ de la chargée de projet" };
        await UpsertAsync([NewObjective("O1")], [NewAction("O1.A1", "O1")], [first]);

        var counts = await UpsertAsync([], [], [first with { Status = ActionStatus.Done, At = Feb10, Obstacles = null, HelpNeeded = "Rien" }]);

        Assert.Equal(new WriteCounts(0, 0, 1), counts.Updates);
        Assert.Equal(first, Assert.Single((await Stores.ActionPlans.GetPlanAsync(P)).Updates));
    }

    [Fact]
    public async Task UpsertPlanAsync_ARecordOfAnotherPartnership_IsRefused()
    {
        await SeedRosterAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => UpsertAsync([NewObjective("O1", partnershipId: "another")], [], []));
        await Assert.ThrowsAsync<ArgumentException>(() => UpsertAsync([], [], [NewUpdate("u1", "O1.A1", Jan13, partnershipId: "another")]));

        var plan = await Stores.ActionPlans.GetPlanAsync(P);
        Assert.Empty(plan.Objectives);
        Assert.Empty((await Stores.ActionPlans.GetPlanAsync("another")).Objectives);
    }

    [Fact]
    public async Task GetPlanAsync_ListsObjectivesByOrderThenId_ActionsByObjectiveThenId_UpdatesByInstantThenId_RequestsByRoundThenId()
    {
        await SeedRosterAsync();
        await UpsertAsync(
            [NewObjective("O3", 1), NewObjective("O1", 2), NewObjective("O2", 1)],
            [NewAction("O2.A1", "O2"), NewAction("O1.A2", "O1"), NewAction("O1.A1", "O1"), NewAction("A0", "O2")],
            [
                NewUpdate("u3", "O1.A1", Feb10),
                NewUpdate("u2", "O1.A1", Jan13.ToOffset(TimeSpan.Zero)),
                NewUpdate("u1", "O1.A2", Jan13),
                // Earlier than Jan13 as an instant, though later on the wall clock.
                NewUpdate("u0", "O2.A1", new DateTimeOffset(2026, 1, 13, 19, 30, 0, TimeSpan.FromHours(2))),
            ]);
        var march = new DateOnly(2026, 3, 1);
        var february = new DateOnly(2026, 2, 1);
        await Stores.ActionPlans.AddRequestAsync(NewRequest("O1.A2", "cdc", march));
        await Stores.ActionPlans.AddRequestAsync(NewRequest("O1.A1", "ville", march));
        await Stores.ActionPlans.AddRequestAsync(NewRequest("O1.A1", "cdc", march));
        await Stores.ActionPlans.AddRequestAsync(NewRequest("O2.A1", "cdc", february));

        var plan = await Stores.ActionPlans.GetPlanAsync(P);

        Assert.Equal(P, plan.PartnershipId);
        Assert.Equal(["O2", "O3", "O1"], plan.Objectives.Select(o => o.Id));
        Assert.Equal(["O1.A1", "O1.A2", "A0", "O2.A1"], plan.Actions.Select(a => a.Id));
        Assert.Equal(["u0", "u1", "u2", "u3"], plan.Updates.Select(u => u.Id));
        Assert.Equal(["O2.A1.cdc.20260201", "O1.A1.cdc.20260301", "O1.A1.ville.20260301", "O1.A2.cdc.20260301"], plan.Requests.Select(r => r.Id));
    }

    [Fact]
    public async Task GetPlanAsync_UnknownPartnership_IsEmpty_WithTheScheduleOff()
    {
        var plan = await Stores.ActionPlans.GetPlanAsync("nowhere");

        Assert.Equal("nowhere", plan.PartnershipId);
        Assert.Empty(plan.Objectives);
        Assert.Empty(plan.Actions);
        Assert.Empty(plan.Updates);
        Assert.Empty(plan.Requests);
        Assert.Equal(FollowUpSchedule.Off("nowhere"), plan.Schedule);
        Assert.Null(plan.Schedule.RoundOn(new DateOnly(2026, 3, 1)));
    }

    [Fact]
    public async Task SetScheduleAsync_SetsThenReplaces()
    {
        await SeedRosterAsync();
        var schedule = new FollowUpSchedule { PartnershipId = P, EveryDays = 30, ReminderAfterDays = 7, StartOn = new DateOnly(2026, 1, 5) };

        await Stores.ActionPlans.SetScheduleAsync(schedule);
        Assert.Equal(schedule, (await Stores.ActionPlans.GetPlanAsync(P)).Schedule);

        var replaced = new FollowUpSchedule { PartnershipId = P, EveryDays = 14, ReminderAfterDays = 0 };
        await Stores.ActionPlans.SetScheduleAsync(replaced);
        Assert.Equal(replaced, (await Stores.ActionPlans.GetPlanAsync(P)).Schedule);
        Assert.Equal(FollowUpSchedule.Off("another"), (await Stores.ActionPlans.GetPlanAsync("another")).Schedule);
    }

    [Fact]
    public async Task AddRequestAsync_TheSameRoundTwice_IsNewOnce_AndKeepsTheFirst()
    {
        await SeedRosterAsync();
        var round = new DateOnly(2026, 3, 1);
        var request = NewRequest("O1.A1", "cdc", round);

        Assert.True(await Stores.ActionPlans.AddRequestAsync(request));
        Assert.False(await Stores.ActionPlans.AddRequestAsync(request with { SentAt = request.SentAt.AddDays(1) }));
        Assert.True(await Stores.ActionPlans.AddRequestAsync(NewRequest("O1.A1", "cdc", round.AddDays(30))));

        var stored = (await Stores.ActionPlans.GetPlanAsync(P)).Requests;
        Assert.Equal([request, NewRequest("O1.A1", "cdc", round.AddDays(30))], stored);
        Assert.Equal(Montreal, stored[0].SentAt.Offset);
    }

    [Fact]
    public async Task MarkRemindedAsync_Twice_KeepsTheFirstTime_AndAnUnknownRequestIsNoError()
    {
        await SeedRosterAsync();
        var request = NewRequest("O1.A1", "cdc", new DateOnly(2026, 3, 1));
        await Stores.ActionPlans.AddRequestAsync(request);
        var reminded = new DateTimeOffset(2026, 3, 8, 8, 0, 0, Montreal);

        await Stores.ActionPlans.MarkRemindedAsync(P, request.Id, reminded);
        await Stores.ActionPlans.MarkRemindedAsync(P, request.Id, reminded.AddDays(7));
        await Stores.ActionPlans.MarkRemindedAsync(P, "O9.A9.cdc.20260301", reminded);
        await Stores.ActionPlans.MarkRemindedAsync("another", request.Id, reminded);

        var stored = Assert.Single((await Stores.ActionPlans.GetPlanAsync(P)).Requests);
        Assert.Equal(request with { RemindedAt = reminded }, stored);
        Assert.Equal(Montreal, stored.RemindedAt!.Value.Offset);
        Assert.Empty((await Stores.ActionPlans.GetPlanAsync("another")).Requests);
    }

    [Fact]
    public async Task AnswerAsync_Twice_StoresOneUpdate_AndTheRequestKeepsItsFirstAnswer()
    {
        await SeedRosterAsync();
        await UpsertAsync([NewObjective("O1")], [NewAction("O1.A1", "O1")], []);
        var request = NewRequest("O1.A1", "cdc", new DateOnly(2026, 3, 1));
        await Stores.ActionPlans.AddRequestAsync(request);
        var answer = NewUpdate("sheet." + request.Id, "O1.A1", new DateTimeOffset(2026, 3, 4, 20, 5, 0, Montreal), ActionStatus.Late) with { Obstacles = "Pas de local" };

        Assert.True(await Stores.ActionPlans.AnswerAsync(answer, request.Id));
        Assert.False(await Stores.ActionPlans.AnswerAsync(answer with { Status = ActionStatus.Done, At = answer.At.AddDays(1) }, request.Id));
        Assert.True(await Stores.ActionPlans.AnswerAsync(NewUpdate("sheet.other", "O1.A1", answer.At.AddDays(2)), request.Id));

        var plan = await Stores.ActionPlans.GetPlanAsync(P);
        Assert.Equal([answer, NewUpdate("sheet.other", "O1.A1", answer.At.AddDays(2))], plan.Updates);
        var stored = Assert.Single(plan.Requests);
        Assert.Equal(request with { AnsweredAt = answer.At, UpdateId = answer.Id }, stored);
        Assert.Equal(Montreal, stored.AnsweredAt!.Value.Offset);
    }

    [Fact]
    public async Task AnswerAsync_TheSameSheetManyTimesAtOnce_IsNewOnce()
    {
        await SeedRosterAsync();
        var requests = Enumerable.Range(0, 4).Select(i => NewRequest("O1.A1", "cdc", new DateOnly(2026, 3, 1).AddDays(30 * i))).ToList();
        foreach (var request in requests)
        {
            await Stores.ActionPlans.AddRequestAsync(request);
        }

        var answers = requests.Select(r => NewUpdate("sheet." + r.Id, "O1.A1", r.SentAt.AddDays(2))).ToList();
        var isNew = await Task.WhenAll(answers.Concat(answers).Concat(answers).Select((a, i) => Stores.ActionPlans.AnswerAsync(a, requests[i % 4].Id)));

        Assert.Equal(4, isNew.Count(n => n));
        var plan = await Stores.ActionPlans.GetPlanAsync(P);
        Assert.Equal(answers, plan.Updates);
        Assert.Equal(answers.Select(a => (a.Id, (DateTimeOffset?)a.At)), plan.Requests.Select(r => (r.UpdateId!, r.AnsweredAt)));
    }

    [Fact]
    public async Task AnswerAsync_WithoutItsRequest_StillStoresTheUpdate()
    {
        await SeedRosterAsync();
        var answer = NewUpdate("sheet.lost", "O1.A1", Feb10);

        Assert.True(await Stores.ActionPlans.AnswerAsync(answer, "O1.A1.cdc.20260301"));

        var plan = await Stores.ActionPlans.GetPlanAsync(P);
        Assert.Equal([answer], plan.Updates);
        Assert.Empty(plan.Requests);
    }

    [Fact]
    public async Task EveryKind_SameIdsInAnotherPartnership_StayIndependent()
    {
        const string Q = "table-rosemont";
        var round = new DateOnly(2026, 3, 1);
        foreach (var id in new[] { P, Q })
        {
            await SeedPartnershipAsync(id);
            await UpsertAsync([NewObjective("O1", partnershipId: id)], [NewAction("O1.A1", "O1", partnershipId: id)], [NewUpdate("u1", "O1.A1", Jan13, partnershipId: id)], partnershipId: id);
            await Stores.ActionPlans.AddRequestAsync(NewRequest("O1.A1", "cdc", round, id));
        }

        var before = await Stores.ActionPlans.GetPlanAsync(P);
        Assert.Equal(
            new PlanWriteCounts(new WriteCounts(0, 1, 0), new WriteCounts(0, 1, 0), new WriteCounts(1, 0, 0)),
            await UpsertAsync([NewObjective("O1", partnershipId: Q) with { Title = "Autre" }], [NewAction("O1.A1", "O1", "ville", Q)], [NewUpdate("u2", "O1.A1", Feb10, partnershipId: Q)], Recorded.AddDays(1), Q));
        await Stores.ActionPlans.SetScheduleAsync(new FollowUpSchedule { PartnershipId = Q, EveryDays = 30, StartOn = round });
        await Stores.ActionPlans.MarkRemindedAsync(Q, NewRequest("O1.A1", "cdc", round).Id, Mar10);
        Assert.True(await Stores.ActionPlans.AnswerAsync(NewUpdate("u3", "O1.A1", Mar10, partnershipId: Q), NewRequest("O1.A1", "cdc", round).Id));

        var after = await Stores.ActionPlans.GetPlanAsync(P);
        Assert.Equal(before.Objectives, after.Objectives);
        AssertSameAction(Assert.Single(before.Actions), Assert.Single(after.Actions));
        Assert.Equal(before.Updates, after.Updates);
        Assert.Equal(before.Requests, after.Requests);
        Assert.Equal(FollowUpSchedule.Off(P), after.Schedule);
        var other = await Stores.ActionPlans.GetPlanAsync(Q);
        Assert.Equal(["u1", "u2", "u3"], other.Updates.Select(u => u.Id));
        Assert.Equal(Mar10, Assert.Single(other.Requests).AnsweredAt);
    }

    [Fact]
    public async Task TextsWithAccents_AndLongTexts_RoundTrip()
    {
        await SeedRosterAsync();
        var obstacles = string.Concat(Enumerable.Repeat("Démission de la chargée de projet ; « reprise » à l'automne. ", 50))[..3000];
        var results = string.Concat(Enumerable.Repeat("Résultats obtenus : 12 ateliers, 340 aînés rejoints — 😀 élargissement du comité. ", 500));
        var objective = NewObjective("Améliorer") with
        {
            Title = "Briser l'isolement des aînés (MADA)",
            Description = "Volet « mise en œuvre »",
            Results = results,
            Means = "Bénévoles, local de la paroisse",
            Adjustments = obstacles,
            Learnings = "Mieux vaut deux co-porteurs qu'un seul",
        };
        var action = NewAction("Améliorer.Café-rencontre", "Améliorer") with { Title = "Café-rencontre mensuel à l'Église Saint-Émile", Deliverables = results, Resources = "Salle, 500 $" };
        var update = NewUpdate("fiche-été", action.Id, new DateTimeOffset(2026, 7, 2, 9, 0, 0, Summer), ActionStatus.Late) with
        {
            Done = "Première rencontre tenue à Côte-des-Neiges",
            Obstacles = obstacles,
            HelpNeeded = "Quelqu'un pour l'accueil — « bienvenue »",
        };

        await UpsertAsync([objective], [action], [update]);
        var plan = await Stores.ActionPlans.GetPlanAsync(P);

        Assert.Equal(objective, Assert.Single(plan.Objectives));
        AssertSameAction(action with { RecordedAt = Recorded }, Assert.Single(plan.Actions));
        var stored = Assert.Single(plan.Updates);
        Assert.Equal(update, stored);
        Assert.Equal(3000, stored.Obstacles!.Length);
        Assert.Equal(Summer, stored.At.Offset);

        // The same texts again change nothing.
        Assert.Equal(new PlanWriteCounts(new WriteCounts(0, 0, 1), new WriteCounts(0, 0, 1), new WriteCounts(0, 0, 1)), await UpsertAsync([objective], [action], [update]));
    }

    [Fact]
    public async Task GetPlanAsync_RoundTripsEveryField_AndNulls()
    {
        await SeedRosterAsync();
        var bare = new PlanAction { PartnershipId = P, Id = "O1.A2", ObjectiveId = "O1", Title = "Sans dates", LeadOrganizationId = "ville" };
        var coordinator = new ActionUpdate { PartnershipId = P, Id = "coord.1", ActionId = "O1.A2", At = Mar10, Status = ActionStatus.Abandoned, Source = ActionUpdateSource.Coordinator };
        var imported = NewUpdate("import.1", "O1.A1", Feb10, ActionStatus.Done) with { Source = ActionUpdateSource.Import, OrganizationId = null, PersonId = null, Done = null };

        await UpsertAsync([new Objective { PartnershipId = P, Id = "O1", Title = "Seul" }], [NewAction("O1.A1", "O1"), bare], [coordinator, imported]);
        var plan = await Stores.ActionPlans.GetPlanAsync(P);

        Assert.Equal(new Objective { PartnershipId = P, Id = "O1", Title = "Seul" }, Assert.Single(plan.Objectives));
        AssertSameAction(NewAction("O1.A1", "O1") with { RecordedAt = Recorded }, plan.Actions[0]);
        AssertSameAction(bare with { RecordedAt = Recorded }, plan.Actions[1]);
        Assert.Equal([imported, coordinator], plan.Updates);
        Assert.Equal(Mar10.Offset, plan.Updates[1].At.Offset);
    }
}
