using Engagement.Analytics.Features;
using Engagement.Core.Domain;
using FsCheck;
using FsCheck.Fluent;

namespace Engagement.Analytics.Tests.Features;

/// <summary>The action plan's features: what an organisation carries that is late, and how long it has left its sheets unanswered, as known at the as-of time.</summary>
public sealed class ActionPlanFeaturesTests
{
    /// <summary>As of the start of meeting 6 (2025-07-15 18:00 −05:00, day 2025-07-15 in Montréal).</summary>
    private static readonly DateTimeOffset AsOf = Histories.MeetingStart(6);

    private static readonly DateOnly Today = new(2025, 7, 15);

    private static readonly DateTimeOffset Recorded = AsOf.AddDays(-200);

    private static PlanAction Action(string id, string lead, DateOnly? due, DateTimeOffset? recordedAt = null, params string[] partners) => new()
    {
        PartnershipId = "p",
        Id = id,
        ObjectiveId = "O1",
        Title = "Action " + id,
        LeadOrganizationId = lead,
        PartnerOrganizationIds = partners,
        DueOn = due,
        RecordedAt = recordedAt ?? Recorded,
    };

    private static ActionUpdate Update(string action, DateTimeOffset at, ActionStatus status) => new()
    {
        PartnershipId = "p",
        ActionId = action,
        Id = $"{action}.{at.UtcTicks}",
        At = at,
        Status = status,
        Source = ActionUpdateSource.Coordinator,
    };

    private static FollowUpRequest Request(string action, string organization, DateTimeOffset sentAt, DateTimeOffset? answeredAt = null) => new()
    {
        PartnershipId = "p",
        ActionId = action,
        OrganizationId = organization,
        Round = DateOnly.FromDateTime(sentAt.DateTime),
        SentAt = sentAt,
        AnsweredAt = answeredAt,
    };

    private static ActionPlan Plan(IEnumerable<PlanAction> actions, IEnumerable<ActionUpdate>? updates = null, IEnumerable<FollowUpRequest>? requests = null) =>
        ActionPlan.Empty("p") with { Actions = [.. actions], Updates = [.. updates ?? []], Requests = [.. requests ?? []] };

    private static Dictionary<string, OrganizationFeatures> FeaturesAt(ActionPlan plan, DateTimeOffset? asOf = null) =>
        PartnershipTimeline.Build(Histories.Build("PPPPPPP", "PPPPPPP", "PPPPPPP") with { ActionPlan = plan })
            .FeaturesAt(asOf ?? AsOf).ToDictionary(f => f.OrganizationId);

    private static double Late(OrganizationFeatures f) => f.Values[FeatureNames.IndexOf(FeatureNames.ActionsLate)];

    private static double Silence(OrganizationFeatures f) => f.Values[FeatureNames.IndexOf(FeatureNames.SheetSilence)];

    [Fact]
    public void FeatureNames_TheActionPlansFeaturesAreAppended_AfterTheVectorOldModelsRead()
    {
        Assert.Equal(21, FeatureNames.Count);
        Assert.Equal([FeatureNames.ActionsLate, FeatureNames.SheetSilence], FeatureNames.All.Skip(19));
        Assert.Equal(FeatureNames.SummerAhead, FeatureNames.All[18]);
    }

    [Fact]
    public void FeaturesAt_WithoutAPlan_TheActionFeaturesAreZero()
    {
        var features = FeaturesAt(ActionPlan.Empty("p"));

        Assert.All(features.Values, f => Assert.Equal(0, Late(f)));
        Assert.All(features.Values, f => Assert.Equal(0, Silence(f)));
        Assert.All(features.Values, f => Assert.Equal(0, f.Facts.ActionsCarried));
    }

    [Fact]
    public void ActionsLate_ShareOfTheOpenActionsItCarries_AsLeadOrPartner()
    {
        var plan = Plan(
        [
            Action("a1", "org0", Today.AddDays(-46)),          // late 45 days (late from the day after its due day)
            Action("a2", "org0", Today.AddDays(30)),           // not due yet
            Action("a3", "org1", Today.AddDays(-11), null, "org0"), // late 10 days, org0 a partner
            Action("a4", "org0", Today.AddDays(-100)),         // done: no longer carried
        ], [Update("a4", AsOf.AddDays(-90), ActionStatus.Done)]);

        var features = FeaturesAt(plan);

        var org0 = features["org0"];
        Assert.Equal(2 / 3.0, Late(org0), 12);
        Assert.Equal(3, org0.Facts.ActionsCarried);
        Assert.Equal(2, org0.Facts.LateActions);
        Assert.Equal(45, org0.Facts.OldestLateDays);
        Assert.Equal(10, org0.Facts.NewestLateDays);
        Assert.Equal(1.0, Late(features["org1"]));
        Assert.Equal(0, Late(features["org2"]));
        Assert.Equal(0, features["org2"].Facts.ActionsCarried);
    }

    [Fact]
    public void ActionsLate_AnActionDueAfterTheAsOfDay_IsNotLate()
    {
        var due = Today;
        var features = FeaturesAt(Plan([Action("a1", "org0", due)]));

        Assert.Equal(0, Late(features["org0"]));
        Assert.Equal(1, features["org0"].Facts.ActionsCarried);
        // The next day it is.
        Assert.Equal(1, Late(FeaturesAt(Plan([Action("a1", "org0", due.AddDays(-1))]))["org0"]));
    }

    [Fact]
    public void ActionsLate_AnUpdateAfterTheAsOfTime_IsNotSeen()
    {
        var late = Action("a1", "org0", Today.AddDays(-20));
        var doneLater = FeaturesAt(Plan([late], [Update("a1", AsOf.AddMinutes(1), ActionStatus.Done)]));
        var doneBefore = FeaturesAt(Plan([late], [Update("a1", AsOf.AddMinutes(-1), ActionStatus.Done)]));
        var saidLateLater = FeaturesAt(Plan([Action("a2", "org1", Today.AddDays(60))], [Update("a2", AsOf.AddHours(1), ActionStatus.Late)]));

        Assert.Equal(1, Late(doneLater["org0"]));
        Assert.Equal(0, Late(doneBefore["org0"]));
        Assert.Equal(0, doneBefore["org0"].Facts.ActionsCarried);
        Assert.Equal(0, Late(saidLateLater["org1"]));
    }

    [Fact]
    public void ActionsLate_SaidLateBeforeItsDueDay_IsLateFromTheDayItWasSaid()
    {
        var features = FeaturesAt(Plan([Action("a1", "org0", Today.AddDays(60))], [Update("a1", AsOf.AddDays(-12), ActionStatus.Late)]));

        Assert.Equal(1, Late(features["org0"]));
        Assert.Equal(12, features["org0"].Facts.OldestLateDays);
    }

    [Fact]
    public void ActionsLate_AnActionRecordedAfterTheAsOfTime_IsNotThere()
    {
        var features = FeaturesAt(Plan([Action("a1", "org0", Today.AddDays(-90), recordedAt: AsOf.AddSeconds(1))]));

        Assert.Equal(0, Late(features["org0"]));
        Assert.Equal(0, features["org0"].Facts.ActionsCarried);
    }

    [Fact]
    public void SheetSilence_NeverAsked_IsZero_AndUnansweredFor45Days_IsHalfWay()
    {
        var features = FeaturesAt(Plan([Action("a1", "org0", null)], requests:
        [
            Request("a1", "org0", AsOf.AddDays(-45)),
            Request("a1", "org0", AsOf.AddDays(-15)),
        ]));

        var org0 = features["org0"];
        Assert.Equal(0.5, Silence(org0), 12);
        Assert.Equal(2, org0.Facts.SheetsUnanswered);
        Assert.Equal(45, org0.Facts.OldestUnansweredDays);
        Assert.Equal(15, org0.Facts.NewestUnansweredDays);
        Assert.Equal(0, Silence(features["org1"]));
        Assert.Equal(0, features["org1"].Facts.SheetsUnanswered);
    }

    [Fact]
    public void SheetSilence_CountsOnlyTheSheetsSentSinceTheLastAnswer_AsKnownAtTheAsOfTime()
    {
        var requests = new[]
        {
            Request("a1", "org0", AsOf.AddDays(-200)),                           // before its last answer: not silence
            Request("a1", "org0", AsOf.AddDays(-120), AsOf.AddDays(-110)),        // its last answer
            Request("a1", "org0", AsOf.AddDays(-60), answeredAt: AsOf.AddDays(2)), // answered, but after the as-of time
            Request("a1", "org0", AsOf.AddDays(5)),                               // not sent yet
        };
        var org0 = FeaturesAt(Plan([Action("a1", "org0", null)], requests: requests))["org0"];

        Assert.Equal(1, org0.Facts.SheetsUnanswered);
        Assert.Equal(60, org0.Facts.OldestUnansweredDays);
        Assert.Equal(60 / 90.0, Silence(org0), 12);

        // Once known, the answer ends the run; the sheet sent since is the new one.
        var answered = FeaturesAt(Plan([Action("a1", "org0", null)], requests: requests), AsOf.AddDays(40))["org0"];
        Assert.Equal(1, answered.Facts.SheetsUnanswered);
        Assert.Equal(35, answered.Facts.OldestUnansweredDays);

        // Left unanswered, the silence reaches 1 at 90 days and stays there.
        var unanswered = requests[2] with { AnsweredAt = null };
        var later = FeaturesAt(Plan([Action("a1", "org0", null)], requests: [requests[1], unanswered]), AsOf.AddDays(40))["org0"];
        Assert.Equal(100, later.Facts.OldestUnansweredDays);
        Assert.Equal(1.0, Silence(later));
    }

    [Fact]
    public void PlanFeatures_NothingAfterTheAsOfTime_ChangesThem()
    {
        // Actions, updates and sheets drawn around the as-of time; the second plan changes everything dated after it.
        var events = from days in Gen.Choose(-300, 300)
                     from hours in Gen.Choose(-30, 30)
                     select AsOf.AddDays(days).AddHours(hours);
        var gen = from count in Gen.Choose(1, 6)
                  from dues in Gen.ArrayOf(Gen.Choose(-200, 200), count)
                  from leads in Gen.ArrayOf(Gen.Choose(0, 2), count)
                  from recorded in Gen.ArrayOf(events, count)
                  from updates in Gen.ArrayOf(
                      from action in Gen.Choose(0, count - 1)
                      from at in events
                      from status in Gen.Elements(Enum.GetValues<ActionStatus>())
                      select (Action: action, At: at, Status: status), count * 2)
                  from requests in Gen.ArrayOf(
                      from action in Gen.Choose(0, count - 1)
                      from at in events
                      from delay in Gen.Choose(0, 40)
                      select (Action: action, At: at, Delay: delay), count * 2)
                  from shift in Gen.Choose(1, 90)
                  select (dues, leads, recorded, updates, requests, shift);
        Prop.ForAll(gen.ToArbitrary(), sample =>
        {
            ActionPlan Build(Func<DateTimeOffset, DateTimeOffset> after)
            {
                DateTimeOffset Move(DateTimeOffset at) => at > AsOf ? after(at) : at;
                var actions = sample.dues.Select((due, i) => Action($"a{i}", $"org{sample.leads[i]}", Today.AddDays(due), Move(sample.recorded[i]))).ToList();
                var updates = sample.updates.Select((u, i) => Update($"a{u.Action}", Move(u.At), u.Status) with { Id = $"u{i}" }).ToList();
                var requests = sample.requests.Select(r => Request($"a{r.Action}", $"org{sample.leads[r.Action]}", Move(r.At), r.Delay < 20 ? Move(r.At.AddDays(r.Delay)) : null)).ToList();
                return Plan(actions, updates, requests);
            }

            var first = FeaturesAt(Build(at => at));
            var second = FeaturesAt(Build(at => at.AddDays(sample.shift)));
            return first.Keys.All(o => first[o].Values.SequenceEqual(second[o].Values) && first[o].Facts == second[o].Facts);
        }).QuickCheckThrowOnFailure();
    }
}
