using System.Collections.Frozen;
using System.Globalization;
using Engagement.Core.Domain;

namespace Engagement.Analytics.Synthetic;

/// <summary>
/// Simulates one partnership, meeting by meeting, from its own <see cref="Random"/>. Attendance of an organisation is
/// drawn with probability σ(latent + noise − dips), where latent = baseline + AR(1) walk − drift decline (logit scale).
/// </summary>
internal sealed class PartnershipSimulation
{
    // The latent model, on the logit scale of the probability of attending. A table averages 65–80 % attendance, what
    // Quebec round tables report, but its members differ a lot: a core that almost never misses and peripheral
    // members who come one time in two or less (OrganizationSd). Their month-to-month wandering (WalkSd) is smaller
    // than that spread; a drifted organisation ends near 15 %. Those two settings decide how predictable
    // disengagement is: with a spread of 1.3 and a wander of 0.2, knowing each organisation's true engagement at the
    // as-of time ranks the outcomes at ROC AUC ≈ 0.82, and the model reaches ≈ 0.81 from attendance alone.
    private const double StrengthMean = 1.3;
    private const double StrengthSd = 0.45;
    private const double CommitteeBonus = 0.3;
    private const double OrganizationSd = 1.3;
    private const double CoordinatorBaseline = 3.5;
    private const double WalkPersistence = 0.8;
    private const double WalkSd = 0.2;
    private const double MeetingNoiseSd = 0.25;
    private const double SummerDrop = 0.9;
    private const double NewRepresentativeShock = 1.3;
    private const int ShockMeetings = 4;
    private const double DriftDepthMin = 2.5;
    private const double DriftDepthMax = 3.5;
    private const double DaysPerMonth = 30.44;

    // CACIS answers: score = 0.5 × latent + 0.7 × partnership strength + item effect + noise; A above, C below.
    private const double DiagnosticAThreshold = 2.1;
    private const double DiagnosticCThreshold = 1.0;
    private static readonly double[] ItemEffects = [0.3, 0.2, 0.1, -0.1, 0, 0.2, -0.2, -0.3, 0.1, 0, -0.1, 0.1, -0.2, 0, -0.3, 0.1, -0.1, 0];

    private static readonly FrozenDictionary<string, IReadOnlyList<string>>[] FollowUpAnswers =
    [
        .. Enumerable.Range(1, 5).Select(level => new Dictionary<string, IReadOnlyList<string>>
        {
            ["satisfaction"] = Array.AsReadOnly([level.ToString(CultureInfo.InvariantCulture)]),
        }.ToFrozenDictionary(StringComparer.Ordinal)),
    ];

    private readonly SyntheticOptions _options;
    private readonly Random _random;
    private readonly SyntheticPartnershipKind _kind;
    private readonly string _id;
    private readonly string _number;
    private readonly double _strength;
    private readonly DateOnly _end;
    private readonly int _seed;

    private readonly List<DateOnly> _days = [];
    private readonly List<Meeting> _meetings = [];
    private readonly List<bool> _followUp = [];
    private readonly List<FormDefinition> _forms = [];
    private readonly List<FormSubmission> _submissions = [];
    private List<Attendance> _attendance = [];
    private OrganizationState[] _organizations = [];
    private double? _spareNormal;

    private PartnershipSimulation(SyntheticOptions options, int index, SyntheticPartnershipKind kind, int seed)
    {
        _options = options;
        _random = new Random(seed);
        _seed = seed;
        _kind = kind;
        _number = (index + 1).ToString("D" + Math.Max(2, Digits(options.Partnerships)), CultureInfo.InvariantCulture);
        _id = "syn-p" + _number;
        _strength = Math.Clamp(StrengthMean + (StrengthSd * Normal()), 0.2, 2.6);
        _end = options.Start.AddMonths(options.Months);
    }

    public sealed record Output(PartnershipHistory History, IReadOnlyList<Person> People, IReadOnlyList<FormDefinition> Forms, PartnershipTruth Truth);

    public static Output Run(SyntheticOptions options, int index, SyntheticPartnershipKind kind, int seed) =>
        new PartnershipSimulation(options, index, kind, seed).Run();

    private Output Run()
    {
        var place = QuebecNames.Places[_random.Next(QuebecNames.Places.Length)];
        var partnership = new Partnership
        {
            Id = _id,
            Name = QuebecNames.PartnershipName(_kind, place, _random),
            Territory = place,
            CoordinatorEmails = [$"coordination.p{_number}@{QuebecNames.EmailDomain}"],
        };

        Schedule();
        var organizations = CreateOrganizations(place);
        Simulate();

        var representations = new List<Representation>();
        var people = new List<Person>();
        var truths = new OrganizationTruth[_organizations.Length];
        for (var i = 0; i < _organizations.Length; i++)
        {
            var state = _organizations[i];
            if (state.HasRepresentative)
            {
                state.Representations.Add(Representation(state, to: null));
            }

            representations.AddRange(state.Representations);
            people.AddRange(state.People);
            truths[i] = new OrganizationTruth
            {
                PartnershipId = _id,
                OrganizationId = state.Id,
                IsCoordinator = state.IsCoordinator,
                Engagement = state.Engagement,
                AttendanceProbability = state.Probability,
                Drifts = state.Drifts,
                DriftStart = state.Drifts ? state.DriftStart : null,
                DriftMonths = state.Drifts ? state.DriftMonths : null,
                DriftAfterTurnover = state.DriftAfterTurnover,
                // A drift planned from the start may come after turnovers; on one day a join precedes the drift it sets off.
                Events = [.. state.Events.OrderBy(e => e.Date).ThenBy(e => e.Kind)],
            };
        }

        var history = new PartnershipHistory
        {
            Partnership = partnership,
            Organizations = organizations,
            Representations = representations,
            Meetings = _meetings,
            Attendance = _attendance,
            Submissions = _submissions,
        };
        var truth = new PartnershipTruth { PartnershipId = _id, Kind = _kind, Strength = _strength, Organizations = truths };
        if (_options.ActionPlans)
        {
            // Its own generator, drawn from after everything else: the rest of the dataset is the same with plans or without.
            history = history with { ActionPlan = ActionPlanSimulation.Run(history, truth, _end, unchecked((_seed * 397) ^ 0x5A17)) };
        }

        return new Output(history, people, _forms, truth);
    }

    private void Schedule()
    {
        var perMonth = _options.MeetingsPerMonth;
        var weekday = (DayOfWeek)_random.Next((int)DayOfWeek.Tuesday, (int)DayOfWeek.Friday);
        var week = _random.Next(0, perMonth switch { 1 => 3, 2 => 2, _ => 1 });
        var (startTime, minutes) = _kind == SyntheticPartnershipKind.LargeNetwork
            ? (_random.Next(2) == 0 ? new TimeOnly(9, 0) : new TimeOnly(13, 30), 180)
            : (_random.Next(3) switch { 0 => new TimeOnly(9, 30), 1 => new TimeOnly(13, 30), _ => new TimeOnly(18, 30) }, 120);
        var slots = new List<(DateOnly Day, string Title, MeetingKind Kind)>();
        for (var month = new DateOnly(_options.Start.Year, _options.Start.Month, 1); month < _end; month = month.AddMonths(1))
        {
            var count = !_options.SummerDip ? perMonth : month.Month switch { 7 => 0, 8 => (perMonth + 1) / 2, _ => perMonth };
            for (var k = 0; k < count; k++)
            {
                var day = month.AddDays((k * 28 / perMonth) + (7 * week));
                day = day.AddDays(((int)weekday - (int)day.DayOfWeek + 7) % 7);
                if (day < _options.Start || day >= _end)
                {
                    continue;
                }

                var assembly = _kind == SyntheticPartnershipKind.LargeNetwork && month.Month == 6 && k == 0;
                var title = assembly
                    ? string.Create(CultureInfo.InvariantCulture, $"Assemblée générale annuelle {month.Year}")
                    : string.Create(CultureInfo.InvariantCulture, $"Rencontre régulière – {QuebecNames.MonthNames[month.Month - 1]} {month.Year}")
                        + (k == 0 ? string.Empty : string.Create(CultureInfo.InvariantCulture, $" ({k + 1})"));
                slots.Add((day, title, assembly ? MeetingKind.GeneralAssembly : MeetingKind.Regular));
            }
        }

        var width = "D" + Math.Max(3, Digits(slots.Count));
        for (var j = 0; j < slots.Count; j++)
        {
            var (day, title, kind) = slots[j];
            var id = _id + "-m" + (j + 1).ToString(width, CultureInfo.InvariantCulture);
            var start = MontrealClock.Local(day, startTime);
            var teams = _random.NextDouble() < _options.TeamsShare;
            _days.Add(day);
            _meetings.Add(new Meeting
            {
                PartnershipId = _id,
                Id = id,
                Title = title,
                Start = start,
                End = start.AddMinutes(minutes),
                Kind = kind,
                Source = teams ? MeetingSource.Teams : MeetingSource.InPerson,
                TeamsJoinUrl = teams ? "https://teams.example/l/meetup-join/" + id : null,
            });

            var followUp = _random.NextDouble() < _options.FollowUpShare;
            _followUp.Add(followUp);
            if (followUp)
            {
                _forms.Add(new FormDefinition { Id = id + "-suivi", PartnershipId = _id, Kind = FormKind.FollowUp, Title = "Suivi – " + title });
            }
        }
    }

    private List<Organization> CreateOrganizations(string place)
    {
        var size = _kind == SyntheticPartnershipKind.LargeNetwork ? _options.LargeNetworkSize : _options.CommitteeSize;
        var count = _random.Next(size.Min, size.Max + 1);
        var width = "D" + Math.Max(2, Digits(Math.Max(_options.LargeNetworkSize.Max, _options.CommitteeSize.Max)));
        var taken = new HashSet<string>(StringComparer.Ordinal);
        var organizations = new List<Organization>(count);
        _organizations = new OrganizationState[count];
        _attendance = new List<Attendance>(_days.Count * count);
        for (var i = 0; i < count; i++)
        {
            var coordinator = i == 0;
            string name;
            Sector sector;
            if (coordinator)
            {
                (name, sector) = QuebecNames.Coordinator(_kind, place);
                taken.Add(name);
            }
            else
            {
                sector = QuebecNames.NextSector(_random);
                name = QuebecNames.OrganizationName(sector, place, _random, taken);
            }

            var id = _id + "-org" + (i + 1).ToString(width, CultureInfo.InvariantCulture);
            organizations.Add(new Organization { PartnershipId = _id, Id = id, Name = name, Sector = sector });

            var state = new OrganizationState(id, coordinator, _days.Count)
            {
                Baseline = coordinator
                    ? CoordinatorBaseline
                    : _strength + (_kind == SyntheticPartnershipKind.Committee ? CommitteeBonus : 0) + SectorEffect(sector) + (OrganizationSd * Normal()),
            };
            state.Walk = WalkSd / Math.Sqrt(1 - (WalkPersistence * WalkPersistence)) * Normal();
            _organizations[i] = state;

            // Representatives usually started before the simulated period.
            StartRepresentative(state, _options.Start.AddDays(-_random.Next(0, 3 * 365)), 0, afterTurnover: false);
            if (!coordinator && _random.NextDouble() < _options.DriftShare)
            {
                // Leave about six months before the drift and let the decline end by the end of the period when it can.
                var months = _random.Next(6, 13);
                var earliest = Math.Min(6, _options.Months / 3);
                var latest = Math.Max(earliest, _options.Months - months);
                var start = _options.Start.AddMonths(_random.Next(earliest, latest + 1)).AddDays(_random.Next(0, 28));
                StartDrift(state, start, months, afterTurnover: false);
            }
        }

        return organizations;
    }

    private static double SectorEffect(Sector sector) => sector switch
    {
        // Public-sector staff attend as part of their job; businesses and citizens attend on their own time.
        Sector.HealthSocialServices => 0.2,
        Sector.Municipal => 0.1,
        Sector.Business => -0.4,
        Sector.Citizen => -0.2,
        _ => 0,
    };

    private void Simulate()
    {
        var waves = new List<DateOnly>();
        if (_options.DiagnosticWaves)
        {
            for (var open = _options.Start.AddMonths(2); open < _end; open = open.AddMonths(12))
            {
                waves.Add(open);
            }
        }

        var nextWave = 0;
        for (var j = 0; j < _days.Count; j++)
        {
            var day = _days[j];
            while (nextWave < waves.Count && waves[nextWave] <= day)
            {
                DiagnosticWave(waves[nextWave++]);
            }

            var meeting = _meetings[j];
            var common = MeetingNoiseSd * Normal();
            var summer = _options.SummerDip && day.Month is 7 or 8 ? SummerDrop : 0;
            var teams = meeting.Source == MeetingSource.Teams;
            var seconds = (int)(meeting.End - meeting.Start).TotalSeconds;
            var followUpForm = _followUp[j] ? meeting.Id + "-suivi" : null;
            var monthsSincePrevious = j == 0 ? 0 : (day.DayNumber - _days[j - 1].DayNumber) / DaysPerMonth;
            var turnover = j == 0 ? 0 : 1 - Math.Pow(1 - _options.TurnoverRate, monthsSincePrevious);

            foreach (var state in _organizations)
            {
                state.Walk = (WalkPersistence * state.Walk) + (WalkSd * Normal());
                var latent = Latent(state, day);
                var engagement = Logistic(latent);
                state.Engagement[j] = engagement;

                if (state.HasRepresentative && state.RepresentativeMeetings > 0 && _random.NextDouble() < turnover)
                {
                    Turnover(state, j);
                }

                if (!state.HasRepresentative)
                {
                    state.Probability[j] = 0;
                    if (state.VacantMeetingsLeft > 0 && --state.VacantMeetingsLeft == 0)
                    {
                        StartRepresentative(state, day.AddDays(1), j + 1, afterTurnover: true);
                    }

                    continue;
                }

                var shock = state.MeetingsSinceJoin < ShockMeetings
                    ? NewRepresentativeShock * (ShockMeetings - state.MeetingsSinceJoin) / ShockMeetings
                    : 0;
                var probability = Logistic(latent + common - shock - summer);
                state.Probability[j] = probability;
                var present = _random.NextDouble() < probability;
                var status = present ? AttendanceStatus.Present
                    : _random.NextDouble() < 0.15 + (0.5 * engagement) ? AttendanceStatus.Excused : AttendanceStatus.Absent;
                int? attended = null;
                if (present && teams)
                {
                    // Engaged representatives stay for the whole meeting; others join late or leave early.
                    attended = (int)(seconds * Math.Clamp(0.35 + (0.6 * probability) + (0.12 * Normal()), 0.05, 1));
                }

                _attendance.Add(new Attendance
                {
                    PartnershipId = _id,
                    MeetingId = meeting.Id,
                    PersonId = state.PersonId,
                    Status = status,
                    SecondsAttended = attended,
                });
                state.RepresentativeMeetings++;
                state.MeetingsSinceJoin++;

                if (followUpForm is not null && _random.NextDouble() < (present ? 0.2 + (0.7 * engagement) : 0.05 + (0.35 * engagement)))
                {
                    var satisfaction = Math.Clamp((int)Math.Round(1 + (4 * engagement) + (0.8 * Normal())), 1, 5);
                    _submissions.Add(new FormSubmission
                    {
                        PartnershipId = _id,
                        FormId = followUpForm,
                        ResponseId = state.PersonId,
                        Kind = FormKind.FollowUp,
                        RespondentPersonId = state.PersonId,
                        SubmittedAt = MontrealClock.ToLocal(meeting.End.AddMinutes(30 + _random.Next(0, 72 * 60))),
                        Answers = FollowUpAnswers[satisfaction - 1],
                    });
                }
            }
        }

        while (nextWave < waves.Count)
        {
            DiagnosticWave(waves[nextWave++]);
        }
    }

    private static double Latent(OrganizationState state, DateOnly day)
    {
        var latent = state.Baseline + state.Walk;
        if (state.Drifts && day > state.DriftStart)
        {
            var progress = Math.Min(1, (day.DayNumber - state.DriftStart.DayNumber) / (state.DriftMonths * DaysPerMonth));
            latent -= state.DriftDepth * progress;
        }

        return latent;
    }

    /// <summary>The representative leaves between the previous meeting and meeting <paramref name="j"/>.</summary>
    private void Turnover(OrganizationState state, int j)
    {
        var previous = _days[j - 1];
        var gap = _days[j].DayNumber - previous.DayNumber;
        var leave = previous.AddDays(1 + _random.Next(0, Math.Max(1, gap - 1)));
        var vacancy = _random.Next(0, _options.MaxVacancyMeetings + 1);
        state.Representations.Add(Representation(state, leave));
        state.Events.Add(new SyntheticEvent
        {
            Kind = SyntheticEventKind.RepresentativeLeft,
            Date = leave,
            MeetingIndex = j,
            PersonId = state.PersonId,
            VacancyMeetings = vacancy,
        });
        state.HasRepresentative = false;
        if (vacancy == 0)
        {
            StartRepresentative(state, leave.AddDays(1), j, afterTurnover: true);
        }
        else
        {
            state.VacantMeetingsLeft = vacancy;
        }
    }

    /// <summary>A new representative starts on <paramref name="from"/>; their first meeting is <paramref name="firstMeeting"/>.</summary>
    private void StartRepresentative(OrganizationState state, DateOnly from, int firstMeeting, bool afterTurnover)
    {
        state.VacantMeetingsLeft = 0;
        if (firstMeeting >= _days.Count)
        {
            // The vacancy outlasts the period.
            return;
        }

        state.RepresentativeNumber++;
        var number = state.RepresentativeNumber.ToString(CultureInfo.InvariantCulture);
        state.PersonId = state.Id + "-rep" + number;
        state.From = from;
        state.HasRepresentative = true;
        state.RepresentativeMeetings = 0;
        state.MeetingsSinceJoin = afterTurnover ? 0 : int.MaxValue / 2;
        var (displayName, email) = QuebecNames.PersonName(_random, state.Id["syn-".Length..].Replace("-", string.Empty, StringComparison.Ordinal) + "r" + number);
        state.People.Add(new Person { PartnershipId = _id, Id = state.PersonId, DisplayName = displayName, Email = email });
        if (!afterTurnover)
        {
            return;
        }

        state.Events.Add(new SyntheticEvent
        {
            Kind = SyntheticEventKind.RepresentativeJoined,
            Date = from,
            MeetingIndex = firstMeeting,
            PersonId = state.PersonId,
        });

        // A new representative who does not take to the partnership is how many organisations drift away.
        if (!state.IsCoordinator && !state.Drifts && _random.NextDouble() < _options.TurnoverDriftProbability)
        {
            StartDrift(state, from, _random.Next(6, 13), afterTurnover: true);
        }
    }

    private void StartDrift(OrganizationState state, DateOnly start, int months, bool afterTurnover)
    {
        state.Drifts = true;
        state.DriftStart = start;
        state.DriftMonths = months;
        state.DriftDepth = DriftDepthMin + ((DriftDepthMax - DriftDepthMin) * _random.NextDouble());
        state.DriftAfterTurnover = afterTurnover;
        var index = 0;
        while (index < _days.Count && _days[index] < start)
        {
            index++;
        }

        state.Events.Add(new SyntheticEvent { Kind = SyntheticEventKind.DriftStarted, Date = start, MeetingIndex = index });
    }

    private void DiagnosticWave(DateOnly open)
    {
        var formId = _id + "-cacis-" + open.Year.ToString(CultureInfo.InvariantCulture);
        _forms.Add(new FormDefinition
        {
            Id = formId,
            PartnershipId = _id,
            Kind = FormKind.Diagnostic,
            Title = "Autodiagnostic du partenariat (CACIS) " + open.Year.ToString(CultureInfo.InvariantCulture),
            Diagnostic = DiagnosticSheet.Mapping,
        });

        foreach (var state in _organizations)
        {
            if (!state.HasRepresentative || state.From > open)
            {
                continue;
            }

            var latent = Latent(state, open);
            if (_random.NextDouble() >= 0.3 + (0.6 * Logistic(latent)))
            {
                continue;
            }

            var answers = new byte[Cacis.ItemCount];
            for (var i = 0; i < answers.Length; i++)
            {
                var score = (0.5 * latent) + (0.7 * _strength) + ItemEffects[i] + (0.7 * Normal());
                answers[i] = (byte)(score > DiagnosticAThreshold ? DiagnosticAnswer.A
                    : score < DiagnosticCThreshold ? DiagnosticAnswer.C : DiagnosticAnswer.B);
            }

            var sheet = new DiagnosticSheet(answers);
            var submitted = MontrealClock.Local(open.AddDays(_random.Next(0, 21)), new TimeOnly(8, 0).AddMinutes(_random.Next(0, 12 * 60)));
            _submissions.Add(new FormSubmission
            {
                PartnershipId = _id,
                FormId = formId,
                ResponseId = state.PersonId,
                Kind = FormKind.Diagnostic,
                RespondentPersonId = state.PersonId,
                SubmittedAt = submitted,
                Answers = sheet.Answers,
                DiagnosticItems = sheet.Items,
            });
        }
    }

    private Representation Representation(OrganizationState state, DateOnly? to) => new()
    {
        PartnershipId = _id,
        Id = state.PersonId,
        OrganizationId = state.Id,
        PersonId = state.PersonId,
        Role = state.IsCoordinator ? RepresentationRole.Coordinator : RepresentationRole.Representative,
        From = state.From,
        To = to,
    };

    private double Normal()
    {
        if (_spareNormal is { } spare)
        {
            _spareNormal = null;
            return spare;
        }

        // Box–Muller: our own, so the stream of values never changes with a library version.
        var u1 = 1.0 - _random.NextDouble();
        var u2 = _random.NextDouble();
        var radius = Math.Sqrt(-2.0 * Math.Log(u1));
        _spareNormal = radius * Math.Sin(2.0 * Math.PI * u2);
        return radius * Math.Cos(2.0 * Math.PI * u2);
    }

    private static double Logistic(double x) => 1.0 / (1.0 + Math.Exp(-x));

    private static int Digits(int value) => value.ToString(CultureInfo.InvariantCulture).Length;

    private sealed class OrganizationState(string id, bool isCoordinator, int meetings)
    {
        public string Id { get; } = id;
        public bool IsCoordinator { get; } = isCoordinator;
        public double[] Engagement { get; } = new double[meetings];
        public double[] Probability { get; } = new double[meetings];
        public List<SyntheticEvent> Events { get; } = [];
        public List<Representation> Representations { get; } = [];
        public List<Person> People { get; } = [];
        public double Baseline { get; init; }
        public double Walk { get; set; }
        public bool HasRepresentative { get; set; }
        public string PersonId { get; set; } = string.Empty;
        public int RepresentativeNumber { get; set; }
        public DateOnly From { get; set; }
        public int RepresentativeMeetings { get; set; }
        public int MeetingsSinceJoin { get; set; }
        public int VacantMeetingsLeft { get; set; }
        public bool Drifts { get; set; }
        public DateOnly DriftStart { get; set; }
        public int DriftMonths { get; set; }
        public double DriftDepth { get; set; }
        public bool DriftAfterTurnover { get; set; }
    }
}
