using System.Globalization;
using System.Resources;
using System.Text.RegularExpressions;
using Engagement.Core.Domain;
using Engagement.Functions.Dashboard;

namespace Engagement.Functions.Tests.FollowUpSheets;

/// <summary>The follow-up sheets' page and e-mails ask only for words that exist, in both languages.</summary>
public sealed partial class FollowUpSheetStringsTests
{
    private static readonly ResourceManager Resources = new("Engagement.Functions.Dashboard.Strings", typeof(Strings).Assembly);

    // A literal key: L["Key"] or l["Key"], or a key named in code; not the start of a key built from a value ("Sheet.Status." + wire).
    [GeneratedRegex("[Ll]\\[\"([A-Za-z0-9]+(?:\\.[A-Za-z0-9-]+)+)\"(?!\\s*\\+)|\"((?:Sheet|Participant|Email)\\.[A-Za-z0-9.-]+)\"(?!\\s*\\+)")]
    private static partial Regex LiteralKey();

    [Fact]
    public void EveryKeyTheSheetsAsk_ExistsInBothLanguages()
    {
        var french = Keys(CultureInfo.InvariantCulture);
        var english = Keys(CultureInfo.GetCultureInfo("en-CA"));
        var folder = Path.Combine(Hosting.CodeSettings.RepositoryRoot().FullName, "src", "Functions", "FollowUpSheets");
        var asked = Directory.EnumerateFiles(folder, "*.*", SearchOption.AllDirectories).Where(f => f.EndsWith(".razor", StringComparison.Ordinal) || f.EndsWith(".cs", StringComparison.Ordinal))
            .SelectMany(file => LiteralKey().Matches(File.ReadAllText(file)).Select(m => m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value))
            .Where(k => !k.EndsWith('.'))
            .ToHashSet(StringComparer.Ordinal);
        asked.UnionWith(Enum.GetValues<ActionStatus>().Select(s => "Sheet.Status." + WireNames.Format(s)));

        Assert.True(asked.Count > 40, $"{asked.Count} keys found");
        Assert.Empty(asked.Where(k => !french.Contains(k)).Order(StringComparer.Ordinal));
        Assert.Empty(asked.Where(k => !english.Contains(k)).Order(StringComparer.Ordinal));
        Assert.Equal(french.Where(k => k.StartsWith("Sheet.", StringComparison.Ordinal)).Order(StringComparer.Ordinal), asked.Where(k => k.StartsWith("Sheet.", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
    }

    private static HashSet<string> Keys(CultureInfo culture) =>
        Resources.GetResourceSet(culture, createIfNotExists: true, tryParents: false)!.Cast<System.Collections.DictionaryEntry>().Select(e => (string)e.Key).ToHashSet(StringComparer.Ordinal);
}
