using System.Globalization;
using System.Resources;
using Engagement.Core.Domain;

namespace Engagement.Functions.ActionPlans;

/// <summary>
/// The words of the tracker's template and of its import errors: <c>TrackerTexts.resx</c> (fr-CA, the neutral
/// language) and <c>TrackerTexts.en-CA.resx</c>. An import answers in the partnership's language whatever the thread's
/// culture, so every text is read for an explicit language.
/// </summary>
internal static class TrackerTexts
{
    private static readonly ResourceManager Resources = new("Engagement.Functions.ActionPlans.TrackerTexts", typeof(TrackerTexts).Assembly);

    public static CultureInfo Culture(PartnershipLanguage language) =>
        CultureInfo.GetCultureInfo(language == PartnershipLanguage.English ? "en-CA" : "fr-CA");

    /// <summary>A text in <paramref name="language"/>, its placeholders filled as that language writes numbers.</summary>
    public static string Say(PartnershipLanguage language, string key, params object[] args)
    {
        var culture = Culture(language);
        var text = Resources.GetString(key, culture) ?? throw new InvalidOperationException($"No tracker text '{key}' in {culture.Name}.");
        return args.Length == 0 ? text : string.Format(culture, text, args);
    }

    /// <summary>A text with a count: its <c>.One</c> or <c>.Other</c> form.</summary>
    public static string Count(PartnershipLanguage language, string key, int count) =>
        Say(language, key + (count == 1 ? ".One" : ".Other"), count);

    /// <summary>A column's name in the template.</summary>
    public static string Header(PartnershipLanguage language, TrackerColumn column) => Say(language, "Column." + column);

    /// <summary>A status as a coordinator writes it in the tracker ("En cours", "On track"); the import reads it back.</summary>
    public static string Status(PartnershipLanguage language, ActionStatus status) => Say(language, "Status." + WireNames.Format(status));

    /// <summary>Every status's label, for an error message or a list of choices.</summary>
    public static string Statuses(PartnershipLanguage language) =>
        string.Join(", ", Enum.GetValues<ActionStatus>().Select(s => Status(language, s)));

    /// <summary>A user's value cut for an error message, so a huge or hostile value is never echoed whole.</summary>
    public static string Quote(string value)
    {
        var flat = string.Join(' ', value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        var clean = new string([.. flat.Take(60).Select(c => char.IsControl(c) ? ' ' : c)]);
        return flat.Length > 60 ? clean + "…" : clean;
    }
}
