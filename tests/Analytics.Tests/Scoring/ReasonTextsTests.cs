using System.Collections;
using System.Globalization;
using System.Resources;
using System.Text.RegularExpressions;
using Engagement.Analytics.Scoring;

namespace Engagement.Analytics.Tests.Scoring;

/// <summary>The reasons' words exist in both languages, with the same placeholders, and each count has both its forms.</summary>
public sealed partial class ReasonTextsTests
{
    private static Dictionary<string, string> Read(CultureInfo culture) =>
        new ResourceManager("Engagement.Analytics.Scoring.ReasonTexts", typeof(Reasons).Assembly)
            .GetResourceSet(culture, createIfNotExists: true, tryParents: false)!
            .Cast<DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string)e.Value!, StringComparer.Ordinal);

    [Fact]
    public void BothLanguages_SayTheSameThings()
    {
        var french = Read(CultureInfo.InvariantCulture);
        var english = Read(CultureInfo.GetCultureInfo("en-CA"));

        Assert.True(french.Count >= 50, $"{french.Count} texts");
        Assert.Equal(french.Keys.Order(StringComparer.Ordinal), english.Keys.Order(StringComparer.Ordinal));
        Assert.All(french.Keys, key => Assert.Equal(Placeholders(french[key]), Placeholders(english[key])));
        Assert.All(french.Concat(english), t => Assert.False(string.IsNullOrWhiteSpace(t.Value), t.Key));
        Assert.All(french.Keys.Where(k => k.EndsWith(".One", StringComparison.Ordinal)), key => Assert.Contains(key[..^4] + ".Other", french.Keys));
        Assert.All(french.Values.Where(v => v.Contains('%', StringComparison.Ordinal)), v => Assert.Contains("\u00a0%", v, StringComparison.Ordinal));
    }

    private static string[] Placeholders(string text) => [.. Placeholder().Matches(text).Select(m => m.Value).Distinct().Order(StringComparer.Ordinal)];

    [GeneratedRegex(@"\{\d+\}")]
    private static partial Regex Placeholder();
}
