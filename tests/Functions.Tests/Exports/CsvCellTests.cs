using Engagement.Functions.Exports;

namespace Engagement.Functions.Tests.Exports;

/// <summary>How one cell is written: quoted when a reader could split it, a formula start neutralised wherever a cell can begin.</summary>
public sealed class CsvCellTests
{
    [Theory]
    [InlineData("plain text", "plain text")]
    [InlineData("Ville de Montréal", "Ville de Montréal")]
    [InlineData("=1+1", "'=1+1")]
    [InlineData("-5", "'-5")]
    [InlineData("x;@SUM(1)", "\"x;'@SUM(1)\"")]
    [InlineData("Normal;=HYPERLINK(\"http://evil.example\")", "\"Normal;'=HYPERLINK(\"\"http://evil.example\"\")\"")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("a;b", "\"a;b\"")]
    [InlineData("a\tb", "\"a\tb\"")]
    [InlineData("a\t+b", "\"a\t'+b\"")]
    [InlineData("line\n=2", "\"line\n'=2\"")]
    [InlineData("a - b", "a - b")]
    [InlineData("jean@example.org", "jean@example.org")]
    [InlineData("dit \"oui\"", "\"dit \"\"oui\"\"\"")]
    public void Cell_QuotesWhatASeparatorCouldSplit_AndNeutralisesEveryFormulaStart(string value, string written)
    {
        Assert.Equal(written, ExportsApi.Cell(value));
        Assert.Equal(written == value, ExportsApi.IsPlain(value));
    }
}
