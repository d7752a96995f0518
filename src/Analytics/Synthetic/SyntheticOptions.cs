using System.Globalization;
using Engagement.Core.Validation;

namespace Engagement.Analytics.Synthetic;

/// <summary>The two kinds of partnership the generator makes; they differ in size and in baseline attendance.</summary>
public enum SyntheticPartnershipKind
{
    /// <summary>A large network or neighbourhood round table (25–40 people expected per meeting by default).</summary>
    LargeNetwork,
    /// <summary>A committee, e.g. a MADA committee (6–15 people expected per meeting by default).</summary>
    Committee,
}

/// <summary>An inclusive range of counts.</summary>
/// <param name="Min">Smallest count (inclusive).</param>
/// <param name="Max">Largest count (inclusive).</param>
public readonly record struct SizeRange(int Min, int Max);

/// <summary>
/// What the synthetic generator makes. Every value has a documented default; the same options (seed included) always
/// give the same dataset, dated from <see cref="Start"/> and never from the wall clock.
/// </summary>
public sealed record SyntheticOptions
{
    /// <summary>Largest number of organisations in one partnership.</summary>
    public const int MaxOrganizationsPerPartnership = 200;

    /// <summary>Largest number of attendance rows the options may ask for (about 1.5 GB of records).</summary>
    public const long MaxAttendanceRows = 20_000_000;

    /// <summary>Seed of <see cref="Random"/>; the only source of randomness. Default 1.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Number of partnerships (1–10,000). Default 6.</summary>
    public int Partnerships { get; init; } = 6;

    /// <summary>First day of the simulated period; meetings fall on or after it. Default 2023-09-01 (year 2007 or later).</summary>
    public DateOnly Start { get; init; } = new(2023, 9, 1);

    /// <summary>Length of the simulated period in calendar months (1–600). Default 30.</summary>
    public int Months { get; init; } = 30;

    /// <summary>Regular meetings per month outside summer (1–4). Default 1.</summary>
    public int MeetingsPerMonth { get; init; } = 1;

    /// <summary>Share of partnerships that are large networks, the rest being committees (0–1, rounded to a count). Default 0.35.</summary>
    public double LargeNetworkShare { get; init; } = 0.35;

    /// <summary>Organisations (one representative each, so people expected per meeting) of a large network. Default 25–40.</summary>
    public SizeRange LargeNetworkSize { get; init; } = new(25, 40);

    /// <summary>Organisations (people expected per meeting) of a committee. Default 6–15.</summary>
    public SizeRange CommitteeSize { get; init; } = new(6, 15);

    /// <summary>
    /// Summer dip: no meeting in July, half the meetings (rounded up) in August, and lower attendance in August.
    /// The dip is seasonal noise: it does not touch the latent engagement of the ground truth. Default true.
    /// </summary>
    public bool SummerDip { get; init; } = true;

    /// <summary>
    /// Probability per organisation per month that its representative leaves (0–0.5). The seat then stays vacant for
    /// 0 to <see cref="MaxVacancyMeetings"/> meetings before a new representative starts. Default 0.02.
    /// </summary>
    public double TurnoverRate { get; init; } = 0.02;

    /// <summary>Longest vacancy after a representative leaves, in meetings (0–12). Default 3.</summary>
    public int MaxVacancyMeetings { get; init; } = 3;

    /// <summary>Probability that a new representative's organisation then starts drifting away (0–1). Default 0.25.</summary>
    public double TurnoverDriftProbability { get; init; } = 0.25;

    /// <summary>Share of organisations (coordinating ones excepted) that drift away gradually over 6–12 months (0–1). Default 0.15.</summary>
    public double DriftShare { get; init; } = 0.15;

    /// <summary>Share of meetings held on Teams, whose attendance carries seconds attended (0–1). Default 0.3.</summary>
    public double TeamsShare { get; init; } = 0.3;

    /// <summary>Share of meetings followed by a follow-up form sent to the representatives (0–1). Default 0.5.</summary>
    public double FollowUpShare { get; init; } = 0.5;

    /// <summary>One CACIS self-diagnostic wave a year, the first two months after <see cref="Start"/>. Default true.</summary>
    public bool DiagnosticWaves { get; init; } = true;

    /// <summary>
    /// An action plan per partnership: objectives adopted every year, actions led by organisations with partners and due
    /// days, slipping when their carriers disengage, and follow-up sheets every 60 days answered as engagement allows.
    /// Drawn from its own generator, so turning it on changes nothing else in the dataset. Default false.
    /// </summary>
    public bool ActionPlans { get; init; }

    /// <summary>Checks every value and throws one <see cref="ValidationFailedException"/> that lists all the problems.</summary>
    /// <exception cref="ValidationFailedException">At least one value is out of range.</exception>
    public void Validate()
    {
        var errors = new ValidationErrors();
        Range(errors, nameof(Partnerships), Partnerships, 1, 10_000);
        Range(errors, nameof(Months), Months, 1, 600);
        Range(errors, nameof(MeetingsPerMonth), MeetingsPerMonth, 1, 4);
        Range(errors, nameof(MaxVacancyMeetings), MaxVacancyMeetings, 0, 12);
        if (Start.Year < 2007)
        {
            errors.Add(nameof(Start), $"'{nameof(Start)}' must be in 2007 or later (the Montréal daylight-saving rules used start in 2007).");
        }

        Share(errors, nameof(LargeNetworkShare), LargeNetworkShare, 1);
        Share(errors, nameof(TurnoverRate), TurnoverRate, 0.5);
        Share(errors, nameof(TurnoverDriftProbability), TurnoverDriftProbability, 1);
        Share(errors, nameof(DriftShare), DriftShare, 1);
        Share(errors, nameof(TeamsShare), TeamsShare, 1);
        Share(errors, nameof(FollowUpShare), FollowUpShare, 1);
        Size(errors, nameof(LargeNetworkSize), LargeNetworkSize);
        Size(errors, nameof(CommitteeSize), CommitteeSize);

        if (errors.IsValid)
        {
            var largest = Math.Max(LargeNetworkSize.Max, CommitteeSize.Max);
            var rows = (long)Partnerships * Months * MeetingsPerMonth * largest;
            if (rows > MaxAttendanceRows)
            {
                errors.Add(nameof(Partnerships), string.Create(CultureInfo.InvariantCulture,
                    $"'{nameof(Partnerships)}' × '{nameof(Months)}' × '{nameof(MeetingsPerMonth)}' × the largest size may give up to {rows:N0} attendance rows; at most {MaxAttendanceRows:N0} are allowed."));
            }
        }

        if (!errors.IsValid)
        {
            var messages = errors.ToDictionary().SelectMany(e => e.Value);
            throw new ValidationFailedException(errors, "The synthetic options are not valid: " + string.Join(" ", messages));
        }
    }

    private static void Range(ValidationErrors errors, string field, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            errors.Add(field, string.Create(CultureInfo.InvariantCulture, $"'{field}' must be between {min} and {max} (was {value})."));
        }
    }

    private static void Share(ValidationErrors errors, string field, double value, double max)
    {
        if (!double.IsFinite(value) || value < 0 || value > max)
        {
            errors.Add(field, string.Create(CultureInfo.InvariantCulture, $"'{field}' must be between 0 and {max} (was {value})."));
        }
    }

    private static void Size(ValidationErrors errors, string field, SizeRange range)
    {
        if (range.Min < 2 || range.Max > MaxOrganizationsPerPartnership || range.Min > range.Max)
        {
            errors.Add(field, string.Create(CultureInfo.InvariantCulture,
                $"'{field}' must satisfy 2 ≤ Min ≤ Max ≤ {MaxOrganizationsPerPartnership} (was {range.Min}–{range.Max})."));
        }
    }
}
