using Engagement.Core.Domain;
using Engagement.Core.Storage;
using Engagement.Storage.Tables.Rows;
using static Engagement.Storage.StoredValues;

namespace Engagement.Storage.Tables;

/// <summary>
/// Sign-in sheets in the partnership's partition: each sign-in is inserted (never replaced), so the first one stays and a
/// concurrent second one for the same person finds it there (409) and changes nothing.
/// </summary>
public sealed class TableSignInStore(TableStorage storage) : ISignInStore
{
    public async Task<bool> AddSignInAsync(MeetingSignIn signIn, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(signIn);
        await storage.EnsureTablesAsync(cancellationToken);
        var row = SignInRow.From(signIn);
        row.UpdatedAt = storage.Time.GetUtcNow();
        return await storage.Data.TryAddAsync(row, cancellationToken);
    }

    public async Task<SignInSheet> GetSheetAsync(string partnershipId, string meetingId, CancellationToken cancellationToken = default)
    {
        var rows = await storage.RangeAsync<SignInRow>(partnershipId, [SignInRow.Prefix, meetingId], null, cancellationToken);
        var closed = await storage.Data.GetAsync<SignInSheetRow>(partnershipId, SignInSheetRow.Key(meetingId), cancellationToken);
        return new SignInSheet
        {
            PartnershipId = partnershipId,
            MeetingId = meetingId,
            SignIns = [.. rows.Select(r => r.ToSignIn()).OrderBy(s => s.SignedInAt.UtcDateTime).ThenBy(s => s.PersonId, StringComparer.Ordinal)],
            ClosedAt = closed?.ClosedAt is { } at ? ParseInstant(at) : null,
        };
    }

    public async Task<DateTimeOffset> CloseSheetAsync(string partnershipId, string meetingId, DateTimeOffset closedAt, CancellationToken cancellationToken = default)
    {
        await storage.EnsureTablesAsync(cancellationToken);
        var row = new SignInSheetRow { PartitionKey = partnershipId, RowKey = SignInSheetRow.Key(meetingId), MeetingId = meetingId, ClosedAt = Instant(closedAt), UpdatedAt = storage.Time.GetUtcNow() };
        if (await storage.Data.TryAddAsync(row, cancellationToken))
        {
            return closedAt;
        }

        var stored = await storage.Data.GetAsync<SignInSheetRow>(partnershipId, row.RowKey, cancellationToken);
        return ParseInstant(stored!.ClosedAt!);
    }
}
