using System.Globalization;
using System.Resources;
using Engagement.Core.Domain;

[assembly: NeutralResourcesLanguage("fr-CA")]

namespace Engagement.Functions.Dashboard;

/// <summary>
/// The pages' and alert e-mails' words: <c>Strings.resx</c> (fr-CA, the neutral language) and <c>Strings.en-CA.resx</c>,
/// read through <c>IStringLocalizer&lt;Strings&gt;</c> in the thread's UI culture (<see cref="PageLanguages.InAsync"/>).
/// </summary>
internal sealed class Strings;

/// <summary>Numbers and dates as each language writes them, in the thread's culture: <c>66,7 %</c> / <c>66.7%</c>.</summary>
internal static class Fmt
{
    private static CultureInfo Culture => CultureInfo.CurrentCulture;

    private static bool French => Culture.TwoLetterISOLanguageName == "fr";

    /// <summary>A share in [0, 1] as a percentage, whole by default; in French a non-breaking space keeps « % » with its number.</summary>
    public static string Percent(double share, int decimals = 0) =>
        share.ToString("P" + decimals.ToString(CultureInfo.InvariantCulture), Culture).Replace(" %", " %", StringComparison.Ordinal);

    /// <summary>"30 novembre 2026", "November 30, 2026".</summary>
    public static string Day(DateOnly day) => day.ToString(French ? "d MMMM yyyy" : "MMMM d, yyyy", Culture);

    /// <summary>"30 nov. 2026", "Nov 30, 2026": column headers and tips.</summary>
    public static string ShortDay(DateOnly day) => day.ToString(French ? "d MMM yyyy" : "MMM d, yyyy", Culture);

    /// <summary>"30 nov.", "Nov 30": a day whose year goes without saying.</summary>
    public static string DayMonth(DateOnly day) => day.ToString(French ? "d MMM" : "MMM d", Culture);

    /// <summary>"nov. 2026", "Nov 2026": axis ticks.</summary>
    public static string Month(DateOnly day) => day.ToString("MMM yyyy", Culture);

    /// <summary>The ISO day, for <c>&lt;time datetime&gt;</c>.</summary>
    public static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>A whole number of percentage points, signed.</summary>
    public static string Points(double delta) => Math.Round(Math.Abs(delta) * 100).ToString("0", Culture);

    /// <summary>The day an instant (a meeting's start, a score) falls on in Montréal.</summary>
    public static DateOnly DayOf(DateTimeOffset start) => DateOnly.FromDateTime(MontrealClock.ToLocal(start).DateTime);
}
