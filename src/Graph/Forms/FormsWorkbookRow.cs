namespace Engagement.Graph.Forms;

/// <summary>One response row of the Excel workbook that Microsoft Forms keeps in sync.</summary>
/// <param name="Id">The Forms response number (column <c>ID</c>), increasing.</param>
/// <param name="StartTime">Column <c>Start time</c>, in the workbook's (tenant-local) clock.</param>
/// <param name="CompletionTime">Column <c>Completion time</c>, in the same clock.</param>
/// <param name="Email">Column <c>Email</c> (null for anonymous forms).</param>
/// <param name="Name">Column <c>Name</c> (null for anonymous forms).</param>
/// <param name="Answers">Question header → answers (a multi-choice cell <c>A;B;</c> gives two answers); blanks left out.</param>
public sealed record FormsWorkbookRow(long Id, DateTime StartTime, DateTime CompletionTime, string? Email, string? Name, IReadOnlyDictionary<string, IReadOnlyList<string>> Answers);
