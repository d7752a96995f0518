using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Engagement.Functions.Tests.ActionPlans;

/// <summary>An Excel date: a serial number shown with a date format, as Excel stores a typed date.</summary>
internal sealed record XDate(DateOnly Day)
{
    public double Serial => Day.ToDateTime(TimeOnly.MinValue).ToOADate();
}

/// <summary>A number cell shown as a plain number.</summary>
internal sealed record XNumber(double Value);

/// <summary>
/// Builds trackers as coordinators lay them out in Excel, with DocumentFormat.OpenXml: title rows, merged ranges, text
/// in the shared-string table, dates as formatted serials. A cell is a string, an <see cref="XDate"/>, an
/// <see cref="XNumber"/>, an int or a double (numbers), or null (absent).
/// </summary>
internal sealed class TrackerWorkbook
{
    private readonly List<(string Name, bool Hidden, SheetLayout Layout)> _sheets = [];

    public TrackerWorkbook Sheet(string name, Action<SheetLayout> build, bool hidden = false)
    {
        var layout = new SheetLayout();
        build(layout);
        _sheets.Add((name, hidden, layout));
        return this;
    }

    public byte[] Build()
    {
        using var stream = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var workbookPart = document.AddWorkbookPart();
            workbookPart.Workbook = new Workbook();
            workbookPart.AddNewPart<WorkbookStylesPart>().Stylesheet = new Stylesheet(
                new NumberingFormats(new NumberingFormat { NumberFormatId = 164, FormatCode = "dd/mm/yyyy" }) { Count = 1 },
                new Fonts(new Font()) { Count = 1 },
                new Fills(new Fill(new PatternFill { PatternType = PatternValues.None }), new Fill(new PatternFill { PatternType = PatternValues.Gray125 })) { Count = 2 },
                new Borders(new Border()) { Count = 1 },
                new CellStyleFormats(new CellFormat()) { Count = 1 },
                new CellFormats(new CellFormat(), new CellFormat { NumberFormatId = 164, ApplyNumberFormat = true }) { Count = 2 });
            var shared = new List<string>();
            var sheets = workbookPart.Workbook.AppendChild(new Sheets());
            foreach (var (name, hidden, layout) in _sheets)
            {
                var part = workbookPart.AddNewPart<WorksheetPart>();
                part.Worksheet = layout.ToWorksheet(shared);
                var sheet = new Sheet { Id = workbookPart.GetIdOfPart(part), SheetId = (uint)sheets.ChildElements.Count + 1, Name = name };
                if (hidden)
                {
                    sheet.State = SheetStateValues.Hidden;
                }

                sheets.Append(sheet);
            }

            workbookPart.AddNewPart<SharedStringTablePart>().SharedStringTable = new SharedStringTable(shared.Select(s => new SharedStringItem(new Text(s) { Space = SpaceProcessingModeValues.Preserve })))
            {
                Count = (uint)shared.Count,
                UniqueCount = (uint)shared.Count,
            };
        }

        return stream.ToArray();
    }
}

internal sealed class SheetLayout
{
    private readonly SortedDictionary<int, object?[]> _rows = [];
    private readonly List<string> _merges = [];

    /// <summary>Row <paramref name="number"/> (as Excel numbers it), its cells from column A.</summary>
    public SheetLayout Row(int number, params object?[] cells)
    {
        _rows[number] = cells;
        return this;
    }

    /// <summary>Merges a range, e.g. <c>A1:J1</c>; the cells it covers are left empty, as Excel leaves them.</summary>
    public SheetLayout Merge(string range)
    {
        _merges.Add(range);
        return this;
    }

    /// <summary>Sets one cell, keeping the row's others.</summary>
    public SheetLayout Set(int row, int column, object? value)
    {
        var cells = _rows.TryGetValue(row, out var existing) ? existing : [];
        if (cells.Length < column)
        {
            Array.Resize(ref cells, column);
        }

        cells[column - 1] = value;
        _rows[row] = cells;
        return this;
    }

    internal Worksheet ToWorksheet(List<string> shared)
    {
        var data = new SheetData();
        foreach (var (number, cells) in _rows)
        {
            var row = new Row { RowIndex = (uint)number };
            for (var c = 0; c < cells.Length; c++)
            {
                if (cells[c] is { } value)
                {
                    row.Append(ToCell(value, $"{Column(c + 1)}{number}", shared));
                }
            }

            data.Append(row);
        }

        var worksheet = new Worksheet(data);
        if (_merges.Count > 0)
        {
            worksheet.Append(new MergeCells(_merges.Select(m => new MergeCell { Reference = m })) { Count = (uint)_merges.Count });
        }

        return worksheet;
    }

    private static Cell ToCell(object value, string reference, List<string> shared)
    {
        var cell = new Cell { CellReference = reference };
        switch (value)
        {
            case string text:
                var index = shared.IndexOf(text);
                if (index < 0)
                {
                    shared.Add(text);
                    index = shared.Count - 1;
                }

                cell.DataType = CellValues.SharedString;
                cell.CellValue = new CellValue(index.ToString(CultureInfo.InvariantCulture));
                break;
            case XDate date:
                cell.CellValue = new CellValue(date.Serial.ToString(CultureInfo.InvariantCulture));
                cell.StyleIndex = 1;
                break;
            case XNumber number:
                cell.CellValue = new CellValue(number.Value.ToString(CultureInfo.InvariantCulture));
                break;
            case int number:
                cell.CellValue = new CellValue(number.ToString(CultureInfo.InvariantCulture));
                break;
            case double number:
                cell.CellValue = new CellValue(number.ToString(CultureInfo.InvariantCulture));
                break;
            default:
                throw new ArgumentException($"Unsupported cell value {value.GetType().Name}.", nameof(value));
        }

        return cell;
    }

    public static string Column(int column)
    {
        var name = "";
        for (; column > 0; column = (column - 1) / 26)
        {
            name = (char)('A' + ((column - 1) % 26)) + name;
        }

        return name;
    }
}
