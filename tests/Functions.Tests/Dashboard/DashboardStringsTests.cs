using System.Globalization;
using System.Resources;
using System.Text.RegularExpressions;
using Engagement.Core.Domain;
using Engagement.Functions.Dashboard;

namespace Engagement.Functions.Tests.Dashboard;

/// <summary>The pages' words exist in both languages, and numbers are written as each language writes them.</summary>
public sealed partial class DashboardStringsTests
{
    private static readonly ResourceManager Resources = new("Engagement.Functions.Dashboard.Strings", typeof(Strings).Assembly);

    private static Dictionary<string, string> Read(string culture) =>
        Resources.GetResourceSet(CultureInfo.GetCultureInfo(culture), createIfNotExists: true, tryParents: false)!
            .Cast<System.Collections.DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string)e.Value!, StringComparer.Ordinal);

    [Fact]
    public void BothLanguages_HaveTheSameKeys_AndNoEmptyString()
    {
        var french = Read(CultureInfo.InvariantCulture.Name);
        var english = Read("en-CA");

        Assert.True(french.Count > 100, $"{french.Count} strings");
        Assert.Equal(french.Keys.Order(StringComparer.Ordinal), english.Keys.Order(StringComparer.Ordinal));
        Assert.All(french.Concat(english), s => Assert.False(string.IsNullOrWhiteSpace(s.Value), s.Key));
        // A format string's placeholders are the same in both languages.
        Assert.All(french.Keys, key => Assert.Equal(Placeholders(french[key]), Placeholders(english[key])));
    }

    [Fact]
    public void EveryKeyTheComponentsAsk_Exists()
    {
        var keys = Read(CultureInfo.InvariantCulture.Name).Keys.ToHashSet(StringComparer.Ordinal);
        var folder = Path.Combine(RepositoryRoot(), "src", "Functions", "Dashboard");
        var asked = Directory.EnumerateFiles(folder, "*.razor", SearchOption.AllDirectories).Concat(Directory.EnumerateFiles(folder, "*.cs"))
            .SelectMany(file => LiteralKey().Matches(File.ReadAllText(file)).Select(m => m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value)).ToHashSet(StringComparer.Ordinal);

        // Keys built from a value: every value of the enum has its words.
        asked.UnionWith(Enum.GetNames<SeatStatus>().Select(n => "Seat." + n));
        asked.UnionWith(Enum.GetNames<DashboardPeriod>().Select(n => "Period." + n));
        asked.UnionWith(Enum.GetNames<Sector>().Select(n => "Sector." + n));
        asked.UnionWith(Enum.GetNames<FormKind>().Select(n => "FormKind." + n));
        asked.UnionWith(["Band.high", "Band.medium", "Band.low", "Chart.Attendance.Empty", "Chart.Risk.Empty"]);

        Assert.True(asked.Count > 80, $"{asked.Count} keys found");
        Assert.Empty(asked.Where(k => !keys.Contains(k)).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("fr-CA", "^66,7[\u00a0\u202f]%$", "30 novembre 2026")]
    [InlineData("en-CA", "^66\\.7%$", "November 30, 2026")]
    public async Task Numbers_AndDays_AreWrittenAsEachLanguageWritesThem(string culture, string percent, string day)
    {
        var language = culture == "fr-CA" ? PartnershipLanguage.French : PartnershipLanguage.English;
        string? written = null, writtenDay = null;

        await PageLanguages.InAsync(language, () =>
        {
            (written, writtenDay) = (Fmt.Percent(2 / 3.0, 1), Fmt.Day(new DateOnly(2026, 11, 30)));
            return Task.CompletedTask;
        });

        Assert.Matches(percent, written); // French: a non-breaking space before %
        Assert.Equal(day, writtenDay);
    }

    private static string[] Placeholders(string text) => [.. Placeholder().Matches(text).Select(m => m.Value).Distinct().Order(StringComparer.Ordinal)];

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "EngagementFunctions.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (EngagementFunctions.sln) is not above the test binaries.");
    }

    [GeneratedRegex("L\\[\"([A-Za-z]+\\.[A-Za-z.]+)\"[\\],]|\"((?:NotFound|Login|Alerts|Actions|Frame)\\.[A-Za-z]+)\"")]
    private static partial Regex LiteralKeyPattern();

    private static Regex LiteralKey() => LiteralKeyPattern();

    [GeneratedRegex(@"\{\d+\}")]
    private static partial Regex Placeholder();
}
