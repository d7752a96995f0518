using System.Security.Cryptography;
using System.Text;
using Engagement.Core.Alerts;
using Engagement.Core.Domain;
using Engagement.Core.Storage;
using Engagement.Functions.Alerts;
using Engagement.Functions.Dashboard;
using Engagement.Functions.Participants;
using Microsoft.Extensions.Options;

namespace Engagement.Functions.FollowUpSheets;

/// <summary>
/// SendFollowUpSheets: for each partnership whose follow-up schedule is on and has begun, on the round of today
/// (Montréal), asks each open action's lead organisation for a sheet once per round, reminds the unanswered ones once
/// <see cref="FollowUpSchedule.ReminderAfterDays"/> after they were sent, and writes their e-mails to the alerts' outbox,
/// which SendAlerts delivers (each e-mail once, by SMTP or Graph sendMail).
/// </summary>
/// <remarks>
/// <para>
/// Requests are recorded first (<see cref="IActionPlanStore.AddRequestAsync"/>: a round is asked once), then the
/// e-mails are reconciled with them: the requests of the round are grouped in batches — those asked of one
/// organisation at one instant, and those reminded at one instant — and each batch has one e-mail per representative
/// whose id derives from the round, the batch and the person. The outbox never writes an id twice and SendAlerts
/// records each delivery, so a retry, a second run the same day, or a crash between any two steps sends nobody the same
/// sheet twice, and a crash after the requests were recorded loses no e-mail: the next run queues what is missing.
/// </para>
/// <para>
/// Recipients are the organisation's representatives (and coordinators) with an e-mail on the batch's day; a vacant
/// seat or a representative without an e-mail still gets the request recorded (the dashboard shows it unanswered),
/// and nobody is e-mailed. The partnership's alert e-mail switch (<see cref="Partnership.AlertEmails"/>) does not
/// apply: the sheets have their own schedule, which the coordinator turns on.
/// </para>
/// </remarks>
internal sealed partial class FollowUpSheetService(
    IPartnershipStore partnershipStore,
    IRosterStore rosterStore,
    IActionPlanStore planStore,
    IAlertStore alertStore,
    FollowUpSheetEmail composer,
    ParticipantLinks links,
    IOptions<AlertOptions> alertOptions,
    TimeProvider time,
    ILogger<FollowUpSheetService> logger)
{
    /// <summary>The outbox's <see cref="AlertNotification.AlertId"/> of a round's sheets and reminders.</summary>
    public static string OutboxTag(DateOnly round) => $"sheets.{round:yyyyMMdd}";

    /// <summary>When the links of a round stop working: the end of the Montréal day the next round starts, plus the reminder delay.</summary>
    public static DateTimeOffset LinksExpire(FollowUpSchedule schedule, DateOnly round) =>
        MontrealClock.Local(round.AddDays(schedule.EveryDays + schedule.ReminderAfterDays), new TimeOnly(23, 59, 59));

    public async Task<IReadOnlyList<string>> RunAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var today = Fmt.DayOf(now);
        var (partnerships, asked, reminded, queued) = (0, 0, 0, 0);
        foreach (var partnership in await partnershipStore.ListPartnershipsAsync(ct))
        {
            var plan = await planStore.GetPlanAsync(partnership.Id, ct);
            if (plan.Schedule.RoundOn(today) is not { } round)
            {
                continue;
            }

            partnerships++;
            var (a, r) = await AskAndRemindAsync(plan, round, now, today, ct);
            if (a + r > 0)
            {
                plan = await planStore.GetPlanAsync(partnership.Id, ct);
            }

            var q = await QueueEmailsAsync(partnership, plan, round, now, ct);
            LogRound(logger, partnership.Id, round, a, r, q);
            (asked, reminded, queued) = (asked + a, reminded + r, queued + q);
        }

        return [$"{partnerships} partnership(s) in a follow-up round: {asked} sheet(s) asked, {reminded} reminded, {queued} e-mail(s) queued"];
    }

    /// <summary>
    /// Records the round's requests not asked yet (each open action that has started, of its lead organisation) and
    /// marks as reminded the round's unanswered requests whose reminder day has come.
    /// </summary>
    private async Task<(int Asked, int Reminded)> AskAndRemindAsync(ActionPlan plan, DateOnly round, DateTimeOffset now, DateOnly today, CancellationToken ct)
    {
        var open = OpenActions(plan, now, today);
        var known = plan.Requests.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        var asked = 0;
        foreach (var action in open.Values)
        {
            var request = new FollowUpRequest
            {
                PartnershipId = plan.PartnershipId,
                ActionId = action.Id,
                OrganizationId = action.LeadOrganizationId,
                Round = round,
                SentAt = now,
            };
            if (!known.Contains(request.Id) && await planStore.AddRequestAsync(request, ct))
            {
                asked++;
            }
        }

        var reminded = 0;
        if (plan.Schedule.ReminderAfterDays > 0)
        {
            foreach (var request in plan.Requests.Where(r => r.Round == round && r.AnsweredAt is null && r.RemindedAt is null && open.ContainsKey(r.ActionId)
                && Fmt.DayOf(r.SentAt).AddDays(plan.Schedule.ReminderAfterDays) <= today))
            {
                await planStore.MarkRemindedAsync(plan.PartnershipId, request.Id, now, ct);
                reminded++;
            }
        }

        return (asked, reminded);
    }

    /// <summary>The actions a sheet may ask about today: known, not done or abandoned, and past their start day if they have one.</summary>
    private static Dictionary<string, PlanAction> OpenActions(ActionPlan plan, DateTimeOffset now, DateOnly today) =>
        ActionProgress.At(plan, now)
            .Where(s => !s.IsClosed && (s.Action.StartOn is not { } start || start <= today))
            .ToDictionary(s => s.Action.Id, s => s.Action, StringComparer.Ordinal);

    /// <summary>Writes to the outbox every e-mail of the round's batches that is not there yet; answers how many.</summary>
    private async Task<int> QueueEmailsAsync(Partnership partnership, ActionPlan plan, DateOnly round, DateTimeOffset now, CancellationToken ct)
    {
        var requests = plan.Requests.Where(r => r.Round == round).ToList();
        if (requests.Count == 0)
        {
            return 0;
        }

        var context = new RoundContext(
            partnership,
            plan,
            OutboxTag(round),
            (await alertStore.ListNotificationsAsync(partnership.Id, OutboxTag(round), ct)).Select(n => n.Id).ToHashSet(StringComparer.Ordinal),
            await rosterStore.GetRosterAsync(partnership.Id, ct),
            OpenActions(plan, now, Fmt.DayOf(now)),
            LinksExpire(plan.Schedule, round),
            now);
        var batches = requests.GroupBy(r => (r.OrganizationId, Reminder: false, Stamp: r.SentAt))
            .Concat(requests.Where(r => r.RemindedAt is not null).GroupBy(r => (r.OrganizationId, Reminder: true, Stamp: r.RemindedAt!.Value)));
        var mails = new List<AlertNotification>();
        foreach (var batch in batches)
        {
            mails.AddRange(await MailsOfBatchAsync(context, batch.Key.OrganizationId, batch.Key.Reminder, batch.Key.Stamp, [.. batch]));
        }

        if (mails.Count > 0)
        {
            await alertStore.SaveAlertsAsync(partnership.Id, [], mails, ct);
        }

        return mails.Count;
    }

    /// <summary>What a round's e-mails are written from: its outbox tag and the ids already queued, the roster, the open actions, the links' expiry.</summary>
    private sealed record RoundContext(Partnership Partnership, ActionPlan Plan, string Tag, HashSet<string> Queued, Roster Roster, Dictionary<string, PlanAction> Open, DateTimeOffset Expires, DateTimeOffset Now);

    /// <summary>
    /// The e-mails of one batch not queued yet: one per representative of the organisation on the batch's day, listing
    /// its requests still unanswered whose action is still open, each with the representative's own link.
    /// </summary>
    private async Task<IReadOnlyList<AlertNotification>> MailsOfBatchAsync(RoundContext round, string organizationId, bool reminder, DateTimeOffset stamp, IReadOnlyList<FollowUpRequest> batch)
    {
        var asked = batch.Where(r => r.AnsweredAt is null && round.Open.ContainsKey(r.ActionId)).OrderBy(r => r.ActionId, StringComparer.Ordinal).ToList();
        if (asked.Count == 0)
        {
            return [];
        }

        var partnership = round.Partnership;
        var recipients = Recipients(round.Roster, organizationId, Fmt.DayOf(stamp));
        if (recipients.Count == 0)
        {
            LogNobody(logger, partnership.Id, organizationId, asked[0].Round, asked.Count);
            return [];
        }

        var batchKey = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{organizationId}\n{stamp.UtcTicks}")))[..12];
        var organizationName = round.Roster.Organizations.FirstOrDefault(o => o.Id == organizationId)?.Name ?? organizationId;
        var objectives = round.Plan.Objectives.ToDictionary(o => o.Id, o => o.Title, StringComparer.Ordinal);
        var mails = new List<AlertNotification>();
        foreach (var person in recipients)
        {
            var id = $"{round.Tag}.{(reminder ? "reminder" : "sheet")}.{batchKey}.{person.Id}";
            if (round.Queued.Contains(id))
            {
                continue;
            }

            var items = asked.Select(r =>
            {
                var action = round.Open[r.ActionId];
                var link = new ParticipantLink(LinkPurpose.FollowUp, partnership.Id, null, null, round.Expires.ToUnixTimeSeconds(), r.Id, person.Id);
                var url = links.Url(link, alertOptions.Value.PublicBaseUrl)
                    ?? throw new InvalidOperationException("Participants:PublicBaseUrl (or Alerts:PublicBaseUrl) is required to send follow-up sheets: their links open the app's public address.");
                return new SheetEmailItem(action.Title, objectives.GetValueOrDefault(action.ObjectiveId), action.DueOn, url);
            }).ToList();
            var model = new SheetEmailModel(partnership, organizationName, person.DisplayName ?? string.Empty, reminder, Fmt.DayOf(asked.Min(r => r.SentAt)), items, round.Expires);
            var (subject, text, html) = await composer.ComposeAsync(model);
            mails.Add(new AlertNotification
            {
                PartnershipId = partnership.Id,
                Id = id,
                AlertId = round.Tag,
                Recipient = person.Email!,
                Subject = subject,
                Text = text,
                Html = html,
                MessageId = $"<{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(partnership.Id + "/" + id)))[..32]}@engagement-functions>",
                CreatedAt = round.Now,
            });
        }

        return mails;
    }

    /// <summary>
    /// Who receives an organisation's sheets on a day: the people whose representation of it covers the day (as
    /// representative or coordinator; not an observer or a citizen), with an e-mail and not erased.
    /// </summary>
    internal static IReadOnlyList<Person> Recipients(Roster roster, string organizationId, DateOnly day)
    {
        var people = roster.People.Where(p => p.ErasedAt is null && !string.IsNullOrWhiteSpace(p.Email)).ToDictionary(p => p.Id, StringComparer.Ordinal);
        return
        [
            .. roster.Representations
                .Where(r => r.OrganizationId == organizationId && r.IsActiveOn(day) && (r.Role is RepresentationRole.Representative or RepresentationRole.Coordinator) && people.ContainsKey(r.PersonId))
                .Select(r => r.PersonId)
                .Distinct(StringComparer.Ordinal)
                .Order(StringComparer.Ordinal)
                .Select(id => people[id]),
        ];
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Follow-up round {Round} of partnership {PartnershipId}: {Asked} sheet(s) asked, {Reminded} reminded, {Queued} e-mail(s) queued")]
    private static partial void LogRound(ILogger logger, string partnershipId, DateOnly round, int asked, int reminded, int queued);

    [LoggerMessage(Level = LogLevel.Information, Message = "Partnership {PartnershipId}: organisation {OrganizationId} has no representative with an e-mail; its {Count} follow-up sheet(s) of round {Round} are recorded, nobody is e-mailed")]
    private static partial void LogNobody(ILogger logger, string partnershipId, string organizationId, DateOnly round, int count);
}
