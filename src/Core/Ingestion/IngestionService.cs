using Engagement.Core.Domain;
using Engagement.Core.Storage;
using Engagement.Core.Validation;

namespace Engagement.Core.Ingestion;

/// <summary>
/// Validates inputs completely (shape and references) and only then writes them, so a batch with any bad
/// record writes nothing. Every write is an upsert keyed by natural ids.
/// </summary>
public sealed class IngestionService(IPartnershipStore partnershipStore, IRosterStore rosterStore, IAttendanceStore attendanceStore, IFormStore formStore)
{
    /// <summary>Largest number of records in one batch.</summary>
    public const int MaxBatchSize = 5_000;

    /// <summary>
    /// Creates or replaces a partnership. Without <c>alertEmails</c>, a new partnership starts quiet and an existing one
    /// keeps its setting: a PUT that only renames must not switch the coordinators' e-mails off or on.
    /// </summary>
    public async Task<WriteOutcome> UpsertPartnershipAsync(string id, PartnershipInput? input, CancellationToken cancellationToken = default)
    {
        var errors = new ValidationErrors();
        Check.Id(id, "id", errors);
        if (input is null)
        {
            errors.Add("body", "A JSON object is required.");
            throw new ValidationFailedException(errors);
        }

        var name = Check.RequiredText(input.Name, "name", errors);
        var territory = Check.OptionalText(input.Territory, "territory", errors);
        var language = Check.Enum(input.Language, "language", errors, PartnershipLanguage.French);
        var emails = new List<string>();
        var list = input.CoordinatorEmails ?? [];
        for (var i = 0; i < list.Count; i++)
        {
            var field = $"coordinatorEmails[{i}]";
            if (string.IsNullOrWhiteSpace(list[i]))
            {
                errors.Add(field, $"'{field}' must be an e-mail address.");
                continue;
            }

            if (Check.OptionalEmail(list[i], field, errors) is { } email && !emails.Contains(email))
            {
                emails.Add(email);
            }
        }

        Throw(errors);
        // Read, then write, as KeepEndsAsync does for representations: a PUT without the field that races with one
        // switching e-mails may write back the setting it read. Partnerships are configured by hand; that is accepted.
        var alertEmails = input.AlertEmails
            ?? (await partnershipStore.GetPartnershipAsync(id, cancellationToken))?.AlertEmails
            ?? false;
        return await partnershipStore.UpsertPartnershipAsync(
            new Partnership { Id = id, Name = name, Territory = territory, Language = language, CoordinatorEmails = emails, AlertEmails = alertEmails },
            cancellationToken);
    }

    /// <summary>Upserts organisations of a partnership.</summary>
    public Task<WriteCounts> UpsertOrganizationsAsync(string partnershipId, IReadOnlyList<OrganizationInput?>? inputs, CancellationToken cancellationToken = default) =>
        WriteBatchAsync(partnershipId, inputs, (input, p, batch) =>
        {
            var id = Check.Id(input.Id, $"{p}.id", batch.Errors);
            batch.CheckUnique(id, $"{p}.id");
            return new Organization
            {
                PartnershipId = partnershipId,
                Id = id,
                Name = Check.RequiredText(input.Name, $"{p}.name", batch.Errors),
                Sector = Check.Enum(input.Sector, $"{p}.sector", batch.Errors, Sector.Other),
            };
        }, rosterStore.UpsertOrganizationsAsync, cancellationToken);

    /// <summary>Upserts people of a partnership. An e-mail identifies one person, so Teams attendees and respondents can be matched.</summary>
    public Task<WriteCounts> UpsertPeopleAsync(string partnershipId, IReadOnlyList<PersonInput?>? inputs, CancellationToken cancellationToken = default)
    {
        var seenEmails = new Dictionary<string, int>(StringComparer.Ordinal);
        return WriteBatchAsync(partnershipId, inputs, (input, p, batch) =>
        {
            var id = Check.Id(input.Id, $"{p}.id", batch.Errors);
            batch.CheckUnique(id, $"{p}.id");
            var email = Check.OptionalEmail(input.Email, $"{p}.email", batch.Errors);
            if (email is not null)
            {
                CheckDuplicate(seenEmails, email, batch.Index, $"{p}.email", batch.Errors, "e-mail");
                if (batch.Keys.PersonIdsByEmail.TryGetValue(email, out var owner) && owner != id)
                {
                    batch.Errors.Add($"{p}.email", $"'{p}.email' already belongs to person '{owner}' in this partnership.");
                }
            }

            return new Person
            {
                PartnershipId = partnershipId,
                Id = id,
                DisplayName = Check.OptionalText(input.DisplayName, $"{p}.displayName", batch.Errors),
                Email = email,
            };
        }, rosterStore.UpsertPeopleAsync, cancellationToken);
    }

    /// <summary>Upserts representations; organisations and people must already exist.</summary>
    public Task<WriteCounts> UpsertRepresentationsAsync(string partnershipId, IReadOnlyList<RepresentationInput?>? inputs, CancellationToken cancellationToken = default) =>
        WriteBatchAsync(partnershipId, inputs, (input, p, batch) =>
        {
            var errors = batch.Errors;
            var orgId = Check.Id(input.OrganizationId, $"{p}.organizationId", errors);
            if (orgId.Length > 0 && !batch.Keys.OrganizationIds.Contains(orgId))
            {
                errors.Add($"{p}.organizationId", $"Organisation '{orgId}' is not registered in partnership '{partnershipId}'.");
            }

            var personId = Check.Id(input.PersonId, $"{p}.personId", errors);
            if (personId.Length > 0 && !batch.Keys.PersonIds.Contains(personId))
            {
                errors.Add($"{p}.personId", $"Person '{personId}' is not registered in partnership '{partnershipId}'.");
            }

            var from = Check.Date(input.From, $"{p}.from", errors, required: true);
            var to = Check.Date(input.To, $"{p}.to", errors, required: false);
            if (from is { } f && to is { } t && t < f)
            {
                errors.Add($"{p}.to", $"'{p}.to' must not be before '{p}.from'.");
            }

            if (input.Reopen && to is not null)
            {
                errors.Add($"{p}.reopen", $"'{p}.reopen' reopens an ended representation: give it without '{p}.to'.");
            }

            var id = input.Id is null && from is { } start && orgId.Length > 0 && personId.Length > 0
                ? Representation.NaturalId(orgId, personId, start)
                : Check.Id(input.Id, $"{p}.id", errors);
            if (id.Length > 0 && !Check.IsValidId(id, out var reason))
            {
                errors.Add($"{p}.id", $"The representation id derived from organisation, person and date {reason} Give an explicit 'id'.");
            }

            batch.CheckUnique(id, $"{p}.id");
            return new Representation
            {
                PartnershipId = partnershipId,
                Id = id,
                OrganizationId = orgId,
                PersonId = personId,
                Role = Check.Enum(input.Role, $"{p}.role", errors, RepresentationRole.Representative),
                From = from ?? default,
                To = to,
            };
        }, async (id, representations, ct) => await rosterStore.UpsertRepresentationsAsync(id, await KeepEndsAsync(id, representations, inputs!, ct), ct), cancellationToken);

    /// <summary>
    /// The representations with the stored end kept wherever the input gave no <c>to</c> and did not ask to reopen:
    /// turnover recorded with <c>/end</c> is not undone by a roster sent again without it.
    /// </summary>
    private async Task<IReadOnlyList<Representation>> KeepEndsAsync(string partnershipId, IReadOnlyList<Representation> representations, IReadOnlyList<RepresentationInput?> inputs, CancellationToken cancellationToken)
    {
        // Inputs and representations are in the same order: the batch maps one to one. Only an open-ended record that
        // does not ask to reopen can meet a stored end; without one, the roster is not read.
        bool KeepsEnd(Representation r, int i) => r.To is null && !inputs[i]!.Reopen;
        if (!representations.Where(KeepsEnd).Any())
        {
            return representations;
        }

        var ends = (await rosterStore.GetRosterAsync(partnershipId, cancellationToken)).Representations
            .Where(r => r.To is not null)
            .ToDictionary(r => r.Id, r => r.To, StringComparer.Ordinal);
        return [.. representations.Select((r, i) => KeepsEnd(r, i) && ends.TryGetValue(r.Id, out var end) ? r with { To = end } : r)];
    }

    /// <summary>Ends a representation on a given day (turnover); ending it again with the same day changes nothing.</summary>
    public async Task<WriteOutcome> EndRepresentationAsync(string partnershipId, string representationId, EndRepresentationInput? input, CancellationToken cancellationToken = default)
    {
        await RequirePartnershipAsync(partnershipId, cancellationToken);
        var errors = new ValidationErrors();
        var to = Check.Date(input?.To, "to", errors, required: true);
        Throw(errors);
        var roster = await rosterStore.GetRosterAsync(partnershipId, cancellationToken);
        var existing = roster.Representations.FirstOrDefault(r => r.Id == representationId)
            ?? throw new NotFoundException("representationId", $"Representation '{representationId}' does not exist in partnership '{partnershipId}'.");
        if (to!.Value < existing.From)
        {
            errors.Add("to", $"'to' ({to:yyyy-MM-dd}) must not be before the representation's start ({existing.From:yyyy-MM-dd}).");
            Throw(errors);
        }

        var counts = await rosterStore.UpsertRepresentationsAsync(partnershipId, [existing with { To = to }], cancellationToken);
        return counts.Created > 0 ? WriteOutcome.Created : counts.Updated > 0 ? WriteOutcome.Updated : WriteOutcome.Unchanged;
    }

    /// <summary>Upserts meetings of a partnership.</summary>
    public Task<WriteCounts> UpsertMeetingsAsync(string partnershipId, IReadOnlyList<MeetingInput?>? inputs, CancellationToken cancellationToken = default) =>
        WriteBatchAsync(partnershipId, inputs, (input, p, batch) =>
        {
            var errors = batch.Errors;
            var id = Check.Id(input.Id, $"{p}.id", errors);
            batch.CheckUnique(id, $"{p}.id");
            var start = Check.Timestamp(input.Start, $"{p}.start", errors);
            var end = Check.Timestamp(input.End, $"{p}.end", errors);
            if (!errors.Contains($"{p}.start") && !errors.Contains($"{p}.end"))
            {
                if (end <= start)
                {
                    errors.Add($"{p}.end", $"'{p}.end' must be after '{p}.start'.");
                }
                else if (end - start > TimeSpan.FromHours(24))
                {
                    errors.Add($"{p}.end", $"'{p}.end' is more than 24 hours after '{p}.start'; record each day as its own meeting.");
                }
            }

            var joinUrl = Check.OptionalText(input.TeamsJoinUrl, $"{p}.teamsJoinUrl", errors, maxLength: 2048);
            if (joinUrl is not null && (!Uri.TryCreate(joinUrl, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps))
            {
                errors.Add($"{p}.teamsJoinUrl", $"'{p}.teamsJoinUrl' must be an absolute https URL.");
            }

            return new Meeting
            {
                PartnershipId = partnershipId,
                Id = id,
                Title = Check.OptionalText(input.Title, $"{p}.title", errors),
                Start = start,
                End = end,
                Kind = Check.Enum(input.Kind, $"{p}.kind", errors, MeetingKind.Regular),
                Source = Check.Enum(input.Source, $"{p}.source", errors, joinUrl is null ? MeetingSource.InPerson : MeetingSource.Teams),
                TeamsJoinUrl = joinUrl,
                Cancelled = input.Cancelled ?? false,
            };
        }, attendanceStore.UpsertMeetingsAsync, cancellationToken);

    /// <summary>
    /// Upserts a batch of attendance for one partnership. The partnership, meetings and people must exist;
    /// the same (meeting, person) twice in one batch is refused.
    /// </summary>
    public async Task<WriteCounts> UpsertAttendanceAsync(AttendanceBatchInput? batch, CancellationToken cancellationToken = default)
    {
        var errors = new ValidationErrors();
        var partnershipId = Check.Id(batch?.PartnershipId, "partnershipId", errors);
        var partnershipExists = false;
        if (partnershipId.Length > 0)
        {
            partnershipExists = await partnershipStore.GetPartnershipAsync(partnershipId, cancellationToken) is not null;
            if (!partnershipExists)
            {
                errors.Add("partnershipId", $"Partnership '{partnershipId}' does not exist.");
            }
        }

        var items = RequireBatch(batch?.Records, errors, "records");

        // Only the meetings and people this batch names are looked up, not every id of the partnership.
        PartnershipKeys? keys = null;
        if (partnershipExists)
        {
            var meetingIds = new HashSet<string>(StringComparer.Ordinal);
            var personIds = new HashSet<string>(StringComparer.Ordinal);
            foreach (var item in items)
            {
                if (item?.MeetingId is { } meeting && Check.IsValidId(meeting, out _))
                {
                    meetingIds.Add(meeting);
                }

                if (item?.PersonId is { } person && Check.IsValidId(person, out _))
                {
                    personIds.Add(person);
                }
            }

            keys = await attendanceStore.FindMeetingsAndPeopleAsync(partnershipId, meetingIds, personIds, cancellationToken);
        }

        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var result = new List<Attendance>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            var p = $"records[{i}]";
            if (RequireItem(items[i], p, errors) is not { } input)
            {
                continue;
            }

            if (input.PartnershipId is not null && input.PartnershipId != partnershipId)
            {
                errors.Add($"{p}.partnershipId", $"'{p}.partnershipId' must be '{partnershipId}' like the batch: one batch holds one partnership.");
            }

            var meetingId = Check.Id(input.MeetingId, $"{p}.meetingId", errors);
            if (keys is not null && meetingId.Length > 0 && !keys.MeetingIds.Contains(meetingId))
            {
                errors.Add($"{p}.meetingId", $"Meeting '{meetingId}' does not exist in partnership '{partnershipId}'.");
            }

            var personId = Check.Id(input.PersonId, $"{p}.personId", errors);
            if (keys is not null && personId.Length > 0 && !keys.PersonIds.Contains(personId))
            {
                errors.Add($"{p}.personId", $"Person '{personId}' is not registered in partnership '{partnershipId}'.");
            }

            if (meetingId.Length > 0 && personId.Length > 0)
            {
                CheckDuplicate(seen, meetingId + "\n" + personId, i, $"{p}.personId", errors, "meeting and person");
            }

            var status = Check.Enum<AttendanceStatus>(input.Status, $"{p}.status", errors);
            int? seconds = null;
            if (input.SecondsAttended is { } s)
            {
                if (s is < 0 or > 86_400)
                {
                    errors.Add($"{p}.secondsAttended", $"'{p}.secondsAttended' must be between 0 and 86400.");
                }
                else
                {
                    seconds = (int)s;
                }
            }

            result.Add(new Attendance
            {
                PartnershipId = partnershipId,
                MeetingId = meetingId,
                PersonId = personId,
                Status = status,
                SecondsAttended = seconds,
            });
        }

        Throw(errors);
        return await attendanceStore.UpsertAttendanceAsync(partnershipId, result, cancellationToken);
    }

    /// <summary>Registers a form (and for a diagnostic, its mapping to the 18 CACIS items).</summary>
    public async Task<WriteOutcome> UpsertFormAsync(string formId, FormInput? input, CancellationToken cancellationToken = default)
    {
        var errors = new ValidationErrors();
        Check.Id(formId, "formId", errors);
        if (input is null)
        {
            errors.Add("body", "A JSON object is required.");
            throw new ValidationFailedException(errors);
        }

        var partnershipId = Check.Id(input.PartnershipId, "partnershipId", errors);
        if (partnershipId.Length > 0 && await partnershipStore.GetPartnershipAsync(partnershipId, cancellationToken) is null)
        {
            errors.Add("partnershipId", $"Partnership '{partnershipId}' does not exist.");
        }

        var existing = formId.Length > 0 && errors.IsValid ? await formStore.GetFormAsync(formId, cancellationToken) : null;
        if (existing is not null && existing.PartnershipId != partnershipId)
        {
            errors.Add("partnershipId", $"Form '{formId}' is registered to partnership '{existing.PartnershipId}'; remove that registration first.");
        }

        var kind = Check.Enum<FormKind>(input.Kind, "kind", errors);
        DiagnosticMapping? mapping = null;
        List<FormQuestion>? questions = null;
        if (kind == FormKind.Diagnostic)
        {
            mapping = FormSubmissions.ValidateMapping(input, errors);
            if (input.Questions is not null)
            {
                errors.Add("questions", "A diagnostic form asks the 18 CACIS items ('items'), not 'questions'.");
            }
        }
        else
        {
            if (input.Items is { Count: > 0 } || input.AnswerLabels is { Count: > 0 })
            {
                errors.Add("items", "'items' and 'answerLabels' are only for diagnostic forms.");
            }

            questions = FormQuestions.Validate(input.Questions, errors);
        }

        var title = Check.OptionalText(input.Title, "title", errors);
        Throw(errors);
        return await formStore.UpsertFormAsync(
            new FormDefinition { Id = formId, PartnershipId = partnershipId, Kind = kind, Title = title, Diagnostic = mapping, Questions = questions },
            cancellationToken);
    }

    /// <summary>Stores form submissions (our shape or Power Automate's), all or none.</summary>
    public async Task<WriteCounts> UpsertFormSubmissionsAsync(IReadOnlyList<FormSubmissionEnvelope> envelopes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(envelopes);
        var errors = new ValidationErrors();
        if (envelopes.Count == 0)
        {
            errors.Add("body", "At least one submission is required.");
        }

        if (envelopes.Count > 1_000)
        {
            errors.Add("body", "At most 1000 submissions are accepted in one request.");
        }

        Throw(errors);
        var parsed = new List<FormSubmission>(envelopes.Count);
        var forms = new Dictionary<string, FormDefinition?>(StringComparer.Ordinal);
        var keysCache = new Dictionary<string, PartnershipKeys?>(StringComparer.Ordinal);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        string? batchPartnership = null;
        for (var i = 0; i < envelopes.Count; i++)
        {
            var prefix = envelopes.Count == 1 ? string.Empty : $"[{i}]";
            var submission = await FormSubmissions.ParseAsync(envelopes[i], prefix, errors, partnershipStore, rosterStore, formStore, forms, keysCache, cancellationToken);
            if (submission is null)
            {
                continue;
            }

            batchPartnership ??= submission.PartnershipId;
            if (submission.PartnershipId != batchPartnership)
            {
                errors.Add(ValidationErrors.Field(prefix, "partnershipId"), "One request holds submissions of one partnership.");
            }

            CheckDuplicate(seen, submission.FormId + "\n" + submission.ResponseId, i, ValidationErrors.Field(prefix, "responseId"), errors, "form and response id");
            parsed.Add(submission);
        }

        Throw(errors);
        return await formStore.UpsertFormSubmissionsAsync(batchPartnership!, parsed, cancellationToken);
    }

    /// <summary>Throws <see cref="NotFoundException"/> when the partnership does not exist.</summary>
    public async Task<Partnership> RequirePartnershipAsync(string partnershipId, CancellationToken cancellationToken = default)
    {
        var errors = new ValidationErrors();
        Check.Id(partnershipId, "partnershipId", errors);
        Throw(errors);
        return await partnershipStore.GetPartnershipAsync(partnershipId, cancellationToken)
            ?? throw new NotFoundException("partnershipId", $"Partnership '{partnershipId}' does not exist.");
    }

    /// <summary>
    /// The shape shared by roster and meeting batches: the partnership must exist, every item is checked with the
    /// ids already known, and the batch is written only when no item has a problem.
    /// </summary>
    private async Task<WriteCounts> WriteBatchAsync<TInput, TRecord>(
        string partnershipId,
        IReadOnlyList<TInput?>? inputs,
        Func<TInput, string, BatchContext, TRecord> map,
        Func<string, IReadOnlyList<TRecord>, CancellationToken, Task<WriteCounts>> write,
        CancellationToken cancellationToken)
        where TInput : class
    {
        await RequirePartnershipAsync(partnershipId, cancellationToken);
        var batch = new BatchContext(await rosterStore.GetKeysAsync(partnershipId, cancellationToken));
        var items = RequireBatch(inputs, batch.Errors);
        var records = new List<TRecord>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            var prefix = $"[{i}]";
            batch.Index = i;
            if (RequireItem(items[i], prefix, batch.Errors) is { } input)
            {
                records.Add(map(input, prefix, batch));
            }
        }

        Throw(batch.Errors);
        return await write(partnershipId, records, cancellationToken);
    }

    private sealed class BatchContext(PartnershipKeys keys)
    {
        private readonly Dictionary<string, int> _seen = new(StringComparer.Ordinal);

        public PartnershipKeys Keys { get; } = keys;
        public ValidationErrors Errors { get; } = new();
        public int Index { get; set; }

        public void CheckUnique(string id, string field) => CheckDuplicate(_seen, id, Index, field, Errors);
    }

    private static IReadOnlyList<T?> RequireBatch<T>(IReadOnlyList<T?>? items, ValidationErrors errors, string field = "body")
        where T : class
    {
        if (items is null || items.Count == 0)
        {
            errors.Add(field, $"'{field}' must be a non-empty array.");
            return [];
        }

        if (items.Count > MaxBatchSize)
        {
            throw new BatchTooLargeException(field, items.Count, MaxBatchSize);
        }

        return items;
    }

    private static T? RequireItem<T>(T? item, string field, ValidationErrors errors)
        where T : class
    {
        if (item is null)
        {
            errors.Add(field, $"'{field}' must be an object.");
        }

        return item;
    }

    internal static void CheckDuplicate(Dictionary<string, int> seen, string key, int index, string field, ValidationErrors errors, string what = "id")
    {
        if (key.Length == 0)
        {
            return;
        }

        if (seen.TryGetValue(key, out var first))
        {
            errors.Add(field, $"Duplicate {what}: the same key already appears at index {first} of this batch.");
        }
        else
        {
            seen[key] = index;
        }
    }

    private static void Throw(ValidationErrors errors)
    {
        if (!errors.IsValid)
        {
            throw new ValidationFailedException(errors);
        }
    }
}

/// <summary>Thrown when a batch holds more records than allowed; answered with 413.</summary>
public sealed class BatchTooLargeException(string field, int count, int limit)
    : Exception($"'{field}' holds {count} records; at most {limit} are accepted in one request.")
{
    /// <summary>The field holding the records.</summary>
    public string Field { get; } = field;
}
