using Engagement.Core.Domain;

namespace Engagement.Core.Storage;

/// <summary>The sign-in sheets of in-person meetings (the participants' sign-in page).</summary>
public interface ISignInStore
{
    /// <summary>
    /// Records a sign-in unless the same person already signed in at that meeting: true when it is new. The first sign-in
    /// is kept whole (its time and organisation), so a double tap or a second visit changes nothing.
    /// </summary>
    Task<bool> AddSignInAsync(MeetingSignIn signIn, CancellationToken cancellationToken = default);

    /// <summary>A meeting's sheet: its sign-ins and when it was closed (an empty, open sheet when nobody signed in).</summary>
    Task<SignInSheet> GetSheetAsync(string partnershipId, string meetingId, CancellationToken cancellationToken = default);

    /// <summary>Closes a meeting's sheet; closing it again keeps the first time. Answers the time it was closed at.</summary>
    Task<DateTimeOffset> CloseSheetAsync(string partnershipId, string meetingId, DateTimeOffset closedAt, CancellationToken cancellationToken = default);
}
