using Engagement.Core.Storage;

namespace Engagement.Core.Privacy;

/// <summary>
/// Quebec's Law 25 asks that personal information be kept only as long as needed. A person with no activity
/// for the retention period loses their name and e-mail; their pseudonymous id and attendance facts stay, so
/// history and models keep working.
/// </summary>
public static class RetentionPolicy
{
    /// <summary>The instant before which inactivity counts: <paramref name="now"/> minus the retention months.</summary>
    public static DateTimeOffset Cutoff(DateTimeOffset now, int retentionMonths) => now.AddMonths(-retentionMonths);

    /// <summary>The latest activity of a person, or null when they are still active (an open representation).</summary>
    public static DateTimeOffset? LastActivity(PersonActivity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        if (activity.HasOpenRepresentation)
        {
            return null;
        }

        var latest = activity.RecordUpdatedAt;
        if (activity.LastAttendedAt is { } attended && attended > latest)
        {
            latest = attended;
        }

        if (activity.LastSubmittedAt is { } submitted && submitted > latest)
        {
            latest = submitted;
        }

        if (activity.LastRepresentationEnd is { } end)
        {
            // The representation lasted the whole of its last day.
            var endInstant = new DateTimeOffset(end.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            if (endInstant > latest)
            {
                latest = endInstant;
            }
        }

        return latest;
    }

    /// <summary>The people whose personal data must now be erased (those already erased are skipped).</summary>
    public static IReadOnlyList<string> PeopleToErase(IEnumerable<PersonActivity> activities, DateTimeOffset cutoff) =>
        [.. activities
            .Where(a => a.Person.DisplayName is not null || a.Person.Email is not null)
            .Where(a => LastActivity(a) is { } last && last < cutoff)
            .Select(a => a.Person.Id)];
}
