using System.Globalization;

namespace Engagement.Graph.Xlsx;

/// <summary>What a cell holds, as the file stores it.</summary>
public enum XlsxCellKind
{
    /// <summary>Text (shared, inline, or a formula's text result).</summary>
    Text,

    /// <summary>A number, dates included (see <see cref="XlsxCell.IsDate"/>).</summary>
    Number,

    /// <summary>TRUE or FALSE.</summary>
    Boolean,

    /// <summary>A formula's error, such as <c>#N/A</c>.</summary>
    Error,
}

/// <summary>A cell's value.</summary>
/// <param name="Value">The stored value: the text, or the number written invariantly (a date as its serial).</param>
/// <param name="Kind">What it holds.</param>
/// <param name="IsDate">A number whose format shows it as a date or a time.</param>
public readonly record struct XlsxCell(string Value, XlsxCellKind Kind, bool IsDate)
{
    /// <summary>Empty or only spaces.</summary>
    public bool IsBlank => string.IsNullOrWhiteSpace(Value);

    /// <summary>The number of a number cell.</summary>
    public bool TryGetNumber(out double number)
    {
        number = 0;
        return Kind == XlsxCellKind.Number
            && double.TryParse(Value, NumberStyles.Float, CultureInfo.InvariantCulture, out number)
            && double.IsFinite(number);
    }

    /// <summary>The value as a person would read it: dates as <c>yyyy-MM-dd</c>, booleans as TRUE or FALSE.</summary>
    public string Text => Kind switch
    {
        XlsxCellKind.Boolean => Value.Trim() switch { "1" => "TRUE", "0" => "FALSE", var other => other },
        XlsxCellKind.Number when IsDate && TryGetNumber(out var serial) && XlsxParts.TryFromExcelSerial(serial, out var date) =>
            date.TimeOfDay == TimeSpan.Zero ? date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : date.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
        XlsxCellKind.Number when TryGetNumber(out var number) => number.ToString(CultureInfo.InvariantCulture),
        _ => Value,
    };

    /// <summary>The day an Excel serial stands for (1900 date system), when it is one (time of day dropped).</summary>
    public static bool TryDayOfSerial(double serial, out DateOnly day)
    {
        day = default;
        if (!(serial >= 1) || !XlsxParts.TryFromExcelSerial(serial, out var date))
        {
            return false;
        }

        day = DateOnly.FromDateTime(date);
        return true;
    }
}

/// <summary>
/// A worksheet's values by row and column (both from 1, as Excel numbers them), with every cell a merged range covers
/// holding the value of the range's first cell.
/// </summary>
public sealed class XlsxGrid
{
    private readonly Dictionary<long, XlsxCell> _cells;
    private readonly HashSet<long> _continued;

    internal XlsxGrid(string sheetName, Dictionary<long, XlsxCell> cells, HashSet<long> continued, IReadOnlyList<int> rowNumbers, int lastColumn)
    {
        SheetName = sheetName;
        _cells = cells;
        _continued = continued;
        RowNumbers = rowNumbers;
        LastColumn = lastColumn;
    }

    /// <summary>The worksheet's name.</summary>
    public string SheetName { get; }

    /// <summary>The rows holding at least one value, in order.</summary>
    public IReadOnlyList<int> RowNumbers { get; }

    /// <summary>The rightmost column holding a value (0 when the sheet is empty).</summary>
    public int LastColumn { get; }

    /// <summary>The value at a row and column, or null when the cell is empty.</summary>
    public XlsxCell? this[int row, int column] =>
        row > 0 && column > 0 && _cells.TryGetValue(Key(row, column), out var cell) ? cell : null;

    /// <summary>Whether the cell shows a merged range's value without being its first cell.</summary>
    public bool IsMergeContinuation(int row, int column) => row > 0 && column > 0 && _continued.Contains(Key(row, column));

    /// <summary>The column's letters: 1 is A, 27 is AA.</summary>
    public static string ColumnName(int column) => XlsxParts.ColumnName(column);

    internal static long Key(int row, int column) => ((long)row << 16) | (uint)column;
}
