using System.Globalization;
using System.Xml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using static Engagement.Graph.Xlsx.XlsxParts;

namespace Engagement.Graph.Xlsx;

/// <summary>How much of a workbook a reader may take in: an upload is bounded before it is read, not after.</summary>
public sealed record XlsxLimits
{
    /// <summary>Rows holding at least one value; one more stops the reading.</summary>
    public int MaxRows { get; init; } = 10_000;

    /// <summary>Columns read (A is 1); cells further right are ignored.</summary>
    public int MaxColumns { get; init; } = 256;

    /// <summary>Cells looked at, including empty formatted ones and those a merged range covers.</summary>
    public long MaxCells { get; init; } = 2_000_000;

    /// <summary>Characters of shared text (most of a workbook's text lives there).</summary>
    public long MaxTextCharacters { get; init; } = 16_000_000;
}

/// <summary>A worksheet of a workbook, in the workbook's order.</summary>
/// <param name="Name">Its tab's name.</param>
/// <param name="Hidden">Whether its tab is hidden.</param>
/// <param name="Index">Its position among the worksheets (chart sheets left out), from 0.</param>
public sealed record XlsxSheetInfo(string Name, bool Hidden, int Index);

/// <summary>
/// An .xlsx workbook opened for reading whole worksheets as grids of values (<see cref="XlsxGrid"/>), merged ranges
/// resolved: what a person sees in a sheet laid out by hand (a title row, a header on two rows, a cell merged over the
/// rows it applies to). Every failure to read — a file that is not a workbook, a damaged part, limits passed — is an
/// <see cref="XlsxException"/>.
/// </summary>
public sealed class XlsxWorkbook : IDisposable
{
    private readonly SpreadsheetDocument _document;
    private readonly MemoryStream? _buffer;
    private readonly WorkbookPart _workbook;
    private readonly List<(XlsxSheetInfo Info, WorksheetPart Part)> _sheets;
    private string[]? _sharedStrings;
    private bool[]? _dateStyles;

    private XlsxWorkbook(SpreadsheetDocument document, MemoryStream? buffer, WorkbookPart workbook, List<(XlsxSheetInfo, WorksheetPart)> sheets)
    {
        _document = document;
        _buffer = buffer;
        _workbook = workbook;
        _sheets = sheets;
    }

    /// <summary>The worksheets, in the workbook's order.</summary>
    public IReadOnlyList<XlsxSheetInfo> Sheets => [.. _sheets.Select(s => s.Info)];

    /// <summary>Opens a workbook from its bytes (read, not closed).</summary>
    /// <exception cref="XlsxException">The bytes are not an .xlsx workbook (an .xls, a CSV, a damaged file).</exception>
    public static XlsxWorkbook Open(Stream xlsx)
    {
        ArgumentNullException.ThrowIfNull(xlsx);
        var buffer = xlsx.CanSeek ? null : Buffer(xlsx);
        SpreadsheetDocument? document = null;
        try
        {
            document = SpreadsheetDocument.Open(buffer ?? xlsx, isEditable: false);
            var workbook = document.WorkbookPart ?? throw new XlsxException(XlsxProblem.NotAWorkbook, "The package has no workbook part.");
            var sheets = new List<(XlsxSheetInfo, WorksheetPart)>();
            foreach (var sheet in workbook.Workbook?.Sheets?.Elements<Sheet>() ?? [])
            {
                if (sheet.Id?.Value is { } id && workbook.TryGetPartById(id, out var part) && part is WorksheetPart worksheet)
                {
                    var hidden = sheet.State?.Value is { } state && state != SheetStateValues.Visible;
                    sheets.Add((new XlsxSheetInfo(sheet.Name?.Value ?? id, hidden, sheets.Count), worksheet));
                }
            }

            return new XlsxWorkbook(document, buffer, workbook, sheets);
        }
        catch (Exception ex) when (IsDamage(ex))
        {
            document?.Dispose();
            buffer?.Dispose();
            throw new XlsxException(XlsxProblem.NotAWorkbook, $"The file is not a readable .xlsx workbook: {ex.Message}", ex);
        }
        catch
        {
            document?.Dispose();
            buffer?.Dispose();
            throw;
        }
    }

    /// <summary>Reads a worksheet's values within <paramref name="limits"/>.</summary>
    /// <exception cref="XlsxException">A part is damaged, or the sheet passes a limit.</exception>
    public XlsxGrid Read(XlsxSheetInfo sheet, XlsxLimits limits)
    {
        ArgumentNullException.ThrowIfNull(sheet);
        ArgumentNullException.ThrowIfNull(limits);
        try
        {
            _sharedStrings ??= ReadSharedStrings(_workbook.SharedStringTablePart, limits.MaxTextCharacters);
            _dateStyles ??= ReadDateStyles(_workbook.WorkbookStylesPart);
            return new GridReader(sheet.Name, _sheets[sheet.Index].Part, _sharedStrings, _dateStyles, limits).Read();
        }
        catch (Exception ex) when (IsDamage(ex))
        {
            throw new XlsxException(XlsxProblem.NotAWorkbook, $"Sheet '{sheet.Name}' could not be read: {ex.Message}", ex);
        }
    }

    public void Dispose()
    {
        _document.Dispose();
        _buffer?.Dispose();
    }

    // What the packaging, XML and OpenXml layers throw on damaged bytes (a truncated zip, a part that is not XML, a
    // relationship to nowhere). A bug of ours (NullReferenceException, say) is not among them and stays a failure.
    private static bool IsDamage(Exception ex) => ex is OpenXmlPackageException or FormatException or InvalidDataException or XmlException
        or IOException or InvalidOperationException or NotSupportedException or ArgumentException or OverflowException or KeyNotFoundException
        or System.Xml.Schema.XmlSchemaException;

    private sealed class GridReader(string sheetName, WorksheetPart part, string[] sharedStrings, bool[] dateStyles, XlsxLimits limits)
    {
        private const int MaxRowNumber = 1_048_576;

        private readonly Dictionary<long, XlsxCell> _cells = [];
        private readonly HashSet<long> _continued = [];
        private readonly HashSet<int> _rows = [];
        private readonly List<(int FirstColumn, int FirstRow, int LastColumn, int LastRow)> _merges = [];
        private long _scanned;
        private int _lastColumn;

        public XlsxGrid Read()
        {
            using var stream = part.GetStream(FileMode.Open, FileAccess.Read);
            using var xml = XmlReader.Create(stream, XmlSettings);
            var rowNumber = 0;
            while (xml.Read())
            {
                if (xml.NodeType != XmlNodeType.Element)
                {
                    continue;
                }

                if (xml.LocalName == "row")
                {
                    rowNumber = RowNumber(xml.GetAttribute("r"), rowNumber);
                    ReadRow(xml, rowNumber);
                }
                else if (xml.LocalName == "mergeCell" && xml.GetAttribute("ref") is { } reference
                    && TryParseRange(reference, out var firstColumn, out var firstRow, out var lastColumn, out var lastRow)
                    && firstRow >= 1 && lastRow >= firstRow && lastColumn >= firstColumn)
                {
                    _merges.Add((firstColumn, firstRow, lastColumn, lastRow));
                }
            }

            ApplyMerges();
            return new XlsxGrid(sheetName, _cells, _continued, [.. _rows.Order()], _lastColumn);
        }

        private int RowNumber(string? r, int previous) =>
            string.IsNullOrEmpty(r) ? previous + 1
            : int.TryParse(r, NumberStyles.None, CultureInfo.InvariantCulture, out var row) && row is > 0 and <= MaxRowNumber ? row
            : throw new XlsxException(XlsxProblem.NotAWorkbook, $"Sheet '{sheetName}': row reference '{r}' after row {previous} is not a row number.");

        // Positioned on <row>; leaves the reader on </row> (or on <row/>).
        private void ReadRow(XmlReader xml, int rowNumber)
        {
            Count();
            if (xml.IsEmptyElement)
            {
                return;
            }

            var depth = xml.Depth;
            var column = 0;
            var hasValue = false;
            xml.Read();
            while (xml.Depth > depth)
            {
                if (xml.NodeType != XmlNodeType.Element || xml.LocalName != "c")
                {
                    xml.Read();
                    continue;
                }

                Count();
                var reference = xml.GetAttribute("r");
                var type = xml.GetAttribute("t");
                var style = int.TryParse(xml.GetAttribute("s"), NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : 0;
                if (string.IsNullOrEmpty(reference))
                {
                    column++;
                }
                else if (!TryParseCellReference(reference, out column, out _) || column < 1)
                {
                    throw new XlsxException(XlsxProblem.NotAWorkbook, $"Sheet '{sheetName}', row {rowNumber}: cell reference '{reference}' is not valid.");
                }

                if (column > limits.MaxColumns)
                {
                    xml.Skip();
                    continue;
                }

                var value = ReadCellValue(xml);
                if (value is null)
                {
                    continue;
                }

                var cell = type switch
                {
                    "s" => new XlsxCell(SharedString(value, rowNumber, column), XlsxCellKind.Text, false),
                    "inlineStr" or "str" or "d" => new XlsxCell(DecodeEscapes(value), XlsxCellKind.Text, false),
                    "b" => new XlsxCell(value, XlsxCellKind.Boolean, false),
                    "e" => new XlsxCell(value, XlsxCellKind.Error, false),
                    _ => new XlsxCell(value, XlsxCellKind.Number, style < dateStyles.Length && dateStyles[style]),
                };
                if (cell.IsBlank)
                {
                    continue;
                }

                _cells[Key(rowNumber, column)] = cell;
                _lastColumn = Math.Max(_lastColumn, column);
                hasValue = true;
            }

            if (hasValue && _rows.Add(rowNumber) && _rows.Count > limits.MaxRows)
            {
                throw new XlsxException(XlsxProblem.TooManyRows, $"Sheet '{sheetName}' has more than {limits.MaxRows:N0} rows with values.");
            }
        }

        private string SharedString(string index, int rowNumber, int column) =>
            int.TryParse(index, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < sharedStrings.Length ? sharedStrings[i]
            : throw new XlsxException(XlsxProblem.NotAWorkbook, $"Sheet '{sheetName}': cell {ColumnName(column)}{rowNumber} refers to shared string '{index}', which the workbook does not have.");

        // A merged range shows its first cell's value over every cell it covers; ranges are clipped to the rows and
        // columns that hold values, so a merge over a whole column costs nothing.
        private void ApplyMerges()
        {
            if (_rows.Count == 0)
            {
                return;
            }

            var lastRow = _rows.Max();
            foreach (var (firstColumn, firstRow, lastColumn, mergeLastRow) in _merges)
            {
                if (firstColumn > limits.MaxColumns || !_cells.TryGetValue(Key(firstRow, firstColumn), out var value))
                {
                    continue;
                }

                for (var row = firstRow; row <= Math.Min(mergeLastRow, lastRow); row++)
                {
                    for (var column = firstColumn; column <= Math.Min(lastColumn, limits.MaxColumns); column++)
                    {
                        Count();
                        if (row == firstRow && column == firstColumn)
                        {
                            continue;
                        }

                        _cells[Key(row, column)] = value;
                        _continued.Add(Key(row, column));
                        _lastColumn = Math.Max(_lastColumn, column);
                    }

                    _rows.Add(row);
                }
            }
        }

        private void Count()
        {
            if (++_scanned > limits.MaxCells)
            {
                throw new XlsxException(XlsxProblem.TooLarge, $"Sheet '{sheetName}' has more than {limits.MaxCells:N0} cells.");
            }
        }

        private static long Key(int row, int column) => XlsxGrid.Key(row, column);
    }
}
