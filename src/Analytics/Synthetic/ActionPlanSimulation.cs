using System.Globalization;
using Engagement.Core.Domain;

namespace Engagement.Analytics.Synthetic;

/// <summary>
/// Draws a partnership's action plan from its simulated organisations, after the meetings are simulated and from its own
/// <see cref="Random"/>, so that turning plans on changes nothing else in the dataset. Each year the partnership adopts
/// objectives with one to three actions, each led by an organisation with up to two partners, a start and a due day.
/// Whether an action is done on time follows its carriers' latent engagement around its due day (a drifting organisation
/// lets its actions slip; some slipped actions are abandoned); the coordinator records most completions. Every 60 days the
/// lead of each open action is asked for a follow-up sheet, answered (before or after the reminder) with a probability that
/// follows its engagement at the time and only while it has a representative; an answer says where the action stands.
/// Nothing is dated at or after the end of the simulated period.
/// </summary>
internal static class ActionPlanSimulation
{
    /// <summary>Days between rounds of follow-up sheets.</summary>
    public const int EveryDays = 60;

    /// <summary>Days after which an unanswered sheet is reminded.</summary>
    public const int ReminderAfterDays = 7;

    private static readonly string[] Objectives =
    [
        "Briser l’isolement des personnes aînées",
        "Faciliter le transport vers les services",
        "Soutenir les familles dans l’accès au logement",
        "Favoriser la sécurité alimentaire",
        "Rendre les parcs et les espaces publics accessibles",
        "Mieux faire connaître les ressources du territoire",
        "Encourager la participation citoyenne",
        "Soutenir les proches aidants",
        "Favoriser la conciliation famille-travail",
        "Améliorer la sécurité des déplacements à pied",
    ];

    private static readonly string[] Actions =
    [
        "Organiser une journée d’information",
        "Produire un répertoire des ressources",
        "Mettre sur pied un service de navette",
        "Tenir des cafés-rencontres mensuels",
        "Former des bénévoles",
        "Réaliser un sondage auprès des résidents",
        "Aménager des aires de repos",
        "Lancer une campagne de sensibilisation",
        "Offrir des ateliers de cuisine collective",
        "Mettre en place un jumelage intergénérationnel",
        "Créer un bottin en ligne",
        "Organiser une marche exploratoire",
    ];

    private static readonly string[] Obstacles =
    [
        "Manque de bénévoles",
        "Départ d’une personne-ressource",
        "Financement confirmé plus tard que prévu",
        "Peu de disponibilité de notre équipe ce trimestre",
    ];

    /// <summary>Draws the plan of one simulated partnership.</summary>
    /// <param name="history">The partnership as simulated (meetings in chronological order, its representations).</param>
    /// <param name="truth">Its organisations' latent engagement, one value per meeting.</param>
    /// <param name="end">The first day after the simulated period.</param>
    /// <param name="seed">The plan's own seed.</param>
    public static ActionPlan Run(PartnershipHistory history, PartnershipTruth truth, DateOnly end, int seed) =>
        new Plan(history, truth, end, seed).Draw();

    private sealed class Plan(PartnershipHistory history, PartnershipTruth truth, DateOnly end, int seed)
    {
        private readonly Random _random = new(seed);
        private readonly string _id = history.Partnership.Id;
        private readonly DateOnly[] _meetingDays = [.. history.Meetings.Select(m => DateOnly.FromDateTime(MontrealClock.ToLocal(m.Start).DateTime))];
        private readonly DateTimeOffset _end = MontrealClock.Local(end, TimeOnly.MinValue);
        private readonly List<Objective> _objectives = [];
        private readonly List<(PlanAction Action, Outcome Outcome)> _actions = [];
        private readonly List<ActionUpdate> _updates = [];
        private readonly List<FollowUpRequest> _requests = [];
        private readonly Dictionary<string, int> _organizationIndex = truth.Organizations.Select((o, i) => (o.OrganizationId, i)).ToDictionary(x => x.OrganizationId, x => x.i, StringComparer.Ordinal);

        public ActionPlan Draw()
        {
            if (_meetingDays.Length == 0)
            {
                return ActionPlan.Empty(_id);
            }

            // The plan is adopted a couple of months in, and renewed every year.
            var first = _meetingDays[0].AddMonths(2).AddDays(_random.Next(0, 15));
            for (var adopted = first; adopted < end; adopted = adopted.AddYears(1))
            {
                Adopt(adopted);
            }

            var schedule = new FollowUpSchedule { PartnershipId = _id, EveryDays = EveryDays, ReminderAfterDays = ReminderAfterDays, StartOn = first.AddDays(30) };
            for (var round = schedule.StartOn!.Value; round < end; round = round.AddDays(EveryDays))
            {
                Round(round);
            }

            return new ActionPlan
            {
                PartnershipId = _id,
                Objectives = _objectives,
                Actions = [.. _actions.Select(a => a.Action)],
                Updates = [.. _updates.OrderBy(u => u.At.UtcTicks).ThenBy(u => u.Id, StringComparer.Ordinal)],
                Requests = [.. _requests.OrderBy(r => r.Round).ThenBy(r => r.Id, StringComparer.Ordinal)],
                Schedule = schedule,
            };
        }

        private void Adopt(DateOnly adopted)
        {
            var recordedAt = MontrealClock.Local(adopted, new TimeOnly(10, 0));
            var organizations = truth.Organizations;
            // About one action for every two organisations, spread over two to four objectives.
            var objectives = _random.Next(2, 5);
            var perObjective = Math.Max(1, (int)Math.Round(organizations.Count * (0.4 + (0.3 * _random.NextDouble())) / objectives));
            for (var o = 0; o < objectives; o++)
            {
                var objectiveId = "O" + (_objectives.Count + 1).ToString(CultureInfo.InvariantCulture);
                _objectives.Add(new Objective
                {
                    PartnershipId = _id,
                    Id = objectiveId,
                    Title = Objectives[_random.Next(Objectives.Length)],
                    Order = _objectives.Count + 1,
                });

                var actions = _random.Next(Math.Max(1, perObjective - 1), perObjective + 2);
                for (var a = 1; a <= actions; a++)
                {
                    // The coordinating organisation leads some actions; partners come from the other organisations.
                    var lead = _random.NextDouble() < 0.2 ? 0 : _random.Next(organizations.Count > 1 ? 1 : 0, organizations.Count);
                    var partners = Enumerable.Range(0, _random.Next(0, 3)).Select(_ => _random.Next(organizations.Count)).Where(p => p != lead).Distinct().ToList();
                    var startOn = adopted.AddDays(_random.Next(0, 91));
                    var action = new PlanAction
                    {
                        PartnershipId = _id,
                        Id = objectiveId + ".A" + a.ToString(CultureInfo.InvariantCulture),
                        ObjectiveId = objectiveId,
                        Title = Actions[_random.Next(Actions.Length)],
                        LeadOrganizationId = organizations[lead].OrganizationId,
                        PartnerOrganizationIds = [.. partners.Select(p => organizations[p].OrganizationId)],
                        StartOn = startOn,
                        DueOn = startOn.AddDays(_random.Next(60, 301)),
                        Deliverables = "Bilan écrit remis au comité",
                        RecordedAt = recordedAt,
                    };
                    var outcome = Outcome(action, lead, partners);
                    _actions.Add((action, outcome));
                    Closed(action, outcome);
                }
            }
        }

        /// <summary>
        /// Whether and when the action is done, abandoned, or said late in advance, from its carriers' engagement around its
        /// due day and the months after it: an organisation that is pulling back lets its actions slip first.
        /// </summary>
        private Outcome Outcome(PlanAction action, int lead, List<int> partners)
        {
            var due = action.DueOn!.Value;
            var engagement = Ahead(lead, due.AddDays(-30));
            if (partners.Count > 0)
            {
                engagement = (0.7 * engagement) + (0.3 * partners.Average(p => Ahead(p, due.AddDays(-30))));
            }

            if (_random.NextDouble() < 0.05 + (0.9 * engagement * engagement))
            {
                var earliest = action.StartOn!.Value.AddDays(14);
                var doneOn = due.AddDays(-_random.Next(0, 46));
                return new Outcome(doneOn < earliest ? earliest : doneOn, null, null);
            }

            var saidLateFrom = due.AddDays(-_random.Next(0, 46));
            if (_random.NextDouble() < 0.2)
            {
                return new Outcome(null, due.AddDays(_random.Next(30, 151)), saidLateFrom);
            }

            var slip = _random.Next(15, 61) + (int)(-Math.Log(1 - _random.NextDouble()) * 200 * (1 - engagement));
            return new Outcome(due.AddDays(slip), null, saidLateFrom);
        }

        /// <summary>The coordinator records most completions within a month, and every abandonment on the day.</summary>
        private void Closed(PlanAction action, Outcome outcome)
        {
            if (outcome.AbandonedOn is { } abandoned)
            {
                Coordinator(action, abandoned, ActionStatus.Abandoned);
            }
            else if (outcome.DoneOn is { } done && _random.NextDouble() < 0.8)
            {
                Coordinator(action, done.AddDays(_random.Next(0, 31)), ActionStatus.Done);
            }
        }

        private void Coordinator(PlanAction action, DateOnly day, ActionStatus status)
        {
            var at = MontrealClock.Local(day, new TimeOnly(16, 0));
            if (at < _end)
            {
                _updates.Add(new ActionUpdate
                {
                    PartnershipId = _id,
                    ActionId = action.Id,
                    Id = $"coordination.{action.Id}.{day:yyyyMMdd}",
                    At = at,
                    Status = status,
                    Source = ActionUpdateSource.Coordinator,
                });
            }
        }

        /// <summary>One round: a sheet to the lead of every action under way that nobody has recorded as closed by then.</summary>
        private void Round(DateOnly round)
        {
            var sentAt = MontrealClock.Local(round, new TimeOnly(9, 0));
            foreach (var (action, outcome) in _actions)
            {
                if (action.RecordedAt > sentAt || action.StartOn > round.AddDays(30) || ClosedBy(action.Id, sentAt))
                {
                    continue;
                }

                var request = new FollowUpRequest { PartnershipId = _id, ActionId = action.Id, OrganizationId = action.LeadOrganizationId, Round = round, SentAt = sentAt };
                var lead = _organizationIndex[action.LeadOrganizationId];
                var person = history.Representations.FirstOrDefault(r => r.OrganizationId == action.LeadOrganizationId && r.IsActiveOn(round))?.PersonId;
                var engagement = Ahead(lead, round);
                var answers = person is not null && _random.NextDouble() < 0.05 + (0.9 * engagement * engagement);
                var afterReminder = _random.NextDouble() < 0.4;
                var answeredAt = sentAt.AddDays(afterReminder ? _random.Next(ReminderAfterDays, 22) : _random.Next(0, ReminderAfterDays)).AddHours(_random.Next(0, 10));
                if (!answers || answeredAt >= _end)
                {
                    var remindedAt = sentAt.AddDays(ReminderAfterDays);
                    _requests.Add(request with { RemindedAt = remindedAt < _end ? remindedAt : null });
                    continue;
                }

                var status = StatusAt(action, outcome, DateOnly.FromDateTime(answeredAt.DateTime));
                var update = new ActionUpdate
                {
                    PartnershipId = _id,
                    ActionId = action.Id,
                    Id = "sheet." + request.Id,
                    At = answeredAt,
                    Status = status,
                    Source = ActionUpdateSource.Sheet,
                    OrganizationId = action.LeadOrganizationId,
                    PersonId = person,
                    Done = status is ActionStatus.OnTrack or ActionStatus.Done ? "Les étapes prévues ont été réalisées." : null,
                    Obstacles = status == ActionStatus.Late ? Obstacles[_random.Next(Obstacles.Length)] : null,
                    HelpNeeded = status == ActionStatus.Late && _random.NextDouble() < 0.5 ? "Soutien pour la promotion et le recrutement" : null,
                };
                _updates.Add(update);
                _requests.Add(request with { RemindedAt = afterReminder ? sentAt.AddDays(ReminderAfterDays) : null, AnsweredAt = answeredAt, UpdateId = update.Id });
            }
        }

        /// <summary>Whether an update recorded by <paramref name="at"/> closed the action.</summary>
        private bool ClosedBy(string actionId, DateTimeOffset at) =>
            _updates.Any(u => u.ActionId == actionId && u.At <= at && u.Status is ActionStatus.Done or ActionStatus.Abandoned);

        /// <summary>What the lead says of the action on a day.</summary>
        private static ActionStatus StatusAt(PlanAction action, Outcome outcome, DateOnly day) =>
            outcome.DoneOn <= day ? ActionStatus.Done
            : outcome.AbandonedOn <= day ? ActionStatus.Abandoned
            : day > action.DueOn || outcome.SaidLateFrom <= day ? ActionStatus.Late
            : day >= action.StartOn ? ActionStatus.OnTrack
            : ActionStatus.NotStarted;

        /// <summary>An organisation's mean latent engagement over the four months from <paramref name="day"/>.</summary>
        private double Ahead(int organization, DateOnly day) =>
            Enumerable.Range(0, 5).Average(month => Engagement(organization, day.AddMonths(month)));

        /// <summary>An organisation's latent engagement at its latest meeting on or before <paramref name="day"/> (the first meeting's before it).</summary>
        private double Engagement(int organization, DateOnly day)
        {
            var index = Array.BinarySearch(_meetingDays, day);
            index = index >= 0 ? index : Math.Max(0, ~index - 1);
            return truth.Organizations[organization].Engagement[Math.Min(index, _meetingDays.Length - 1)];
        }
    }

    /// <summary>What happens to an action: done on a day, or abandoned on a day; said late from a day when it slips.</summary>
    private sealed record Outcome(DateOnly? DoneOn, DateOnly? AbandonedOn, DateOnly? SaidLateFrom);
}
