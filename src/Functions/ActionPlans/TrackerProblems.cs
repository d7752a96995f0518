using Engagement.Core.Domain;
using Engagement.Graph.Xlsx;

namespace Engagement.Functions.ActionPlans;

/// <summary>One thing wrong with an imported tracker, said in the partnership's language.</summary>
/// <param name="Row">The sheet's row as Excel numbers it, when the problem is on a row.</param>
/// <param name="Column">The column's header as the file writes it, when the problem is in a cell.</param>
/// <param name="Cell">The cell's reference (<c>F14</c>), when the problem is in a cell.</param>
/// <param name="Message">The whole sentence: « ligne 14, colonne « Échéance » : date illisible « 31 juin » ».</param>
public sealed record TrackerProblem(int? Row, string? Column, string? Cell, string Message)
{
    /// <summary>The field a problem-details answer names: the cell, the row, or the file.</summary>
    public string Field => Cell ?? (Row is { } row ? $"row {row}" : "file");
}

/// <summary>Collects every problem of an import, so the coordinator can fix them all at once.</summary>
internal sealed class TrackerProblems(PartnershipLanguage language)
{
    private readonly List<(int Order, TrackerProblem Problem)> _problems = [];

    public PartnershipLanguage Language { get; } = language;

    public bool Any => _problems.Count > 0;

    /// <summary>The problems by row, then column, then as found.</summary>
    public IReadOnlyList<TrackerProblem> List =>
        [.. _problems.OrderBy(p => p.Problem.Row ?? 0).ThenBy(p => p.Order).Select(p => p.Problem)];

    public string Say(string key, params object[] args) => TrackerTexts.Say(Language, key, args);

    /// <summary>A problem in one cell.</summary>
    public void At(int row, MappedColumn column, string key, params object[] args) =>
        Add(new TrackerProblem(row, column.Header, XlsxGrid.ColumnName(column.Index) + row.ToString(System.Globalization.CultureInfo.InvariantCulture), Say("Error.At", row, column.Header, Say(key, args))), column.Index);

    /// <summary>A problem with a whole row.</summary>
    public void AtRow(int row, string key, params object[] args) => Add(new TrackerProblem(row, null, null, Say("Error.AtRow", row, Say(key, args))), 0);

    /// <summary>A problem with the file itself.</summary>
    public void File(string key, params object[] args) => Add(new TrackerProblem(null, null, null, Say(key, args)), 0);

    private void Add(TrackerProblem problem, int column) => _problems.Add((column, problem));
}
