using Engagement.Storage.Tables;
using Engagement.Storage.Tables.Rows;

namespace Engagement.Storage.Tests.Tables;

/// <summary>Texts longer than one property, as rows hold them (<c>{name}0…</c> and <c>{name}Parts</c>).</summary>
public sealed class LongTextTests
{
    [Fact]
    public void Split_SurrogatePairOnTheBoundary_StaysWholeAndJoinsBack()
    {
        var text = new string('a', 32 * 1024 - 1) + "🌳" + new string('b', 10);

        var row = new MailRow { Text = text };

        Assert.Equal(2, row.TextParts);
        Assert.Equal(32 * 1024 - 1, row.Text0!.Length);
        Assert.False(char.IsHighSurrogate(row.Text0[^1]));
        Assert.Equal(text, row.Text);
    }

    [Fact]
    public void Split_NullEmptyAndShort_TakeNoneOneAndOnePart()
    {
        Assert.Equal((null, null), (new IntegrationRow { Checkpoint = null }.CheckpointParts, new IntegrationRow { Checkpoint = null }.Checkpoint));
        Assert.Equal((1, ""), (new IntegrationRow { Checkpoint = "" }.CheckpointParts, new IntegrationRow { Checkpoint = "" }.Checkpoint));
        var row = new MailRow { Html = "<p>ok</p>" };
        Assert.Equal((1, "<p>ok</p>", null), (row.HtmlParts, row.Html0, row.Html1));
    }

    [Fact]
    public void Split_WrittenAgainShorter_ClearsTheUnusedParts()
    {
        var row = new MailRow { Text = new string('x', 70_000) };
        Assert.Equal(3, row.TextParts);

        row.Text = "short";

        Assert.Equal((1, "short", null, null), (row.TextParts, row.Text0, row.Text1, row.Text2));
    }

    [Fact]
    public void Split_MoreThanARecordHolds_IsRefused() =>
        Assert.Throws<RecordTooLargeException>(() => new ModelRow { Artifact = new string('x', (LongText.MaxParts * 32 * 1024) + 1) });
}
