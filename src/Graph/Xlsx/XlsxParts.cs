using System.Globalization;
using System.Text;
using System.Xml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Engagement.Graph.Xlsx;

/// <summary>
/// The pieces of SpreadsheetML every reader of ours needs, read with a forward-only <see cref="XmlReader"/> so a large
/// sheet is never loaded as a DOM: shared strings, which cell formats show dates, rich text, cell references and
/// Excel's serial dates.
/// </summary>
internal static class XlsxParts
{
    internal const int MaxColumn = 16_384;
    private const double MillisecondsPerDay = 86_400_000d;

    // Serial 1 is 1900-01-01. Excel believes 1900 was a leap year, so from serial 61 (1900-03-01) on, the day
    // count is one ahead of the calendar and the epoch moves back a day.
    private static readonly DateTime Epoch1900 = new(1899, 12, 31, 0, 0, 0, DateTimeKind.Unspecified);
    private static readonly DateTime Epoch = new(1899, 12, 30, 0, 0, 0, DateTimeKind.Unspecified);
    private static readonly long MaxMilliseconds = (DateTime.MaxValue.Ticks - Epoch.Ticks) / TimeSpan.TicksPerMillisecond;

    internal static readonly XmlReaderSettings XmlSettings = new()
    {
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        IgnoreWhitespace = true,
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        CloseInput = false,
    };

    internal static bool TryFromExcelSerial(double serial, out DateTime date)
    {
        var milliseconds = Math.Round(serial * MillisecondsPerDay, MidpointRounding.AwayFromZero);
        if (!(milliseconds >= 0 && milliseconds < MaxMilliseconds))
        {
            date = default;
            return false;
        }

        var epoch = serial < 61 ? Epoch1900 : Epoch;
        date = epoch.AddTicks((long)milliseconds * TimeSpan.TicksPerMillisecond);
        return true;
    }

    internal static MemoryStream Buffer(Stream stream)
    {
        var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        buffer.Position = 0;
        return buffer;
    }

    // A limit on the characters read keeps a small compressed file from unpacking into gigabytes of text.
    internal static string[] ReadSharedStrings(SharedStringTablePart? part, long maxCharacters = long.MaxValue)
    {
        if (part is null)
        {
            return [];
        }

        var strings = new List<string>();
        var characters = 0L;
        using var stream = part.GetStream(FileMode.Open, FileAccess.Read);
        using var xml = XmlReader.Create(stream, XmlSettings);
        while (!xml.EOF)
        {
            if (xml.NodeType == XmlNodeType.Element && xml.LocalName == "si")
            {
                var text = ReadRichText(xml);
                characters += text.Length;
                if (characters > maxCharacters)
                {
                    throw new XlsxException(XlsxProblem.TooLarge, $"The workbook holds more than {maxCharacters:N0} characters of text.");
                }

                strings.Add(text);
            }
            else
            {
                xml.Read();
            }
        }

        return [.. strings];
    }

    // Index = cell format (the s attribute); true when its number format shows a date or time.
    internal static bool[] ReadDateStyles(WorkbookStylesPart? part)
    {
        var stylesheet = part?.Stylesheet;
        if (stylesheet?.CellFormats is null)
        {
            return [];
        }

        var customFormats = new Dictionary<uint, string>();
        foreach (var format in stylesheet.NumberingFormats?.Elements<NumberingFormat>() ?? [])
        {
            if (format.NumberFormatId?.Value is { } id)
            {
                customFormats[id] = format.FormatCode?.Value ?? "";
            }
        }

        return stylesheet.CellFormats.Elements<CellFormat>()
            .Select(format => format.NumberFormatId?.Value ?? 0)
            .Select(id => customFormats.TryGetValue(id, out var code) ? IsDateFormatCode(code) : IsBuiltInDateFormat(id))
            .ToArray();
    }

    internal static bool IsBuiltInDateFormat(uint id) =>
        id is (>= 14 and <= 22) or (>= 27 and <= 36) or (>= 45 and <= 47) or (>= 50 and <= 58);

    internal static bool IsDateFormatCode(string code)
    {
        // Look at the positive section only, past literals ("..", \x, _x, *x) and brackets ([Red], [$-409]);
        // elapsed-time brackets ([h]:mm) are durations, not dates, and stay numbers.
        for (var i = 0; i < code.Length; i++)
        {
            switch (code[i])
            {
                case ';':
                    return false;
                case '"':
                    i = code.IndexOf('"', i + 1) is var close and >= 0 ? close : code.Length;
                    break;
                case '[':
                    i = code.IndexOf(']', i + 1) is var end and >= 0 ? end : code.Length;
                    break;
                case '\\' or '_' or '*':
                    i++;
                    break;
                case 'y' or 'Y' or 'm' or 'M' or 'd' or 'D' or 'h' or 'H' or 's' or 'S':
                    return true;
            }
        }

        return false;
    }

    // Positioned on <si> or <is>; returns the text of its <t> elements (plain or in runs, not phonetic guides)
    // and leaves the reader after the element.
    internal static string ReadRichText(XmlReader xml)
    {
        if (xml.IsEmptyElement)
        {
            xml.Read();
            return "";
        }

        var depth = xml.Depth;
        string? single = null;
        StringBuilder? joined = null;
        xml.Read();
        while (xml.Depth > depth)
        {
            if (xml.NodeType == XmlNodeType.Element)
            {
                if (xml.LocalName is "rPh" or "phoneticPr")
                {
                    xml.Skip();
                    continue;
                }

                if (xml.LocalName == "t")
                {
                    var text = xml.ReadElementContentAsString();
                    if (single is null)
                    {
                        single = text;
                    }
                    else
                    {
                        (joined ??= new StringBuilder(single)).Append(text);
                    }

                    continue;
                }
            }

            xml.Read();
        }

        xml.Read();
        return DecodeEscapes(joined?.ToString() ?? single ?? "");
    }

    // OOXML writes characters XML cannot carry (a carriage return, for one) as _xHHHH_.
    internal static string DecodeEscapes(string text)
    {
        if (!text.Contains("_x", StringComparison.Ordinal))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '_' && i + 6 < text.Length && text[i + 1] == 'x' && text[i + 6] == '_'
                && ushort.TryParse(text.AsSpan(i + 2, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
            {
                builder.Append((char)code);
                i += 6;
            }
            else
            {
                builder.Append(text[i]);
            }
        }

        return builder.ToString();
    }

    internal static bool TryParseRange(string reference, out int firstColumn, out int firstRow, out int lastColumn, out int lastRow)
    {
        var colon = reference.IndexOf(':', StringComparison.Ordinal);
        var start = colon < 0 ? reference : reference[..colon];
        var end = colon < 0 ? reference : reference[(colon + 1)..];
        lastColumn = lastRow = 0;
        return TryParseCellReference(start.Replace("$", "", StringComparison.Ordinal), out firstColumn, out firstRow)
            && TryParseCellReference(end.Replace("$", "", StringComparison.Ordinal), out lastColumn, out lastRow);
    }

    internal static bool TryParseCellReference(ReadOnlySpan<char> reference, out int column, out int row)
    {
        column = 0;
        row = 0;
        var i = 0;
        for (; i < reference.Length && char.IsAsciiLetter(reference[i]); i++)
        {
            column = (column * 26) + (char.ToUpperInvariant(reference[i]) - 'A' + 1);
            if (column > MaxColumn)
            {
                return false;
            }
        }

        return i > 0 && (i == reference.Length || int.TryParse(reference[i..], NumberStyles.None, CultureInfo.InvariantCulture, out row));
    }

    // Positioned on <c>; returns the text of <v> or <is> and leaves the reader after the cell.
    internal static string? ReadCellValue(XmlReader xml)
    {
        if (xml.IsEmptyElement)
        {
            xml.Read();
            return null;
        }

        var depth = xml.Depth;
        string? value = null;
        xml.Read();
        while (xml.Depth > depth)
        {
            if (xml.NodeType != XmlNodeType.Element)
            {
                xml.Read();
            }
            else if (xml.LocalName == "v")
            {
                value = xml.ReadElementContentAsString();
            }
            else if (xml.LocalName == "is")
            {
                value = ReadRichText(xml);
            }
            else
            {
                xml.Skip(); // a formula, extensions
            }
        }

        xml.Read();
        return value;
    }

    internal static string ColumnName(int column)
    {
        var name = "";
        for (; column > 0; column = (column - 1) / 26)
        {
            name = (char)('A' + ((column - 1) % 26)) + name;
        }

        return name;
    }
}
