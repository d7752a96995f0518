using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Engagement.Graph.Tests.Forms;

/// <summary>A cell to write; a string is a shared string and a double a plain number.</summary>
internal abstract record XCell
{
    [return: NotNullIfNotNull(nameof(text))]
    public static implicit operator XCell?(string? text) => text is null ? null : new SharedText(text);

    public static implicit operator XCell(double number) => new Number(number, Style: 0);

    /// <summary>A number shown with the built-in date-time format (numFmtId 22), as Forms writes its times.</summary>
    public static XCell Date(double serial) => new Number(serial, Style: XlsxBuilder.DateTimeStyle);

    /// <summary>A number shown with a custom date format (yyyy-mm-dd).</summary>
    public static XCell CustomDate(double serial) => new Number(serial, Style: XlsxBuilder.CustomDateStyle);

    public static XCell Inline(string text) => new InlineText(text);

    public static XCell Bool(bool value) => new Raw("b", value ? "1" : "0");

    public static XCell Error(string value) => new Raw("e", value);

    /// <summary>A cell element with a style but no value, as Excel leaves formatted blanks.</summary>
    public static XCell Blank => new Raw(null, null);
}

internal sealed record SharedText(string Text) : XCell;

internal sealed record InlineText(string Text) : XCell;

internal sealed record Number(double Value, uint Style) : XCell;

internal sealed record Raw(string? Type, string? Value) : XCell;

/// <summary>Builds real .xlsx files with DocumentFormat.OpenXml, the sheets written with OpenXmlWriter.</summary>
internal sealed class XlsxBuilder
{
    public const uint DateTimeStyle = 1;
    public const uint CustomDateStyle = 2;

    private readonly List<SheetBuilder> _sheets = [];

    public XlsxBuilder Sheet(string name, Action<SheetBuilder> build)
    {
        var sheet = new SheetBuilder(name);
        build(sheet);
        _sheets.Add(sheet);
        return this;
    }

    public MemoryStream BuildStream() => new(Build(), writable: false);

    public byte[] Build()
    {
        using var stream = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var workbookPart = document.AddWorkbookPart();
            workbookPart.AddNewPart<WorkbookStylesPart>().Stylesheet = Stylesheet();

            var sharedStrings = new Dictionary<string, int>(StringComparer.Ordinal);
            var sheets = new Sheets();
            var tableId = 1u;
            for (var i = 0; i < _sheets.Count; i++)
            {
                var worksheetPart = workbookPart.AddNewPart<WorksheetPart>();
                WriteSheet(worksheetPart, _sheets[i], sharedStrings, ref tableId);
                sheets.Append(new Sheet { Name = _sheets[i].Name, SheetId = (uint)(i + 1), Id = workbookPart.GetIdOfPart(worksheetPart) });
            }

            workbookPart.Workbook = new Workbook(sheets);
            WriteSharedStrings(workbookPart.AddNewPart<SharedStringTablePart>(), sharedStrings);
        }

        return stream.ToArray();
    }

    private static Stylesheet Stylesheet() => new(
        new NumberingFormats(new NumberingFormat { NumberFormatId = 164, FormatCode = "yyyy\\-mm\\-dd" }) { Count = 1 },
        new Fonts(new Font()) { Count = 1 },
        new Fills(new Fill(new PatternFill { PatternType = PatternValues.None }), new Fill(new PatternFill { PatternType = PatternValues.Gray125 })) { Count = 2 },
        new Borders(new Border()) { Count = 1 },
        new CellStyleFormats(new CellFormat()) { Count = 1 },
        new CellFormats(
            new CellFormat(),
            new CellFormat { NumberFormatId = 22, ApplyNumberFormat = true },
            new CellFormat { NumberFormatId = 164, ApplyNumberFormat = true })
        { Count = 3 });

    private static void WriteSheet(WorksheetPart part, SheetBuilder sheet, Dictionary<string, int> sharedStrings, ref uint tableId)
    {
        string? tableRelationship = null;
        if (sheet.Table is { } table)
        {
            var tablePart = part.AddNewPart<TableDefinitionPart>();
            tablePart.Table = TableDefinition(sheet, table, tableId++);
            tableRelationship = part.GetIdOfPart(tablePart);
        }

        using var writer = OpenXmlWriter.Create(part);
        writer.WriteStartElement(new Worksheet());
        writer.WriteStartElement(new SheetData());
        foreach (var (rowNumber, cells) in sheet.Rows)
        {
            writer.WriteStartElement(new Row(), sheet.OmitReferences ? [] : [new OpenXmlAttribute("r", "", rowNumber.ToString(CultureInfo.InvariantCulture))]);
            for (var c = 0; c < cells.Length; c++)
            {
                if (cells[c] is { } cell)
                {
                    writer.WriteElement(ToCell(cell, sheet.OmitReferences ? null : ColumnName(c + 1) + rowNumber.ToString(CultureInfo.InvariantCulture), sharedStrings));
                }
            }

            writer.WriteEndElement();
        }

        writer.WriteEndElement();
        if (tableRelationship is not null)
        {
            writer.WriteStartElement(new TableParts { Count = 1 });
            writer.WriteElement(new TablePart { Id = tableRelationship });
            writer.WriteEndElement();
        }

        writer.WriteEndElement();
    }

    private static Cell ToCell(XCell value, string? reference, Dictionary<string, int> sharedStrings)
    {
        var cell = new Cell();
        if (reference is not null)
        {
            cell.CellReference = reference;
        }

        switch (value)
        {
            case SharedText text:
                if (!sharedStrings.TryGetValue(text.Text, out var index))
                {
                    sharedStrings[text.Text] = index = sharedStrings.Count;
                }

                cell.DataType = CellValues.SharedString;
                cell.CellValue = new CellValue(index.ToString(CultureInfo.InvariantCulture));
                break;
            case InlineText text:
                cell.DataType = CellValues.InlineString;
                cell.InlineString = new InlineString(new Text(text.Text) { Space = SpaceProcessingModeValues.Preserve });
                break;
            case Number number:
                cell.CellValue = new CellValue(number.Value.ToString("R", CultureInfo.InvariantCulture));
                if (number.Style != 0)
                {
                    cell.StyleIndex = number.Style;
                }

                break;
            case Raw raw:
                if (raw.Type is not null)
                {
                    cell.SetAttribute(new OpenXmlAttribute("t", "", raw.Type));
                }

                if (raw.Value is not null)
                {
                    cell.CellValue = new CellValue(raw.Value);
                }
                else
                {
                    cell.StyleIndex = DateTimeStyle;
                }

                break;
        }

        return cell;
    }

    private static Table TableDefinition(SheetBuilder sheet, TableSpec spec, uint id)
    {
        var (headerRow, headers) = sheet.Rows.First(r => r.Number >= (spec.HeaderRow ?? 0));
        headers = headers[..(spec.Columns ?? headers.Length)];
        var lastRow = sheet.Rows[^1].Number;
        var reference = $"A{headerRow}:{ColumnName(headers.Length)}{lastRow}";
        var columns = new TableColumns { Count = (uint)headers.Length };
        for (var i = 0; i < headers.Length; i++)
        {
            var name = headers[i] switch { SharedText t => t.Text, InlineText t => t.Text, _ => $"Column{i + 1}" };
            columns.Append(new TableColumn { Id = (uint)(i + 1), Name = name });
        }

        var table = new Table(
            new AutoFilter { Reference = reference },
            columns,
            new TableStyleInfo { Name = "TableStyleMedium2", ShowRowStripes = true })
        {
            Id = id,
            Name = spec.Name,
            DisplayName = spec.Name,
            Reference = reference,
        };
        if (spec.TotalsRow)
        {
            table.TotalsRowCount = 1;
        }

        return table;
    }

    private static void WriteSharedStrings(SharedStringTablePart part, Dictionary<string, int> sharedStrings)
    {
        using var writer = OpenXmlWriter.Create(part);
        writer.WriteStartElement(new SharedStringTable { Count = (uint)sharedStrings.Count, UniqueCount = (uint)sharedStrings.Count });
        foreach (var text in sharedStrings.OrderBy(s => s.Value).Select(s => s.Key))
        {
            writer.WriteElement(new SharedStringItem(new Text(text) { Space = SpaceProcessingModeValues.Preserve }));
        }

        writer.WriteEndElement();
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

internal sealed record TableSpec(string Name, bool TotalsRow, int? HeaderRow, int? Columns);

internal sealed class SheetBuilder(string name)
{
    public string Name { get; } = name;

    public List<(int Number, XCell?[] Cells)> Rows { get; } = [];

    public TableSpec? Table { get; private set; }

    public bool OmitReferences { get; private set; }

    /// <summary>The next row, its cells from column A; a null cell is absent from the XML.</summary>
    public SheetBuilder Row(params XCell?[] cells) => RowAt(Rows.Count == 0 ? 1 : Rows[^1].Number + 1, cells);

    public SheetBuilder RowAt(int number, params XCell?[] cells)
    {
        Rows.Add((number, cells));
        return this;
    }

    /// <summary>
    /// Makes the rows an Excel table, as Forms does: its header is the first row (or the row numbered
    /// <paramref name="headerRow"/>), its last row the totals row if asked; its columns those of the header (or
    /// the first <paramref name="columns"/>).
    /// </summary>
    public SheetBuilder AsTable(string tableName = "Table1", bool totalsRow = false, int? headerRow = null, int? columns = null)
    {
        Table = new TableSpec(tableName, totalsRow, headerRow, columns);
        return this;
    }

    /// <summary>Writes rows and cells without their r attributes (allowed by the format; position is implied).</summary>
    public SheetBuilder WithoutReferences()
    {
        OmitReferences = true;
        return this;
    }
}
