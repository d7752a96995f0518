using Engagement.Core.Domain;

namespace Engagement.Functions.Dashboard;

/// <summary>A stretch of one organisation's seat: someone represented it, or nobody did (<see cref="Person"/> null).</summary>
public sealed record SeatPeriod(DateOnly From, DateOnly? To, string? Person, RepresentationRole Role = RepresentationRole.Representative)
{
    public bool Vacant => Person is null;
}

/// <summary>One organisation's line of the representation timeline.</summary>
public sealed record SeatLine(Organization Organization, IReadOnlyList<SeatPeriod> Periods)
{
    /// <summary>Hand-overs: a representation that starts within 31 days after another ended.</summary>
    public int HandOvers => Periods.Where(p => !p.Vacant).Zip(Periods.Where(p => !p.Vacant).Skip(1)).Count(pair => pair.First.To is { } end && pair.Second.From.DayNumber - end.DayNumber <= 31);
}

/// <summary>Who sat for whom, and the gaps between them, from the roster.</summary>
internal static class RepresentationTimeline
{
    public static IReadOnlyList<SeatLine> Lines(IReadOnlyList<Organization> organizations, IReadOnlyList<Representation> representations, Func<string, string> person, DateOnly today)
    {
        var byOrganization = representations.ToLookup(r => r.OrganizationId, StringComparer.Ordinal);
        return [.. organizations.Select(o => new SeatLine(o, Periods([.. byOrganization[o.Id].OrderBy(r => r.From)], person, today)))];
    }

    /// <summary>The representations in start order, with a vacant period wherever none covers a day after the first.</summary>
    private static List<SeatPeriod> Periods(List<Representation> representations, Func<string, string> person, DateOnly today)
    {
        var periods = new List<SeatPeriod>();
        DateOnly? coveredUntil = null; // the last day covered so far; DateOnly.MaxValue while one lasts
        foreach (var r in representations)
        {
            if (coveredUntil is { } covered && covered < DateOnly.MaxValue && r.From > covered.AddDays(1))
            {
                periods.Add(new SeatPeriod(covered.AddDays(1), r.From.AddDays(-1), null));
            }

            periods.Add(new SeatPeriod(r.From, r.To, person(r.PersonId), r.Role));
            var end = r.To ?? DateOnly.MaxValue;
            coveredUntil = coveredUntil is null || end > coveredUntil ? end : coveredUntil;
        }

        if (coveredUntil is { } last && last < today)
        {
            periods.Add(new SeatPeriod(last.AddDays(1), null, null));
        }

        return periods;
    }
}
