using Engagement.Analytics.Features;
using Engagement.Core.Alerts;
using Engagement.Core.Domain;
using Engagement.Core.Storage;

namespace Engagement.Bench.Dashboard;

/// <summary>
/// One partnership as a coordinator's page shows it after a year: organisations with their representatives (some
/// hand-overs, some gaps, some seats vacant today, some shared by two people), meetings every ten days with attendance,
/// a score per day (or every few days) for the partnership and each organisation (with reasons and feature values, as
/// the scoring writes them), the open alerts of those at risk, and CACIS self-diagnostic answers. Seeded: the same page every run.
/// </summary>
internal sealed record Seed(
    Partnership Partnership,
    IReadOnlyList<Organization> Organizations,
    IReadOnlyList<Person> People,
    IReadOnlyList<Representation> Representations,
    IReadOnlyList<Meeting> Meetings,
    IReadOnlyList<Attendance> Attendance,
    IReadOnlyList<RiskSnapshot> Snapshots,
    IReadOnlyList<Alert> Alerts,
    IReadOnlyList<FormSubmission> Submissions)
{
    public const string PartnershipId = "bench";
    private const string Model = "trained-2026-11-02T05:00:00Z";

    private static readonly string[] Kinds = ["Centre communautaire", "Maison des jeunes", "CIUSSS du Centre-Sud — CLSC", "Arrondissement", "École primaire", "Carrefour alimentaire", "Comité logement", "Société de développement commercial"];
    private static readonly string[] Places = ["Hochelaga", "Centre-Sud", "Saint-Michel", "Côte-des-Neiges", "Villeray", "Rosemont", "Verdun", "Pointe-Saint-Charles", "Montréal-Nord", "Parc-Extension"];
    private static readonly string[] FirstNames = ["Marie", "Jean", "Sophie", "Luc", "Nadia", "François", "Amélie", "Karim", "Geneviève", "Éric", "Fatou", "Mathieu"];
    private static readonly string[] LastNames = ["Tremblay", "Gagnon", "Roy", "Côté", "Bouchard", "Gauthier", "Morin", "Lavoie", "Fortin", "Gagné", "Ouellet", "Pelletier"];

    public static Seed Generate(int organizationCount, int meetingCount, int scoreEvery, DateOnly today, int seed = 16)
    {
        var random = new Random(seed);
        var partnership = new Partnership
        {
            Id = PartnershipId,
            Name = "Table de quartier Hochelaga-Maisonneuve",
            Territory = "Hochelaga-Maisonneuve",
            CoordinatorEmails = ["coordination@table.example"],
            AlertEmails = true,
        };
        var organizations = Enumerable.Range(0, organizationCount).Select(i => new Organization
        {
            PartnershipId = PartnershipId,
            Id = $"org{i:D2}",
            Name = $"{Kinds[i % Kinds.Length]} {Places[i / Kinds.Length % Places.Length]} {i + 1}",
            Sector = (Sector)(i % 4),
        }).ToList();

        var (people, representations) = Roster(organizations, today, random);
        var meetings = Enumerable.Range(0, meetingCount).Select(k =>
        {
            var day = today.AddDays(-365 + (k * 365 / meetingCount) + 5);
            var start = new DateTimeOffset(day.ToDateTime(new TimeOnly(13, 30)), TimeSpan.FromHours(-5));
            return new Meeting
            {
                PartnershipId = PartnershipId,
                Id = $"m{k:D3}",
                Title = k % 6 == 5 ? $"Assemblée de la table n° {k + 1}" : $"Rencontre régulière n° {k + 1}",
                Start = start,
                End = start.AddHours(2.5),
                Source = k % 3 == 0 ? MeetingSource.Teams : MeetingSource.InPerson,
                TeamsJoinUrl = k % 3 == 0 ? $"https://teams.microsoft.com/l/meetup-join/bench-{k}" : null,
            };
        }).ToList();

        // Each organisation comes at its own rate, from 35 % to 95 %; one record in 20 is missing (nobody noted it).
        var rates = organizations.ToDictionary(o => o.Id, _ => 0.35 + (0.6 * random.NextDouble()), StringComparer.Ordinal);
        var attendance = new List<Attendance>();
        foreach (var meeting in meetings)
        {
            var day = DateOnly.FromDateTime(meeting.Start.DateTime);
            foreach (var seat in representations.Where(r => r.IsActiveOn(day)))
            {
                var draw = random.NextDouble();
                if (random.NextDouble() < 0.05)
                {
                    continue;
                }

                var rate = rates[seat.OrganizationId];
                var status = draw < rate ? AttendanceStatus.Present : draw < rate + 0.1 ? AttendanceStatus.Excused : AttendanceStatus.Absent;
                attendance.Add(new Attendance
                {
                    PartnershipId = PartnershipId,
                    MeetingId = meeting.Id,
                    PersonId = seat.PersonId,
                    Status = status,
                    SecondsAttended = status == AttendanceStatus.Present ? 9000 - random.Next(0, 1800) : null,
                });
            }
        }

        var snapshots = Scores(organizations, rates, today, scoreEvery, random);
        var latest = snapshots.Where(s => s.AsOfDate == today && s.OrganizationId is not null).ToList();
        var alerts = latest.Where(s => s.Band is "high" or "medium").OrderByDescending(s => s.Probability).Take(12).Select((s, i) => new Alert
        {
            PartnershipId = PartnershipId,
            OrganizationId = s.OrganizationId,
            Type = i % 4 == 1 ? AlertType.RepresentativeTurnover : AlertType.FallingAttendance,
            Status = i % 3 == 2 ? AlertStatus.Acknowledged : AlertStatus.Open,
            Band = s.Band,
            Probability = s.Probability,
            PreviousProbability = s.PreviousProbability,
            ModelVersion = Model,
            Reasons = s.Reasons,
            OpenedAt = new DateTimeOffset(today.AddDays(-3 * (i + 1)).ToDateTime(new TimeOnly(10, 0)), TimeSpan.Zero),
            UpdatedAt = new DateTimeOffset(today.ToDateTime(new TimeOnly(10, 0)), TimeSpan.Zero),
            AcknowledgedAt = i % 3 == 2 ? new DateTimeOffset(today.AddDays(-1).ToDateTime(new TimeOnly(15, 0)), TimeSpan.Zero) : null,
            AcknowledgedBy = i % 3 == 2 ? "coordinator" : null,
            Notifications = 1,
        }).ToList();

        return new Seed(partnership, organizations, people, representations, meetings, attendance, snapshots, alerts, DiagnosticAnswers(people, representations, today, random))
        {
            Plan = ActionPlanOf(organizations, today, random),
        };
    }

    /// <summary>
    /// The partnership's action plan: 6 objectives of 5 actions, each led by one organisation with one or two partners,
    /// due from four months ago to ten months ahead; a third done, some said late or on track; a follow-up sheet asked of
    /// each open action's lead 20 days ago, half of them answered with what was done and the obstacles.
    /// </summary>
    public ActionPlan Plan { get; init; } = ActionPlan.Empty(PartnershipId);

    private static ActionPlan ActionPlanOf(IReadOnlyList<Organization> organizations, DateOnly today, Random random)
    {
        var recorded = new DateTimeOffset(today.AddDays(-400).ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero);
        var objectives = Enumerable.Range(1, 6).Select(o => new Objective
        {
            PartnershipId = PartnershipId,
            Id = $"O{o}",
            Order = o,
            Title = $"Objectif {o} : {Places[o % Places.Length]}, mieux rejoindre les familles",
            Results = o % 2 == 0 ? "Trois activités tenues, 120 participations; un bottin distribué dans 14 organismes." : null,
            Means = "Une agente de milieu à mi-temps, le local du centre communautaire, 8 000 $ du fonds de quartier.",
        }).ToList();
        var actions = objectives.SelectMany(o => Enumerable.Range(1, 5).Select(a => (Objective: o, Number: a))).Select((x, i) => new PlanAction
        {
            PartnershipId = PartnershipId,
            Id = $"{x.Objective.Id}.{x.Number}",
            ObjectiveId = x.Objective.Id,
            Title = $"Action {x.Objective.Id}.{x.Number} : organiser une activité d’échange avec les familles de {Places[i % Places.Length]}",
            LeadOrganizationId = organizations[i * 7 % organizations.Count].Id,
            PartnerOrganizationIds = [.. Enumerable.Range(1, 1 + i % 2).Select(k => organizations[(i * 7 + k * 3) % organizations.Count].Id).Distinct()],
            StartOn = today.AddDays(-300 + 10 * i),
            DueOn = today.AddDays(-120 + 14 * i),
            Deliverables = "Une activité tenue et son compte rendu",
            RecordedAt = recorded,
        }).ToList();
        var updates = new List<ActionUpdate>();
        var requests = new List<FollowUpRequest>();
        var asked = new DateTimeOffset(today.AddDays(-20).ToDateTime(new TimeOnly(13, 0)), TimeSpan.Zero);
        foreach (var (action, i) in actions.Select((a, i) => (a, i)))
        {
            var status = (i % 3) switch { 0 => ActionStatus.Done, 1 => random.Next(2) == 0 ? ActionStatus.Late : ActionStatus.OnTrack, _ => ActionStatus.OnTrack };
            updates.Add(new ActionUpdate
            {
                PartnershipId = PartnershipId, ActionId = action.Id, Id = $"c.{action.Id}", At = asked.AddDays(-30), Status = status, Source = ActionUpdateSource.Coordinator,
            });
            if (status == ActionStatus.Done)
            {
                continue;
            }

            var round = DateOnly.FromDateTime(asked.UtcDateTime);
            var answered = i % 2 == 0;
            var update = new ActionUpdate
            {
                PartnershipId = PartnershipId, ActionId = action.Id, Id = $"sheet.{action.Id}", At = asked.AddDays(3), Status = status, Source = ActionUpdateSource.Sheet,
                OrganizationId = action.LeadOrganizationId, Done = "Deux rencontres de préparation; l’affiche est prête.", Obstacles = i % 4 == 1 ? "Le local n’est libre que le samedi." : null,
            };
            if (answered)
            {
                updates.Add(update);
            }

            requests.Add(new FollowUpRequest
            {
                PartnershipId = PartnershipId, ActionId = action.Id, OrganizationId = action.LeadOrganizationId, Round = round, SentAt = asked,
                AnsweredAt = answered ? update.At : null, UpdateId = answered ? update.Id : null,
            });
        }

        return new ActionPlan
        {
            PartnershipId = PartnershipId,
            Objectives = objectives,
            Actions = actions,
            Updates = updates,
            Requests = requests,
            Schedule = new FollowUpSchedule { PartnershipId = PartnershipId, EveryDays = 28, ReminderAfterDays = 7, StartOn = DateOnly.FromDateTime(asked.UtcDateTime) },
        };
    }

    /// <summary>
    /// One representative per organisation since two years ago, except: every 5th a hand-over 200 days ago, every 8th a
    /// gap of two months before its new representative, every 13th vacant for two months now, every 10th two people.
    /// </summary>
    private static (List<Person> People, List<Representation> Representations) Roster(List<Organization> organizations, DateOnly today, Random random)
    {
        var people = new List<Person>();
        var representations = new List<Representation>();
        var start = today.AddYears(-2);
        void Seat(Organization organization, DateOnly from, DateOnly? to)
        {
            var id = $"p{people.Count:D3}";
            var name = $"{FirstNames[random.Next(FirstNames.Length)]} {LastNames[random.Next(LastNames.Length)]}";
            people.Add(new Person { PartnershipId = PartnershipId, Id = id, DisplayName = name, Email = $"{id}@organisme.example" });
            representations.Add(new Representation
            {
                PartnershipId = PartnershipId,
                Id = Representation.NaturalId(organization.Id, id, from),
                OrganizationId = organization.Id,
                PersonId = id,
                From = from,
                To = to,
            });
        }

        for (var i = 0; i < organizations.Count; i++)
        {
            var organization = organizations[i];
            switch (i)
            {
                case var _ when i % 13 == 5:
                    Seat(organization, start, today.AddDays(-60));
                    break;
                case var _ when i % 8 == 3:
                    Seat(organization, start, today.AddDays(-150));
                    Seat(organization, today.AddDays(-90), null);
                    break;
                case var _ when i % 5 == 1:
                    Seat(organization, start, today.AddDays(-200));
                    Seat(organization, today.AddDays(-185), null);
                    break;
                case var _ when i % 10 == 0:
                    Seat(organization, start, null);
                    Seat(organization, start.AddDays(120), null);
                    break;
                default:
                    Seat(organization, start, null);
                    break;
            }
        }

        return (people, representations);
    }

    /// <summary>
    /// A score every <paramref name="every"/> days (the scoring runs daily) over the year, ending today, for the
    /// partnership and each organisation: a random walk around its absence rate.
    /// </summary>
    private static List<RiskSnapshot> Scores(List<Organization> organizations, Dictionary<string, double> rates, DateOnly today, int every, Random random)
    {
        var snapshots = new List<RiskSnapshot>();
        var series = organizations.Select(o => (Id: (string?)o.Id, Level: 1 - rates[o.Id])).Prepend((Id: null, Level: 0.35)).ToList();
        foreach (var (id, level) in series)
        {
            var probability = level;
            double? previous = null;
            for (var day = today.AddDays(-365 / every * every); day <= today; day = day.AddDays(every))
            {
                probability = Math.Clamp(probability + ((random.NextDouble() - 0.5) * 0.04) + ((level - probability) * 0.02), 0.02, 0.97);
                var band = probability >= 0.6 ? "high" : probability >= 0.3 ? "medium" : "low";
                var absences = (int)Math.Round(probability * 5);
                snapshots.Add(new RiskSnapshot
                {
                    PartnershipId = PartnershipId,
                    OrganizationId = id,
                    AsOfDate = day,
                    ScoredAt = new DateTimeOffset(day.ToDateTime(new TimeOnly(10, 0)), TimeSpan.Zero),
                    Probability = Math.Round(probability, 6),
                    Band = band,
                    ModelVersion = Model,
                    PreviousProbability = previous,
                    Reasons =
                    [
                        new SnapshotReason("absences_last3", 0.9 * probability, absences, $"absente à {absences} des 5 dernières rencontres", $"absent from {absences} of the last 5 meetings"),
                        new SnapshotReason("attendance_trend", 0.5 * probability, -0.2, "présence en baisse sur 6 mois", "attendance down over 6 months"),
                        new SnapshotReason("representative_tenure", 0.2 * probability, 0.4, "représentante en poste depuis moins de 6 mois", "representative in place for less than 6 months"),
                    ],
                    Features = id is null ? new Dictionary<string, double>() : FeatureNames.All.ToDictionary(f => f, _ => Math.Round(random.NextDouble(), 4), StringComparer.Ordinal),
                });
                previous = Math.Round(probability, 6);
            }
        }

        return snapshots;
    }

    /// <summary>Each representative in place today answers the 18-item CACIS self-diagnostic once, a month ago.</summary>
    private static List<FormSubmission> DiagnosticAnswers(List<Person> people, List<Representation> representations, DateOnly today, Random random)
    {
        var answered = new DateTimeOffset(today.AddDays(-30).ToDateTime(new TimeOnly(15, 0)), TimeSpan.Zero);
        return [.. representations.Where(r => r.IsActiveOn(today.AddDays(-30))).Select(r => new FormSubmission
        {
            PartnershipId = PartnershipId,
            FormId = "cacis-2026",
            ResponseId = "cacis-" + r.PersonId,
            Kind = FormKind.Diagnostic,
            RespondentPersonId = r.PersonId,
            RespondentEmail = people.First(p => p.Id == r.PersonId).Email,
            SubmittedAt = answered,
            Answers = new Dictionary<string, IReadOnlyList<string>>(),
            DiagnosticItems = Enumerable.Range(1, Cacis.ItemCount).ToDictionary(i => i, _ => (DiagnosticAnswer)random.Next(3)),
        })];
    }

    /// <summary>Writes it all through the app's stores, as the API and the scoring would.</summary>
    public async Task WriteAsync(EngagementStores stores)
    {
        await stores.Partnerships.UpsertPartnershipAsync(Partnership);
        await stores.Roster.UpsertOrganizationsAsync(PartnershipId, Organizations);
        await stores.Roster.UpsertPeopleAsync(PartnershipId, People);
        await stores.Roster.UpsertRepresentationsAsync(PartnershipId, Representations);
        await stores.Attendance.UpsertMeetingsAsync(PartnershipId, Meetings);
        await stores.Attendance.UpsertAttendanceAsync(PartnershipId, Attendance);
        await stores.Risk.UpsertRiskSnapshotsAsync(PartnershipId, Snapshots);
        await stores.Alerts.SaveAlertsAsync(PartnershipId, Alerts, []);
        await stores.Forms.UpsertFormAsync(new FormDefinition { Id = "cacis-2026", PartnershipId = PartnershipId, Kind = FormKind.Diagnostic, Title = "Autodiagnostic CACIS 2026" });
        await stores.Forms.UpsertFormSubmissionsAsync(PartnershipId, Submissions);
        await Engagement.Functions.Risk.DemoData.LoadPlanAsync(stores.ActionPlans, Plan, Plan.Actions[0].RecordedAt, default);
    }
}
