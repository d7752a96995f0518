using Engagement.Core.Domain;
using Engagement.Core.Storage;

namespace Engagement.Storage.Tests.Contract;

/// <summary>Partnerships never see each other's records, whatever the port.</summary>
public abstract class StoreIsolationContract(IStoreBackend backend) : StoreContract(backend)
{
    [Fact]
    public async Task EveryRecordKind_SameIdsInTwoPartnerships_StayIndependent()
    {
        const string Q = "table-rosemont";
        foreach (var id in new[] { P, Q })
        {
            await SeedPartnershipAsync(id);
            await Stores.Roster.UpsertOrganizationsAsync(id, [NewOrganization("cdc", id)]);
            await Stores.Roster.UpsertPeopleAsync(id, [NewPerson("marie", "Marie", "marie@example.org", id)]);
            await Stores.Roster.UpsertRepresentationsAsync(id, [NewRepresentation("r1", "cdc", "marie", id)]);
            await Stores.Attendance.UpsertMeetingsAsync(id, [NewMeeting("m1", Jan13, id)]);
            await Stores.Attendance.UpsertAttendanceAsync(id, [NewAttendance("m1", "marie", AttendanceStatus.Present, partnershipId: id)]);
            await Stores.Forms.UpsertFormSubmissionsAsync(id, [NewSubmission("1", id) with { RespondentPersonId = "marie" }]);
            await Stores.ActionPlans.UpsertPlanAsync(id, [NewObjective("O1", id)], [NewAction("O1.A1", id)], [NewUpdate("u1", id)], T0);
            await Stores.ActionPlans.AddRequestAsync(NewRequest(id));
        }

        // Changes in Q must not touch P.
        Assert.Equal(new WriteCounts(0, 1, 0), await Stores.Roster.UpsertOrganizationsAsync(Q, [NewOrganization("cdc", Q) with { Name = "Autre nom" }]));
        Assert.Equal(new WriteCounts(0, 1, 0), await Stores.Attendance.UpsertMeetingsAsync(Q, [NewMeeting("m1", Feb10, Q)]));
        Assert.Equal(new WriteCounts(0, 1, 0), await Stores.Attendance.UpsertAttendanceAsync(Q, [NewAttendance("m1", "marie", AttendanceStatus.Absent, partnershipId: Q)]));
        Assert.Equal(new WriteCounts(0, 1, 0), await Stores.Roster.UpsertRepresentationsAsync(Q, [NewRepresentation("r1", "cdc", "marie", Q) with { To = new DateOnly(2026, 1, 31) }]));
        Assert.Equal(new WriteCounts(0, 1, 0), await Stores.Forms.UpsertFormSubmissionsAsync(Q, [NewSubmission("1", Q) with { Answers = Answers(("q1", ["Non"])) }]));
        Assert.Equal(1, await Stores.Privacy.ErasePersonalDataAsync(Q, ["marie"], T0, T0));
        Assert.Equal(
            new PlanWriteCounts(new WriteCounts(0, 1, 0), new WriteCounts(0, 1, 0), new WriteCounts(0, 0, 1)),
            await Stores.ActionPlans.UpsertPlanAsync(Q, [NewObjective("O1", Q) with { Title = "Autre" }], [NewAction("O1.A1", Q) with { DueOn = new DateOnly(2026, 1, 1) }], [NewUpdate("u1", Q)], T0));
        await Stores.ActionPlans.MarkRemindedAsync(Q, NewRequest(Q).Id, T0);
        await Stores.ActionPlans.AnswerAsync(NewUpdate("u2", Q), NewRequest(Q).Id);
        await Stores.ActionPlans.SetScheduleAsync(new FollowUpSchedule { PartnershipId = Q, EveryDays = 30 });

        var roster = await Stores.Roster.GetRosterAsync(P);
        Assert.Equal([NewOrganization("cdc", P)], roster.Organizations);
        Assert.Equal([NewPerson("marie", "Marie", "marie@example.org", P)], roster.People);
        Assert.Equal([NewRepresentation("r1", "cdc", "marie", P)], roster.Representations);
        Assert.Equal(NewMeeting("m1", Jan13, P), await Stores.Attendance.GetMeetingAsync(P, "m1"));
        Assert.Equal([NewAttendance("m1", "marie", AttendanceStatus.Present, partnershipId: P)], await Stores.Attendance.GetAttendanceAsync(P, "m1"));
        Assert.Equal(["Oui"], Assert.Single(await Stores.Forms.ListFormSubmissionsAsync(P)).Answers["q1"]);
        Assert.Equal((1, 0, 0), ListCounts(Assert.Single(await Stores.Attendance.ListMeetingsAsync(P))));
        Assert.Equal((0, 1, 0), ListCounts(Assert.Single(await Stores.Attendance.ListMeetingsAsync(Q))));
        Assert.Equal("marie", (await Stores.Roster.GetKeysAsync(P)).PersonIdsByEmail["marie@example.org"]);
        Assert.Empty((await Stores.Roster.GetKeysAsync(Q)).PersonIdsByEmail);
        Assert.Equal(P, Assert.Single(await Stores.Privacy.ListPersonActivityAsync(P)).Person.PartnershipId);
        Assert.True(Assert.Single(await Stores.Privacy.ListPersonActivityAsync(P)).HasOpenRepresentation);
        Assert.False(Assert.Single(await Stores.Privacy.ListPersonActivityAsync(Q)).HasOpenRepresentation);
        var plan = await Stores.ActionPlans.GetPlanAsync(P);
        Assert.Equal([NewObjective("O1", P)], plan.Objectives);
        Assert.Null(Assert.Single(plan.Actions).DueOn);
        Assert.Equal([NewUpdate("u1", P)], plan.Updates);
        Assert.Equal([NewRequest(P)], plan.Requests);
        Assert.Equal(FollowUpSchedule.Off(P), plan.Schedule);
        Assert.Equal(2, (await Stores.ActionPlans.GetPlanAsync(Q)).Updates.Count);
    }

    private static Objective NewObjective(string id, string partnershipId) => new() { PartnershipId = partnershipId, Id = id, Title = "Objectif " + id };

    private static PlanAction NewAction(string id, string partnershipId) =>
        new() { PartnershipId = partnershipId, Id = id, ObjectiveId = "O1", Title = "Action " + id, LeadOrganizationId = "cdc" };

    private static ActionUpdate NewUpdate(string id, string partnershipId) =>
        new() { PartnershipId = partnershipId, Id = id, ActionId = "O1.A1", At = Jan13, Status = ActionStatus.OnTrack, Source = ActionUpdateSource.Sheet, OrganizationId = "cdc", PersonId = "marie" };

    private static FollowUpRequest NewRequest(string partnershipId) =>
        new() { PartnershipId = partnershipId, ActionId = "O1.A1", OrganizationId = "cdc", Round = new DateOnly(2026, 1, 5), SentAt = Jan13.AddDays(-8) };
}
