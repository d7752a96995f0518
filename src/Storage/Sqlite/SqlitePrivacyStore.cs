using Engagement.Core.Storage;
using static Engagement.Storage.StoredValues;
using Microsoft.Data.Sqlite;
using static Engagement.Storage.Sqlite.SqliteDatabase;
using static Engagement.Storage.Sqlite.SqliteRows;

namespace Engagement.Storage.Sqlite;

/// <summary>What the retention policy reads and erases, in SQLite.</summary>
public sealed class SqlitePrivacyStore(SqliteDatabase db) : IPrivacyStore
{
    public Task<IReadOnlyList<PersonActivity>> ListPersonActivityAsync(string partnershipId, CancellationToken cancellationToken = default) =>
        db.QueryAsync(
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

    public Task<int> ErasePersonalDataAsync(string partnershipId, IReadOnlyList<string> personIds, DateTimeOffset submittedBefore, DateTimeOffset erasedAt, CancellationToken cancellationToken = default) =>
        RunAsync(async () =>
        {
            ArgumentNullException.ThrowIfNull(personIds);
            await using var connection = await db.OpenAsync(cancellationToken);
            using var turn = await db.WriterTurnAsync(cancellationToken);
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
        });
}
