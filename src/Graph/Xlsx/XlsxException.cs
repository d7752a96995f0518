namespace Engagement.Graph.Xlsx;

/// <summary>Why a workbook could not be read.</summary>
public enum XlsxProblem
{
    /// <summary>Not an .xlsx workbook, or a damaged one.</summary>
    NotAWorkbook,

    /// <summary>More rows with content than the reader was allowed.</summary>
    TooManyRows,

    /// <summary>More cells or text than the reader was allowed (a small file can unpack into a huge one).</summary>
    TooLarge,
}

/// <summary>A workbook <see cref="XlsxWorkbook"/> could not read; <see cref="Problem"/> says why.</summary>
public sealed class XlsxException : Exception
{
    public XlsxException()
    {
    }

    public XlsxException(string message)
        : base(message)
    {
    }

    public XlsxException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public XlsxException(XlsxProblem problem, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Problem = problem;
    }

    /// <summary>Why it could not be read.</summary>
    public XlsxProblem Problem { get; }
}
