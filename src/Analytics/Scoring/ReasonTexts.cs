using System.Globalization;
using System.Resources;

[assembly: NeutralResourcesLanguage("fr-CA")]

namespace Engagement.Analytics.Scoring;

/// <summary>
/// The words of the reasons: <c>ReasonTexts.resx</c> (fr-CA, the neutral language) and <c>ReasonTexts.en-CA.resx</c>,
/// like the pages' and e-mails' strings. A reason is said in both languages at once (a score keeps both), so each
/// text is read for an explicit culture rather than the thread's. A text with a count has a <c>.One</c> and an
/// <c>.Other</c> form; each language picks its own by the count its sentence agrees with.
/// </summary>
internal static class ReasonTexts
{
    private static readonly ResourceManager Resources = new("Engagement.Analytics.Scoring.ReasonTexts", typeof(ReasonTexts).Assembly);
    private static readonly CultureInfo French = CultureInfo.GetCultureInfo("fr-CA");
    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en-CA");

    /// <summary>A text in both languages, its placeholders filled (numbers written invariantly: whole counts and percentages).</summary>
    public static (string French, string English) Say(string key, params object[] args) => (Format(key, French, args), Format(key, English, args));

    /// <summary>
    /// A text with a count: French agrees with <paramref name="frenchCount"/>, English with <paramref name="englishCount"/>
    /// (« 2 fiches … sur 5 » but "2 of 5 … sheets").
    /// </summary>
    public static (string French, string English) CountEach(string key, int frenchCount, int englishCount, params object[] args) =>
        (Format(key + Form(frenchCount), French, args), Format(key + Form(englishCount), English, args));

    /// <summary>A text with one count both languages agree with (the count is also among <paramref name="args"/> where the text says it).</summary>
    public static (string French, string English) Count(string key, int count, params object[] args) => CountEach(key, count, count, args);

    private static string Form(int count) => count == 1 ? ".One" : ".Other";

    private static string Format(string key, CultureInfo culture, object[] args)
    {
        var text = Resources.GetString(key, culture) ?? throw new InvalidOperationException($"No reason text '{key}' in {culture.Name}.");
        return args.Length == 0 ? text : string.Format(CultureInfo.InvariantCulture, text, args);
    }
}
