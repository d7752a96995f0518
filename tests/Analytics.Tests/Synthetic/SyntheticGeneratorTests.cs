using System.Diagnostics;
using System.Text.Json;
using Engagement.Analytics.Synthetic;
using Engagement.Core.Domain;
using Engagement.Core.Validation;
using Xunit.Abstractions;

namespace Engagement.Analytics.Tests.Synthetic;

public class SyntheticGeneratorTests(ITestOutputHelper output)
{
    private static readonly SyntheticOptions Small = new() { Seed = 7, Partnerships = 8 };

    [Fact]
    public void Generate_SameOptionsAndSeed_ProducesIdenticalJson()
    {
        var first = JsonSerializer.Serialize(SyntheticGenerator.Generate(Small));
        var second = JsonSerializer.Serialize(SyntheticGenerator.Generate(Small with { }));

        Assert.Equal(first, second);
    }

    [Fact]
    public void Generate_DifferentSeed_ProducesDifferentJson()
    {
        var first = JsonSerializer.Serialize(SyntheticGenerator.Generate(Small));
        var second = JsonSerializer.Serialize(SyntheticGenerator.Generate(Small with { Seed = 8 }));

        Assert.NotEqual(first, second);
    }

    [Fact]
    public void Generate_DefaultOptions_StartsOnStartDateAndEndsWithinMonths()
    {
        var dataset = SyntheticGenerator.Generate(new SyntheticOptions());
        var meetings = dataset.Partnerships.SelectMany(p => p.Meetings).ToList();

        Assert.Equal(6, dataset.Partnerships.Count);
        Assert.All(meetings, m => Assert.InRange(OrganizationAttendance.Day(m), new DateOnly(2023, 9, 1), new DateOnly(2026, 2, 28)));
        Assert.All(dataset.Partnerships, p => Assert.Equal(p.Meetings.OrderBy(m => m.Start).Select(m => m.Id), p.Meetings.Select(m => m.Id)));
        // 30 months, one meeting a month, none in July: 28 meetings (2 Julys).
        Assert.All(dataset.Partnerships, p => Assert.Equal(28, p.Meetings.Count));
    }

    [Theory]
    [InlineData(0.35, 7)]
    [InlineData(0.0, 0)]
    [InlineData(1.0, 20)]
    public void Generate_KindMix_SizesWithinRangeOfEachKind(double share, int expectedNetworks)
    {
        var options = new SyntheticOptions { Seed = 3, Partnerships = 20, LargeNetworkShare = share };
        var dataset = SyntheticGenerator.Generate(options);

        var truths = dataset.GroundTruth.Partnerships;
        Assert.Equal(expectedNetworks, truths.Count(t => t.Kind == SyntheticPartnershipKind.LargeNetwork));
        for (var i = 0; i < dataset.Partnerships.Count; i++)
        {
            var history = dataset.Partnerships[i];
            var range = truths[i].Kind == SyntheticPartnershipKind.LargeNetwork ? options.LargeNetworkSize : options.CommitteeSize;
            Assert.InRange(history.Organizations.Count, range.Min, range.Max);
            var peoplePerMeeting = history.Attendance.GroupBy(a => a.MeetingId).Select(g => g.Count()).ToList();
            Assert.All(peoplePerMeeting, n => Assert.InRange(n, 1, range.Max));
            Assert.InRange(peoplePerMeeting.Average(), range.Min * 0.8, range.Max);
        }
    }

    [Fact]
    public void Generate_CustomSizes_AreRespected()
    {
        var dataset = SyntheticGenerator.Generate(new SyntheticOptions
        {
            Partnerships = 10,
            LargeNetworkSize = new(30, 31),
            CommitteeSize = new(4, 4),
            LargeNetworkShare = 0.5,
        });

        Assert.Equal(5, dataset.Partnerships.Count(p => p.Organizations.Count == 4));
        Assert.Equal(5, dataset.Partnerships.Count(p => p.Organizations.Count is 30 or 31));
    }

    [Fact]
    public void Generate_AnyDataset_AllIdsAreValidTableKeys()
    {
        var dataset = SyntheticGenerator.Generate(Small with { Partnerships = 12 });

        var ids = new List<string>();
        foreach (var history in dataset.Partnerships)
        {
            ids.Add(history.Partnership.Id);
            ids.AddRange(history.Organizations.Select(o => o.Id));
            ids.AddRange(history.Representations.SelectMany(r => new[] { r.Id, r.PersonId, r.OrganizationId }));
            ids.AddRange(history.Meetings.Select(m => m.Id));
            ids.AddRange(history.Attendance.SelectMany(a => new[] { a.MeetingId, a.PersonId }));
            ids.AddRange(history.Submissions.SelectMany(s => new[] { s.FormId, s.ResponseId, s.RespondentPersonId! }));
        }

        ids.AddRange(dataset.People.Select(p => p.Id));
        ids.AddRange(dataset.Forms.Select(f => f.Id));
        Assert.All(ids.Distinct(), id => Assert.True(Check.IsValidId(id, out var reason), $"{id}: {reason}"));
        Assert.All(dataset.Partnerships, p => Assert.StartsWith("syn-p", p.Partnership.Id, StringComparison.Ordinal));
    }

    [Fact]
    public void Generate_AnyDataset_IdsAreUniqueWithinTheirPartnership()
    {
        var dataset = SyntheticGenerator.Generate(Small);

        foreach (var history in dataset.Partnerships)
        {
            Assert.Equal(history.Organizations.Count, history.Organizations.Select(o => o.Id).Distinct().Count());
            Assert.Equal(history.Meetings.Count, history.Meetings.Select(m => m.Id).Distinct().Count());
            Assert.Equal(history.Representations.Count, history.Representations.Select(r => r.Id).Distinct().Count());
            Assert.Equal(history.Attendance.Count, history.Attendance.Select(a => (a.MeetingId, a.PersonId)).Distinct().Count());
            Assert.Equal(history.Submissions.Count, history.Submissions.Select(s => (s.FormId, s.ResponseId)).Distinct().Count());
        }

        Assert.Equal(dataset.People.Count, dataset.People.Select(p => p.Email).Distinct().Count());
    }

    [Fact]
    public void Generate_AnyDataset_NamesAreMarkedSyntheticAndEmailsUndeliverable()
    {
        var dataset = SyntheticGenerator.Generate(Small);

        Assert.All(dataset.Partnerships, p => Assert.StartsWith("[Synthétique] ", p.Partnership.Name, StringComparison.Ordinal));
        Assert.All(dataset.People, p => Assert.EndsWith("@synthetique.example", p.Email, StringComparison.Ordinal));
        Assert.All(dataset.People, p => Assert.True(Check.IsEmail(p.Email!), p.Email));
        Assert.All(dataset.Partnerships.SelectMany(p => p.Partnership.CoordinatorEmails), e => Assert.True(Check.IsEmail(e), e));
        Assert.All(dataset.Partnerships.SelectMany(p => p.Meetings).Where(m => m.TeamsJoinUrl is not null),
            m => Assert.StartsWith("https://teams.example/", m.TeamsJoinUrl, StringComparison.Ordinal));
    }

    [Fact]
    public void Generate_ManyPartnerships_OrganizationNamesAreQuebecFlavouredAndSectorsSpread()
    {
        var dataset = SyntheticGenerator.Generate(Small with { Partnerships = 20 });
        var organizations = dataset.Partnerships.SelectMany(p => p.Organizations).ToList();

        Assert.Equal(Enum.GetValues<Sector>().Length, organizations.Select(o => o.Sector).Distinct().Count());
        Assert.Contains(organizations, o => o.Name.StartsWith("CDC ", StringComparison.Ordinal));
        Assert.Contains(organizations, o => o.Name.StartsWith("Ville ", StringComparison.Ordinal));
        Assert.Contains(organizations, o => o.Name.StartsWith("Maison des jeunes ", StringComparison.Ordinal));
        Assert.Contains(organizations, o => o.Name.StartsWith("CIUSSS ", StringComparison.Ordinal) || o.Name.StartsWith("CISSS ", StringComparison.Ordinal));
        Assert.All(dataset.Partnerships, p => Assert.Equal(p.Organizations.Count, p.Organizations.Select(o => o.Name).Distinct().Count()));
    }

    [Fact]
    public void Generate_AnyDataset_AttendanceReferencesMeetingAndPersonActiveThatDay()
    {
        var dataset = SyntheticGenerator.Generate(Small with { Partnerships = 12, TurnoverRate = 0.1 });
        var people = dataset.People.Select(p => (p.PartnershipId, p.Id)).ToHashSet();

        foreach (var history in dataset.Partnerships)
        {
            var meetings = history.Meetings.ToDictionary(m => m.Id, StringComparer.Ordinal);
            var representations = history.Representations.ToLookup(r => r.PersonId, StringComparer.Ordinal);
            foreach (var attendance in history.Attendance)
            {
                Assert.Equal(history.Partnership.Id, attendance.PartnershipId);
                Assert.True(meetings.TryGetValue(attendance.MeetingId, out var meeting), attendance.MeetingId);
                Assert.Contains((history.Partnership.Id, attendance.PersonId), people);
                var day = OrganizationAttendance.Day(meeting);
                Assert.Single(representations[attendance.PersonId], r => r.IsActiveOn(day));
            }

            foreach (var submission in history.Submissions)
            {
                Assert.Contains((history.Partnership.Id, submission.RespondentPersonId!), people);
            }
        }
    }

    [Fact]
    public void Generate_AnyDataset_EveryPersonRepresentsExactlyOnce()
    {
        var dataset = SyntheticGenerator.Generate(Small);
        var representations = dataset.Partnerships.SelectMany(p => p.Representations).ToList();

        Assert.Equal(dataset.People.Count, representations.Count);
        Assert.Equal(
            dataset.People.Select(p => (p.PartnershipId, p.Id)).Order(),
            representations.Select(r => (r.PartnershipId, r.PersonId)).Order());
        foreach (var history in dataset.Partnerships)
        {
            var coordinator = history.Organizations[0].Id;
            Assert.All(history.Representations, r => Assert.Equal(
                r.OrganizationId == coordinator ? RepresentationRole.Coordinator : RepresentationRole.Representative, r.Role));
        }

        Assert.All(dataset.GroundTruth.Partnerships, p => Assert.Equal(0, p.Organizations.ToList().FindIndex(o => o.IsCoordinator)));
    }

    [Fact]
    public void Generate_WithTurnover_RepresentationsOfOneOrganizationDoNotOverlapAndSometimesLeaveAVacancy()
    {
        var dataset = SyntheticGenerator.Generate(Small with { Partnerships = 12, TurnoverRate = 0.05 });
        var vacancies = 0;
        var handovers = 0;

        foreach (var history in dataset.Partnerships)
        {
            var days = history.Meetings.Select(OrganizationAttendance.Day).ToList();
            foreach (var group in history.Representations.GroupBy(r => r.OrganizationId))
            {
                var ordered = group.OrderBy(r => r.From).ToList();
                Assert.All(ordered, r => Assert.True(r.To is null || r.To >= r.From));
                for (var i = 1; i < ordered.Count; i++)
                {
                    var previous = ordered[i - 1];
                    Assert.NotNull(previous.To);
                    Assert.True(previous.To < ordered[i].From, $"{previous.Id} overlaps {ordered[i].Id}");
                    if (days.Any(d => d > previous.To && d < ordered[i].From))
                    {
                        vacancies++;
                    }
                    else
                    {
                        handovers++;
                    }
                }

                Assert.All(ordered.SkipLast(1), r => Assert.NotNull(r.To));
            }
        }

        Assert.True(vacancies > 10, $"{vacancies} vacancies");
        Assert.True(handovers > 5, $"{handovers} handovers without a missed meeting");
    }

    [Fact]
    public void Generate_TurnoverEvents_MatchRepresentations()
    {
        var dataset = SyntheticGenerator.Generate(Small with { Partnerships = 12, TurnoverRate = 0.05 });

        for (var p = 0; p < dataset.Partnerships.Count; p++)
        {
            var history = dataset.Partnerships[p];
            foreach (var truth in dataset.GroundTruth.Partnerships[p].Organizations)
            {
                var representations = history.Representations.Where(r => r.OrganizationId == truth.OrganizationId).OrderBy(r => r.From).ToList();
                var left = truth.Events.Where(e => e.Kind == SyntheticEventKind.RepresentativeLeft).ToList();
                var joined = truth.Events.Where(e => e.Kind == SyntheticEventKind.RepresentativeJoined).ToList();
                Assert.Equal(representations.Count - 1, joined.Count);
                Assert.InRange(left.Count, joined.Count, joined.Count + 1);
                Assert.Equal(left.Select(e => (DateOnly?)e.Date), representations.Where(r => r.To is not null).Select(r => r.To));
                Assert.Equal(joined.Select(e => e.Date), representations.Skip(1).Select(r => r.From));
                Assert.Equal(truth.Events.OrderBy(e => e.Date).ThenBy(e => e.Kind), truth.Events);
                Assert.All(left, e => Assert.InRange(e.VacancyMeetings, 0, 3));
            }
        }
    }

    [Fact]
    public void Generate_GroundTruth_AlignsWithMeetingsAndVacancies()
    {
        var dataset = SyntheticGenerator.Generate(Small with { TurnoverRate = 0.05 });

        for (var p = 0; p < dataset.Partnerships.Count; p++)
        {
            var history = dataset.Partnerships[p];
            var truth = dataset.GroundTruth.Partnerships[p];
            var attendance = OrganizationAttendance.Of(history);
            Assert.Equal(history.Partnership.Id, truth.PartnershipId);
            Assert.Equal(history.Organizations.Select(o => o.Id), truth.Organizations.Select(o => o.OrganizationId));
            foreach (var organization in truth.Organizations)
            {
                Assert.Same(organization, dataset.GroundTruth.Find(history.Partnership.Id, organization.OrganizationId));
                Assert.Equal(history.Meetings.Count, organization.Engagement.Count);
                Assert.Equal(history.Meetings.Count, organization.AttendanceProbability.Count);
                Assert.All(organization.Engagement, e => Assert.InRange(e, 0.0, 1.0));
                var rows = attendance[organization.OrganizationId];
                for (var j = 0; j < rows.Length; j++)
                {
                    Assert.Equal(rows[j] < 0, organization.AttendanceProbability[j] == 0);
                }
            }
        }

        Assert.Null(dataset.GroundTruth.Find("syn-p01", "nobody"));
    }

    [Fact]
    public void Generate_SummerDip_NoMeetingInJulyAndFewerInAugust()
    {
        var dataset = SyntheticGenerator.Generate(Small with { MeetingsPerMonth = 2 });
        var byMonth = dataset.Partnerships.SelectMany(p => p.Meetings).GroupBy(m => m.Start.Month).ToDictionary(g => g.Key, g => g.Count());

        Assert.False(byMonth.ContainsKey(7));
        Assert.True(byMonth[8] < byMonth[9], $"August {byMonth[8]}, September {byMonth[9]}");
        Assert.True(byMonth[8] < byMonth[6], $"August {byMonth[8]}, June {byMonth[6]}");
    }

    [Fact]
    public void Generate_SummerDipOff_MeetsEveryMonth()
    {
        var dataset = SyntheticGenerator.Generate(Small with { SummerDip = false });

        Assert.All(dataset.Partnerships, p => Assert.Equal(30, p.Meetings.Count));
        Assert.Contains(dataset.Partnerships[0].Meetings, m => m.Start.Month == 7);
    }

    [Fact]
    public void Generate_Timestamps_CarryMontrealOffsetMinusFiveInJanuaryAndMinusFourInJuly()
    {
        var dataset = SyntheticGenerator.Generate(Small with { SummerDip = false });
        var meetings = dataset.Partnerships.SelectMany(p => p.Meetings).ToList();

        Assert.All(meetings.Where(m => m.Start.Month == 1), m => Assert.Equal(TimeSpan.FromHours(-5), m.Start.Offset));
        Assert.All(meetings.Where(m => m.Start.Month == 7), m => Assert.Equal(TimeSpan.FromHours(-4), m.Start.Offset));
        Assert.Contains(meetings, m => m.Start.Month == 1);
        Assert.Contains(meetings, m => m.Start.Month == 7);
        Assert.All(meetings, m => Assert.Equal(m.Start.Offset, m.End.Offset));
        Assert.All(dataset.Partnerships.SelectMany(p => p.Submissions),
            s => Assert.Equal(MontrealClock.ToLocal(s.SubmittedAt).Offset, s.SubmittedAt.Offset));
    }

    [Fact]
    public void Generate_TeamsMeetings_PresentAttendeesHaveSecondsAttendedWithinTheMeeting()
    {
        var dataset = SyntheticGenerator.Generate(Small with { TeamsShare = 0.5 });
        var teams = 0;

        foreach (var history in dataset.Partnerships)
        {
            var meetings = history.Meetings.ToDictionary(m => m.Id, StringComparer.Ordinal);
            foreach (var attendance in history.Attendance)
            {
                var meeting = meetings[attendance.MeetingId];
                if (meeting.Source == MeetingSource.Teams && attendance.Status == AttendanceStatus.Present)
                {
                    teams++;
                    Assert.InRange(attendance.SecondsAttended!.Value, 1, (int)(meeting.End - meeting.Start).TotalSeconds);
                }
                else
                {
                    Assert.Null(attendance.SecondsAttended);
                }
            }

            Assert.All(history.Meetings, m => Assert.Equal(m.Source == MeetingSource.Teams, m.TeamsJoinUrl is not null));
        }

        Assert.True(teams > 100, $"{teams} Teams attendances");
    }

    [Fact]
    public void Generate_DiagnosticWaves_OnePerYearWithEighteenItems()
    {
        var dataset = SyntheticGenerator.Generate(Small);

        foreach (var history in dataset.Partnerships)
        {
            var waves = history.Submissions.Where(s => s.Kind == FormKind.Diagnostic).GroupBy(s => s.FormId).ToList();
            Assert.Equal(3, waves.Count); // November 2023, 2024 and 2025
            Assert.All(waves.SelectMany(w => w), s =>
            {
                Assert.Equal(18, s.DiagnosticItems!.Count);
                Assert.Equal(Enumerable.Range(1, 18), s.DiagnosticItems.Keys.Order());
                Assert.Equal(18, s.Answers.Count);
                Assert.Equal(s.DiagnosticItems[3].ToString(), Assert.Single(s.Answers["q3"]));
            });
        }

        var mapping = Assert.Single(dataset.Forms.Where(f => f.Kind == FormKind.Diagnostic).Select(f => f.Diagnostic).Distinct());
        Assert.Equal(18, mapping!.Items.Count);
        Assert.True(mapping.TryMapAnswer("C", out var answer) && answer == DiagnosticAnswer.C);
    }

    [Fact]
    public void Generate_FollowUpForms_SubmissionsAnswerRegisteredFormsAfterTheMeeting()
    {
        var dataset = SyntheticGenerator.Generate(Small);
        var forms = dataset.Forms.ToDictionary(f => f.Id, StringComparer.Ordinal);

        foreach (var history in dataset.Partnerships)
        {
            var meetings = history.Meetings.ToDictionary(m => m.Id + "-suivi", StringComparer.Ordinal);
            foreach (var submission in history.Submissions)
            {
                Assert.True(forms.TryGetValue(submission.FormId, out var form), submission.FormId);
                Assert.Equal(form.Kind, submission.Kind);
                Assert.Equal(history.Partnership.Id, form.PartnershipId);
                if (submission.Kind == FormKind.FollowUp)
                {
                    Assert.True(submission.SubmittedAt > meetings[submission.FormId].End);
                }
            }
        }

        var followUps = dataset.Forms.Count(f => f.Kind == FormKind.FollowUp);
        var meetingCount = dataset.Partnerships.Sum(p => p.Meetings.Count);
        Assert.InRange(followUps, meetingCount * 0.35, meetingCount * 0.65);
    }

    [Fact]
    public void Generate_InvalidOptions_ReportsEveryProblemAtOnce()
    {
        var options = new SyntheticOptions
        {
            Partnerships = 0,
            Months = 0,
            MeetingsPerMonth = 5,
            Start = new DateOnly(2001, 1, 1),
            TurnoverRate = double.NaN,
            DriftShare = 1.5,
            TeamsShare = -0.1,
            CommitteeSize = new(10, 5),
            LargeNetworkSize = new(25, 500),
            MaxVacancyMeetings = -1,
        };

        var exception = Assert.Throws<ValidationFailedException>(() => SyntheticGenerator.Generate(options));

        var fields = exception.Errors.ToDictionary().Keys.Order().ToList();
        Assert.Equal(
            new[] { "CommitteeSize", "DriftShare", "LargeNetworkSize", "MaxVacancyMeetings", "MeetingsPerMonth", "Months", "Partnerships", "Start", "TeamsShare", "TurnoverRate" },
            fields);
        Assert.All(fields, f => Assert.Contains($"'{f}'", exception.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_TooManyRows_IsRefused()
    {
        var options = new SyntheticOptions { Partnerships = 10_000, Months = 600, MeetingsPerMonth = 4 };

        var exception = Assert.Throws<ValidationFailedException>(options.Validate);

        Assert.True(exception.Errors.Contains("Partnerships"));
    }

    [Fact]
    public void Validate_Defaults_AreValid()
    {
        new SyntheticOptions().Validate();
    }

    [Fact]
    public void Generate_OneMillionRowCase_HasAboutOneMillionRows()
    {
        // 400 partnerships of 25 organisations, about 100 meetings each (110 months less the Julys).
        var options = new SyntheticOptions
        {
            Seed = 2024,
            Partnerships = 400,
            LargeNetworkShare = 1,
            LargeNetworkSize = new(25, 25),
            Months = 110,
        };

        var stopwatch = Stopwatch.StartNew();
        var dataset = SyntheticGenerator.Generate(options);
        stopwatch.Stop();

        var rows = dataset.Partnerships.Sum(p => (long)p.Attendance.Count);
        output.WriteLine($"{rows:N0} attendance rows, {dataset.Partnerships.Sum(p => p.Submissions.Count):N0} submissions in {stopwatch.ElapsedMilliseconds} ms (Debug build, not a benchmark)");
        Assert.Equal(10_000, dataset.Partnerships.Sum(p => p.Organizations.Count));
        Assert.InRange(rows, 900_000, 1_050_000);
    }
}
