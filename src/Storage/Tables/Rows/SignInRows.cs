using Engagement.Core.Domain;
using static Engagement.Storage.StoredValues;

namespace Engagement.Storage.Tables.Rows;

/// <summary>
/// One sign-in at a meeting's door, in <c>{prefix}Data</c>: RowKey <c>signin|meeting|person</c>, so a meeting's sheet is
/// one key range and the same person twice is the same row.
/// </summary>
internal sealed class SignInRow : TableRow
{
    public const string Prefix = "signin";

    public string? MeetingId { get; set; }

    public string? PersonId { get; set; }

    public string? OrganizationId { get; set; }

    /// <summary>The time with its offset, as given.</summary>
    public string? SignedInAt { get; set; }

    /// <summary>The instant, typed, to order by.</summary>
    public DateTimeOffset? SignedInAtUtc { get; set; }

    public bool NewName { get; set; }

    public static string Key(string meetingId, string personId) => TableKeys.Compose(Prefix, meetingId, personId);

    public static SignInRow From(MeetingSignIn signIn) => new()
    {
        PartitionKey = signIn.PartnershipId,
        RowKey = Key(signIn.MeetingId, signIn.PersonId),
        MeetingId = signIn.MeetingId,
        PersonId = signIn.PersonId,
        OrganizationId = signIn.OrganizationId,
        SignedInAt = Instant(signIn.SignedInAt),
        SignedInAtUtc = signIn.SignedInAt.ToUniversalTime(),
        NewName = signIn.NewName,
    };

    public MeetingSignIn ToSignIn() => new()
    {
        PartnershipId = PartitionKey,
        MeetingId = MeetingId!,
        PersonId = PersonId!,
        OrganizationId = OrganizationId!,
        SignedInAt = ParseInstant(SignedInAt!),
        NewName = NewName,
    };
}

/// <summary>A closed sign-in sheet, in <c>{prefix}Data</c>: RowKey <c>signsheet|meeting</c>.</summary>
internal sealed class SignInSheetRow : TableRow
{
    public const string Prefix = "signsheet";

    public string? MeetingId { get; set; }

    /// <summary>When it was closed, with its offset.</summary>
    public string? ClosedAt { get; set; }

    public static string Key(string meetingId) => TableKeys.Compose(Prefix, meetingId);
}
