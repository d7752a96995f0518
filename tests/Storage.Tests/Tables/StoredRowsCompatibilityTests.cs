using System.Text.Json;
using System.Text.Json.Serialization;
using Azure.Data.Tables;
using Engagement.Core.Alerts;
using Engagement.Core.Domain;
using Engagement.Core.Storage;
using Engagement.Storage.Tables;

namespace Engagement.Storage.Tests.Tables;

/// <summary>
/// Data written before the store moved to Azure.Data.Tables stays readable. Each row is put with a raw
/// <see cref="TableClient.AddEntityAsync{T}"/> exactly as the previous hand-written client stored it (tables
/// <c>{prefix}Partnerships/Forms/Data/Models</c>, the same PartitionKeys and RowKeys, property names and Table types:
/// instants as round-trip text plus a typed <c>…Utc</c> copy, long texts over <c>{name}0…</c> with <c>{name}Parts</c>)
/// and read through the store; what the store writes now has that same shape.
/// </summary>
public sealed class StoredRowsCompatibilityTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IAsyncLifetime
{
    private const string P = "table-hochelaga";
    private static readonly DateTimeOffset Written = new(2026, 2, 1, 9, 30, 0, TimeSpan.Zero);
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);
    private static readonly JsonSerializerOptions AlertJson = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    private readonly string _prefix = AzuriteFixture.UniqueTableName("old");
    private TableStorage _storage = null!;
    private EngagementStores _store = null!;

    private TableClient Table(string name) => azurite.Service().GetTableClient(_prefix + name);

    public async Task InitializeAsync()
    {
        _storage = new TableStorage(azurite.Service(), _prefix, TimeProvider.System);
        await _storage.EnsureTablesAsync();
        _store = _storage.CreateStores();
    }

    public async Task DisposeAsync()
    {
        foreach (var table in _storage.TableNames)
        {
            await azurite.Service().DeleteTableAsync(table);
        }
    }

    [Fact]
    public async Task RosterMeetingsAttendanceAndForms_WrittenByThePreviousClient_ReadUnchanged()
    {
        var answers = "{\"q1\":[\"" + new string('x', 40_000) + "\"],\"q2\":[\"oui\",\"non\"]}";
        await AddAsync("Partnerships", new TableEntity("partnership", P) { ["Name"] = "Table Hochelaga", ["Territory"] = "Hochelaga", ["Language"] = "en", ["CoordinatorEmails"] = "[\"a@example.org\"]", ["UpdatedAt"] = Written });
        await AddAsync("Forms", new TableEntity("form", "diag") { ["PartnershipId"] = P, ["Kind"] = "diagnostic", ["Title"] = "CACIS", ["Diagnostic"] = "{\"items\":{\"Q1\":1},\"answerLabels\":{\"Plutôt\":\"B\"}}", ["UpdatedAt"] = Written });
        await AddAsync("Data", new TableEntity(P, "org|cdc") { ["Id"] = "cdc", ["Name"] = "CDC", ["Sector"] = "community", ["UpdatedAt"] = Written });
        await AddAsync("Data", new TableEntity(P, "person|marie") { ["Id"] = "marie", ["DisplayName"] = "Marie", ["Email"] = "marie@example.org", ["UpdatedAt"] = Written });
        await AddAsync("Data", new TableEntity(P, "person|jean") { ["Id"] = "jean", ["ErasedAt"] = Written.AddDays(1), ["UpdatedAt"] = Written });
        await AddAsync("Data", new TableEntity(P, "rep|cdc.marie.20250101") { ["Id"] = "cdc.marie.20250101", ["OrganizationId"] = "cdc", ["PersonId"] = "marie", ["Role"] = "representative", ["From"] = "2025-01-01", ["UpdatedAt"] = Written });
        await AddAsync("Data", new TableEntity(P, "rep|cdc.jean.20240101") { ["Id"] = "cdc.jean.20240101", ["OrganizationId"] = "cdc", ["PersonId"] = "jean", ["Role"] = "coordinator", ["From"] = "2024-01-01", ["To"] = "2024-12-31", ["UpdatedAt"] = Written });
        await AddAsync("Data", new TableEntity(P, "meeting|m!.1") { ["Id"] = "m|1", ["Title"] = "Plénière", ["Start"] = "2026-01-15T13:30:00.0000000-05:00", ["StartUtc"] = new DateTimeOffset(2026, 1, 15, 18, 30, 0, TimeSpan.Zero), ["End"] = "2026-01-15T16:00:00.0000000-05:00", ["Kind"] = "regular", ["Source"] = "teams", ["TeamsJoinUrl"] = "https://teams.example/j/1", ["Cancelled"] = false, ["UpdatedAt"] = Written });
        await AddAsync("Data", new TableEntity(P, "att|m!.1|marie") { ["MeetingId"] = "m|1", ["PersonId"] = "marie", ["Status"] = "present", ["SecondsAttended"] = 5400, ["Intervals"] = "[{\"join\":\"2026-01-15T18:30:00+00:00\",\"leave\":\"2026-01-15T20:00:00+00:00\",\"seconds\":5400}]", ["UpdatedAt"] = Written });
        await AddAsync("Data", new TableEntity(P, "att|m!.1|jean") { ["MeetingId"] = "m|1", ["PersonId"] = "jean", ["Status"] = "excused", ["UpdatedAt"] = Written });
        await AddAsync("Data", new TableEntity(P, "sub|diag|r1")
        {
            ["FormId"] = "diag", ["ResponseId"] = "r1", ["Kind"] = "diagnostic", ["RespondentPersonId"] = "marie", ["RespondentEmail"] = "marie@example.org",
            ["SubmittedAt"] = "2026-01-20T10:00:00.0000000-05:00", ["SubmittedAtUtc"] = new DateTimeOffset(2026, 1, 20, 15, 0, 0, TimeSpan.Zero),
            ["DiagnosticItems"] = "{\"1\":\"B\"}", ["Answers0"] = answers[..32_768], ["Answers1"] = answers[32_768..], ["AnswersParts"] = 2, ["UpdatedAt"] = Written,
        });

        var partnership = await _store.Partnerships.GetPartnershipAsync(P);
        Assert.Equal(new Partnership { Id = P, Name = "Table Hochelaga", Territory = "Hochelaga", Language = PartnershipLanguage.English, CoordinatorEmails = partnership!.CoordinatorEmails, AlertEmails = true }, partnership);
        Assert.Equal(["a@example.org"], partnership.CoordinatorEmails);
        var form = await _store.Forms.GetFormAsync("diag");
        Assert.Equal((P, FormKind.Diagnostic, "CACIS", 1, DiagnosticAnswer.B), (form!.PartnershipId, form.Kind, form.Title, form.Diagnostic!.Items["Q1"], form.Diagnostic.AnswerLabels["Plutôt"]));

        var roster = await _store.Roster.GetRosterAsync(P);
        Assert.Equal(new Organization { PartnershipId = P, Id = "cdc", Name = "CDC", Sector = Sector.Community }, Assert.Single(roster.Organizations));
        Assert.Equal(
            [new Person { PartnershipId = P, Id = "jean", ErasedAt = Written.AddDays(1) }, new Person { PartnershipId = P, Id = "marie", DisplayName = "Marie", Email = "marie@example.org" }],
            roster.People);
        Assert.Equal(
            [
                new Representation { PartnershipId = P, Id = "cdc.jean.20240101", OrganizationId = "cdc", PersonId = "jean", Role = RepresentationRole.Coordinator, From = new DateOnly(2024, 1, 1), To = new DateOnly(2024, 12, 31) },
                new Representation { PartnershipId = P, Id = "cdc.marie.20250101", OrganizationId = "cdc", PersonId = "marie", From = new DateOnly(2025, 1, 1) },
            ],
            roster.Representations);

        var meeting = await _store.Attendance.GetMeetingAsync(P, "m|1");
        Assert.Equal(new Meeting
        {
            PartnershipId = P, Id = "m|1", Title = "Plénière", Start = new DateTimeOffset(2026, 1, 15, 13, 30, 0, TimeSpan.FromHours(-5)), End = new DateTimeOffset(2026, 1, 15, 16, 0, 0, TimeSpan.FromHours(-5)),
            Source = MeetingSource.Teams, TeamsJoinUrl = "https://teams.example/j/1",
        }, meeting);
        Assert.Equal(TimeSpan.FromHours(-5), meeting!.Start.Offset);
        var attendance = await _store.Attendance.GetAttendanceAsync(P, "m|1");
        Assert.Equal(
            [
                new Attendance { PartnershipId = P, MeetingId = "m|1", PersonId = "jean", Status = AttendanceStatus.Excused },
                new Attendance { PartnershipId = P, MeetingId = "m|1", PersonId = "marie", Status = AttendanceStatus.Present, SecondsAttended = 5400, Intervals = [new(new(2026, 1, 15, 18, 30, 0, TimeSpan.Zero), new(2026, 1, 15, 20, 0, 0, TimeSpan.Zero), 5400)] },
            ],
            attendance);
        var summary = Assert.Single(await _store.Attendance.ListMeetingsAsync(P));
        Assert.Equal((1, 0, 1), (summary.Present, summary.Absent, summary.Excused));

        var submission = Assert.Single(await _store.Forms.ListFormSubmissionsAsync(P));
        Assert.Equal(40_000, submission.Answers["q1"].Single().Length);
        Assert.Equal(["oui", "non"], submission.Answers["q2"]);
        Assert.Equal((DiagnosticAnswer.B, "marie@example.org", TimeSpan.FromHours(-5)), (submission.DiagnosticItems![1], submission.RespondentEmail, submission.SubmittedAt.Offset));

        var keys = await _store.Roster.GetKeysAsync(P);
        Assert.Equal(("marie", true, true), (keys.PersonIdsByEmail["marie@example.org"], keys.MeetingIds.Contains("m|1"), keys.RepresentationIds.Contains("cdc.jean.20240101")));
        var activity = await _store.Privacy.ListPersonActivityAsync(P);
        Assert.Equal([Written, Written], activity.Select(a => a.RecordUpdatedAt));
        Assert.Equal(new DateTimeOffset(2026, 1, 20, 15, 0, 0, TimeSpan.Zero), activity.Single(a => a.Person.Id == "marie").LastSubmittedAt);
    }

    [Fact]
    public async Task RosterMeetingsAttendanceAndForms_SentAgainAsThePreviousClientStoredThem_CountUnchanged()
    {
        await AddAsync("Data", new TableEntity(P, "person|marie") { ["Id"] = "marie", ["DisplayName"] = "Marie", ["Email"] = "marie@example.org", ["UpdatedAt"] = Written });
        await AddAsync("Data", new TableEntity(P, "meeting|m1") { ["Id"] = "m1", ["Start"] = "2026-01-15T13:30:00.0000000-05:00", ["StartUtc"] = new DateTimeOffset(2026, 1, 15, 18, 30, 0, TimeSpan.Zero), ["End"] = "2026-01-15T16:00:00.0000000-05:00", ["Kind"] = "regular", ["Source"] = "in-person", ["Cancelled"] = false, ["UpdatedAt"] = Written });
        await AddAsync("Data", new TableEntity(P, "att|m1|marie") { ["MeetingId"] = "m1", ["PersonId"] = "marie", ["Status"] = "present", ["SecondsAttended"] = 3600, ["UpdatedAt"] = Written });
        await AddAsync("Data", new TableEntity(P, "risk|20260301|") { ["AsOfDate"] = "2026-03-01", ["ScoredAt"] = "2026-03-01T06:00:00.0000000+00:00", ["Probability"] = 0.25, ["Band"] = "low", ["ModelVersion"] = "prior-1", ["PriorModel"] = true, ["Reasons"] = "[]", ["Features"] = "{\"absence\":0.5}", ["UpdatedAt"] = Written });

        Assert.Equal(new(0, 0, 1), await _store.Roster.UpsertPeopleAsync(P, [new Person { PartnershipId = P, Id = "marie", DisplayName = "Marie", Email = "marie@example.org" }]));
        Assert.Equal(new(0, 0, 1), await _store.Attendance.UpsertMeetingsAsync(P, [new Meeting { PartnershipId = P, Id = "m1", Start = new(2026, 1, 15, 13, 30, 0, TimeSpan.FromHours(-5)), End = new(2026, 1, 15, 16, 0, 0, TimeSpan.FromHours(-5)) }]));
        Assert.Equal(new(0, 0, 1), await _store.Attendance.UpsertAttendanceAsync(P, [new Attendance { PartnershipId = P, MeetingId = "m1", PersonId = "marie", Status = AttendanceStatus.Present, SecondsAttended = 3600 }]));
        Assert.Equal(new(0, 0, 1), await _store.Risk.UpsertRiskSnapshotsAsync(P, [new RiskSnapshot { PartnershipId = P, AsOfDate = new(2026, 3, 1), ScoredAt = new(2026, 3, 1, 6, 0, 0, TimeSpan.Zero), Probability = 0.25, Band = "low", ModelVersion = "prior-1", PriorModel = true, Features = new Dictionary<string, double> { ["absence"] = 0.5 } }]));
        Assert.Equal(new(0, 1, 0), await _store.Attendance.UpsertAttendanceAsync(P, [new Attendance { PartnershipId = P, MeetingId = "m1", PersonId = "marie", Status = AttendanceStatus.Absent }]));
    }

    [Fact]
    public async Task ModelsRiskAlertsOutboxAndIntegrations_WrittenByThePreviousClient_ReadUnchanged()
    {
        var artifact = string.Concat(Enumerable.Repeat("{\"weights\":[0.125,-3.5]}", 3_000)); // 72,000 characters: three parts
        var alert = new Alert
        {
            PartnershipId = P, OrganizationId = "cdc", Type = AlertType.FallingAttendance, Status = AlertStatus.Open, Band = "high", Probability = 0.7, ModelVersion = "v2",
            Reasons = [new SnapshotReason("absence", 0.4, 0.6, "Absences", "Absences")], OpenedAt = Written, UpdatedAt = Written, Notifications = 1,
        };
        var alertJson = JsonSerializer.Serialize(alert, AlertJson);
        await AddAsync("Models", new TableEntity("model", "v2") { ["Kind"] = "logistic", ["CreatedAt"] = "2026-02-01T09:30:00.0000000+00:00", ["Artifact0"] = artifact[..32_768], ["Artifact1"] = artifact[32_768..65_536], ["Artifact2"] = artifact[65_536..], ["ArtifactParts"] = 3, ["UpdatedAt"] = Written });
        await AddAsync("Models", new TableEntity("champion", "current") { ["Version"] = "v2", ["UpdatedAt"] = Written });
        await AddAsync("Models", new TableEntity("retraining", "9999999999999999999|v2")
        {
            ["RanAt"] = "2026-02-01T09:30:00.0000000+00:00", ["ChallengerVersion"] = "v2", ["ChampionVersion"] = "v1", ["Promoted"] = true, ["Reason"] = "better AUC",
            ["ChallengerEvaluation0"] = "{\"auc\":0.8}", ["ChallengerEvaluationParts"] = 1, ["ChampionEvaluation0"] = "{\"auc\":0.7}", ["ChampionEvaluationParts"] = 1, ["UpdatedAt"] = Written,
        });
        await AddAsync("Models", new TableEntity("export-audit", "2500000000000000000|0123456789abcdef") { ["At"] = "2026-02-01T09:30:00.0000000+00:00", ["AtUtc"] = Written, ["Caller"] = "analyst", ["What"] = "fact_attendance.csv", ["Rows"] = 12, ["PersonalData"] = false, ["Filter"] = "from=2026-01-01" });
        await AddAsync("Data", new TableEntity(P, "risk|20260301|cdc")
        {
            ["OrganizationId"] = "cdc", ["AsOfDate"] = "2026-03-01", ["ScoredAt"] = "2026-03-01T06:00:00.0000000+00:00", ["Probability"] = 0.7, ["Band"] = "high", ["ModelVersion"] = "v2",
            ["PriorModel"] = false, ["PreviousProbability"] = 0.5, ["Reasons"] = "[{\"feature\":\"absence\",\"contribution\":0.4,\"value\":0.6,\"french\":\"Absences\",\"english\":\"Absences\"}]", ["Features"] = "{\"absence\":0.6}", ["UpdatedAt"] = Written,
        });
        await AddAsync("Data", new TableEntity(P, "alert|cdc.falling-attendance") { ["Status"] = "open", ["Alert0"] = alertJson, ["AlertParts"] = 1, ["UpdatedAt"] = Written });
        await AddAsync("Data", new TableEntity(P, "mail|n1")
        {
            ["Id"] = "n1", ["AlertId"] = "cdc.falling-attendance", ["Recipient"] = "coord@example.org", ["Subject"] = "Alerte", ["MessageId"] = "<n1@engagement>", ["CreatedAt"] = "2026-02-01T09:30:00.0000000+00:00",
            ["Attempts"] = 1, ["SentAt"] = "2026-02-01T09:35:00.0000000+00:00", ["Text0"] = "Bonjour", ["TextParts"] = 1, ["Html0"] = "<p>Bonjour</p>", ["HtmlParts"] = 1, ["UpdatedAt"] = Written,
        });
        await AddAsync("Data", new TableEntity(P, "int|teams-meeting|m1") { ["Kind"] = "teams-meeting", ["Id"] = "m1", ["Settings"] = "{\"joinUrl\":\"https://teams.example/j/1\"}", ["Checkpoint0"] = "delta-1", ["CheckpointParts"] = 1, ["UpdatedAt"] = Written });

        var champion = await _store.Models.GetChampionAsync();
        Assert.Equal(("v2", "logistic", artifact), (champion!.Version, champion.Kind, champion.Artifact));
        var retraining = Assert.Single(await _store.Models.ListRetrainingsAsync());
        Assert.Equal(("v2", "v1", true, "{\"auc\":0.8}", "{\"auc\":0.7}"), (retraining.ChallengerVersion, retraining.ChampionVersion, retraining.Promoted, retraining.ChallengerEvaluation, retraining.ChampionEvaluation));
        var audit = Assert.Single(await _store.ExportAudit.ListExportsAsync(Written.AddDays(-1)));
        Assert.Equal(new ExportAudit { At = Written, Caller = "analyst", What = "fact_attendance.csv", Rows = 12, PersonalData = false, Filter = "from=2026-01-01" }, audit);
        var snapshot = Assert.Single(await _store.Risk.ListRiskSnapshotsAsync(P, new(2026, 3, 1), new(2026, 3, 1)));
        Assert.Equal(("cdc", 0.7, 0.5, "high", "absence"), (snapshot.OrganizationId, snapshot.Probability, snapshot.PreviousProbability, snapshot.Band, snapshot.Reasons.Single().Feature));
        Assert.Equal(JsonSerializer.Serialize(alert, Web), JsonSerializer.Serialize(Assert.Single(await _store.Alerts.ListAlertsAsync(P)), Web));
        var mail = Assert.Single(await _store.Alerts.ListNotificationsAsync(P, "cdc.falling-attendance"));
        Assert.Equal(("Bonjour", "<p>Bonjour</p>", 1, new DateTimeOffset(2026, 2, 1, 9, 35, 0, TimeSpan.Zero)), (mail.Text, mail.Html, mail.Attempts, mail.SentAt!.Value));
        Assert.Empty(await _store.Alerts.ListPendingNotificationsAsync(P));
        var integration = Assert.Single(await _store.Integrations.ListIntegrationsAsync(P));
        Assert.Equal((IntegrationKind.TeamsMeeting, "m1", "delta-1", "https://teams.example/j/1"), (integration.Kind, integration.Id, integration.Checkpoint, integration.Settings["joinUrl"]));
    }

    [Fact]
    public async Task StoreWrites_TheSameKeysPropertyNamesAndTypesAsThePreviousClient()
    {
        var answers = new Dictionary<string, IReadOnlyList<string>> { ["q1"] = [new string('x', 70_000)] };
        await _store.Attendance.UpsertMeetingsAsync(P, [new Meeting { PartnershipId = P, Id = "m|1", Start = new(2026, 1, 15, 13, 30, 0, TimeSpan.FromHours(-5)), End = new(2026, 1, 15, 16, 0, 0, TimeSpan.FromHours(-5)) }]);
        await _store.Attendance.UpsertAttendanceAsync(P, [new Attendance { PartnershipId = P, MeetingId = "m|1", PersonId = "marie", Status = AttendanceStatus.Present, SecondsAttended = 60 }]);
        await _store.Forms.UpsertFormSubmissionsAsync(P, [new FormSubmission { PartnershipId = P, FormId = "f", ResponseId = "r", Kind = FormKind.Feedback, SubmittedAt = Written, Answers = answers }]);
        await _store.Risk.UpsertRiskSnapshotsAsync(P, [new RiskSnapshot { PartnershipId = P, AsOfDate = new(2026, 3, 1), ScoredAt = Written, Probability = 1.0, Band = "high", ModelVersion = "v" }]);

        var data = Table("Data");
        var meeting = (await data.GetEntityAsync<TableEntity>(P, "meeting|m!.1")).Value;
        Assert.Equal(("m|1", "2026-01-15T13:30:00.0000000-05:00", false), (meeting.GetString("Id"), meeting.GetString("Start"), meeting.GetBoolean("Cancelled")));
        Assert.Equal(new DateTimeOffset(2026, 1, 15, 18, 30, 0, TimeSpan.Zero), meeting.GetDateTimeOffset("StartUtc"));
        Assert.IsType<DateTimeOffset>(meeting.GetDateTimeOffset("UpdatedAt"));
        var attendance = (await data.GetEntityAsync<TableEntity>(P, "att|m!.1|marie")).Value;
        Assert.Equal(("m|1", "marie", "present", 60), (attendance.GetString("MeetingId"), attendance.GetString("PersonId"), attendance.GetString("Status"), attendance.GetInt32("SecondsAttended")));
        Assert.Null(attendance.GetString("Intervals"));
        var submission = (await data.GetEntityAsync<TableEntity>(P, "sub|f|r")).Value;
        Assert.Equal((3, 32_768), (submission.GetInt32("AnswersParts"), submission.GetString("Answers0")!.Length));
        Assert.Null(submission.GetString("Answers3"));
        Assert.Equal(Written, submission.GetDateTimeOffset("SubmittedAtUtc"));
        var risk = (await data.GetEntityAsync<TableEntity>(P, "risk|20260301|")).Value;
        Assert.IsType<double>(risk["Probability"]);
        Assert.Equal(1.0, risk.GetDouble("Probability"));

        // The one property added since: a Boolean, which earlier rows lack (they read as e-mails on).
        await _store.Partnerships.UpsertPartnershipAsync(new Partnership { Id = P, Name = "Table", AlertEmails = false });
        var partnership = (await Table("Partnerships").GetEntityAsync<TableEntity>("partnership", P)).Value;
        Assert.Equal(("Table", false), (partnership.GetString("Name"), partnership.GetBoolean("AlertEmails")));
    }

    [Fact]
    public async Task StoreWrites_ActionPlanRows_UnderTheirKeys_WithTheirPropertyNamesAndTypes()
    {
        // Pinned so that later versions keep reading what this one writes.
        var at = new DateTimeOffset(2026, 3, 10, 10, 0, 0, TimeSpan.FromHours(-4));
        await _store.ActionPlans.UpsertPlanAsync(
            P,
            [new Objective { PartnershipId = P, Id = "O|1", Title = "Objectif", Order = 2, Results = new string('r', 40_000) }],
            [new PlanAction { PartnershipId = P, Id = "O1.A1", ObjectiveId = "O|1", Title = "Action", LeadOrganizationId = "cdc", PartnerOrganizationIds = ["ville"], DueOn = new(2026, 2, 28) }],
            [new ActionUpdate { PartnershipId = P, Id = "u1", ActionId = "O1.A1", At = at, Status = ActionStatus.OnTrack, Source = ActionUpdateSource.Sheet, Obstacles = "Aucun" }],
            Written);
        await _store.ActionPlans.AddRequestAsync(new FollowUpRequest { PartnershipId = P, ActionId = "O1.A1", OrganizationId = "cdc", Round = new(2026, 3, 1), SentAt = at.AddDays(-9) });
        await _store.ActionPlans.SetScheduleAsync(new FollowUpSchedule { PartnershipId = P, EveryDays = 30, StartOn = new(2026, 1, 1) });

        var data = Table("Data");
        var objective = (await data.GetEntityAsync<TableEntity>(P, "objective|O!.1")).Value;
        Assert.Equal(("O|1", "Objectif", 2, 2, 32_768), (objective.GetString("Id"), objective.GetString("Title"), objective.GetInt32("Order"), objective.GetInt32("ResultsParts"), objective.GetString("Results0")!.Length));
        Assert.False(objective.ContainsKey("Description0"));
        var action = (await data.GetEntityAsync<TableEntity>(P, "action|O1.A1")).Value;
        Assert.Equal(("O|1", "cdc", "[\"ville\"]", "2026-02-28", "2026-02-01T09:30:00.0000000+00:00"), (action.GetString("ObjectiveId"), action.GetString("LeadOrganizationId"), action.GetString("PartnerOrganizationIds"), action.GetString("DueOn"), action.GetString("RecordedAt")));
        var update = (await data.GetEntityAsync<TableEntity>(P, "actionupdate|u1")).Value;
        Assert.Equal(("O1.A1", "2026-03-10T10:00:00.0000000-04:00", "on-track", "sheet", 1, "Aucun"), (update.GetString("ActionId"), update.GetString("At"), update.GetString("Status"), update.GetString("Source"), update.GetInt32("ObstaclesParts"), update.GetString("Obstacles0")));
        Assert.Equal(at, update.GetDateTimeOffset("AtUtc"));
        var request = (await data.GetEntityAsync<TableEntity>(P, "followup|O1.A1.cdc.20260301")).Value;
        Assert.Equal(("O1.A1", "cdc", "2026-03-01", "2026-03-01T10:00:00.0000000-04:00"), (request.GetString("ActionId"), request.GetString("OrganizationId"), request.GetString("Round"), request.GetString("SentAt")));
        var schedule = (await data.GetEntityAsync<TableEntity>(P, "followupschedule")).Value;
        Assert.Equal((30, 7, "2026-01-01"), (schedule.GetInt32("EveryDays"), schedule.GetInt32("ReminderAfterDays"), schedule.GetString("StartOn")));
    }

    private async Task AddAsync(string table, TableEntity entity) => await Table(table).AddEntityAsync(entity);
}
