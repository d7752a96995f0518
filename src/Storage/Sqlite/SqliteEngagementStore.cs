using System.Globalization;
using System.Text.Json;
using Engagement.Core.Alerts;
using Engagement.Core.Domain;
using Engagement.Core.Storage;
using static Engagement.Storage.StoredValues;
using Microsoft.Data.Sqlite;

namespace Engagement.Storage.Sqlite;

/// <summary>
/// The embedded default store: one SQLite file in WAL mode. Each write method is one transaction
/// (<c>BEGIN IMMEDIATE</c>), so a batch is stored whole or not at all. Upserts count what they did by trying an
/// insert, then an update guarded by "some value differs". Writers of one store instance take turns on an async
/// lock before they begin: SQLite admits one writer at a time anyway, and a writer that finds the file busy is
/// retried by Microsoft.Data.Sqlite only after a blocking 150 ms sleep. Other processes still meet that retry.
/// </summary>
public sealed class SqliteEngagementStore : IEngagementStore
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly string _connectionString;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _migrationLock = new(1, 1);
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private volatile bool _migrated;

    public SqliteEngagementStore(string path, TimeProvider time)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var fullPath = System.IO.Path.GetFullPath(path);
        if (System.IO.Path.GetDirectoryName(fullPath) is { } directory)
        {
            Directory.CreateDirectory(directory);
        }

        Path = fullPath;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = fullPath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        _time = time;
    }

    /// <summary>Full path of the database file.</summary>
    public string Path { get; }

    /// <summary>The schema version of the file (0 before the first migration).</summary>
    public async Task<int> GetSchemaVersionAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenRawAsync(cancellationToken);
        return await UserVersionAsync(connection, cancellationToken);
    }

    /// <summary>Brings the file to the latest schema; safe to call any number of times, from several processes.</summary>
    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        if (_migrated)
        {
            return;
        }

        await _migrationLock.WaitAsync(cancellationToken);
        try
        {
            if (_migrated)
            {
                return;
            }

            await using var connection = await OpenRawAsync(cancellationToken);
            await ExecuteAsync(connection, "PRAGMA journal_mode=WAL;", cancellationToken);
            while (true)
            {
                await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
                var version = await UserVersionAsync(connection, cancellationToken, transaction);
                if (version >= SqliteSchema.LatestVersion)
                {
                    break;
                }

                await ExecuteAsync(connection, SqliteSchema.Migrations[version], cancellationToken, transaction);
                await ExecuteAsync(connection, $"PRAGMA user_version = {(version + 1).ToString(CultureInfo.InvariantCulture)};", cancellationToken, transaction);
                await transaction.CommitAsync(cancellationToken);
            }

            _migrated = true;
        }
        finally
        {
            _migrationLock.Release();
        }
    }

    public async Task<StoreHealth> CheckHealthAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await OpenAsync(cancellationToken);
            var version = await UserVersionAsync(connection, cancellationToken);
            return new StoreHealth("sqlite", true, $"schema version {version} at {Path}");
        }
        catch (SqliteException ex)
        {
            return new StoreHealth("sqlite", false, ex.Message);
        }
    }

    public async Task<WriteOutcome> UpsertPartnershipAsync(Partnership partnership, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(partnership);
        var counts = await UpsertAsync(Tables.Partnerships, [[partnership.Id, partnership.Name, partnership.Territory, WireNames.Format(partnership.Language), JsonSerializer.Serialize(partnership.CoordinatorEmails, Json)]], cancellationToken);
        return Outcome(counts);
    }

    public async Task<Partnership?> GetPartnershipAsync(string partnershipId, CancellationToken cancellationToken = default)
    {
        var list = await QueryAsync("SELECT id, name, territory, language, coordinator_emails FROM partnerships WHERE id = $p0", [partnershipId], ReadPartnership, cancellationToken);
        return list.Count == 0 ? null : list[0];
    }

    public Task<IReadOnlyList<Partnership>> ListPartnershipsAsync(CancellationToken cancellationToken = default) =>
        QueryAsync("SELECT id, name, territory, language, coordinator_emails FROM partnerships ORDER BY id", [], ReadPartnership, cancellationToken);

    public async Task<PartnershipKeys> GetKeysAsync(string partnershipId, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        async Task<HashSet<string>> Ids(string table)
        {
            var set = new HashSet<string>(StringComparer.Ordinal);
            await using var command = Command(connection, $"SELECT id FROM {table} WHERE partnership_id = $p0", [partnershipId]);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                set.Add(reader.GetString(0));
            }

            return set;
        }

        var emails = new Dictionary<string, string>(StringComparer.Ordinal);
        await using (var command = Command(connection, "SELECT email, id FROM people WHERE partnership_id = $p0 AND email IS NOT NULL", [partnershipId]))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                emails[reader.GetString(0)] = reader.GetString(1);
            }
        }

        return new PartnershipKeys
        {
            OrganizationIds = await Ids("organizations"),
            PersonIds = await Ids("people"),
            PersonIdsByEmail = emails,
            MeetingIds = await Ids("meetings"),
            RepresentationIds = await Ids("representations"),
        };
    }

    public async Task<PartnershipKeys> FindMeetingsAndPeopleAsync(string partnershipId, IReadOnlyCollection<string> meetingIds, IReadOnlyCollection<string> personIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(meetingIds);
        ArgumentNullException.ThrowIfNull(personIds);
        await using var connection = await OpenAsync(cancellationToken);

        // One primary-key lookup per given id; the ids travel as one JSON array parameter.
        async Task<HashSet<string>> Existing(string table, IReadOnlyCollection<string> ids)
        {
            var set = new HashSet<string>(StringComparer.Ordinal);
            if (ids.Count == 0)
            {
                return set;
            }

            await using var command = Command(connection, $"SELECT id FROM {table} WHERE partnership_id = $p0 AND id IN (SELECT value FROM json_each($p1))", [partnershipId, JsonSerializer.Serialize(ids, Json)]);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                set.Add(reader.GetString(0));
            }

            return set;
        }

        return new PartnershipKeys
        {
            OrganizationIds = new HashSet<string>(StringComparer.Ordinal),
            PersonIds = await Existing("people", personIds),
            PersonIdsByEmail = new Dictionary<string, string>(StringComparer.Ordinal),
            MeetingIds = await Existing("meetings", meetingIds),
            RepresentationIds = new HashSet<string>(StringComparer.Ordinal),
        };
    }

    public Task<WriteCounts> UpsertOrganizationsAsync(string partnershipId, IReadOnlyList<Organization> organizations, CancellationToken cancellationToken = default) =>
        UpsertAsync(Tables.Organizations, organizations.Select(o => new object?[] { Same(partnershipId, o.PartnershipId), o.Id, o.Name, WireNames.Format(o.Sector) }), cancellationToken);

    public Task<WriteCounts> UpsertPeopleAsync(string partnershipId, IReadOnlyList<Person> people, CancellationToken cancellationToken = default) =>
        UpsertAsync(Tables.People, people.Select(p => new object?[] { Same(partnershipId, p.PartnershipId), p.Id, p.DisplayName, p.Email }), cancellationToken);

    public Task<WriteCounts> UpsertRepresentationsAsync(string partnershipId, IReadOnlyList<Representation> representations, CancellationToken cancellationToken = default) =>
        UpsertAsync(Tables.Representations, representations.Select(r => new object?[]
        {
            Same(partnershipId, r.PartnershipId), r.Id, r.OrganizationId, r.PersonId, WireNames.Format(r.Role), Date(r.From), r.To is { } to ? Date(to) : null,
        }), cancellationToken);

    public Task<WriteCounts> UpsertMeetingsAsync(string partnershipId, IReadOnlyList<Meeting> meetings, CancellationToken cancellationToken = default) =>
        UpsertAsync(Tables.Meetings, meetings.Select(m => new object?[]
        {
            Same(partnershipId, m.PartnershipId), m.Id, m.Title, Instant(m.Start), Utc(m.Start), Instant(m.End), WireNames.Format(m.Kind), WireNames.Format(m.Source), m.TeamsJoinUrl, m.Cancelled ? 1 : 0,
        }), cancellationToken);

    public Task<WriteCounts> UpsertAttendanceAsync(string partnershipId, IReadOnlyList<Attendance> records, CancellationToken cancellationToken = default) =>
        UpsertAsync(Tables.Attendance, records.Select(a => new object?[]
        {
            Same(partnershipId, a.PartnershipId), a.MeetingId, a.PersonId, WireNames.Format(a.Status), a.SecondsAttended,
            a.Intervals is { Count: > 0 } intervals ? JsonSerializer.Serialize(intervals, Json) : null,
        }), cancellationToken);

    public async Task<WriteOutcome> UpsertFormAsync(FormDefinition form, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(form);
        var diagnostic = form.Diagnostic is null ? null : JsonSerializer.Serialize(StoredMapping.From(form.Diagnostic), Json);
        return Outcome(await UpsertAsync(Tables.Forms, [[form.Id, form.PartnershipId, WireNames.Format(form.Kind), form.Title, diagnostic]], cancellationToken));
    }

    public async Task<FormDefinition?> GetFormAsync(string formId, CancellationToken cancellationToken = default)
    {
        var list = await QueryAsync("SELECT id, partnership_id, kind, title, diagnostic FROM forms WHERE id = $p0", [formId], r => new FormDefinition
        {
            Id = r.GetString(0),
            PartnershipId = r.GetString(1),
            Kind = Parse<FormKind>(r.GetString(2)),
            Title = r.IsDBNull(3) ? null : r.GetString(3),
            Diagnostic = r.IsDBNull(4) ? null : JsonSerializer.Deserialize<StoredMapping>(r.GetString(4), Json)!.ToMapping(),
        }, cancellationToken);
        return list.Count == 0 ? null : list[0];
    }

    public Task<WriteCounts> UpsertFormSubmissionsAsync(string partnershipId, IReadOnlyList<FormSubmission> submissions, CancellationToken cancellationToken = default) =>
        UpsertAsync(Tables.FormSubmissions, submissions.Select(s => new object?[]
        {
            Same(partnershipId, s.PartnershipId), s.FormId, s.ResponseId, WireNames.Format(s.Kind), s.RespondentPersonId, s.RespondentEmail,
            Instant(s.SubmittedAt), Utc(s.SubmittedAt), JsonSerializer.Serialize(OrderedAnswers(s.Answers), Json),
            s.DiagnosticItems is null ? null : JsonSerializer.Serialize(StoredValues.DiagnosticItems(s.DiagnosticItems), Json),
        }), cancellationToken);

    public async Task<Roster> GetRosterAsync(string partnershipId, CancellationToken cancellationToken = default) => new()
    {
        Organizations = await QueryAsync("SELECT partnership_id, id, name, sector FROM organizations WHERE partnership_id = $p0 ORDER BY id", [partnershipId], r => new Organization
        {
            PartnershipId = r.GetString(0), Id = r.GetString(1), Name = r.GetString(2), Sector = Parse<Sector>(r.GetString(3)),
        }, cancellationToken),
        People = await QueryAsync("SELECT partnership_id, id, display_name, email, erased_at FROM people WHERE partnership_id = $p0 ORDER BY id", [partnershipId], ReadPerson, cancellationToken),
        Representations = await QueryAsync("SELECT partnership_id, id, organization_id, person_id, role, from_date, to_date FROM representations WHERE partnership_id = $p0 ORDER BY from_date, id", [partnershipId], r => new Representation
        {
            PartnershipId = r.GetString(0),
            Id = r.GetString(1),
            OrganizationId = r.GetString(2),
            PersonId = r.GetString(3),
            Role = Parse<RepresentationRole>(r.GetString(4)),
            From = ParseDate(r.GetString(5)),
            To = r.IsDBNull(6) ? null : ParseDate(r.GetString(6)),
        }, cancellationToken),
    };

    public Task<IReadOnlyList<MeetingSummary>> ListMeetingsAsync(string partnershipId, CancellationToken cancellationToken = default) =>
        QueryAsync(
            $"""
            SELECT {MeetingColumns},
                   (SELECT COUNT(*) FROM attendance a WHERE a.partnership_id = m.partnership_id AND a.meeting_id = m.id AND a.status = 'present'),
                   (SELECT COUNT(*) FROM attendance a WHERE a.partnership_id = m.partnership_id AND a.meeting_id = m.id AND a.status = 'absent'),
                   (SELECT COUNT(*) FROM attendance a WHERE a.partnership_id = m.partnership_id AND a.meeting_id = m.id AND a.status = 'excused')
            FROM meetings m WHERE m.partnership_id = $p0 ORDER BY m.start_utc, m.id
            """,
            [partnershipId],
            r => new MeetingSummary { Meeting = ReadMeeting(r), Present = r.GetInt32(10), Absent = r.GetInt32(11), Excused = r.GetInt32(12) },
            cancellationToken);

    public async Task<Meeting?> GetMeetingAsync(string partnershipId, string meetingId, CancellationToken cancellationToken = default)
    {
        var list = await QueryAsync($"SELECT {MeetingColumns} FROM meetings m WHERE m.partnership_id = $p0 AND m.id = $p1", [partnershipId, meetingId], ReadMeeting, cancellationToken);
        return list.Count == 0 ? null : list[0];
    }

    public Task<IReadOnlyList<Attendance>> GetAttendanceAsync(string partnershipId, string meetingId, CancellationToken cancellationToken = default) =>
        QueryAsync($"SELECT {AttendanceColumns} FROM attendance WHERE partnership_id = $p0 AND meeting_id = $p1 ORDER BY person_id", [partnershipId, meetingId], ReadAttendance, cancellationToken);

    public Task<IReadOnlyList<FormSubmission>> ListFormSubmissionsAsync(string partnershipId, CancellationToken cancellationToken = default) =>
        QueryAsync(
            "SELECT partnership_id, form_id, response_id, kind, respondent_person_id, respondent_email, submitted_at, answers, diagnostic_items FROM form_submissions WHERE partnership_id = $p0 ORDER BY submitted_at_utc, form_id, response_id",
            [partnershipId],
            r => new FormSubmission
            {
                PartnershipId = r.GetString(0),
                FormId = r.GetString(1),
                ResponseId = r.GetString(2),
                Kind = Parse<FormKind>(r.GetString(3)),
                RespondentPersonId = r.IsDBNull(4) ? null : r.GetString(4),
                RespondentEmail = r.IsDBNull(5) ? null : r.GetString(5),
                SubmittedAt = ParseInstant(r.GetString(6)),
                Answers = JsonSerializer.Deserialize<Dictionary<string, List<string>>>(r.GetString(7), Json)!
                    .ToDictionary(a => a.Key, a => (IReadOnlyList<string>)a.Value, StringComparer.Ordinal),
                DiagnosticItems = r.IsDBNull(8) ? null : ParseDiagnosticItems(JsonSerializer.Deserialize<Dictionary<string, string>>(r.GetString(8), Json)!),
            },
            cancellationToken);

    public Task<IReadOnlyList<PersonActivity>> ListPersonActivityAsync(string partnershipId, CancellationToken cancellationToken = default) =>
        QueryAsync(
            """
            SELECT p.partnership_id, p.id, p.display_name, p.email, p.erased_at, p.updated_at,
                   (SELECT MAX(m.start_utc) FROM attendance a JOIN meetings m ON m.partnership_id = a.partnership_id AND m.id = a.meeting_id
                     WHERE a.partnership_id = p.partnership_id AND a.person_id = p.id AND a.status IN ('present', 'excused') AND m.cancelled = 0),
                   (SELECT MAX(s.submitted_at_utc) FROM form_submissions s WHERE s.partnership_id = p.partnership_id AND s.respondent_person_id = p.id),
                   (SELECT COUNT(*) FROM representations r WHERE r.partnership_id = p.partnership_id AND r.person_id = p.id AND r.to_date IS NULL),
                   (SELECT MAX(r.to_date) FROM representations r WHERE r.partnership_id = p.partnership_id AND r.person_id = p.id)
            FROM people p WHERE p.partnership_id = $p0 ORDER BY p.id
            """,
            [partnershipId],
            r => new PersonActivity
            {
                Person = ReadPerson(r),
                RecordUpdatedAt = ParseInstant(r.GetString(5)),
                LastAttendedAt = r.IsDBNull(6) ? null : ParseInstant(r.GetString(6)),
                LastSubmittedAt = r.IsDBNull(7) ? null : ParseInstant(r.GetString(7)),
                HasOpenRepresentation = r.GetInt32(8) > 0,
                LastRepresentationEnd = r.IsDBNull(9) ? null : ParseDate(r.GetString(9)),
            },
            cancellationToken);

    public async Task<int> ErasePersonalDataAsync(string partnershipId, IReadOnlyList<string> personIds, DateTimeOffset submittedBefore, DateTimeOffset erasedAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(personIds);
        await using var connection = await OpenAsync(cancellationToken);
        using var turn = await WriterTurnAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var erased = 0;
        await using (var command = Command(connection, "UPDATE people SET display_name = NULL, email = NULL, erased_at = $p2 WHERE partnership_id = $p0 AND id = $p1 AND (display_name IS NOT NULL OR email IS NOT NULL)", [partnershipId, string.Empty, Instant(erasedAt)], transaction))
        {
            foreach (var id in personIds)
            {
                command.Parameters["$p1"].Value = id;
                erased += await command.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        await using (var command = Command(connection, "UPDATE form_submissions SET respondent_email = NULL WHERE partnership_id = $p0 AND respondent_email IS NOT NULL AND submitted_at_utc < $p1", [partnershipId, Utc(submittedBefore)], transaction))
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return erased;
    }

    /// <summary>The columns <see cref="ReadAttendance(SqliteDataReader, string)"/> reads, in its order.</summary>
    private const string AttendanceColumns = "partnership_id, meeting_id, person_id, status, seconds_attended, intervals";

    private const string AttendanceOfPartnership = $"SELECT {AttendanceColumns} FROM attendance WHERE partnership_id = $p0 ORDER BY meeting_id, person_id";

    public Task<IReadOnlyList<Attendance>> ListAttendanceAsync(string partnershipId, CancellationToken cancellationToken = default) =>
        QueryAsync(AttendanceOfPartnership, [partnershipId], ReadAttendance, cancellationToken);

    public async IAsyncEnumerable<Attendance> StreamAttendanceAsync(string partnershipId, AttendanceKey? after = null, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // One read transaction (WAL snapshot) for the whole stream; writers are not blocked by it. The primary key's
        // index (partnership, meeting, person) serves both the order and the keyset start.
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = after is { } key
            ? Command(connection, $"SELECT {AttendanceColumns} FROM attendance WHERE partnership_id = $p0 AND (meeting_id, person_id) > ($p1, $p2) ORDER BY meeting_id, person_id", [partnershipId, key.MeetingId, key.PersonId])
            : Command(connection, AttendanceOfPartnership, [partnershipId]);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return ReadAttendance(reader, partnershipId);
        }
    }

    public async IAsyncEnumerable<Meeting> StreamMeetingsAsync(string partnershipId, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, $"SELECT {MeetingColumns} FROM meetings m WHERE m.partnership_id = $p0 ORDER BY m.id", [partnershipId]);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return ReadMeeting(reader);
        }
    }

    public Task<WriteCounts> UpsertRiskSnapshotsAsync(string partnershipId, IReadOnlyList<RiskSnapshot> snapshots, CancellationToken cancellationToken = default) =>
        UpsertAsync(Tables.RiskSnapshots, snapshots.Select(r => new object?[]
        {
            Same(partnershipId, r.PartnershipId), Date(r.AsOfDate), r.OrganizationId ?? string.Empty, r.OrganizationId, Instant(r.ScoredAt), r.Probability, r.Band, r.ModelVersion, r.PriorModel ? 1 : 0,
            r.PreviousProbability, JsonSerializer.Serialize(r.Reasons, Json), JsonSerializer.Serialize(r.Features, Json),
        }), cancellationToken);

    public Task<IReadOnlyList<RiskSnapshot>> ListRiskSnapshotsAsync(string partnershipId, DateOnly from, DateOnly to, CancellationToken cancellationToken = default) =>
        QueryAsync(
            "SELECT partnership_id, organization_id, as_of_date, scored_at, probability, band, model_version, prior_model, previous_probability, reasons, features FROM risk_snapshots WHERE partnership_id = $p0 AND as_of_date >= $p1 AND as_of_date <= $p2 ORDER BY as_of_date, organization_key",
            [partnershipId, Date(from), Date(to)],
            r => new RiskSnapshot
            {
                PartnershipId = r.GetString(0),
                OrganizationId = r.IsDBNull(1) ? null : r.GetString(1),
                AsOfDate = ParseDate(r.GetString(2)),
                ScoredAt = ParseInstant(r.GetString(3)),
                Probability = r.GetDouble(4),
                Band = r.GetString(5),
                ModelVersion = r.GetString(6),
                PriorModel = r.GetInt64(7) != 0,
                PreviousProbability = r.IsDBNull(8) ? null : r.GetDouble(8),
                Reasons = JsonSerializer.Deserialize<List<SnapshotReason>>(r.GetString(9), Json) ?? [],
                Features = JsonSerializer.Deserialize<Dictionary<string, double>>(r.GetString(10), Json) ?? [],
            },
            cancellationToken);

    public async Task<WriteOutcome> SaveModelAsync(StoredModel model, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Outcome(await UpsertAsync(Tables.Models, [[model.Version, model.Kind, Instant(model.CreatedAt), model.Artifact]], cancellationToken));
    }

    public async Task<StoredModel?> GetModelAsync(string version, CancellationToken cancellationToken = default) =>
        (await QueryAsync("SELECT version, kind, created_at, artifact FROM models WHERE version = $p0", [version], ReadModel, cancellationToken)).FirstOrDefault();

    public async Task SetChampionAsync(string version, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, "INSERT INTO champion (id, version, updated_at) VALUES (1, $p0, $p1) ON CONFLICT (id) DO UPDATE SET version = excluded.version, updated_at = excluded.updated_at", [version, Instant(_time.GetUtcNow())]);
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == 19)
        {
            throw new ArgumentException($"Model '{version}' is not stored.", nameof(version), ex);
        }
    }

    public async Task<StoredModel?> GetChampionAsync(CancellationToken cancellationToken = default) =>
        (await QueryAsync("SELECT m.version, m.kind, m.created_at, m.artifact FROM champion c JOIN models m ON m.version = c.version WHERE c.id = 1", [], ReadModel, cancellationToken)).FirstOrDefault();

    public async Task SaveRetrainingAsync(RetrainingRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        await ExecuteAsync(
            "INSERT INTO retrainings (ran_at, challenger_version, champion_version, promoted, reason, challenger_evaluation, champion_evaluation) VALUES ($p0, $p1, $p2, $p3, $p4, $p5, $p6) ON CONFLICT DO NOTHING",
            [Utc(record.RanAt), record.ChallengerVersion, record.ChampionVersion, record.Promoted ? 1 : 0, record.Reason, record.ChallengerEvaluation, record.ChampionEvaluation],
            cancellationToken);
    }

    public Task<IReadOnlyList<RetrainingRecord>> ListRetrainingsAsync(CancellationToken cancellationToken = default) =>
        QueryAsync(
            "SELECT ran_at, challenger_version, champion_version, promoted, reason, challenger_evaluation, champion_evaluation FROM retrainings ORDER BY ran_at DESC, challenger_version",
            [],
            r => new RetrainingRecord
            {
                RanAt = ParseInstant(r.GetString(0)),
                ChallengerVersion = r.GetString(1),
                ChampionVersion = r.GetString(2),
                Promoted = r.GetInt64(3) != 0,
                Reason = r.GetString(4),
                ChallengerEvaluation = r.GetString(5),
                ChampionEvaluation = r.GetString(6),
            },
            cancellationToken);

    public async Task SaveAlertsAsync(string partnershipId, IReadOnlyList<Alert> alerts, IReadOnlyList<AlertNotification> notifications, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(alerts);
        ArgumentNullException.ThrowIfNull(notifications);
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var now = Instant(_time.GetUtcNow());
        foreach (var alert in alerts)
        {
            await using var command = Command(
                connection,
                "INSERT INTO alerts (partnership_id, id, status, alert, updated_at) VALUES ($p0, $p1, $p2, $p3, $p4) ON CONFLICT (partnership_id, id) DO UPDATE SET status = excluded.status, alert = excluded.alert, updated_at = excluded.updated_at",
                [Same(partnershipId, alert.PartnershipId), alert.Id, WireNames.Format(alert.Status), JsonSerializer.Serialize(alert, AlertJson), now],
                transaction);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        foreach (var n in notifications)
        {
            await using var command = Command(
                connection,
                "INSERT INTO notifications (partnership_id, id, alert_id, recipient, subject, text, html, message_id, created_at, sent_at, attempts, last_error, updated_at) VALUES ($p0, $p1, $p2, $p3, $p4, $p5, $p6, $p7, $p8, NULL, 0, NULL, $p9) ON CONFLICT (partnership_id, id) DO NOTHING",
                [Same(partnershipId, n.PartnershipId), n.Id, n.AlertId, n.Recipient, n.Subject, n.Text, n.Html, n.MessageId, Instant(n.CreatedAt), now],
                transaction);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public Task<IReadOnlyList<Alert>> ListAlertsAsync(string partnershipId, CancellationToken cancellationToken = default) =>
        QueryAsync("SELECT alert FROM alerts WHERE partnership_id = $p0 ORDER BY id", [partnershipId], r => JsonSerializer.Deserialize<Alert>(r.GetString(0), AlertJson)!, cancellationToken);

    public Task<IReadOnlyList<AlertNotification>> ListPendingNotificationsAsync(string partnershipId, CancellationToken cancellationToken = default) =>
        QueryAsync($"SELECT {NotificationColumns} FROM notifications WHERE partnership_id = $p0 AND sent_at IS NULL ORDER BY created_at, id", [partnershipId], ReadNotification, cancellationToken);

    public Task<IReadOnlyList<AlertNotification>> ListNotificationsAsync(string partnershipId, string alertId, CancellationToken cancellationToken = default) =>
        QueryAsync($"SELECT {NotificationColumns} FROM notifications WHERE partnership_id = $p0 AND alert_id = $p1 ORDER BY created_at, id", [partnershipId, alertId], ReadNotification, cancellationToken);

    public Task RecordDeliveryAsync(string partnershipId, string notificationId, DateTimeOffset? sentAt, string? error, CancellationToken cancellationToken = default) =>
        ExecuteAsync(
            "UPDATE notifications SET sent_at = COALESCE(sent_at, $p2), attempts = attempts + 1, last_error = $p3, updated_at = $p4 WHERE partnership_id = $p0 AND id = $p1",
            [partnershipId, notificationId, sentAt is { } sent ? Instant(sent) : null, error, Instant(_time.GetUtcNow())],
            cancellationToken);

    private const string NotificationColumns = "partnership_id, id, alert_id, recipient, subject, text, html, message_id, created_at, sent_at, attempts, last_error";

    private static readonly JsonSerializerOptions AlertJson = new(JsonSerializerDefaults.Web) { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    private static AlertNotification ReadNotification(SqliteDataReader r) => new()
    {
        PartnershipId = r.GetString(0),
        Id = r.GetString(1),
        AlertId = r.GetString(2),
        Recipient = r.GetString(3),
        Subject = r.GetString(4),
        Text = r.GetString(5),
        Html = r.GetString(6),
        MessageId = r.GetString(7),
        CreatedAt = ParseInstant(r.GetString(8)),
        SentAt = r.IsDBNull(9) ? null : ParseInstant(r.GetString(9)),
        Attempts = r.GetInt32(10),
        LastError = r.IsDBNull(11) ? null : r.GetString(11),
    };

    public async Task RecordExportAsync(ExportAudit audit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(audit);
        await ExecuteAsync(
            "INSERT INTO export_audit (at_utc, id, at, caller, what, rows, personal_data, filter) VALUES ($p0, $p1, $p2, $p3, $p4, $p5, $p6, $p7)",
            [Utc(audit.At), Guid.NewGuid().ToString("N"), Instant(audit.At), audit.Caller, audit.What, audit.Rows, audit.PersonalData ? 1 : 0, audit.Filter],
            cancellationToken);
    }

    public Task<IReadOnlyList<ExportAudit>> ListExportsAsync(DateTimeOffset since, CancellationToken cancellationToken = default) =>
        QueryAsync(
            "SELECT at, caller, what, rows, personal_data, filter FROM export_audit WHERE at_utc >= $p0 ORDER BY at_utc DESC",
            [Utc(since)],
            r => new ExportAudit { At = ParseInstant(r.GetString(0)), Caller = r.GetString(1), What = r.GetString(2), Rows = r.GetInt32(3), PersonalData = r.GetInt64(4) != 0, Filter = r.IsDBNull(5) ? null : r.GetString(5) },
            cancellationToken);

    private static StoredModel ReadModel(SqliteDataReader r) => new()
    {
        Version = r.GetString(0),
        Kind = r.GetString(1),
        CreatedAt = ParseInstant(r.GetString(2)),
        Artifact = r.GetString(3),
    };

    private static Attendance ReadAttendance(SqliteDataReader r) => ReadAttendance(r, r.GetString(0));

    private static Attendance ReadAttendance(SqliteDataReader r, string partnershipId) => new()
    {
        PartnershipId = partnershipId,
        MeetingId = r.GetString(1),
        PersonId = r.GetString(2),
        Status = Parse<AttendanceStatus>(r.GetString(3)),
        SecondsAttended = r.IsDBNull(4) ? null : r.GetInt32(4),
        Intervals = r.IsDBNull(5) ? null : JsonSerializer.Deserialize<List<AttendanceInterval>>(r.GetString(5), Json),
    };

    public async Task<WriteOutcome> UpsertIntegrationAsync(IntegrationRegistration registration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registration);
        var settings = JsonSerializer.Serialize(new SortedDictionary<string, string>(registration.Settings.ToDictionary(), StringComparer.Ordinal), Json);
        return Outcome(await UpsertAsync(Tables.Integrations, [[registration.PartnershipId, WireNames.Format(registration.Kind), registration.Id, settings]], cancellationToken));
    }

    public Task<IReadOnlyList<IntegrationRegistration>> ListIntegrationsAsync(string partnershipId, CancellationToken cancellationToken = default) =>
        QueryAsync("SELECT partnership_id, kind, id, settings, checkpoint FROM integrations WHERE partnership_id = $p0 ORDER BY kind, id", [partnershipId], r => new IntegrationRegistration
        {
            PartnershipId = r.GetString(0),
            Kind = Parse<IntegrationKind>(r.GetString(1)),
            Id = r.GetString(2),
            Settings = JsonSerializer.Deserialize<Dictionary<string, string>>(r.GetString(3), Json) ?? [],
            Checkpoint = r.IsDBNull(4) ? null : r.GetString(4),
        }, cancellationToken);

    public async Task<bool> DeleteIntegrationAsync(string partnershipId, IntegrationKind kind, string id, CancellationToken cancellationToken = default) =>
        await ExecuteAsync("DELETE FROM integrations WHERE partnership_id = $p0 AND kind = $p1 AND id = $p2", [partnershipId, WireNames.Format(kind), id], cancellationToken) > 0;

    public async Task SetIntegrationCheckpointAsync(string partnershipId, IntegrationKind kind, string id, string? checkpoint, CancellationToken cancellationToken = default)
    {
        if (await ExecuteAsync("UPDATE integrations SET checkpoint = $p3, updated_at = $p4 WHERE partnership_id = $p0 AND kind = $p1 AND id = $p2", [partnershipId, WireNames.Format(kind), id, checkpoint, Instant(_time.GetUtcNow())], cancellationToken) == 0)
        {
            throw new ArgumentException($"No {WireNames.Format(kind)} '{id}' is registered for partnership '{partnershipId}'.", nameof(id));
        }
    }

    private const string MeetingColumns = "m.partnership_id, m.id, m.title, m.start, m.\"end\", m.kind, m.source, m.teams_join_url, m.cancelled, m.start_utc";

    private static Meeting ReadMeeting(SqliteDataReader r) => new()
    {
        PartnershipId = r.GetString(0),
        Id = r.GetString(1),
        Title = r.IsDBNull(2) ? null : r.GetString(2),
        Start = ParseInstant(r.GetString(3)),
        End = ParseInstant(r.GetString(4)),
        Kind = Parse<MeetingKind>(r.GetString(5)),
        Source = Parse<MeetingSource>(r.GetString(6)),
        TeamsJoinUrl = r.IsDBNull(7) ? null : r.GetString(7),
        Cancelled = r.GetInt64(8) != 0,
    };

    private static Partnership ReadPartnership(SqliteDataReader r) => new()
    {
        Id = r.GetString(0),
        Name = r.GetString(1),
        Territory = r.IsDBNull(2) ? null : r.GetString(2),
        Language = Parse<PartnershipLanguage>(r.GetString(3)),
        CoordinatorEmails = JsonSerializer.Deserialize<List<string>>(r.GetString(4), Json) ?? [],
    };

    private static Person ReadPerson(SqliteDataReader r) => new()
    {
        PartnershipId = r.GetString(0),
        Id = r.GetString(1),
        DisplayName = r.IsDBNull(2) ? null : r.GetString(2),
        Email = r.IsDBNull(3) ? null : r.GetString(3),
        ErasedAt = r.IsDBNull(4) ? null : ParseInstant(r.GetString(4)),
    };

    private async Task<WriteCounts> UpsertAsync(TableSpec table, IEnumerable<object?[]> rows, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        using var turn = await WriterTurnAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var now = Instant(_time.GetUtcNow());
        var columns = table.Keys.Concat(table.Values).ToArray();
        var parameters = columns.Select((_, i) => $"$p{i}").ToArray();
        var insertSql = $"INSERT INTO {table.Name} ({string.Join(", ", columns.Select(Quote))}, updated_at) VALUES ({string.Join(", ", parameters)}, $now) ON CONFLICT ({string.Join(", ", table.Keys.Select(Quote))}) DO NOTHING";
        var keyMatch = string.Join(" AND ", table.Keys.Select((k, i) => $"{Quote(k)} = $p{i}"));
        var same = string.Join(" AND ", table.Values.Select((v, i) => $"{Quote(v)} IS $p{i + table.Keys.Length}"));
        var set = string.Join(", ", table.Values.Select((v, i) => $"{Quote(v)} = $p{i + table.Keys.Length}")) + (table.ExtraSet is null ? string.Empty : ", " + table.ExtraSet);
        var updateSql = $"UPDATE {table.Name} SET {set}, updated_at = $now WHERE {keyMatch} AND NOT ({same})";

        await using var insert = Command(connection, insertSql, new object?[columns.Length], transaction);
        await using var update = Command(connection, updateSql, new object?[columns.Length], transaction);
        insert.Parameters.AddWithValue("$now", now);
        update.Parameters.AddWithValue("$now", now);
        insert.Prepare();
        update.Prepare();
        var counts = default(WriteCounts);
        foreach (var row in rows)
        {
            for (var i = 0; i < columns.Length; i++)
            {
                var value = row[i] ?? DBNull.Value;
                insert.Parameters[i].Value = value;
                update.Parameters[i].Value = value;
            }

            if (await insert.ExecuteNonQueryAsync(cancellationToken) == 1)
            {
                counts = counts.With(WriteOutcome.Created);
            }
            else
            {
                counts = counts.With(await update.ExecuteNonQueryAsync(cancellationToken) == 1 ? WriteOutcome.Updated : WriteOutcome.Unchanged);
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return counts;
    }

    private async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, object?[] parameters, Func<SqliteDataReader, T> read, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var list = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(read(reader));
        }

        return list;
    }

    /// <summary>Waits for this instance's other writers; disposing the turn lets the next one in.</summary>
    private async Task<WriterTurn> WriterTurnAsync(CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        return new WriterTurn(_writeLock);
    }

    private sealed class WriterTurn(SemaphoreSlim writeLock) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                writeLock.Release();
            }
        }
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        await MigrateAsync(cancellationToken);
        return await OpenRawAsync(cancellationToken);
    }

    private async Task<SqliteConnection> OpenRawAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, object?[] parameters, SqliteTransaction? transaction = null)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        for (var i = 0; i < parameters.Length; i++)
        {
            command.Parameters.AddWithValue($"$p{i}", parameters[i] ?? DBNull.Value);
        }

        return command;
    }

    /// <summary>One statement on its own connection; answers the rows it changed.</summary>
    private async Task<int> ExecuteAsync(string sql, object?[] parameters, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken, SqliteTransaction? transaction = null)
    {
        await using var command = Command(connection, sql, [], transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<int> UserVersionAsync(SqliteConnection connection, CancellationToken cancellationToken, SqliteTransaction? transaction = null)
    {
        await using var command = Command(connection, "PRAGMA user_version;", [], transaction);
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    private static string Quote(string column) => column == "end" ? "\"end\"" : column;

    private static string Utc(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private sealed record TableSpec(string Name, string[] Keys, string[] Values, string? ExtraSet = null);

    private static class Tables
    {
        public static readonly TableSpec Partnerships = new("partnerships", ["id"], ["name", "territory", "language", "coordinator_emails"]);
        public static readonly TableSpec Organizations = new("organizations", ["partnership_id", "id"], ["name", "sector"]);

        // Giving a name or e-mail again to an erased person makes them a known person again.
        public static readonly TableSpec People = new("people", ["partnership_id", "id"], ["display_name", "email"], "erased_at = CASE WHEN $p2 IS NULL AND $p3 IS NULL THEN erased_at ELSE NULL END");
        public static readonly TableSpec Representations = new("representations", ["partnership_id", "id"], ["organization_id", "person_id", "role", "from_date", "to_date"]);
        public static readonly TableSpec Meetings = new("meetings", ["partnership_id", "id"], ["title", "start", "start_utc", "end", "kind", "source", "teams_join_url", "cancelled"]);
        public static readonly TableSpec Attendance = new("attendance", ["partnership_id", "meeting_id", "person_id"], ["status", "seconds_attended", "intervals"]);
        public static readonly TableSpec Integrations = new("integrations", ["partnership_id", "kind", "id"], ["settings"]);
        public static readonly TableSpec Forms = new("forms", ["id"], ["partnership_id", "kind", "title", "diagnostic"]);
        public static readonly TableSpec RiskSnapshots = new("risk_snapshots", ["partnership_id", "as_of_date", "organization_key"], ["organization_id", "scored_at", "probability", "band", "model_version", "prior_model", "previous_probability", "reasons", "features"]);
        public static readonly TableSpec Models = new("models", ["version"], ["kind", "created_at", "artifact"]);
        public static readonly TableSpec FormSubmissions = new("form_submissions", ["partnership_id", "form_id", "response_id"], ["kind", "respondent_person_id", "respondent_email", "submitted_at", "submitted_at_utc", "answers", "diagnostic_items"]);
    }

}
