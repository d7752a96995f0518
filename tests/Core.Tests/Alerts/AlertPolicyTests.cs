using Engagement.Core.Alerts;
using Engagement.Core.Domain;

namespace Engagement.Core.Tests.Alerts;

public sealed class AlertPolicyTests
{
    private static readonly DateTimeOffset Day0 = new(2026, 11, 2, 4, 0, 0, TimeSpan.Zero);

    private static RiskAssessment Score(string band, double probability, string? previousBand = null, string feature = "absence_last3") =>
        new("p1", "cdc", band, probability, previousBand, null, "trained-1", [new SnapshotReason(feature, 1.2, 1, "absente à 3 des 3 dernières rencontres", "absent from 3 of the last 3 meetings")]);

    [Fact]
    public void Decide_HighWithoutAlert_OpensAndNotifies()
    {
        var decision = AlertPolicy.Decide(null, Score("high", 0.8), Day0);

        Assert.Equal(AlertAction.Open, decision.Action);
        Assert.True(decision.Notify);
        Assert.Equal(AlertStatus.Open, decision.Alert!.Status);
        Assert.Equal(AlertType.FallingAttendance, decision.Alert.Type);
        Assert.Equal("cdc.falling-attendance", decision.Alert.Id);
        Assert.Equal(1, decision.Alert.Notifications);
        Assert.Equal("high", decision.Alert.LastNotifiedBand);
    }

    [Theory]
    [InlineData("medium", "low", AlertAction.Open)]
    [InlineData("medium", "medium", AlertAction.None)]
    [InlineData("medium", null, AlertAction.None)]
    [InlineData("low", null, AlertAction.None)]
    public void Decide_RiseOfABand_OpensFromMediumUp(string band, string? previous, AlertAction expected) =>
        Assert.Equal(expected, AlertPolicy.Decide(null, Score(band, 0.4, previous), Day0).Action);

    [Fact]
    public void Decide_LiveAlertScoredAgain_UpdatesWithoutAnotherEmail()
    {
        var open = AlertPolicy.Decide(null, Score("high", 0.8), Day0).Alert;
        var again = AlertPolicy.Decide(open, Score("high", 0.85), Day0.AddDays(1));

        Assert.Equal(AlertAction.Update, again.Action);
        Assert.False(again.Notify);
        Assert.Equal(0.85, again.Alert!.Probability);
        Assert.Equal(1, again.Alert.Notifications);
        Assert.Equal(Day0, again.Alert.OpenedAt);
    }

    [Fact]
    public void Decide_MediumAlertRisingToHigh_EscalatesAndNotifiesEvenIfAcknowledged()
    {
        var open = AlertPolicy.Decide(null, Score("medium", 0.4, "low"), Day0).Alert!;
        var seen = AlertPolicy.Acknowledge(open, "coordinator", Day0.AddHours(2));
        Assert.Equal(AlertStatus.Acknowledged, seen.Status);

        var escalated = AlertPolicy.Decide(seen, Score("high", 0.7), Day0.AddDays(1));

        Assert.Equal(AlertAction.Escalate, escalated.Action);
        Assert.True(escalated.Notify);
        Assert.Equal(AlertStatus.Open, escalated.Alert!.Status);
        Assert.Null(escalated.Alert.AcknowledgedAt);
        Assert.Equal(2, escalated.Alert.Notifications);
    }

    [Fact]
    public void Decide_AcknowledgedAlertStillHigh_StaysQuiet()
    {
        var seen = AlertPolicy.Acknowledge(AlertPolicy.Decide(null, Score("high", 0.8), Day0).Alert!, "coordinator", Day0);
        var later = AlertPolicy.Decide(seen, Score("high", 0.9), Day0.AddDays(3));
        Assert.Equal(AlertAction.Update, later.Action);
        Assert.False(later.Notify);
        Assert.Equal(AlertStatus.Acknowledged, later.Alert!.Status);
    }

    [Fact]
    public void Decide_RiskBackToLow_ResolvesQuietly()
    {
        var open = AlertPolicy.Decide(null, Score("high", 0.8), Day0).Alert;
        var low = AlertPolicy.Decide(open, Score("low", 0.1), Day0.AddDays(5));
        Assert.Equal(AlertAction.Resolve, low.Action);
        Assert.False(low.Notify);
        Assert.Equal(AlertStatus.Resolved, low.Alert!.Status);
        Assert.Equal(Day0.AddDays(5), low.Alert.ResolvedAt);
    }

    [Fact]
    public void Decide_ReopenedWithinCoolDown_IsRecordedButNotEmailed_AfterwardsItIs()
    {
        var resolved = AlertPolicy.Decide(AlertPolicy.Decide(null, Score("high", 0.8), Day0).Alert, Score("low", 0.1), Day0.AddDays(2)).Alert!;

        var soon = AlertPolicy.Decide(resolved, Score("high", 0.75), Day0.AddDays(5));
        Assert.Equal(AlertAction.Open, soon.Action);
        Assert.False(soon.Notify);

        var resolvedAgain = AlertPolicy.Decide(soon.Alert, Score("low", 0.1), Day0.AddDays(6)).Alert!;
        var later = AlertPolicy.Decide(resolvedAgain, Score("high", 0.75), Day0.AddDays(15));
        Assert.True(later.Notify);
        Assert.Equal(2, later.Alert!.Notifications);
    }

    [Fact]
    public void Decide_ReopenedWithinCoolDownAtAHigherBand_IsEmailed()
    {
        var resolved = AlertPolicy.Decide(AlertPolicy.Decide(null, Score("medium", 0.45, "low"), Day0).Alert, Score("low", 0.1), Day0.AddDays(1)).Alert!;
        Assert.True(AlertPolicy.Decide(resolved, Score("high", 0.8), Day0.AddDays(2)).Notify);
    }

    [Fact]
    public void Resolve_ByTheCoordinator_ThenStillHigh_DoesNotEmailWithinCoolDown()
    {
        var closed = AlertPolicy.Resolve(AlertPolicy.Decide(null, Score("high", 0.8), Day0).Alert!, Day0.AddDays(1));
        Assert.Equal(AlertStatus.Resolved, closed.Status);
        var next = AlertPolicy.Decide(closed, Score("high", 0.8), Day0.AddDays(2));
        Assert.False(next.Notify);
    }

    [Fact]
    public void Decide_EmailsOff_OpensAndEscalatesWithoutEmailOrEmailBookkeeping()
    {
        var quiet = new AlertPolicyOptions { EmailCoordinators = false };

        var opened = AlertPolicy.Decide(null, Score("medium", 0.45, "low"), Day0, quiet);
        Assert.Equal(AlertAction.Open, opened.Action);
        Assert.False(opened.Notify);
        Assert.Equal((0, null, null), (opened.Alert!.Notifications, opened.Alert.LastNotifiedAt, opened.Alert.LastNotifiedBand));

        var escalated = AlertPolicy.Decide(opened.Alert, Score("high", 0.8), Day0.AddDays(1), quiet);
        Assert.Equal(AlertAction.Escalate, escalated.Action);
        Assert.False(escalated.Notify);
        Assert.Equal(0, escalated.Alert!.Notifications);
    }

    [Fact]
    public void Decide_EmailsTurnedOnWhileAnAlertIsLive_DoesNotSendItLate_ButSendsItsEscalation()
    {
        var quiet = new AlertPolicyOptions { EmailCoordinators = false };
        var medium = AlertPolicy.Decide(null, Score("medium", 0.45, "low"), Day0, quiet).Alert!;

        // The same band the day after e-mails are on: an update, no backlog e-mail.
        var same = AlertPolicy.Decide(medium, Score("medium", 0.5), Day0.AddDays(1));
        Assert.Equal(AlertAction.Update, same.Action);
        Assert.False(same.Notify);

        // A rise is news: e-mailed, with no cool-down since nothing was e-mailed before.
        var escalated = AlertPolicy.Decide(same.Alert, Score("high", 0.8), Day0.AddDays(2));
        Assert.Equal(AlertAction.Escalate, escalated.Action);
        Assert.True(escalated.Notify);
        Assert.Equal(1, escalated.Alert!.Notifications);
    }

    [Fact]
    public void Decide_AlertRaisedQuietlyThenResolved_ReopenedWithEmailsOn_IsEmailedAtOnce()
    {
        var quiet = new AlertPolicyOptions { EmailCoordinators = false };
        var opened = AlertPolicy.Decide(null, Score("high", 0.8), Day0, quiet).Alert!;
        var resolved = AlertPolicy.Decide(opened, Score("low", 0.1), Day0.AddDays(1), quiet).Alert!;

        // Within what would be the cool-down, had it been e-mailed: it was not, so nothing holds it back.
        var reopened = AlertPolicy.Decide(resolved, Score("high", 0.8), Day0.AddDays(3));
        Assert.Equal(AlertAction.Open, reopened.Action);
        Assert.True(reopened.Notify);
    }

    [Theory]
    [InlineData("vacancy", AlertType.RepresentativeTurnover)]
    [InlineData("representative_change_fresh", AlertType.RepresentativeTurnover)]
    [InlineData("coordinator_change", AlertType.CoordinatorChange)]
    [InlineData("cacis_share_c", AlertType.DiagnosticDecline)]
    [InlineData("absence_ewma", AlertType.FallingAttendance)]
    [InlineData("actions_late_share", AlertType.LateActions)]
    [InlineData("sheet_silence", AlertType.LateActions)]
    public void TypeOf_TopReason_ChoosesTheType(string feature, AlertType expected) =>
        Assert.Equal(expected, AlertPolicy.TypeOf(Score("high", 0.8, feature: feature).Reasons));

    [Fact]
    public void Decide_ReopenKeepsTheTypeOfTheKey()
    {
        var turnover = AlertPolicy.Decide(null, Score("high", 0.8, feature: "vacancy"), Day0).Alert!;
        var resolved = AlertPolicy.Resolve(turnover, Day0.AddDays(1));
        Assert.Equal(AlertType.RepresentativeTurnover, AlertPolicy.Decide(resolved, Score("high", 0.8), Day0.AddDays(30)).Alert!.Type);
    }

    private static readonly SnapshotReason LateReason = new("actions_late_share", 0.6, 0.5, "2 actions en retard depuis 45 jours", "2 actions late for 45 days");

    /// <summary>An organisation at some band with late actions, the longest late for so many days.</summary>
    private static RiskAssessment Late(string band, int actions, int days, string? previousBand = null) =>
        Score(band, band == "low" ? 0.2 : 0.5, previousBand) with { LateActions = actions, DaysLate = days, LateActionsReason = LateReason };

    [Theory]
    [InlineData(1, 30, true)]
    [InlineData(2, 45, true)]
    [InlineData(1, 29, false)]
    [InlineData(0, 90, false)]
    public void HasLateActions_AtLeastOneActionLateForThirtyDays_ByDefault(int actions, int days, bool expected) =>
        Assert.Equal(expected, AlertPolicy.HasLateActions(Late("low", actions, days)));

    [Fact]
    public void HasLateActions_TheThresholdIsASetting_AndAPartnershipHasNone()
    {
        var strict = new AlertPolicyOptions { LateActionsMinimum = 3, LateActionDays = 10 };
        Assert.False(AlertPolicy.HasLateActions(Late("low", 2, 60), strict));
        Assert.True(AlertPolicy.HasLateActions(Late("low", 3, 10), strict));
        Assert.False(AlertPolicy.HasLateActions(Late("low", 3, 60) with { OrganizationId = null }));
    }

    [Fact]
    public void Decide_LateActionsAtALowRisk_OpenALateActionsAlertOnce_ThatSaysSoFirst()
    {
        var opened = AlertPolicy.Decide(null, Late("low", 2, 45), Day0);

        Assert.Equal(AlertAction.Open, opened.Action);
        Assert.True(opened.Notify);
        Assert.Equal(AlertType.LateActions, opened.Alert!.Type);
        Assert.Equal("cdc.late-actions", opened.Alert.Id);
        Assert.Equal("low", opened.Alert.Band);
        Assert.Equal([LateReason, .. Score("low", 0.2).Reasons], opened.Alert.Reasons);

        // Scored again the next days: the same alert is updated (its key dedupes it), never e-mailed twice.
        var again = AlertPolicy.Decide(opened.Alert, Late("low", 2, 46), Day0.AddDays(1));
        Assert.Equal(AlertAction.Update, again.Action);
        Assert.False(again.Notify);
        Assert.Equal(opened.Alert.Id, again.Alert!.Id);
        Assert.Equal(1, again.Alert.Notifications);
        var acknowledged = AlertPolicy.Acknowledge(again.Alert, "coordinator", Day0.AddDays(2));
        Assert.False(AlertPolicy.Decide(acknowledged, Late("low", 3, 60), Day0.AddDays(20)).Notify);
    }

    [Fact]
    public void Decide_LateActionsBelowTheThreshold_OpenNothing()
    {
        Assert.Equal(AlertAction.None, AlertPolicy.Decide(null, Late("low", 1, 10), Day0).Action);
        Assert.Equal(AlertAction.None, AlertPolicy.Decide(null, Late("medium", 3, 29), Day0).Action);
    }

    [Fact]
    public void Decide_LateActionsAlert_LivesWhileTheyAreLate_AndResolvesWhenTheyAreNotAndTheRiskIsLow()
    {
        var opened = AlertPolicy.Decide(null, Late("low", 1, 40), Day0).Alert!;

        var risen = AlertPolicy.Decide(opened, Late("medium", 1, 50), Day0.AddDays(10));
        Assert.Equal(AlertAction.Escalate, risen.Action);
        Assert.Equal(AlertType.LateActions, risen.Alert!.Type);

        // Done: no late action left, but the risk is medium still: it lives on.
        var done = AlertPolicy.Decide(risen.Alert, Late("medium", 0, 0), Day0.AddDays(20));
        Assert.Equal(AlertAction.Update, done.Action);
        Assert.Equal(Score("medium", 0.5).Reasons, done.Alert!.Reasons);

        var over = AlertPolicy.Decide(done.Alert, Late("low", 0, 0), Day0.AddDays(30));
        Assert.Equal(AlertAction.Resolve, over.Action);
    }

    [Fact]
    public void Decide_HighRiskLedByAbsences_WithLateActions_IsAboutTheAbsences_AndTellsTheLateActionsToo()
    {
        var opened = AlertPolicy.Decide(null, Late("high", 2, 45), Day0).Alert!;

        Assert.Equal(AlertType.FallingAttendance, opened.Type);
        Assert.Equal([.. Score("high", 0.8).Reasons, LateReason], opened.Reasons);

        // The risk falls back to low while the actions are still late: the absences alert is over, the late actions are not.
        var low = AlertPolicy.Decide(opened, Late("low", 2, 60), Day0.AddDays(10));
        Assert.Equal(AlertAction.Resolve, low.Action);
        Assert.Equal(AlertType.LateActions, AlertPolicy.TypeOf(Late("low", 2, 60)));
        var late = AlertPolicy.Decide(null, Late("low", 2, 60), Day0.AddDays(10));
        Assert.Equal((AlertAction.Open, AlertType.LateActions), (late.Action, late.Alert!.Type));
    }

    [Theory]
    [InlineData("late-actions")]
    [InlineData("actions-en-retard")]
    [InlineData("Actions en retard")]
    public void WireNames_LateActions_ReadsItsNameAndFrenchAliases(string text)
    {
        Assert.True(WireNames.TryParse<AlertType>(text, out var type));
        Assert.Equal(AlertType.LateActions, type);
        Assert.Equal("late-actions", WireNames.Format(AlertType.LateActions));
    }
}
