using System.Globalization;
using System.Text;
using System.Xml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using static Engagement.Graph.Xlsx.XlsxParts;

namespace Engagement.Graph.Forms;

/// <summary>
/// Reads the response rows of the .xlsx workbook that Microsoft Forms (business) keeps in sync in OneDrive or
/// SharePoint, from the file's bytes (downloaded through Graph's <c>/content</c>).
/// </summary>
/// <remarks>
/// The sheet is the first one holding a table whose first column is <c>ID</c> (that is how Forms writes it), else
/// the first worksheet, whose first non-empty row is then the header. Columns are found by header, case-insensitive
/// and trimmed, in English or French; every other column with a header is a question.
/// </remarks>
public static class FormsWorkbookReader
{
    // Text dates: ISO first, then the US month-first form Forms uses in English tenants, then day-first as a
    // last resort (only reached when month-first cannot parse, e.g. 14/03/2026).
    private static readonly string[] TextDateFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd HH:mm", "yyyy-MM-dd",
        "M/d/yyyy H:mm:ss", "M/d/yyyy H:mm", "M/d/yyyy h:mm:ss tt", "M/d/yyyy h:mm tt", "M/d/yyyy",
        "d/M/yyyy H:mm:ss", "d/M/yyyy H:mm", "d/M/yyyy",
    ];

    private static readonly string[] TextDateWithOffsetFormats = ["yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mmK"];

    /// <summary>Reads the responses whose <c>ID</c> is greater than <paramref name="afterId"/>, ordered by ID.</summary>
    /// <param name="xlsx">The workbook's bytes; read, not closed.</param>
    /// <param name="afterId">The highest ID already processed; 0 reads every response.</param>
    /// <exception cref="FormsWorkbookException">The file is not a valid .xlsx, has no ID, Start time or Completion
    /// time column, or a cell in those columns does not hold a whole number or a date.</exception>
    public static IReadOnlyList<FormsWorkbookRow> Read(Stream xlsx, long afterId = 0)
    {
        ArgumentNullException.ThrowIfNull(xlsx);
        var seekable = xlsx.CanSeek ? xlsx : Buffer(xlsx);
        try
        {
            using var document = SpreadsheetDocument.Open(seekable, isEditable: false);
            return ReadDocument(document, afterId);
        }
        catch (Exception ex) when (ex is OpenXmlPackageException or FileFormatException or InvalidDataException or XmlException)
        {
            throw new FormsWorkbookException($"The file is not a valid .xlsx workbook: {ex.Message}", ex);
        }
        finally
        {
            if (!ReferenceEquals(seekable, xlsx))
            {
                seekable.Dispose();
            }
        }
    }

    /// <summary>
    /// Converts an Excel serial date (1900 date system) to a <see cref="DateTime"/> of unspecified kind, rounded to
    /// the nearest millisecond. Serial 1 is 1900-01-01; serial 60, Excel's fictitious 1900-02-29, gives 1900-03-01
    /// like serial 61.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The serial is NaN, negative or after 9999-12-31.</exception>
    public static DateTime FromExcelSerial(double serial)
    {
        if (!(serial >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(serial), serial, "An Excel serial date must be a non-negative number.");
        }

        return TryFromExcelSerial(serial, out var date)
            ? date
            : throw new ArgumentOutOfRangeException(nameof(serial), serial, "An Excel serial date must be before 10000-01-01.");
    }

    private static List<FormsWorkbookRow> ReadDocument(SpreadsheetDocument document, long afterId)
    {
        var workbookPart = document.WorkbookPart
            ?? throw new FormsWorkbookException("The file is not an Excel workbook: the package has no workbook part.");
        var source = FindSource(workbookPart);
        var sharedStrings = ReadSharedStrings(workbookPart.SharedStringTablePart);
        var dateStyles = ReadDateStyles(workbookPart.WorkbookStylesPart);
        return new SheetReader(source, sharedStrings, dateStyles).Read(afterId);
    }

    private static Source FindSource(WorkbookPart workbookPart)
    {
        Source? first = null;
        foreach (var sheet in workbookPart.Workbook?.Sheets?.Elements<Sheet>() ?? [])
        {
            if (sheet.Id?.Value is not { } id || !workbookPart.TryGetPartById(id, out var part) || part is not WorksheetPart worksheet)
            {
                continue; // a chart sheet or a dangling reference
            }

            var name = sheet.Name?.Value ?? id;
            foreach (var tablePart in worksheet.TableDefinitionParts)
            {
                var table = tablePart.Table;
                if (table?.Reference?.Value is not { } reference
                    || table.HeaderRowCount?.Value == 0
                    || !IsHeader(table.TableColumns?.Elements<TableColumn>().FirstOrDefault()?.Name?.Value, "ID")
                    || !TryParseRange(reference, out var firstColumn, out var headerRow, out var lastColumn, out var lastRow))
                {
                    continue;
                }

                // A totals row is part of the table's range but holds no response.
                var totalsRows = (int)Math.Min(table.TotalsRowCount?.Value ?? 0, int.MaxValue);
                return new Source(worksheet, name, headerRow, firstColumn, lastColumn, lastRow - totalsRows);
            }

            first ??= new Source(worksheet, name, HeaderRow: 0, FirstColumn: 1, LastColumn: MaxColumn, LastRow: int.MaxValue);
        }

        return first ?? throw new FormsWorkbookException("The workbook has no worksheet.");
    }

    private static bool IsHeader(string? text, string name) =>
        text is not null && string.Equals(text.Trim(), name, StringComparison.OrdinalIgnoreCase);

    private enum Role
    {
        Id,
        StartTime,
        CompletionTime,
        Email,
        Name,
        Question,
    }

    private enum CellKind
    {
        Number,
        Text,
        Boolean,
        Error,
    }

    private sealed record Source(WorksheetPart Part, string SheetName, int HeaderRow, int FirstColumn, int LastColumn, int LastRow);

    private sealed record MappedColumn(int Index, string Header, Role Role);

    // SharedIndex is the shared-string index of a text cell, or -1.
    private readonly record struct RawCell(string? Value, CellKind Kind, int Style, int SharedIndex = -1)
    {
        public bool IsBlank => string.IsNullOrWhiteSpace(Value);
    }

    private sealed class SheetReader(Source source, string[] sharedStrings, bool[] dateStyles)
    {
        private MappedColumn[] _columns = [];
        private int[] _slotOfColumn = [];
        private RawCell[] _cells = [];
        private int _id = -1;
        private int _start = -1;
        private int _completion = -1;
        private int _email = -1;
        private int _name = -1;
        private IReadOnlyList<string>?[]? _sharedAnswers;

        public List<FormsWorkbookRow> Read(long afterId)
        {
            var rows = new List<FormsWorkbookRow>();
            var headerCells = new List<(int Column, RawCell Cell)>();
            var headerRow = 0;
            var inOrder = true;

            using var stream = source.Part.GetStream(FileMode.Open, FileAccess.Read);
            using var xml = XmlReader.Create(stream, XmlSettings);
            var rowNumber = 0;
            while (xml.Read())
            {
                if (xml.NodeType != XmlNodeType.Element || xml.LocalName != "row")
                {
                    continue;
                }

                rowNumber = ParseRowNumber(xml.GetAttribute("r"), rowNumber);
                if (rowNumber > source.LastRow)
                {
                    break;
                }

                if (headerRow == 0)
                {
                    if (rowNumber < source.HeaderRow)
                    {
                        continue; // the loop passes over its cells: only rows are looked at here
                    }

                    if (rowNumber > source.HeaderRow && source.HeaderRow > 0)
                    {
                        break; // the table's header row is missing from the sheet
                    }

                    headerCells.Clear();
                    ReadCells(xml, rowNumber, headerCells);
                    if (source.HeaderRow > 0 || headerCells.Exists(c => !c.Cell.IsBlank))
                    {
                        headerRow = rowNumber;
                        MapColumns(headerCells, headerRow);
                    }

                    continue;
                }

                Array.Clear(_cells);
                ReadCells(xml, rowNumber, headerCells: null);

                if (Array.TrueForAll(_cells, c => c.IsBlank))
                {
                    continue;
                }

                var id = ReadId(rowNumber);
                if (id <= afterId)
                {
                    continue;
                }

                inOrder &= rows.Count == 0 || rows[^1].Id <= id;
                rows.Add(ReadRow(rowNumber, id));
            }

            if (headerRow == 0)
            {
                throw source.HeaderRow > 0
                    ? new FormsWorkbookException($"Sheet '{source.SheetName}': the table's header row {source.HeaderRow} is missing.")
                    : new FormsWorkbookException($"Sheet '{source.SheetName}' is empty: no header row with an ID column.");
            }

            return inOrder ? rows : [.. rows.OrderBy(r => r.Id)];
        }

        private static int ParseRowNumber(string? r, int previous) =>
            string.IsNullOrEmpty(r) ? previous + 1
            : int.TryParse(r, NumberStyles.None, CultureInfo.InvariantCulture, out var row) && row > 0 ? row
            : throw new FormsWorkbookException($"Row reference '{r}' after row {previous} is not a row number.");

        // Positioned on <row>; reads its cells into headerCells when given, else into _cells (the mapped columns
        // only), and leaves the reader on </row> (or on <row/> when it has no cells).
        private void ReadCells(XmlReader xml, int rowNumber, List<(int Column, RawCell Cell)>? headerCells)
        {
            if (xml.IsEmptyElement)
            {
                return;
            }

            var depth = xml.Depth;
            var column = 0;
            xml.Read();
            while (xml.Depth > depth)
            {
                if (xml.NodeType != XmlNodeType.Element || xml.LocalName != "c")
                {
                    xml.Read();
                    continue;
                }

                string? reference = null, type = null;
                var styleAttribute = -1;
                if (xml.MoveToFirstAttribute())
                {
                    var attribute = 0;
                    do
                    {
                        switch (xml.LocalName)
                        {
                            case "r": reference = xml.Value; break;
                            case "t": type = xml.Value; break;
                            case "s": styleAttribute = attribute; break;
                        }

                        attribute++;
                    }
                    while (xml.MoveToNextAttribute());
                    xml.MoveToElement();
                }

                if (string.IsNullOrEmpty(reference))
                {
                    column++;
                }
                else if (!TryParseCellReference(reference, out column, out _))
                {
                    throw new FormsWorkbookException($"row {rowNumber}: cell reference '{reference}' is not valid.");
                }

                var slot = headerCells is not null ? int.MaxValue
                    : column < _slotOfColumn.Length ? _slotOfColumn[column]
                    : -1;
                if (slot < 0 || column < source.FirstColumn || column > source.LastColumn)
                {
                    xml.Skip();
                    continue;
                }

                // The style only matters for telling a date answer from a number; reading it costs a string.
                var style = styleAttribute >= 0 && type is null or "n" && headerCells is null && _columns[slot].Role == Role.Question
                    && int.TryParse(xml.GetAttribute(styleAttribute), NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : 0;
                var value = ReadCellValue(xml);
                var cell = type switch
                {
                    "s" => SharedString(value, rowNumber, column),
                    "inlineStr" or "str" or "d" => new RawCell(value is null ? null : DecodeEscapes(value), CellKind.Text, style),
                    "b" => new RawCell(value, CellKind.Boolean, style),
                    "e" => new RawCell(value, CellKind.Error, style),
                    _ => new RawCell(value, CellKind.Number, style),
                };
                if (headerCells is not null)
                {
                    headerCells.Add((column, cell));
                }
                else
                {
                    _cells[slot] = cell;
                }
            }
        }

        private RawCell SharedString(string? index, int rowNumber, int column) =>
            index is null ? new RawCell(null, CellKind.Text, 0)
            : int.TryParse(index, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < sharedStrings.Length ? new RawCell(sharedStrings[i], CellKind.Text, 0, i)
            : throw new FormsWorkbookException($"row {rowNumber}: cell {ColumnName(column)}{rowNumber} refers to shared string '{index}', which the workbook does not have.");

        private void MapColumns(List<(int Column, RawCell Cell)> headerCells, int headerRow)
        {
            var columns = new List<MappedColumn>();
            var seen = new Dictionary<string, MappedColumn>(StringComparer.OrdinalIgnoreCase);
            foreach (var (index, cell) in headerCells)
            {
                var header = CellText(cell)?.Trim().Normalize(NormalizationForm.FormC);
                if (string.IsNullOrEmpty(header) || RoleOf(header) is not { } role)
                {
                    continue;
                }

                var key = role == Role.Question ? header : role.ToString();
                if (seen.TryGetValue(key, out var other))
                {
                    throw new FormsWorkbookException(
                        $"Sheet '{source.SheetName}', header row {headerRow}: columns {ColumnName(other.Index)} ('{other.Header}') and {ColumnName(index)} ('{header}') are the same column.");
                }

                var column = new MappedColumn(index, header, role);
                seen[key] = column;
                columns.Add(column);
            }

            _columns = [.. columns];
            _cells = new RawCell[_columns.Length];
            _slotOfColumn = new int[_columns.Length == 0 ? 0 : _columns.Max(c => c.Index) + 1];
            Array.Fill(_slotOfColumn, -1);
            for (var slot = 0; slot < _columns.Length; slot++)
            {
                _slotOfColumn[_columns[slot].Index] = slot;
                switch (_columns[slot].Role)
                {
                    case Role.Id: _id = slot; break;
                    case Role.StartTime: _start = slot; break;
                    case Role.CompletionTime: _completion = slot; break;
                    case Role.Email: _email = slot; break;
                    case Role.Name: _name = slot; break;
                }
            }

            var missing = new[] { (Slot: _id, Name: "ID"), (Slot: _start, Name: "Start time"), (Slot: _completion, Name: "Completion time") }
                .Where(m => m.Slot < 0)
                .Select(m => m.Name)
                .ToList();
            if (missing.Count > 0)
            {
                var found = string.Join(", ", headerCells.Select(c => CellText(c.Cell)?.Trim()).Where(h => !string.IsNullOrEmpty(h)).Select(h => $"'{h}'"));
                throw new FormsWorkbookException(
                    $"Sheet '{source.SheetName}', header row {headerRow}: no {string.Join(", ", missing)} column (headers: {(found.Length == 0 ? "none" : found)}).");
            }
        }

        private static Role? RoleOf(string header) => header.ToUpperInvariant() switch
        {
            "ID" => Role.Id,
            "START TIME" or "HEURE DE DÉBUT" => Role.StartTime,
            "COMPLETION TIME" or "HEURE DE FIN" => Role.CompletionTime,
            "EMAIL" or "ADRESSE DE MESSAGERIE" => Role.Email,
            "NAME" or "NOM" => Role.Name,
            "LAST MODIFIED TIME" or "HEURE DE LA DERNIÈRE MODIFICATION" => null,
            _ => Role.Question,
        };

        private long ReadId(int rowNumber)
        {
            var cell = _cells[_id];
            var header = _columns[_id].Header;
            var text = cell.Value?.Trim();
            if (string.IsNullOrEmpty(text))
            {
                throw new FormsWorkbookException(rowNumber, header, "the cell is empty");
            }

            if (cell.Kind is CellKind.Number or CellKind.Text)
            {
                if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var id))
                {
                    return id;
                }

                if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
                    && number == Math.Floor(number) && Math.Abs(number) < 9e15)
                {
                    return (long)number;
                }
            }

            throw new FormsWorkbookException(rowNumber, header, $"'{text}' is not a whole number");
        }

        private FormsWorkbookRow ReadRow(int rowNumber, long id)
        {
            var answers = new Dictionary<string, IReadOnlyList<string>>(_columns.Length, StringComparer.OrdinalIgnoreCase);
            for (var slot = 0; slot < _columns.Length; slot++)
            {
                if (_columns[slot].Role == Role.Question && !_cells[slot].IsBlank && Answers(_cells[slot]) is { Count: > 0 } values)
                {
                    answers.Add(_columns[slot].Header, values);
                }
            }

            return new FormsWorkbookRow(
                id,
                ReadDate(rowNumber, _start),
                ReadDate(rowNumber, _completion),
                ReadPerson(_email),
                ReadPerson(_name),
                answers.AsReadOnly());
        }

        private DateTime ReadDate(int rowNumber, int slot)
        {
            var cell = _cells[slot];
            var header = _columns[slot].Header;
            var text = cell.Value?.Trim();
            if (string.IsNullOrEmpty(text))
            {
                throw new FormsWorkbookException(rowNumber, header, "the cell is empty");
            }

            if (cell.Kind is CellKind.Number or CellKind.Text
                && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var serial))
            {
                return TryFromExcelSerial(serial, out var fromSerial)
                    ? fromSerial
                    : throw new FormsWorkbookException(rowNumber, header, $"{text} is not an Excel date serial");
            }

            if (cell.Kind == CellKind.Text)
            {
                if (DateTime.TryParseExact(text, TextDateFormats, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var date))
                {
                    return date;
                }

                // An explicit offset: keep the clock time as written, which is what the other cells hold.
                if (DateTimeOffset.TryParseExact(text, TextDateWithOffsetFormats, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var withOffset))
                {
                    return withOffset.DateTime;
                }
            }

            throw new FormsWorkbookException(rowNumber, header, $"'{text}' is not a date");
        }

        // Forms writes "anonymous" in the Email column of responses collected without sign-in.
        private string? ReadPerson(int slot) =>
            slot < 0 || CellText(_cells[slot])?.Trim() is not { Length: > 0 } text || text.Equals("anonymous", StringComparison.OrdinalIgnoreCase)
                ? null
                : text;

        // Answers from a shared string are split once and the read-only list shared by every row that gives them.
        private IReadOnlyList<string> Answers(RawCell cell)
        {
            if (cell.SharedIndex < 0)
            {
                return Split(CellText(cell)!, cell.Kind);
            }

            _sharedAnswers ??= new IReadOnlyList<string>[sharedStrings.Length];
            return _sharedAnswers[cell.SharedIndex] ??= Split(cell.Value!, cell.Kind);

            static IReadOnlyList<string> Split(string text, CellKind kind)
            {
                text = text.Trim();
                return kind != CellKind.Text || !text.EndsWith(';')
                    ? Array.AsReadOnly([text])
                    // A multiple-choice answer: every choice is followed by a semicolon.
                    : Array.AsReadOnly(text.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
            }
        }

        private string? CellText(RawCell cell)
        {
            switch (cell.Kind)
            {
                case CellKind.Boolean:
                    return cell.Value?.Trim() switch { "1" => "TRUE", "0" => "FALSE", var other => other };
                case CellKind.Number when double.TryParse(cell.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number):
                    if (cell.Style < dateStyles.Length && dateStyles[cell.Style] && TryFromExcelSerial(number, out var date))
                    {
                        return date.TimeOfDay == TimeSpan.Zero
                            ? date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
                            : date.ToString("yyyy-MM-dd'T'HH:mm:ss.FFF", CultureInfo.InvariantCulture);
                    }

                    return number.ToString(CultureInfo.InvariantCulture);
                default:
                    return cell.Value;
            }
        }
    }
}
