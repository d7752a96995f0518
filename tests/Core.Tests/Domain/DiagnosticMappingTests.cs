using Engagement.Core.Domain;

namespace Engagement.Core.Tests.Domain;

public class DiagnosticMappingTests
{
    private static readonly DiagnosticMapping Mapping = new()
    {
        Items = new Dictionary<string, int> { ["q1"] = 1 },
        AnswerLabels = new Dictionary<string, DiagnosticAnswer>
        {
            [WireNames.Normalize("Tout à fait")] = DiagnosticAnswer.A,
            [WireNames.Normalize("Plutôt")] = DiagnosticAnswer.B,
            [WireNames.Normalize("Pas vraiment")] = DiagnosticAnswer.C,
        },
    };

    [Theory]
    [InlineData("A", DiagnosticAnswer.A)]
    [InlineData("b", DiagnosticAnswer.B)]
    [InlineData(" C ", DiagnosticAnswer.C)]
    [InlineData("C) Pas du tout", DiagnosticAnswer.C)]
    [InlineData("A. Tout à fait", DiagnosticAnswer.A)]
    [InlineData("B - En partie", DiagnosticAnswer.B)]
    [InlineData("b: en partie", DiagnosticAnswer.B)]
    public void TryMapAnswer_LetterOrLetterPrefixedLabel_Maps(string label, DiagnosticAnswer expected)
    {
        Assert.True(Mapping.TryMapAnswer(label, out var answer));
        Assert.Equal(expected, answer);
    }

    [Theory]
    [InlineData("Tout à fait", DiagnosticAnswer.A)]
    [InlineData("tout a fait", DiagnosticAnswer.A)]
    [InlineData("PLUTÔT", DiagnosticAnswer.B)]
    [InlineData("Pas vraiment", DiagnosticAnswer.C)]
    public void TryMapAnswer_RegisteredLabel_MapsIgnoringCaseAndAccents(string label, DiagnosticAnswer expected)
    {
        Assert.True(Mapping.TryMapAnswer(label, out var answer));
        Assert.Equal(expected, answer);
    }

    [Theory]
    [InlineData("D")]
    [InlineData("D) Ne sais pas")]
    [InlineData("Absolutely")]
    [InlineData("Beaucoup")]
    [InlineData("")]
    [InlineData("   ")]
    public void TryMapAnswer_UnknownLabel_ReturnsFalse(string label)
    {
        Assert.False(Mapping.TryMapAnswer(label, out _));
    }

    [Fact]
    public void Conditions_CoverEveryItemExactlyOnce()
    {
        var items = Cacis.Conditions.Values.SelectMany(i => i).Order().ToList();
        Assert.Equal(Enumerable.Range(1, Cacis.ItemCount), items);
    }
}
