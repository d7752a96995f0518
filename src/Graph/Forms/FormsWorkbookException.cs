namespace Engagement.Graph.Forms;

/// <summary>
/// The Forms workbook could not be read: not a valid .xlsx, no <c>ID</c> column, or a cell that does not hold
/// what its column promises. <see cref="Row"/> and <see cref="Column"/> locate the offending cell when there is one.
/// </summary>
public sealed class FormsWorkbookException : Exception
{
    public FormsWorkbookException()
    {
    }

    public FormsWorkbookException(string message)
        : base(message)
    {
    }

    public FormsWorkbookException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal FormsWorkbookException(int row, string column, string problem)
        : base($"row {row}, column {column}: {problem}")
    {
        Row = row;
        Column = column;
    }

    /// <summary>The worksheet row number (1-based, as Excel shows it), when the error is about one cell.</summary>
    public int? Row { get; }

    /// <summary>The column header, when the error is about one cell.</summary>
    public string? Column { get; }
}
