using System.IO.Pipelines;
using System.Text;

namespace Engagement.Functions.Exports;

/// <summary>
/// Writes CSV rows (RFC 4180, CRLF) as UTF-8 straight into the response's pipe: no string per line, numbers formatted
/// in place, plain text copied as is; only cells that need quoting or neutralising go through
/// <see cref="ExportsApi.Cell"/>. The caller flushes with <see cref="FlushIfFullAsync"/> between rows.
/// </summary>
internal sealed class CsvWriter(PipeWriter pipe)
{
    private const int FlushThreshold = 64 * 1024;
    private static readonly byte[] Bom = [0xEF, 0xBB, 0xBF];
    private static readonly byte[] True = "true"u8.ToArray(), False = "false"u8.ToArray(), LineEnd = "\r\n"u8.ToArray();
    private int _unflushed;

    public void WriteBom() => WriteBytes(Bom);

    /// <summary>What every CSV of a table starts with: the byte-order mark (Excel reads UTF-8 then) and the header row.</summary>
    public void WriteHeader(StarTable table)
    {
        WriteBom();
        WriteRow([.. table.Columns], table.Columns.Count);
    }

    /// <summary>The first <paramref name="count"/> values as one line.</summary>
    public void WriteRow(object?[] values, int count)
    {
        for (var i = 0; i < count; i++)
        {
            if (i > 0)
            {
                WriteByte((byte)',');
            }

            WriteCell(values[i]);
        }

        WriteBytes(LineEnd);
    }

    /// <summary>Hands what was written to the response once 64 KiB have gathered.</summary>
    public async ValueTask FlushIfFullAsync(CancellationToken cancellationToken)
    {
        if (_unflushed >= FlushThreshold)
        {
            await FlushAsync(cancellationToken);
        }
    }

    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        _unflushed = 0;
        await pipe.FlushAsync(cancellationToken);
    }

    private void WriteCell(object? value)
    {
        switch (value)
        {
            case null:
                break;
            case int number:
                var span = pipe.GetSpan(11);
                number.TryFormat(span, out var written, default, System.Globalization.CultureInfo.InvariantCulture);
                Advance(written);
                break;
            case bool flag:
                WriteBytes(flag ? True : False);
                break;
            case string text when ExportsApi.IsPlain(text):
                WriteText(text);
                break;
            default:
                WriteText(ExportsApi.Cell(value));
                break;
        }
    }

    private void WriteText(string text)
    {
        var span = pipe.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        Advance(Encoding.UTF8.GetBytes(text, span));
    }

    private void WriteByte(byte value)
    {
        pipe.GetSpan(1)[0] = value;
        Advance(1);
    }

    private void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(pipe.GetSpan(bytes.Length));
        Advance(bytes.Length);
    }

    private void Advance(int count)
    {
        pipe.Advance(count);
        _unflushed += count;
    }
}
