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
    public void TypeOf_TopReason_ChoosesTheType(string feature, AlertType expected) =>
        Assert.Equal(expected, AlertPolicy.TypeOf(Score("high", 0.8, feature: feature).Reasons));

    [Fact]
    public void Decide_ReopenKeepsTheTypeOfTheKey()
    {
        var turnover = AlertPolicy.Decide(null, Score("high", 0.8, feature: "vacancy"), Day0).Alert!;
        var resolved = AlertPolicy.Resolve(turnover, Day0.AddDays(1));
        Assert.Equal(AlertType.RepresentativeTurnover, AlertPolicy.Decide(resolved, Score("high", 0.8), Day0.AddDays(30)).Alert!.Type);
    }
}
