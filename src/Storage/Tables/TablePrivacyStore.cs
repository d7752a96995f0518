using Azure.Data.Tables;
using Engagement.Core.Storage;
using Engagement.Storage.Tables.Rows;
using static Engagement.Storage.StoredValues;

namespace Engagement.Storage.Tables;

/// <summary>What the retention policy reads and erases, in a partnership's partition.</summary>
public sealed class TablePrivacyStore(TableStorage storage) : IPrivacyStore
{
    public async Task<IReadOnlyList<PersonActivity>> ListPersonActivityAsync(string partnershipId, CancellationToken cancellationToken = default)
    {
        var people = await storage.RangeAsync<PersonRow>(partnershipId, [PersonRow.Prefix], null, cancellationToken);
        var meetings = (await storage.RangeAsync<MeetingRow>(partnershipId, [MeetingRow.Prefix], [nameof(MeetingRow.Id), nameof(MeetingRow.StartUtc), nameof(MeetingRow.Cancelled)], cancellationToken))
            .Where(m => !m.Cancelled)
            .ToDictionary(m => m.Id!, m => m.StartUtc!.Value, StringComparer.Ordinal);
        var attended = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        foreach (var a in await storage.RangeAsync<AttendanceRow>(partnershipId, [AttendanceRow.Prefix], [nameof(AttendanceRow.MeetingId), nameof(AttendanceRow.PersonId), nameof(AttendanceRow.Status)], cancellationToken))
        {
            if (a.Status is "present" or "excused" && meetings.TryGetValue(a.MeetingId!, out var start))
            {
                attended[a.PersonId!] = attended.TryGetValue(a.PersonId!, out var known) && known > start ? known : start;
            }
        }

        var submitted = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        foreach (var s in await storage.RangeAsync<SubmissionRow>(partnershipId, [SubmissionRow.Prefix], [nameof(SubmissionRow.RespondentPersonId), nameof(SubmissionRow.SubmittedAtUtc)], cancellationToken))
        {
            if (s.RespondentPersonId is { } person && s.SubmittedAtUtc is { } at)
            {
                submitted[person] = submitted.TryGetValue(person, out var known) && known > at ? known : at;
            }
        }

        var representations = (await storage.RangeAsync<RepresentationRow>(partnershipId, [RepresentationRow.Prefix], [nameof(RepresentationRow.PersonId), nameof(RepresentationRow.To)], cancellationToken))
            .GroupBy(r => r.PersonId!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        return [.. people.Select(row =>
        {
            var person = row.ToPerson();
            var reps = representations.GetValueOrDefault(person.Id) ?? [];
            var ends = reps.Where(r => r.To is not null).Select(r => ParseDate(r.To!)).ToList();
            return new PersonActivity
            {
                Person = person,
                RecordUpdatedAt = row.UpdatedAt!.Value,
                LastAttendedAt = attended.TryGetValue(person.Id, out var a) ? a : null,
                LastSubmittedAt = submitted.TryGetValue(person.Id, out var s) ? s : null,
                HasOpenRepresentation = reps.Any(r => r.To is null),
                LastRepresentationEnd = ends.Count == 0 ? null : ends.Max(),
            };
        }).OrderBy(a => a.Person.Id, StringComparer.Ordinal)];
    }

    public async Task<int> ErasePersonalDataAsync(string partnershipId, IReadOnlyList<string> personIds, DateTimeOffset submittedBefore, DateTimeOffset erasedAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(personIds);
        var wanted = personIds.ToHashSet(StringComparer.Ordinal);
        var erased = 0;
        for (var attempt = 0; ; attempt++)
        {
            // Each row is replaced at the ETag it was read at; the record's UpdatedAt stays: erasing is not activity.
            var actions = new List<TableTransactionAction>();
            var sizes = new List<int>();
            foreach (var person in await storage.RangeAsync<PersonRow>(partnershipId, [PersonRow.Prefix], null, cancellationToken))
            {
                if (wanted.Contains(person.Id!) && (person.DisplayName is not null || person.Email is not null))
                {
                    person.DisplayName = null;
                    person.Email = null;
                    person.ErasedAt = erasedAt.ToUniversalTime();
                    actions.Add(new TableTransactionAction(TableTransactionActionType.UpdateReplace, person, person.ETag));
                    sizes.Add(RowShape<PersonRow>.Check(person));
                }
            }

            var people = actions.Count;
            foreach (var submission in await storage.RangeAsync<SubmissionRow>(partnershipId, [SubmissionRow.Prefix], null, cancellationToken))
            {
                if (submission.RespondentEmail is not null && submission.SubmittedAtUtc < submittedBefore)
                {
                    submission.RespondentEmail = null;
                    actions.Add(new TableTransactionAction(TableTransactionActionType.UpdateReplace, submission, submission.ETag));
                    sizes.Add(RowShape<SubmissionRow>.Check(submission));
                }
            }

            // People come first: those in the transactions stored before a conflict are erased (and not found again).
            var stored = await storage.SubmitAllAsync(actions, sizes, cancellationToken);
            erased += Math.Min(stored ?? actions.Count, people);
            if (stored is null)
            {
                return erased;
            }

            if (attempt == TableStorage.MaxConflictRetries)
            {
                throw new StoreConflictException($"Other writers kept changing the people of partnership '{partnershipId}' while their personal data was erased; {erased} were erased. Run the purge again.");
            }
        }
    }
}
