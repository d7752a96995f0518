using System.Globalization;
using System.Resources;
using System.Text.RegularExpressions;
using Engagement.Core.Domain;
using Engagement.Functions.Dashboard;
using Engagement.Functions.Participants;

namespace Engagement.Functions.Tests.Participants;

/// <summary>The participants' pages ask only for words that exist (in both languages: the dashboard's test compares them).</summary>
public sealed partial class ParticipantStringsTests
{
    private static readonly ResourceManager Resources = new("Engagement.Functions.Dashboard.Strings", typeof(Strings).Assembly);

    // A literal key: L["Key"], or a key named in code; not the start of a key built from a value ("Participant.Cacis.Item" + n).
    [GeneratedRegex("L\\[\"([A-Za-z0-9]+(?:\\.[A-Za-z0-9]+)+)\"(?!\\s*\\+)|\"((?:Participant|Privacy|NotFound|Actions|Alerts|Frame)\\.[A-Za-z0-9.]+)\"(?!\\s*\\+)")]
    private static partial Regex LiteralKey();

    [Fact]
    public void EveryKeyTheParticipantsPagesAsk_ExistsInBothLanguages()
    {
        var french = Resources.GetResourceSet(CultureInfo.InvariantCulture, createIfNotExists: true, tryParents: false)!.Cast<System.Collections.DictionaryEntry>().Select(e => (string)e.Key).ToHashSet(StringComparer.Ordinal);
        var english = Resources.GetResourceSet(CultureInfo.GetCultureInfo("en-CA"), createIfNotExists: true, tryParents: false)!.Cast<System.Collections.DictionaryEntry>().Select(e => (string)e.Key).ToHashSet(StringComparer.Ordinal);
        var folder = Path.Combine(Hosting.CodeSettings.RepositoryRoot().FullName, "src", "Functions", "Participants");
        var asked = Directory.EnumerateFiles(folder, "*.*", SearchOption.AllDirectories).Where(f => f.EndsWith(".razor", StringComparison.Ordinal) || f.EndsWith(".cs", StringComparison.Ordinal))
            .SelectMany(file => LiteralKey().Matches(File.ReadAllText(file)).Select(m => m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value))
            .Where(k => !k.EndsWith('.'))
            .ToHashSet(StringComparer.Ordinal);

        // Keys built from a value.
        asked.UnionWith(Enum.GetNames<PickProblem>().Where(n => n != nameof(PickProblem.None)).Select(n => "Participant.Problem." + n));
        asked.UnionWith(Enumerable.Range(1, Cacis.ItemCount).SelectMany(i => new[] { $"Participant.Cacis.Item{i:00}", $"Participant.Cacis.Item{i:00}.Help" }));
        asked.UnionWith(Enumerable.Range(1, Cacis.Conditions.Count).Select(i => $"Participant.Cacis.Condition{i}"));
        asked.UnionWith(new[] { "A", "B", "C" }.Select(l => "Participant.Cacis.Answer" + l));

        Assert.True(asked.Count > 150, $"{asked.Count} keys found");
        Assert.Empty(asked.Where(k => !french.Contains(k)).Order(StringComparer.Ordinal));
        Assert.Empty(asked.Where(k => !english.Contains(k)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void TheDiagnosticsItemKeys_MapTheEighteenItems_AsTheStoredMappingReads()
    {
        Assert.Equal("cacis01", ParticipantForms.ItemKey(1));
        Assert.Equal("cacis18", ParticipantForms.ItemKey(18));
        var form = new FormDefinition
        {
            Id = "f",
            PartnershipId = "p",
            Kind = FormKind.Diagnostic,
            Diagnostic = new DiagnosticMapping { Items = Enumerable.Range(1, 18).ToDictionary(i => "r" + (100 - i), i => i) },
        };

        Assert.Equal(Enumerable.Range(1, 18).Select(i => "r" + (100 - i)), ParticipantForms.ItemKeys(form));
        Assert.Null(ParticipantForms.ItemKeys(form with { Diagnostic = new DiagnosticMapping { Items = new Dictionary<string, int> { ["a"] = 1 } } }));
    }
}
