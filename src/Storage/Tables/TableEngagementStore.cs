using System.Text;
using System.Text.Json;
using System.Globalization;
using Engagement.Core.Alerts;
using Engagement.Core.Domain;
using Engagement.Core.Storage;
using static Engagement.Storage.StoredValues;

namespace Engagement.Storage.Tables;

/// <summary>
/// The store on Azure Table Storage. Everything that belongs to a partnership lives in one partition of the
/// <c>{prefix}Data</c> table (PartitionKey = partnership id), so scoring a partnership reads one partition and a batch
/// for one partnership is written with entity group transactions. RowKeys are composed from natural ids
/// (<c>att|meeting|person</c>, <c>person|id</c>…), so every write is an idempotent upsert. Partnerships and form
/// registrations, looked up across partnerships, have small tables of their own.
/// </summary>
/// <remarks>
/// A write is compared with what is stored (to count created, updated and unchanged records) and sent as
/// conditional actions: <c>Add</c> for new records, <c>UpdateReplace</c> with the read ETag for changed ones. When a
/// concurrent writer got there first, the chunk is read again and retried, so counts stay exact. A write of up to
/// 100 records (and 4 MiB) is one transaction, all or nothing. A larger write is split into transactions of 100,
/// sent in order; if the service fails in the middle, the earlier transactions stay stored and the call throws:
/// sending the same batch again completes it without duplicates (its stored part counts as unchanged).
/// </remarks>
public sealed class TableEngagementStore : IEngagementStore
{
    private const string Org = "org", PersonKind = "person", Rep = "rep", MeetingKind = "meeting", Att = "att", Sub = "sub", Risk = "risk", Integration = "int", AlertKind = "alert", Mail = "mail";
    private const string PartnershipPartition = "partnership", FormPartition = "form", ModelPartition = "model", ChampionPartition = "champion", RetrainingPartition = "retraining", AuditPartition = "export-audit";
    private const int MaxTransactionBytes = 3 * 1024 * 1024;
    private const int MaxConflictRetries = 8;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly TableServiceClient _service;
    private readonly TimeProvider _time;
    private readonly TableClient _partnerships;
    private readonly TableClient _forms;
    private readonly TableClient _data;
    private readonly TableClient _models;
    private readonly SemaphoreSlim _createGate = new(1, 1);
    private volatile bool _created;

    public TableEngagementStore(TableServiceClient service, string tablePrefix, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(service);
        _service = service;
        _time = time;
        _partnerships = service.GetTableClient(tablePrefix + "Partnerships");
        _forms = service.GetTableClient(tablePrefix + "Forms");
        _data = service.GetTableClient(tablePrefix + "Data");
        _models = service.GetTableClient(tablePrefix + "Models");
    }

    /// <summary>The names of the tables this store uses.</summary>
    public IReadOnlyList<string> TableNames => [_partnerships.Name, _forms.Name, _data.Name, _models.Name];

    /// <summary>Creates the tables unless they exist (done once, on first use).</summary>
    public async Task EnsureTablesAsync(CancellationToken cancellationToken = default)
    {
        if (_created)
        {
            return;
        }

        await _createGate.WaitAsync(cancellationToken);
        try
        {
            if (!_created)
            {
                foreach (var table in new[] { _partnerships, _forms, _data, _models })
                {
                    await table.CreateIfNotExistsAsync(cancellationToken);
                }

                _created = true;
            }
        }
        finally
        {
            _createGate.Release();
        }
    }

    public async Task<StoreHealth> CheckHealthAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await EnsureTablesAsync(cancellationToken);
            await foreach (var _ in _partnerships.QueryAsync(maxPerPage: 1, cancellationToken: cancellationToken))
            {
                break;
            }

            return new StoreHealth("tables", true, $"tables {string.Join(", ", TableNames)} at {_service.Endpoint}");
        }
        catch (TableServiceException ex)
        {
            return new StoreHealth("tables", false, ex.Message);
        }
    }

    // ---- partnerships and forms ----

    public async Task<WriteOutcome> UpsertPartnershipAsync(Partnership partnership, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(partnership);
        var entity = new TableEntity(PartnershipPartition, partnership.Id)
        {
            ["Name"] = partnership.Name,
            ["Territory"] = partnership.Territory,
            ["Language"] = WireNames.Format(partnership.Language),
            ["CoordinatorEmails"] = JsonSerializer.Serialize(partnership.CoordinatorEmails, Json),
        };
        return Outcome(await UpsertAsync(_partnerships, PartnershipPartition, [entity], null, cancellationToken));
    }

    public async Task<Partnership?> GetPartnershipAsync(string partnershipId, CancellationToken cancellationToken = default)
    {
        await EnsureTablesAsync(cancellationToken);
        return await _partnerships.GetEntityIfExistsAsync(PartnershipPartition, partnershipId, cancellationToken: cancellationToken) is { } e ? ReadPartnership(e) : null;
    }

    public async Task<IReadOnlyList<Partnership>> ListPartnershipsAsync(CancellationToken cancellationToken = default)
    {
        await EnsureTablesAsync(cancellationToken);
        var list = new List<Partnership>();
        await foreach (var entity in _partnerships.QueryAsync(TableFilter.Create($"PartitionKey eq {PartnershipPartition}"), cancellationToken: cancellationToken))
        {
            list.Add(ReadPartnership(entity));
        }

        return [.. list.OrderBy(p => p.Id, StringComparer.Ordinal)];
    }

    public async Task<WriteOutcome> UpsertFormAsync(FormDefinition form, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(form);
        var entity = new TableEntity(FormPartition, form.Id)
        {
            ["PartnershipId"] = form.PartnershipId,
            ["Kind"] = WireNames.Format(form.Kind),
            ["Title"] = form.Title,
            ["Diagnostic"] = form.Diagnostic is null ? null : JsonSerializer.Serialize(StoredMapping.From(form.Diagnostic), Json),
        };
        return Outcome(await UpsertAsync(_forms, FormPartition, [entity], null, cancellationToken));
    }

    public async Task<FormDefinition?> GetFormAsync(string formId, CancellationToken cancellationToken = default)
    {
        await EnsureTablesAsync(cancellationToken);
        return await _forms.GetEntityIfExistsAsync(FormPartition, formId, cancellationToken: cancellationToken) is { } e
            ? new FormDefinition
            {
                Id = e.RowKey,
                PartnershipId = e.GetString("PartnershipId")!,
                Kind = Parse<FormKind>(e.GetString("Kind")),
                Title = e.GetString("Title"),
                Diagnostic = e.GetString("Diagnostic") is { } d ? JsonSerializer.Deserialize<StoredMapping>(d, Json)!.ToMapping() : null,
            }
            : null;
    }

    // ---- roster, meetings, attendance, submissions ----

    public async Task<PartnershipKeys> GetKeysAsync(string partnershipId, CancellationToken cancellationToken = default)
    {
        var people = await RangeAsync(partnershipId, [PersonKind], ["Id", "Email"], cancellationToken);
        return new PartnershipKeys
        {
            OrganizationIds = await IdsAsync(partnershipId, Org, cancellationToken),
            PersonIds = people.Select(p => p.GetString("Id")!).ToHashSet(StringComparer.Ordinal),
            PersonIdsByEmail = people.Where(p => p.GetString("Email") is not null)
                .ToDictionary(p => p.GetString("Email")!, p => p.GetString("Id")!, StringComparer.Ordinal),
            MeetingIds = await IdsAsync(partnershipId, MeetingKind, cancellationToken),
            RepresentationIds = await IdsAsync(partnershipId, Rep, cancellationToken),
        };
    }

    public Task<WriteCounts> UpsertOrganizationsAsync(string partnershipId, IReadOnlyList<Organization> organizations, CancellationToken cancellationToken = default) =>
        UpsertDataAsync(partnershipId, [Org], organizations.Select(o => new TableEntity(Same(partnershipId, o.PartnershipId), TableKeys.Compose(Org, o.Id))
        {
            ["Id"] = o.Id,
            ["Name"] = o.Name,
            ["Sector"] = WireNames.Format(o.Sector),
        }), null, cancellationToken);

    public Task<WriteCounts> UpsertPeopleAsync(string partnershipId, IReadOnlyList<Person> people, CancellationToken cancellationToken = default) =>
        UpsertDataAsync(partnershipId, [PersonKind], people.Select(p => new TableEntity(Same(partnershipId, p.PartnershipId), TableKeys.Compose(PersonKind, p.Id))
        {
            ["Id"] = p.Id,
            ["DisplayName"] = p.DisplayName,
            ["Email"] = p.Email,
        }), KeepErasure, cancellationToken);

    public Task<WriteCounts> UpsertRepresentationsAsync(string partnershipId, IReadOnlyList<Representation> representations, CancellationToken cancellationToken = default) =>
        UpsertDataAsync(partnershipId, [Rep], representations.Select(r => new TableEntity(Same(partnershipId, r.PartnershipId), TableKeys.Compose(Rep, r.Id))
        {
            ["Id"] = r.Id,
            ["OrganizationId"] = r.OrganizationId,
            ["PersonId"] = r.PersonId,
            ["Role"] = WireNames.Format(r.Role),
            ["From"] = Date(r.From),
            ["To"] = r.To is { } to ? Date(to) : null,
        }), null, cancellationToken);

    public Task<WriteCounts> UpsertMeetingsAsync(string partnershipId, IReadOnlyList<Meeting> meetings, CancellationToken cancellationToken = default) =>
        UpsertDataAsync(partnershipId, [MeetingKind], meetings.Select(m => new TableEntity(Same(partnershipId, m.PartnershipId), TableKeys.Compose(MeetingKind, m.Id))
        {
            ["Id"] = m.Id,
            ["Title"] = m.Title,
            ["Start"] = Instant(m.Start),
            ["StartUtc"] = m.Start.ToUniversalTime(),
            ["End"] = Instant(m.End),
            ["Kind"] = WireNames.Format(m.Kind),
            ["Source"] = WireNames.Format(m.Source),
            ["TeamsJoinUrl"] = m.TeamsJoinUrl,
            ["Cancelled"] = m.Cancelled,
        }), null, cancellationToken);

    public async Task<WriteCounts> UpsertAttendanceAsync(string partnershipId, IReadOnlyList<Attendance> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        var entities = records.Select(a => new TableEntity(Same(partnershipId, a.PartnershipId), TableKeys.Compose(Att, a.MeetingId, a.PersonId))
        {
            ["MeetingId"] = a.MeetingId,
            ["PersonId"] = a.PersonId,
            ["Status"] = WireNames.Format(a.Status),
            ["SecondsAttended"] = a.SecondsAttended,
            ["Intervals"] = a.Intervals is { Count: > 0 } intervals ? JsonSerializer.Serialize(intervals, Json) : null,
        }).ToList();

        // Read only the meetings this batch touches, not the partnership's whole attendance history.
        var meetings = records.Select(r => r.MeetingId).Distinct(StringComparer.Ordinal).ToList();
        return await UpsertAsync(_data, partnershipId, entities, null, cancellationToken, async () =>
        {
            var existing = new Dictionary<string, TableEntity>(StringComparer.Ordinal);
            foreach (var meeting in meetings)
            {
                foreach (var entity in await RangeAsync(partnershipId, [Att, meeting], null, cancellationToken))
                {
                    existing[entity.RowKey] = entity;
                }
            }

            return existing;
        });
    }

    public Task<WriteCounts> UpsertFormSubmissionsAsync(string partnershipId, IReadOnlyList<FormSubmission> submissions, CancellationToken cancellationToken = default) =>
        UpsertDataAsync(partnershipId, [Sub], submissions.Select(s =>
        {
            var entity = new TableEntity(Same(partnershipId, s.PartnershipId), TableKeys.Compose(Sub, s.FormId, s.ResponseId))
            {
                ["FormId"] = s.FormId,
                ["ResponseId"] = s.ResponseId,
                ["Kind"] = WireNames.Format(s.Kind),
                ["RespondentPersonId"] = s.RespondentPersonId,
                ["RespondentEmail"] = s.RespondentEmail,
                ["SubmittedAt"] = Instant(s.SubmittedAt),
                ["SubmittedAtUtc"] = s.SubmittedAt.ToUniversalTime(),
                ["DiagnosticItems"] = s.DiagnosticItems is null ? null : JsonSerializer.Serialize(StoredValues.DiagnosticItems(s.DiagnosticItems), Json),
            };
            WriteAnswers(entity, s.Answers);
            return entity;
        }), null, cancellationToken);

    public async Task<Roster> GetRosterAsync(string partnershipId, CancellationToken cancellationToken = default) => new()
    {
        Organizations = [.. (await RangeAsync(partnershipId, [Org], null, cancellationToken)).Select(e => new Organization
        {
            PartnershipId = partnershipId,
            Id = e.GetString("Id")!,
            Name = e.GetString("Name")!,
            Sector = Parse<Sector>(e.GetString("Sector")),
        }).OrderBy(o => o.Id, StringComparer.Ordinal)],
        People = [.. (await RangeAsync(partnershipId, [PersonKind], null, cancellationToken)).Select(e => ReadPerson(partnershipId, e)).OrderBy(p => p.Id, StringComparer.Ordinal)],
        Representations = [.. (await RangeAsync(partnershipId, [Rep], null, cancellationToken)).Select(e => new Representation
        {
            PartnershipId = partnershipId,
            Id = e.GetString("Id")!,
            OrganizationId = e.GetString("OrganizationId")!,
            PersonId = e.GetString("PersonId")!,
            Role = Parse<RepresentationRole>(e.GetString("Role")),
            From = ParseDate(e.GetString("From")!),
            To = e.GetString("To") is { } to ? ParseDate(to) : null,
        }).OrderBy(r => r.From).ThenBy(r => r.Id, StringComparer.Ordinal)],
    };

    public async Task<IReadOnlyList<MeetingSummary>> ListMeetingsAsync(string partnershipId, CancellationToken cancellationToken = default)
    {
        var meetings = (await RangeAsync(partnershipId, [MeetingKind], null, cancellationToken)).Select(e => ReadMeeting(partnershipId, e));
        var counts = new Dictionary<(string Meeting, string Status), int>();
        foreach (var entity in await RangeAsync(partnershipId, [Att], ["MeetingId", "Status"], cancellationToken))
        {
            var key = (entity.GetString("MeetingId")!, entity.GetString("Status")!);
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }

        int Count(string meeting, AttendanceStatus status) => counts.GetValueOrDefault((meeting, WireNames.Format(status)));
        return [.. meetings.OrderBy(m => m.Start.UtcDateTime).ThenBy(m => m.Id, StringComparer.Ordinal).Select(m => new MeetingSummary
        {
            Meeting = m,
            Present = Count(m.Id, AttendanceStatus.Present),
            Absent = Count(m.Id, AttendanceStatus.Absent),
            Excused = Count(m.Id, AttendanceStatus.Excused),
        })];
    }

    public async Task<Meeting?> GetMeetingAsync(string partnershipId, string meetingId, CancellationToken cancellationToken = default)
    {
        await EnsureTablesAsync(cancellationToken);
        return await _data.GetEntityIfExistsAsync(partnershipId, TableKeys.Compose(MeetingKind, meetingId), cancellationToken: cancellationToken) is { } e ? ReadMeeting(partnershipId, e) : null;
    }

    public async Task<IReadOnlyList<Attendance>> GetAttendanceAsync(string partnershipId, string meetingId, CancellationToken cancellationToken = default) =>
        [.. (await RangeAsync(partnershipId, [Att, meetingId], null, cancellationToken)).Select(e => ReadAttendance(partnershipId, e)).OrderBy(a => a.PersonId, StringComparer.Ordinal)];

    public async Task<IReadOnlyList<FormSubmission>> ListFormSubmissionsAsync(string partnershipId, CancellationToken cancellationToken = default) =>
        [.. (await RangeAsync(partnershipId, [Sub], null, cancellationToken)).Select(e => new FormSubmission
        {
            PartnershipId = partnershipId,
            FormId = e.GetString("FormId")!,
            ResponseId = e.GetString("ResponseId")!,
            Kind = Parse<FormKind>(e.GetString("Kind")),
            RespondentPersonId = e.GetString("RespondentPersonId"),
            RespondentEmail = e.GetString("RespondentEmail"),
            SubmittedAt = ParseInstant(e.GetString("SubmittedAt")!),
            Answers = ReadAnswers(e),
            DiagnosticItems = e.GetString("DiagnosticItems") is { } d
                ? ParseDiagnosticItems(JsonSerializer.Deserialize<Dictionary<string, string>>(d, Json)!)
                : null,
        }).OrderBy(s => s.SubmittedAt.UtcDateTime).ThenBy(s => s.FormId, StringComparer.Ordinal).ThenBy(s => s.ResponseId, StringComparer.Ordinal)];

    public async Task<IReadOnlyList<PersonActivity>> ListPersonActivityAsync(string partnershipId, CancellationToken cancellationToken = default)
    {
        var people = await RangeAsync(partnershipId, [PersonKind], null, cancellationToken);
        var meetings = (await RangeAsync(partnershipId, [MeetingKind], ["Id", "StartUtc", "Cancelled"], cancellationToken))
            .Where(m => m.GetBoolean("Cancelled") != true)
            .ToDictionary(m => m.GetString("Id")!, m => m.GetDateTimeOffset("StartUtc")!.Value, StringComparer.Ordinal);
        var attended = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        foreach (var a in await RangeAsync(partnershipId, [Att], ["MeetingId", "PersonId", "Status"], cancellationToken))
        {
            if (a.GetString("Status") is "present" or "excused" && meetings.TryGetValue(a.GetString("MeetingId")!, out var start))
            {
                var person = a.GetString("PersonId")!;
                attended[person] = attended.TryGetValue(person, out var known) && known > start ? known : start;
            }
        }

        var submitted = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        foreach (var s in await RangeAsync(partnershipId, [Sub], ["RespondentPersonId", "SubmittedAtUtc"], cancellationToken))
        {
            if (s.GetString("RespondentPersonId") is { } person && s.GetDateTimeOffset("SubmittedAtUtc") is { } at)
            {
                submitted[person] = submitted.TryGetValue(person, out var known) && known > at ? known : at;
            }
        }

        var representations = (await RangeAsync(partnershipId, [Rep], ["PersonId", "To"], cancellationToken))
            .GroupBy(r => r.GetString("PersonId")!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        return [.. people.Select(e =>
        {
            var person = ReadPerson(partnershipId, e);
            var reps = representations.GetValueOrDefault(person.Id) ?? [];
            var ends = reps.Select(r => r.GetString("To")).Where(t => t is not null).Select(t => ParseDate(t!)).ToList();
            return new PersonActivity
            {
                Person = person,
                RecordUpdatedAt = e.GetDateTimeOffset("UpdatedAt")!.Value,
                LastAttendedAt = attended.TryGetValue(person.Id, out var a) ? a : null,
                LastSubmittedAt = submitted.TryGetValue(person.Id, out var s) ? s : null,
                HasOpenRepresentation = reps.Any(r => r.GetString("To") is null),
                LastRepresentationEnd = ends.Count == 0 ? null : ends.Max(),
            };
        }).OrderBy(a => a.Person.Id, StringComparer.Ordinal)];
    }

    public async Task<int> ErasePersonalDataAsync(string partnershipId, IReadOnlyList<string> personIds, DateTimeOffset submittedBefore, DateTimeOffset erasedAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(personIds);
        var wanted = personIds.ToHashSet(StringComparer.Ordinal);
        var erased = 0;
        var actions = new List<TableTransactionAction>();
        foreach (var person in await RangeAsync(partnershipId, [PersonKind], null, cancellationToken))
        {
            if (wanted.Contains(person.GetString("Id")!) && (person.GetString("DisplayName") is not null || person.GetString("Email") is not null))
            {
                person["DisplayName"] = null;
                person["Email"] = null;
                person["ErasedAt"] = erasedAt;
                actions.Add(new TableTransactionAction(TableTransactionActionType.UpdateReplace, person, person.ETag));
                erased++;
            }
        }

        foreach (var submission in await RangeAsync(partnershipId, [Sub], null, cancellationToken))
        {
            if (submission.GetString("RespondentEmail") is not null && submission.GetDateTimeOffset("SubmittedAtUtc") < submittedBefore)
            {
                submission["RespondentEmail"] = null;
                actions.Add(new TableTransactionAction(TableTransactionActionType.UpdateReplace, submission, submission.ETag));
            }
        }

        foreach (var chunk in Chunk(actions))
        {
            await _data.SubmitTransactionAsync(chunk, cancellationToken);
        }

        return erased;
    }

    // ---- attendance, risk, models ----

    /// <summary>
    /// In RowKey order ("att|meeting|person", escaped), page by page as the service hands them over, so memory does not
    /// grow with the partnership; <paramref name="after"/> becomes a RowKey lower bound.
    /// </summary>
    public async IAsyncEnumerable<Attendance> StreamAttendanceAsync(string partnershipId, AttendanceKey? after = null, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await EnsureTablesAsync(cancellationToken);
        var filter = after is { } key
            ? TableFilter.RowKeyRangeAfter(partnershipId, TableKeys.Compose(Att, key.MeetingId, key.PersonId), Att)
            : TableFilter.RowKeyRange(partnershipId, Att);
        await foreach (var entity in _data.QueryAsync(filter, cancellationToken: cancellationToken))
        {
            yield return ReadAttendance(partnershipId, entity);
        }
    }

    public async IAsyncEnumerable<Meeting> StreamMeetingsAsync(string partnershipId, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await EnsureTablesAsync(cancellationToken);
        await foreach (var entity in _data.QueryAsync(TableFilter.RowKeyRange(partnershipId, MeetingKind), cancellationToken: cancellationToken))
        {
            yield return ReadMeeting(partnershipId, entity);
        }
    }

    public async Task<IReadOnlyList<Attendance>> ListAttendanceAsync(string partnershipId, CancellationToken cancellationToken = default) =>
        [.. (await RangeAsync(partnershipId, [Att], null, cancellationToken)).Select(e => ReadAttendance(partnershipId, e))
            .OrderBy(a => a.MeetingId, StringComparer.Ordinal).ThenBy(a => a.PersonId, StringComparer.Ordinal)];

    public Task<WriteCounts> UpsertRiskSnapshotsAsync(string partnershipId, IReadOnlyList<RiskSnapshot> snapshots, CancellationToken cancellationToken = default) =>
        UpsertDataAsync(partnershipId, [Risk], snapshots.Select(r => new TableEntity(Same(partnershipId, r.PartnershipId), TableKeys.Compose(Risk, r.AsOfDate.ToString("yyyyMMdd", CultureInfo.InvariantCulture), r.OrganizationId ?? string.Empty))
        {
            ["OrganizationId"] = r.OrganizationId,
            ["AsOfDate"] = Date(r.AsOfDate),
            ["ScoredAt"] = Instant(r.ScoredAt),
            ["Probability"] = r.Probability,
            ["Band"] = r.Band,
            ["ModelVersion"] = r.ModelVersion,
            ["PriorModel"] = r.PriorModel,
            ["PreviousProbability"] = r.PreviousProbability,
            ["Reasons"] = JsonSerializer.Serialize(r.Reasons, Json),
            ["Features"] = JsonSerializer.Serialize(r.Features, Json),
        }), null, cancellationToken);

    public async Task<IReadOnlyList<RiskSnapshot>> ListRiskSnapshotsAsync(string partnershipId, DateOnly from, DateOnly to, CancellationToken cancellationToken = default)
    {
        await EnsureTablesAsync(cancellationToken);
        var lower = TableKeys.Compose(Risk, from.ToString("yyyyMMdd", CultureInfo.InvariantCulture)) + "|";
        var upper = TableKeys.Compose(Risk, to.ToString("yyyyMMdd", CultureInfo.InvariantCulture)) + "}";
        var list = new List<RiskSnapshot>();
        await foreach (var e in _data.QueryAsync(TableFilter.Create($"PartitionKey eq {partnershipId} and RowKey ge {lower} and RowKey lt {upper}"), cancellationToken: cancellationToken))
        {
            list.Add(new RiskSnapshot
            {
                PartnershipId = partnershipId,
                OrganizationId = e.GetString("OrganizationId"),
                AsOfDate = ParseDate(e.GetString("AsOfDate")!),
                ScoredAt = ParseInstant(e.GetString("ScoredAt")!),
                Probability = e.GetDouble("Probability")!.Value,
                Band = e.GetString("Band")!,
                ModelVersion = e.GetString("ModelVersion")!,
                PriorModel = e.GetBoolean("PriorModel") ?? false,
                PreviousProbability = e.GetDouble("PreviousProbability"),
                Reasons = JsonSerializer.Deserialize<List<SnapshotReason>>(e.GetString("Reasons") ?? "[]", Json) ?? [],
                Features = JsonSerializer.Deserialize<Dictionary<string, double>>(e.GetString("Features") ?? "{}", Json) ?? [],
            });
        }

        return [.. list.OrderBy(s => s.AsOfDate).ThenBy(s => s.OrganizationId ?? string.Empty, StringComparer.Ordinal)];
    }

    public async Task<WriteOutcome> SaveModelAsync(StoredModel model, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        var entity = new TableEntity(ModelPartition, model.Version) { ["Kind"] = model.Kind, ["CreatedAt"] = Instant(model.CreatedAt) };
        WriteLongText(entity, "Artifact", model.Artifact);
        return Outcome(await UpsertAsync(_models, ModelPartition, [entity], null, cancellationToken));
    }

    public async Task<StoredModel?> GetModelAsync(string version, CancellationToken cancellationToken = default)
    {
        await EnsureTablesAsync(cancellationToken);
        return await _models.GetEntityIfExistsAsync(ModelPartition, version, cancellationToken: cancellationToken) is { } e ? ReadModel(e) : null;
    }

    public async Task SetChampionAsync(string version, CancellationToken cancellationToken = default)
    {
        if (await GetModelAsync(version, cancellationToken) is null)
        {
            throw new ArgumentException($"Model '{version}' is not stored.", nameof(version));
        }

        await _models.UpsertEntityAsync(new TableEntity(ChampionPartition, "current") { ["Version"] = version, ["UpdatedAt"] = _time.GetUtcNow() }, TableUpdateMode.Replace, cancellationToken);
    }

    public async Task<StoredModel?> GetChampionAsync(CancellationToken cancellationToken = default)
    {
        await EnsureTablesAsync(cancellationToken);
        return await _models.GetEntityIfExistsAsync(ChampionPartition, "current", cancellationToken: cancellationToken) is { } champion
            ? await GetModelAsync(champion.GetString("Version")!, cancellationToken)
            : null;
    }

    public async Task SaveRetrainingAsync(RetrainingRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        await EnsureTablesAsync(cancellationToken);

        // Newest first in key order: the row key counts down with time.
        var rowKey = TableKeys.Compose((DateTimeOffset.MaxValue.UtcTicks - record.RanAt.UtcTicks).ToString("D19", CultureInfo.InvariantCulture), record.ChallengerVersion);
        var entity = new TableEntity(RetrainingPartition, rowKey)
        {
            ["RanAt"] = Instant(record.RanAt),
            ["ChallengerVersion"] = record.ChallengerVersion,
            ["ChampionVersion"] = record.ChampionVersion,
            ["Promoted"] = record.Promoted,
            ["Reason"] = record.Reason,
        };
        WriteLongText(entity, "ChallengerEvaluation", record.ChallengerEvaluation);
        WriteLongText(entity, "ChampionEvaluation", record.ChampionEvaluation);
        await UpsertAsync(_models, RetrainingPartition, [entity], null, cancellationToken);
    }

    public async Task<IReadOnlyList<RetrainingRecord>> ListRetrainingsAsync(CancellationToken cancellationToken = default)
    {
        await EnsureTablesAsync(cancellationToken);
        var list = new List<RetrainingRecord>();
        await foreach (var e in _models.QueryAsync(TableFilter.Create($"PartitionKey eq {RetrainingPartition}"), cancellationToken: cancellationToken))
        {
            list.Add(new RetrainingRecord
            {
                RanAt = ParseInstant(e.GetString("RanAt")!),
                ChallengerVersion = e.GetString("ChallengerVersion")!,
                ChampionVersion = e.GetString("ChampionVersion")!,
                Promoted = e.GetBoolean("Promoted") ?? false,
                Reason = e.GetString("Reason")!,
                ChallengerEvaluation = ReadLongText(e, "ChallengerEvaluation"),
                ChampionEvaluation = ReadLongText(e, "ChampionEvaluation"),
            });
        }

        return list;
    }

    private static StoredModel ReadModel(TableEntity e) => new()
    {
        Version = e.RowKey,
        Kind = e.GetString("Kind")!,
        CreatedAt = ParseInstant(e.GetString("CreatedAt")!),
        Artifact = ReadLongText(e, "Artifact"),
    };

    private static Attendance ReadAttendance(string partnershipId, TableEntity e) => new()
    {
        PartnershipId = partnershipId,
        MeetingId = e.GetString("MeetingId")!,
        PersonId = e.GetString("PersonId")!,
        Status = Parse<AttendanceStatus>(e.GetString("Status")),
        SecondsAttended = e.GetInt32("SecondsAttended"),
        Intervals = e.GetString("Intervals") is { } intervals ? JsonSerializer.Deserialize<List<AttendanceInterval>>(intervals, Json) : null,
    };

    // ---- export audit ----

    public async Task RecordExportAsync(ExportAudit audit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(audit);
        await EnsureTablesAsync(cancellationToken);

        // Newest first in key order: the row key counts down with time.
        var rowKey = TableKeys.Compose((DateTimeOffset.MaxValue.UtcTicks - audit.At.UtcTicks).ToString("D19", CultureInfo.InvariantCulture), Guid.NewGuid().ToString("N"));
        await _models.AddEntityAsync(new TableEntity(AuditPartition, rowKey)
        {
            ["At"] = Instant(audit.At),
            ["AtUtc"] = audit.At.ToUniversalTime(),
            ["Caller"] = audit.Caller,
            ["What"] = audit.What,
            ["Rows"] = audit.Rows,
            ["PersonalData"] = audit.PersonalData,
            ["Filter"] = audit.Filter,
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<ExportAudit>> ListExportsAsync(DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        await EnsureTablesAsync(cancellationToken);
        var list = new List<ExportAudit>();
        await foreach (var e in _models.QueryAsync(TableFilter.Create($"PartitionKey eq {AuditPartition} and AtUtc ge {since}"), cancellationToken: cancellationToken))
        {
            list.Add(new ExportAudit { At = ParseInstant(e.GetString("At")!), Caller = e.GetString("Caller")!, What = e.GetString("What")!, Rows = e.GetInt32("Rows") ?? 0, PersonalData = e.GetBoolean("PersonalData") ?? false, Filter = e.GetString("Filter") });
        }

        return list;
    }

    // ---- alerts and their outbox ----

    private static readonly JsonSerializerOptions AlertJson = new(JsonSerializerDefaults.Web) { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    public async Task SaveAlertsAsync(string partnershipId, IReadOnlyList<Alert> alerts, IReadOnlyList<AlertNotification> notifications, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(alerts);
        ArgumentNullException.ThrowIfNull(notifications);
        await EnsureTablesAsync(cancellationToken);
        var now = _time.GetUtcNow();
        var actions = new List<TableTransactionAction>();
        foreach (var alert in alerts)
        {
            var entity = new TableEntity(Same(partnershipId, alert.PartnershipId), TableKeys.Compose(AlertKind, alert.Id)) { ["Status"] = WireNames.Format(alert.Status), ["UpdatedAt"] = now };
            WriteLongText(entity, "Alert", JsonSerializer.Serialize(alert, AlertJson));
            actions.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, entity));
        }

        var existing = (await RangeAsync(partnershipId, [Mail], ["RowKey"], cancellationToken)).Select(e => e.RowKey).ToHashSet(StringComparer.Ordinal);
        foreach (var n in notifications.Where(n => !existing.Contains(TableKeys.Compose(Mail, n.Id))))
        {
            var entity = new TableEntity(Same(partnershipId, n.PartnershipId), TableKeys.Compose(Mail, n.Id))
            {
                ["Id"] = n.Id,
                ["AlertId"] = n.AlertId,
                ["Recipient"] = n.Recipient,
                ["Subject"] = n.Subject,
                ["MessageId"] = n.MessageId,
                ["CreatedAt"] = Instant(n.CreatedAt),
                ["Attempts"] = 0,
                ["UpdatedAt"] = now,
            };
            WriteLongText(entity, "Text", n.Text);
            WriteLongText(entity, "Html", n.Html);
            actions.Add(new TableTransactionAction(TableTransactionActionType.Add, entity));
        }

        // Up to 100 changes go as one transaction: alerts and their e-mails together.
        foreach (var chunk in Chunk(actions))
        {
            await _data.SubmitTransactionAsync(chunk, cancellationToken);
        }
    }

    public async Task<IReadOnlyList<Alert>> ListAlertsAsync(string partnershipId, CancellationToken cancellationToken = default) =>
        [.. (await RangeAsync(partnershipId, [AlertKind], null, cancellationToken)).Select(e => JsonSerializer.Deserialize<Alert>(ReadLongText(e, "Alert"), AlertJson)!).OrderBy(a => a.Id, StringComparer.Ordinal)];

    public async Task<IReadOnlyList<AlertNotification>> ListPendingNotificationsAsync(string partnershipId, CancellationToken cancellationToken = default) =>
        [.. (await NotificationsAsync(partnershipId, cancellationToken)).Where(n => n.SentAt is null)];

    public async Task<IReadOnlyList<AlertNotification>> ListNotificationsAsync(string partnershipId, string alertId, CancellationToken cancellationToken = default) =>
        [.. (await NotificationsAsync(partnershipId, cancellationToken)).Where(n => n.AlertId == alertId)];

    public async Task RecordDeliveryAsync(string partnershipId, string notificationId, DateTimeOffset? sentAt, string? error, CancellationToken cancellationToken = default)
    {
        await EnsureTablesAsync(cancellationToken);
        var stored = await _data.GetEntityIfExistsAsync(partnershipId, TableKeys.Compose(Mail, notificationId), cancellationToken: cancellationToken);
        if (stored is null)
        {
            return;
        }

        stored["SentAt"] ??= sentAt is { } sent ? Instant(sent) : null;
        stored["Attempts"] = (stored.GetInt32("Attempts") ?? 0) + 1;
        stored["LastError"] = error;
        stored["UpdatedAt"] = _time.GetUtcNow();
        await _data.UpdateEntityAsync(stored, stored.ETag ?? "*", TableUpdateMode.Replace, cancellationToken);
    }

    private async Task<List<AlertNotification>> NotificationsAsync(string partnershipId, CancellationToken cancellationToken) =>
        [.. (await RangeAsync(partnershipId, [Mail], null, cancellationToken)).Select(e => new AlertNotification
        {
            PartnershipId = partnershipId,
            Id = e.GetString("Id")!,
            AlertId = e.GetString("AlertId")!,
            Recipient = e.GetString("Recipient")!,
            Subject = e.GetString("Subject")!,
            Text = ReadLongText(e, "Text"),
            Html = ReadLongText(e, "Html"),
            MessageId = e.GetString("MessageId")!,
            CreatedAt = ParseInstant(e.GetString("CreatedAt")!),
            SentAt = e.GetString("SentAt") is { } sent ? ParseInstant(sent) : null,
            Attempts = e.GetInt32("Attempts") ?? 0,
            LastError = e.GetString("LastError"),
        }).OrderBy(n => n.CreatedAt).ThenBy(n => n.Id, StringComparer.Ordinal)];

    // ---- Microsoft 365 registrations ----

    public async Task<WriteOutcome> UpsertIntegrationAsync(IntegrationRegistration registration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registration);
        var entity = new TableEntity(registration.PartnershipId, TableKeys.Compose(Integration, WireNames.Format(registration.Kind), registration.Id))
        {
            ["Kind"] = WireNames.Format(registration.Kind),
            ["Id"] = registration.Id,
            ["Settings"] = JsonSerializer.Serialize(new SortedDictionary<string, string>(registration.Settings.ToDictionary(), StringComparer.Ordinal), Json),
        };

        // Registering again changes the settings, never the checkpoint.
        return Outcome(await UpsertAsync(_data, registration.PartnershipId, [entity], KeepCheckpoint, cancellationToken));
    }

    public async Task<IReadOnlyList<IntegrationRegistration>> ListIntegrationsAsync(string partnershipId, CancellationToken cancellationToken = default) =>
        [.. (await RangeAsync(partnershipId, [Integration], null, cancellationToken)).Select(e => new IntegrationRegistration
        {
            PartnershipId = partnershipId,
            Kind = Parse<IntegrationKind>(e.GetString("Kind")),
            Id = e.GetString("Id")!,
            Settings = JsonSerializer.Deserialize<Dictionary<string, string>>(e.GetString("Settings") ?? "{}", Json) ?? [],
            Checkpoint = e.GetInt32("CheckpointParts") is > 0 ? ReadLongText(e, "Checkpoint") : null,
        }).OrderBy(r => WireNames.Format(r.Kind), StringComparer.Ordinal).ThenBy(r => r.Id, StringComparer.Ordinal)];

    public async Task<bool> DeleteIntegrationAsync(string partnershipId, IntegrationKind kind, string id, CancellationToken cancellationToken = default)
    {
        await EnsureTablesAsync(cancellationToken);
        return await _data.DeleteEntityAsync(partnershipId, TableKeys.Compose(Integration, WireNames.Format(kind), id), cancellationToken: cancellationToken);
    }

    public async Task SetIntegrationCheckpointAsync(string partnershipId, IntegrationKind kind, string id, string? checkpoint, CancellationToken cancellationToken = default)
    {
        await EnsureTablesAsync(cancellationToken);
        var rowKey = TableKeys.Compose(Integration, WireNames.Format(kind), id);
        var stored = await _data.GetEntityIfExistsAsync(partnershipId, rowKey, cancellationToken: cancellationToken)
            ?? throw new ArgumentException($"No {WireNames.Format(kind)} '{id}' is registered for partnership '{partnershipId}'.", nameof(id));
        foreach (var name in stored.Properties.Keys.Where(k => k.StartsWith("Checkpoint", StringComparison.Ordinal)).ToList())
        {
            stored[name] = null;
        }

        if (checkpoint is not null)
        {
            WriteLongText(stored, "Checkpoint", checkpoint);
        }

        stored["UpdatedAt"] = _time.GetUtcNow();
        await _data.UpdateEntityAsync(stored, stored.ETag ?? "*", TableUpdateMode.Replace, cancellationToken);
    }

    private static void KeepCheckpoint(TableEntity candidate, TableEntity? stored)
    {
        foreach (var (name, value) in stored?.Properties.Where(p => p.Key.StartsWith("Checkpoint", StringComparison.Ordinal)) ?? [])
        {
            candidate[name] = value;
        }
    }

    // ---- writing ----

    private Task<WriteCounts> UpsertDataAsync(string partnershipId, string[] kind, IEnumerable<TableEntity> entities, Action<TableEntity, TableEntity?>? adjust, CancellationToken cancellationToken) =>
        UpsertAsync(_data, partnershipId, [.. entities], adjust, cancellationToken, async () =>
            (await RangeAsync(partnershipId, kind, null, cancellationToken)).ToDictionary(e => e.RowKey, StringComparer.Ordinal));

    private async Task<WriteCounts> UpsertAsync(
        TableClient table,
        string partitionKey,
        IReadOnlyList<TableEntity> desired,
        Action<TableEntity, TableEntity?>? adjust,
        CancellationToken cancellationToken,
        Func<Task<Dictionary<string, TableEntity>>>? readExisting = null)
    {
        await EnsureTablesAsync(cancellationToken);
        if (desired.Count == 0)
        {
            return default;
        }

        foreach (var entity in desired)
        {
            entity.Validate();
        }

        // New records are the common case (a meeting's attendance arrives once): the first chunk is sent as plain
        // inserts without reading anything. Only when one of them exists already is what is stored read and compared.
        Dictionary<string, TableEntity>? existing = null;
        var counts = default(WriteCounts);
        foreach (var chunk in ChunkEntities(desired))
        {
            for (var attempt = 0; ; attempt++)
            {
                var now = _time.GetUtcNow();
                var actions = new List<TableTransactionAction>();
                var chunkCounts = default(WriteCounts);
                foreach (var wanted in chunk)
                {
                    var stored = existing?.GetValueOrDefault(wanted.RowKey);
                    var candidate = Copy(wanted);
                    adjust?.Invoke(candidate, stored);
                    if (stored is not null && SameValues(candidate, stored))
                    {
                        chunkCounts = chunkCounts.With(WriteOutcome.Unchanged);
                        continue;
                    }

                    candidate["UpdatedAt"] = now;
                    actions.Add(stored is null
                        ? new TableTransactionAction(TableTransactionActionType.Add, candidate)
                        : new TableTransactionAction(TableTransactionActionType.UpdateReplace, candidate, stored.ETag));
                    chunkCounts = chunkCounts.With(stored is null ? WriteOutcome.Created : WriteOutcome.Updated);
                }

                try
                {
                    if (actions.Count > 0)
                    {
                        await table.SubmitTransactionAsync(actions, cancellationToken);
                    }

                    counts += chunkCounts;
                    break;
                }
                catch (TableTransactionFailedException ex) when (ex.Status is 409 or 412 && attempt < MaxConflictRetries)
                {
                    if (existing is null)
                    {
                        existing = readExisting is null
                            ? await PointReadAsync(table, partitionKey, desired, cancellationToken)
                            : await readExisting();
                        continue;
                    }

                    // Another writer changed these records since they were read: read them again and redo the chunk.
                    foreach (var (rowKey, entity) in await PointReadAsync(table, partitionKey, chunk, cancellationToken, includeMissing: true))
                    {
                        if (entity is null)
                        {
                            existing.Remove(rowKey);
                        }
                        else
                        {
                            existing[rowKey] = entity;
                        }
                    }
                }
            }
        }

        return counts;
    }

    private static void KeepErasure(TableEntity candidate, TableEntity? stored)
    {
        // An erased person stays erased until a name or an e-mail is given again.
        if (stored?.GetDateTimeOffset("ErasedAt") is { } erasedAt && candidate.GetString("DisplayName") is null && candidate.GetString("Email") is null)
        {
            candidate["ErasedAt"] = erasedAt;
        }
    }

    private static async Task<Dictionary<string, TableEntity>> PointReadAsync(TableClient table, string partitionKey, IEnumerable<TableEntity> entities, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, TableEntity>(StringComparer.Ordinal);
        foreach (var (rowKey, entity) in await PointReadAsync(table, partitionKey, entities, cancellationToken, includeMissing: false))
        {
            found[rowKey] = entity!;
        }

        return found;
    }

    private static async Task<List<(string RowKey, TableEntity? Entity)>> PointReadAsync(TableClient table, string partitionKey, IEnumerable<TableEntity> entities, CancellationToken cancellationToken, bool includeMissing)
    {
        var result = new List<(string, TableEntity?)>();
        foreach (var entity in entities)
        {
            var stored = await table.GetEntityIfExistsAsync(partitionKey, entity.RowKey, cancellationToken: cancellationToken);
            if (stored is not null || includeMissing)
            {
                result.Add((entity.RowKey, stored));
            }
        }

        return result;
    }

    private static IEnumerable<List<TableEntity>> ChunkEntities(IReadOnlyList<TableEntity> entities)
    {
        var chunk = new List<TableEntity>();
        var bytes = 0;
        foreach (var entity in entities)
        {
            var size = TableEntityJson.Serialize(entity).Length + 512;
            if (chunk.Count == TableTransaction.MaxActions || (chunk.Count > 0 && bytes + size > MaxTransactionBytes))
            {
                yield return chunk;
                chunk = [];
                bytes = 0;
            }

            chunk.Add(entity);
            bytes += size;
        }

        if (chunk.Count > 0)
        {
            yield return chunk;
        }
    }

    private static IEnumerable<List<TableTransactionAction>> Chunk(IReadOnlyList<TableTransactionAction> actions)
    {
        var taken = 0;
        foreach (var chunk in ChunkEntities([.. actions.Select(a => a.Entity)]))
        {
            yield return [.. actions.Skip(taken).Take(chunk.Count)];
            taken += chunk.Count;
        }
    }

    private static TableEntity Copy(TableEntity source)
    {
        var copy = new TableEntity(source.PartitionKey, source.RowKey);
        foreach (var (name, value) in source)
        {
            copy[name] = value;
        }

        return copy;
    }

    private static bool SameValues(TableEntity candidate, TableEntity stored)
    {
        static IEnumerable<KeyValuePair<string, object?>> Values(TableEntity e) =>
            e.Where(p => p.Value is not null && p.Key != "UpdatedAt");

        var a = Values(candidate).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        var b = Values(stored).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        return a.Count == b.Count && a.All(p => b.TryGetValue(p.Key, out var other) && ValueEquals(p.Value, other));
    }

    private static bool ValueEquals(object? a, object? b) => (a, b) switch
    {
        (byte[] x, byte[] y) => x.AsSpan().SequenceEqual(y),
        (DateTimeOffset x, DateTimeOffset y) => x.UtcDateTime == y.UtcDateTime,
        (int x, long y) => x == y,
        (long x, int y) => x == y,
        _ => Equals(a, b),
    };

    // ---- reading ----

    private async Task<List<TableEntity>> RangeAsync(string partitionKey, string[] leadingParts, string[]? select, CancellationToken cancellationToken)
    {
        await EnsureTablesAsync(cancellationToken);
        var list = new List<TableEntity>();
        await foreach (var entity in _data.QueryAsync(TableFilter.RowKeyRange(partitionKey, leadingParts), select, cancellationToken: cancellationToken))
        {
            list.Add(entity);
        }

        return list;
    }

    private async Task<HashSet<string>> IdsAsync(string partitionKey, string kind, CancellationToken cancellationToken) =>
        (await RangeAsync(partitionKey, [kind], ["Id"], cancellationToken)).Select(e => e.GetString("Id")!).ToHashSet(StringComparer.Ordinal);

    private static Partnership ReadPartnership(TableEntity e) => new()
    {
        Id = e.RowKey,
        Name = e.GetString("Name")!,
        Territory = e.GetString("Territory"),
        Language = Parse<PartnershipLanguage>(e.GetString("Language")),
        CoordinatorEmails = JsonSerializer.Deserialize<List<string>>(e.GetString("CoordinatorEmails") ?? "[]", Json) ?? [],
    };

    private static Person ReadPerson(string partnershipId, TableEntity e) => new()
    {
        PartnershipId = partnershipId,
        Id = e.GetString("Id")!,
        DisplayName = e.GetString("DisplayName"),
        Email = e.GetString("Email"),
        ErasedAt = e.GetDateTimeOffset("ErasedAt"),
    };

    private static Meeting ReadMeeting(string partnershipId, TableEntity e) => new()
    {
        PartnershipId = partnershipId,
        Id = e.GetString("Id")!,
        Title = e.GetString("Title"),
        Start = ParseInstant(e.GetString("Start")!),
        End = ParseInstant(e.GetString("End")!),
        Kind = Parse<MeetingKind>(e.GetString("Kind")),
        Source = Parse<MeetingSource>(e.GetString("Source")),
        TeamsJoinUrl = e.GetString("TeamsJoinUrl"),
        Cancelled = e.GetBoolean("Cancelled") ?? false,
    };

    private static void WriteAnswers(TableEntity entity, IReadOnlyDictionary<string, IReadOnlyList<string>> answers) =>
        WriteLongText(entity, "Answers", JsonSerializer.Serialize(OrderedAnswers(answers), Json));

    private static Dictionary<string, IReadOnlyList<string>> ReadAnswers(TableEntity entity) =>
        JsonSerializer.Deserialize<Dictionary<string, List<string>>>(ReadLongText(entity, "Answers"), Json)!
            .ToDictionary(a => a.Key, a => (IReadOnlyList<string>)a.Value, StringComparer.Ordinal);

    /// <summary>
    /// Writes text longer than a property may hold (64 KiB) over <c>{name}0</c>, <c>{name}1</c>… with the count in
    /// <c>{name}Parts</c>, never splitting a surrogate pair. The 1 MiB entity limit still applies and is checked before
    /// sending, so nothing is ever truncated.
    /// </summary>
    private static void WriteLongText(TableEntity entity, string name, string text)
    {
        var parts = 0;
        var offset = 0;
        do
        {
            var length = Math.Min(TableEntity.MaxStringLength, text.Length - offset);
            if (offset + length < text.Length && char.IsHighSurrogate(text[offset + length - 1]))
            {
                length--;
            }

            entity[$"{name}{parts++}"] = text.Substring(offset, length);
            offset += length;
        }
        while (offset < text.Length);

        entity[$"{name}Parts"] = parts;
    }

    private static string ReadLongText(TableEntity entity, string name)
    {
        var parts = entity.GetInt32($"{name}Parts") ?? 0;
        var text = new StringBuilder();
        for (var i = 0; i < parts; i++)
        {
            text.Append(entity.GetString($"{name}{i}"));
        }

        return text.ToString();
    }

}
