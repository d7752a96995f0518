namespace Engagement.Core.Storage;

/// <summary>What the retention policy reads and erases.</summary>
public interface IPrivacyStore
{
    /// <summary>For each person of a partnership, the latest trace of activity (for the retention policy).</summary>
    Task<IReadOnlyList<PersonActivity>> ListPersonActivityAsync(string partnershipId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Erases the name and e-mail of the given people, and the unmatched respondent e-mails of submissions made
    /// before <paramref name="submittedBefore"/>; ids and attendance facts stay. Returns how many people were erased.
    /// </summary>
    Task<int> ErasePersonalDataAsync(string partnershipId, IReadOnlyList<string> personIds, DateTimeOffset submittedBefore, DateTimeOffset erasedAt, CancellationToken cancellationToken = default);
}
