using System.Globalization;
using Engagement.Core.Domain;

namespace Engagement.Functions.Participants;

/// <summary>Times on the participants' pages, in Montréal and as the page's language writes them (the thread's culture).</summary>
internal static class ParticipantFormat
{
    private static bool French => CultureInfo.CurrentCulture.TwoLetterISOLanguageName == "fr";

    /// <summary>"jeudi 15 janvier 2026, 13 h 30", "Thursday, January 15, 2026, 1:30 p.m.".</summary>
    public static string When(DateTimeOffset instant) =>
        MontrealClock.ToLocal(instant).ToString(French ? "dddd d MMMM yyyy, H 'h' mm" : "dddd, MMMM d, yyyy, h:mm tt", CultureInfo.CurrentCulture);

    /// <summary>"13 h 30", "1:30 p.m.".</summary>
    public static string Clock(DateTimeOffset instant) =>
        MontrealClock.ToLocal(instant).ToString(French ? "H 'h' mm" : "h:mm tt", CultureInfo.CurrentCulture);

    /// <summary>The ISO instant, for <c>&lt;time datetime&gt;</c>.</summary>
    public static string Iso(DateTimeOffset instant) => MontrealClock.ToLocal(instant).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
}
