using Engagement.Core.Domain;
using Engagement.Core.Storage;
using static Engagement.Storage.StoredValues;
using static Engagement.Storage.Sqlite.SqliteDatabase;

namespace Engagement.Storage.Sqlite;

/// <summary>Sign-in sheets in SQLite: <c>sign_ins</c> (first sign-in kept: insert or nothing) and <c>sign_in_sheets</c>.</summary>
public sealed class SqliteSignInStore(SqliteDatabase db) : ISignInStore
{
    public async Task<bool> AddSignInAsync(MeetingSignIn signIn, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(signIn);
        return await InsertAsync(
            "INSERT INTO sign_ins (partnership_id, meeting_id, person_id, organization_id, signed_in_at, signed_in_at_utc, new_name) VALUES ($p0, $p1, $p2, $p3, $p4, $p5, $p6) ON CONFLICT DO NOTHING",
            [signIn.PartnershipId, signIn.MeetingId, signIn.PersonId, signIn.OrganizationId, Instant(signIn.SignedInAt), Utc(signIn.SignedInAt), signIn.NewName ? 1 : 0],
            cancellationToken) == 1;
    }

    public async Task<SignInSheet> GetSheetAsync(string partnershipId, string meetingId, CancellationToken cancellationToken = default)
    {
        var signIns = await db.QueryAsync(
            "SELECT person_id, organization_id, signed_in_at, new_name FROM sign_ins WHERE partnership_id = $p0 AND meeting_id = $p1 ORDER BY signed_in_at_utc, person_id",
            [partnershipId, meetingId],
            r => new MeetingSignIn
            {
                PartnershipId = partnershipId,
                MeetingId = meetingId,
                PersonId = r.GetString(0),
                OrganizationId = r.GetString(1),
                SignedInAt = ParseInstant(r.GetString(2)),
                NewName = r.GetInt64(3) == 1,
            },
            cancellationToken);
        var closed = await db.QueryAsync("SELECT closed_at FROM sign_in_sheets WHERE partnership_id = $p0 AND meeting_id = $p1", [partnershipId, meetingId], r => ParseInstant(r.GetString(0)), cancellationToken);
        return new SignInSheet { PartnershipId = partnershipId, MeetingId = meetingId, SignIns = signIns, ClosedAt = closed.Count == 0 ? null : closed[0] };
    }

    public async Task<DateTimeOffset> CloseSheetAsync(string partnershipId, string meetingId, DateTimeOffset closedAt, CancellationToken cancellationToken = default)
    {
        await InsertAsync("INSERT INTO sign_in_sheets (partnership_id, meeting_id, closed_at) VALUES ($p0, $p1, $p2) ON CONFLICT DO NOTHING", [partnershipId, meetingId, Instant(closedAt)], cancellationToken);
        return (await db.QueryAsync("SELECT closed_at FROM sign_in_sheets WHERE partnership_id = $p0 AND meeting_id = $p1", [partnershipId, meetingId], r => ParseInstant(r.GetString(0)), cancellationToken))[0];
    }

    /// <summary>One insert in the writers' turn (a crowd signing in at once queues here, not in SQLite's busy retry).</summary>
    private Task<int> InsertAsync(string sql, object?[] parameters, CancellationToken cancellationToken) =>
        RunAsync(async () =>
        {
            await using var connection = await db.OpenAsync(cancellationToken);
            using var turn = await db.WriterTurnAsync(cancellationToken);
            await using var command = Command(connection, sql, parameters);
            return await command.ExecuteNonQueryAsync(cancellationToken);
        });
}
