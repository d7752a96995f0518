using Engagement.Core.Domain;
using Engagement.Core.Storage;
using Engagement.Tests;

namespace Engagement.Storage.Tests.Contract;

/// <summary>Makes the ports of one backend for one test, and removes what it made afterwards.</summary>
public interface IStoreBackend : IAsyncDisposable
{
    /// <summary>Empty stores, owned by the current test, that read <paramref name="time"/> as their clock.</summary>
    Task<EngagementStores> CreateAsync(TimeProvider time);

    /// <summary>
    /// Stores partnership <paramref name="id"/> as the versions before the alert e-mail setting left it (no value for
    /// it), beside the ports; called before the stores are first used.
    /// </summary>
    Task WriteLegacyPartnershipAsync(string id, string name);
}

/// <summary>
/// What the per-port contract suites share: a fresh backend per test and the data builders. A backend subclasses each
/// suite with its <see cref="IStoreBackend"/>; nothing in a suite may depend on a backend beyond the ports.
/// </summary>
public abstract class StoreContract(IStoreBackend backend) : IAsyncLifetime
{
    protected const string P = "table-hochelaga";
    protected static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    protected static readonly TimeSpan Montreal = TimeSpan.FromHours(-5);

    private EngagementStores? _stores;

    /// <summary>The clock the stores under test read.</summary>
    protected ManualTimeProvider Time { get; } = new(T0);

    /// <summary>The backend under test, for what the ports cannot do (data as earlier versions stored it).</summary>
    protected IStoreBackend Backend => backend;

    /// <summary>The ports under test, fresh and empty for each test.</summary>
    protected EngagementStores Stores => _stores ?? throw new InvalidOperationException("The stores are created in InitializeAsync.");

    public async Task InitializeAsync() => _stores = await backend.CreateAsync(Time);

    public async Task DisposeAsync() => await backend.DisposeAsync();

    // ---- data builders ----

    protected static readonly DateTimeOffset Jan13 = new(2026, 1, 13, 19, 0, 0, Montreal);
    protected static readonly DateTimeOffset Feb10 = new(2026, 2, 10, 19, 0, 0, Montreal);
    protected static readonly DateTimeOffset Mar10 = new(2026, 3, 10, 19, 0, 0, TimeSpan.FromHours(-4));

    protected static Partnership NewPartnership(string id) => new() { Id = id, Name = "Table " + id };

    protected static Organization NewOrganization(string id, string partnershipId = P) =>
        new() { PartnershipId = partnershipId, Id = id, Name = "Organisme " + id, Sector = Sector.Community };

    protected static Person NewPerson(string id, string? displayName = null, string? email = null, string partnershipId = P) =>
        new() { PartnershipId = partnershipId, Id = id, DisplayName = displayName, Email = email };

    protected static Representation NewRepresentation(string id, string organizationId, string personId, string partnershipId = P) =>
        new() { PartnershipId = partnershipId, Id = id, OrganizationId = organizationId, PersonId = personId, From = new DateOnly(2025, 9, 1) };

    protected static Meeting NewMeeting(string id, DateTimeOffset start, string partnershipId = P) =>
        new() { PartnershipId = partnershipId, Id = id, Title = "Rencontre " + id, Start = start, End = start.AddHours(2) };

    protected static Attendance NewAttendance(string meetingId, string personId, AttendanceStatus status, int? secondsAttended = null, string partnershipId = P) =>
        new() { PartnershipId = partnershipId, MeetingId = meetingId, PersonId = personId, Status = status, SecondsAttended = secondsAttended };

    protected static FormSubmission NewSubmission(string responseId, string partnershipId = P) => new()
    {
        PartnershipId = partnershipId,
        FormId = "retro",
        ResponseId = responseId,
        Kind = FormKind.Feedback,
        SubmittedAt = new DateTimeOffset(2026, 1, 14, 9, 0, 0, Montreal),
        Answers = Answers(("q1", ["Oui"]), ("q2", ["A", "B"])),
    };

    protected static Dictionary<string, IReadOnlyList<string>> Answers(params (string Key, string[] Values)[] answers) =>
        answers.ToDictionary(a => a.Key, a => (IReadOnlyList<string>)a.Values, StringComparer.Ordinal);

    protected async Task SeedPartnershipAsync(string id = P) => await Stores.Partnerships.UpsertPartnershipAsync(NewPartnership(id));

    protected async Task SeedRosterAsync()
    {
        await SeedPartnershipAsync();
        await Stores.Roster.UpsertOrganizationsAsync(P, [NewOrganization("cdc"), NewOrganization("ville")]);
        await Stores.Roster.UpsertPeopleAsync(P, [NewPerson("marie", "Marie Tremblay", "marie@example.org"), NewPerson("paul", "Paul Roy", "paul.roy@example.org")]);
    }

    protected async Task SeedWithMeetingsAsync()
    {
        await SeedRosterAsync();
        await Stores.Attendance.UpsertMeetingsAsync(P, [NewMeeting("m1", Jan13), NewMeeting("m2", Feb10), NewMeeting("m3", Mar10)]);
    }

    protected static FormDefinition DiagnosticForm() => new()
    {
        Id = "cacis-2026",
        PartnershipId = P,
        Kind = FormKind.Diagnostic,
        Title = "Autodiagnostic CACIS",
        Diagnostic = new DiagnosticMapping
        {
            Items = Enumerable.Range(1, 18).ToDictionary(i => $"r{i:00}abc", i => i, StringComparer.Ordinal),
            AnswerLabels = new Dictionary<string, DiagnosticAnswer>(StringComparer.Ordinal)
            {
                ["tout-a-fait"] = DiagnosticAnswer.A,
                ["plutot"] = DiagnosticAnswer.B,
                ["pas-du-tout"] = DiagnosticAnswer.C,
            },
        },
    };

    protected static (int, int, int) ListCounts(MeetingSummary summary) => (summary.Present, summary.Absent, summary.Excused);

    protected static void AssertSameSubmission(FormSubmission expected, FormSubmission actual)
    {
        Assert.Equal(
            (expected.PartnershipId, expected.FormId, expected.ResponseId, expected.Kind, expected.RespondentPersonId, expected.RespondentEmail),
            (actual.PartnershipId, actual.FormId, actual.ResponseId, actual.Kind, actual.RespondentPersonId, actual.RespondentEmail));
        Assert.Equal(expected.SubmittedAt, actual.SubmittedAt);
        Assert.Equal(expected.SubmittedAt.Offset, actual.SubmittedAt.Offset);
        Assert.Equal(expected.Answers.Keys.Order(StringComparer.Ordinal), actual.Answers.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, values) in expected.Answers)
        {
            Assert.Equal(values, actual.Answers[key]);
        }

        if (expected.DiagnosticItems is null)
        {
            Assert.Null(actual.DiagnosticItems);
        }
        else
        {
            Assert.NotNull(actual.DiagnosticItems);
            Assert.Equal(expected.DiagnosticItems.OrderBy(i => i.Key), actual.DiagnosticItems.OrderBy(i => i.Key));
        }
    }
    protected static RiskSnapshot NewSnapshot(DateOnly day, string? organizationId, double probability) => new()
    {
        PartnershipId = P,
        OrganizationId = organizationId,
        AsOfDate = day,
        ScoredAt = new DateTimeOffset(day.ToDateTime(new TimeOnly(3, 30)), TimeSpan.Zero),
        Probability = probability,
        Band = probability >= 0.6 ? "high" : "low",
        ModelVersion = "prior-1",
        PriorModel = true,
        PreviousProbability = organizationId is null ? null : 0.25,
        Reasons = [new SnapshotReason("absence_last3", 1.2, 0.667, "absente à 2 des 3 dernières rencontres", "absent from 2 of the last 3 meetings")],
        Features = new Dictionary<string, double> { ["absence_last3"] = 0.667, ["vacancy"] = 0 },
    };
}
